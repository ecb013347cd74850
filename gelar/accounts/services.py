"""Creating accounts outside the sign-up form: the demo, tests, an operator's shell."""

from allauth.account.models import EmailAddress
from django.db import transaction

from gelar.accounts.models import User
from gelar.common.validators import normalize_whatsapp


@transaction.atomic
def account_create(
    *,
    full_name: str,
    password: str,
    email: str = "",
    phone: str = "",
    verified: bool = True,
) -> User:
    """A user who can sign in with the email and/or mobile number given.

    verified=True marks both as verified, as if the person had entered the
    codes; the sign-up form itself always verifies.
    """
    email = email.strip().lower()
    user = User(
        username=email or normalize_whatsapp(phone),
        full_name=full_name,
        email=email,
        phone=normalize_whatsapp(phone) if phone else None,
        phone_verified=bool(phone) and verified,
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    if email:
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    return user
