import pytest

from gelar.audit.models import AuditEntry
from gelar.catalog import services
from gelar.catalog.imports import ProductRow
from gelar.catalog.models import Product
from gelar.testing import make_exhibitor, make_product


@pytest.fixture
def shop(db):
    return make_exhibitor(name="Batik Sekar Jagad")


def test_set_stock_applies_only_if_the_stock_is_still_what_was_seen(shop):
    product = make_product(exhibitor=shop, name="Kemeja", stock=10, images=0)
    services.product_set_stock(product=product, actor=None, expected=10, stock=15)
    assert Product.objects.get(pk=product.pk).stock == 15
    with pytest.raises(services.StockChanged) as caught:
        services.product_set_stock(product=product, actor=None, expected=10, stock=3)
    assert caught.value.current == 15
    assert Product.objects.get(pk=product.pk).stock == 15
    assert list(
        AuditEntry.objects.filter(action="product.stock").values_list("changes", flat=True)
    ) == [{"stock": [10, 15]}]


def test_duplicate_sku_is_a_catalog_error_on_the_sku_field(shop):
    make_product(exhibitor=shop, name="Kemeja", sku="K-1", images=0)
    data = services.ProductData(name="Lain", description="", price=1000, sku="K-1", is_active=True)
    with pytest.raises(services.CatalogError) as caught:
        services.product_create(exhibitor=shop, actor=None, data=data, stock=1)
    assert (caught.value.field, caught.value.code) == ("sku", "sku_taken")
    # The same SKU at another business is fine.
    other = make_exhibitor(name="Lain")
    services.product_create(exhibitor=other, actor=None, data=data, stock=1)


def test_slugs_stay_unique_per_business(shop):
    data = services.ProductData(name="Kemeja", description="", price=1, sku="", is_active=True)
    slugs = [
        services.product_create(exhibitor=shop, actor=None, data=data, stock=0).slug
        for _ in range(3)
    ]
    assert slugs == ["kemeja", "kemeja-2", "kemeja-3"]


def test_import_is_all_or_nothing(shop, monkeypatch):
    rows = [
        ProductRow(row=2, name="A", description="", price=1, sku="A", stock=1, is_active=True),
        ProductRow(row=3, name="B", description="", price=1, sku="B", stock=1, is_active=True),
    ]
    calls = {"n": 0}
    real_create = Product.objects.create

    def failing_create(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return real_create(**kwargs)

    monkeypatch.setattr(Product.objects, "create", failing_create)
    with pytest.raises(RuntimeError):
        services.products_import(exhibitor=shop, actor=None, rows=rows)
    assert Product.objects.filter(exhibitor=shop).count() == 0
    assert AuditEntry.objects.count() == 0
