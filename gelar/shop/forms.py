"""Forms of the shop: they parse what the buyer typed; the rules are in gelar.orders."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gelar.common.validators import normalize_whatsapp
from gelar.orders.models import MAX_LINE_QUANTITY, Order
from gelar.shop.cart import MAX_ID

QUANTITY_ERRORS = {
    "required": _("Enter a quantity."),
    "invalid": _("Enter a whole number."),
    "min_value": _("Enter at least 1."),
    "max_value": _("Enter at most %(limit_value)s."),
}


def quantity_field(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        min_value=1, max_value=MAX_LINE_QUANTITY, error_messages=QUANTITY_ERRORS, **kwargs
    )


class AddToCartForm(forms.Form):
    product = forms.IntegerField(min_value=1, max_value=MAX_ID)
    quantity = quantity_field(required=False)
    # The live pin of "Beli sekarang" (for the session's stats); junk is ignored, never
    # a reason to refuse the product.
    pin = forms.CharField(required=False, max_length=20)

    def clean_pin(self) -> int | None:
        pin = self.cleaned_data.get("pin", "")
        # isascii: "²".isdigit() is True, but int("²") fails.
        return int(pin) if pin.isascii() and pin.isdigit() and 0 < int(pin) <= MAX_ID else None

    def clean_quantity(self) -> int:
        # An absent quantity (the booth page's one-tap button) means one.
        quantity = self.cleaned_data.get("quantity")
        return 1 if quantity is None else quantity


class CartForm(forms.Form):
    """One quantity field per line already in the cart, named qty-<product id>."""

    def __init__(self, *args, product_ids, **kwargs):
        super().__init__(*args, **kwargs)
        for product_id in product_ids:
            self.fields[f"qty-{product_id}"] = quantity_field(
                label=_("Quantity"),
                widget=forms.NumberInput(attrs={"min": 1, "max": MAX_LINE_QUANTITY}),
            )

    def quantities(self) -> dict[int, int]:
        return {
            int(name.removeprefix("qty-")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("qty-")
        }


class CheckoutForm(forms.Form):
    """The buyer, one address, and per booth a delivery and a payment method.

    Booth fields are named delivery-<exhibitor id> and payment-<exhibitor id>;
    their choices are what that booth offers (pick-up only at a venue booth,
    the payment methods the exhibitor accepts, cash only where pick-up is).
    """

    name = forms.CharField(label=_("Your name"), max_length=200)
    whatsapp = forms.CharField(
        label=_("WhatsApp number"),
        max_length=30,
        help_text=_("The sellers confirm your order here, e.g. 0812 3456 7890."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        max_length=254,
        help_text=_("We send the link to your order page here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    address = forms.CharField(
        label=_("Delivery address"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "street-address"}),
        help_text=_("Only for courier or local delivery."),
    )
    city = forms.CharField(label=_("City or regency"), required=False, max_length=100)
    postal_code = forms.CharField(
        label=_("Postal code"),
        required=False,
        max_length=5,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    note = forms.CharField(label=_("Note for the sellers"), required=False, max_length=300)
    idempotency_key = forms.CharField(max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, booths, **kwargs):
        """booths: [(exhibitor, offers pick-up: bool, payment methods: list[str])]."""
        super().__init__(*args, **kwargs)
        self.booths = []
        for exhibitor, pickup, methods in booths:
            deliveries = [
                (value, label)
                for value, label in Order.Delivery.choices
                if value != Order.Delivery.PICKUP or pickup
            ]
            payments = [
                (value, label)
                for value, label in Order.PaymentMethod.choices
                if value in methods and (value != Order.PaymentMethod.CASH or pickup)
            ]
            delivery_name, payment_name = f"delivery-{exhibitor.pk}", f"payment-{exhibitor.pk}"
            self.fields[delivery_name] = forms.ChoiceField(
                label=_("Delivery"),
                choices=deliveries,
                widget=forms.RadioSelect,
                initial=deliveries[0][0],
                error_messages={"required": _("Choose a delivery.")},
            )
            self.fields[payment_name] = forms.ChoiceField(
                label=_("Payment"),
                choices=payments,
                widget=forms.RadioSelect,
                initial=payments[0][0] if payments else None,
                error_messages={"required": _("Choose a payment method.")},
            )
            self.booths.append((exhibitor, delivery_name, payment_name))

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_whatsapp(self) -> str:
        try:
            return normalize_whatsapp(self.cleaned_data["whatsapp"])
        except ValidationError as error:
            raise ValidationError(error.messages[0], code=error.code) from None

    def booth_fields(self):
        """[(exhibitor, delivery bound field, payment bound field)] for the template."""
        return [(exhibitor, self[d], self[p]) for exhibitor, d, p in self.booths]

    def choices_by_exhibitor(self) -> tuple[dict[int, str], dict[int, str]]:
        deliveries, payments = {}, {}
        for exhibitor, delivery_name, payment_name in self.booths:
            deliveries[exhibitor.pk] = self.cleaned_data[delivery_name]
            payments[exhibitor.pk] = self.cleaned_data[payment_name]
        return deliveries, payments
