"""Email about bulk inquiries, sent after commit (the services use transaction.on_commit
with the inquiry's id): a rolled-back change sends nothing, and the message is rendered
from what was committed.

- notify_inquiry_received: each member of the exhibitor's team, one email per person
  (they do not see each other's addresses), with the link to answer it;
- notify_inquiry_answered: the buyer, when they gave an address, with the link to
  their inquiry's page (the answer itself is there and in the email).

Messages are in the site's language (Indonesian): the buyer's language is not stored,
and the UMKM read Indonesian.

A mail server that fails is logged and swallowed: these run after the commit, in the
request that saved the inquiry or the answer, and the thing itself is saved -- the
buyer has their page, the team their dashboard. Raising would turn that into a 500
(and, for the team, skip the teammates after the failed address).

The team is emailed at most once per TEAM_EMAIL_MINUTES per business: a burst of
inquiries (a busy hour, or a flood) makes one email, which says so and links to the
list of them all.
"""

import logging
import smtplib

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from gelar.exhibitors.models import ExhibitorMember
from gelar.reports.models import Inquiry

log = logging.getLogger(__name__)

TEAM_EMAIL_MINUTES = 10


def inquiry_buyer_url(inquiry: Inquiry) -> str:
    """The buyer's page of the inquiry; the token is its only key."""
    with translation.override(settings.LANGUAGE_CODE):
        return settings.SITE_URL + reverse("public:inquiry", args=[inquiry.token])


def inquiry_team_url(inquiry: Inquiry) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return settings.SITE_URL + reverse(
            "dashboard:inquiry", args=[inquiry.exhibitor.slug, inquiry.pk]
        )


def inquiries_team_url(inquiry: Inquiry) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return settings.SITE_URL + reverse("dashboard:inquiries", args=[inquiry.exhibitor.slug])


def _load(inquiry_id: int) -> Inquiry | None:
    return (
        Inquiry.objects.select_related("expo", "exhibitor", "product").filter(pk=inquiry_id).first()
    )


def _render(template: str, context: dict) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"email/{template}_subject.txt", context)
        body = render_to_string(f"email/{template}_body.txt", context)
    return " ".join(subject.split()), body.strip() + "\n"


def notify_inquiry_received(*, inquiry_id: int) -> None:
    inquiry = _load(inquiry_id)
    if inquiry is None:
        return
    recipients = list(
        ExhibitorMember.objects.filter(exhibitor_id=inquiry.exhibitor_id)
        .exclude(user__email="")
        .order_by("role", "pk")
        .values_list("user__email", flat=True)
        .distinct()
    )
    if not recipients:
        return
    # One email opens a quiet window for the business; cache.add is atomic, so two
    # inquiries at once still make one email.
    if not cache.add(f"gelar:inquiry-mail:{inquiry.exhibitor_id}", True, TEAM_EMAIL_MINUTES * 60):
        return
    subject, body = _render(
        "inquiry_received",
        {
            "inquiry": inquiry,
            "answer_url": inquiry_team_url(inquiry),
            "inquiries_url": inquiries_team_url(inquiry),
            "quiet_minutes": TEAM_EMAIL_MINUTES,
        },
    )
    for address in recipients:
        _send(subject, body, address, about=f"inquiry {inquiry.pk} (team)")


def notify_inquiry_answered(*, inquiry_id: int) -> None:
    inquiry = _load(inquiry_id)
    if inquiry is None or not inquiry.buyer_email or not inquiry.answer:
        return
    subject, body = _render(
        "inquiry_answered", {"inquiry": inquiry, "inquiry_url": inquiry_buyer_url(inquiry)}
    )
    _send(subject, body, inquiry.buyer_email, about=f"inquiry {inquiry.pk} (answer)")


def _send(subject: str, body: str, address: str, *, about: str) -> bool:
    """One email to one address; False (logged) when the mail server failed."""
    try:
        send_mail(subject, body, None, [address])
    except (smtplib.SMTPException, OSError):
        log.exception("%s: the email could not be sent", about)
        return False
    return True
