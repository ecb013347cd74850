"""The live chat's rules and moderation (gelar.live.chat).

Messages are checked in English (the msgids): the Indonesian catalogue is
filled in later and must not break these tests.
"""

import datetime
import json
import threading
import time

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection, connections
from django.utils import translation

from gelar.audit.models import AuditEntry
from gelar.live import chat
from gelar.live.broadcast import session_group
from gelar.live.chat import (
    ChatRefused,
    blocked_words_for,
    chat_delete,
    chat_history,
    chat_post,
    chat_set_rules,
    chat_settings_update,
    mask_blocked_words,
    message_payload,
    viewer_ban,
    viewer_for,
    viewer_mute,
    viewer_unmute,
)
from gelar.live.models import ChatMessage, ChatSettings, LiveState, Viewer
from gelar.testing import at, build_expo, make_organizer_member, make_user, run_together

NOW = at(24, 9, 30)


def seconds(n: float) -> datetime.datetime:
    return NOW + datetime.timedelta(seconds=n)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(db):
    return build_expo()


@pytest.fixture
def session(world):
    return world.opening


@pytest.fixture
def host(world):
    user = make_user(email="host@pekalongankota.go.id")
    make_organizer_member(organizer=world.expo.organizer, user=user, role="host")
    return user


@pytest.fixture
def siti(world):
    return viewer_for(expo=world.expo, key=None, display_name="Siti")


@pytest.fixture
def events(monkeypatch):
    """The live events chat sends, recorded when the transaction commits."""
    from django.db import transaction

    sent = []

    def record(*, session_id, event):
        transaction.on_commit(lambda: sent.append((session_id, event)))

    monkeypatch.setattr(chat, "broadcast", record)
    return sent


def post(session, viewer, text, at_second=0):
    return chat_post(session=session, viewer=viewer, text=text, now=seconds(at_second))


def refused(function, **kwargs) -> ChatRefused:
    with pytest.raises(ChatRefused) as error:
        function(**kwargs)
    return error.value


# --- viewers -----------------------------------------------------------------------


def test_a_display_name_makes_a_viewer_with_a_random_key(world):
    viewer = viewer_for(expo=world.expo, key=None, display_name="  Bu   Siti\tRahma  ")

    assert viewer.display_name == "Bu Siti Rahma"
    assert viewer.expo == world.expo
    assert len(viewer.key) >= 32


def test_the_key_finds_the_viewer_and_a_new_name_renames_them(world, siti):
    assert viewer_for(expo=world.expo, key=siti.key, display_name=None) == siti

    renamed = viewer_for(expo=world.expo, key=siti.key, display_name="Siti R.")

    assert renamed.pk == siti.pk
    assert Viewer.objects.get(pk=siti.pk).display_name == "Siti R."
    assert Viewer.objects.count() == 1


def test_an_unknown_key_or_another_expos_key_makes_a_new_viewer_with_its_own_key(world, siti):
    other_expo = build_expo(suffix="-2").expo
    stranger = viewer_for(expo=world.expo, key="made-up-key", display_name="Budi")
    elsewhere = viewer_for(expo=other_expo, key=siti.key, display_name="Siti")

    assert stranger.key != "made-up-key"
    assert elsewhere.pk != siti.pk
    assert elsewhere.expo == other_expo
    assert Viewer.objects.get(pk=siti.pk).expo == world.expo


@pytest.mark.parametrize(
    ("name", "code", "message"),
    [
        (None, "name_required", "Please choose a display name."),
        ("   ", "name_required", "Please choose a display name."),
        ("x" * 41, "name_too_long", "The display name can be at most 40 characters."),
        ("Siti\x00", "name_invalid", "The display name contains characters that are not allowed."),
        (
            "Siti\u202e",
            "name_invalid",
            "The display name contains characters that are not allowed.",
        ),
        (
            "https://slot88.example/daftar",
            "name_invalid",
            "A web address cannot be a display name.",
        ),
        ("www.judi-online.net", "name_invalid", "A web address cannot be a display name."),
        ("SLOT88.com", "name_invalid", "A web address cannot be a display name."),
        ("b4ngs4t", "name_invalid", "Please choose another display name."),
    ],
)
def test_a_bad_display_name_is_refused_and_no_viewer_made(world, name, code, message):
    error = refused(viewer_for, expo=world.expo, key=None, display_name=name)

    assert (error.code, error.message, error.retry_after) == (code, message, None)
    assert not Viewer.objects.exists()


