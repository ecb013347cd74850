"""How the exhibitor is paid: their static QRIS, bank account, cash and online payment.

The whole team (owner and staff) may see and change it, as the brief of issue 4
asks; every change is in the audit log with who made it.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from gelar.dashboard.forms_payments import PaymentSettingsForm
from gelar.dashboard.views import _exhibitor, _render
from gelar.payments import qris
from gelar.payments import services as payments


@login_required
def payment_settings(request: HttpRequest, slug: str) -> HttpResponse:
    business = _exhibitor(request, slug)
    current = payments.payment_settings_of(exhibitor=business)
    gateway_available = bool(settings.MIDTRANS_SERVER_KEY)
    if request.method == "POST":
        form = PaymentSettingsForm(request.POST, gateway_available=gateway_available)
        if form.is_valid():
            try:
                payments.payment_settings_update(
                    exhibitor=business,
                    actor=request.user,
                    data=form.to_input(current_gateway_enabled=current.gateway_enabled),
                )
            except payments.PaymentSettingsInvalid as error:
                field = error.field if error.field in form.fields else None
                form.add_error(field, ValidationError(error.message, code=error.code))
            else:
                messages.success(request, _("The payment settings are saved."))
                return redirect("dashboard:payment_settings", business.slug)
    else:
        form = PaymentSettingsForm(
            initial={
                "qris_payload": current.qris_payload,
                "bank_name": current.bank_name,
                "bank_account_number": current.bank_account_number,
                "bank_account_holder": current.bank_account_holder,
                "accepts_cash": current.accepts_cash,
                "gateway_enabled": current.gateway_enabled,
            },
            gateway_available=gateway_available,
        )
    return _render(
        request,
        "dashboard/payments_settings.html",
        business,
        form=form,
        current=current,
        # Drawn from the stored (validated) code only, never from what was just typed.
        qris_preview=qris.qris_svg(current.qris_payload) if current.qris_payload else "",
        methods=payments.payment_methods_for(exhibitor=business),
    )
