"""The buyer's cart: per expo, {product id: quantity} in the session.

Beside it, per expo, {product id: live pin id} for products added with "Beli
sekarang" while pinned in a live session; the checkout carries the pin onto the
order line for the session's stats (gelar.orders.services checks it).

The session holds only ids and quantities, never a price or a name: every
page prices the cart again from the database (price_cart), so a stale or
forged session cannot change what is charged -- and checkout_submit prices it
once more under the stock lock anyway. The session is the buyer's own
(a signed cookie id), but its contents are still treated as untrusted input:
junk entries are dropped when read.
"""

from dataclasses import dataclass, field

from django.contrib.sessions.backends.base import SessionBase
from django.utils.translation import gettext as _

from gelar.catalog.models import Product
from gelar.catalog.selectors import product_cards, public_products
from gelar.events.models import Expo
from gelar.exhibitors.models import Exhibitor
from gelar.orders.models import MAX_LINE_QUANTITY
from gelar.orders.services import MAX_CHECKOUT_LINES

SESSION_KEY = "shop_cart"
PINS_KEY = "shop_cart_pins"
# The largest primary key (BigAutoField): a bigger number is no product, and the
# database driver would refuse to even compare it.
MAX_ID = 2**63 - 1


class CartError(Exception):
    """The cart refused a change; `message` is for the buyer."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- the session ------------------------------------------------------------------


def cart_quantities(session: SessionBase, *, expo: Expo) -> dict[int, int]:
    """{product id: quantity} of the expo's cart, junk entries left out."""
    raw = session.get(SESSION_KEY, {})
    lines = raw.get(str(expo.pk), {}) if isinstance(raw, dict) else {}
    if not isinstance(lines, dict):
        return {}
    cleaned = {}
    for key, quantity in lines.items():
        if not (isinstance(key, str) and key.isdigit() and 0 < int(key) <= MAX_ID):
            continue
        if isinstance(quantity, int) and not isinstance(quantity, bool):
            if 1 <= quantity <= MAX_LINE_QUANTITY:
                cleaned[int(key)] = quantity
    return dict(list(cleaned.items())[:MAX_CHECKOUT_LINES])


def cart_pins(session: SessionBase, *, expo: Expo) -> dict[int, int]:
    """{product id: live pin id} of the expo's cart lines bought from a pin, junk left out."""
    raw = session.get(PINS_KEY, {})
    pins = raw.get(str(expo.pk), {}) if isinstance(raw, dict) else {}
    if not isinstance(pins, dict):
        return {}
    quantities = cart_quantities(session, expo=expo)
    return {
        int(key): pin_id
        for key, pin_id in pins.items()
        if isinstance(key, str)
        and key.isdigit()
        and int(key) in quantities
        and isinstance(pin_id, int)
        and not isinstance(pin_id, bool)
        and 0 < pin_id <= MAX_ID
    }


def _store(
    session: SessionBase,
    *,
    expo: Expo,
    quantities: dict[int, int],
    pins: dict[int, int] | None = None,
) -> None:
    raw = session.get(SESSION_KEY, {})
    carts = dict(raw) if isinstance(raw, dict) else {}
    if quantities:
        carts[str(expo.pk)] = {str(pk): quantity for pk, quantity in quantities.items()}
    else:
        carts.pop(str(expo.pk), None)
    session[SESSION_KEY] = carts
    # Pins only for lines still in the cart.
    kept = {
        pk: pin_id
        for pk, pin_id in (cart_pins(session, expo=expo) if pins is None else pins).items()
        if pk in quantities
    }
    raw = session.get(PINS_KEY, {})
    all_pins = dict(raw) if isinstance(raw, dict) else {}
    if kept:
        all_pins[str(expo.pk)] = {str(pk): pin_id for pk, pin_id in kept.items()}
    else:
        all_pins.pop(str(expo.pk), None)
    if all_pins:
        session[PINS_KEY] = all_pins
    else:
        session.pop(PINS_KEY, None)


def cart_count(session: SessionBase, *, expo: Expo) -> int:
    """How many items (the sum of the quantities) the expo's cart holds."""
    return sum(cart_quantities(session, expo=expo).values())


