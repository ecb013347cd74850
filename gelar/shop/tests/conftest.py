"""Fixtures of the shop's tests; the factories are in gelar.testing."""

import pytest

from gelar.catalog.models import Product
from gelar.payments.models import ExhibitorPaymentSettings
from gelar.testing import ExpoWorld, build_expo

SLUG = "pekalongan-hybrid-expo-2021"
# A real static QRIS (ShopeePay, "Gulu Gulu Mall Ambassador"), copied from
# gelar/payments/tests/test_qris.py where its source is cited.
GULU_GULU = (
    "00020101021126570016ID.CO.SHOPEE.WWW0118936009180000001402020413500303UME"
    "51440014ID.CO.QRIS.WWW0215ID10190045322970303UME5204581253033605802ID"
    "5925Gulu Gulu Mall Ambassador6015Jakarta Selatan61051294062070703A01630494FA"
)


@pytest.fixture
def world(db) -> ExpoWorld:
    world = build_expo(slug=SLUG)
    # The batik booth (at the venue) takes QRIS and cash, the snack seller (online)
    # bank transfers.
    ExhibitorPaymentSettings.objects.create(
        exhibitor=world.batik,
        qris_payload=GULU_GULU,
        qris_merchant_name="Gulu Gulu Mall Ambassador",
        accepts_cash=True,
    )
    ExhibitorPaymentSettings.objects.create(
        exhibitor=world.amplang,
        bank_name="BRI",
        bank_account_number="002101000123567",
        bank_account_holder="Amplang Cafe Banjarbaru",
        accepts_cash=False,
    )
    return world


@pytest.fixture
def snack(world) -> Product:
    return Product.objects.get(exhibitor=world.amplang)
