import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gelar.catalog import imports
from gelar.catalog.tests.files import csv_bytes, upload, xlsx_bytes


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("150.000", 150000),
        ("150000", 150000),
        ("Rp150.000", 150000),
        ("Rp 150.000", 150000),
        ("rp. 1.500.000", 1500000),
        ("IDR 25000", 25000),
        ("150.000,-", 150000),
        ("150.000,00", 150000),
        ("0", 0),
        (150000, 150000),
        (150000.0, 150000),
    ],
)
def test_parse_rupiah_accepts_whole_rupiah(raw, value):
    assert imports.parse_rupiah(raw) == value


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("12,5", "price_decimal"),
        ("12.5", "price_decimal"),
        ("150.000,50", "price_decimal"),
        (12.5, "price_decimal"),
        ("-5000", "price_negative"),
        ("Rp-5.000", "price_negative"),
        (-1, "price_negative"),
        ("15.00.000", "price_invalid"),
        ("seratus ribu", "price_invalid"),
        ("1e5", "price_invalid"),
        ("9" * 20, "price_invalid"),
    ],
)
def test_parse_rupiah_refuses_what_is_not_whole_rupiah(raw, code):
    with pytest.raises(ValidationError) as caught:
        imports.parse_rupiah(raw)
    assert caught.value.code == code


def _read(data, name="produk.xlsx"):
    return imports.read_products(upload(name, data, "application/octet-stream"))


def test_rows_are_read_from_xlsx_with_their_row_numbers():
    data = xlsx_bytes(
        [
            ("Nama", "Harga", "Stok", "SKU", "Aktif", "Deskripsi"),  # any order, any case
            ("Kemeja", 150000, 3, "K-1", "ya", "Katun"),
            (None, None, None, None, None, None),  # a blank line is skipped
            ("Sarung", "Rp 80.000", "0", "", "tidak", None),
        ]
    )
    result = _read(data)
    assert result.errors == []
    assert [(r.row, r.name, r.price, r.stock, r.sku, r.is_active) for r in result.rows] == [
        (2, "Kemeja", 150000, 3, "K-1", True),
        (4, "Sarung", 80000, 0, "", False),
    ]


def test_every_bad_row_is_reported_with_its_number_and_no_row_is_returned():
    data = csv_bytes(
        [
            ("nama", "harga", "stok", "sku", "aktif"),
            ("", "1000", "1", "", "ya"),  # 2: no name
            ("B", "12,5", "1", "", "ya"),  # 3: decimals
            ("C", "1000", "x", "", "ya"),  # 4: stock not a number
            ("D", "1000", "1", "S-1", "mungkin"),  # 5: active?
            ("E", "1000", "1", "S-1", "ya"),  # 6: SKU repeated (5 had it)
            ("F", "", "1", "", ""),  # 7: no price
            ("G", "1000", "1", "", ""),  # 8: fine
        ]
    )
    result = _read(data, "produk.csv")
    assert result.rows == []
    assert [(e.row, e.code) for e in result.errors] == [
        (2, "name_missing"),
        (3, "price_decimal"),
        (4, "stock_invalid"),
        (5, "active_invalid"),
        (6, "sku_repeated"),
        (7, "price_missing"),
    ]


@pytest.mark.parametrize(
    ("header", "problem", "columns"),
    [
        (("nama", "harga"), "missing", "stok"),
        (("nama", "harga", "stok", "warna"), "unknown", "warna"),
        (("nama", "harga", "stok", "stok"), "twice", "stok"),
    ],
)
def test_wrong_columns_are_one_error(header, problem, columns):
    fragment = {
        "missing": _("missing: %(columns)s"),
        "unknown": _("unknown: %(columns)s"),
        "twice": _("twice: %(columns)s"),
    }[problem] % {"columns": columns}
    result = _read(csv_bytes([header, ["x"] * len(header)]), "p.csv")
    assert [(e.row, e.code) for e in result.errors] == [(None, "wrong_columns")]
    assert fragment in result.errors[0].message


def test_too_many_rows_and_too_big_files_are_refused(monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 3)
    rows = [("nama", "harga", "stok")] + [(f"P{i}", 1000, 1) for i in range(4)]
    assert [e.code for e in _read(xlsx_bytes(rows)).errors] == ["too_many_rows"]
    monkeypatch.setattr(imports, "MAX_FILE_BYTES", 100)
    assert [e.code for e in _read(b"nama,harga,stok\n" + b"x" * 200, "p.csv").errors] == [
        "file_too_large"
    ]


def test_unreadable_files_are_one_error():
    assert [e.code for e in _read(b"PK\x03\x04 broken zip").errors] == ["file_unreadable"]
    assert [e.code for e in _read(b"\x00\x01\x02binary", "p.csv").errors] == ["file_unreadable"]
    assert [e.code for e in _read(b"", "p.csv").errors] == ["file_empty"]


def test_templates_hold_the_columns_and_read_back_cleanly():
    for data, name in ((imports.template_xlsx(), "t.xlsx"), (imports.template_csv(), "t.csv")):
        result = _read(data, name)
        assert result.errors == []
        assert [row.name for row in result.rows] == [row[0] for row in imports.EXAMPLE_ROWS]
