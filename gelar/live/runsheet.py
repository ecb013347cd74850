"""The run sheet of a session: the products the host plans to show, in order.

Positions are renumbered 0..n-1 on every change, under a lock on the session
row, so two hosts editing at once cannot end with two items in one place and
"move up" always swaps with the item shown just above.
"""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from gelar.audit.services import audit_record
from gelar.catalog.models import Product
from gelar.catalog.selectors import public_products
from gelar.events.models import AgendaSession
from gelar.live.models import RunSheetItem

MAX_NOTE_LENGTH = 200


class RunSheetError(Exception):
    """The run sheet refused a change; `message` is for the host."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def run_sheet_of(*, session: AgendaSession) -> list[RunSheetItem]:
    return list(
        RunSheetItem.objects.filter(session=session)
        .select_related("product__exhibitor")
        .order_by("position", "pk")
    )


def _lock(session: AgendaSession) -> None:
    AgendaSession.objects.select_for_update().filter(pk=session.pk).first()


def _audit(item: RunSheetItem, *, actor, action: str, changes: dict) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=item,
        changes={"session": item.session_id, "product": item.product_id, **changes},
        organizer=item.session.expo.organizer,
    )


def _clean_note(note: str) -> str:
    note = " ".join((note or "").split())
    if len(note) > MAX_NOTE_LENGTH:
        raise RunSheetError(
            _("A note can have at most %(max)s characters.") % {"max": MAX_NOTE_LENGTH},
            code="note_too_long",
        )
    return note


def runsheet_add(
    *, session: AgendaSession, product: Product, actor, note: str = ""
) -> RunSheetItem:
    """Put a product at the end of the run sheet.

    Only an active product of an accepted exhibitor of the session's expo, once.
    """
    note = _clean_note(note)
    if not public_products(expo=session.expo).filter(pk=product.pk).exists():
        raise RunSheetError(
            _("This product is not for sale in this expo."), code="product_unavailable"
        )
    with transaction.atomic():
        _lock(session)
        if RunSheetItem.objects.filter(session=session, product=product).exists():
            raise RunSheetError(
                _("%(name)s is already on the run sheet.") % {"name": product.name},
                code="duplicate",
            )
        last = RunSheetItem.objects.filter(session=session).aggregate(last=Max("position"))
        position = 0 if last["last"] is None else last["last"] + 1
        item = RunSheetItem.objects.create(
            session=session, product=product, position=position, note=note
        )
        _audit(item, actor=actor, action="live.runsheet.add", changes={"note": note})
    return item


def runsheet_remove(*, item: RunSheetItem, actor) -> None:
    with transaction.atomic():
        _lock(item.session)
        _audit(item, actor=actor, action="live.runsheet.remove", changes={})
        RunSheetItem.objects.filter(pk=item.pk).delete()
        _renumber(run_sheet_of(session=item.session))


def runsheet_move(*, item: RunSheetItem, actor, direction: str) -> None:
    """Swap the item with its neighbour above ("up") or below ("down"); at an end, nothing."""
    if direction not in ("up", "down"):
        raise RunSheetError(_("Move up or down."), code="bad_direction")
    with transaction.atomic():
        _lock(item.session)
        items = run_sheet_of(session=item.session)
        index = next((n for n, i in enumerate(items) if i.pk == item.pk), None)
        if index is None:
            return
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(items):
            return
        items[index], items[other] = items[other], items[index]
        _renumber(items)
        _audit(item, actor=actor, action="live.runsheet.move", changes={"direction": direction})


def _renumber(items: list[RunSheetItem]) -> None:
    changed = []
    for position, item in enumerate(items):
        if item.position != position:
            item.position = position
            changed.append(item)
    RunSheetItem.objects.bulk_update(changed, ["position"])
