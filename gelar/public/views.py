"""The public site: expo list, expo home, directory, booths, products, search, floor plan.

Views parse input, call the domain's selectors and render; the rules of what
is public live in the selectors.
"""

import datetime
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found as django_page_not_found

from gelar.catalog import selectors as catalog
from gelar.catalog.models import Product
from gelar.common.templatetags.gelar_format import rupiah
from gelar.common.text import search_terms
from gelar.events import selectors as events
from gelar.events.models import Expo
from gelar.exhibitors import selectors as exhibitors
from gelar.exhibitors.models import Participation
from gelar.live import services as live
from gelar.live.chat import chat_history, viewer_by_key
from gelar.public.embeds import player_for, whatsapp_url
from gelar.public.floorplan import draw_hall

PAGE_SIZE = 24
SEARCH_EXHIBITORS_LIMIT = 12


def _expo_or_404(slug: str, *, with_agenda: bool = False) -> Expo:
    try:
        return events.public_expo(slug=slug, with_agenda=with_agenda)
    except Expo.DoesNotExist:
        raise Http404("expo") from None


def _participation_or_404(
    expo: Expo, exhibitor_slug: str, *, with_links: bool = True
) -> Participation:
    try:
        return exhibitors.public_participation(
            expo=expo, exhibitor_slug=exhibitor_slug, with_links=with_links
        )
    except Participation.DoesNotExist:
        raise Http404("booth") from None


def _page(request: HttpRequest, items, per_page: int = PAGE_SIZE) -> Page:
    # get_page() turns 'abc', -1 and 999999 into the nearest real page instead of an error.
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def _expo_context(expo: Expo, **context) -> dict:
    is_over = events.expo_phase(expo=expo, now=timezone.now()) == "past"
    return {"expo": expo, "is_over": is_over, **context}


def expo_list(request: HttpRequest) -> HttpResponse:
    listing = events.expo_listing(now=timezone.now())
    return render(request, "public/expo_list.html", {"listing": listing})


# The panel shows the next session this long before it starts (chat and pins may
# begin before the broadcast does); further ahead the page only names it.
LIVE_AHEAD = datetime.timedelta(hours=12)


def _live_session(on_air: events.OnAir, now: datetime.datetime):
    """The session the live panel follows: the one on air, else the next one when it
    starts within LIVE_AHEAD; None when the panel is not shown."""
    if on_air.current is not None:
        return on_air.current
    if on_air.next is not None and on_air.next.starts_at - now <= LIVE_AHEAD:
        return on_air.next
    return None


def _live_panel(request: HttpRequest, on_air: events.OnAir, now: datetime.datetime) -> dict | None:
    """The session's live state rendered into the page: a late joiner without
    JavaScript still sees what is pinned; live.js takes over from it.

    `changes_at` is when the page's live section stops being right (the session
    ends, or the next one starts and takes the air): live.js reloads the page then,
    once, counting from the server's clock (`now`), so a client whose clock is off
    neither reloads too early (into the same page again) nor too late.
    """
    session = _live_session(on_air, now)
    if session is None:
        return None
    if session.starts_at > now:
        changes_at = session.starts_at
    elif on_air.next is not None:
        changes_at = min(session.ends_at, on_air.next.starts_at)
    else:
        changes_at = session.ends_at
    snapshot = live.live_snapshot(session=session)
    viewer = viewer_by_key(expo_id=session.expo_id, key=request.COOKIES.get(live.VIEWER_COOKIE))
    return {
        "session": session,
        "upcoming": session.starts_at > now,
        "iso": {
            name: moment.astimezone(datetime.UTC).isoformat(timespec="milliseconds")
            for name, moment in (
                ("starts_at", session.starts_at),
                ("ends_at", session.ends_at),
                ("changes_at", changes_at),
                ("now", now),
            )
        },
        "snapshot": snapshot,
        "pin": snapshot["pin"],
        "history": chat_history(session=session),
        "viewer_name": viewer.display_name if viewer else "",
        "urls": {
            "socket": f"/ws/live/{session.pk}/",
            "state": reverse("api-v1:live_session", args=[session.pk]),
            "viewer": reverse("api-v1:live_viewer", args=[session.pk]),
            "chat": reverse("api-v1:live_chat", args=[session.pk]),
            "click": reverse("api-v1:live_pin_click", args=[0]),
        },
        "texts": {
            "left": _("%(count)s left"),
            "sold_out": _("Sold out"),
            "watching": _("%(count)s watching"),
            "offline": _("Connection lost; showing updates every few seconds."),
            "pinned": _("Pinned: %(name)s, %(price)s, %(stock)s"),
            "unpinned": _("Nothing is pinned right now."),
        },
    }


def expo_home(request: HttpRequest, slug: str) -> HttpResponse:
    expo = _expo_or_404(slug, with_agenda=True)
    now = timezone.now()
    on_air = events.agenda_on_air(expo=expo, now=now)
    stream_url = on_air.current.effective_stream_url if on_air.current else expo.stream_url
    return render(
        request,
        "public/expo_home.html",
        _expo_context(
            expo,
            on_air=on_air,
            live=_live_panel(request, on_air, now),
            player=player_for(stream_url),
            agenda=events.agenda_days(expo=expo),
            featured=catalog.featured_products(expo=expo),
            categories=exhibitors.category_counts(expo=expo),
            regions=exhibitors.region_counts(expo=expo),
            split=exhibitors.mode_split(expo=expo),
        ),
    )


