from urllib.parse import unquote

import pytest

from gelar.public.embeds import player_for, whatsapp_url, youtube_video_id


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtube.com/watch?feature=share&v=dQw4w9WgXcQ&t=42",
        "https://m.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtu.be/dQw4w9WgXcQ?si=abc",
        "https://www.youtube.com/live/dQw4w9WgXcQ?feature=shared",
        "https://www.youtube.com/embed/dQw4w9WgXcQ",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?rel=0",
        "https://www.youtube.com/shorts/dQw4w9WgXcQ",
    ],
)
def test_youtube_urls_become_privacy_enhanced_embeds(url):
    assert youtube_video_id(url) == "dQw4w9WgXcQ"
    player = player_for(url)
    assert (player.kind, player.src) == (
        "youtube",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ<script>",
        "https://evil.example/watch?v=dQw4w9WgXcQ",
        "https://youtu.be/",
        "javascript:alert(1)",
        "http://[::1",
        "",
    ],
)
def test_other_urls_are_not_youtube_embeds(url):
    assert youtube_video_id(url) is None
    player = player_for(url)
    assert player is None or player.kind == "link"


def test_a_channel_live_url_embeds_the_channels_live_stream():
    player = player_for("https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv/live")
    assert player.src == (
        "https://www.youtube-nocookie.com/embed/live_stream?channel=UCabcdefghijklmnopqrstuv"
    )


def test_an_hls_playlist_plays_in_a_native_video_element():
    player = player_for("https://stream.example.id/live/expo.m3u8?token=1")
    assert (player.kind, player.src) == (
        "video",
        "https://stream.example.id/live/expo.m3u8?token=1",
    )


def test_whatsapp_url_normalises_the_number_and_encodes_the_message():
    url = whatsapp_url(number="0812-3456-7890", text="Halo Batik & Co, apa kabar?")
    assert url == "https://wa.me/6281234567890?text=Halo%20Batik%20%26%20Co%2C%20apa%20kabar%3F"
    assert unquote(url.split("text=")[1]) == "Halo Batik & Co, apa kabar?"
    assert whatsapp_url(number="021-555-1234", text="x") is None
