"""Version 1 of the JSON API: the public catalogue, read-only.

Endpoints parse input, call the domain's selectors (the same ones the public
site uses, so the API and the pages agree on what is public) and shape the
result. Errors are JSON `{"detail": ...}` in the request's language.
"""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Schema
from ninja.errors import HttpError, ValidationError
from pydantic import Field

from gelar.api import schemas as out
from gelar.catalog import selectors as catalog
from gelar.catalog.models import Product
from gelar.events import selectors as events
from gelar.events.models import Expo
from gelar.exhibitors import selectors as exhibitors
from gelar.exhibitors.models import Exhibitor, Participation
from gelar.regions.models import Province, Regency

api = NinjaAPI(
    title="Gelar API",
    version="1",
    description="Public catalogue of Gelar's hybrid UMKM expos: expos, agenda, exhibitors, "
    "products. Money is whole Rupiah (integers); times are ISO 8601 with their offset.",
    urls_namespace="api-v1",
)

MAX_PER_PAGE = 100


class Paging(Schema):
    page: int = Field(1, ge=1, le=100_000)
    per_page: int = Field(24, ge=1, le=MAX_PER_PAGE)


def _field_message(error: dict) -> str:
    """pydantic's message for the common cases, in the request's language."""
    ctx = error.get("ctx") or {}
    kind = error.get("type", "")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Must be a whole number.")
    if kind == "greater_than_equal":
        return _("Must be at least %(limit)s.") % {"limit": ctx.get("ge")}
    if kind == "less_than_equal":
        return _("Must be at most %(limit)s.") % {"limit": ctx.get("le")}
    if kind == "string_too_long":
        return _("Must be at most %(limit)s characters.") % {"limit": ctx.get("max_length")}
    return error.get("msg", _("Invalid value."))


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError):
    fields = [
        {
            "field": ".".join(str(p) for p in error.get("loc", [])[1:]),
            "message": _field_message(error),
        }
        for error in exc.errors
    ]
    return api.create_response(
        request, {"detail": _("The request has invalid parameters."), "errors": fields}, status=422
    )


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def _media(request: HttpRequest, field) -> str | None:
    return _absolute(request, field.url) if field else None


def _paginate(queryset: QuerySet, paging: Paging) -> tuple[dict, list]:
    paginator = Paginator(queryset, paging.per_page)
    number = min(paging.page, max(paginator.num_pages, 1))
    page = paginator.page(number) if paginator.count else None
    meta = {
        "count": paginator.count,
        "page": number,
        "pages": paginator.num_pages if paginator.count else 0,
        "per_page": paging.per_page,
    }
    return meta, list(page.object_list) if page else []


def _expo_or_404(slug: str, *, with_agenda: bool = False) -> Expo:
    try:
        return events.public_expo(slug=slug, with_agenda=with_agenda)
    except Expo.DoesNotExist:
        raise HttpError(404, _("Expo not found.")) from None


def _participation_or_404(expo: Expo, exhibitor_slug: str) -> Participation:
    try:
        return exhibitors.public_participation(expo=expo, exhibitor_slug=exhibitor_slug)
    except Participation.DoesNotExist:
        raise HttpError(404, _("Exhibitor not found in this expo.")) from None


def _expo(request: HttpRequest, expo: Expo, now) -> dict:
    return {
        "slug": expo.slug,
        "name": expo.name,
        "tagline": expo.tagline,
        "organizer": {"name": expo.organizer.name, "slug": expo.organizer.slug},
        "start_date": expo.start_date,
        "end_date": expo.end_date,
        "time_zone": expo.time_zone,
        "venue_name": expo.venue_name,
        "venue_address": expo.venue_address,
        "status": expo.status,
        "phase": events.expo_phase(expo=expo, now=now),
        "planned_venue_percent": expo.planned_venue_percent,
        "planned_online_percent": expo.planned_online_percent,
        "stream_url": expo.stream_url,
        "url": _absolute(request, reverse("public:expo_home", args=[expo.slug])),
    }


