"""The application queue: who may see and act, filters, bulk decisions, query count."""

from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from gelar.audit.models import AuditEntry
from gelar.console.tests.intake_world import (
    build_intake,
    snapshot,
    t,
)
from gelar.exhibitors.models import Participation
from gelar.testing import (
    make_exhibitor,
    make_organizer_member,
    make_participation,
    make_product,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return build_intake()


def _url(w, **params) -> str:
    url = reverse("console:applications", args=[w.expo.slug])
    if params:
        url += "?" + urlencode(params)
    return url


def _rows(response) -> list[str]:
    return [p.exhibitor.name for p in response.context["page"].object_list]


@pytest.mark.parametrize("who", ["admin", "staff"])
def test_organizer_admin_and_staff_see_the_queue(client, w, who):
    client.force_login(getattr(w, who))

    response = client.get(_url(w))

    assert response.status_code == 200
    assert _rows(response) == [
        "Batik Sekar Jagad",
        "Amplang Café Banjarbaru",
        "Tenun Belum Diterima",
        "Kopi Owa Menunggu",
    ]
    html = response.content.decode()
    assert reverse("console:application", args=[w.expo.slug, w.applicant.pk]) in html
    assert '<span class="tag nib">9120009876543</span>' in html


def test_outsider_gets_404_and_changes_nothing(client, w):
    client.force_login(w.outsider)
    before = snapshot(w.expo)

    assert client.get(_url(w)).status_code == 404
    response = client.post(_url(w), {"action": "accept", "ids": [w.applicant.pk]})

    assert response.status_code == 404
    assert snapshot(w.expo) == before


def test_anonymous_is_sent_to_sign_in(client, w):
    response = client.get(_url(w))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_filters(client, w):
    client.force_login(w.staff)

    assert _rows(client.get(_url(w, status="applied"))) == ["Tenun Belum Diterima"]
    assert _rows(client.get(_url(w, mode="online"))) == [
        "Amplang Café Banjarbaru",
        "Tenun Belum Diterima",
    ]
    assert _rows(client.get(_url(w, category="makanan"))) == ["Amplang Café Banjarbaru"]
    assert _rows(client.get(_url(w, region="63"))) == ["Amplang Café Banjarbaru"]
    assert _rows(client.get(_url(w, q="tenun"))) == ["Tenun Belum Diterima"]
    assert _rows(client.get(_url(w, q="kopi", mode="venue"))) == ["Kopi Owa Menunggu"]


def test_a_bad_filter_value_is_dropped_not_a_500(client, w):
    client.force_login(w.staff)

    response = client.get(_url(w, status="nonsense", category="no-such", mode="online", page="x"))

    assert response.status_code == 200
    assert _rows(response) == ["Amplang Café Banjarbaru", "Tenun Belum Diterima"]


def test_bulk_accept(client, w):
    client.force_login(w.staff)
    extra = make_participation(
        expo=w.expo,
        exhibitor=make_exhibitor(name="Sambal Bu Rudy", nib="9120004445556"),
        status="applied",
    )

    response = client.post(
        _url(w, status="applied"),
        {"action": "accept", "ids": [w.applicant.pk, extra.pk, w.batik.pk], "reason": ""},
    )

    assert response.status_code == 302
    assert response["Location"] == _url(w, status="applied")
    assert Participation.objects.get(pk=w.applicant.pk).status == "accepted"
    assert Participation.objects.get(pk=extra.pk).status == "accepted"
    assert list(
        AuditEntry.objects.filter(action="participation.accept")
        .order_by("object_id")
        .values_list("object_id", "actor")
    ) == sorted([(str(w.applicant.pk), w.staff.pk), (str(extra.pk), w.staff.pk)])
    shown = [str(m) for m in response.wsgi_request._messages]
    assert shown == [
        t("Done for %(count)s: %(names)s.", count=2, names="Tenun Belum Diterima, Sambal Bu Rudy"),
        "Batik Sekar Jagad: " + t("This business is already accepted in this expo."),
    ]


def test_bulk_refuse_without_a_reason_is_a_form_error_and_changes_nothing(client, w):
    client.force_login(w.admin)
    before = snapshot(w.expo)

    response = client.post(_url(w), {"action": "refuse", "ids": [w.applicant.pk], "reason": " "})

    assert response.status_code == 200
    assert response.context["bulk_form"].errors == {
        "reason": [t("Give a reason: the exhibitor is told.")]
    }
    # The selection and the chosen action are kept for the next try.
    html = response.content.decode()
    assert f'value="{w.applicant.pk}" id="pick-{w.applicant.pk}" checked' in html
    assert '<option value="refuse" selected>' in html
    assert snapshot(w.expo) == before


def test_bulk_refuse_and_request_changes_with_one_reason(client, w):
    client.force_login(w.admin)
    second = make_participation(
        expo=w.expo,
        exhibitor=make_exhibitor(name="Sambal Bu Rudy", nib="9120004445556"),
        status="applied",
    )

    client.post(
        _url(w), {"action": "request_changes", "ids": [w.applicant.pk], "reason": "Foto buram"}
    )
    client.post(_url(w), {"action": "refuse", "ids": [second.pk], "reason": "Kuota penuh"})

    assert list(
        Participation.objects.filter(pk__in=[w.applicant.pk, second.pk])
        .order_by("pk")
        .values_list("status", "decision_reason")
    ) == [("changes_requested", "Foto buram"), ("refused", "Kuota penuh")]


def test_bulk_with_an_id_of_another_expo_is_a_form_error(client, w):
    other = w.other
    foreign = Participation.objects.get(expo=other.expo, exhibitor=other.applicant)
    client.force_login(w.admin)

    response = client.post(_url(w), {"action": "accept", "ids": [foreign.pk]})

    assert response.status_code == 200
    assert "ids" in response.context["bulk_form"].errors
    assert Participation.objects.get(pk=foreign.pk).status == "applied"


def test_pagination(client, w):
    for i in range(51):
        make_participation(
            expo=w.expo, exhibitor=make_exhibitor(name=f"UMKM {i:02d}"), status="applied"
        )
    client.force_login(w.staff)

    first = client.get(_url(w))
    second = client.get(_url(w, page=2))

    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 5
    assert 'href="?page=2"' in first.content.decode()


def test_query_count_does_not_grow_with_the_queue(client, w):
    client.force_login(w.staff)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(w)).status_code == 200
        return len(queries)

    small = count()
    for i in range(12):
        exhibitor = make_exhibitor(name=f"UMKM {i:02d}", nib=f"91200077700{i:02d}")
        make_participation(expo=w.expo, exhibitor=exhibitor, status="applied", mode="venue")
        make_product(exhibitor=exhibitor, name=f"Produk {i}")
    assert count() == small


@pytest.mark.parametrize("role", ["host", "gate"])
def test_live_stream_hosts_and_gate_officers_do_not_get_the_intake(client, w, role):
    user = make_user(email=f"{role}@dindakop.go.id")
    make_organizer_member(organizer=w.expo.organizer, user=user, role=role)
    client.force_login(user)
    before = snapshot(w.expo)

    assert client.get(_url(w)).status_code == 404
    assert client.post(_url(w), {"action": "accept", "ids": [w.applicant.pk]}).status_code == 404
    assert client.get(reverse("console:booths", args=[w.expo.slug])).status_code == 404
    assert snapshot(w.expo) == before


def test_the_queue_in_english(client, w):
    client.force_login(w.staff)

    with translation.override("en"):
        url = reverse("console:applications", args=[w.expo.slug])
    response = client.get(url)

    assert url.startswith("/en/console/")
    assert response.status_code == 200
    assert "<h1>Applications</h1>" in response.content.decode()
