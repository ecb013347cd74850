"""agenda_on_air at exact instants: start inclusive, end exclusive, replay once over."""

import datetime

import pytest

from gelar.events.models import Expo
from gelar.events.selectors import agenda_on_air, public_expo
from gelar.testing import at, make_expo, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_expo():
    expo = make_expo(status=Expo.Status.LIVE, slug="live-expo")
    opening = make_session(expo=expo, title="Pembukaan", starts_at=at(24, 9), ends_at=at(24, 10))
    promo = make_session(expo=expo, title="Promosi", starts_at=at(24, 10), ends_at=at(24, 11))
    talk = make_session(expo=expo, title="Talkshow", starts_at=at(25, 13), ends_at=at(25, 14))
    return public_expo(slug="live-expo", with_agenda=True), opening, promo, talk


def on_air(expo, now):
    result = agenda_on_air(expo=expo, now=now)
    return (
        result.current.title if result.current else None,
        result.next.title if result.next else None,
        result.is_over,
    )


def test_before_the_first_session_the_first_is_next(live_expo):
    expo, *_ = live_expo
    assert on_air(expo, at(24, 8, 59)) == (None, "Pembukaan", False)


def test_a_session_is_on_air_from_its_first_instant(live_expo):
    expo, *_ = live_expo
    assert on_air(expo, at(24, 9)) == ("Pembukaan", "Promosi", False)
    assert on_air(expo, at(24, 9, 59)) == ("Pembukaan", "Promosi", False)


def test_at_the_end_instant_the_next_session_takes_over(live_expo):
    expo, *_ = live_expo
    assert on_air(expo, at(24, 10)) == ("Promosi", "Talkshow", False)


def test_between_days_nothing_is_on_air_and_the_next_day_is_next(live_expo):
    expo, *_ = live_expo
    assert on_air(expo, at(24, 11)) == (None, "Talkshow", False)
    assert on_air(expo, at(25, 7)) == (None, "Talkshow", False)


def test_after_the_last_session_the_stream_is_a_replay(live_expo):
    expo, *_ = live_expo
    assert on_air(expo, at(25, 13, 59)) == ("Talkshow", None, False)
    assert on_air(expo, at(25, 14)) == (None, None, True)


def test_instants_in_another_zone_are_the_same_instants(live_expo):
    expo, *_ = live_expo
    utc = datetime.UTC
    # 02:30 UTC is 09:30 WIB.
    assert on_air(expo, datetime.datetime(2021, 11, 24, 2, 30, tzinfo=utc))[0] == "Pembukaan"


def test_a_closed_expo_is_over_whatever_the_clock(live_expo):
    expo, *_ = live_expo
    expo.status = Expo.Status.CLOSED
    assert on_air(expo, at(24, 9, 30)) == (None, None, True)


def test_a_published_expo_is_over_once_its_last_day_has_passed_in_its_zone():
    make_expo(slug="no-agenda", status=Expo.Status.PUBLISHED)
    expo = public_expo(slug="no-agenda", with_agenda=True)
    assert on_air(expo, at(25, 23, 59)) == (None, None, False)
    assert on_air(expo, at(26, 0)) == (None, None, True)


def test_overlapping_sessions_the_latest_started_is_on_air():
    expo = make_expo(slug="overlap", status=Expo.Status.LIVE)
    make_session(expo=expo, title="Panjang", starts_at=at(24, 9), ends_at=at(24, 12))
    make_session(expo=expo, title="Sisipan", starts_at=at(24, 10), ends_at=at(24, 10, 30))
    expo = public_expo(slug="overlap", with_agenda=True)
    assert on_air(expo, at(24, 10, 15)) == ("Sisipan", None, False)
    assert on_air(expo, at(24, 10, 30)) == ("Panjang", None, False)


def test_on_air_reads_the_prefetched_agenda_without_queries(live_expo, django_assert_num_queries):
    expo, *_ = live_expo
    with django_assert_num_queries(0):
        agenda_on_air(expo=expo, now=at(24, 9, 30))


def test_the_expo_listing_decides_the_phase_in_each_expos_own_zone():
    from gelar.events.selectors import expo_listing

    start = datetime.date(2027, 5, 20)
    dates = {"start_date": start, "end_date": start}
    make_expo(name="Expo Jakarta", time_zone="Asia/Jakarta", **dates)
    make_expo(name="Expo Jayapura", time_zone="Asia/Jayapura", **dates)
    make_expo(name="Expo Draf", status=Expo.Status.DRAFT, **dates)
    # 16:30 UTC on the 19th: 23:30 on the 19th in Jakarta, 01:30 on the 20th in Jayapura.
    now = datetime.datetime(2027, 5, 19, 16, 30, tzinfo=datetime.UTC)
    listing = expo_listing(now=now)
    assert [e.name for e in listing.live] == ["Expo Jayapura"]
    assert [e.name for e in listing.upcoming] == ["Expo Jakarta"]
    assert listing.past == []
