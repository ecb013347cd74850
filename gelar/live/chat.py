"""The live chat: who may say what, how often, and what moderators do about it.

A viewer needs no account: a display name and a random key in a cookie
(viewer_for). Every post goes through chat_post, the one place the rules live:
banned, chat closed, muted, slow mode, flood, then the word filter.

The flood rule (at most FLOOD_MESSAGES per FLOOD_SECONDS per viewer) counts the
viewer's own persisted messages in the window, under a lock on the Viewer row
(select_for_update). Why the database and not the cache with an atomic incr:
the messages are stored anyway, so the count is the truth and needs no second
store; the embedded set-up's cache is per process (locmem), so a cache counter
would let a viewer post 5 messages per process; and the same lock serialises
the slow-mode check on Viewer.last_posted_at, which a cache counter would not.
The lock is per viewer, so it only ever queues one person's own posts; its cost
is one indexed count per message. On SQLite the lock clause is a no-op and
IMMEDIATE transactions serialise the writers instead.

Anonymous chat has a known limit: a banned viewer may clear the cookie and come
back under a new key. The flood limit and slow mode bound what that viewer can
do; an IP-level block belongs to the proxy.

Moderation (delete, mute, unmute, ban, rules, blocked words) is audited with the
expo's organizer. Whether the actor may moderate is the caller's job (the
console checks the host role); the services record who did it. Live events go
out after commit through gelar.live.broadcast.
"""

import functools
import math
import re
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from gelar.audit.services import audit_record
from gelar.events.models import AgendaSession, Expo
from gelar.live.broadcast import broadcast
from gelar.live.models import (
    MAX_CHAT_LENGTH,
    MAX_DISPLAY_NAME_LENGTH,
    ChatMessage,
    ChatSettings,
    LiveState,
    Viewer,
)

FLOOD_MESSAGES = 5
FLOOD_SECONDS = 10
MAX_MUTE_MINUTES = 1440  # a day: longer than any expo day; ban for more
MAX_SLOW_MODE_SECONDS = 600
MAX_HISTORY = 200
MAX_BLOCKED_WORDS = 300
MAX_BLOCKED_WORD_LENGTH = 50

# Common Indonesian profanities and insults; each expo adds its own
# (ChatSettings.blocked_words). Kept short on purpose: a long list masks
# ordinary words, and the organizer knows the local words best.
DEFAULT_BLOCKED_WORDS = (
    "anjing",
    "anjir",
    "bangsat",
    "babi",
    "kontol",
    "memek",
    "goblok",
    "tolol",
    "bajingan",
    "brengsek",
    "kampret",
    "ngentot",
    "jancok",
)

# Digits written for letters ("4nj1ng"); the mapping keeps the text's length,
# so a match found in the normalised text masks the same span of the original.
_LEETSPEAK = str.maketrans({"4": "a", "1": "i", "0": "o", "3": "e"})
# Bidirectional overrides and isolates: they make a message display as
# something other than what it says.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_WHITESPACE_CONTROLS = frozenset("\t\n\r")
# A name that is only an address: a scheme, "www." or a bare domain.
_URL_NAME = re.compile(
    r"^(?:[a-z][a-z0-9+.-]*://\S*|www\.\S*|[\w-]+(?:\.[\w-]+)*"
    r"\.(?:com|id|net|org|co|io|xyz|info|biz|me|ly|site|online|link|app|top|club|shop|store"
    r"|vip|win|bet|live|tv|gg|to|cc|ws|su|ru|cn)(?:[/:?#]\S*)?)$",
    re.IGNORECASE,
)