def test_a_bad_new_name_leaves_the_old_one(world, siti):
    refused(viewer_for, expo=world.expo, key=siti.key, display_name="")

    assert Viewer.objects.get(pk=siti.pk).display_name == "Siti"


@pytest.mark.parametrize("name", ["x" * 40, "Pak.Budi", "Dr. Siti, S.E.", "Kaka Slamet 🙂"])
def test_ordinary_names_are_kept(world, name):
    assert viewer_for(expo=world.expo, key=None, display_name=name).display_name == name


# --- posting -----------------------------------------------------------------------


def test_a_message_is_stored_with_the_name_at_that_time(session, siti):
    message = post(session, siti, "  Batiknya bagus sekali!  ")
    viewer_for(expo=session.expo, key=siti.key, display_name="Siti R.")

    message.refresh_from_db()
    assert (message.text, message.display_name, message.created_at) == (
        "Batiknya bagus sekali!",
        "Siti",
        NOW,
    )
    assert Viewer.objects.get(pk=siti.pk).last_posted_at == NOW
    assert message_payload(message) == {
        "id": message.pk,
        "name": "Siti",
        "text": "Batiknya bagus sekali!",
        "at": "2021-11-24T02:30:00+00:00",
    }


def test_a_line_break_becomes_a_space(session, siti):
    assert post(session, siti, "Harga\nberapa?\r\n").text == "Harga berapa?"


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("", "empty", "Write a message first."),
        ("  \n ", "empty", "Write a message first."),
        (None, "empty", "Write a message first."),
        ("x" * 201, "too_long", "A message can be at most 200 characters."),
        ("halo\x00", "invalid", "The message contains characters that are not allowed."),
        ("halo \x1b[31m", "invalid", "The message contains characters that are not allowed."),
        ("\u202eolah", "invalid", "The message contains characters that are not allowed."),
        ("\ud800", "invalid", "The message contains characters that are not allowed."),
    ],
)
def test_bad_text_is_refused_and_nothing_stored(session, siti, events, text, code, message):
    error = refused(chat_post, session=session, viewer=siti, text=text, now=NOW)

    assert (error.code, error.message, error.retry_after) == (code, message, None)
    assert not ChatMessage.objects.exists()
    assert Viewer.objects.get(pk=siti.pk).last_posted_at is None
    assert events == []


def test_two_hundred_characters_are_allowed(session, siti):
    assert post(session, siti, "  " + "x" * 200 + "  ").text == "x" * 200


def test_the_sixth_message_within_ten_seconds_is_refused(session, siti):
    for i in range(5):
        post(session, siti, f"pesan {i}", at_second=i)

    error = refused(chat_post, session=session, viewer=siti, text="pesan 5", now=seconds(5.5))

    # The first message (at 0 s) leaves the window at 10 s.
    assert (error.code, error.message, error.retry_after) == (
        "flood",
        "Too many messages; please wait 5 seconds.",
        5,
    )
    assert ChatMessage.objects.count() == 5
    assert post(session, siti, "pesan 5", at_second=10).text == "pesan 5"
    assert ChatMessage.objects.count() == 6


def test_the_flood_limit_is_per_viewer(session, siti):
    budi = viewer_for(expo=session.expo, key=None, display_name="Budi")
    for i in range(5):
        post(session, siti, f"pesan {i}", at_second=i)

    assert post(session, budi, "giliran saya", at_second=5).display_name == "Budi"


def test_slow_mode_makes_a_viewer_wait_between_messages(session, siti, host):
    chat_set_rules(session=session, actor=host, chat_open=True, slow_mode_seconds=30)
    post(session, siti, "pertama")

    error = refused(chat_post, session=session, viewer=siti, text="kedua", now=seconds(12))

    assert (error.code, error.message, error.retry_after) == (
        "slow_mode",
        "Slow mode is on: you can write again in 18 seconds.",
        18,
    )
    assert post(session, siti, "kedua", at_second=30).text == "kedua"


