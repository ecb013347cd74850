"""Reading the codes the tests would type from the outboxes."""

import re

from django.core import mail

from gelar.accounts import sms


def code_in(text: str) -> str:
    """The six-digit code in an email or SMS."""
    codes = re.findall(r"(?<!\d)\d{6}(?!\d)", text)
    assert len(codes) == 1, text
    return codes[0]


def last_email_code() -> str:
    return code_in(mail.outbox[-1].body)


def last_sms_code() -> str:
    return code_in(sms.outbox[-1].text)
