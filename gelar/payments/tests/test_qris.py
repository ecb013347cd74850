import re

import pytest
from django.utils.translation import gettext as t

from gelar.payments.qris import (
    QrisError,
    crc16_ccitt_false,
    crc_of,
    dynamic_qris,
    parse_tlv,
    qris_png,
    qris_svg,
    validate_dynamic_qris,
    validate_qris,
    validate_static_qris,
)
from gelar.testing import decode_qr_png, qr_svg_to_png

# Real QRIS codes of real merchants, as published:
# A static LinkAja/Telkom code of "BIOLBE", Kab. Malang: the README of
# github.com/terryds/qris-decoder (README.md and examples/qris-decoder.js;
# also on npmjs.com/package/@terryds/qris-decoder). It has a tip prompt (55=01)
# and a reference label set by the acquirer.
BIOLBE = (
    "00020101021126680016ID.CO.TELKOM.WWW011893600898026635207502150001952663520750303UMI"
    "51440014ID.CO.QRIS.WWW0215ID10211254059720303UMI5204549953033605502015802ID5906BIOLBE"
    "6011KAB. MALANG610565168622005091147938120703A03630404CB"
)
# A static ShopeePay code of "Gulu Gulu Mall Ambassador": the qrContent of the
# example in Netzme's API documentation,
# https://apidocs.netzme.id/api-reference/netzme/payment-qris-notification
GULU_GULU = (
    "00020101021126570016ID.CO.SHOPEE.WWW0118936009180000001402020413500303UME"
    "51440014ID.CO.QRIS.WWW0215ID10190045322970303UME5204581253033605802ID"
    "5925Gulu Gulu Mall Ambassador6015Jakarta Selatan61051294062070703A01630494FA"
)
# A GoPay code with an amount (Rp 200, 54=200) and a percentage convenience
# fee (55=03, 57=20), yet point of initiation 11: the qrContent of the request
# example in Netzme's SNAP documentation,
# https://apidocs-vsnap.netzme.id/api-reference/netzme/get-detail-qris/qris-dynamic
KANTIN_GOPAY_WITH_AMOUNT = (
    "00020101021126590014COM.GO-JEK.WWW011693600814947099000210G4362512730303UME"
    "51440014ID.CO.QRIS.WWW0215ID20190000016270303UME520458125303360540320055020357022"
    "05802ID5913Kantin GO-PAY6015Jakarta Selatan61051216062070703A0163047DAC"
)


def _error(payload_or_call) -> QrisError:
    with pytest.raises(QrisError) as caught:
        payload_or_call()
    return caught.value


def _tags(payload: str) -> list[str]:
    return [f.id for f in parse_tlv(payload)]


def _with_crc(body: str) -> str:
    """A payload with a correct CRC, to test the checks behind the CRC."""
    return body + "6304" + crc_of(body + "6304")


def test_crc16_ccitt_false_check_value():
    assert crc16_ccitt_false(b"123456789") == 0x29B1
    assert crc16_ccitt_false(b"") == 0xFFFF


def test_published_static_codes_validate():
    biolbe = validate_static_qris(BIOLBE)
    assert biolbe.merchant_name == "BIOLBE"
    assert biolbe.merchant_city == "KAB. MALANG"
    assert biolbe.postal_code == "65168"
    assert biolbe.mcc == "5499"
    assert biolbe.nmid == "ID1021125405972"
    assert biolbe.acquirers == ("ID.CO.TELKOM.WWW", "ID.CO.QRIS.WWW")
    assert biolbe.accounts[0].pan == "936008980266352075"
    assert biolbe.accounts[0].merchant_id == "000195266352075"
    assert biolbe.accounts[0].criteria == "UMI"
    assert biolbe.reference_label == "114793812"
    assert biolbe.terminal_label == "A03"
    assert biolbe.amount is None
    assert biolbe.is_dynamic is False

    gulu = validate_static_qris(GULU_GULU)
    assert gulu.merchant_name == "Gulu Gulu Mall Ambassador"
    assert gulu.merchant_city == "Jakarta Selatan"
    assert gulu.nmid == "ID1019004532297"
    assert gulu.acquirers == ("ID.CO.SHOPEE.WWW", "ID.CO.QRIS.WWW")


def test_published_code_with_an_amount_is_no_static_code():
    info = validate_qris(KANTIN_GOPAY_WITH_AMOUNT)
    assert info.amount == 200
    assert info.merchant_name == "Kantin GO-PAY"
    assert info.nmid == "ID2019000001627"
    assert info.acquirers == ("COM.GO-JEK.WWW", "ID.CO.QRIS.WWW")

    error = _error(lambda: validate_static_qris(KANTIN_GOPAY_WITH_AMOUNT))
    assert error.code == "amount_in_static"
    assert _error(lambda: validate_dynamic_qris(KANTIN_GOPAY_WITH_AMOUNT)).code == "not_dynamic"


