"""Images made by the tests themselves (nothing binary is checked in)."""

from __future__ import annotations

import io

from PIL import ExifTags, Image, ImageDraw

ORIENTATION = 0x0112
ROTATE_90_CLOCKWISE = 6  # EXIF: the camera was held sideways; display turned a quarter right
GPS = {1: "N", 2: (52.0, 22.0, 30.0), 3: "E", 4: (4.0, 53.0, 0.0)}


def photo(width: int = 1600, height: int = 1200) -> Image.Image:
    """Something photo-like: smooth gradients with grain (compresses like a real photo)."""
    gradient = Image.linear_gradient("L").resize((width, height))
    radial = Image.radial_gradient("L").resize((width, height))
    grain = Image.effect_noise((width, height), 40)
    return Image.merge("RGB", (gradient, radial, Image.blend(gradient, grain, 0.5)))


def encode(image: Image.Image, format_name: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format_name, **options)
    return out.getvalue()


def jpeg(width: int = 1600, height: int = 1200) -> bytes:
    return encode(photo(width, height), "JPEG", quality=90)


def png(width: int = 800, height: int = 600) -> bytes:
    return encode(photo(width, height), "PNG")


def webp(width: int = 1200, height: int = 800) -> bytes:
    return encode(photo(width, height), "WEBP", quality=85)


def transparent_png(width: int = 600, height: int = 400) -> bytes:
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    image.paste((200, 30, 30, 255), (0, 0, width // 2, height))
    return encode(image, "PNG")


def sideways_phone_photo(width: int = 1200, height: int = 600) -> bytes:
    """Stored landscape, left half red and right half blue, with an EXIF orientation that
    turns it a quarter right (so red ends up on top) and the camera's GPS position."""
    image = Image.new("RGB", (width, height), (220, 20, 20))
    image.paste((20, 20, 220), (width // 2, 0, width, height))
    exif = Image.Exif()
    exif[ORIENTATION] = ROTATE_90_CLOCKWISE
    exif[ExifTags.Base.Make] = "PhoneCo"
    exif[ExifTags.IFD.GPSInfo] = GPS
    return encode(image, "JPEG", quality=92, exif=exif)


def decompression_bomb(side: int = 8000) -> bytes:
    """A tiny PNG that would decode to `side` x `side` pixels (64 million by default)."""
    return encode(Image.new("1", (side, side)), "PNG", optimize=True)


def truncated_jpeg() -> bytes:
    whole = jpeg(1200, 900)
    return whole[: len(whole) // 2]


def open_image(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def secret_photo(width: int = 1600, height: int = 1200) -> bytes:
    """Detail a blurred preview must not keep: bold stripes over a red and a blue half."""
    image = Image.new("RGB", (width, height), (200, 40, 40))
    image.paste((40, 40, 200), (width // 2, 0, width, height))
    draw = ImageDraw.Draw(image)
    for x in range(0, width, 40):
        draw.rectangle((x, 0, x + 19, height // 2), fill=(255, 255, 255))
    for y in range(height // 2, height, 40):
        draw.rectangle((0, y, width // 2, y + 19), fill=(0, 0, 0))
    return encode(image, "PNG")
