"""Bulk inquiries, the buyer's side: the form on a booth
(/expo/<slug>/stan/<exhibitor>/grosir/, prefilled with ?product=<slug>) and the buyer's
page of their inquiry (/permintaan/<token>/: status and the exhibitor's answer).

No login: the token in the link is the key to the page. The rules are
gelar.reports.services'; these views parse, call one service, render. The form gives
the service the sender's address (gelar.common.throttle.client_key): one of its limits
is per address.
"""

import re

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from gelar.catalog import selectors as catalog
from gelar.common import throttle
from gelar.public.forms_inquiry import InquiryForm
from gelar.public.views import _expo_context, _expo_or_404, _participation_or_404
from gelar.reports import selectors_exhibitor as selectors
from gelar.reports import services
from gelar.reports.models import Inquiry

# secrets.token_urlsafe(24) makes 32 of these; anything else is no token (a 404 before
# any query).
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


def _private(response: HttpResponse) -> HttpResponse:
    # The link is the key: no search engine, no referrer carrying it to another site.
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def inquiry_new(request: HttpRequest, slug: str, exhibitor_slug: str) -> HttpResponse:
    expo = _expo_or_404(slug)
    participation = _participation_or_404(expo, exhibitor_slug, with_links=False)
    exhibitor = participation.exhibitor
    products = catalog.public_products(expo=expo).filter(exhibitor=exhibitor).order_by("name")
    status = 200
    if request.method == "POST":
        form = InquiryForm(request.POST, products=products)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                inquiry = services.inquiry_submit(
                    expo=expo,
                    exhibitor=exhibitor,
                    product=data["product"],
                    buyer_name=data["buyer_name"],
                    company=data["company"],
                    buyer_whatsapp=data["buyer_whatsapp"],
                    buyer_email=data["buyer_email"],
                    quantity=data["quantity"],
                    message=data["message"],
                    client=throttle.client_key(request),
                )
            except services.InquiryError as error:
                field = error.field if error.field in form.fields else None
                form.add_error(field, error.message)
                if isinstance(error, services.InquiryFlood):
                    status = 429
            else:
                messages.success(
                    request,
                    _("Your inquiry is sent to %(business)s. Keep this page's link.")
                    % {"business": exhibitor.name},
                )
                return redirect("public:inquiry", token=inquiry.token)
    else:
        wanted = request.GET.get("product", "")
        form = InquiryForm(products=products, initial={"product": wanted[:80]})
        # A stale or foreign ?product= leaves the choice empty rather than an error.
        if wanted and not products.filter(slug=wanted[:80]).exists():
            form.initial.pop("product")
    return render(
        request,
        "public/inquiry_new.html",
        _expo_context(expo, participation=participation, exhibitor=exhibitor, form=form),
        status=status,
    )


@never_cache
def inquiry(request: HttpRequest, token: str) -> HttpResponse:
    if not _TOKEN.fullmatch(token):
        raise Http404("inquiry")
    try:
        found = selectors.inquiry_for_buyer(token=token)
    except Inquiry.DoesNotExist:
        raise Http404("inquiry") from None
    return _private(
        render(
            request,
            "public/inquiry.html",
            _expo_context(found.expo, inquiry=found, exhibitor=found.exhibitor),
        )
    )
