"""The host console: /console/<expo>/live/ -- sessions, run sheet, pins, chat, stats.

Access: admin, staff and live-stream hosts of the expo's organizer; gate
officers and everyone else get a 404 and change nothing. Every action is one
plain POST calling one service of gelar.live, then a redirect back to the
console (works without JavaScript); a refusal re-renders the console with the
service's message and a 400.
"""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gelar.catalog.selectors import public_products
from gelar.common.search import filter_by_search
from gelar.console import forms_live as forms
from gelar.events.access import expo_for_member
from gelar.events.models import AgendaSession, Expo, OrganizerMember
from gelar.events.selectors import agenda_on_air
from gelar.live import chat, runsheet
from gelar.live import services as live
from gelar.live.models import ChatMessage, ChatSettings, LiveState, Pin, RunSheetItem, Viewer
from gelar.live.stats import session_stats

Role = OrganizerMember.Role
LIVE_ROLES = (Role.ADMIN, Role.STAFF, Role.HOST)
# Mute from the console is one click: ten minutes cools a viewer down.
MUTE_MINUTES = 10
CHAT_SHOWN = 50
PRODUCTS_OFFERED = 200


def _expo_or_404(request: HttpRequest, slug: str) -> Expo:
    try:
        return expo_for_member(user=request.user, expo_slug=slug, roles=LIVE_ROLES)
    except Expo.DoesNotExist:
        raise Http404("expo") from None


def _session_or_404(expo: Expo, pk: int) -> AgendaSession:
    try:
        return AgendaSession.objects.select_related("expo__organizer").get(expo=expo, pk=pk)
    except AgendaSession.DoesNotExist:
        raise Http404("session") from None


def _nav(request: HttpRequest, expo: Expo) -> dict:
    # A host sees only the live pages in the expo's tabs: the others would be 404s.
    is_host = not expo.organizer.members.filter(
        user=request.user, role__in=[Role.ADMIN, Role.STAFF]
    ).exists()
    return {"expo": expo, "nav_live_only": is_host}


# --- the sessions ---


@login_required
def sessions(request: HttpRequest, slug: str) -> HttpResponse:
    expo = _expo_or_404(request, slug)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    on_air = agenda_on_air(expo=expo, now=timezone.now())
    return render(
        request,
        "console/live_sessions.html",
        {
            **_nav(request, expo),
            "sessions": list(expo.sessions.all()),
            "on_air": on_air.current,
            "up_next": on_air.next,
            "zone": expo.time_zone,
        },
    )


# --- the host console of one session ---


def _offered_products(expo: Expo, session: AgendaSession, query: str):
    products = public_products(expo=expo).exclude(
        pk__in=RunSheetItem.objects.filter(session=session).values("product_id")
    )
    if query:
        products = filter_by_search(products, query)
    else:
        products = products.order_by("exhibitor__name", "name", "pk")
    return products


def _console_page(
    request: HttpRequest,
    expo: Expo,
    session: AgendaSession,
    *,
    status: int = 200,
    error: str = "",
    add_form=None,
    announce_form=None,
    rules_form=None,
    words_form=None,
) -> HttpResponse:
    # Read only: a page view creates no row (the services create the state when it changes).
    state = LiveState.objects.filter(session=session).first() or LiveState(session=session)
    pin = (
        Pin.objects.select_related("product__exhibitor").get(pk=state.pin_id)
        if state.pin_id
        else None
    )
    search = forms.ProductSearchForm(request.GET)
    query = search.query()
    offered = list(_offered_products(expo, session, query)[:PRODUCTS_OFFERED])
    return render(
        request,
        "console/live_console.html",
        {
            **_nav(request, expo),
            "session": session,
            "zone": expo.time_zone,
            "error": error,
            "state": state,
            "pin": pin,
            "run_sheet": runsheet.run_sheet_of(session=session),
            "viewers": live.viewers_now(session_id=session.pk),
            "search_form": search,
            "query": query,
            "offered": offered,
            "add_form": add_form or forms.RunSheetAddForm(products=public_products(expo=expo)),
            "announce_form": announce_form
            or forms.AnnouncementForm(initial={"text": state.announcement}),
            "rules_form": rules_form
            or forms.ChatRulesForm(
                initial={
                    "chat_open": state.chat_open,
                    "slow_mode_seconds": state.slow_mode_seconds,
                }
            ),
            "words_form": words_form
            or forms.BlockedWordsForm(
                initial={"blocked_words": _own_blocked_words(expo)},
            ),
            "chat_messages": _recent_messages(session),
            "mute_minutes": MUTE_MINUTES,
        },
        status=status,
    )


