"""A served thumbnail carries its pixels and colour profile, and nothing else of its source.

The files are read segment by segment (JPEG markers, WebP chunks), so a leak shows as the
segment itself, whatever a decoder would make of it.
"""

from __future__ import annotations

import io
import struct

import pytest
from PIL import ImageCms

from backend.media import thumbnails
from backend.media.sniff import ImageFormat
from tests.media import images

SECRET_COMMENT = b"shot at 12 Baker Street"
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22'
    b'-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" '
    b'dc:creator="Jane Private"/></rdf:RDF></x:xmpmeta>'
)
XMP_SIGNATURE = b"http://ns.adobe.com/xap/1.0/\x00"
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def jpeg_segments(data: bytes) -> list[tuple[int, bytes]]:
    """(marker, payload) of every segment before the image data."""
    assert data[:2] == b"\xff\xd8"
    found: list[tuple[int, bytes]] = []
    at = 2
    while at < len(data):
        marker = data[at + 1]
        if marker == 0xDA:  # start of scan: the pixels follow
            return found
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        found.append((marker, data[at + 4 : at + 2 + length]))
        at += 2 + length
    return found


def webp_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data[:4] == b"RIFF"
    assert data[8:12] == b"WEBP"
    found: list[tuple[bytes, bytes]] = []
    at = 12
    while at + 8 <= len(data):
        name, (size,) = data[at : at + 4], struct.unpack("<I", data[at + 4 : at + 8])
        found.append((name, data[at + 8 : at + 8 + size]))
        at += 8 + size + (size & 1)
    return found


def metadata_of(data: bytes) -> set[str]:
    """What a file carries besides pixels: `comment`, `exif`, `xmp`, `icc`, `iptc`."""
    if data[:4] == b"RIFF":
        names = {b"EXIF": "exif", b"XMP ": "xmp", b"ICCP": "icc"}
        return {names[name] for name, _ in webp_chunks(data) if name in names}
    kinds = set()
    for marker, payload in jpeg_segments(data):
        if marker == 0xFE:
            kinds.add("comment")
        elif marker == 0xE1 and payload.startswith(b"Exif\x00\x00"):
            kinds.add("exif")
        elif marker == 0xE1 and payload.startswith(XMP_SIGNATURE):
            kinds.add("xmp")
        elif marker == 0xE2 and payload.startswith(b"ICC_PROFILE\x00"):
            kinds.add("icc")
        elif marker == 0xED:
            kinds.add("iptc")
    return kinds


def source_jpeg() -> bytes:
    """A camera JPEG with a comment, XMP, EXIF (with a GPS position) and a colour profile."""
    exif = images.open_image(images.sideways_phone_photo()).getexif()
    data = images.encode(
        images.photo(1200, 900), "JPEG", quality=90, comment=SECRET_COMMENT, xmp=XMP,
        exif=exif, icc_profile=SRGB,
    )  # fmt: skip
    assert metadata_of(data) == {"comment", "xmp", "exif", "icc"}
    return data


def rendered(data: bytes, image_format: ImageFormat) -> list[bytes]:
    out = thumbnails.render(io.BytesIO(data), image_format, max_pixels=50_000_000)
    return [item.data for item in out.derivatives]


@pytest.mark.parametrize("output", ["JPEG", "WEBP"])
def test_each_output_format_keeps_only_the_colour_profile(output: str) -> None:
    with images.open_image(source_jpeg()) as source:
        working = thumbnails.decode_upright(source, 960)
    data, _ = thumbnails.encode_as(working, output)

    assert metadata_of(data) == {"icc"}
    assert SECRET_COMMENT not in data
    assert b"Jane Private" not in data


@pytest.mark.parametrize("segment", ["comment", "xmp", "exif"])
def test_no_served_thumbnail_carries_the_sources(segment: str) -> None:
    for data in rendered(source_jpeg(), ImageFormat.JPEG):
        assert segment not in metadata_of(data)
        assert "icc" in metadata_of(data)


def test_a_source_without_metadata_gives_thumbnails_without_any() -> None:
    for data in rendered(images.jpeg(1200, 900), ImageFormat.JPEG):
        assert metadata_of(data) == set()


def test_a_png_s_text_and_xmp_are_left_behind() -> None:
    source = images.encode(images.photo(800, 600), "PNG", pnginfo=_png_text())
    for data in rendered(source, ImageFormat.PNG):
        assert metadata_of(data) == set()
        assert b"Jane Private" not in data


def _png_text() -> object:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", SECRET_COMMENT.decode())
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    return info
