"""Writes to an exhibitor's catalogue: products, their photos, price and stock.

Stock is scarce (orders move it concurrently), so it is never read, changed and
written back: an edit says "it was N, make it M" and a conditional UPDATE
applies it only if it is still N.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from gelar.audit.services import audit_record, field_changes
from gelar.catalog.images import ProcessedImage, stored_name
from gelar.catalog.imports import ProductRow
from gelar.catalog.models import Product, ProductImage
from gelar.catalog.signals import send_products_changed
from gelar.exhibitors.models import Exhibitor

MAX_PHOTOS = 8


class CatalogError(Exception):
    """A change the catalogue refuses; `message` is for the person, `field` the form field."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class StockChanged(CatalogError):
    """The stock moved (an order, a teammate) between reading and saving."""

    def __init__(self, *, current: int) -> None:
        super().__init__(
            _("The stock changed meanwhile (it is now %(current)s), please check and save again.")
            % {"current": current},
            field="stock",
            code="stock_changed",
        )
        self.current = current


@dataclass(frozen=True)
class ProductData:
    """What the exhibitor edits directly; stock and photos have their own rules."""

    name: str
    description: str
    price: int
    sku: str
    is_active: bool


def product_create(
    *,
    exhibitor: Exhibitor,
    actor,
    data: ProductData,
    stock: int,
    photos: Sequence[ProcessedImage] = (),
) -> Product:
    _check_photo_count(existing=0, new=len(photos))
    with _files_removed_on_error() as written, transaction.atomic():
        _check_sku(exhibitor=exhibitor, sku=data.sku, product_pk=None)
        product = Product(
            exhibitor=exhibitor,
            slug=_free_slug(exhibitor=exhibitor, name=data.name),
            stock=stock,
            **_fields(data),
        )
        _save_sku_safely(product)
        audit_record(
            actor=actor,
            action="product.create",
            obj=product,
            changes={**_fields(data), "stock": stock},
            exhibitor=exhibitor,
        )
        _add_photos(product=product, actor=actor, photos=photos, written=written)
    return product


def product_update(
    *,
    product: Product,
    actor,
    data: ProductData,
    stock_seen: int,
    stock: int,
    photos: Sequence[ProcessedImage] = (),
) -> Product:
    """Edit a product. `stock_seen` is the stock shown when the form was opened: the
    new stock is applied only if nobody changed it since (else StockChanged)."""
    with _files_removed_on_error() as written, transaction.atomic():
        _check_photo_count(existing=product.images.count(), new=len(photos))
        _check_sku(exhibitor=product.exhibitor, sku=data.sku, product_pk=product.pk)
        before = _fields(product)
        after = _fields(data)
        for name, value in after.items():
            setattr(product, name, value)
        # update_fields leaves the stock column alone: it changes only below.
        _save_sku_safely(product, update_fields=[*after, "updated_at"])
        changes = field_changes(before, after)
        price = changes.pop("price", None)
        if changes:
            audit_record(
                actor=actor,
                action="product.update",
                obj=product,
                changes=changes,
                exhibitor=product.exhibitor,
            )
        if price:
            audit_record(
                actor=actor,
                action="product.price",
                obj=product,
                changes={"price": price},
                exhibitor=product.exhibitor,
            )
        if stock != stock_seen:
            product_set_stock(product=product, actor=actor, expected=stock_seen, stock=stock)
        _add_photos(product=product, actor=actor, photos=photos, written=written)
        if changes or price:
            send_products_changed([product.pk])
    return product


def product_set_stock(*, product: Product, actor, expected: int, stock: int) -> None:
    """Set an absolute stock count, if the stock is still `expected`."""
    if stock < 0:
        raise CatalogError(_("The stock cannot be negative."), field="stock", code="stock_invalid")
    with transaction.atomic():
        changed = Product.objects.filter(pk=product.pk, stock=expected).update(stock=stock)
        if not changed:
            current = Product.objects.values_list("stock", flat=True).get(pk=product.pk)
            raise StockChanged(current=current)
        product.stock = stock
        send_products_changed([product.pk])
        audit_record(
            actor=actor,
            action="product.stock",
            obj=product,
            changes={"stock": [expected, stock]},
            exhibitor=product.exhibitor,
        )


def product_photo_delete(*, image: ProductImage, actor) -> None:
    product = image.product
    with transaction.atomic():
        names = [image.image.name, image.thumbnail.name]
        image.delete()
        audit_record(
            actor=actor,
            action="product.photo_delete",
            obj=product,
            changes={"photo": names[0]},
            exhibitor=product.exhibitor,
        )
        storage = ProductImage._meta.get_field("image").storage
        transaction.on_commit(lambda: _delete_files(storage, names))


def product_photo_move(*, image: ProductImage, actor, step: int) -> None:
    """Move a photo one place earlier (step -1) or later (+1); the first is the cover."""
    product = image.product
    with transaction.atomic():
        photos = list(product.images.select_for_update().order_by("position", "pk"))
        index = next(i for i, photo in enumerate(photos) if photo.pk == image.pk)
        target = index + step
        if not 0 <= target < len(photos):
            return
        photos[index], photos[target] = photos[target], photos[index]
        for position, photo in enumerate(photos):
            if photo.position != position:
                ProductImage.objects.filter(pk=photo.pk).update(position=position)
        audit_record(
            actor=actor,
            action="product.photo_move",
            obj=product,
            changes={"order": [photo.pk for photo in photos]},
            exhibitor=product.exhibitor,
        )


