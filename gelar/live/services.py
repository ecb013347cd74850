"""Live shopping: pin and unpin a product, the announcement, snapshots, viewer counts.

Every change bumps LiveState.version in the transaction that makes it, writes the
audit log, and broadcasts a full snapshot after commit: a viewer who missed
events (reconnecting, or polling) trusts the snapshot with the highest version
it has seen, never a sum of deltas. Stock is read fresh into every snapshot, and
stock_changed() pushes a new one when a checkout, cancel or expiry moves the
stock of a pinned product.

Presence: each app process counts its own open sockets per session and writes
them to the cache (Redis when REDIS_URL is set, shared by all processes) under
its own key with a short expiry; viewers_now() sums the live keys, so a process
that dies stops counting within PRESENCE_TTL seconds.
"""

import datetime
import logging
import os
import secrets
import socket
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gelar.audit.services import audit_record
from gelar.catalog.models import Product
from gelar.catalog.selectors import public_products
from gelar.common.templatetags.gelar_format import rupiah
from gelar.events.models import AgendaSession
from gelar.events.selectors import public_expos
from gelar.live.broadcast import broadcast
from gelar.live.models import LiveState, Pin, ViewerSample

MAX_ANNOUNCEMENT_LENGTH = 300
# The cookie holding a viewer's key (gelar.live.models.Viewer), read by the socket,
# the chat endpoints and the expo home.
VIEWER_COOKIE = "gelar_viewer"
# A process's counts expire this long after its last refresh (it refreshes every few s).
PRESENCE_TTL = 30
# Viewer samples are taken on this grid, so two processes sampling at once write one row.
SAMPLE_SECONDS = 30
MAX_ID = 2**63 - 1
_PROCESSES_KEY = "live:presence:processes"
log = logging.getLogger(__name__)
PROCESS_ID = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


