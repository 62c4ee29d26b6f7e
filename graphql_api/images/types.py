"""Images and their renditions, limited to an allow-list of sizes so that clients cannot fill the disk.

Renditions of every image in a list come from one prefetch (``prefetched_renditions``), so asking for the
thumbnails of 50 offers costs one query, not 50. A rendition that does not exist yet is generated once and stored.
"""

from __future__ import annotations

import enum

import strawberry
import strawberry_django
from django.db.models import Prefetch
from strawberry import auto
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage

from cms.core.urls import absolute_url
from graphql_api.core.errors import BadUserInput
from graphql_api.core.execution import ModelField
from graphql_api.core.optimizer import same_for_every_request

#: Widths and heights a client may ask for: the breakpoints of the front-ends' design system.
ALLOWED_SIZES = (80, 160, 240, 320, 400, 480, 640, 800, 960, 1024, 1280, 1600, 1920)


@strawberry.enum(description="Format de sortie d'une déclinaison d'image.")
class ImageFormat(enum.Enum):
    ORIGINAL = "original"
    JPEG = "jpeg"
    PNG = "png"
    WEBP = "webp"
    AVIF = "avif"


def _check_size(name: str, value: int | None) -> None:
    if value is not None and value not in ALLOWED_SIZES:
        allowed = ", ".join(str(size) for size in ALLOWED_SIZES)
        raise BadUserInput(f"{name} doit être l'une des tailles autorisées : {allowed}.", argument=name)


def filter_spec(width: int | None, height: int | None, fill: bool, image_format: ImageFormat) -> str:
    """The Wagtail filter spec for an allowed combination, or a BAD_USER_INPUT error."""
    _check_size("width", width)
    _check_size("height", height)
    if width is None and height is None:
        raise BadUserInput("Indiquez au moins width ou height.", argument="width")
    if fill and (width is None or height is None):
        raise BadUserInput("fill demande à la fois width et height.", argument="fill")
    if fill:
        spec = f"fill-{width}x{height}"
    elif width is not None and height is not None:
        spec = f"max-{width}x{height}"
    elif width is not None:
        spec = f"width-{width}"
    else:
        spec = f"height-{height}"
    if image_format is not ImageFormat.ORIGINAL:
        spec += f"|format-{image_format.value}"
    return spec


#: What generating or finding a rendition reads from the image row (the file name uses the hash).
_RENDITION_FIELDS = [
    "file",
    "file_hash",
    "width",
    "height",
    "focal_point_x",
    "focal_point_y",
    "focal_point_width",
    "focal_point_height",
]


@same_for_every_request
def _renditions_prefetch(info) -> Prefetch:
    """A new ``Prefetch`` per plan: Django marks the queryset it prefetches with (``graphql_api.core.optimizer``)."""
    return Prefetch(
        "renditions",
        queryset=get_image_model().get_rendition_model().objects.all(),
        to_attr="prefetched_renditions",
    )


@strawberry.type(description="Une déclinaison d'image à une taille donnée.")
class Rendition:
    url: str
    width: int
    height: int


def _rendition(image: AbstractImage, spec: str) -> Rendition:
    rendition = image.get_rendition(spec)
    return Rendition(url=absolute_url(rendition.url), width=rendition.width, height=rendition.height)


@strawberry_django.type(get_image_model(), name="Image", field_cls=ModelField)
class ImageType:
    id: auto
    title: auto
    width: auto
    height: auto

    @strawberry_django.field(only=["file"], description="URL absolue du fichier original.")
    def url(self, root: AbstractImage) -> str:
        return absolute_url(root.file.url)

    @strawberry_django.field(
        only=_RENDITION_FIELDS,
        prefetch_related=[_renditions_prefetch],
        description="Une déclinaison aux tailles autorisées (80 à 1920 px) ; fill recadre sur le point focal.",
    )
    def rendition(
        self,
        root: AbstractImage,
        width: int | None = None,
        height: int | None = None,
        fill: bool = False,
        format: ImageFormat = ImageFormat.ORIGINAL,
    ) -> Rendition:
        return _rendition(root, filter_spec(width, height, fill, format))

    @strawberry_django.field(
        only=_RENDITION_FIELDS,
        prefetch_related=[_renditions_prefetch],
        description="Valeur d'attribut srcset : une déclinaison par largeur demandée.",
    )
    def src_set(
        self,
        root: AbstractImage,
        sizes: list[int],
        format: ImageFormat = ImageFormat.ORIGINAL,
    ) -> str:
        if not sizes or len(sizes) > 8:
            raise BadUserInput("sizes doit contenir entre 1 et 8 largeurs.", argument="sizes")
        specs = [filter_spec(width, None, False, format) for width in sizes]
        renditions = root.get_renditions(*specs)
        return ", ".join(f"{absolute_url(renditions[spec].url)} {renditions[spec].width}w" for spec in specs)