def test_dynamic_code_is_refused_as_the_stored_static_code():
    dynamic = dynamic_qris(static_payload=GULU_GULU, amount=5000)
    error = _error(lambda: validate_static_qris(dynamic))
    assert error.code == "not_static"
    assert str(error) == t(
        "This is a dynamic QRIS code, made for a single payment. Enter your static QRIS code: "
        "the one printed for your stand, without an amount."
    )


def test_whitespace_and_newlines_around_a_pasted_code_are_ignored():
    info = validate_static_qris(f"  \n{GULU_GULU}\r\n ")
    assert info.payload == GULU_GULU


def test_nested_templates_are_parsed_on_demand():
    fields = parse_tlv(BIOLBE)
    assert [f.id for f in fields] == [
        "00", "01", "26", "51", "52", "53", "55", "58", "59", "60", "61", "62", "63",
    ]  # fmt: skip
    merchant = fields[2]
    assert (merchant.id, merchant.length) == ("26", 68)
    assert [(c.id, c.value) for c in merchant.children()] == [
        ("00", "ID.CO.TELKOM.WWW"),
        ("01", "936008980266352075"),
        ("02", "000195266352075"),
        ("03", "UMI"),
    ]
    assert fields[11].child("05") == "114793812"


def test_one_changed_character_fails_the_crc():
    tampered = GULU_GULU.replace("Gulu Gulu", "Gulu Gula")
    error = _error(lambda: validate_static_qris(tampered))
    assert error.code == "crc_mismatch"
    assert "CRC" in str(error)
    wrong_crc = BIOLBE[:-1] + "C"
    assert _error(lambda: parse_tlv(wrong_crc)).code == "crc_mismatch"


def test_a_truncated_code_fails_with_a_length_error():
    error = _error(lambda: validate_static_qris(BIOLBE[:-20]))
    assert error.code == "truncated"
    assert error.params == {"tag": "62", "length": 20, "remaining": 8}
    assert str(error) == t(
        "The QRIS code is cut off: field %(tag)s says %(length)s characters, "
        "only %(remaining)s remain. Copy the whole code again."
    ) % {"tag": "62", "length": 20, "remaining": 8}
    in_a_header = _error(lambda: parse_tlv(BIOLBE[:-30]))
    assert (in_a_header.code, in_a_header.params) == ("truncated", {"position": 194})


def test_structure_errors_name_the_problem():
    assert _error(lambda: parse_tlv("")).code == "empty"
    assert _error(lambda: validate_static_qris("  ")).code == "empty"
    not_digits = _error(lambda: parse_tlv("000201XX02AB"))
    assert (not_digits.code, not_digits.params) == ("bad_field", {"position": 7})
    assert _error(lambda: parse_tlv("https://example.com/pay")).code == "bad_field"
    duplicate = _error(lambda: parse_tlv(_with_crc("000201010211010211")))
    assert (duplicate.code, duplicate.params) == ("duplicate_field", {"tag": "01"})
    assert _error(lambda: parse_tlv(_with_crc("0002010100"))).code == "empty_field"

    body = BIOLBE[: BIOLBE.index("6304")]
    without_city = body.replace("6011KAB. MALANG", "")
    missing = _error(lambda: parse_tlv(_with_crc(without_city)))
    assert (missing.code, missing.params["tag"]) == ("missing_field", "60")
    assert str(missing) == t("The QRIS code has no field %(tag)s (%(name)s).") % {
        "tag": "60",
        "name": t("merchant city"),
    }

    crc_first = "630400000002010102115204549953033605802ID5906BIOLBE6011KAB. MALANG"
    assert _error(lambda: parse_tlv(crc_first)).code == "payload_format"
    crc_not_last = body + "6304" + crc_of(body + "6304") + "6403ABC"
    assert _error(lambda: parse_tlv(crc_not_last)).code == "crc_not_last"


def test_static_code_checks_currency_country_amount_and_nmid():
    body = GULU_GULU[: GULU_GULU.index("6304")]
    dollars = _error(lambda: validate_static_qris(_with_crc(body.replace("5303360", "5303840"))))
    assert (dollars.code, dollars.params) == ("currency", {"currency": "840"})
    singapore = _error(lambda: validate_static_qris(_with_crc(body.replace("5802ID", "5802SG"))))
    assert (singapore.code, singapore.params) == ("country", {"country": "SG"})
    with_amount = body.replace("5802ID", "54031005802ID")
    assert _error(lambda: validate_static_qris(_with_crc(with_amount))).code == ("amount_in_static")
    no_nmid = body.replace("51440014ID.CO.QRIS.WWW0215ID10190045322970303UME", "")
    assert _error(lambda: validate_static_qris(_with_crc(no_nmid))).code == "no_nmid"


