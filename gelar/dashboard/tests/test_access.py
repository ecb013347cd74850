"""Every dashboard URL with three users: the owner, a staff teammate, and an outsider
who owns another business. The outsider gets 404 for GET and POST and changes nothing."""

import pytest
from django.urls import reverse

from gelar.dashboard.tests.conftest import db_state

# name -> (kwargs from the team, a POST body that would change something for a member)
PAGES = {
    "exhibitor": (lambda t: {"slug": t.business.slug}, {}),
    "profile": (
        lambda t: {"slug": t.business.slug},
        {
            "name": "Diambil Alih",
            "owner_name": "Penyusup",
            "category": "",
            "province": "33",
            "region": "33.75",
            "whatsapp": "081234567890",
            "links-TOTAL_FORMS": "0",
            "links-INITIAL_FORMS": "0",
        },
    ),
    "documents": (lambda t: {"slug": t.business.slug}, {"nib-number": "9120009999999"}),
    "document": (lambda t: {"slug": t.business.slug, "kind": "nib"}, {}),
    "products": (lambda t: {"slug": t.business.slug}, {}),
    "product_create": (
        lambda t: {"slug": t.business.slug},
        {"name": "Palsu", "price": "1000", "stock": "1", "is_active": "on"},
    ),
    "product_edit": (
        lambda t: {"slug": t.business.slug, "pk": t.product.pk},
        {"name": "Palsu", "price": "1", "stock": "0", "stock_seen": "10", "is_active": "on"},
    ),
    "product_photo": (
        lambda t: {"slug": t.business.slug, "pk": t.product.pk, "image_pk": t.image.pk},
        {"action": "delete"},
    ),
    "product_import": (lambda t: {"slug": t.business.slug}, {}),
    "product_import_template": (lambda t: {"slug": t.business.slug, "fmt": "xlsx"}, {}),
    "apply": (
        lambda t: {"slug": t.business.slug},
        {"expo": "0", "mode": "online", "note": "x"},
    ),
    "withdraw": (lambda t: {"slug": t.business.slug, "pk": t.participation.pk}, {}),
    "team": (lambda t: {"slug": t.business.slug}, {"email": "intruder@example.com"}),
    "team_remove": (lambda t: {"slug": t.business.slug, "pk": t.staff_member.pk}, {}),
    "invite_revoke": (lambda t: {"slug": t.business.slug, "pk": t.invite.pk}, {}),
}
OWNER_ONLY = {"team", "team_remove", "invite_revoke"}
POST_ONLY = {"product_photo", "withdraw", "team_remove", "invite_revoke"}


def _url(name, team):
    kwargs, _body = PAGES[name]
    return reverse(f"dashboard:{name}", kwargs=kwargs(team))


@pytest.mark.parametrize("name", sorted(PAGES))
def test_outsider_gets_404_and_changes_nothing(client, team, name):
    client.force_login(team.outsider)
    url = _url(name, team)
    before = db_state()
    assert client.get(url).status_code == 404
    # Also with the apply form aimed at a real open expo.
    body = dict(PAGES[name][1])
    if name == "apply":
        body["expo"] = str(team.expo.pk)
    assert client.post(url, body).status_code == 404
    assert db_state() == before


@pytest.mark.parametrize("name", sorted(PAGES))
def test_owner_can_open_every_page(client, team, name):
    client.force_login(team.owner)
    response = client.get(_url(name, team))
    assert response.status_code == (405 if name in POST_ONLY else 200)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_staff_can_open_every_page_but_the_team(client, team, name):
    client.force_login(team.staff)
    url = _url(name, team)
    before = db_state()
    response = client.get(url)
    if name in OWNER_ONLY:
        assert response.status_code == 404
        assert client.post(url, PAGES[name][1]).status_code == 404
        assert db_state() == before
    else:
        assert response.status_code == (405 if name in POST_ONLY else 200)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_signed_out_visitor_is_sent_to_sign_in(client, team, name):
    url = _url(name, team)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_outsider_cannot_reach_a_product_of_another_business_through_their_own(client, team):
    """The product id belongs to another business: the outsider's own slug does not help."""
    client.force_login(team.outsider)
    before = db_state()
    url = reverse(
        "dashboard:product_edit", kwargs={"slug": team.other_business.slug, "pk": team.product.pk}
    )
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "x", "price": "1", "stock": "0"}).status_code == 404
    photo = reverse(
        "dashboard:product_photo",
        kwargs={"slug": team.other_business.slug, "pk": team.product.pk, "image_pk": team.image.pk},
    )
    assert client.post(photo, {"action": "delete"}).status_code == 404
    withdraw = reverse(
        "dashboard:withdraw",
        kwargs={"slug": team.other_business.slug, "pk": team.participation.pk},
    )
    assert client.post(withdraw).status_code == 404
    assert db_state() == before


def test_document_is_served_to_the_team_only_and_never_as_media(client, team):
    url = reverse("dashboard:document", kwargs={"slug": team.business.slug, "kind": "nib"})
    client.force_login(team.staff)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n% test\n"
    documents_page = client.get(reverse("dashboard:documents", args=[team.business.slug]))
    assert "/media/" not in documents_page.content.decode()
    # The file is not under MEDIA_ROOT, so the public media URL cannot serve it.
    assert client.get("/media/" + team.document.file.name).status_code == 404
    with pytest.raises(ValueError):
        team.document.file.url  # noqa: B018


def test_home_sends_a_member_of_one_business_to_it(client, team):
    client.force_login(team.staff)
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:exhibitor", args=[team.business.slug])