def test_a_closed_chat_refuses_messages(session, siti, host):
    chat_set_rules(session=session, actor=host, chat_open=False, slow_mode_seconds=0)

    error = refused(chat_post, session=session, viewer=siti, text="halo", now=NOW)

    assert (error.code, error.message) == ("closed", "The chat is closed.")
    assert not ChatMessage.objects.exists()


def test_a_viewer_of_another_expo_cannot_post_here(session):
    outsider = viewer_for(expo=build_expo(suffix="-2").expo, key=None, display_name="Luar")

    error = refused(chat_post, session=session, viewer=outsider, text="halo", now=NOW)

    assert (error.code, error.message) == ("unavailable", "This chat is not available.")


# --- word filter -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("dasar anjing", "dasar ******"),
        ("BANGSAT!", "*******!"),
        ("b4ngs4t kau", "******* kau"),
        ("G0BL0K, t0l0l.", "******, *****."),
        ("anjing anjing", "****** ******"),
        # Whole words only: these stay.
        ("Babinsa datang ke stan", "Babinsa datang ke stan"),
        ("sate babikan? tidak", "sate babikan? tidak"),
        ("kampretnya", "kampretnya"),
        ("harga 1000 rupiah, 30% off", "harga 1000 rupiah, 30% off"),
    ],
)
def test_blocked_words_are_masked_with_as_many_asterisks(session, siti, text, masked):
    assert post(session, siti, text).text == masked


def test_the_expos_own_words_and_phrases_are_masked_too(session, siti, host):
    chat_settings_update(
        expo=session.expo, actor=host, blocked_words="Jualan Palsu\n  slot   gacor \n"
    )

    message = post(session, siti, "Ada SLOT  gacor dan jualan palsu di sini, bukan slotnya")

    assert message.text == "Ada *********** dan ************ di sini, bukan slotnya"
    # Another expo is not affected.
    assert mask_blocked_words(
        "slot gacor", blocked_words_for(expo=build_expo(suffix="-2").expo)
    ) == ("slot gacor")


def test_the_blocked_words_are_gelars_defaults_then_the_expos(world, host):
    settings = chat_settings_update(
        expo=world.expo, actor=host, blocked_words=["Slot Gacor", "babi", "slot gacor", ""]
    )

    assert settings.blocked_words == "slot gacor\nbabi"
    assert blocked_words_for(expo=world.expo) == [*chat.DEFAULT_BLOCKED_WORDS, "slot gacor"]
    entry = AuditEntry.objects.get(action="live.chat_words")
    assert (entry.actor, entry.organizer, entry.changes) == (
        host,
        world.expo.organizer,
        {"added": ["slot gacor", "babi"], "removed": []},
    )


def test_a_too_long_blocked_word_is_refused_and_nothing_changed(world, host):
    chat_settings_update(expo=world.expo, actor=host, blocked_words="slot gacor")

    error = refused(chat_settings_update, expo=world.expo, actor=host, blocked_words="x" * 51)

    assert (error.code, error.message) == (
        "invalid_word",
        "“" + "x" * 50 + "” cannot be a blocked word: at most 50 characters on one line.",
    )
    assert ChatSettings.objects.get(expo=world.expo).blocked_words == "slot gacor"


# --- moderation --------------------------------------------------------------------


def test_a_muted_viewer_is_refused_until_the_mute_ends(session, siti, host):
    viewer_mute(viewer=siti, actor=host, minutes=15, now=NOW)

    error = refused(chat_post, session=session, viewer=siti, text="halo", now=seconds(60))

    # 09:45 WIB, the expo's zone.
    assert (error.code, error.message, error.retry_after) == (
        "muted",
        "You have been muted until 09:45.",
        14 * 60,
    )
    assert post(session, siti, "halo lagi", at_second=15 * 60).text == "halo lagi"
    entry = AuditEntry.objects.get(action="live.viewer_mute")
    assert (entry.actor, entry.organizer, entry.object_id, entry.changes["minutes"]) == (
        host,
        session.expo.organizer,
        str(siti.pk),
        15,
    )


