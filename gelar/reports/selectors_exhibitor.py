"""Reads of the exhibitor's side of the report: their bulk inquiries and their own
report (Outcome); and the buyer's inquiry page. The figures of the report itself are
gelar/reports/selectors.py's."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from gelar.exhibitors.models import Exhibitor, ExhibitorDocument, Participation
from gelar.orders.models import Order
from gelar.pos.models import PosSale
from gelar.reports.models import Inquiry, Outcome


def inquiries_for_exhibitor(*, exhibitor: Exhibitor, status: str = "") -> QuerySet[Inquiry]:
    """The business's inquiries, newest first; `status` narrows to one status."""
    inquiries = Inquiry.objects.filter(exhibitor=exhibitor).select_related("expo", "product")
    if status:
        inquiries = inquiries.filter(status=status)
    return inquiries.order_by("-created_at", "-pk")


def inquiry_counts(*, exhibitor: Exhibitor) -> dict[str, int]:
    """{status: count} for every status (zeros included), and "" for all of them."""
    counts = dict.fromkeys(Inquiry.Status.values, 0)
    rows = (
        Inquiry.objects.filter(exhibitor=exhibitor)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for status, count in rows:
        counts[status] = count
    counts[""] = sum(counts.values())
    return counts


def inquiry_for_exhibitor(*, exhibitor: Exhibitor, pk: int) -> Inquiry:
    """One of the business's inquiries; raises Inquiry.DoesNotExist for any other."""
    return (
        Inquiry.objects.select_related("expo", "product", "exhibitor")
        .filter(exhibitor=exhibitor)
        .get(pk=pk)
    )


def inquiry_for_buyer(*, token: str) -> Inquiry:
    """The inquiry behind a buyer's link; raises Inquiry.DoesNotExist."""
    return Inquiry.objects.select_related("expo", "exhibitor", "product").get(token=token)


def accepted_participation(*, exhibitor: Exhibitor, expo_slug: str) -> Participation:
    """The business's ACCEPTED participation in the expo with this slug, with the expo;
    raises Participation.DoesNotExist otherwise (an expo they did not exhibit at)."""
    return (
        Participation.objects.select_related("expo__organizer")
        .filter(exhibitor=exhibitor, status=Participation.Status.ACCEPTED)
        .get(expo__slug=expo_slug)
    )


def _with_report(participations: QuerySet[Participation]) -> QuerySet[Participation]:
    """The participations that have a report: ACCEPTED ones, and any other (withdrawn,
    refused or back to applied after selling) where the business left figures at the
    expo -- an order, a booth sale, a bulk inquiry or its own report. Their figures
    count in the organizer's report; the business sees them too. An application never
    accepted has none, so no report."""
    same = {"expo": OuterRef("expo_id"), "exhibitor": OuterRef("exhibitor_id")}
    return participations.filter(
        Q(status=Participation.Status.ACCEPTED)
        | Exists(Order.objects.filter(**same))
        | Exists(PosSale.objects.filter(**same))
        | Exists(Inquiry.objects.filter(**same))
        | Exists(Outcome.objects.filter(**same))
    )


def report_participations(*, exhibitor: Exhibitor) -> QuerySet[Participation]:
    """The business's participations that have a report, newest expo first."""
    return (
        _with_report(Participation.objects.filter(exhibitor=exhibitor))
        .select_related("expo", "booth")
        .order_by("-expo__start_date", "expo__name")
    )


def report_participation(*, exhibitor: Exhibitor, expo_slug: str) -> Participation:
    """The business's participation in the expo with this slug, with the expo, when it
    has a report (see _with_report); raises Participation.DoesNotExist otherwise."""
    return (
        _with_report(Participation.objects.filter(exhibitor=exhibitor))
        .select_related("expo__organizer", "booth")
        .get(expo__slug=expo_slug)
    )


def outcome_of(*, expo, exhibitor: Exhibitor) -> Outcome | None:
    return Outcome.objects.filter(expo=expo, exhibitor=exhibitor).first()


def licences_on_file(*, exhibitor: Exhibitor) -> list[str]:
    """The licences (Outcome.Licence codes) the business's documents show it holds:
    what the exhibitor's first report starts from."""
    kinds = set(
        ExhibitorDocument.objects.filter(exhibitor=exhibitor).values_list("kind", flat=True)
    )
    if exhibitor.nib:
        kinds.add(ExhibitorDocument.Kind.NIB)
    return [code for code in Outcome.Licence.values if code in kinds]
