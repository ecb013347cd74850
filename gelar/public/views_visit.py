"""The visit beacon: POST /expo/<slug>/jejak/. static/js/visit.js sends it from every
page of an expo a visitor may land on: the home, directory, search and floor plan (a
visit of the expo) and the booth and product pages (with `booth`: a visit of that
booth too -- a product seen is its seller's booth visited).

The count comes from this beacon, not from the page view, so the pages stay cacheable
(no cookie, no per-visitor work in them). The visitor is a random key in the
`gelar_vid` cookie, set here when missing; reports.services.visit_record stores its
SHA-256 only, once per visitor per day.

Anyone can POST here, so the number of visitors is only worth what it costs to make one:
- the cookie is signed (SECRET_KEY): a made-up key is no cookie, not a visitor;
- a request without a valid cookie makes a new visitor, and one client address makes at
  most NEW_VISITORS_PER_HOUR of them (gelar.common.throttle); beyond that the beacon
  answers 204 as usual and counts nothing. A visitor who already has a cookie is never
  refused: the budget is on new visitors only.

CSRF: exempt. The beacon changes nothing of anyone's -- it inserts a count row or
nothing -- and a forged request can do no more than a direct one, which anybody can
send without a token; asking for a token would put a CSRF cookie (and Vary: Cookie)
on the public pages that should stay cacheable. SameSite=Lax keeps the visitor's
cookie out of cross-site POSTs anyway.
"""

import re
import secrets

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from gelar.common import throttle
from gelar.events import selectors as events
from gelar.events.access import member_role
from gelar.events.models import Expo
from gelar.exhibitors import selectors as exhibitors
from gelar.exhibitors.models import Participation
from gelar.reports.services import visit_record

VISITOR_COOKIE = "gelar_vid"
VISITOR_COOKIE_AGE = 365 * 24 * 3600
# Signs the cookie's value: "<key>:<signature>".
VISITOR_COOKIE_SALT = "gelar.reports.visitor"
# New visitors one client address may make in an hour: a script gets no further. Not 5:
# a carrier's NAT puts many real phones behind one address (a guess, to revisit once
# real traffic is seen).
NEW_VISITORS_PER_HOUR = 60
# secrets.token_urlsafe(24): 32 characters; anything else is replaced by a fresh key.
_VISITOR_KEY = re.compile(r"[A-Za-z0-9_-]{32}")
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")
# Crawlers say so in their User-Agent; they are not visitors.
_BOT = re.compile(r"bot|spider|crawl", re.IGNORECASE)


@csrf_exempt
@never_cache
@require_POST
def visit(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        expo = events.public_expo(slug=slug)
    except Expo.DoesNotExist:
        raise Http404("expo") from None
    booth = request.POST.get("booth", "")
    exhibitor = None
    if booth:
        if not _SLUG.fullmatch(booth):
            return HttpResponseBadRequest(
                _("This booth name is not valid."), content_type="text/plain; charset=utf-8"
            )
        try:
            exhibitor = (
                exhibitors.accepted_participations(expo=expo)
                .select_related("exhibitor")
                .get(exhibitor__slug=booth)
                .exhibitor
            )
        except Participation.DoesNotExist:
            raise Http404("booth") from None
    response = HttpResponse(status=204)
    if _BOT.search(request.headers.get("User-Agent", "")):
        return response
    # The organizer's own team checking the pages is not an audience.
    if member_role(user=request.user, organizer=expo.organizer) is not None:
        return response
    key = request.get_signed_cookie(VISITOR_COOKIE, default="", salt=VISITOR_COOKIE_SALT)
    if not _VISITOR_KEY.fullmatch(key):
        if not throttle.take(
            f"gelar:visit:new:{throttle.client_key(request)}",
            limit=NEW_VISITORS_PER_HOUR,
            seconds=3600,
        ):
            return response
        key = secrets.token_urlsafe(24)
        response.set_signed_cookie(
            VISITOR_COOKIE,
            key,
            salt=VISITOR_COOKIE_SALT,
            max_age=VISITOR_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    visit_record(expo=expo, visitor_key=key, exhibitor=exhibitor)
    return response
