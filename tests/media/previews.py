"""Measuring what a blurred preview keeps of its image."""

from __future__ import annotations

from PIL import Image, ImageChops, ImageStat

PREVIEW_SOURCE = 16  # what the preview may keep: the image at 16 px on its long side


def difference(first: Image.Image, second: Image.Image) -> float:
    """The mean absolute difference of two images' RGB values (0 to 255)."""
    stat = ImageStat.Stat(ImageChops.difference(first.convert("RGB"), second.convert("RGB")))
    return sum(stat.mean) / 3


def shrunk_and_scaled_back(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """`image` at 16 px on its long side, scaled up to `size`: all a preview may show."""
    small = image.convert("RGB")
    small.thumbnail((PREVIEW_SOURCE, PREVIEW_SOURCE), Image.Resampling.LANCZOS)
    return small.resize(size, Image.Resampling.BICUBIC)


def detail(image: Image.Image) -> float:
    """How much `image` holds beyond its 16 px version (0: nothing)."""
    return difference(image, shrunk_and_scaled_back(image, image.size))
