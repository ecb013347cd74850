"""Login stages that differ from allauth's."""

from allauth.account.models import EmailAddress
from allauth.account.stages import EmailVerificationStage as AllauthEmailVerificationStage


class EmailVerificationStage(AllauthEmailVerificationStage):
    """allauth's mandatory email verification, except for phone-only accounts.

    A UMKM owner who signed up with only a mobile number has no address to
    verify; allauth would stop them at "check your email" for ever. Their
    number is verified by SMS code in the phone stage, which runs first.
    """

    def handle(self):
        user = self.login.user
        if user is not None and user.phone and not EmailAddress.objects.filter(user=user).exists():
            return None, True
        return super().handle()
