"""Demo logins: organizer staff in every role and two exhibitor owners.

The organizer admin has TOTP activated from DEMO_TOTP_SECRET, a fixed and
published secret, so that `manage.py demo_totp` can print the current code
(or the secret can be typed into any authenticator app). Demo only: a real
admin activates TOTP at /akun/2fa/totp/activate/ with a random secret.
"""

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.db import transaction
from django.db.models import Q

from gelar.accounts.models import User
from gelar.accounts.services import account_create
from gelar.common.validators import normalize_whatsapp
from gelar.events.models import Organizer, OrganizerMember
from gelar.exhibitors.models import Exhibitor, ExhibitorMember

DEMO_PASSWORD = "gelar-demo"
# Base32, 32 characters (160 bits), like the secrets allauth generates.
DEMO_TOTP_SECRET = "GELARDEMOADMINTOTPSECRETPEKALONG"
TOTP_PERIOD = 30
OWNER_EMAIL = "pemilik.umkm@gelar.test"
OWNER_PHONE = "081200000002"
# (Indonesian label, English label, login) of every demo account, for printing.
DEMO_LOGIN_ROWS = [
    (
        "Admin penyelenggara (TOTP: make totp)",
        "Organizer admin (TOTP: make totp)",
        "admin.dinas@gelar.test",
    ),
    ("Staf penyelenggara", "Organizer staff", "staf.dinas@gelar.test"),
    ("Pembawa acara siaran", "Live-stream host", "host.dinas@gelar.test"),
    ("Petugas gerbang", "Gate officer", "gerbang.dinas@gelar.test"),
    ("Pemilik UMKM (email)", "Exhibitor owner (email)", OWNER_EMAIL),
    ("Pemilik UMKM (nomor ponsel)", "Exhibitor owner (mobile number)", OWNER_PHONE),
]


def totp_code(secret: str = DEMO_TOTP_SECRET, *, at: float | None = None) -> str:
    """The six-digit code an authenticator app shows for the secret now (or at `at`)."""
    counter = int(time.time() if at is None else at) // TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def _account(*, full_name: str, email: str = "", phone: str = "") -> User:
    """The demo account with this email or number, created the first time."""
    existing = User.objects.filter(
        Q(email=email) if email else Q(phone=normalize_whatsapp(phone))
    ).first()
    if existing is not None:
        return existing
    return account_create(full_name=full_name, email=email, phone=phone, password=DEMO_PASSWORD)


@transaction.atomic
def demo_accounts_create(
    *, organizer: Organizer, exhibitors: list[Exhibitor]
) -> list[tuple[str, str, str]]:
    """Create (or reuse) the demo logins; returns (role, login, password) rows to print."""
    rows = []
    staff = [
        (
            "Organizer admin (TOTP: manage.py demo_totp)",
            "admin.dinas@gelar.test",
            "Admin Dinas",
            OrganizerMember.Role.ADMIN,
        ),
        ("Organizer staff", "staf.dinas@gelar.test", "Staf Dinas", OrganizerMember.Role.STAFF),
        ("Live-stream host", "host.dinas@gelar.test", "Pembawa Acara", OrganizerMember.Role.HOST),
        ("Gate officer", "gerbang.dinas@gelar.test", "Petugas Gerbang", OrganizerMember.Role.GATE),
    ]
    for label, email, name, role in staff:
        user = _account(full_name=name, email=email)
        OrganizerMember.objects.update_or_create(
            organizer=organizer, user=user, defaults={"role": role}
        )
        rows.append((label, email, DEMO_PASSWORD))
        if (
            role == OrganizerMember.Role.ADMIN
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            TOTP.activate(user, DEMO_TOTP_SECRET)

    owners = [
        ("Exhibitor owner (email)", {"email": OWNER_EMAIL}),
        ("Exhibitor owner (mobile number)", {"phone": OWNER_PHONE}),
    ]
    for exhibitor, (label, login) in zip(exhibitors[:2], owners, strict=False):
        user = _account(full_name=exhibitor.owner_name, **login)
        ExhibitorMember.objects.get_or_create(
            exhibitor=exhibitor, user=user, defaults={"role": ExhibitorMember.Role.OWNER}
        )
        rows.append((f"{label}: {exhibitor.name}", next(iter(login.values())), DEMO_PASSWORD))
    return rows
