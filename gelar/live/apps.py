from django.apps import AppConfig


class LiveConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gelar.live"
    verbose_name = "Live"

    def ready(self) -> None:
        from gelar.catalog.signals import products_changed
        from gelar.live.services import stock_changed

        def on_products_changed(sender, *, product_ids, **kwargs) -> None:
            stock_changed(product_ids=product_ids)

        products_changed.connect(on_products_changed, dispatch_uid="live.stock_changed")