def test_unmute_lets_the_viewer_post_again(session, siti, host):
    viewer_mute(viewer=siti, actor=host, minutes=60, now=NOW)

    viewer_unmute(viewer=siti, actor=host)

    assert Viewer.objects.get(pk=siti.pk).muted_until is None
    assert post(session, siti, "terima kasih", at_second=1).text == "terima kasih"
    assert AuditEntry.objects.filter(action="live.viewer_unmute").count() == 1


@pytest.mark.parametrize("minutes", [0, -5, 1441, "10", 2.5, True, None])
def test_mute_minutes_out_of_range_are_refused(siti, host, minutes):
    error = refused(viewer_mute, viewer=siti, actor=host, minutes=minutes)

    assert (error.code, error.message) == ("invalid_minutes", "Mute for 1 to 1440 minutes.")
    assert Viewer.objects.get(pk=siti.pk).muted_until is None
    assert not AuditEntry.objects.exists()


def test_a_banned_viewer_is_refused_and_their_messages_stay(session, siti, host):
    said = post(session, siti, "halo")

    viewer_ban(viewer=siti, actor=host, now=seconds(1))
    viewer_ban(viewer=siti, actor=host, now=seconds(2))  # once is enough

    error = refused(chat_post, session=session, viewer=siti, text="halo lagi", now=seconds(60))
    assert (error.code, error.message, error.retry_after) == (
        "banned",
        "You have been blocked from this chat.",
        None,
    )
    assert Viewer.objects.get(pk=siti.pk).banned_at == seconds(1)
    assert chat_history(session=session) == [message_payload(said)]
    assert AuditEntry.objects.filter(action="live.viewer_ban").count() == 1


def test_deleting_hides_the_message_but_keeps_it(
    session, siti, host, events, django_capture_on_commit_callbacks
):
    kept = post(session, siti, "halo")
    spam = post(session, siti, "beli followers murah", at_second=1)

    with django_capture_on_commit_callbacks(execute=True):
        chat_delete(message=spam, actor=host, now=seconds(2))
        chat_delete(message=spam, actor=host, now=seconds(3))  # a second click changes nothing

    spam.refresh_from_db()
    assert (spam.text, spam.hidden_at, spam.hidden_by) == ("beli followers murah", seconds(2), host)
    assert chat_history(session=session) == [message_payload(kept)]
    assert events == [(session.pk, {"type": "chat.deleted", "id": spam.pk})]
    entry = AuditEntry.objects.get(action="live.chat_delete")
    assert (entry.actor, entry.organizer, entry.object_id) == (
        host,
        session.expo.organizer,
        str(spam.pk),
    )


