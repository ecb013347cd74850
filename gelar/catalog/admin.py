from django.contrib import admin

from gelar.catalog.models import Product, ProductImage


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    extra = 0


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "exhibitor", "price", "stock", "is_active", "is_featured"]
    list_filter = ["is_active", "is_featured", "exhibitor__category"]
    search_fields = ["name", "sku", "exhibitor__name"]
    raw_id_fields = ["exhibitor"]
    # Stock changes go through the stock services once orders exist; the admin
    # shows it but does not edit it.
    readonly_fields = ["stock"]
    inlines = [ProductImageInline]
