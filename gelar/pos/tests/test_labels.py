"""Product labels: the QR code and the barcode decode to label_code (zbar), the
layouts have the right page sizes and counts, and bad requests are refused."""

import os
import re
import shutil
import subprocess

import pytest

from gelar.pos.labels import LabelError, labels_pdf
from gelar.pos.services import label_code, parse_label_code
from gelar.testing import build_expo, decode_qr_png, make_product
from gelar.tickets.tests.test_documents import pdf_images, png_of

pytestmark = pytest.mark.django_db


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b(?!s)", pdf))


def test_every_qr_on_the_a4_sheet_decodes_to_its_product(tmp_path):
    world = build_expo()
    products = [world.shirt, world.sold_out]
    pdf = labels_pdf(products=products, layout="a4", copies=2)
    assert re.search(rb"/MediaBox \[ 0 0 595\.2756 841\.8898 \]", pdf)
    assert pages(pdf) == 1
    # ReportLab stores an image drawn twice once: one QR code per product.
    images = pdf_images(pdf)
    codes = [code for image in images for code in decode_qr_png(png_of(image), tmp_path)]
    assert codes == [label_code(world.shirt), label_code(world.sold_out)]
    assert [parse_label_code(c) for c in codes] == [world.shirt.pk, world.sold_out.pk]


def test_a_sheet_holds_24_labels_and_the_roll_one_per_page():
    world = build_expo()
    assert pages(labels_pdf(products=[world.shirt], layout="a4", copies=20)) == 1
    products = [world.shirt, world.sold_out]
    assert pages(labels_pdf(products=products, layout="a4", copies=13)) == 2  # 26 labels
    roll = labels_pdf(products=products, layout="58mm", copies=3)
    assert pages(roll) == 6
    # 58 x 40 mm in points.
    assert re.search(rb"/MediaBox \[ 0 0 164\.4094 113\.3858 \]", roll)


def test_the_barcode_decodes_too(tmp_path):
    pdftoppm, zbarimg = shutil.which("pdftoppm"), shutil.which("zbarimg")
    if not (pdftoppm and zbarimg):
        if os.environ.get("CI"):
            pytest.fail("pdftoppm or zbarimg missing: .ci/run installs poppler-utils, zbar-tools")
        pytest.skip("pdftoppm (poppler-utils) and zbarimg (zbar-tools) are needed")
    world = build_expo()
    for layout in ("a4", "58mm"):
        path = tmp_path / f"{layout}.pdf"
        path.write_bytes(labels_pdf(products=[world.shirt], layout=layout))
        subprocess.run(
            [
                pdftoppm,
                "-r",
                "300",
                "-gray",
                "-png",
                "-singlefile",
                str(path),
                str(tmp_path / layout),
            ],
            check=True,
            timeout=60,
        )
        found = subprocess.run(
            [
                zbarimg,
                "--raw",
                "-q",
                "-Sdisable",
                "-Scode128.enable",
                str(tmp_path / f"{layout}.png"),
            ],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert found.stdout.splitlines() == [label_code(world.shirt)]


def test_long_and_foreign_names_and_big_prices_do_not_break_the_pdf():
    world = build_expo()
    odd = make_product(
        exhibitor=world.batik,
        name="Kain Batik Tulis Pesisiran Motif Jlamprang Warna Alam Édition 王 🎉 " * 3,
        price=1_250_000_000,
        sku="BTK-ÉDITION-01",
        images=0,
    )
    for layout in ("a4", "58mm"):
        assert labels_pdf(products=[odd], layout=layout).startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"layout": "a5"}, "layout"),
        ({"copies": 0}, "copies"),
        ({"copies": 21}, "copies"),
        ({"products": []}, "products"),
    ],
)
def test_bad_requests_are_refused(kwargs, code):
    world = build_expo()
    with pytest.raises(LabelError) as error:
        labels_pdf(**{"products": [world.shirt], **kwargs})
    assert error.value.code == code


def test_too_many_labels_at_once_are_refused():
    world = build_expo()
    with pytest.raises(LabelError) as error:
        labels_pdf(products=[world.shirt] * 101, copies=20)
    assert error.value.code == "too_many"
