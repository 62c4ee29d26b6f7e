"""Wagtail images with a real (small) PNG file, so that renditions can be generated."""

import io

import factory
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from .base import ModelFactory


def png_file(width: int = 400, height: int = 300, name: str = "image.png") -> ImageFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (10, 127, 90)).save(buffer, format="PNG")
    return ImageFile(buffer, name=name)


class ImageFactory(ModelFactory):
    class Meta:
        model = get_image_model()

    title = factory.Sequence(lambda n: f"Image {n}")
    file = factory.LazyAttribute(lambda o: png_file(name=f"{o.title.lower().replace(' ', '-')}.png"))
