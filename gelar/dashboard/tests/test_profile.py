import pytest
from django.urls import reverse
from PIL import Image

from gelar.audit.models import AuditEntry
from gelar.catalog.tests.files import gps_exif, jpeg_bytes, upload
from gelar.dashboard.tests.conftest import db_state
from gelar.exhibitors.models import Exhibitor, ExhibitorDocument, ExhibitorLink, ExhibitorMember
from gelar.testing import batik, make_exhibitor, make_user


def _profile_body(team, **changes):
    body = {
        "name": "Batik Sekar Jagad Baru",
        "owner_name": "Siti Rahmawati",
        "category": str(batik().pk),
        "province": "33",
        "region": "33.75",
        "whatsapp": "0812-3456-7000",
        "description": "Batik tulis Pekalongan.",
        "nib": "9120001234567",
        "address": "Jl. Hayam Wuruk 1",
        "video_url": "youtu.be/aqz-KE-bpKQ",
        "links-TOTAL_FORMS": "2",
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "10",
        "links-0-kind": "shopee",
        "links-0-url": "https://shopee.co.id/sekarjagad",
        "links-1-kind": "",
        "links-1-url": "",
    }
    body.update(changes)
    return body


def test_owner_saves_the_profile_with_normalised_whatsapp_links_and_audit(client, team):
    client.force_login(team.owner)
    url = reverse("dashboard:profile", args=[team.business.slug])
    response = client.post(url, _profile_body(team))
    assert response.status_code == 302
    business = Exhibitor.objects.get(pk=team.business.pk)
    assert business.name == "Batik Sekar Jagad Baru"
    assert business.whatsapp == "6281234567000"
    assert business.video_url == "https://youtu.be/aqz-KE-bpKQ"
    assert business.region_id == "33.75"
    assert list(ExhibitorLink.objects.filter(exhibitor=business).values_list("kind", "url")) == [
        ("shopee", "https://shopee.co.id/sekarjagad")
    ]
    entry = AuditEntry.objects.get(action="exhibitor.update")
    assert entry.actor == team.owner
    assert entry.exhibitor_id == business.pk
    assert entry.changes["name"] == ["Batik Sekar Jagad", "Batik Sekar Jagad Baru"]
    assert entry.changes["whatsapp"] == ["6281234567890", "6281234567000"]
    assert entry.changes["links"] == ["", "shopee:https://shopee.co.id/sekarjagad"]


def test_region_picker_lists_every_regency_of_the_chosen_province(client, team):
    client.force_login(team.owner)
    response = client.get(reverse("dashboard:profile", args=[team.business.slug]))
    form = response.context["form"]
    assert len(form.fields["province"].choices) == 39  # 38 provinces and the placeholder
    regencies = list(form.fields["region"].queryset.values_list("code", flat=True))
    assert "33.75" in regencies and len(regencies) == 35  # Central Java: 29 + 6 cities
    options = response.context["regency_options"]
    assert sum(len(rows) for rows in options.values()) == 514
    assert '<option value="33.75" selected>' in response.content.decode()


def test_changing_province_without_script_asks_for_its_regency_and_keeps_the_rest(client, team):
    """No JS: the province changed, the regency is still of the old one -> an error
    and the new province's regencies to choose from; everything typed is kept."""
    client.force_login(team.owner)
    url = reverse("dashboard:profile", args=[team.business.slug])
    before = db_state()
    response = client.post(url, _profile_body(team, province="63", description="Baru"))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["region"]
    assert {r.province_id for r in form.fields["region"].queryset} == {"63"}
    assert form["description"].value() == "Baru"
    assert db_state() == before


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("nib", "912000123456", "invalid_nib"),  # 12 digits
        ("whatsapp", "0212345678", "invalid_whatsapp"),  # a landline
        ("whatsapp", "hubungi saya", "invalid_whatsapp"),
    ],
)
def test_bad_nib_or_phone_is_an_error_next_to_the_field_and_keeps_the_rest(
    client, team, field, value, code
):
    client.force_login(team.owner)
    url = reverse("dashboard:profile", args=[team.business.slug])
    before = db_state()
    response = client.post(url, _profile_body(team, **{field: value}))
    assert response.status_code == 200
    form = response.context["form"]
    assert [error.code for error in form.errors.as_data()[field]] == [code]
    assert list(form.errors) == [field]
    assert form["name"].value() == "Batik Sekar Jagad Baru"
    assert form["address"].value() == "Jl. Hayam Wuruk 1"
    assert response.context["formset"].forms[0]["url"].value() == "https://shopee.co.id/sekarjagad"
    assert f'value="{value}"' in response.content.decode()
    assert db_state() == before


def test_nib_of_another_business_is_a_form_error(client, team):
    make_exhibitor(name="Lain", nib="9120007654321")
    client.force_login(team.owner)
    url = reverse("dashboard:profile", args=[team.business.slug])
    before = db_state()
    response = client.post(url, _profile_body(team, nib="9120007654321"))
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["nib"]] == ["nib_taken"]
    assert db_state() == before


def test_logo_is_re_encoded_without_exif_and_resized(client, team, settings):
    client.force_login(team.staff)
    url = reverse("dashboard:profile", args=[team.business.slug])
    photo = upload("logo.jpg", jpeg_bytes(size=(1200, 900), exif=gps_exif()))
    response = client.post(url, {**_profile_body(team), "logo": photo})
    assert response.status_code == 302
    business = Exhibitor.objects.get(pk=team.business.pk)
    with Image.open(business.logo.path) as logo:
        assert logo.format == "JPEG"
        assert max(logo.size) == 512
        assert logo.size == (384, 512)  # turned upright by the EXIF orientation
        assert dict(logo.getexif()) == {}


