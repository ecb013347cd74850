"""Photos people upload from their phones: checked, cleaned and resized before storage.

A phone photo is a few megabytes with the place it was taken in its EXIF; what
the site needs is a modest JPEG without any metadata. Every upload is decoded
by Pillow (the type is what the bytes are, never what the name says) and
re-encoded from pixels only, so no metadata can survive.
"""

import io
import secrets
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
MAX_UPLOAD_BYTES = 8 * 1024 * 1024
# 40 megapixels is more than any phone camera delivers; a larger image is
# almost certainly a decompression bomb (a small file that unpacks to gigabytes).
MAX_PIXELS = 40_000_000
# Pillow's own guard: it warns above this and refuses above twice this.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

PHOTO_MAX_SIDE = 1600
THUMBNAIL_SIDE = 400
LOGO_MAX_SIDE = 512
JPEG_QUALITY = 85


@dataclass(frozen=True)
class ProcessedImage:
    """The cleaned image (and a square thumbnail, when asked for), ready to store."""

    content: ContentFile
    thumbnail: ContentFile | None
    width: int
    height: int


def process_image(
    upload, *, max_side: int = PHOTO_MAX_SIDE, thumbnail_side: int | None = THUMBNAIL_SIDE
) -> ProcessedImage:
    """Check an uploaded image and return it re-encoded as JPEG without metadata.

    Raises ValidationError (with a message for the person) when the file is too
    large, not a JPEG/PNG/WebP image, broken, or too many pixels.
    """
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The photo is larger than %(limit)s MB; choose a smaller one."),
            code="image_too_large",
            params={"limit": MAX_UPLOAD_BYTES // (1024 * 1024)},
        )
    image = _decode(upload, max_side=max_side)
    # Phones store pictures sideways with an "orientation" tag; turn the pixels
    # instead, since the tag is about to be dropped with the rest of the EXIF.
    image = ImageOps.exif_transpose(image)
    image = _rgb(image)
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    thumbnail = None
    if thumbnail_side:
        square = ImageOps.fit(image, (thumbnail_side, thumbnail_side), Image.Resampling.LANCZOS)
        thumbnail = _jpeg(square)
    return ProcessedImage(
        content=_jpeg(image), thumbnail=thumbnail, width=image.width, height=image.height
    )


def stored_name(prefix: str = "") -> str:
    """A fresh unguessable file name: the uploader's file name says nothing we keep."""
    return f"{prefix}{secrets.token_urlsafe(12)}.jpg"


def _decode(upload, *, max_side: int) -> Image.Image:
    invalid = ValidationError(
        _("This file is not a photo we can use: upload a JPEG, PNG or WebP image."),
        code="image_invalid",
    )
    bomb = ValidationError(
        _("The photo has too many pixels (more than %(limit)s megapixels)."),
        code="image_too_many_pixels",
        params={"limit": MAX_PIXELS // 1_000_000},
    )
    upload.seek(0)
    with warnings.catch_warnings():
        # Above MAX_IMAGE_PIXELS Pillow only warns; make that a refusal too.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(upload, formats=ACCEPTED_FORMATS)
            # Checked before decoding: the header says how big the pixels will be.
            if image.width * image.height > MAX_PIXELS:
                raise bomb
            if image.format == "JPEG":
                # Let the JPEG decoder scale down while decoding: far less memory.
                image.draft("RGB", (max_side, max_side))
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise bomb from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise invalid from None
    return image


def _rgb(image: Image.Image) -> Image.Image:
    """Opaque RGB: a transparent PNG gets a white background (JPEG has no alpha)."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _jpeg(image: Image.Image) -> ContentFile:
    buffer = io.BytesIO()
    # No exif=, icc_profile= or comment=: only pixels are written.
    image.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return ContentFile(buffer.getvalue())
