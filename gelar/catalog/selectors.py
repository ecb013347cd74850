"""Reads of the catalogue for the public site and the API.

Public products are active products of exhibitors ACCEPTED in the expo.
Lists carry `first_images` (a list of at most one ProductImage): one
prefetch query for the whole page instead of one per card.
"""

from django.db.models import Case, Prefetch, QuerySet, Value, When

from gelar.catalog.models import Product, ProductImage
from gelar.common.search import filter_by_search
from gelar.events.models import Expo
from gelar.exhibitors.models import Exhibitor, Participation

FEATURED_LIMIT = 12
OTHER_PRODUCTS_LIMIT = 8


def _first_image() -> Prefetch:
    # A sliced prefetch: the database picks each product's first image with a
    # window function, so a card never loads the whole gallery.
    return Prefetch(
        "images",
        queryset=ProductImage.objects.order_by("position", "pk")[:1],
        to_attr="first_images",
    )


def public_products(*, expo: Expo) -> QuerySet[Product]:
    return Product.objects.filter(
        is_active=True,
        exhibitor__participations__expo=expo,
        exhibitor__participations__status=Participation.Status.ACCEPTED,
    ).select_related("exhibitor")


def product_cards(products: QuerySet[Product]) -> QuerySet[Product]:
    """The products with what a product card shows (the exhibitor, the first image)."""
    return products.prefetch_related(_first_image())


def featured_products(*, expo: Expo, limit: int = FEATURED_LIMIT) -> list[Product]:
    products = public_products(expo=expo).filter(is_featured=True).order_by("name", "pk")
    return list(product_cards(products)[:limit])


def booth_products(*, expo: Expo, exhibitor: Exhibitor) -> QuerySet[Product]:
    """The booth's catalogue: in stock first, then by name."""
    products = public_products(expo=expo).filter(exhibitor=exhibitor)
    sold_out_last = Case(When(stock=0, then=Value(1)), default=Value(0))
    return product_cards(products).order_by(sold_out_last, "name", "pk")


def public_product(*, expo: Expo, exhibitor: Exhibitor, slug: str) -> Product:
    """One public product with its whole gallery; raises Product.DoesNotExist."""
    return (
        public_products(expo=expo)
        .filter(exhibitor=exhibitor)
        .prefetch_related(
            Prefetch("images", queryset=ProductImage.objects.order_by("position", "pk"))
        )
        .get(slug=slug)
    )


def other_products(
    *, expo: Expo, product: Product, limit: int = OTHER_PRODUCTS_LIMIT
) -> list[Product]:
    products = (
        public_products(expo=expo)
        .filter(exhibitor_id=product.exhibitor_id)
        .exclude(pk=product.pk)
        .order_by("-is_featured", "name", "pk")
    )
    return list(product_cards(products)[:limit])


def search_products(*, expo: Expo, q: str) -> QuerySet[Product]:
    """Public products matching every word of q (word prefix, case and accents folded)."""
    return product_cards(filter_by_search(public_products(expo=expo), q))