def test_dynamic_code_from_a_static_one():
    payload = dynamic_qris(static_payload=GULU_GULU, amount=150000)

    fields = {f.id: f.value for f in parse_tlv(payload)}  # CRC checked here
    assert fields["01"] == "12"
    assert fields["54"] == "150000"
    assert "540615000058" in payload
    assert _tags(payload) == [
        "00", "01", "26", "51", "52", "53", "54", "58", "59", "60", "61", "62", "63",
    ]  # fmt: skip
    info = validate_dynamic_qris(payload)
    assert (info.amount, info.nmid, info.merchant_name) == (
        150000,
        "ID1019004532297",
        "Gulu Gulu Mall Ambassador",
    )
    # Everything but the point of initiation, the amount and the CRC is the
    # exhibitor's code as their acquirer made it.
    assert payload[:-4] == (
        GULU_GULU[:12].replace("010211", "010212")
        + GULU_GULU[12 : GULU_GULU.index("5802ID")]
        + "5406150000"
        + GULU_GULU[GULU_GULU.index("5802ID") : -4]
    )


def test_dynamic_code_carries_the_order_reference_as_bill_number():
    payload = dynamic_qris(static_payload=BIOLBE, amount=87500, reference="GLR-7K2Q")
    info = validate_dynamic_qris(payload)
    assert info.amount == 87500
    assert info.bill_number == "GLR-7K2Q"
    # The acquirer's own labels stay as they were.
    assert (info.reference_label, info.terminal_label) == ("114793812", "A03")
    assert "62320108GLR-7K2Q05091147938120703A03" in payload
    # The static code asks the buyer for a tip; the order's code asks for the total only.
    assert "55" not in _tags(payload)


def test_dynamic_code_again_replaces_the_amount_and_reference():
    first = dynamic_qris(static_payload=BIOLBE, amount=150000, reference="A-1")
    second = dynamic_qris(static_payload=first, amount=25000, reference="B-2")
    info = validate_dynamic_qris(second)
    assert (info.amount, info.bill_number) == (25000, "B-2")
    assert "150000" not in second
    assert second == dynamic_qris(static_payload=BIOLBE, amount=25000, reference="B-2")

    from_published = dynamic_qris(static_payload=KANTIN_GOPAY_WITH_AMOUNT, amount=1000)
    fields = {f.id: f.value for f in parse_tlv(from_published)}
    assert (fields["01"], fields["54"]) == ("12", "1000")
    assert not {"55", "56", "57"} & set(fields)


@pytest.mark.parametrize("amount", [0, -1, 10_000_000_000])
def test_amounts_out_of_range_are_refused(amount):
    error = _error(lambda: dynamic_qris(static_payload=GULU_GULU, amount=amount))
    assert error.code == "amount_range"
    assert str(error) == t("The amount must be between Rp %(min)s and Rp %(max)s.") % {
        "min": "1",
        "max": "9.999.999.999",
    }


@pytest.mark.parametrize("amount", [1500.0, "150000", True])
def test_amounts_that_are_not_whole_rupiah_are_refused(amount):
    error = _error(lambda: dynamic_qris(static_payload=GULU_GULU, amount=amount))
    assert error.code == "amount_format"


def test_amount_limits_are_accepted():
    assert validate_dynamic_qris(dynamic_qris(static_payload=GULU_GULU, amount=1)).amount == 1
    top = dynamic_qris(static_payload=GULU_GULU, amount=9_999_999_999)
    assert validate_dynamic_qris(top).amount == 9_999_999_999


@pytest.mark.parametrize("reference", ["", "A" * 26, "GLR 1", "GLR/1", "pesanan#1"])
def test_bad_references_are_refused(reference):
    error = _error(lambda: dynamic_qris(static_payload=GULU_GULU, amount=1000, reference=reference))
    assert error.code == "reference"


def test_dynamic_code_needs_a_valid_base():
    error = _error(lambda: dynamic_qris(static_payload=GULU_GULU[:-1] + "0", amount=1000))
    assert error.code == "crc_mismatch"


def test_lowercase_crc_digits_are_accepted():
    assert validate_qris(BIOLBE[:-4] + BIOLBE[-4:].lower()).merchant_name == "BIOLBE"


def test_svg_is_inline_and_reusable_on_one_page():
    svg = qris_svg(BIOLBE)
    assert re.match(r'<svg version="1.1" viewBox="0 0 57 57" ', svg)
    assert 'xmlns="http://www.w3.org/2000/svg"' in svg
    assert 'role="img"' in svg
    assert " id=" not in svg and "<?xml" not in svg
    assert 'width="100%"' in svg  # the white background, not a fixed size in mm
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_svg_decodes_back_to_the_payload(tmp_path):
    payload = dynamic_qris(static_payload=GULU_GULU, amount=150000, reference="GLR-0001")
    assert decode_qr_png(qr_svg_to_png(qris_svg(payload)), tmp_path) == [payload]


def test_png_decodes_back_to_the_payload(tmp_path):
    payload = dynamic_qris(static_payload=BIOLBE, amount=87500)
    png = qris_png(payload)
    assert png.startswith(b"\x89PNG")
    assert decode_qr_png(png, tmp_path) == [payload]
