"""QRIS: reading an exhibitor's static code, and making a dynamic one per order.

QRIS is Bank Indonesia's profile (by ASPI) of the EMVCo QR Code Specification
for Payment Systems, Merchant-Presented Mode. A code is a string of fields,
each `ID` (two digits) + `length` (two digits) + `value`; fields 26-51 and 62
are templates whose value is again such a string. Field 00 comes first, the
CRC (field 63) last, and the CRC covers everything before its value,
including its own "6304".

An exhibitor stores the payload of the static code on their stand (point of
initiation 11: the buyer types the amount). At checkout Gelar turns it into a
dynamic code for the order (point of initiation 12, the amount in field 54),
so the buyer's banking app shows the exact total and the money goes straight
to the exhibitor's acquirer -- Gelar never holds it. The exhibitor then
matches the transfer to the order by amount and bill number.
"""

import io
import re
from dataclasses import dataclass, field
from xml.etree import ElementTree

import qrcode
import qrcode.constants
import qrcode.image.pil
import qrcode.image.svg
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

PAYLOAD_FORMAT = "00"
POINT_OF_INITIATION = "01"
MCC = "52"
CURRENCY = "53"
AMOUNT = "54"
TIP_INDICATOR = "55"
CONVENIENCE_FEE_FIXED = "56"
CONVENIENCE_FEE_PERCENT = "57"
COUNTRY = "58"
MERCHANT_NAME = "59"
MERCHANT_CITY = "60"
POSTAL_CODE = "61"
ADDITIONAL_DATA = "62"
CRC = "63"

STATIC = "11"
DYNAMIC = "12"
RUPIAH = "360"
INDONESIA = "ID"
# Field 51 with this globally unique identifier carries the National Merchant
# ID (NMID) that Bank Indonesia's central repository gives every QRIS merchant.
QRIS_DOMAIN = "ID.CO.QRIS.WWW"

# Sub-fields of a merchant account template (26-51).
ACCOUNT_GLOBAL_ID = "00"
ACCOUNT_PAN = "01"
ACCOUNT_MERCHANT_ID = "02"
ACCOUNT_CRITERIA = "03"

# Sub-fields of the additional data template (62).
BILL_NUMBER = "01"
REFERENCE_LABEL = "05"
TERMINAL_LABEL = "07"

MIN_AMOUNT = 1
MAX_AMOUNT = 9_999_999_999
MAX_REFERENCE_LENGTH = 25
_REFERENCE = re.compile(r"[A-Za-z0-9-]{1,25}")
_AMOUNT = re.compile(r"(\d{1,13})(?:\.(\d{1,2}))?")

_MANDATORY = {
    PAYLOAD_FORMAT: _("payload format indicator"),
    POINT_OF_INITIATION: _("point of initiation"),
    MCC: _("merchant category code"),
    CURRENCY: _("currency"),
    COUNTRY: _("country code"),
    MERCHANT_NAME: _("merchant name"),
    MERCHANT_CITY: _("merchant city"),
    CRC: _("checksum"),
}


class QrisError(Exception):
    """A payload that is not a usable QRIS code; `message` says why, for the person.

    `code` is stable across languages (tests and callers compare it); a form
    turns the error into `ValidationError(error.message, code=error.code,
    params=error.params)`.
    """

    def __init__(self, message, *, code: str, params: dict | None = None) -> None:
        self.message = message
        self.code = code
        self.params = params or {}
        super().__init__(str(self))

    def __str__(self) -> str:
        return str(self.message) % self.params if self.params else str(self.message)


@dataclass(frozen=True)
class Field:
    """One TLV field; `position` is where its ID starts in the payload (0-based)."""

    id: str
    length: int
    value: str
    position: int = 0

    def children(self) -> list["Field"]:
        """The nested fields of a template (26-51, 62, ...), parsed when asked for."""
        return _split(self.value, offset=self.position + 4)

    def child(self, tag: str) -> str | None:
        return next((f.value for f in self.children() if f.id == tag), None)


@dataclass(frozen=True)
class MerchantAccount:
    """A merchant account template (26-51): which network/acquirer, and the merchant there."""

    tag: str
    global_id: str
    pan: str | None
    merchant_id: str | None
    criteria: str | None


