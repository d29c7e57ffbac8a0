"""The image work on its own: sizes, shrink-on-load, colour modes, hostile files."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from backend.media import thumbnails
from backend.media.sniff import ImageFormat, detect
from tests.media import images

MAX_PIXELS = 50_000_000


def render(data: bytes, image_format: ImageFormat, **options: int) -> thumbnails.Rendered:
    return thumbnails.render(
        io.BytesIO(data), image_format, max_pixels=options.get("max_pixels", MAX_PIXELS)
    )


def sizes(rendered: thumbnails.Rendered) -> dict[int, tuple[int, int]]:
    return {item.size: (item.width, item.height) for item in rendered.derivatives}


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((4000, 3000), {960: (960, 720), 320: (320, 240)}),
        ((900, 1800), {960: (480, 960), 320: (160, 320)}),
        ((3000, 100), {960: (960, 32), 320: (320, 11)}),
        ((200, 150), {960: (200, 150), 320: (200, 150)}),  # never enlarged
    ],
)
def test_derivative_sizes(size: tuple[int, int], expected: dict[int, tuple[int, int]]) -> None:
    rendered = render(images.jpeg(*size), ImageFormat.JPEG)
    assert (rendered.width, rendered.height) == size
    assert sizes(rendered) == expected
    for item in rendered.derivatives:
        assert Image.open(io.BytesIO(item.data)).size == (item.width, item.height)


def test_large_jpegs_are_decoded_at_a_reduced_scale() -> None:
    with Image.open(io.BytesIO(images.jpeg(4000, 3000))) as image:
        decoded = thumbnails.decode_upright(image, 960)
    # libjpeg's 1/4 DCT scaling: a quarter of the width, a sixteenth of the pixels.
    assert decoded.size == (1000, 750)


def test_photos_come_out_as_the_smaller_of_webp_and_jpeg() -> None:
    rendered = render(images.jpeg(1600, 1200), ImageFormat.JPEG)
    for item in rendered.derivatives:
        assert item.content_type in {"image/webp", "image/jpeg"}
        detected = detect(item.data[:12])
        assert detected is not None
        assert detected.content_type == item.content_type


@pytest.mark.parametrize(
    ("image", "format_name", "mode"),
    [
        pytest.param(Image.new("CMYK", (500, 400), (0, 255, 255, 0)), "JPEG", "RGB", id="cmyk"),
        pytest.param(Image.new("L", (500, 400), 128), "PNG", "RGB", id="grey"),
        pytest.param(Image.new("I;16", (500, 400), 40000), "PNG", "RGB", id="16-bit"),
        pytest.param(Image.new("LA", (500, 400), (90, 0)), "PNG", "RGBA", id="grey-alpha"),
        pytest.param(
            Image.new("RGBA", (500, 400), (0, 0, 0, 0)).convert("P"), "PNG", "RGBA", id="palette"
        ),
    ],
)
def test_colour_modes(image: Image.Image, format_name: str, mode: str) -> None:
    options = {"transparency": 0} if image.mode == "P" else {}
    data = images.encode(image, format_name, **options)
    rendered = render(data, ImageFormat[format_name])
    result = Image.open(io.BytesIO(rendered.derivatives[0].data))
    assert result.mode == mode
    assert result.size == (500, 400)


def test_cmyk_colour_is_kept() -> None:
    red = images.encode(Image.new("CMYK", (100, 100), (0, 255, 255, 0)), "JPEG")
    result = Image.open(io.BytesIO(render(red, ImageFormat.JPEG).derivatives[0].data))
    r, g, b = result.convert("RGB").getpixel((50, 50))  # type: ignore[misc]
    assert r > 200
    assert g < 60
    assert b < 60


def test_too_many_pixels_is_a_bad_image_without_decoding() -> None:
    bomb = images.decompression_bomb(4000)  # 16 million pixels
    with pytest.raises(thumbnails.BadImage, match="more than 10 million pixels"):
        render(bomb, ImageFormat.PNG, max_pixels=10_000_000)


def test_far_too_many_pixels_is_refused_while_reading_the_header() -> None:
    giant = images.decompression_bomb(5000)  # 25 million: Pillow itself raises here
    with pytest.raises(thumbnails.BadImage, match="more than 10 million pixels"):
        render(giant, ImageFormat.PNG, max_pixels=10_000_000)


@pytest.mark.parametrize(
    ("data", "image_format"),
    [
        pytest.param(images.truncated_jpeg(), ImageFormat.JPEG, id="truncated-jpeg"),
        pytest.param(images.png()[:5000], ImageFormat.PNG, id="truncated-png"),
        pytest.param(images.webp()[:3000], ImageFormat.WEBP, id="truncated-webp"),
        pytest.param(b"\xff\xd8\xff\xe0" + bytes(500), ImageFormat.JPEG, id="garbage"),
        pytest.param(images.png(), ImageFormat.JPEG, id="not-what-it-claims"),
    ],
)
def test_broken_files_are_bad_images_with_a_reason(data: bytes, image_format: ImageFormat) -> None:
    with pytest.raises(thumbnails.BadImage) as raised:
        render(data, image_format)
    assert str(raised.value)


def test_detection_reads_signatures_not_names() -> None:
    assert detect(images.jpeg(10, 10)[:12]) is ImageFormat.JPEG
    assert detect(images.png(10, 10)[:12]) is ImageFormat.PNG
    assert detect(images.webp(10, 10)[:12]) is ImageFormat.WEBP
    assert detect(b"GIF89a\x01\x00\x01\x00\x00\x00") is None
    assert detect(b"RIFF\x00\x00\x00\x00WAVE") is None
    assert detect(b"hello") is None