def _exhibitor(request: HttpRequest, expo: Expo, exhibitor: Exhibitor, *, mode, booth_code):
    return {
        "slug": exhibitor.slug,
        "name": exhibitor.name,
        "category": {
            "slug": exhibitor.category.slug,
            "name": exhibitor.category.name,
            "name_en": exhibitor.category.name_en,
        },
        "region": {
            "code": exhibitor.region.code,
            "name": exhibitor.region.name,
            "province_code": exhibitor.region.province_id,
        },
        "province": {
            "code": exhibitor.region.province.code,
            "name": exhibitor.region.province.name,
        },
        "mode": mode,
        "booth_code": booth_code,
        "logo_url": _media(request, exhibitor.logo),
        "url": _absolute(request, reverse("public:booth", args=[expo.slug, exhibitor.slug])),
    }


def _image(request: HttpRequest, image) -> dict:
    return {"url": _media(request, image.image), "alt": image.alt}


def _product(request: HttpRequest, expo: Expo, product: Product, image) -> dict:
    return {
        "id": product.pk,  # what the checkout endpoint's lines name
        "slug": product.slug,
        "name": product.name,
        "exhibitor_slug": product.exhibitor.slug,
        "exhibitor_name": product.exhibitor.name,
        "price": product.price,
        "stock": product.stock,
        "in_stock": product.in_stock,
        "sku": product.sku,
        "image": _image(request, image) if image else None,
        "url": _absolute(
            request,
            reverse("public:product", args=[expo.slug, product.exhibitor.slug, product.slug]),
        ),
    }


def _product_cards(request: HttpRequest, expo: Expo, products) -> list[dict]:
    return [
        _product(request, expo, p, p.first_images[0] if p.first_images else None) for p in products
    ]


@api.get("/expos", response=out.ExpoPageOut, tags=["expos"])
def expo_list(request: HttpRequest, paging: Query[Paging]):
    """Public expos (published, live and closed), the newest first."""
    now = timezone.now()
    meta, expos = _paginate(events.public_expos().order_by("-start_date", "pk"), paging)
    return {**meta, "results": [_expo(request, expo, now) for expo in expos]}


@api.get("/expos/{slug}", response={200: out.ExpoDetailOut, 404: out.ErrorOut}, tags=["expos"])
def expo_detail(request: HttpRequest, slug: str):
    """One expo with its agenda (sessions and speakers)."""
    expo = _expo_or_404(slug, with_agenda=True)
    sessions = [
        {
            "title": s.title,
            "description": s.description,
            "starts_at": s.starts_at.astimezone(expo.tzinfo),
            "ends_at": s.ends_at.astimezone(expo.tzinfo),
            "stream_url": s.effective_stream_url,
            "speakers": [{"name": sp.name, "role": sp.role} for sp in s.speakers.all()],
        }
        for day in events.agenda_days(expo=expo)
        for s in day.sessions
    ]
    return {
        **_expo(request, expo, timezone.now()),
        "description": expo.description,
        "sessions": sessions,
    }


class ExhibitorFilters(Schema):
    category: str = Field("", max_length=50, description="category slug")
    province: str = Field("", max_length=2, description="province code, e.g. 33")
    regency: str = Field("", max_length=5, description="regency or city code, e.g. 33.75")
    mode: str = Field("", max_length=10, description="venue or online")
    q: str = Field("", max_length=200, description="words to search")


@api.get(
    "/expos/{slug}/exhibitors",
    response={200: out.ExhibitorPageOut, 400: out.ErrorOut, 404: out.ErrorOut},
    tags=["exhibitors"],
)
def exhibitor_list(
    request: HttpRequest, slug: str, filters: Query[ExhibitorFilters], paging: Query[Paging]
):
    """Accepted exhibitors of the expo, filtered like the public directory."""
    expo = _expo_or_404(slug)
    facets = exhibitors.directory_facets(expo=expo)
    given = filters.dict()
    cleaned = exhibitors.clean_directory_filters(facets=facets, **given)
    for name in ("category", "province", "regency", "mode"):
        # The directory page quietly drops a value the expo does not have; an
        # API client asked for it explicitly and is told.
        if given[name] and getattr(cleaned, name) != given[name]:
            raise HttpError(
                400,
                _("Unknown value of %(field)s for this expo: %(value)s")
                % {"field": name, "value": given[name]},
            )
    meta, rows = _paginate(exhibitors.directory(expo=expo, filters=cleaned), paging)
    results = [
        _exhibitor(request, expo, e, mode=e.participation_mode, booth_code=e.booth_code)
        for e in rows
    ]
    return {**meta, "results": results}


