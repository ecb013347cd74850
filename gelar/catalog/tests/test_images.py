import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from gelar.catalog import images
from gelar.catalog.tests.files import gps_exif, header_only_png, jpeg_bytes, png_bytes, upload


def _codes(error: ValidationError) -> list[str]:
    return [e.code for e in error.error_list]


def test_phone_photo_is_turned_upright_resized_and_stripped_of_exif():
    original = jpeg_bytes(size=(4000, 3000), exif=gps_exif(orientation=6))
    with Image.open(io.BytesIO(original)) as source:
        assert source.getexif().get_ifd(0x8825)  # the test photo does carry a location
    result = images.process_image(upload("IMG_2021.jpg", original))
    with Image.open(io.BytesIO(result.content.read())) as photo:
        assert photo.format == "JPEG"
        assert photo.size == (1200, 1600)  # portrait after the turn, 1600 px at most
        assert dict(photo.getexif()) == {}
        assert photo.getexif().get_ifd(0x8825) == {}
        assert not {"exif", "icc_profile", "comment"} & set(photo.info)
    with Image.open(io.BytesIO(result.thumbnail.read())) as thumbnail:
        assert thumbnail.size == (400, 400)
        assert dict(thumbnail.getexif()) == {}
    assert (result.width, result.height) == (1200, 1600)


def test_small_photo_is_not_enlarged_and_transparency_becomes_white():
    result = images.process_image(upload("logo.png", png_bytes(size=(60, 40)), "image/png"))
    with Image.open(io.BytesIO(result.content.read())) as photo:
        assert photo.size == (60, 40)
        assert photo.mode == "RGB"


def test_webp_is_accepted():
    buffer = io.BytesIO()
    Image.new("RGB", (50, 50), "green").save(buffer, "WEBP")
    result = images.process_image(upload("a.webp", buffer.getvalue(), "image/webp"))
    assert (result.width, result.height) == (50, 50)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"this is text, not a photo", "image_invalid"),
        (b"%PDF-1.4\n", "image_invalid"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image_invalid"),  # a GIF: not accepted
        (jpeg_bytes()[:100], "image_invalid"),  # cut short
        (header_only_png(100_000, 100_000), "image_too_many_pixels"),  # Pillow's own guard
        (header_only_png(7000, 6000), "image_too_many_pixels"),  # 42 MP: our check
    ],
    ids=["text", "pdf", "gif", "truncated", "bomb", "over-40-megapixels"],
)
def test_bad_files_are_refused(data, code):
    with pytest.raises(ValidationError) as caught:
        images.process_image(upload("photo.jpg", data))
    assert _codes(caught.value) == [code]


def test_too_large_file_is_refused_before_decoding():
    data = jpeg_bytes() + b"\x00" * images.MAX_UPLOAD_BYTES
    with pytest.raises(ValidationError) as caught:
        images.process_image(upload("big.jpg", data))
    assert _codes(caught.value) == ["image_too_large"]


def test_pillow_bomb_warning_is_a_refusal_too(monkeypatch):
    """Between MAX_IMAGE_PIXELS and twice that, Pillow only warns: that is refused too."""
    monkeypatch.setattr(images, "MAX_PIXELS", 10**12)  # our own check out of the way
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 5000)
    with pytest.raises(ValidationError) as caught:
        images.process_image(upload("p.jpg", jpeg_bytes(size=(80, 80))))  # 6,400 px
    assert _codes(caught.value) == ["image_too_many_pixels"]
