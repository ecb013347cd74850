"""The buyer's email: the link to the order page, sent after the checkout committed."""

from django.core.cache import cache
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from gelar.orders.models import Checkout
from gelar.orders.selectors import checkout_for_buyer

# Long enough to outlive any resubmit of the same checkout.
SENT_FOR_SECONDS = 24 * 3600


def send_checkout_email(*, token: str, order_url: str, language: str | None) -> None:
    """Email the order page link to the buyer, once per checkout, in their language.

    A resubmit with the same idempotency key returns the same checkout; cache.add
    is atomic, so only the first submit that reaches here sends.
    """
    try:
        checkout = checkout_for_buyer(token=token)
    except Checkout.DoesNotExist:
        return
    if not checkout.buyer_email:
        return
    if not cache.add(f"shop:checkout-mail:{token}", True, SENT_FOR_SECONDS):
        return
    context = {"checkout": checkout, "orders": checkout.orders.all(), "order_url": order_url}
    with translation.override(language):
        subject = render_to_string("shop/email/checkout_subject.txt", context)
        body = render_to_string("shop/email/checkout_body.txt", context)
    send_mail(" ".join(subject.split()), body.strip() + "\n", None, [checkout.buyer_email])
