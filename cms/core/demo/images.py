"""Pictures for the demo, drawn with Pillow so that seeding needs no network and no binary files in the repository."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images.models import Image
from wagtail.models import Collection

DEMO_COLLECTION = "Démo"
#: Fonts that draw French accented letters, the first one found wins (Debian's ``fonts-dejavu-core``, which
#: ``.ci/run`` installs when missing): Pillow's built-in font has no "é" and draws a box in its place.
FONT_FILES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
)


def demo_collection() -> Collection:
    """The collection that holds every demo image, so that ``--reset`` can find and delete them."""
    existing = Collection.objects.filter(name=DEMO_COLLECTION, depth=2).first()
    return existing or Collection.get_first_root_node().add_child(name=DEMO_COLLECTION)


def _hex_to_rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def draw_png(text: str, colour: str, size: tuple[int, int]) -> bytes:
    """A flat coloured picture with ``text`` centred in white: a logo or an offer banner."""
    picture = PILImage.new("RGB", size, _hex_to_rgb(colour))
    draw = ImageDraw.Draw(picture)
    font, text = demo_font(max(12, size[1] // 4), text)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    position = ((size[0] - (right - left)) / 2 - left, (size[1] - (bottom - top)) / 2 - top)
    draw.text(position, text, fill=(255, 255, 255), font=font)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def demo_font(size: int, text: str) -> tuple[ImageFont.FreeTypeFont, str]:
    """A font with French accents and ``text`` as it can draw it: without a font file that has them (none of
    :data:`FONT_FILES`), Pillow's own font and the text without its accents, rather than boxes."""
    for path in FONT_FILES:
        if path.exists():
            return ImageFont.truetype(str(path), size), text
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return ImageFont.load_default(size=size), plain


def create_image(title: str, filename: str, text: str, colour: str, size: tuple[int, int]) -> Image:
    image = Image(title=title, collection=demo_collection())
    image.file = ImageFile(io.BytesIO(draw_png(text, colour, size)), name=filename)
    image.save()
    return image


def initials(name: str) -> str:
    words = [word for word in name.replace("'", " ").replace("-", " ").split() if word[0].isalpha()]
    return "".join(word[0].upper() for word in words[:2])
