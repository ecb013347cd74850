"""A business's own data, edited by its team: profile, links, legal documents, team.

The NIB lives on the Exhibitor (participation_apply checks it there, the public
directory shows it); the NIB document keeps the same number and an optional
scan. Both writes go through here so they cannot disagree.
"""

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from gelar.audit.services import audit_record, field_changes
from gelar.exhibitors.models import (
    Exhibitor,
    ExhibitorDocument,
    ExhibitorInvite,
    ExhibitorLink,
    ExhibitorMember,
)

# Words the dashboard's URLs use after /umkm/: a business slug must not shadow them.
RESERVED_SLUGS = {"baru", "undangan", "new", "invite"}
PROFILE_FIELDS = (
    "name",
    "owner_name",
    "category",
    "region",
    "description",
    "whatsapp",
    "nib",
    "address",
    "video_url",
)


class ProfileError(Exception):
    """A change the business's data refuses; `field` names the form field it concerns."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


# --- the business profile ---


def exhibitor_create(*, user, fields: dict, logo: ContentFile | None = None) -> Exhibitor:
    """A new business with the user as its owner."""
    with transaction.atomic():
        _check_nib(nib=fields.get("nib", ""), exhibitor_pk=None)
        exhibitor = Exhibitor(slug=_free_slug(fields["name"]), **_profile(fields))
        if logo is not None:
            exhibitor.logo.save(_logo_name(), logo, save=False)
        _save_nib_safely(exhibitor)
        ExhibitorMember.objects.create(
            exhibitor=exhibitor, user=user, role=ExhibitorMember.Role.OWNER
        )
        _sync_nib_document(exhibitor)
        audit_record(
            actor=user,
            action="exhibitor.create",
            obj=exhibitor,
            changes=field_changes({}, _snapshot(exhibitor)),
            exhibitor=exhibitor,
        )
    return exhibitor


def exhibitor_update(
    *,
    exhibitor: Exhibitor,
    actor,
    fields: dict,
    logo: ContentFile | None = None,
    links: Sequence[tuple[str, str]] | None = None,
) -> Exhibitor:
    """Edit the profile; `links` (kind, url) replace the business's links when given."""
    with transaction.atomic():
        _check_nib(nib=fields.get("nib", exhibitor.nib), exhibitor_pk=exhibitor.pk)
        before = _snapshot(exhibitor)
        old_logo = exhibitor.logo.name
        for name, value in _profile(fields).items():
            setattr(exhibitor, name, value)
        if logo is not None:
            exhibitor.logo.save(_logo_name(), logo, save=False)
        _save_nib_safely(exhibitor)
        if links is not None:
            before["links"] = _links_text(exhibitor.links.all())
            exhibitor.links.all().delete()
            ExhibitorLink.objects.bulk_create(
                ExhibitorLink(exhibitor=exhibitor, kind=kind, url=url) for kind, url in links
            )
        after = _snapshot(exhibitor)
        if links is not None:
            after["links"] = _links_text(exhibitor.links.all())
        _sync_nib_document(exhibitor)
        changes = field_changes(before, after)
        if changes:
            audit_record(
                actor=actor,
                action="exhibitor.update",
                obj=exhibitor,
                changes=changes,
                exhibitor=exhibitor,
            )
        if logo is not None and old_logo and old_logo != exhibitor.logo.name:
            storage = exhibitor.logo.storage
            transaction.on_commit(lambda: storage.delete(old_logo))
    return exhibitor


def _profile(fields: dict) -> dict:
    return {name: fields[name] for name in PROFILE_FIELDS if name in fields}


def _snapshot(exhibitor: Exhibitor) -> dict:
    values = {name: getattr(exhibitor, name) for name in PROFILE_FIELDS}
    values["category"] = exhibitor.category.slug if exhibitor.category_id else None
    values["region"] = exhibitor.region_id
    values["logo"] = exhibitor.logo.name or ""
    return values


def _links_text(links) -> str:
    return " ".join(f"{link.kind}:{link.url}" for link in links)


