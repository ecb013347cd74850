import pytest
from django.test import override_settings

from gelar.audit.models import AuditEntry
from gelar.catalog.models import Product
from gelar.orders.models import Order
from gelar.orders.services import (
    AmountMismatch,
    BuyerInfo,
    DeliveryInfo,
    InvalidTransition,
    LineRequest,
    OrderExpired,
    checkout_submit,
    reservations_expire,
)
from gelar.payments import qris
from gelar.payments.models import ExhibitorPaymentSettings, Payment
from gelar.payments.services import (
    PaymentSettingsInput,
    PaymentSettingsInvalid,
    payment_confirm,
    payment_instructions,
    payment_methods_for,
    payment_settings_update,
)
from gelar.payments.tests.test_qris import BIOLBE, GULU_GULU, KANTIN_GOPAY_WITH_AMOUNT
from gelar.testing import at, build_expo, make_user

pytestmark = pytest.mark.django_db

NOW = at(24, 10)
BUYER = BuyerInfo(name="Rina Kusuma", whatsapp="081234567890")
BANK = {
    "bank_name": "BRI",
    "bank_account_number": "0123-01-000456-30-7",
    "bank_account_holder": "Siti Rahmawati",
}


@pytest.fixture
def world():
    return build_expo()


@pytest.fixture
def owner():
    return make_user(email="siti@example.com")


def order_of(world, *, method="qris", delivery="pickup", key="k1", quantity=1) -> Order:
    checkout = checkout_submit(
        expo=world.expo,
        buyer=BUYER,
        lines=[LineRequest(product_id=world.shirt.pk, quantity=quantity)],
        idempotency_key=key,
        delivery=DeliveryInfo(method=delivery),
        payment_method=method,
        now=NOW,
    )
    return checkout.orders.get()


def configure(world, owner, **fields):
    return payment_settings_update(
        exhibitor=world.batik, actor=owner, data=PaymentSettingsInput(**fields)
    )


# --- settings and methods -----------------------------------------------------------


def test_without_settings_only_cash_is_accepted(world):
    assert payment_methods_for(exhibitor=world.batik) == ["cash"]


@override_settings(MIDTRANS_SERVER_KEY="SB-Mid-server-test")
def test_methods_follow_the_settings(world, owner):
    configure(world, owner, qris_payload=BIOLBE, **BANK, accepts_cash=False, gateway_enabled=True)
    assert payment_methods_for(exhibitor=world.batik) == ["qris", "transfer", "gateway"]

    configure(world, owner, accepts_cash=True, gateway_enabled=True)
    assert payment_methods_for(exhibitor=world.batik) == ["gateway", "cash"]


@override_settings(MIDTRANS_SERVER_KEY="")
def test_gateway_needs_the_server_key(world, owner):
    configure(world, owner, gateway_enabled=True, accepts_cash=False)
    assert payment_methods_for(exhibitor=world.batik) == []


def test_settings_store_the_static_qris_and_its_merchant(world, owner):
    found = configure(world, owner, qris_payload="  " + GULU_GULU[:60] + "\n" + GULU_GULU[60:])
    assert found.qris_payload == GULU_GULU
    assert found.qris_merchant_name == "Gulu Gulu Mall Ambassador"
    assert found.qris_nmid == "ID1019004532297"
    entry = AuditEntry.objects.get(action="payments.settings_update")
    assert entry.actor == owner
    assert entry.exhibitor == world.batik
    assert entry.changes["qris_merchant_name"] == ["", "Gulu Gulu Mall Ambassador"]


@pytest.mark.parametrize(
    "payload, code",
    [
        (BIOLBE[:-1] + "5", "crc_mismatch"),
        (KANTIN_GOPAY_WITH_AMOUNT, "amount_in_static"),
        (qris.dynamic_qris(static_payload=BIOLBE, amount=150000), "not_static"),
        ("https://example.com/pay", "bad_field"),
    ],
)
def test_a_bad_qris_is_refused_and_nothing_stored(world, owner, payload, code):
    with pytest.raises(PaymentSettingsInvalid) as caught:
        configure(world, owner, qris_payload=payload)
    assert caught.value.field == "qris_payload"
    assert caught.value.code == code
    assert not ExhibitorPaymentSettings.objects.exists()
    assert not AuditEntry.objects.filter(action="payments.settings_update").exists()


