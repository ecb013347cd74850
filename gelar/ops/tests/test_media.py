"""Uploads served by the app: never a page, never sniffed, non-images downloaded."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

from gelar.ops.tests.test_security import run


@pytest.fixture
def media():
    root = Path(settings.MEDIA_ROOT) / "ops-test"
    root.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "JPEG")
    (root / "foto.jpg").write_bytes(buffer.getvalue())
    (root / "jebakan.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    )
    (root / "jebakan.html").write_text("<script>alert(1)</script>")
    return "/media/ops-test"


def test_a_photo_is_shown_but_sandboxed(client, media):
    response = client.get(f"{media}/foto.jpg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Disposition"] == 'inline; filename="foto.jpg"'


@pytest.mark.parametrize("name", ["jebakan.svg", "jebakan.html"])
def test_anything_else_is_downloaded_and_sandboxed(client, media, name):
    response = client.get(f"{media}/{name}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == "attachment"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_missing_file_is_404(client, media, db):
    assert client.get(f"{media}/tidak-ada.jpg").status_code == 404


def test_private_files_inside_media_stop_the_start(tmp_path):
    done = run(
        ["-c", "import django; django.setup()"],
        {
            "DEBUG": "1",
            "MEDIA_ROOT": str(tmp_path / "media"),
            "PRIVATE_MEDIA_ROOT": str(tmp_path / "media" / "private"),
        },
        tmp_path,
    )
    assert done.returncode != 0
    assert "PRIVATE_MEDIA_ROOT must be outside MEDIA_ROOT." in done.stderr
