"""Reads of exhibitors for the public site and the API.

The rule they share: only exhibitors whose participation in the expo is
ACCEPTED are public; applied, refused and withdrawn ones do not exist there.
"""

from dataclasses import dataclass, field

from django.db.models import Count, F, FilteredRelation, Q, QuerySet

from gelar.common.search import filter_by_search
from gelar.events.models import Expo
from gelar.exhibitors.models import Category, Exhibitor, Participation
from gelar.regions.models import Province, Regency

_ACCEPTED = Participation.Status.ACCEPTED


def accepted_participations(*, expo: Expo) -> QuerySet[Participation]:
    return Participation.objects.filter(expo=expo, status=_ACCEPTED)


def public_participation(
    *, expo: Expo, exhibitor_slug: str, with_links: bool = True
) -> Participation:
    """The accepted participation behind a booth page, with everything the page shows.

    Raises Participation.DoesNotExist when the exhibitor is unknown or not
    accepted in this expo.
    """
    participations = accepted_participations(expo=expo).select_related(
        "exhibitor__category", "exhibitor__region__province", "booth__hall"
    )
    if with_links:
        participations = participations.prefetch_related("exhibitor__links")
    return participations.get(exhibitor__slug=exhibitor_slug)


def public_exhibitors(*, expo: Expo) -> QuerySet[Exhibitor]:
    """Exhibitors accepted in the expo.

    Each row carries its participation's `participation_mode` ('venue' or
    'online') and `booth_code` (None online); a FilteredRelation keeps that to
    the one join, so later filters on the mode cannot multiply rows.
    """
    return (
        Exhibitor.objects.annotate(
            entry=FilteredRelation(
                "participations",
                condition=Q(participations__expo=expo, participations__status=_ACCEPTED),
            )
        )
        .filter(entry__isnull=False)
        .annotate(participation_mode=F("entry__mode"), booth_code=F("entry__booth__code"))
        .select_related("category", "region__province")
    )


def search_exhibitors(*, expo: Expo, q: str) -> QuerySet[Exhibitor]:
    """Accepted exhibitors matching every word of q (word prefix, case and accents folded)."""
    return filter_by_search(public_exhibitors(expo=expo), q)


def category_counts(*, expo: Expo) -> list[Category]:
    """Categories that have accepted exhibitors, each with its `exhibitor_count`."""
    return list(
        Category.objects.filter(
            exhibitors__participations__expo=expo, exhibitors__participations__status=_ACCEPTED
        )
        .annotate(exhibitor_count=Count("exhibitors", distinct=True))
        .order_by("position", "name")
    )


@dataclass(frozen=True)
class RegencyCount:
    regency: Regency
    count: int


@dataclass(frozen=True)
class ProvinceCount:
    province: Province
    count: int
    regencies: list[RegencyCount] = field(default_factory=list)


def region_counts(*, expo: Expo) -> list[ProvinceCount]:
    """Where the accepted exhibitors come from: provinces, then their regencies and cities.

    Both levels are sorted by count, largest first, then by name.
    """
    regencies = (
        Regency.objects.filter(
            exhibitors__participations__expo=expo, exhibitors__participations__status=_ACCEPTED
        )
        .annotate(exhibitor_count=Count("exhibitors", distinct=True))
        .select_related("province")
    )
    grouped: dict[str, list[RegencyCount]] = {}
    provinces: dict[str, Province] = {}
    for regency in regencies:
        provinces[regency.province_id] = regency.province
        grouped.setdefault(regency.province_id, []).append(
            RegencyCount(regency=regency, count=regency.exhibitor_count)
        )
    result = [
        ProvinceCount(
            province=provinces[code],
            count=sum(r.count for r in items),
            regencies=sorted(items, key=lambda r: (-r.count, r.regency.name)),
        )
        for code, items in grouped.items()
    ]
    return sorted(result, key=lambda p: (-p.count, p.province.name))


