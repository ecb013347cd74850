from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gelar.common.fields import RupiahField
from gelar.common.text import normalize_search_text
from gelar.exhibitors.models import Exhibitor


class Product(models.Model):
    exhibitor = models.ForeignKey(
        Exhibitor, on_delete=models.CASCADE, related_name="products", verbose_name=_("exhibitor")
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    price = RupiahField(_("price (Rp)"))
    sku = models.CharField(_("SKU"), max_length=64, blank=True)
    # The one stock shared by the online shop and the booth. Changed only by the
    # stock services (conditional UPDATEs), never by read-modify-write.
    stock = models.PositiveIntegerField(_("stock"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    is_featured = models.BooleanField(_("featured"), default=False)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.UniqueConstraint(
                fields=["exhibitor", "slug"], name="product_slug_per_exhibitor"
            ),
            models.UniqueConstraint(
                fields=["exhibitor", "sku"],
                condition=~Q(sku=""),
                name="product_sku_per_exhibitor",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = normalize_search_text(self.name, self.sku, self.description)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    @property
    def in_stock(self) -> bool:
        return self.stock > 0


class ProductImage(models.Model):
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="images", verbose_name=_("product")
    )
    image = models.ImageField(_("image"), upload_to="products/")
    # A small square copy for cards and lists; empty for images made before it existed.
    thumbnail = models.ImageField(_("thumbnail"), upload_to="products/thumbs/", blank=True)
    alt = models.CharField(_("description of the image"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("product image")
        verbose_name_plural = _("product images")

    def __str__(self) -> str:
        return self.alt or self.image.name