def _query(filters: exhibitors.DirectoryFilters, **changes: str) -> str:
    values = {
        "category": filters.category,
        "province": filters.province,
        "regency": filters.regency,
        "mode": filters.mode,
        "q": filters.q,
        **changes,
    }
    return urlencode({k: v for k, v in values.items() if v})


def _chips(filters: exhibitors.DirectoryFilters, facets: exhibitors.DirectoryFacets) -> list:
    """The active filters as (label, URL without it) pairs, for one-tap removal."""
    chips = []
    if filters.category:
        category = next(c for c in facets.categories if c.slug == filters.category)
        chips.append((category.display_name, _query(filters, category="")))
    if filters.province:
        province = next(p for p in facets.provinces if p.province.code == filters.province)
        chips.append((province.province.name, _query(filters, province="", regency="")))
    if filters.regency:
        regency = next(
            r for r in facets.regencies_of(filters.province) if r.regency.code == filters.regency
        )
        chips.append((regency.regency.name, _query(filters, regency="")))
    if filters.mode:
        label = Participation.Mode(filters.mode).label
        chips.append((label, _query(filters, mode="")))
    if filters.q:
        chips.append((f"“{filters.q}”", _query(filters, q="")))
    return chips


def directory(request: HttpRequest, slug: str) -> HttpResponse:
    expo = _expo_or_404(slug)
    facets = exhibitors.directory_facets(expo=expo)
    filters = exhibitors.clean_directory_filters(
        facets=facets,
        category=request.GET.get("category", ""),
        province=request.GET.get("province", ""),
        regency=request.GET.get("regency", ""),
        mode=request.GET.get("mode", ""),
        q=request.GET.get("q", ""),
    )
    page = _page(request, exhibitors.directory(expo=expo, filters=filters))
    return render(
        request,
        "public/directory.html",
        _expo_context(
            expo,
            facets=facets,
            filters=filters,
            regencies=facets.regencies_of(filters.province),
            # For the optional script that refills the regency list on a new province.
            regency_options=facets.regency_options(),
            modes=Participation.Mode.choices,
            page=page,
            base_query=_query(filters),
            chips=_chips(filters, facets),
        ),
    )


def booth(request: HttpRequest, slug: str, exhibitor_slug: str) -> HttpResponse:
    expo = _expo_or_404(slug)
    participation = _participation_or_404(expo, exhibitor_slug)
    exhibitor = participation.exhibitor
    message = _(
        "Hello %(booth)s, I saw your booth at %(expo)s. I would like to ask about your products."
    ) % {"booth": exhibitor.name, "expo": expo.name}
    drawing = None
    if participation.booth is not None:
        drawing = draw_hall(
            events.hall_plan(hall=participation.booth.hall),
            highlight_booth_id=participation.booth.pk,
        )
    return render(
        request,
        "public/booth.html",
        _expo_context(
            expo,
            participation=participation,
            exhibitor=exhibitor,
            video=player_for(exhibitor.video_url),
            page=_page(request, catalog.booth_products(expo=expo, exhibitor=exhibitor)),
            whatsapp=whatsapp_url(number=exhibitor.whatsapp, text=message),
            drawing=drawing,
        ),
    )


def product(
    request: HttpRequest, slug: str, exhibitor_slug: str, product_slug: str
) -> HttpResponse:
    expo = _expo_or_404(slug)
    participation = _participation_or_404(expo, exhibitor_slug, with_links=False)
    exhibitor = participation.exhibitor
    try:
        item = catalog.public_product(expo=expo, exhibitor=exhibitor, slug=product_slug)
    except Product.DoesNotExist:
        raise Http404("product") from None
    message = _(
        "Hello %(booth)s, I saw %(product)s (%(price)s) at your booth at %(expo)s. "
        "Is it still available? %(url)s"
    ) % {
        "booth": exhibitor.name,
        "product": item.name,
        "price": rupiah(item.price),
        "expo": expo.name,
        "url": request.build_absolute_uri(request.path),
    }
    return render(
        request,
        "public/product.html",
        _expo_context(
            expo,
            participation=participation,
            exhibitor=exhibitor,
            product=item,
            images=list(item.images.all()),
            whatsapp=whatsapp_url(number=exhibitor.whatsapp, text=message),
            others=catalog.other_products(expo=expo, product=item),
        ),
    )


def search(request: HttpRequest, slug: str) -> HttpResponse:
    expo = _expo_or_404(slug)
    q = " ".join(request.GET.get("q", "").split())[: exhibitors.MAX_QUERY_LENGTH]
    has_terms = bool(search_terms(q))
    page = found_exhibitors = None
    if has_terms:
        page = _page(request, catalog.search_products(expo=expo, q=q))
        found_exhibitors = list(
            exhibitors.search_exhibitors(expo=expo, q=q)[:SEARCH_EXHIBITORS_LIMIT]
        )
    return render(
        request,
        "public/search.html",
        _expo_context(
            expo,
            q=q,
            has_terms=has_terms,
            page=page,
            found_exhibitors=found_exhibitors,
            base_query=urlencode({"q": q}) if q else "",
        ),
    )


def floor_plan(request: HttpRequest, slug: str) -> HttpResponse:
    expo = _expo_or_404(slug)
    drawings = [draw_hall(plan, empty_label=_("Empty")) for plan in events.floor_plan(expo=expo)]
    return render(request, "public/floor_plan.html", _expo_context(expo, drawings=drawings))


def page_not_found(request, exception):
    return django_page_not_found(request, exception, template_name="404.html")