@dataclass(frozen=True)
class ImportSummary:
    created: list[str]
    updated: list[str]


def products_import(*, exhibitor: Exhibitor, actor, rows: Sequence[ProductRow]) -> ImportSummary:
    """Create or update (by SKU) every row, all in one transaction.

    The rows come checked from gelar.catalog.imports.read_products; an existing
    product's stock is set under a row lock, so an order cannot slip in between.
    """
    changed: list[int] = []
    created: list[str] = []
    updated: list[str] = []
    with transaction.atomic():
        skus = [row.sku for row in rows if row.sku]
        existing = {
            product.sku: product
            for product in Product.objects.select_for_update()
            .filter(exhibitor=exhibitor, sku__in=skus)
            .order_by("pk")
        }
        taken_slugs = set(
            Product.objects.filter(exhibitor=exhibitor).values_list("slug", flat=True)
        )
        for row in rows:
            data = ProductData(
                name=row.name,
                description=row.description,
                price=row.price,
                sku=row.sku,
                is_active=row.is_active,
            )
            product = existing.get(row.sku) if row.sku else None
            if product is None:
                slug = _free_slug(exhibitor=exhibitor, name=row.name, taken=taken_slugs)
                taken_slugs.add(slug)
                product = Product.objects.create(
                    exhibitor=exhibitor, slug=slug, stock=row.stock, **_fields(data)
                )
                created.append(product.name)
                continue
            before = {**_fields(product), "stock": product.stock}
            after = {**_fields(data), "stock": row.stock}
            for name, value in after.items():
                setattr(product, name, value)
            product.save(update_fields=[*after, "updated_at"])
            changes = field_changes(before, after)
            price = changes.pop("price", None)
            stock = changes.pop("stock", None)
            for action, key, value in (
                ("product.update", None, changes),
                ("product.price", "price", price),
                ("product.stock", "stock", stock),
            ):
                if value:
                    audit_record(
                        actor=actor,
                        action=action,
                        obj=product,
                        changes=value if key is None else {key: value},
                        exhibitor=exhibitor,
                    )
            if changes or price or stock:
                changed.append(product.pk)
            updated.append(product.name)
        send_products_changed(changed)
        audit_record(
            actor=actor,
            action="product.import",
            obj=exhibitor,
            changes={"created": len(created), "updated": len(updated)},
            exhibitor=exhibitor,
        )
    return ImportSummary(created=created, updated=updated)


# --- helpers ---


def _fields(source) -> dict:
    return {
        "name": source.name,
        "description": source.description,
        "price": source.price,
        "sku": source.sku,
        "is_active": source.is_active,
    }


def _check_sku(*, exhibitor: Exhibitor, sku: str, product_pk: int | None) -> None:
    if not sku:
        return
    clash = Product.objects.filter(exhibitor=exhibitor, sku=sku).exclude(pk=product_pk)
    if clash.exists():
        raise _duplicate_sku(sku)


def _duplicate_sku(sku: str) -> CatalogError:
    return CatalogError(
        _("Another of your products already has the SKU %(sku)s.") % {"sku": sku},
        field="sku",
        code="sku_taken",
    )


def _save_sku_safely(product: Product, **kwargs) -> None:
    # The check above can lose a race with a teammate saving the same SKU;
    # the unique constraint catches it and the person gets the same message.
    try:
        with transaction.atomic():
            product.save(**kwargs)
    except IntegrityError:
        if product.sku and (
            Product.objects.filter(exhibitor=product.exhibitor_id, sku=product.sku)
            .exclude(pk=product.pk)
            .exists()
        ):
            raise _duplicate_sku(product.sku) from None
        raise


def _free_slug(*, exhibitor: Exhibitor, name: str, taken: set[str] | None = None) -> str:
    base = slugify(name)[:70].strip("-") or "produk"
    if taken is None:
        taken = set(
            Product.objects.filter(exhibitor=exhibitor, slug__startswith=base).values_list(
                "slug", flat=True
            )
        )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_photo_count(*, existing: int, new: int) -> None:
    if existing + new > MAX_PHOTOS:
        raise CatalogError(
            _("A product can have at most %(max)s photos; it has %(existing)s.")
            % {"max": MAX_PHOTOS, "existing": existing},
            field="photos",
            code="too_many_photos",
        )


def _add_photos(
    *, product: Product, actor, photos: Sequence[ProcessedImage], written: list
) -> None:
    if not photos:
        return
    start = product.images.aggregate(last=Max("position"))["last"]
    start = 0 if start is None else start + 1
    prefix = f"{product.exhibitor_id}-"
    for offset, photo in enumerate(photos):
        image = ProductImage(product=product, alt=product.name[:200], position=start + offset)
        image.image.save(stored_name(prefix), photo.content, save=False)
        written.append((image.image.storage, image.image.name))
        if photo.thumbnail is not None:
            image.thumbnail.save(stored_name(prefix), photo.thumbnail, save=False)
            written.append((image.thumbnail.storage, image.thumbnail.name))
        image.save()
    audit_record(
        actor=actor,
        action="product.photo_add",
        obj=product,
        changes={"photos": len(photos)},
        exhibitor=product.exhibitor,
    )


class _files_removed_on_error:
    """Files are written before the transaction commits; if it rolls back, remove them."""

    def __enter__(self) -> list:
        self.written: list = []
        return self.written

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc_type is not None:
            for storage, name in self.written:
                storage.delete(name)
        return False


def _delete_files(storage, names) -> None:
    for name in names:
        if name:
            storage.delete(name)