@dataclass(frozen=True)
class QrisInfo:
    payload: str
    point_of_initiation: str
    merchant_name: str
    merchant_city: str
    postal_code: str | None
    mcc: str
    nmid: str | None
    accounts: tuple[MerchantAccount, ...]
    amount: int | None = None
    bill_number: str | None = None
    reference_label: str | None = None
    terminal_label: str | None = None
    fields: tuple[Field, ...] = field(default=(), repr=False)

    @property
    def acquirers(self) -> tuple[str, ...]:
        """The globally unique ids of the merchant accounts, e.g. ("COM.GO-JEK.WWW", ...)."""
        return tuple(account.global_id for account in self.accounts)

    @property
    def is_dynamic(self) -> bool:
        return self.point_of_initiation == DYNAMIC


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _bit in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def crc_of(payload_without_crc_value: str) -> str:
    """The four uppercase hex digits for field 63 of a payload ending in "6304"."""
    return f"{crc16_ccitt_false(payload_without_crc_value.encode()):04X}"


def encode_field(tag: str, value: str) -> str:
    if not 1 <= len(value) <= 99:
        raise QrisError(
            _("Field %(tag)s would be %(length)s characters long; a QRIS field holds 1 to 99."),
            code="field_length",
            params={"tag": tag, "length": len(value)},
        )
    return f"{tag}{len(value):02d}{value}"


def _split(text: str, *, offset: int = 0) -> list[Field]:
    """Cut a string into TLV fields, checking only that they fit together."""
    fields = []
    index = 0
    while index < len(text):
        header = text[index : index + 4]
        if len(header) < 4:
            raise QrisError(
                _("The QRIS code is cut off at character %(position)s (an incomplete field)."),
                code="truncated",
                params={"position": offset + index + 1},
            )
        if not header.isascii() or not header.isdigit():
            raise QrisError(
                _(
                    "The QRIS code is damaged at character %(position)s: a field must start "
                    "with a two-digit number and a two-digit length."
                ),
                code="bad_field",
                params={"position": offset + index + 1},
            )
        tag, length = header[:2], int(header[2:])
        if length == 0:
            raise QrisError(
                _("Field %(tag)s of the QRIS code is empty."),
                code="empty_field",
                params={"tag": tag},
            )
        value = text[index + 4 : index + 4 + length]
        if len(value) < length:
            raise QrisError(
                _(
                    "The QRIS code is cut off: field %(tag)s says %(length)s characters, "
                    "only %(remaining)s remain. Copy the whole code again."
                ),
                code="truncated",
                params={"tag": tag, "length": length, "remaining": len(value)},
            )
        if any(f.id == tag for f in fields):
            raise QrisError(
                _("The QRIS code has field %(tag)s twice."),
                code="duplicate_field",
                params={"tag": tag},
            )
        fields.append(Field(id=tag, length=length, value=value, position=offset + index))
        index += 4 + length
    return fields


def parse_tlv(payload: str) -> list[Field]:
    """Parse and check the structure of a QRIS payload: fields, mandatory ones, CRC.

    Nested templates are left as values; `Field.children()` parses them. Raises
    QrisError for anything a banking app would refuse.
    """
    if not payload:
        raise QrisError(_("The QRIS code is empty."), code="empty")
    fields = _split(payload)
    tags = [f.id for f in fields]
    if tags[0] != PAYLOAD_FORMAT or fields[0].value != "01":
        raise QrisError(
            _("This is not a QRIS code: it must start with 000201 (payload format 01)."),
            code="payload_format",
        )
    for tag, name in _MANDATORY.items():
        if tag not in tags:
            raise QrisError(
                _("The QRIS code has no field %(tag)s (%(name)s)."),
                code="missing_field",
                params={"tag": tag, "name": name},
            )
    if tags[-1] != CRC:
        raise QrisError(
            _("The checksum (field 63) must be the last field of a QRIS code."),
            code="crc_not_last",
        )
    crc = fields[-1]
    if crc.length != 4 or not re.fullmatch(r"[0-9A-Fa-f]{4}", crc.value):
        raise QrisError(
            _("The checksum (field 63) of the QRIS code must be four hexadecimal digits."),
            code="crc_format",
        )
    if crc.value.upper() != crc_of(payload[:-4]):
        raise QrisError(
            _(
                "The QRIS checksum (CRC) does not match: the code was changed or not copied "
                "completely."
            ),
            code="crc_mismatch",
        )
    if not any(26 <= int(tag) <= 51 for tag in tags):
        raise QrisError(
            _("The QRIS code has no merchant account (fields 26 to 51)."),
            code="no_merchant_account",
        )
    return fields


