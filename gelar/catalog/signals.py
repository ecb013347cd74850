"""What other apps may want to hear from the catalogue, sent after commit.

`products_changed` (kwargs: product_ids) goes out when products' stock, price,
name or visibility changed: live shopping pushes a fresh snapshot when one of
them is pinned. A signal rather than an import, so the catalogue (which every
selling app builds on) depends on none of them.
"""

from django.db import transaction
from django.dispatch import Signal

products_changed = Signal()


def send_products_changed(product_ids) -> None:
    """Send products_changed on commit (at once outside a transaction)."""
    ids = sorted(set(product_ids))
    if ids:
        transaction.on_commit(lambda: products_changed.send_robust(sender=None, product_ids=ids))
