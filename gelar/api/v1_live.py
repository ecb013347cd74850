"""API v1: live sessions for viewers -- the polling fallback of the WebSocket.

A viewer whose network blocks WebSockets polls GET /live/sessions/{id} (the same
snapshot the socket sends, the chat after the last message it has, and the ids
of the recent messages a moderator has hidden since, which the client removes)
and posts through POST .../chat. The display name is set once with POST .../viewer,
which answers with the "gelar_viewer" cookie (HttpOnly, SameSite=Lax: another
site cannot post in the viewer's name); the socket reads the same cookie.
"""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from gelar.api.schemas import ErrorOut
from gelar.events.models import AgendaSession
from gelar.events.selectors import public_expos
from gelar.live import chat
from gelar.live import services as live
from gelar.live.models import MAX_CHAT_LENGTH, ChatMessage, Pin

router = Router(tags=["live"])

VIEWER_COOKIE_AGE = 365 * 24 * 3600
# Refusals a wait cures (429, with Retry-After) and those it does not (403).
_WAIT = {"flood", "slow_mode"}
_FORBIDDEN = {"banned", "muted", "closed", "no_name"}
# How far back a poll reports hidden messages: the socket's chat.history window,
# so a polling viewer and a connected one show the same recent chat.
HIDDEN_WINDOW = 50


class AfterQuery(Schema):
    after: int | None = Field(
        None, ge=0, le=live.MAX_ID, description="id of the last chat message the client has"
    )


class LiveOut(Schema):
    snapshot: dict = Field(..., description="what is pinned now, as the socket's snapshot")
    chat: list[dict] = Field(..., description="visible messages, oldest first")
    hidden: list[int] = Field(
        ...,
        description=f"ids of hidden messages among the session's last {HIDDEN_WINDOW} "
        "(remove them if shown)",
    )


class ViewerIn(Schema):
    display_name: str = Field(..., max_length=200)


class ViewerOut(Schema):
    display_name: str


class ChatIn(Schema):
    text: str = Field(..., max_length=MAX_CHAT_LENGTH * 4)


class ChatErrorOut(Schema):
    detail: str
    code: str
    retry_after: int | None = None


class MessageOut(Schema):
    id: int
    name: str
    text: str
    at: str


class ClickOut(Schema):
    clicks: int


def _session_or_404(session_id: int) -> AgendaSession:
    try:
        return live.public_session(session_id=session_id)
    except AgendaSession.DoesNotExist:
        raise HttpError(404, _("Live session not found.")) from None


def _hidden_recently(session: AgendaSession) -> list[int]:
    """Ids of the hidden messages among the session's last HIDDEN_WINDOW messages: a
    message deleted after a viewer saw it is gone from later polls' `chat`, so the
    viewer learns of the deletion here (the socket sends chat.deleted instead)."""
    recent = ChatMessage.objects.filter(session=session).order_by("-created_at", "-pk")
    return sorted(
        pk for pk, hidden_at in recent.values_list("pk", "hidden_at")[:HIDDEN_WINDOW] if hidden_at
    )


def _refusal(error: chat.ChatRefused, response: HttpResponse) -> Status:
    body = {"detail": error.message, "code": error.code, "retry_after": error.retry_after}
    if error.code in _WAIT:
        if error.retry_after:
            response.headers["Retry-After"] = str(error.retry_after)
        return Status(429, body)
    return Status(403 if error.code in _FORBIDDEN else 422, body)


@router.get(
    "/live/sessions/{session_id}",
    url_name="live_session",
    response={200: LiveOut, 404: ErrorOut, 422: ErrorOut},
    summary="A live session's snapshot and chat (the polling fallback)",
)
def live_session(request: HttpRequest, session_id: int, query: Query[AfterQuery]):
    session = _session_or_404(session_id)
    return {
        "snapshot": live.live_snapshot(session=session),
        "chat": chat.chat_history(session=session, after=query.after),
        "hidden": _hidden_recently(session),
    }


@router.post(
    "/live/sessions/{session_id}/viewer",
    url_name="live_viewer",
    response={200: ViewerOut, 404: ErrorOut, 422: ChatErrorOut},
    summary="Set the viewer's display name (sets the viewer cookie)",
)
def live_viewer(request: HttpRequest, session_id: int, body: ViewerIn, response: HttpResponse):
    session = _session_or_404(session_id)
    try:
        viewer = chat.viewer_for(
            expo=session.expo,
            key=request.COOKIES.get(live.VIEWER_COOKIE),
            display_name=body.display_name,
        )
    except chat.ChatRefused as error:
        return _refusal(error, response)
    response.set_cookie(
        live.VIEWER_COOKIE,
        viewer.key,
        max_age=VIEWER_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return {"display_name": viewer.display_name}


@router.post(
    "/live/sessions/{session_id}/chat",
    url_name="live_chat",
    response={
        201: MessageOut,
        403: ChatErrorOut,
        404: ErrorOut,
        422: ChatErrorOut,
        429: ChatErrorOut,
    },
    summary="Post a chat message as the cookie's viewer",
)
def live_chat(request: HttpRequest, session_id: int, body: ChatIn, response: HttpResponse):
    session = _session_or_404(session_id)
    viewer = chat.viewer_by_key(
        expo_id=session.expo_id, key=request.COOKIES.get(live.VIEWER_COOKIE)
    )
    try:
        if viewer is None:
            raise chat.ChatRefused(_("Enter your name before you chat."), "no_name")
        message = chat.chat_post(session=session, viewer=viewer, text=body.text)
    except chat.ChatRefused as error:
        return _refusal(error, response)
    return Status(201, chat.message_payload(message))


@router.post(
    "/live/pins/{pin_id}/click",
    url_name="live_pin_click",
    response={200: ClickOut, 404: ErrorOut},
    summary='Count a tap on a pinned product ("Beli sekarang")',
)
def live_pin_click(request: HttpRequest, pin_id: int):
    pin = (
        Pin.objects.filter(pk=pin_id, session__expo__in=public_expos()).only("pk").first()
        if 0 < pin_id <= live.MAX_ID
        else None
    )
    if pin is None or not live.pin_clicked(pin_id=pin.pk):
        raise HttpError(404, _("Pin not found."))
    return {"clicks": Pin.objects.values_list("clicks", flat=True).get(pk=pin.pk)}