def _info(payload: str, fields: list[Field]) -> QrisInfo:
    by_tag = {f.id: f for f in fields}
    if by_tag[CURRENCY].value != RUPIAH:
        raise QrisError(
            _("This QRIS code is not in Rupiah (currency %(currency)s, Rupiah is 360)."),
            code="currency",
            params={"currency": by_tag[CURRENCY].value},
        )
    if by_tag[COUNTRY].value != INDONESIA:
        raise QrisError(
            _("This QRIS code is not from Indonesia (country %(country)s)."),
            code="country",
            params={"country": by_tag[COUNTRY].value},
        )
    point = by_tag[POINT_OF_INITIATION].value
    if point not in (STATIC, DYNAMIC):
        raise QrisError(
            _("Unknown point of initiation %(value)s (static is 11, dynamic 12)."),
            code="point_of_initiation",
            params={"value": point},
        )
    accounts = []
    nmid = None
    for f in fields:
        if not 26 <= int(f.id) <= 51:
            continue
        children = {c.id: c.value for c in f.children()}
        account = MerchantAccount(
            tag=f.id,
            global_id=children.get(ACCOUNT_GLOBAL_ID, ""),
            pan=children.get(ACCOUNT_PAN),
            merchant_id=children.get(ACCOUNT_MERCHANT_ID),
            criteria=children.get(ACCOUNT_CRITERIA),
        )
        accounts.append(account)
        if f.id == "51" and account.global_id.upper() == QRIS_DOMAIN:
            nmid = account.merchant_id
    if not nmid:
        raise QrisError(
            _(
                "This code has no national merchant ID (NMID), so it is not a QRIS code. "
                "Use the QRIS code from your bank or e-wallet."
            ),
            code="no_nmid",
        )
    amount = None
    if AMOUNT in by_tag:
        amount = _parse_amount(by_tag[AMOUNT].value)
    extra = {}
    if ADDITIONAL_DATA in by_tag:
        extra = {c.id: c.value for c in by_tag[ADDITIONAL_DATA].children()}
    return QrisInfo(
        payload=payload,
        point_of_initiation=point,
        merchant_name=by_tag[MERCHANT_NAME].value,
        merchant_city=by_tag[MERCHANT_CITY].value,
        postal_code=by_tag[POSTAL_CODE].value if POSTAL_CODE in by_tag else None,
        mcc=by_tag[MCC].value,
        nmid=nmid,
        accounts=tuple(accounts),
        amount=amount,
        bill_number=extra.get(BILL_NUMBER),
        reference_label=extra.get(REFERENCE_LABEL),
        terminal_label=extra.get(TERMINAL_LABEL),
        fields=tuple(fields),
    )


def _parse_amount(value: str) -> int:
    match = _AMOUNT.fullmatch(value)
    if not match or (match.group(2) and int(match.group(2)) != 0):
        raise QrisError(
            _("The amount %(value)s in the QRIS code is not a whole number of Rupiah."),
            code="amount_format",
            params={"value": value},
        )
    return int(match.group(1))


def validate_qris(payload: str) -> QrisInfo:
    """Check any QRIS payload (static or dynamic) and say what it holds."""
    payload = payload.strip()
    return _info(payload, parse_tlv(payload))


def validate_static_qris(payload: str) -> QrisInfo:
    """Check the payload an exhibitor stores: a static QRIS code in Rupiah from Indonesia.

    A dynamic code is refused: it was made for one payment and banks may
    reject it when scanned again, so it cannot serve as the base for orders.
    """
    info = validate_qris(payload)
    if info.point_of_initiation != STATIC:
        raise QrisError(
            _(
                "This is a dynamic QRIS code, made for a single payment. Enter your static "
                "QRIS code: the one printed for your stand, without an amount."
            ),
            code="not_static",
        )
    if info.amount is not None:
        raise QrisError(
            _("A static QRIS code cannot contain an amount (field 54)."),
            code="amount_in_static",
        )
    return info


