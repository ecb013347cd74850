import pytest
from django.core.exceptions import ValidationError

from gelar.common.text import normalize_search_text, search_terms
from gelar.common.validators import normalize_whatsapp, validate_nib, validate_whatsapp


@pytest.mark.parametrize(
    "raw",
    ["0812-3456-7890", "+62 812 3456 7890", "6281234567890", "812 3456 7890", "(0812) 34567890"],
)
def test_whatsapp_numbers_are_normalised_to_international_form(raw):
    assert normalize_whatsapp(raw) == "6281234567890"


@pytest.mark.parametrize(
    "raw", ["", "021-555-1234", "0812", "08123456789012345", "abc", "+1 555 0100"]
)
def test_non_mobile_numbers_are_refused(raw):
    with pytest.raises(ValidationError):
        normalize_whatsapp(raw)


def test_stored_whatsapp_must_be_normalised():
    validate_whatsapp("6281234567890")
    with pytest.raises(ValidationError):
        validate_whatsapp("081234567890")


def test_nib_has_thirteen_digits():
    validate_nib("9120001234567")
    for bad in ("912000123456", "91200012345678", "91200012345a7"):
        with pytest.raises(ValidationError):
            validate_nib(bad)


def test_search_text_folds_case_accents_and_punctuation():
    assert normalize_search_text("Batik Tulis — Pekalongan!", "Kopi Café") == (
        " batik tulis pekalongan kopi cafe "
    )
    assert normalize_search_text("") == ""


def test_search_terms_are_bounded_and_deduplicated():
    assert search_terms("  Batik  batik BATIK tulis ") == ["batik", "tulis"]
    assert search_terms("%_'\";--\x00") == []
    assert len(search_terms(" ".join(f"w{i}" for i in range(50)))) == 8
    assert search_terms("x" * 100) == ["x" * 40]