def cart_add(
    session: SessionBase,
    *,
    expo: Expo,
    product: Product,
    quantity: int,
    pin_id: int | None = None,
) -> int:
    """Add `quantity` of a public product; returns the new quantity of its line.

    `pin_id`: the live pin it was added from; the line keeps the latest one.

    Raises CartError for a sold-out product, a line above 100 or above the stock,
    and a cart with too many different products.
    """
    quantities = cart_quantities(session, expo=expo)
    if product.stock <= 0:
        raise CartError(_("%(name)s is sold out.") % {"name": product.name})
    new = quantities.get(product.pk, 0) + quantity
    if new > MAX_LINE_QUANTITY:
        raise CartError(
            _("You can order at most %(max)s of one product.") % {"max": MAX_LINE_QUANTITY}
        )
    if new > product.stock:
        raise CartError(
            _("Only %(available)s of %(name)s left.")
            % {"available": product.stock, "name": product.name}
        )
    if product.pk not in quantities and len(quantities) >= MAX_CHECKOUT_LINES:
        raise CartError(
            _("A cart can hold at most %(max)s different products.") % {"max": MAX_CHECKOUT_LINES}
        )
    quantities[product.pk] = new
    pins = cart_pins(session, expo=expo)
    if pin_id is not None:
        pins[product.pk] = pin_id
    _store(session, expo=expo, quantities=quantities, pins=pins)
    return new


def cart_set(session: SessionBase, *, expo: Expo, quantities: dict[int, int]) -> None:
    """Replace the quantities of lines already in the cart (1..100 each)."""
    current = cart_quantities(session, expo=expo)
    for product_id, quantity in quantities.items():
        if product_id in current and 1 <= quantity <= MAX_LINE_QUANTITY:
            current[product_id] = quantity
    _store(session, expo=expo, quantities=current)


def cart_remove(session: SessionBase, *, expo: Expo, product_id: int) -> None:
    quantities = cart_quantities(session, expo=expo)
    quantities.pop(product_id, None)
    _store(session, expo=expo, quantities=quantities)


def cart_clear(session: SessionBase, *, expo: Expo) -> None:
    _store(session, expo=expo, quantities={})


# --- pricing ----------------------------------------------------------------------


@dataclass
class CartLine:
    product_id: int
    quantity: int
    product: Product | None
    # "" when the line can be bought; otherwise why it is left out of the checkout.
    problem: str = ""
    # A warning that does not leave the line out (fewer in stock than asked).
    warning: str = ""

    @property
    def name(self) -> str:
        return self.product.name if self.product else _("A product that is no longer listed")

    @property
    def unit_price(self) -> int:
        return self.product.price if self.product else 0

    @property
    def line_total(self) -> int:
        return self.unit_price * self.quantity


@dataclass
class BoothCart:
    exhibitor: Exhibitor
    lines: list[CartLine] = field(default_factory=list)

    @property
    def subtotal(self) -> int:
        return sum(line.line_total for line in self.lines)


@dataclass
class PricedCart:
    booths: list[BoothCart]
    # Lines left out: unknown, hidden, no longer in the expo, or sold out.
    excluded: list[CartLine]

    @property
    def total(self) -> int:
        return sum(booth.subtotal for booth in self.booths)

    @property
    def lines(self) -> list[CartLine]:
        return [line for booth in self.booths for line in booth.lines]

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def is_empty(self) -> bool:
        return not self.booths and not self.excluded


def price_cart(*, expo: Expo, quantities: dict[int, int]) -> PricedCart:
    """The cart priced from the database, grouped by booth; three queries at most.

    Lines whose product is unknown, hidden, not (any more) public in this expo,
    or sold out are returned apart in `excluded` with the reason.
    """
    if not quantities:
        return PricedCart(booths=[], excluded=[])
    ids = list(quantities)
    products = {
        p.pk: p
        for p in product_cards(Product.objects.filter(pk__in=ids).select_related("exhibitor"))
    }
    public_ids = set(public_products(expo=expo).filter(pk__in=ids).values_list("pk", flat=True))
    booths: dict[int, BoothCart] = {}
    excluded = []
    for product_id, quantity in quantities.items():
        product = products.get(product_id)
        line = CartLine(product_id=product_id, quantity=quantity, product=product)
        if product is None or product_id not in public_ids:
            line.problem = _("No longer for sale; it is left out of your order.")
            excluded.append(line)
            continue
        if product.stock <= 0:
            line.problem = _("Sold out; it is left out of your order.")
            excluded.append(line)
            continue
        if quantity > product.stock:
            line.warning = _("Only %(available)s left; lower the quantity.") % {
                "available": product.stock
            }
        booth = booths.get(product.exhibitor_id)
        if booth is None:
            booth = booths[product.exhibitor_id] = BoothCart(exhibitor=product.exhibitor)
        booth.lines.append(line)
    ordered = sorted(booths.values(), key=lambda b: (b.exhibitor.name.casefold(), b.exhibitor.pk))
    for booth in ordered:
        booth.lines.sort(key=lambda line: (line.name.casefold(), line.product_id))
    return PricedCart(booths=ordered, excluded=excluded)