def validate_dynamic_qris(payload: str) -> QrisInfo:
    """Check a dynamic QRIS payload: point of initiation 12 and an amount."""
    info = validate_qris(payload)
    if info.point_of_initiation != DYNAMIC or info.amount is None:
        raise QrisError(
            _("This is not a dynamic QRIS code with an amount."),
            code="not_dynamic",
        )
    return info


def dynamic_qris(*, static_payload: str, amount: int, reference: str | None = None) -> str:
    """The payload of a dynamic QRIS for one payment of `amount` whole Rupiah.

    `static_payload` may also be a dynamic payload made earlier: its amount and
    bill number are replaced. `reference` (the order number) goes into the
    bill number (62/01), which EMVCo meant for invoice numbers; the reference
    label (62/05) and terminal label (62/07) stay as the acquirer printed
    them, since some acquirers use them to route the payment to the merchant.
    """
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise QrisError(_("The amount must be a whole number of Rupiah."), code="amount_format")
    if not MIN_AMOUNT <= amount <= MAX_AMOUNT:
        raise QrisError(
            _("The amount must be between Rp %(min)s and Rp %(max)s."),
            code="amount_range",
            params={"min": MIN_AMOUNT, "max": f"{MAX_AMOUNT:,}".replace(",", ".")},
        )
    if reference is not None and not _REFERENCE.fullmatch(reference):
        raise QrisError(
            _("The payment reference must be 1 to %(max)s letters, digits or dashes."),
            code="reference",
            params={"max": MAX_REFERENCE_LENGTH},
        )
    info = validate_qris(static_payload)
    values = {f.id: f.value for f in info.fields if f.id != CRC}
    values[POINT_OF_INITIATION] = DYNAMIC
    values[AMOUNT] = str(amount)
    # A tip prompt or convenience fee would make the buyer pay more than the
    # order total, and the exhibitor could no longer match the payment by its
    # amount; the dynamic code asks for exactly the total.
    for tag in (TIP_INDICATOR, CONVENIENCE_FEE_FIXED, CONVENIENCE_FEE_PERCENT):
        values.pop(tag, None)
    if reference is not None:
        extra = {}
        if ADDITIONAL_DATA in values:
            extra = {c.id: c.value for c in _split(values[ADDITIONAL_DATA])}
        extra[BILL_NUMBER] = reference
        values[ADDITIONAL_DATA] = "".join(encode_field(t, extra[t]) for t in sorted(extra))
    # Fields in ascending ID order (54 lands between 53 and 58), CRC last.
    body = "".join(encode_field(tag, values[tag]) for tag in sorted(values)) + CRC + "04"
    return body + crc_of(body)


def _qr_code(payload: str, image_factory, box_size: int = 10) -> qrcode.QRCode:
    qr = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=box_size,
        border=4,  # the quiet zone the QR standard asks for
        image_factory=image_factory,
    )
    qr.add_data(payload)
    qr.make(fit=True)
    return qr


def qris_svg(payload: str) -> str:
    """The QR code of a payload as an inline <svg> element (one path, white background).

    Sized by CSS through its viewBox (one unit per module); it has no id, so
    several codes can share a page. It holds no text from the payload, only
    the drawn modules, so a template may output it with |safe.
    """
    image = _qr_code(payload, qrcode.image.svg.SvgPathFillImage).make_image()
    svg = image.get_image()
    for attribute in ("width", "height"):
        svg.attrib.pop(attribute, None)
    svg.set("role", "img")
    svg.set("aria-label", gettext("QRIS payment code"))
    svg.set("shape-rendering", "crispEdges")
    image.path.attrib.pop("id", None)
    return ElementTree.tostring(svg, encoding="unicode")


def qris_png(payload: str, *, box_size: int = 8) -> bytes:
    """The QR code of a payload as a PNG (for downloads and the decoder test)."""
    image = _qr_code(payload, qrcode.image.pil.PilImage, box_size).make_image()
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()