def _free_slug(name: str) -> str:
    base = slugify(name)[:70].strip("-") or "umkm"
    taken = set(Exhibitor.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    taken |= RESERVED_SLUGS
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _logo_name() -> str:
    return f"{secrets.token_urlsafe(12)}.jpg"


def _check_nib(*, nib: str, exhibitor_pk: int | None) -> None:
    if nib and Exhibitor.objects.filter(nib=nib).exclude(pk=exhibitor_pk).exists():
        raise _nib_taken()


def _nib_taken() -> ProfileError:
    return ProfileError(
        _("This NIB is already registered by another business."), field="nib", code="nib_taken"
    )


def _save_nib_safely(exhibitor: Exhibitor) -> None:
    # The check above can lose a race; the unique constraint cannot.
    try:
        with transaction.atomic():
            exhibitor.save()
    except IntegrityError:
        if (
            exhibitor.nib
            and Exhibitor.objects.filter(nib=exhibitor.nib).exclude(pk=exhibitor.pk).exists()
        ):
            raise _nib_taken() from None
        raise


def _sync_nib_document(exhibitor: Exhibitor) -> None:
    if not exhibitor.nib:
        ExhibitorDocument.objects.filter(
            exhibitor=exhibitor, kind=ExhibitorDocument.Kind.NIB
        ).update(number="")
        return
    ExhibitorDocument.objects.update_or_create(
        exhibitor=exhibitor,
        kind=ExhibitorDocument.Kind.NIB,
        defaults={"number": exhibitor.nib},
    )


# --- legal documents ---


@dataclass(frozen=True)
class DocumentInput:
    kind: str
    number: str
    # A checked file (gelar.exhibitors.services.profile.check_document_file) or None: keep.
    file: "CheckedFile | None" = None
    remove_file: bool = False


@dataclass(frozen=True)
class CheckedFile:
    content: ContentFile
    extension: str  # "pdf", "jpg" or "png", from the content


DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
_MAGIC = ((b"%PDF-", "pdf"), (b"\xff\xd8\xff", "jpg"), (b"\x89PNG\r\n\x1a\n", "png"))
CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


def check_document_file(upload) -> CheckedFile:
    """A PDF, JPEG or PNG up to 5 MB, by its content; raises ProfileError otherwise."""
    if upload.size > DOCUMENT_MAX_BYTES:
        raise ProfileError(
            _("The file is larger than %(limit)s MB.") % {"limit": DOCUMENT_MAX_BYTES // 2**20},
            code="document_too_large",
        )
    upload.seek(0)
    data = upload.read(DOCUMENT_MAX_BYTES + 1)
    if len(data) > DOCUMENT_MAX_BYTES:
        raise ProfileError(
            _("The file is larger than %(limit)s MB.") % {"limit": DOCUMENT_MAX_BYTES // 2**20},
            code="document_too_large",
        )
    extension = next((ext for magic, ext in _MAGIC if data.startswith(magic)), None)
    if extension in ("jpg", "png") and not _is_image(data, extension):
        extension = None
    if extension is None:
        raise ProfileError(
            _("Upload the document as a PDF, JPEG or PNG file."), code="document_type"
        )
    return CheckedFile(content=ContentFile(data), extension=extension)


def _is_image(data: bytes, extension: str) -> bool:
    import io
    import warnings

    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(
                io.BytesIO(data), formats=["JPEG" if extension == "jpg" else "PNG"]
            ) as im:
                im.verify()
        except Exception:  # noqa: BLE001 -- any failure to parse means "not this image"
            return False
    return True


def documents_save(
    *, exhibitor: Exhibitor, actor, documents: Sequence[DocumentInput]
) -> list[ExhibitorDocument]:
    """Save the numbers and files of the business's documents in one go.

    The NIB number is also the Exhibitor's NIB (checked unique). Replaced and
    removed files are deleted after commit.
    """
    saved = []
    written: list[str] = []
    storage = ExhibitorDocument._meta.get_field("file").storage
    try:
        with transaction.atomic():
            obsolete: list[str] = []
            for entry in documents:
                document = ExhibitorDocument.objects.filter(
                    exhibitor=exhibitor, kind=entry.kind
                ).first() or ExhibitorDocument(exhibitor=exhibitor, kind=entry.kind)
                before = {"number": document.number, "file": document.file.name or ""}
                if entry.kind == ExhibitorDocument.Kind.NIB and entry.number != exhibitor.nib:
                    _check_nib(nib=entry.number, exhibitor_pk=exhibitor.pk)
                    old_nib = exhibitor.nib
                    exhibitor.nib = entry.number
                    _save_nib_safely(exhibitor)
                    audit_record(
                        actor=actor,
                        action="exhibitor.update",
                        obj=exhibitor,
                        changes={"nib": [old_nib, entry.number]},
                        exhibitor=exhibitor,
                    )
                document.number = entry.number
                if entry.file is not None:
                    if document.file.name:
                        obsolete.append(document.file.name)
                    name = f"{exhibitor.pk}-{entry.kind}-{secrets.token_urlsafe(12)}"
                    document.file.save(
                        f"{name}.{entry.file.extension}", entry.file.content, save=False
                    )
                    written.append(document.file.name)
                elif entry.remove_file and document.file.name:
                    obsolete.append(document.file.name)
                    document.file = ""
                after = {"number": document.number, "file": document.file.name or ""}
                if document.pk is None and not document.number and not document.file:
                    continue  # nothing to keep for a document the business does not have
                changes = field_changes(before, after)
                if changes or document.pk is None:
                    document.save()
                    audit_record(
                        actor=actor,
                        action="document.save",
                        obj=document,
                        changes=changes,
                        exhibitor=exhibitor,
                    )
                saved.append(document)
            transaction.on_commit(lambda: [storage.delete(name) for name in obsolete])
    except BaseException:
        for name in written:
            storage.delete(name)
        raise
    return saved


# --- the team ---


class InviteError(ProfileError):
    pass


def invite_create(
    *, exhibitor: Exhibitor, actor, email: str = "", phone: str = ""
) -> ExhibitorInvite:
    """Invite someone to the team as staff; the link goes out by email after commit
    (when there is an address) and the owner can share it on WhatsApp."""
    if not email and not phone:
        raise InviteError(_("Give an email address or a mobile number."), code="invite_empty")
    members = ExhibitorMember.objects.filter(exhibitor=exhibitor)
    if (email and members.filter(user__email__iexact=email).exists()) or (
        phone and members.filter(user__phone=phone).exists()
    ):
        raise InviteError(_("This person is already in your team."), code="invite_member")
    with transaction.atomic():
        invite = ExhibitorInvite.objects.create(
            exhibitor=exhibitor,
            email=email,
            phone=phone,
            token=secrets.token_urlsafe(32),
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="team.invite",
            obj=invite,
            changes={"email": email, "phone": phone},
            exhibitor=exhibitor,
        )
        if email:
            transaction.on_commit(lambda: _send_invite_email(invite))
    return invite


def invite_url(invite: ExhibitorInvite) -> str:
    return settings.SITE_URL + reverse("dashboard:invite_accept", args=[invite.token])


def invite_whatsapp_url(invite: ExhibitorInvite) -> str:
    """A wa.me link with the invitation: to the invited number, or to choose a chat."""
    text = _(
        "You are invited to join the team of %(business)s on Gelar. Open this link to accept: "
        "%(url)s"
    ) % {"business": invite.exhibitor.name, "url": invite_url(invite)}
    return f"https://wa.me/{invite.phone}?text={quote(text, safe='')}"


def _send_invite_email(invite: ExhibitorInvite) -> None:
    inviter = invite.created_by
    send_mail(
        subject=_("Invitation to the team of %(business)s") % {"business": invite.exhibitor.name},
        message=_(
            "%(inviter)s invites you to help run %(business)s on Gelar: products, stock "
            "and expo applications.\n\nTo accept, sign in (or create an account) and open:\n"
            "%(url)s\n\nThe link is valid for %(days)s days. If you did not expect this, "
            "ignore this email."
        )
        % {
            "inviter": str(inviter) if inviter else _("The owner"),
            "business": invite.exhibitor.name,
            "url": invite_url(invite),
            "days": ExhibitorInvite.VALID_DAYS,
        },
        from_email=None,
        recipient_list=[invite.email],
    )


def invite_is_open(invite: ExhibitorInvite, *, now=None) -> bool:
    now = now or timezone.now()
    return invite.accepted_at is None and invite.created_at >= now - timedelta(
        days=ExhibitorInvite.VALID_DAYS
    )


def invite_accept(*, token: str, user) -> ExhibitorMember:
    """The signed-in user joins the team as staff; raises InviteError on a used,
    expired or unknown invitation, or when the user is already in the team."""
    with transaction.atomic():
        invite = (
            ExhibitorInvite.objects.select_for_update()
            .select_related("exhibitor")
            .filter(token=token)
            .first()
        )
        if invite is None or not invite_is_open(invite):
            raise InviteError(
                _("This invitation is no longer valid; ask the owner for a new one."),
                code="invite_invalid",
            )
        if ExhibitorMember.objects.filter(exhibitor=invite.exhibitor, user=user).exists():
            raise InviteError(_("You are already in this team."), code="invite_member")
        member = ExhibitorMember.objects.create(
            exhibitor=invite.exhibitor, user=user, role=ExhibitorMember.Role.STAFF
        )
        invite.accepted_at = timezone.now()
        invite.accepted_by = user
        invite.save(update_fields=["accepted_at", "accepted_by"])
        audit_record(
            actor=user,
            action="team.join",
            obj=member,
            changes={"invite": invite.pk},
            exhibitor=invite.exhibitor,
        )
    return member


def invite_revoke(*, invite: ExhibitorInvite, actor) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="team.invite_revoke",
            obj=invite,
            changes={"email": invite.email, "phone": invite.phone},
            exhibitor=invite.exhibitor,
        )
        invite.delete()


def member_remove(*, member: ExhibitorMember, actor) -> None:
    """Remove staff from the team; the owner cannot be removed here."""
    if member.role == ExhibitorMember.Role.OWNER:
        raise ProfileError(_("The owner cannot be removed from the team."), code="owner")
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="team.remove",
            obj=member,
            changes={"user": str(member.user)},
            exhibitor=member.exhibitor,
        )
        member.delete()