class LiveError(Exception):
    """A live change was refused; `message` is for the host, `code` for clients."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


# --- state --------------------------------------------------------------------------


def public_session(*, session_id: int) -> AgendaSession:
    """A session of a public expo, for viewers; raises AgendaSession.DoesNotExist."""
    if not 0 < session_id <= MAX_ID:  # the database would refuse to compare a bigger one
        raise AgendaSession.DoesNotExist
    return (
        AgendaSession.objects.filter(expo__in=public_expos())
        .select_related("expo__organizer")
        .get(pk=session_id)
    )


def live_state_of(*, session: AgendaSession) -> LiveState:
    state, _created = LiveState.objects.get_or_create(session=session)
    return state


def _locked_state(session: AgendaSession) -> LiveState:
    # get_or_create first (outside the lock it may race; the one-to-one keeps one row),
    # then lock the row: two hosts pinning at once take turns and both bump the version.
    live_state_of(session=session)
    return (
        LiveState.objects.select_for_update(of=("self",)).select_related("pin").get(session=session)
    )


def _bump(state: LiveState, **fields) -> None:
    for name, value in fields.items():
        setattr(state, name, value)
    state.version = F("version") + 1
    state.save(update_fields=[*fields, "version", "updated_at"])
    state.refresh_from_db(fields=["version"])


def _audit(session: AgendaSession, *, actor, action: str, obj, changes: dict) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=obj,
        changes={"session": session.pk, **changes},
        organizer=session.expo.organizer,
    )


def _broadcast_snapshot(session: AgendaSession) -> None:
    # Built after commit, so it carries what was committed (and the stock of that moment).
    session_id = session.pk

    def send() -> None:
        # After commit, the change is made: a failure here must not fail the host's
        # request (a retry would pin again); viewers catch up from the next snapshot.
        try:
            fresh = AgendaSession.objects.select_related("expo").get(pk=session_id)
            broadcast(session_id=session_id, event=live_snapshot(session=fresh))
        except Exception:
            log.exception("live snapshot of session %s not sent", session_id)

    transaction.on_commit(send)


def live_pin(
    *, session: AgendaSession, product: Product, actor, now: datetime.datetime | None = None
) -> Pin:
    """Pin `product` for every viewer of the session, closing the pin before it.

    The product must be an active product of an exhibitor ACCEPTED in the session's
    expo (what the public may buy); otherwise LiveError.
    """
    now = now or timezone.now()
    if not public_products(expo=session.expo).filter(pk=product.pk).exists():
        raise LiveError(
            _("This product is not for sale in this expo and cannot be pinned."),
            code="product_unavailable",
        )
    with transaction.atomic():
        state = _locked_state(session)
        previous = state.pin
        if previous is not None and previous.product_id == product.pk:
            # A double click (or two hosts) pinning what is pinned: one pin, so its
            # clicks and orders are not split in two.
            return previous
        if previous is not None:
            _close(previous, now=now)
        pin = Pin.objects.create(session=session, product=product, pinned_by=actor, pinned_at=now)
        _bump(state, pin=pin)
        _audit(
            session,
            actor=actor,
            action="live.pin",
            obj=pin,
            changes={
                "product": product.pk,
                "replaced_pin": previous.pk if previous else None,
                "version": state.version,
            },
        )
    _broadcast_snapshot(session)
    return pin


def _close(pin: Pin, *, now: datetime.datetime) -> None:
    Pin.objects.filter(pk=pin.pk, unpinned_at__isnull=True).update(unpinned_at=now)


def live_unpin(*, session: AgendaSession, actor, now: datetime.datetime | None = None) -> None:
    """Take the pinned product down; nothing pinned is not an error (a double click)."""
    now = now or timezone.now()
    with transaction.atomic():
        state = _locked_state(session)
        pin = state.pin
        if pin is None:
            return
        _close(pin, now=now)
        _bump(state, pin=None)
        _audit(
            session,
            actor=actor,
            action="live.unpin",
            obj=pin,
            changes={"product": pin.product_id, "version": state.version},
        )
    _broadcast_snapshot(session)


def live_announce(*, session: AgendaSession, actor, text: str) -> LiveState:
    """Set the pinned announcement (one line, at most 300 characters); "" clears it."""
    text = " ".join((text or "").split())
    if len(text) > MAX_ANNOUNCEMENT_LENGTH:
        raise LiveError(
            _("The announcement may have at most %(limit)s characters.")
            % {"limit": MAX_ANNOUNCEMENT_LENGTH},
            code="announcement_too_long",
        )
    with transaction.atomic():
        state = _locked_state(session)
        before = state.announcement
        if before == text:
            return state
        _bump(state, announcement=text)
        _audit(
            session,
            actor=actor,
            action="live.announce",
            obj=state,
            changes={"announcement": [before, text], "version": state.version},
        )
    _broadcast_snapshot(session)
    return state


# --- snapshot -----------------------------------------------------------------------


def _image_url(product: Product) -> str | None:
    image = product.images.order_by("position", "pk").first()
    if image is None:
        return None
    field = image.thumbnail or image.image
    return field.url if field else None


def live_snapshot(*, session: AgendaSession) -> dict:
    """Everything a viewer must see now, JSON-able, with the state's version.

    The stock is read now, not cached on the pin: a snapshot is what a viewer
    who reconnects or polls may trust.
    """
    state = live_state_of(session=session)
    pin = None
    if state.pin_id is not None:
        pin_row = Pin.objects.select_related("product__exhibitor").get(pk=state.pin_id)
        product = pin_row.product
        expo_slug = session.expo.slug
        pin = {
            "id": pin_row.pk,
            "product": {
                "id": product.pk,
                "name": product.name,
                "price": product.price,
                "price_text": rupiah(product.price),
                "image": _image_url(product),
                "url": reverse(
                    "public:product", args=[expo_slug, product.exhibitor.slug, product.slug]
                ),
                "stock": product.stock,
                "sold_out": product.stock <= 0 or not product.is_active,
                "exhibitor": product.exhibitor.name,
            },
            "buy_url": reverse("shop:cart_add", args=[expo_slug]),
        }
    return {
        "type": "snapshot",
        "version": state.version,
        "session": {"id": session.pk, "title": session.title},
        "pin": pin,
        "announcement": state.announcement,
        "chat": {"open": state.chat_open, "slow_mode_seconds": state.slow_mode_seconds},
        "viewers": viewers_now(session_id=session.pk),
    }


def stock_changed(*, product_ids: Iterable[int]) -> None:
    """Send a fresh snapshot to the sessions whose pinned product's stock just moved.

    Called after commit by the order services (checkout, cancel, expiry); the
    stock is not part of the version (it moves without a host), so viewers
    accept a snapshot of the same version and take its stock.
    """
    ids = set(product_ids)
    if not ids:
        return
    try:
        states = LiveState.objects.filter(pin__product_id__in=ids).select_related("session__expo")
        for state in states:
            broadcast(session_id=state.session_id, event=live_snapshot(session=state.session))
    except Exception:  # the order is committed; a missed push is caught up by the next one
        log.exception("live stock push for products %s failed", sorted(ids))


# --- counters -----------------------------------------------------------------------


def pin_clicked(*, pin_id: int) -> bool:
    """Count a "Beli sekarang" tap; False when there is no such pin."""
    return bool(Pin.objects.filter(pk=pin_id).update(clicks=F("clicks") + 1))


def pin_added_to_cart(*, pin_id: int, product_id: int | None = None) -> bool:
    """Count a product added to a cart from its pin; False when there is no such pin
    (or, given `product_id`, when the pin is of another product: a forged form)."""
    pins = Pin.objects.filter(pk=pin_id)
    if product_id is not None:
        pins = pins.filter(product_id=product_id)
    return bool(pins.update(add_to_carts=F("add_to_carts") + 1))


# --- presence -----------------------------------------------------------------------


def _process_key(process_id: str) -> str:
    return f"live:presence:{process_id}"


def presence_publish(*, counts: dict[int, int], process_id: str = PROCESS_ID) -> None:
    """Write this process's open sockets per session (sync: call it off the event loop)."""
    cache.set(_process_key(process_id), {k: v for k, v in counts.items() if v > 0}, PRESENCE_TTL)
    processes = cache.get(_PROCESSES_KEY) or []
    if process_id not in processes:
        # A lost update here (two processes starting at once) heals on the next refresh.
        cache.set(_PROCESSES_KEY, [*processes, process_id], None)