def test_non_image_logo_is_refused(client, team):
    client.force_login(team.owner)
    url = reverse("dashboard:profile", args=[team.business.slug])
    before = db_state()
    fake = upload("logo.jpg", b"MZ\x90\x00 this is a program, not a picture")
    response = client.post(url, {**_profile_body(team), "logo": fake})
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["logo"]] == ["image_invalid"]
    assert db_state() == before


def test_a_new_user_creates_a_business_and_becomes_its_owner(client, db):
    user = make_user(email="baru@example.com")
    client.force_login(user)
    home = client.get(reverse("dashboard:home"))
    assert home.status_code == 200
    assert "form" in home.context
    response = client.post(
        reverse("dashboard:create"),
        {
            "name": "Kopi Tubruk Kajen",
            "owner_name": "Rina",
            "category": str(batik().pk),
            "province": "33",
            "region": "33.26",
            "whatsapp": "+62 857 1234 5678",
        },
    )
    business = Exhibitor.objects.get(name="Kopi Tubruk Kajen")
    assert response["Location"] == reverse("dashboard:exhibitor", args=[business.slug])
    assert business.slug == "kopi-tubruk-kajen"
    assert business.whatsapp == "6285712345678"
    assert list(ExhibitorMember.objects.filter(exhibitor=business).values_list("user", "role")) == [
        (user.pk, "owner")
    ]
    assert AuditEntry.objects.filter(action="exhibitor.create", exhibitor=business).count() == 1


def test_create_with_a_bad_phone_keeps_what_was_typed(client, db):
    user = make_user(email="baru@example.com")
    client.force_login(user)
    response = client.post(
        reverse("dashboard:create"),
        {
            "name": "Kopi Tubruk Kajen",
            "owner_name": "Rina",
            "category": str(batik().pk),
            "province": "33",
            "region": "33.26",
            "whatsapp": "12345",
        },
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["whatsapp"]
    assert response.context["form"]["name"].value() == "Kopi Tubruk Kajen"
    assert Exhibitor.objects.count() == 0


def test_overview_shows_checklist_and_the_organizers_reason(client, team):
    team.participation.status = "changes_requested"
    team.participation.decision_reason = "Tambahkan foto produk yang lebih jelas."
    team.participation.save()
    client.force_login(team.staff)
    response = client.get(reverse("dashboard:exhibitor", args=[team.business.slug]))
    checklist = [(url_name, done) for _label, done, url_name in response.context["checklist"]]
    assert checklist == [
        ("dashboard:profile", False),  # logo
        ("dashboard:profile", True),  # description
        ("dashboard:profile", True),  # WhatsApp
        ("dashboard:documents", True),  # NIB
        ("dashboard:products", True),  # a product with a photo
    ]
    assert response.context["complete"] == 4
    assert "Tambahkan foto produk yang lebih jelas." in response.content.decode()


def test_documents_nib_is_required_and_13_digits(client, team):
    client.force_login(team.owner)
    url = reverse("dashboard:documents", args=[team.business.slug])
    before = db_state()
    response = client.post(
        url, {"nib-number": "912000123456", "npwp-number": "01.234.567.8-901.000"}
    )
    assert response.status_code == 200
    forms = {form.kind: form for form in response.context["document_forms"]}
    assert [e.code for e in forms["nib"].errors.as_data()["number"]] == ["invalid_nib"]
    assert forms["npwp"]["number"].value() == "01.234.567.8-901.000"
    assert db_state() == before


def test_documents_are_saved_privately_and_validated_by_content(client, team, settings):
    client.force_login(team.staff)
    url = reverse("dashboard:documents", args=[team.business.slug])
    pdf = upload("halal.pdf", b"%PDF-1.7\n1 0 obj\n", "application/pdf")
    response = client.post(
        url,
        {
            "nib-number": "9120001234567",
            "npwp-number": "01.234.567.8-901.000",
            "halal-number": "ID33110000123",
            "halal-file": pdf,
        },
    )
    assert response.status_code == 302
    halal = ExhibitorDocument.objects.get(exhibitor=team.business, kind="halal")
    assert halal.number == "ID33110000123"
    assert halal.file.name.startswith("documents/") and halal.file.name.endswith(".pdf")
    assert halal.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not halal.file.path.startswith(str(settings.MEDIA_ROOT))
    npwp = ExhibitorDocument.objects.get(exhibitor=team.business, kind="npwp")
    assert npwp.number == "012345678901000"
    assert not ExhibitorDocument.objects.filter(exhibitor=team.business, kind="bpom").exists()
    assert AuditEntry.objects.filter(action="document.save").count() == 2


def test_document_renamed_to_pdf_is_refused(client, team):
    client.force_login(team.owner)
    url = reverse("dashboard:documents", args=[team.business.slug])
    before = db_state()
    fake = upload("pirt.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")
    response = client.post(
        url, {"nib-number": "9120001234567", "pirt-number": "P-IRT 123", "pirt-file": fake}
    )
    assert response.status_code == 200
    forms = {form.kind: form for form in response.context["document_forms"]}
    assert [e.code for e in forms["pirt"].errors.as_data()["file"]] == ["document_type"]
    assert forms["pirt"]["number"].value() == "P-IRT 123"
    assert db_state() == before


def test_nib_entered_on_documents_becomes_the_businesss_nib(client, team):
    team.business.nib = ""
    team.business.save()
    client.force_login(team.owner)
    url = reverse("dashboard:documents", args=[team.business.slug])
    assert client.post(url, {"nib-number": "9120 0055 5555 5"}).status_code == 302
    assert Exhibitor.objects.get(pk=team.business.pk).nib == "9120005555555"
    assert ExhibitorDocument.objects.get(exhibitor=team.business, kind="nib").number == (
        "9120005555555"
    )
