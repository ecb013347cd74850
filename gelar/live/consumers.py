"""The viewers' WebSocket: /ws/live/<session id>/.

On connect a viewer gets the snapshot (what is pinned now, with its stock) and
the recent chat; after that every event of the session's group (snapshots,
chat messages, deletions, rules) and, every few seconds when it changed, the
number of viewers. A viewer posts with {"type": "chat.send", "text"}: the
display name is the one set over HTTP, found by the "gelar_viewer" cookie.
Refusals go to that socket only, as {"type": "error", "code", "message"}.

Presence is counted per process (this module's `_local`) and written to the
cache by a ticker task that lives while the process has viewers; see
gelar.live.services for how the processes' counts add up.
"""

import asyncio
import json
import logging
import time

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.http import parse_cookie
from django.utils.translation import gettext as _

from gelar.events.models import AgendaSession
from gelar.live import chat, services
from gelar.live.broadcast import session_group

log = logging.getLogger(__name__)

# A client frame bigger than this is refused unread (a chat message is at most 200 chars).
MAX_FRAME = 4096
# How often a process refreshes its counts and tells its viewers the total.
TICK_SECONDS = 3
CLOSE_NOT_FOUND = 4404

# {session id: open consumers of this process}
_local: dict[int, set["LiveConsumer"]] = {}
_last_sent: dict[int, int] = {}
_ticker: asyncio.Task | None = None


def _public_session(session_id: int) -> AgendaSession | None:
    try:
        return services.public_session(session_id=session_id)
    except AgendaSession.DoesNotExist:
        return None


def _hello(session: AgendaSession) -> tuple[dict, list[dict]]:
    return services.live_snapshot(session=session), chat.chat_history(session=session)


def _chat_post(session: AgendaSession, key: str, text) -> dict | None:
    """Post as the cookie's viewer; an error event for this socket, or None when posted."""
    viewer = chat.viewer_by_key(expo_id=session.expo_id, key=key)
    if viewer is None:
        return _error("no_name", _("Enter your name before you chat."))
    try:
        chat.chat_post(session=session, viewer=viewer, text=text if isinstance(text, str) else "")
    except chat.ChatRefused as refused:
        event = _error(refused.code, refused.message)
        if getattr(refused, "retry_after", None):
            event["retry_after"] = refused.retry_after
        return event
    return None


def _error(code: str, message: str) -> dict:
    return {"type": "error", "code": code, "message": str(message)}


def _publish(counts: dict[int, int], *, sample: bool) -> dict[int, int]:
    services.presence_publish(counts=counts)
    if sample:
        services.sample_viewers()
    return {sid: services.viewers_now(session_id=sid) for sid in counts}


async def _tick() -> None:
    """While this process has viewers: publish counts, tell viewers the totals, sample."""
    last_sample = 0.0
    while _local:
        await asyncio.sleep(TICK_SECONDS)
        counts = {sid: len(consumers) for sid, consumers in _local.items()}
        sample = time.monotonic() - last_sample >= services.SAMPLE_SECONDS
        try:
            totals = await database_sync_to_async(_publish)(counts, sample=sample)
        except Exception:  # the cache is down: counts resume when it is back
            log.exception("live presence not published")
            continue
        if sample:
            last_sample = time.monotonic()
        for sid, consumers in list(_local.items()):
            total = totals.get(sid, len(consumers))
            if _last_sent.get(sid) == total:
                continue
            _last_sent[sid] = total
            for consumer in list(consumers):
                try:
                    await consumer.send_json({"type": "viewers", "count": total})
                except Exception:  # a socket closing under us; its disconnect cleans up
                    pass


def _start_ticker() -> None:
    global _ticker
    loop = asyncio.get_running_loop()
    if _ticker is None or _ticker.done() or _ticker.get_loop() is not loop:
        _ticker = loop.create_task(_tick())


class LiveConsumer(AsyncJsonWebsocketConsumer):
    session: AgendaSession | None = None

    async def __call__(self, scope, receive, send):
        # Channels ends a consumer whose handler raised without calling disconnect():
        # leave the group and this process's count whatever way the socket ends, or a
        # dead consumer would stay counted (and in memory) for good.
        try:
            await super().__call__(scope, receive, send)
        finally:
            await self._leave()

    async def connect(self) -> None:
        try:
            session_id = int(self.scope["url_route"]["kwargs"]["session_id"])
        except (KeyError, TypeError, ValueError):
            session_id = 0
        session = await database_sync_to_async(_public_session)(session_id) if session_id else None
        await self.accept()
        if session is None:
            # Accepted first so the client sees the reason (a refused handshake is a bare 403).
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.session = session
        self.viewer_key = self._cookie(services.VIEWER_COOKIE)
        await self.channel_layer.group_add(session_group(session.pk), self.channel_name)
        _local.setdefault(session.pk, set()).add(self)
        _start_ticker()
        snapshot, history = await database_sync_to_async(_hello)(session)
        snapshot["viewers"] = max(snapshot["viewers"], len(_local[session.pk]))
        await self.send_json(snapshot)
        await self.send_json({"type": "chat.history", "messages": history})

    def _cookie(self, name: str) -> str:
        for header, value in self.scope.get("headers", []):
            if header == b"cookie":
                return parse_cookie(value.decode("latin-1")).get(name, "")[:64]
        return ""

    async def disconnect(self, code) -> None:
        await self._leave()

    async def _leave(self) -> None:
        if self.session is None:
            return
        session_id = self.session.pk
        self.session = None  # once: disconnect() and __call__'s finally both come here
        await self.channel_layer.group_discard(session_group(session_id), self.channel_name)
        consumers = _local.get(session_id)
        if consumers is not None:
            consumers.discard(self)
            if not consumers:
                del _local[session_id]
                _last_sent.pop(session_id, None)
        if not _local and _ticker is not None and not _ticker.done():
            # The last viewer left: stop ticking and say so now rather than at expiry.
            _ticker.cancel()
            try:
                await database_sync_to_async(services.presence_publish)(counts={})
            except Exception:
                log.exception("live presence not cleared")

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        if text_data is None or len(text_data) > MAX_FRAME:
            await self.send_json(_error("bad_request", _("This message is not understood.")))
            return
        try:
            content = json.loads(text_data)
        except (ValueError, RecursionError):  # "[" * 2000 fits in a frame
            content = None
        if not isinstance(content, dict):
            await self.send_json(_error("bad_request", _("This message is not understood.")))
            return
        await self.receive_json(content)

    async def receive_json(self, content: dict, **kwargs) -> None:
        kind = content.get("type")
        if kind == "ping":
            await self.send_json({"type": "pong"})
        elif kind == "chat.send" and self.session is not None:
            try:
                error = await database_sync_to_async(_chat_post)(
                    self.session, self.viewer_key, content.get("text")
                )
            except Exception:  # the database is away: tell this viewer, keep the socket
                log.exception("chat post on session %s failed", self.session.pk)
                error = _error("unavailable", _("The chat is unavailable; try again soon."))
            if error is not None:
                await self.send_json(error)
        else:
            await self.send_json(_error("bad_request", _("This message is not understood.")))

    async def live_event(self, message: dict) -> None:
        await self.send(text_data=message["text"])
