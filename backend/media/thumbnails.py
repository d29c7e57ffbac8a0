"""The image work: an uploaded original in, small metadata-free derivatives out.

Fast because it never decodes more pixels than the largest derivative needs: JPEGs are
decoded straight at 1/2, 1/4 or 1/8 scale (libjpeg's DCT scaling through `draft`), and
other formats are shrunk with `reduce` (box averaging by an integer factor) before the
final Lanczos resample. Orientation is applied on the small image, where it is cheap.

Each render also makes the blurred preview shown in place of a locked post's photos: the
image shrunk to PREVIEW_SOURCE px (so little is left that nothing can be recovered), then
blurred and scaled up to PREVIEW_SIZE px, as WebP. It reveals nothing, so it is public.

Pure functions over a binary file: the worker calls `render`, and so does `make bench`.
"""

from __future__ import annotations

import io
import math
import struct
import warnings
from dataclasses import dataclass
from typing import BinaryIO

from PIL import Image, ImageFilter, ImageOps, UnidentifiedImageError

from backend.media.sniff import ImageFormat

SIZES = (960, 320)  # long side in pixels, largest first: each is made from the one before
WEBP_QUALITY = 80
JPEG_QUALITY = 85
WEBP_METHOD = 2  # libwebp effort: 2.7x faster than the default 4 for ~4% more bytes
PREVIEW_SOURCE = 16  # long side of what the preview is made from: all the detail it keeps
PREVIEW_SIZE = 320  # long side of the preview as shown
PREVIEW_TINY_BLUR = 1.0  # Gaussian radius on the tiny image, in its pixels
PREVIEW_BLUR = 6.0  # and on the scaled-up one: no blocky edges of the tiny pixels
ORIENTATION_TAG = 0x0112
SIDEWAYS_ORIENTATIONS = {5, 6, 7, 8}  # rotated a quarter turn: width and height swap
# Pillow signals broken files with these (truncated data, bad markers, bad chunk sizes).
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error)


@dataclass(frozen=True)
class Output:
    content_type: str
    extension: str


OUTPUTS = {"WEBP": Output("image/webp", "webp"), "JPEG": Output("image/jpeg", "jpg")}


class BadImage(Exception):
    """The file cannot be made into thumbnails; `str(error)` is the reason shown to users."""


@dataclass(frozen=True)
class Derivative:
    size: int  # the long side it was made for
    data: bytes
    width: int
    height: int
    output: Output

    @property
    def content_type(self) -> str:
        return self.output.content_type


@dataclass(frozen=True)
class Rendered:
    width: int  # of the original, as displayed (after its EXIF orientation)
    height: int
    derivatives: list[Derivative]
    preview: Derivative | None = None  # the blurred preview (made by every render)


def render(
    source: BinaryIO, image_format: ImageFormat, *, max_pixels: int, sizes: tuple[int, ...] = SIZES
) -> Rendered:
    """Decode `source` no larger than needed and encode one derivative per size."""
    # Pillow's own guard is process-wide; keep it in step with ours (the worker and the
    # benchmark only ever use one limit).
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return _render(source, image_format, max_pixels, sorted(sizes, reverse=True))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise BadImage(_too_large(max_pixels)) from None
    except UnidentifiedImageError:
        raise BadImage(f"The file is not a readable {image_format.label} image.") from None
    except MemoryError:
        raise BadImage("The image is too large to process.") from None
    except DECODE_ERRORS as error:
        raise BadImage(f"The image is corrupt or incomplete ({_describe(error)}).") from None


def _render(
    source: BinaryIO, image_format: ImageFormat, max_pixels: int, sizes: list[int]
) -> Rendered:
    with Image.open(source, formats=[image_format.pillow_name]) as image:
        if image.width * image.height > max_pixels:
            raise BadImage(_too_large(max_pixels))
        width, height = _displayed_size(image)
        working = decode_upright(image, sizes[0])
    derivatives = []
    for size in sizes:
        working = _shrink(working, size)
        derivatives.append(_encode(working, size))
    return Rendered(width, height, derivatives, blurred_preview(working))


def render_preview(source: BinaryIO, image_format: ImageFormat, *, max_pixels: int) -> Derivative:
    """The blurred preview of an image (for media made before previews were): a
    thumbnail is enough, it is decoded no larger than the preview needs."""
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source, formats=[image_format.pillow_name]) as image:
                if image.width * image.height > max_pixels:
                    raise BadImage(_too_large(max_pixels))
                working = decode_upright(image, PREVIEW_SIZE)
            return blurred_preview(working)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise BadImage(_too_large(max_pixels)) from None
    except UnidentifiedImageError:
        raise BadImage(f"The file is not a readable {image_format.label} image.") from None
    except DECODE_ERRORS as error:
        raise BadImage(f"The image is corrupt or incomplete ({_describe(error)}).") from None


