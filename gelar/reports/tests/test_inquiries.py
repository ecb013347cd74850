"""Bulk inquiries, the domain: reports.services.inquiry_submit / inquiry_answer /
inquiry_mark -- who takes inquiries, the daily limit, a resubmit, the table of what may
follow what, the values, the audit trail and the emails after commit."""

import datetime
import itertools

import pytest
from django.db import connection

from gelar.audit.models import AuditEntry
from gelar.events.models import Expo
from gelar.reports.models import Inquiry
from gelar.reports.services import (
    INQUIRY_TRANSITIONS,
    InquiryError,
    InquiryFlood,
    inquiry_answer,
    inquiry_mark,
    inquiry_submit,
)
from gelar.reports.tests import collect_world
from gelar.testing import make_expo, make_participation, make_product, run_together

pytestmark = pytest.mark.django_db
world = collect_world.world

Status = Inquiry.Status


def submit(world, **changes) -> Inquiry:
    values = {
        "expo": world.expo,
        "exhibitor": world.batik,
        "product": world.shirt,
        "buyer_name": "  Rina   Kusuma ",
        "company": "Toko Batik  Rina",
        "buyer_whatsapp": "0812-3456-7890",
        "buyer_email": "rina@example.com",
        "quantity": "200 pcs / bulan",
        "message": "Boleh minta harga grosir?\nUntuk seragam kantor.",
    }
    values.update(changes)
    return inquiry_submit(**values)


def make_inquiry(world, status: str, **fields) -> Inquiry:
    """An inquiry already in `status` (written directly: the transitions are under test)."""
    inquiry = submit(world, message=f"Inquiry {status} {fields}")
    values = {"status": status, **fields}
    if status == Status.WON:
        values.setdefault("won_value", 5_000_000)
    Inquiry.objects.filter(pk=inquiry.pk).update(**values)
    inquiry.refresh_from_db()
    return inquiry


# --- submit ---


def test_a_buyer_sends_an_inquiry_and_the_team_is_emailed_after_commit(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        inquiry = submit(world)
        assert mailoutbox == []  # nothing before the commit
    assert len(callbacks) == 1
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.buyer_name, inquiry.company) == (
        "new",
        "Rina Kusuma",
        "Toko Batik Rina",
    )
    assert (inquiry.buyer_whatsapp, inquiry.product, inquiry.expo) == (
        "6281234567890",
        world.shirt,
        world.expo,
    )
    assert inquiry.message == "Boleh minta harga grosir?\nUntuk seragam kantor."
    assert len(inquiry.token) == 32
    entry = AuditEntry.objects.get(action="reports.inquiry.submit")
    assert (entry.actor, entry.object_id, entry.exhibitor, entry.organizer) == (
        None,
        str(inquiry.pk),
        world.batik,
        world.expo.organizer,
    )
    # One email per team member (owner, then staff); the outsider's business is not told.
    assert [m.to for m in mailoutbox] == [["siti@example.com"], ["budi@example.com"]]
    body = mailoutbox[0].body
    assert f"http://127.0.0.1:8000/umkm/{world.batik.slug}/permintaan/{inquiry.pk}/" in body
    assert "Kemeja Batik Tulis Sekar Jagad" in body and "200 pcs / bulan" in body


def test_a_repeat_within_ten_minutes_is_the_same_inquiry(world, mailoutbox):
    first = submit(world)
    again = submit(world, buyer_whatsapp="+62 812 3456 7890")
    assert again.pk == first.pk
    assert Inquiry.objects.count() == 1
    Inquiry.objects.update(created_at=first.created_at - datetime.timedelta(minutes=11))
    assert submit(world).pk != first.pk
    assert Inquiry.objects.count() == 2


def test_five_inquiries_a_day_per_number_and_booth(world):
    for n in range(5):
        submit(world, message=f"Pertanyaan {n}")
    with pytest.raises(InquiryFlood) as refused:
        submit(world, message="Pertanyaan 6")
    assert refused.value.code == "too_many"
    assert Inquiry.objects.count() == 5
    # Another booth, another number: their own count.
    submit(world, exhibitor=world.amplang, product=None, message="Amplang grosir")
    submit(world, buyer_whatsapp="0857 1111 2222", message="Pertanyaan 6")
    # Yesterday's (in the expo's zone) no longer count.
    start_of_today = datetime.datetime.now(world.expo.tzinfo).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    Inquiry.objects.filter(buyer_whatsapp="6281234567890", exhibitor=world.batik).update(
        created_at=start_of_today - datetime.timedelta(seconds=1)
    )
    submit(world, message="Pertanyaan 6")
    assert Inquiry.objects.count() == 8