class ChatRefused(Exception):
    """A chat rule said no. `message` is for the viewer or the moderator; `code` for
    clients; `retry_after` (whole seconds) when waiting will help."""

    def __init__(self, message: str, code: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.retry_after = retry_after


# --- text ------------------------------------------------------------------------


def _has_forbidden_characters(text: str) -> bool:
    for char in text:
        category = unicodedata.category(char)
        # Cc: NUL and the other control characters; Cs: lone surrogates that
        # no database can store.
        if category in ("Cc", "Cs") or char in _BIDI_CONTROLS:
            return True
    return False


def clean_display_name(name: str | None, *, expo: Expo | None = None) -> str:
    """The display name with whitespace collapsed, or ChatRefused."""
    if not isinstance(name, str):
        raise ChatRefused(_("Please choose a display name."), "name_required")
    if _has_forbidden_characters(name.replace("\t", " ")):
        raise ChatRefused(
            _("The display name contains characters that are not allowed."), "name_invalid"
        )
    name = " ".join(name.split())
    if not name:
        raise ChatRefused(_("Please choose a display name."), "name_required")
    if len(name) > MAX_DISPLAY_NAME_LENGTH:
        raise ChatRefused(
            _("The display name can be at most %(max)s characters.")
            % {"max": MAX_DISPLAY_NAME_LENGTH},
            "name_too_long",
        )
    if _URL_NAME.match(name):
        raise ChatRefused(_("A web address cannot be a display name."), "name_invalid")
    if expo is not None and mask_blocked_words(name, blocked_words_for(expo=expo)) != name:
        raise ChatRefused(_("Please choose another display name."), "name_invalid")
    return name


def clean_chat_text(text: str | None) -> str:
    """The message stripped, on one line, or ChatRefused (empty, too long, odd characters)."""
    if not isinstance(text, str):
        raise ChatRefused(_("Write a message first."), "empty")
    # Chat messages are one line: a pasted line break becomes a space.
    for char in _WHITESPACE_CONTROLS:
        text = text.replace(char, " ")
    if _has_forbidden_characters(text):
        raise ChatRefused(_("The message contains characters that are not allowed."), "invalid")
    text = text.strip()
    if not text:
        raise ChatRefused(_("Write a message first."), "empty")
    if len(text) > MAX_CHAT_LENGTH:
        raise ChatRefused(
            _("A message can be at most %(max)s characters.") % {"max": MAX_CHAT_LENGTH},
            "too_long",
        )
    return text


def _normalise(text: str) -> str:
    """Lower case and leetspeak digits as letters, character for character (same length)."""
    folded = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return folded.translate(_LEETSPEAK)


@functools.lru_cache(maxsize=128)
def _blocked_pattern(words: tuple[str, ...]) -> re.Pattern | None:
    alternatives = []
    for word in words:
        parts = _normalise(word).split()
        if parts:
            alternatives.append(r"\s+".join(re.escape(part) for part in parts))
    if not alternatives:
        return None
    # Longest first, so "anjing banget" wins over "anjing" when both are listed.
    alternatives.sort(key=len, reverse=True)
    # Whole words: no letter or digit directly before or after ("babinsa" stays).
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


def mask_blocked_words(text: str, words: Sequence[str]) -> str:
    """`text` with each blocked word or phrase replaced by asterisks of the same length."""
    pattern = _blocked_pattern(tuple(words))
    if pattern is None:
        return text
    masked = list(text)
    for match in pattern.finditer(_normalise(text)):
        for i in range(match.start(), match.end()):
            masked[i] = "*"
    return "".join(masked)


# --- blocked words -----------------------------------------------------------------


def _parse_blocked_words(blocked_words: str | Sequence[str]) -> list[str]:
    lines = blocked_words.splitlines() if isinstance(blocked_words, str) else list(blocked_words)
    words: list[str] = []
    for line in lines:
        if not isinstance(line, str):
            continue
        word = " ".join(line.split()).lower()
        if word and word not in words:
            words.append(word)
    return words


def blocked_words_for(*, expo: Expo) -> list[str]:
    """Gelar's default words and the expo's own, lower case, each once."""
    own = ChatSettings.objects.filter(expo=expo).values_list("blocked_words", flat=True).first()
    words = list(DEFAULT_BLOCKED_WORDS)
    for word in _parse_blocked_words(own or ""):
        if word not in words:
            words.append(word)
    return words


def chat_settings_update(*, expo: Expo, actor, blocked_words: str | Sequence[str]) -> ChatSettings:
    """Replace the expo's own blocked words (one word or phrase per line)."""
    words = _parse_blocked_words(blocked_words)
    if len(words) > MAX_BLOCKED_WORDS:
        raise ChatRefused(
            _("At most %(max)s blocked words.") % {"max": MAX_BLOCKED_WORDS}, "too_many_words"
        )
    for word in words:
        if len(word) > MAX_BLOCKED_WORD_LENGTH or _has_forbidden_characters(word):
            raise ChatRefused(
                _("“%(word)s” cannot be a blocked word: at most %(max)s characters on one line.")
                % {"word": word[:MAX_BLOCKED_WORD_LENGTH], "max": MAX_BLOCKED_WORD_LENGTH},
                "invalid_word",
            )
    with transaction.atomic():
        settings, _created = ChatSettings.objects.select_for_update().get_or_create(expo=expo)
        before = _parse_blocked_words(settings.blocked_words)
        settings.blocked_words = "\n".join(words)
        settings.save(update_fields=["blocked_words"])
        audit_record(
            actor=actor,
            action="live.chat_words",
            obj=settings,
            changes={
                "added": [w for w in words if w not in before],
                "removed": [w for w in before if w not in words],
            },
            organizer=expo.organizer,
        )
    return settings


# --- viewers -----------------------------------------------------------------------


_VIEWER_KEY = re.compile(r"[A-Za-z0-9_-]{1,43}")


def viewer_by_key(*, expo_id: int, key: str | None) -> Viewer | None:
    """The expo's viewer holding this cookie key; None for anything that is not a key
    new_viewer_key could have made (a NUL byte must not reach PostgreSQL)."""
    if not isinstance(key, str) or not _VIEWER_KEY.fullmatch(key):
        return None
    return Viewer.objects.filter(expo_id=expo_id, key=key).first()


def viewer_for(*, expo: Expo, key: str | None, display_name: str | None) -> Viewer:
    """The viewer with this key in this expo, renamed when a new name is given, or a
    new viewer (with a new key: a client never chooses its key)."""
    viewer = viewer_by_key(expo_id=expo.pk, key=key)
    if viewer is None:
        name = clean_display_name(display_name, expo=expo)
        return Viewer.objects.create(expo=expo, display_name=name)
    if display_name is not None:
        name = clean_display_name(display_name, expo=expo)
        if name != viewer.display_name:
            viewer.display_name = name
            viewer.save(update_fields=["display_name"])
    return viewer


# --- posting -----------------------------------------------------------------------


def _seconds_until(moment: datetime, now: datetime) -> int:
    return max(1, math.ceil((moment - now).total_seconds()))


def _lock_viewer(viewer: Viewer) -> Viewer:
    """The viewer row, locked until the end of the transaction: one post at a time per
    viewer, so the flood count and slow mode see every earlier post."""
    return Viewer.objects.select_for_update().get(pk=viewer.pk)


def _recent_posts(*, viewer: Viewer, since: datetime) -> list[datetime]:
    return list(
        ChatMessage.objects.filter(viewer=viewer, created_at__gt=since)
        .order_by("created_at")
        .values_list("created_at", flat=True)
    )


def _check_may_post(*, viewer: Viewer, state: LiveState | None, expo: Expo, now: datetime):
    if viewer.banned_at is not None:
        raise ChatRefused(_("You have been blocked from this chat."), "banned")
    if state is not None and not state.chat_open:
        raise ChatRefused(_("The chat is closed."), "closed")
    if viewer.muted_until is not None and viewer.muted_until > now:
        until = timezone.localtime(viewer.muted_until, expo.tzinfo)
        raise ChatRefused(
            _("You have been muted until %(time)s.") % {"time": time_format(until, "H:i")},
            "muted",
            retry_after=_seconds_until(viewer.muted_until, now),
        )
    slow = state.slow_mode_seconds if state is not None else 0
    if slow and viewer.last_posted_at is not None:
        allowed_at = viewer.last_posted_at + timedelta(seconds=slow)
        if allowed_at > now:
            retry = _seconds_until(allowed_at, now)
            raise ChatRefused(
                _("Slow mode is on: you can write again in %(seconds)s seconds.")
                % {"seconds": retry},
                "slow_mode",
                retry_after=retry,
            )
    recent = _recent_posts(viewer=viewer, since=now - timedelta(seconds=FLOOD_SECONDS))
    if len(recent) >= FLOOD_MESSAGES:
        # A slot frees up when the oldest message in the window leaves it.
        freed_at = recent[-FLOOD_MESSAGES] + timedelta(seconds=FLOOD_SECONDS)
        retry = _seconds_until(freed_at, now)
        raise ChatRefused(
            _("Too many messages; please wait %(seconds)s seconds.") % {"seconds": retry},
            "flood",
            retry_after=retry,
        )


def chat_post(
    *, session: AgendaSession, viewer: Viewer, text: str, now: datetime | None = None
) -> ChatMessage:
    """Post a message, masked by the word filter, and send it to the session's viewers."""
    now = now or timezone.now()
    text = clean_chat_text(text)
    if viewer.expo_id != session.expo_id:
        raise ChatRefused(_("This chat is not available."), "unavailable")
    expo = session.expo
    masked = mask_blocked_words(text, blocked_words_for(expo=expo))
    with transaction.atomic():
        viewer = _lock_viewer(viewer)
        state = LiveState.objects.filter(session=session).first()
        _check_may_post(viewer=viewer, state=state, expo=expo, now=now)
        message = ChatMessage.objects.create(
            session=session,
            viewer=viewer,
            display_name=viewer.display_name,
            text=masked,
            created_at=now,
        )
        Viewer.objects.filter(pk=viewer.pk).update(last_posted_at=now)
        broadcast(
            session_id=session.pk,
            event={"type": "chat.message", "message": message_payload(message)},
        )
    return message


# --- reading -----------------------------------------------------------------------


def message_payload(message: ChatMessage) -> dict:
    return {
        "id": message.pk,
        "name": message.display_name,
        "text": message.text,
        "at": message.created_at.astimezone(UTC).isoformat(),
    }


def chat_history(
    *, session: AgendaSession, limit: int = 50, after: int | None = None
) -> list[dict]:
    """The session's most recent visible messages (at most `limit`), oldest first;
    only those after message id `after` when given (the polling fallback)."""
    limit = max(0, min(int(limit), MAX_HISTORY))
    if not limit:
        return []
    messages = ChatMessage.objects.filter(session=session, hidden_at__isnull=True)
    if after is not None:
        messages = messages.filter(pk__gt=after)
    recent = list(messages.order_by("-created_at", "-pk")[:limit])
    return [message_payload(m) for m in reversed(recent)]


# --- moderation --------------------------------------------------------------------


def chat_delete(*, message: ChatMessage, actor, now: datetime | None = None) -> ChatMessage:
    """Hide a message from every viewer; it stays stored with who hid it and when.
    Deleting a deleted message changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        hidden = ChatMessage.objects.filter(pk=message.pk, hidden_at__isnull=True).update(
            hidden_at=now, hidden_by=actor if actor is not None and actor.is_authenticated else None
        )
        message.refresh_from_db()
        if hidden:
            audit_record(
                actor=actor,
                action="live.chat_delete",
                obj=message,
                changes={"viewer": message.viewer_id, "text": message.text},
                organizer=message.session.expo.organizer,
            )
            broadcast(
                session_id=message.session_id, event={"type": "chat.deleted", "id": message.pk}
            )
    return message


def viewer_mute(*, viewer: Viewer, actor, minutes: int, now: datetime | None = None) -> Viewer:
    """Keep the viewer from posting for `minutes` (1..MAX_MUTE_MINUTES)."""
    if (
        isinstance(minutes, bool)
        or not isinstance(minutes, int)
        or not (1 <= minutes <= MAX_MUTE_MINUTES)
    ):
        raise ChatRefused(
            _("Mute for 1 to %(max)s minutes.") % {"max": MAX_MUTE_MINUTES}, "invalid_minutes"
        )
    now = now or timezone.now()
    with transaction.atomic():
        viewer = _lock_viewer(viewer)
        viewer.muted_until = now + timedelta(minutes=minutes)
        viewer.save(update_fields=["muted_until"])
        audit_record(
            actor=actor,
            action="live.viewer_mute",
            obj=viewer,
            changes={"minutes": minutes, "muted_until": viewer.muted_until.isoformat()},
            organizer=viewer.expo.organizer,
        )
    return viewer


def viewer_unmute(*, viewer: Viewer, actor) -> Viewer:
    with transaction.atomic():
        viewer = _lock_viewer(viewer)
        if viewer.muted_until is not None:
            viewer.muted_until = None
            viewer.save(update_fields=["muted_until"])
            audit_record(
                actor=actor,
                action="live.viewer_unmute",
                obj=viewer,
                organizer=viewer.expo.organizer,
            )
    return viewer


def viewer_ban(*, viewer: Viewer, actor, now: datetime | None = None) -> Viewer:
    """Keep the viewer from posting in the expo's chats for good; their earlier
    messages stay (delete those one by one)."""
    now = now or timezone.now()
    with transaction.atomic():
        viewer = _lock_viewer(viewer)
        if viewer.banned_at is None:
            viewer.banned_at = now
            viewer.save(update_fields=["banned_at"])
            audit_record(
                actor=actor, action="live.viewer_ban", obj=viewer, organizer=viewer.expo.organizer
            )
    return viewer


def chat_set_rules(
    *, session: AgendaSession, actor, chat_open: bool, slow_mode_seconds: int
) -> LiveState:
    """Open or close the chat and set slow mode (0 turns it off)."""
    if (
        isinstance(slow_mode_seconds, bool)
        or not isinstance(slow_mode_seconds, int)
        or not (0 <= slow_mode_seconds <= MAX_SLOW_MODE_SECONDS)
    ):
        raise ChatRefused(
            _("Slow mode is 0 to %(max)s seconds.") % {"max": MAX_SLOW_MODE_SECONDS},
            "invalid_slow_mode",
        )
    chat_open = bool(chat_open)
    with transaction.atomic():
        LiveState.objects.get_or_create(session=session)
        state = LiveState.objects.select_for_update().get(session=session)
        before = {"chat_open": state.chat_open, "slow_mode_seconds": state.slow_mode_seconds}
        after = {"chat_open": chat_open, "slow_mode_seconds": slow_mode_seconds}
        if before == after:
            return state
        # The snapshot carries the chat rules, so they move the version too.
        LiveState.objects.filter(pk=state.pk).update(
            version=F("version") + 1, updated_at=timezone.now(), **after
        )
        state.refresh_from_db()
        audit_record(
            actor=actor,
            action="live.chat_rules",
            obj=state,
            changes={
                name: [before[name], after[name]] for name in after if before[name] != after[name]
            },
            organizer=session.expo.organizer,
        )
        broadcast(
            session_id=session.pk,
            event={
                "type": "chat.rules",
                "version": state.version,
                "chat": {"open": state.chat_open, "slow_mode_seconds": state.slow_mode_seconds},
            },
        )
    return state
