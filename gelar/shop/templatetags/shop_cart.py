"""The cart link in the expo header: the item count, read from the session (no query
when the visitor has no session yet)."""

from django import template

from gelar.shop.cart import cart_count as count_of

register = template.Library()


@register.simple_tag(takes_context=True)
def cart_count(context, expo) -> int:
    request = context.get("request")
    if request is None or expo is None or not hasattr(request, "session"):
        return 0
    return count_of(request.session, expo=expo)
