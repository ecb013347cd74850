"""Telling an exhibitor's team what the organizer decided: email, and WhatsApp links.

The services call notify_* after commit (transaction.on_commit), with the
participation's id: a rolled-back decision sends nothing, and the message is
rendered from what was committed. Messages are in the site's language
(Indonesian): the organizer may browse in English, the UMKM read Indonesian.

A person would often rather WhatsApp than email: whatsapp_link gives the
organizer a wa.me link to the owner, prefilled with the same text.
"""

from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from gelar.exhibitors.models import ExhibitorMember, Participation

_TEMPLATES = {
    Participation.Status.ACCEPTED: "participation_accepted",
    Participation.Status.REFUSED: "participation_refused",
    Participation.Status.CHANGES_REQUESTED: "participation_changes_requested",
}


@dataclass(frozen=True)
class Message:
    subject: str
    body: str


def dashboard_url() -> str:
    return settings.SITE_URL + "/umkm/"


def decision_message(*, participation: Participation) -> Message | None:
    """The message for the participation's current decision (None while undecided)."""
    template = _TEMPLATES.get(participation.status)
    return _render(template, participation) if template else None


def booth_message(*, participation: Participation) -> Message | None:
    return _render("booth_assigned", participation) if participation.booth_id else None


def team_emails(*, participation: Participation) -> list[str]:
    return list(
        ExhibitorMember.objects.filter(exhibitor_id=participation.exhibitor_id)
        .exclude(user__email="")
        .order_by("role", "pk")
        .values_list("user__email", flat=True)
        .distinct()
    )


def whatsapp_link(*, participation: Participation) -> str:
    """wa.me link to the owner's WhatsApp, prefilled with the decision (or a greeting)."""
    message = decision_message(participation=participation)
    if message is not None:
        text = message.body
    else:
        with translation.override(settings.LANGUAGE_CODE):
            text = render_to_string(
                "email/participation_whatsapp_hello.txt", _context(participation)
            ).strip()
    return f"https://wa.me/{participation.exhibitor.whatsapp}?text={quote(text)}"


def notify_accepted(*, participation_id: int) -> None:
    _send_decision(participation_id)


def notify_refused(*, participation_id: int) -> None:
    _send_decision(participation_id)


def notify_changes_requested(*, participation_id: int) -> None:
    _send_decision(participation_id)


def notify_booth_assigned(*, participation_id: int) -> None:
    participation = _load(participation_id)
    if participation is None:
        return
    _send(participation, booth_message(participation=participation))


def _send_decision(participation_id: int) -> None:
    participation = _load(participation_id)
    if participation is None:
        return
    _send(participation, decision_message(participation=participation))


def _send(participation: Participation, message: Message | None) -> None:
    recipients = team_emails(participation=participation)
    if message is None or not recipients:
        return
    # One email per person: team members do not see each other's addresses.
    for address in recipients:
        send_mail(message.subject, message.body, None, [address])


def _load(participation_id: int) -> Participation | None:
    return (
        Participation.objects.select_related("expo__organizer", "exhibitor", "booth__hall")
        .filter(pk=participation_id)
        .first()
    )


def _context(participation: Participation) -> dict:
    return {
        "participation": participation,
        "exhibitor": participation.exhibitor,
        "expo": participation.expo,
        "booth": participation.booth,
        "dashboard_url": dashboard_url(),
    }


def _render(template: str, participation: Participation) -> Message:
    with translation.override(settings.LANGUAGE_CODE):
        context = _context(participation)
        subject = render_to_string(f"email/{template}_subject.txt", context)
        body = render_to_string(f"email/{template}_body.txt", context)
    return Message(subject=" ".join(subject.split()), body=body.strip() + "\n")