def _presence() -> dict[int, int]:
    """{session id: open sockets} summed over every live process ({} if the cache is away:
    a count is not worth a failed page)."""
    try:
        processes = cache.get(_PROCESSES_KEY) or []
        found = cache.get_many([_process_key(p) for p in processes]) if processes else {}
    except Exception:
        log.exception("live presence unreadable")
        return {}
    if not processes:
        return {}
    alive = [p for p in processes if _process_key(p) in found]
    if len(alive) != len(processes):
        cache.set(_PROCESSES_KEY, alive, None)
    totals: dict[int, int] = {}
    for counts in found.values():
        for session_id, count in counts.items():
            totals[session_id] = totals.get(session_id, 0) + count
    return totals


def viewers_now(*, session_id: int) -> int:
    return _presence().get(session_id, 0)


def viewers_total() -> int:
    """Open viewer sockets of every session, over every live process (gelar.ops.metrics)."""
    return sum(_presence().values())


def sample_viewers(*, now: datetime.datetime | None = None) -> int:
    """Record the viewers of every session being watched; returns how many rows were written.

    The moment is rounded down to SAMPLE_SECONDS, so processes sampling in the
    same window write one row per session (the others are ignored).
    """
    now = now or timezone.now()
    moment = now.replace(microsecond=0) - datetime.timedelta(seconds=now.second % SAMPLE_SECONDS)
    totals = {sid: n for sid, n in _presence().items() if n > 0}
    if not totals:
        return 0
    existing = set(AgendaSession.objects.filter(pk__in=list(totals)).values_list("pk", flat=True))
    rows = [
        ViewerSample(session_id=sid, at=moment, viewers=n)
        for sid, n in sorted(totals.items())
        if sid in existing
    ]
    ViewerSample.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