def blurred_preview(image: Image.Image) -> Derivative:
    """PREVIEW_SOURCE px on the long side, blurred, scaled up to PREVIEW_SIZE: the colours
    and the rough layout, no detail. WebP (with transparency where the image has it)."""
    tiny = _shrink(image, PREVIEW_SOURCE).filter(ImageFilter.GaussianBlur(PREVIEW_TINY_BLUR))
    ratio = PREVIEW_SIZE / max(image.size)
    target = (max(1, round(image.width * ratio)), max(1, round(image.height * ratio)))
    shown = tiny.resize(target, Image.Resampling.BICUBIC)
    shown = shown.filter(ImageFilter.GaussianBlur(PREVIEW_BLUR))
    data, output = encode_as(shown, "WEBP")
    return Derivative(PREVIEW_SIZE, data, shown.width, shown.height, output)


def _displayed_size(image: Image.Image) -> tuple[int, int]:
    orientation = image.getexif().get(ORIENTATION_TAG)
    if orientation in SIDEWAYS_ORIENTATIONS:
        return image.height, image.width
    return image.width, image.height


def decode_upright(image: Image.Image, long_side: int) -> Image.Image:
    """The pixels, upright, decoded at the smallest scale that still covers `long_side`."""
    scale = long_side / max(image.size)
    if scale < 1:
        # Ask for the box the target needs; JPEG picks the largest DCT scale that covers it.
        image.draft("RGB", (math.ceil(image.width * scale), math.ceil(image.height * scale)))
    image.load()
    upright = _normalise_mode(ImageOps.exif_transpose(image))
    # What the source said about itself stays behind; only its colour profile travels on.
    profile = upright.info.get("icc_profile")
    upright.info = {"icc_profile": profile} if profile else {}
    return upright


def _normalise_mode(image: Image.Image) -> Image.Image:
    """RGB, or RGBA when the image has transparency (all that WebP and JPEG can hold)."""
    if image.mode in ("RGB", "RGBA"):
        return image
    has_alpha = image.mode in ("LA", "La", "PA", "RGBa") or "transparency" in image.info
    if image.mode.startswith("I;16") or image.mode == "I":
        image = image.point(lambda value: value / 257).convert("L")
    return image.convert("RGBA" if has_alpha else "RGB")


def _shrink(image: Image.Image, long_side: int) -> Image.Image:
    """Fit within `long_side` x `long_side` (never enlarged), reducing by integer factors
    first so that the Lanczos pass only ever sees about twice the target's pixels."""
    ratio = long_side / max(image.size)
    if ratio >= 1:
        return image
    target = (max(1, round(image.width * ratio)), max(1, round(image.height * ratio)))
    return image.resize(target, Image.Resampling.LANCZOS, reducing_gap=2.0)


def _encode(image: Image.Image, size: int) -> Derivative:
    """WebP, or JPEG where that comes out smaller (it keeps no transparency, so only for
    opaque images)."""
    candidates = [encode_as(image, "WEBP")]
    if image.mode == "RGB":
        candidates.append(encode_as(image, "JPEG"))
    data, output = min(candidates, key=lambda candidate: len(candidate[0]))
    return Derivative(size, data, image.width, image.height, output)


def encode_as(image: Image.Image, format_name: str) -> tuple[bytes, Output]:
    """The image as WEBP or JPEG with only its pixels and its colour profile: no EXIF (so
    no GPS position), no XMP, no comment. Pillow would otherwise copy some of what the
    source carried (a JPEG's comment, for one), so every one is set empty here."""
    out = io.BytesIO()
    options: dict[str, object]
    if format_name == "WEBP":
        options = {"quality": WEBP_QUALITY, "method": WEBP_METHOD}
    else:
        options = {"quality": JPEG_QUALITY, "optimize": True, "progressive": True, "comment": b""}
    icc_profile = image.info.get("icc_profile") or b""
    image.save(out, format_name, icc_profile=icc_profile, exif=b"", xmp=b"", **options)
    return out.getvalue(), OUTPUTS[format_name]


def _too_large(max_pixels: int) -> str:
    return f"The image has more than {max_pixels / 1e6:g} million pixels."


def _describe(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text[:120]