@api.get(
    "/expos/{slug}/exhibitors/{exhibitor_slug}",
    response={200: out.ExhibitorDetailOut, 404: out.ErrorOut},
    tags=["exhibitors"],
)
def exhibitor_detail(request: HttpRequest, slug: str, exhibitor_slug: str):
    expo = _expo_or_404(slug)
    participation = _participation_or_404(expo, exhibitor_slug)
    e = participation.exhibitor
    booth_code = participation.booth.code if participation.booth else None
    return {
        **_exhibitor(request, expo, e, mode=participation.mode, booth_code=booth_code),
        "owner_name": e.owner_name,
        "nib": e.nib,
        "description": e.description,
        "whatsapp": e.whatsapp,
        "video_url": e.video_url,
        "links": [{"kind": link.kind, "url": link.url} for link in e.links.all()],
    }


@api.get(
    "/expos/{slug}/exhibitors/{exhibitor_slug}/products",
    response={200: out.ProductPageOut, 404: out.ErrorOut},
    tags=["products"],
)
def exhibitor_products(request: HttpRequest, slug: str, exhibitor_slug: str, paging: Query[Paging]):
    expo = _expo_or_404(slug)
    participation = _participation_or_404(expo, exhibitor_slug)
    products = catalog.booth_products(expo=expo, exhibitor=participation.exhibitor)
    meta, rows = _paginate(products, paging)
    return {**meta, "results": _product_cards(request, expo, rows)}


class ProductFilters(Schema):
    q: str = Field("", max_length=200, description="words to search; empty lists every product")


@api.get(
    "/expos/{slug}/products",
    response={200: out.ProductPageOut, 404: out.ErrorOut},
    tags=["products"],
)
def product_list(
    request: HttpRequest, slug: str, filters: Query[ProductFilters], paging: Query[Paging]
):
    """Public products of the expo; with q, those matching every word, best first."""
    expo = _expo_or_404(slug)
    if filters.q.strip():
        products = catalog.search_products(expo=expo, q=filters.q)
    else:
        products = catalog.product_cards(catalog.public_products(expo=expo)).order_by("name", "pk")
    meta, rows = _paginate(products, paging)
    return {**meta, "results": _product_cards(request, expo, rows)}


@api.get(
    "/expos/{slug}/exhibitors/{exhibitor_slug}/products/{product_slug}",
    response={200: out.ProductDetailOut, 404: out.ErrorOut},
    tags=["products"],
)
def product_detail(request: HttpRequest, slug: str, exhibitor_slug: str, product_slug: str):
    expo = _expo_or_404(slug)
    participation = _participation_or_404(expo, exhibitor_slug)
    try:
        product = catalog.public_product(
            expo=expo, exhibitor=participation.exhibitor, slug=product_slug
        )
    except Product.DoesNotExist:
        raise HttpError(404, _("Product not found.")) from None
    images = list(product.images.all())
    return {
        **_product(request, expo, product, images[0] if images else None),
        "description": product.description,
        "images": [_image(request, image) for image in images],
    }


@api.get("/regions/provinces", response=list[out.ProvinceOut], tags=["regions"])
def province_list(request: HttpRequest):
    """All 38 provinces with their official (Kemendagri) codes."""
    return list(Province.objects.order_by("code").values("code", "name"))


@api.get(
    "/regions/provinces/{code}/regencies",
    response={200: list[out.RegencyOut], 404: out.ErrorOut},
    tags=["regions"],
)
def regency_list(request: HttpRequest, code: str):
    """The regencies and cities of a province."""
    regencies = list(Regency.objects.filter(province_id=code).order_by("code"))
    if not regencies:
        raise HttpError(404, _("Province not found."))
    return [{"code": r.code, "name": r.name, "province_code": r.province_id} for r in regencies]


# Routers of the other domains, mounted last so their paths follow the catalogue's.
from gelar.api.v1_gate import router as gate_router  # noqa: E402
from gelar.api.v1_live import router as live_router  # noqa: E402
from gelar.api.v1_orders import router as orders_router  # noqa: E402
from gelar.api.v1_payments import router as payments_router  # noqa: E402
from gelar.api.v1_pos import router as pos_router  # noqa: E402

api.add_router("", orders_router)
api.add_router("", payments_router)
api.add_router("", live_router)
api.add_router("", gate_router)
api.add_router("", pos_router)
