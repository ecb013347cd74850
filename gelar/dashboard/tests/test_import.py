from django.urls import reverse

from gelar.audit.models import AuditEntry
from gelar.catalog.models import Product
from gelar.catalog.tests.files import csv_bytes, upload, xlsx_bytes
from gelar.dashboard.tests.conftest import db_state

HEADER = ("nama", "deskripsi", "harga", "sku", "stok", "aktif")


def _post(client, team, data: bytes, name: str = "produk.xlsx"):
    url = reverse("dashboard:product_import", args=[team.business.slug])
    return client.post(url, {"file": upload(name, data, "application/octet-stream")})


def test_template_downloads_in_both_formats_and_imports_as_is(client, team):
    client.force_login(team.staff)
    for fmt, content_type in (
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("csv", "text/csv; charset=utf-8"),
    ):
        url = reverse("dashboard:product_import_template", args=[team.business.slug, fmt])
        response = client.get(url)
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"] == f'attachment; filename="gelar-produk.{fmt}"'
    template = client.get(
        reverse("dashboard:product_import_template", args=[team.business.slug, "xlsx"])
    ).content
    response = _post(client, team, template)
    assert response.status_code == 302
    names = set(Product.objects.filter(exhibitor=team.business).values_list("name", flat=True))
    assert names == {
        "Kemeja Batik",
        "Kemeja Batik Tulis",
        "Amplang Ikan Tenggiri 250 g",
        "Selendang Sutra",
    }
    assert (
        client.get(
            reverse("dashboard:product_import_template", args=[team.business.slug, "exe"])
        ).status_code
        == 404
    )


def test_import_creates_and_updates_by_sku_and_says_so(client, team):
    client.force_login(team.owner)
    data = xlsx_bytes(
        [
            HEADER,
            ("Kemeja Batik Lengan Pendek", "", "175.000", "BTK-1", 4, "ya"),
            ("Tas Batik", "Tas jinjing", 85000, "TAS-1", 12, "tidak"),
        ]
    )
    response = _post(client, team, data)
    assert response.status_code == 302
    updated = Product.objects.get(pk=team.product.pk)
    assert (updated.name, updated.price, updated.stock) == ("Kemeja Batik Lengan Pendek", 175000, 4)
    bag = Product.objects.get(exhibitor=team.business, sku="TAS-1")
    assert (bag.price, bag.stock, bag.is_active) == (85000, 12, False)
    follow = client.get(reverse("dashboard:products", args=[team.business.slug]))
    shown = [str(message) for message in follow.context["messages"]]
    assert len(shown) == 2 and "Kemeja Batik Lengan Pendek" in shown[1]
    assert AuditEntry.objects.get(action="product.price").changes == {"price": [150000, 175000]}
    assert AuditEntry.objects.get(action="product.stock").changes == {"stock": [10, 4]}
    assert AuditEntry.objects.get(action="product.import").changes == {"created": 1, "updated": 1}


def test_two_bad_rows_among_five_are_both_reported_and_nothing_is_imported(client, team):
    client.force_login(team.owner)
    data = xlsx_bytes(
        [
            HEADER,
            ("Produk A", "", 10000, "A-1", 1, "ya"),  # row 2
            ("Produk B", "", 12.5, "B-1", 1, "ya"),  # row 3: decimals
            ("Produk C", "", 30000, "C-1", 3, "ya"),  # row 4
            ("Produk D", "", 40000, "D-1", -2, "ya"),  # row 5: negative stock
            ("Produk E", "", 50000, "E-1", 5, "ya"),  # row 6
        ]
    )
    before = db_state()
    response = _post(client, team, data)
    assert response.status_code == 200
    errors = response.context["errors"]
    assert [(error.row, error.code) for error in errors] == [
        (3, "price_decimal"),
        (5, "stock_invalid"),
    ]
    page = response.content.decode()
    assert str(errors[0]).startswith("Baris 3: ") or str(errors[0]).startswith("Row 3: ")
    assert str(errors[0]) in page and str(errors[1]) in page
    assert db_state() == before


def test_wrong_columns_are_one_clear_error(client, team):
    client.force_login(team.owner)
    data = csv_bytes([("name", "price", "qty"), ("Kemeja", "150000", "3")])
    before = db_state()
    response = _post(client, team, data, "produk.csv")
    assert response.status_code == 200
    errors = response.context["errors"]
    assert [(error.row, error.code) for error in errors] == [(None, "wrong_columns")]
    assert "nama, harga, stok" in errors[0].message
    assert db_state() == before


def test_semicolon_csv_from_indonesian_excel_imports(client, team):
    client.force_login(team.owner)
    data = csv_bytes(
        [("nama", "harga", "stok"), ("Kopi Bubuk 200 g", "Rp35.000", "20")], delimiter=";"
    )
    assert _post(client, team, data, "produk.csv").status_code == 302
    coffee = Product.objects.get(exhibitor=team.business, name="Kopi Bubuk 200 g")
    assert (coffee.price, coffee.stock, coffee.is_active, coffee.sku) == (35000, 20, True, "")


def test_a_picture_renamed_xlsx_is_refused(client, team):
    client.force_login(team.owner)
    before = db_state()
    response = _post(client, team, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "produk.xlsx")
    assert response.status_code == 200
    assert [error.code for error in response.context["errors"]] == ["file_unreadable"]
    assert db_state() == before