@pytest.mark.parametrize("status", [Expo.Status.PUBLISHED, Expo.Status.LIVE, Expo.Status.CLOSED])
def test_public_expos_take_inquiries(world, status):
    Expo.objects.filter(pk=world.expo.pk).update(status=status)
    world.expo.refresh_from_db()
    assert submit(world).status == "new"


def test_only_accepted_exhibitors_of_a_public_expo_take_inquiries(world):
    with pytest.raises(InquiryError) as refused:
        submit(world, exhibitor=world.applicant, product=None)
    assert refused.value.code == "booth_closed"
    draft = make_expo(status=Expo.Status.DRAFT)
    make_participation(expo=draft, exhibitor=world.batik)
    with pytest.raises(InquiryError) as refused:
        submit(world, expo=draft)
    assert refused.value.code == "booth_closed"
    assert Inquiry.objects.count() == 0


def test_the_product_must_be_the_booths_and_on_sale(world):
    snack = make_product(exhibitor=world.amplang, name="Amplang Kepiting")
    for product in (snack, world.expo_world.hidden):
        with pytest.raises(InquiryError) as refused:
            submit(world, product=product)
        assert (refused.value.code, refused.value.field) == ("product_unknown", "product")
    assert submit(world, product=None).product is None
    assert Inquiry.objects.count() == 1


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"buyer_name": "   "}, "buyer_name"),
        ({"buyer_whatsapp": "021 555 1234"}, "buyer_whatsapp"),
        ({"buyer_email": "rina@"}, "buyer_email"),
        ({"quantity": ""}, "quantity"),
        ({"message": " \n "}, "message"),
        ({"message": "x" * 2001}, "message"),
        ({"company": "x" * 201}, "company"),
    ],
)
def test_bad_buyer_input_is_refused_with_its_field(world, changes, field):
    with pytest.raises(InquiryError) as refused:
        submit(world, **changes)
    assert refused.value.field == field
    assert Inquiry.objects.count() == 0


# --- answer ---


def test_the_answer_makes_it_answered_and_emails_the_buyer(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    inquiry = submit(world)
    at = datetime.datetime(2021, 11, 24, 15, 0, tzinfo=world.expo.tzinfo)
    with django_capture_on_commit_callbacks(execute=True):
        answered = inquiry_answer(
            inquiry=inquiry, actor=world.staff, answer="  Bisa, Rp120.000/pcs.  ", now=at
        )
    assert (answered.status, answered.answer, answered.answered_at) == (
        "answered",
        "Bisa, Rp120.000/pcs.",
        at,
    )
    entry = AuditEntry.objects.get(action="reports.inquiry.answer")
    assert entry.actor == world.staff
    assert entry.changes == {
        "status": ["new", "answered"],
        "answer": ["", "Bisa, Rp120.000/pcs."],
    }
    (mail,) = mailoutbox
    assert mail.to == ["rina@example.com"]
    assert "Bisa, Rp120.000/pcs." in mail.body
    assert f"http://127.0.0.1:8000/permintaan/{inquiry.token}/" in mail.body


def test_answering_again_keeps_a_later_status_and_no_email_without_an_address(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    inquiry = make_inquiry(world, Status.QUOTED, buyer_email="")
    with django_capture_on_commit_callbacks(execute=True):
        answered = inquiry_answer(inquiry=inquiry, actor=world.owner, answer="Harga final.")
    assert (answered.status, answered.answer) == ("quoted", "Harga final.")
    assert mailoutbox == []


def test_an_empty_answer_is_refused(world):
    inquiry = submit(world)
    for text in ("", "   ", "x" * 2001):
        with pytest.raises(InquiryError) as refused:
            inquiry_answer(inquiry=inquiry, actor=world.owner, answer=text)
        assert refused.value.field == "answer"
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.answer) == ("new", "")


# --- marks: the one table of what may follow what ---

MARKS = {
    Status.QUOTED: {"value": 12_000_000},
    Status.WON: {"value": 11_500_000},
    Status.LOST: {"reason": "Harga terlalu tinggi"},
}
ALLOWED = {
    ("new", "quoted"),
    ("new", "won"),
    ("new", "lost"),
    ("answered", "quoted"),
    ("answered", "won"),
    ("answered", "lost"),
    ("quoted", "quoted"),
    ("quoted", "won"),
    ("quoted", "lost"),
    ("won", "won"),
    ("won", "lost"),
    ("lost", "won"),
}


def test_the_table_is_what_the_tests_expect():
    assert {(a, b) for a, targets in INQUIRY_TRANSITIONS.items() for b in targets} == ALLOWED


@pytest.mark.parametrize(
    "current, target", list(itertools.product(Status.values, ["quoted", "won", "lost"]))
)
def test_every_move(world, current, target):
    inquiry = make_inquiry(world, current)
    if (current, target) in ALLOWED:
        marked = inquiry_mark(inquiry=inquiry, actor=world.owner, status=target, **MARKS[target])
        assert marked.status == target
        assert AuditEntry.objects.filter(action=f"reports.inquiry.{target}").count() == 1
    else:
        with pytest.raises(InquiryError) as refused:
            inquiry_mark(inquiry=inquiry, actor=world.owner, status=target, **MARKS[target])
        assert refused.value.code == "transition"
        inquiry.refresh_from_db()
        assert inquiry.status == current


@pytest.mark.parametrize("target", ["new", "answered", "bogus"])
def test_new_and_answered_are_not_marks(world, target):
    inquiry = submit(world)
    with pytest.raises(InquiryError) as refused:
        inquiry_mark(inquiry=inquiry, actor=world.owner, status=target)
    assert refused.value.code == "status"


def test_won_needs_a_value_above_zero(world):
    inquiry = submit(world)
    for value, code in ((None, "value_required"), (0, "amount_invalid"), (-5, "amount_invalid")):
        with pytest.raises(InquiryError) as refused:
            inquiry_mark(inquiry=inquiry, actor=world.owner, status="won", value=value)
        assert (refused.value.code, refused.value.field) == (code, "value")
    with pytest.raises(InquiryError):
        inquiry_mark(inquiry=inquiry, actor=world.owner, status="won", value=10**12 + 1)
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.won_value) == ("new", None)