def test_chat_rules_bump_the_version_are_audited_and_broadcast(
    session, host, events, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        state = chat_set_rules(session=session, actor=host, chat_open=True, slow_mode_seconds=10)
        # The same rules again change nothing.
        chat_set_rules(session=session, actor=host, chat_open=True, slow_mode_seconds=10)

    assert (state.chat_open, state.slow_mode_seconds, state.version) == (True, 10, 1)
    assert LiveState.objects.get(session=session).version == 1
    assert events == [
        (
            session.pk,
            {"type": "chat.rules", "version": 1, "chat": {"open": True, "slow_mode_seconds": 10}},
        )
    ]
    entry = AuditEntry.objects.get(action="live.chat_rules")
    assert (entry.actor, entry.organizer, entry.changes) == (
        host,
        session.expo.organizer,
        {"slow_mode_seconds": [0, 10]},
    )


@pytest.mark.parametrize("slow", [-1, 601, "5", None])
def test_slow_mode_out_of_range_is_refused(session, host, slow):
    error = refused(
        chat_set_rules, session=session, actor=host, chat_open=True, slow_mode_seconds=slow
    )

    assert (error.code, error.message) == ("invalid_slow_mode", "Slow mode is 0 to 600 seconds.")
    assert not LiveState.objects.filter(session=session, slow_mode_seconds__gt=0).exists()


# --- history and events ------------------------------------------------------------


def test_history_is_the_most_recent_visible_messages_oldest_first(session, siti, host):
    budi = viewer_for(expo=session.expo, key=None, display_name="Budi")
    other_session = session.expo.sessions.exclude(pk=session.pk).first()
    messages = [post(session, [siti, budi][i % 2], f"pesan {i}", at_second=3 * i) for i in range(6)]
    post(other_session, budi, "di sesi lain", at_second=30)
    chat_delete(message=messages[4], actor=host)

    history = chat_history(session=session, limit=3)

    assert [(m["name"], m["text"]) for m in history] == [
        ("Siti", "pesan 2"),
        ("Budi", "pesan 3"),
        ("Budi", "pesan 5"),
    ]
    assert [m["text"] for m in chat_history(session=session, after=messages[2].pk)] == [
        "pesan 3",
        "pesan 5",
    ]
    assert len(chat_history(session=session)) == 5
    assert chat_history(session=session, limit=0) == []


def test_a_message_is_broadcast_on_commit_only(
    session, siti, events, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as pending:
        message = post(session, siti, "halo")
        assert events == []

    assert len(pending) == 1
    pending[0]()
    assert events == [(session.pk, {"type": "chat.message", "message": message_payload(message)})]


def test_the_message_reaches_the_sessions_group_on_the_channel_layer(
    session, siti, django_capture_on_commit_callbacks
):
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(session_group(session.pk), channel)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            message = post(session, siti, "halo semua")

        received = async_to_sync(layer.receive)(channel)
    finally:
        async_to_sync(layer.group_discard)(session_group(session.pk), channel)

    assert received["type"] == "live.event"
    assert json.loads(received["text"]) == {
        "type": "chat.message",
        "message": message_payload(message),
    }


# --- concurrency -------------------------------------------------------------------
#
# Two posts of one viewer at the same moment, with one flood slot left: the lock
# on the Viewer row lets exactly one through. Each post runs in a thread on its
# own connection. PostgreSQL runs both tests; SQLite runs the one with the lock
# (IMMEDIATE transactions serialise its writers, so it has no race to show) on a
# file copy of the in-memory test database, as gelar/orders/tests/
# test_stock_concurrency.py explains.

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serialises all writers, so there is no race to show",
)
concurrent = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def slow_count(monkeypatch):
    """Widen the window between counting the viewer's messages and posting, as a busy
    server would."""
    count = chat._recent_posts

    def slow(**kwargs):
        result = count(**kwargs)
        time.sleep(0.2)
        return result

    monkeypatch.setattr(chat, "_recent_posts", slow)


@pytest.fixture
def one_slot_left():
    """A viewer with four messages in the flood window."""
    world = build_expo()
    viewer = viewer_for(expo=world.expo, key=None, display_name="Siti")
    for i in range(chat.FLOOD_MESSAGES - 1):
        ChatMessage.objects.create(
            session=world.opening,
            viewer=viewer,
            display_name="Siti",
            text=f"pesan {i}",
            created_at=seconds(i),
        )
    return world.opening, viewer


def post_together(session, viewer, count: int = 2) -> list[str]:
    def post(i: int) -> str:
        chat_post(session=session, viewer=viewer, text=f"bareng {i}", now=seconds(5))
        return "posted"

    return run_together(count, post, refusals=(ChatRefused,))


def messages_stored(viewer) -> int:
    counted = {}

    def work():
        try:
            counted["n"] = ChatMessage.objects.filter(viewer=viewer).count()
        finally:
            connections.close_all()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(timeout=60)
    return counted["n"]


@concurrent
def test_two_posts_at_once_for_the_last_slot_let_exactly_one_through(
    one_slot_left, slow_count, threads_database
):
    session, viewer = one_slot_left
    threads_database()

    assert post_together(session, viewer) == ["flood", "posted"]
    assert messages_stored(viewer) == chat.FLOOD_MESSAGES


@postgres_only
@concurrent
def test_without_the_lock_both_posts_slip_through(one_slot_left, slow_count, monkeypatch):
    session, viewer = one_slot_left
    monkeypatch.setattr(chat, "_lock_viewer", lambda v: Viewer.objects.get(pk=v.pk))

    assert post_together(session, viewer) == ["posted", "posted"]
    assert messages_stored(viewer) == chat.FLOOD_MESSAGES + 1