def test_bank_details_are_all_or_nothing(world, owner):
    with pytest.raises(PaymentSettingsInvalid) as caught:
        configure(world, owner, bank_name="BRI", bank_account_number="0123")
    assert caught.value.field == "bank_account_holder"
    with pytest.raises(PaymentSettingsInvalid) as caught:
        configure(
            world, owner, bank_name="BRI", bank_account_number="12ab", bank_account_holder="S"
        )
    assert caught.value.code == "bank_account_number_invalid"
    found = configure(world, owner, **BANK)
    assert found.bank_account_number == "012301000456307"


def test_saving_the_same_settings_again_records_nothing(world, owner):
    configure(world, owner, **BANK)
    configure(world, owner, **BANK)
    assert AuditEntry.objects.filter(action="payments.settings_update").count() == 1


# --- instructions -------------------------------------------------------------------


def test_qris_instructions_carry_a_dynamic_code_for_the_exact_total(world, owner):
    configure(world, owner, qris_payload=BIOLBE)
    order = order_of(world, method="qris", quantity=2)

    found = payment_instructions(order=order)

    assert found.method == "qris"
    assert found.total == 300000
    assert found.merchant_name == "BIOLBE"
    info = qris.validate_dynamic_qris(found.qris_payload)
    assert info.amount == 300000
    assert info.bill_number == order.number.replace("-", "-")
    assert info.nmid == "ID1021125405972"
    assert found.qris_svg.startswith("<svg")


def test_transfer_instructions_include_the_unique_code(world, owner):
    configure(world, owner, **BANK)
    order = order_of(world, method="transfer")

    found = payment_instructions(order=order)

    assert order.unique_code == order.pk % 999 + 1
    assert found.total == 150000 + order.unique_code
    assert found.unique_code == order.unique_code
    assert found.bank_name == "BRI"
    assert found.bank_account_number == "012301000456307"
    assert found.bank_account_holder == "Siti Rahmawati"
    assert found.reference == order.number
    assert order.number in found.note


def test_cash_and_a_withdrawn_method(world, owner):
    cash = payment_instructions(order=order_of(world, method="cash"))
    assert (cash.method, cash.total, cash.available) == ("cash", 150000, True)
    configure(world, owner, qris_payload=BIOLBE)
    qris_order = order_of(world, method="qris", key="k2")
    configure(world, owner, qris_payload="")  # withdrawn after the checkout
    assert payment_instructions(order=qris_order).available is False


# --- confirmation -------------------------------------------------------------------


def test_confirm_marks_the_order_paid_and_records_the_payment(world, owner):
    configure(world, owner, qris_payload=BIOLBE, **BANK)
    order = order_of(world, method="transfer")

    payment = payment_confirm(order=order, actor=owner, amount=order.total)

    order.refresh_from_db()
    assert order.status == "paid"
    assert (payment.method, payment.amount, payment.status) == (
        "transfer",
        order.total,
        "confirmed",
    )
    assert payment.confirmed_by == owner
    assert AuditEntry.objects.filter(action="payment.confirm", object_id=str(payment.pk)).exists()
    assert AuditEntry.objects.filter(action="order.paid", object_id=str(order.pk)).exists()
    assert Product.objects.get(pk=world.shirt.pk).stock == 2


def test_confirm_refuses_a_wrong_amount_a_second_time_and_an_expired_order(world, owner):
    configure(world, owner, qris_payload=BIOLBE, **BANK)
    order = order_of(world, method="transfer")
    with pytest.raises(AmountMismatch):
        payment_confirm(order=order, actor=owner, amount=150000)
    assert not Payment.objects.exists()

    payment_confirm(order=order, actor=owner)
    with pytest.raises(InvalidTransition):
        payment_confirm(order=order, actor=owner)
    assert Payment.objects.count() == 1

    late = order_of(world, method="qris", key="k2")
    reservations_expire(now=late.reserved_until)
    with pytest.raises(OrderExpired) as caught:
        payment_confirm(order=late, actor=owner)
    assert late.number in caught.value.message
    assert Payment.objects.count() == 1
