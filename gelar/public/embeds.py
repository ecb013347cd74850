"""Players for stream and video URLs, and WhatsApp chat links.

Only URLs we recognise become embeds: YouTube through its privacy-enhanced
domain (no cookies until the visitor presses play) and HLS playlists through
the browser's own <video> element. Anything else stays a plain link.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlsplit

from django.core.exceptions import ValidationError

from gelar.common.validators import normalize_whatsapp

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_YOUTUBE_HOSTS = {"youtube.com", "m.youtube.com", "music.youtube.com", "youtube-nocookie.com"}
_PATH_PREFIXES = ("embed", "live", "shorts", "v")
_CHANNEL_ID = re.compile(r"^UC[A-Za-z0-9_-]{22}$")
NOCOOKIE_EMBED = "https://www.youtube-nocookie.com/embed/"


@dataclass(frozen=True)
class Player:
    """How to show a stream: 'youtube' (an iframe), 'video' (native <video>) or 'link'."""

    kind: str
    src: str
    url: str


def youtube_video_id(url: str) -> str | None:
    """The video id of a watch?v=, youtu.be/, /live/, /embed/ or /shorts/ URL."""
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.")
    segments = [s for s in parts.path.split("/") if s]
    candidate = None
    if host == "youtu.be" and segments:
        candidate = segments[0]
    elif host in _YOUTUBE_HOSTS:
        if segments[:1] == ["watch"]:
            candidate = (parse_qs(parts.query).get("v") or [""])[0]
        elif len(segments) >= 2 and segments[0] in _PATH_PREFIXES:
            candidate = segments[1]
    return candidate if candidate and _YOUTUBE_ID.match(candidate) else None


def _youtube_channel_live(url: str) -> str | None:
    """youtube.com/channel/<id>/live: the channel's current live stream, whatever its video id."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    segments = [s for s in parts.path.split("/") if s]
    if host in _YOUTUBE_HOSTS and len(segments) == 3 and segments[0] == "channel":
        if segments[2] == "live" and _CHANNEL_ID.match(segments[1]):
            return segments[1]
    return None


def player_for(url: str) -> Player | None:
    url = (url or "").strip()
    if not url:
        return None
    video_id = youtube_video_id(url)
    if video_id:
        return Player(kind="youtube", src=NOCOOKIE_EMBED + video_id, url=url)
    try:
        channel = _youtube_channel_live(url)
        path = urlsplit(url).path.lower()
    except ValueError:
        return Player(kind="link", src="", url=url)
    if channel:
        return Player(kind="youtube", src=f"{NOCOOKIE_EMBED}live_stream?channel={channel}", url=url)
    if path.endswith((".m3u8", ".mp4", ".webm")):
        # Native HLS: Safari and Chrome on Android play .m3u8 without a script.
        return Player(kind="video", src=url, url=url)
    return Player(kind="link", src="", url=url)


def whatsapp_url(*, number: str, text: str) -> str | None:
    """A wa.me chat link with a prepared message; None when the number is not a mobile one."""
    try:
        digits = normalize_whatsapp(number)
    except ValidationError:
        return None
    return f"https://wa.me/{digits}?text={quote(text, safe='')}"
