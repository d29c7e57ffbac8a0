"""What an uploaded file really is, decided by its first bytes (never its name or the
client's content type), then confirmed by Pillow reading the header (no pixels decoded)."""

from __future__ import annotations

from enum import Enum
from typing import BinaryIO

from PIL import Image, UnidentifiedImageError

HEAD_BYTES = 12  # enough for every signature below


class ImageFormat(Enum):
    JPEG = ("image/jpeg", "JPEG", "JPEG")
    PNG = ("image/png", "PNG", "PNG")
    WEBP = ("image/webp", "WEBP", "WebP")

    def __init__(self, content_type: str, pillow_name: str, label: str) -> None:
        self.content_type = content_type
        self.pillow_name = pillow_name
        self.label = label

    @classmethod
    def of(cls, content_type: str) -> ImageFormat:
        for image_format in cls:
            if image_format.content_type == content_type:
                return image_format
        raise ValueError(f"not an accepted image type: {content_type}")


def detect(head: bytes) -> ImageFormat | None:
    """The format the signature at the start of a file announces, if it is one we accept."""
    if head.startswith(b"\xff\xd8\xff"):
        return ImageFormat.JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return ImageFormat.PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return ImageFormat.WEBP
    return None


def header_is_valid(source: BinaryIO, image_format: ImageFormat) -> bool:
    """Whether Pillow reads `source`'s header as `image_format` (too many pixels still
    counts as valid: the thumbnail job turns that into a `failed` media with its reason)."""
    try:
        with Image.open(source, formats=[image_format.pillow_name]) as image:
            return image.format == image_format.pillow_name
    except Image.DecompressionBombError:
        return True
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        return False