@dataclass(frozen=True)
class ModeSplit:
    """The venue/online split of an expo: the organizer's plan against the accepted exhibitors."""

    planned_venue_percent: int
    venue: int
    online: int

    @property
    def planned_online_percent(self) -> int:
        return 100 - self.planned_venue_percent

    @property
    def total(self) -> int:
        return self.venue + self.online

    @property
    def venue_percent(self) -> int:
        return round(100 * self.venue / self.total) if self.total else 0

    @property
    def online_percent(self) -> int:
        return 100 - self.venue_percent if self.total else 0


def mode_split(*, expo: Expo) -> ModeSplit:
    counts = accepted_participations(expo=expo).aggregate(
        venue=Count("pk", filter=Q(mode=Participation.Mode.VENUE)),
        online=Count("pk", filter=Q(mode=Participation.Mode.ONLINE)),
    )
    return ModeSplit(
        planned_venue_percent=expo.planned_venue_percent,
        venue=counts["venue"],
        online=counts["online"],
    )


@dataclass(frozen=True)
class DirectoryFacets:
    """The choices of the directory's filters: only values that have exhibitors in the expo."""

    categories: list[Category]
    provinces: list[ProvinceCount]

    def regencies_of(self, province_code: str) -> list[RegencyCount]:
        for province in self.provinces:
            if province.province.code == province_code:
                return sorted(province.regencies, key=lambda r: r.regency.name)
        return []

    def regency_options(self) -> dict[str, list[tuple[str, str, int]]]:
        """Province code -> (regency code, name, count) rows, e.g. for a JSON island."""
        return {
            p.province.code: [
                (r.regency.code, r.regency.name, r.count)
                for r in self.regencies_of(p.province.code)
            ]
            for p in self.provinces
        }


def directory_facets(*, expo: Expo) -> DirectoryFacets:
    provinces = sorted(region_counts(expo=expo), key=lambda p: p.province.name)
    return DirectoryFacets(categories=category_counts(expo=expo), provinces=provinces)


MODES = (Participation.Mode.VENUE.value, Participation.Mode.ONLINE.value)
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class DirectoryFilters:
    """Validated directory filters; an empty string means 'any'."""

    category: str = ""
    province: str = ""
    regency: str = ""
    mode: str = ""
    q: str = ""

    @property
    def is_active(self) -> bool:
        return any((self.category, self.province, self.regency, self.mode, self.q))


def clean_directory_filters(
    *,
    facets: DirectoryFacets,
    category: str = "",
    province: str = "",
    regency: str = "",
    mode: str = "",
    q: str = "",
) -> DirectoryFilters:
    """Keep only values the expo offers; anything else (typos, junk, attacks) means 'any'.

    The values are checked against the facets in Python, so no raw input
    reaches the database. A regency given without its province implies it.
    """
    category_slugs = {c.slug for c in facets.categories}
    province_codes = {p.province.code for p in facets.provinces}
    regency_province = {
        r.regency.code: p.province.code for p in facets.provinces for r in p.regencies
    }
    category = category if category in category_slugs else ""
    province = province if province in province_codes else ""
    if regency not in regency_province or (province and regency_province[regency] != province):
        regency = ""
    if regency and not province:
        province = regency_province[regency]
    return DirectoryFilters(
        category=category,
        province=province,
        regency=regency,
        mode=mode if mode in MODES else "",
        q=" ".join(q.split())[:MAX_QUERY_LENGTH] if isinstance(q, str) else "",
    )


def directory(*, expo: Expo, filters: DirectoryFilters) -> QuerySet[Exhibitor]:
    """Accepted exhibitors narrowed by the filters: by relevance when searching, else by name."""
    exhibitors = public_exhibitors(expo=expo)
    if filters.category:
        exhibitors = exhibitors.filter(category__slug=filters.category)
    if filters.regency:
        exhibitors = exhibitors.filter(region_id=filters.regency)
    elif filters.province:
        exhibitors = exhibitors.filter(region__province_id=filters.province)
    if filters.mode:
        exhibitors = exhibitors.filter(participation_mode=filters.mode)
    if filters.q:
        return filter_by_search(exhibitors, filters.q)
    return exhibitors.order_by("name", "pk")