def test_lost_needs_a_reason(world):
    inquiry = submit(world)
    with pytest.raises(InquiryError) as refused:
        inquiry_mark(inquiry=inquiry, actor=world.owner, status="lost", reason="  ")
    assert (refused.value.code, refused.value.field) == ("reason_required", "reason")


def test_a_deal_quoted_won_lost_and_won_again(world):
    inquiry = submit(world)
    day = datetime.datetime(2021, 11, 26, 9, 0, tzinfo=world.expo.tzinfo)
    quoted = inquiry_mark(inquiry=inquiry, actor=world.owner, status="quoted", value=24_000_000)
    assert (quoted.status, quoted.quoted_value, quoted.decided_at) == ("quoted", 24_000_000, None)
    # A new quote without a value keeps the last one.
    assert inquiry_mark(inquiry=inquiry, actor=world.owner, status="quoted").quoted_value == (
        24_000_000
    )
    won = inquiry_mark(inquiry=inquiry, actor=world.staff, status="won", value=22_500_000, now=day)
    assert (won.status, won.won_value, won.quoted_value, won.decided_at) == (
        "won",
        22_500_000,
        24_000_000,
        day,
    )
    lost = inquiry_mark(inquiry=inquiry, actor=world.owner, status="lost", reason="Batal order")
    assert (lost.status, lost.won_value, lost.lost_reason) == ("lost", None, "Batal order")
    again = inquiry_mark(inquiry=inquiry, actor=world.owner, status="won", value=20_000_000)
    assert (again.status, again.won_value, again.lost_reason) == ("won", 20_000_000, "")
    actions = list(
        AuditEntry.objects.filter(object_id=str(inquiry.pk))
        .order_by("pk")
        .values_list("action", "changes")
    )
    assert actions == [
        ("reports.inquiry.submit", {"status": [None, "new"], "product": world.shirt.pk}),
        ("reports.inquiry.quoted", {"status": ["new", "quoted"], "quoted_value": [None, 24000000]}),
        ("reports.inquiry.quoted", {}),
        ("reports.inquiry.won", {"status": ["quoted", "won"], "won_value": [None, 22500000]}),
        (
            "reports.inquiry.lost",
            {
                "status": ["won", "lost"],
                "won_value": [22500000, None],
                "lost_reason": ["", "Batal order"],
            },
        ),
        (
            "reports.inquiry.won",
            {
                "status": ["lost", "won"],
                "won_value": [None, 20000000],
                "lost_reason": ["Batal order", ""],
            },
        ),
    ]


# --- the daily limit holds under a race (PostgreSQL: transactions run concurrently) ---


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serialises all writers, so there is no race to test",
)
def test_eight_buyers_racing_with_one_number_get_five_inquiries_through():
    from gelar.testing import build_expo

    expo_world = build_expo()

    def send(i: int) -> str:
        inquiry_submit(
            expo=expo_world.expo,
            exhibitor=expo_world.batik,
            buyer_name="Rina",
            buyer_whatsapp="081234567890",
            quantity="100",
            message=f"Pertanyaan {i}",
        )
        return "sent"

    outcomes = run_together(8, send, refusals=(InquiryError,))
    assert outcomes == ["sent"] * 5 + ["too_many"] * 3
    assert Inquiry.objects.filter(exhibitor=expo_world.batik).count() == 5