def _recent_messages(session: AgendaSession) -> list[ChatMessage]:
    """The last CHAT_SHOWN messages, newest first, hidden ones included (marked)."""
    recent = list(
        ChatMessage.objects.filter(session=session)
        .select_related("viewer")
        .order_by("-created_at", "-pk")[:CHAT_SHOWN]
    )
    now = timezone.now()
    for message in recent:
        message.viewer_muted = bool(message.viewer.muted_until and message.viewer.muted_until > now)
    return recent


def _now_fragment(request: HttpRequest, expo: Expo, session: AgendaSession) -> HttpResponse:
    """The viewer count and the recent messages with their moderation forms, which
    live_host.js puts into the open console every few seconds (the forms post to
    the same actions as the page's, so they work as they would after a reload)."""
    return render(
        request,
        "console/live_console_now.html",
        {
            "expo": expo,
            "session": session,
            "zone": expo.time_zone,
            "viewers": live.viewers_now(session_id=session.pk),
            "chat_messages": _recent_messages(session),
            "mute_minutes": MUTE_MINUTES,
        },
    )


def _own_blocked_words(expo: Expo) -> str:
    own = ChatSettings.objects.filter(expo=expo).values_list("blocked_words", flat=True)
    return own.first() or ""


@login_required
def console(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    expo = _expo_or_404(request, slug)
    session = _session_or_404(expo, pk)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    if request.GET.get("part") == "now":
        return _now_fragment(request, expo, session)
    return _console_page(request, expo, session)


def _host_action(view):
    """A POST action of the host console: the member's expo and session (404 for anyone
    else, whatever the method), then 405 for a method other than POST; the view is
    called as view(request, expo, session, **the URL's other arguments)."""

    @login_required
    @functools.wraps(view)
    def wrapper(request: HttpRequest, slug: str, pk: int, **kwargs) -> HttpResponse:
        expo = _expo_or_404(request, slug)
        session = _session_or_404(expo, pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return view(request, expo, session, **kwargs)

    return wrapper


def _back(expo: Expo, session: AgendaSession, anchor: str = "") -> HttpResponse:
    response = redirect("console:live_console", expo.slug, session.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


# --- run sheet ---


@_host_action
def runsheet_add(request: HttpRequest, expo: Expo, session: AgendaSession) -> HttpResponse:
    form = forms.RunSheetAddForm(request.POST, products=public_products(expo=expo))
    if not form.is_valid():
        return _console_page(request, expo, session, status=400, add_form=form)
    try:
        item = runsheet.runsheet_add(
            session=session,
            product=form.cleaned_data["product"],
            actor=request.user,
            note=form.cleaned_data["note"],
        )
    except runsheet.RunSheetError as error:
        form.add_error(None, error.message)
        return _console_page(request, expo, session, status=400, add_form=form)
    messages.success(request, _("%(name)s is on the run sheet.") % {"name": item.product.name})
    return _back(expo, session, "run-sheet")


def _item_or_404(session: AgendaSession, item_pk: int) -> RunSheetItem:
    try:
        return RunSheetItem.objects.select_related("product", "session__expo__organizer").get(
            session=session, pk=item_pk
        )
    except RunSheetItem.DoesNotExist:
        raise Http404("run sheet item") from None


@_host_action
def runsheet_remove(
    request: HttpRequest, expo: Expo, session: AgendaSession, item_pk: int
) -> HttpResponse:
    item = _item_or_404(session, item_pk)
    runsheet.runsheet_remove(item=item, actor=request.user)
    messages.success(request, _("%(name)s is off the run sheet.") % {"name": item.product.name})
    return _back(expo, session, "run-sheet")


@_host_action
def runsheet_move(
    request: HttpRequest, expo: Expo, session: AgendaSession, item_pk: int, direction: str
) -> HttpResponse:
    item = _item_or_404(session, item_pk)
    runsheet.runsheet_move(item=item, actor=request.user, direction=direction)
    return _back(expo, session, "run-sheet")


# --- pin, announcement ---


@_host_action
def pin(request: HttpRequest, expo: Expo, session: AgendaSession, item_pk: int) -> HttpResponse:
    item = _item_or_404(session, item_pk)
    try:
        live.live_pin(session=session, product=item.product, actor=request.user)
    except live.LiveError as error:
        return _console_page(request, expo, session, status=400, error=error.message)
    messages.success(request, _("%(name)s is pinned.") % {"name": item.product.name})
    return _back(expo, session, "pinned")


@_host_action
def unpin(request: HttpRequest, expo: Expo, session: AgendaSession) -> HttpResponse:
    live.live_unpin(session=session, actor=request.user)
    messages.success(request, _("Nothing is pinned now."))
    return _back(expo, session, "pinned")


@_host_action
def announce(request: HttpRequest, expo: Expo, session: AgendaSession) -> HttpResponse:
    form = forms.AnnouncementForm(request.POST)
    if not form.is_valid():
        return _console_page(request, expo, session, status=400, announce_form=form)
    try:
        state = live.live_announce(
            session=session, actor=request.user, text=form.cleaned_data["text"]
        )
    except live.LiveError as error:
        form.add_error("text", error.message)
        return _console_page(request, expo, session, status=400, announce_form=form)
    if state.announcement:
        messages.success(request, _("The announcement is shown."))
    else:
        messages.success(request, _("The announcement is removed."))
    return _back(expo, session, "pinned")


# --- chat moderation ---


def _message_or_404(session: AgendaSession, message_pk: int) -> ChatMessage:
    try:
        return ChatMessage.objects.select_related("session__expo__organizer").get(
            session=session, pk=message_pk
        )
    except ChatMessage.DoesNotExist:
        raise Http404("message") from None


def _viewer_or_404(expo: Expo, viewer_pk: int) -> Viewer:
    try:
        return Viewer.objects.select_related("expo__organizer").get(expo=expo, pk=viewer_pk)
    except Viewer.DoesNotExist:
        raise Http404("viewer") from None


@_host_action
def chat_delete(
    request: HttpRequest, expo: Expo, session: AgendaSession, message_pk: int
) -> HttpResponse:
    message = _message_or_404(session, message_pk)
    chat.chat_delete(message=message, actor=request.user)
    messages.success(request, _("The message is deleted."))
    return _back(expo, session, "chat")


@_host_action
def viewer_action(
    request: HttpRequest, expo: Expo, session: AgendaSession, viewer_pk: int, action: str
) -> HttpResponse:
    """Mute (MUTE_MINUTES), unmute or ban the viewer who wrote in this expo's chat."""
    viewer = _viewer_or_404(expo, viewer_pk)
    name = viewer.display_name
    if action == "mute":
        chat.viewer_mute(viewer=viewer, actor=request.user, minutes=MUTE_MINUTES)
        done = _("%(name)s is muted for %(minutes)s minutes.") % {
            "name": name,
            "minutes": MUTE_MINUTES,
        }
    elif action == "unmute":
        chat.viewer_unmute(viewer=viewer, actor=request.user)
        done = _("%(name)s may write again.") % {"name": name}
    elif action == "ban":
        chat.viewer_ban(viewer=viewer, actor=request.user)
        done = _("%(name)s is banned from the chat.") % {"name": name}
    else:
        raise Http404("action")
    messages.success(request, done)
    return _back(expo, session, "chat")


@_host_action
def chat_rules(request: HttpRequest, expo: Expo, session: AgendaSession) -> HttpResponse:
    form = forms.ChatRulesForm(request.POST)
    if not form.is_valid():
        return _console_page(request, expo, session, status=400, rules_form=form)
    try:
        chat.chat_set_rules(
            session=session,
            actor=request.user,
            chat_open=form.cleaned_data["chat_open"],
            slow_mode_seconds=form.cleaned_data["slow_mode_seconds"],
        )
    except chat.ChatRefused as error:
        form.add_error(None, error.message)
        return _console_page(request, expo, session, status=400, rules_form=form)
    messages.success(request, _("The chat rules are saved."))
    return _back(expo, session, "chat-rules")


@_host_action
def chat_words(request: HttpRequest, expo: Expo, session: AgendaSession) -> HttpResponse:
    form = forms.BlockedWordsForm(request.POST)
    if not form.is_valid():
        return _console_page(request, expo, session, status=400, words_form=form)
    try:
        chat.chat_settings_update(
            expo=expo, actor=request.user, blocked_words=form.cleaned_data["blocked_words"]
        )
    except chat.ChatRefused as error:
        form.add_error("blocked_words", error.message)
        return _console_page(request, expo, session, status=400, words_form=form)
    messages.success(request, _("The blocked words are saved."))
    return _back(expo, session, "chat-words")


# --- stats ---


@login_required
def stats(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    expo = _expo_or_404(request, slug)
    session = _session_or_404(expo, pk)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return render(
        request,
        "console/live_stats.html",
        {
            **_nav(request, expo),
            "session": session,
            "zone": expo.time_zone,
            "stats": session_stats(session=session),
        },
    )
