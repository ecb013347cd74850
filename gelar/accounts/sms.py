"""Text messages (SMS or WhatsApp) to a mobile number: verification codes.

Gelar has no SMS gateway yet, so messages go through a backend chosen by
settings.SMS_BACKEND, like Django's email backends:

- FileBackend (the default): logs the message at WARNING level and writes it
  to a file under settings.SMS_FILE_PATH (var/sms/), one file per message, so
  an operator can read the code and pass it on by hand;
- LocmemBackend (tests): appends to ``gelar.accounts.sms.outbox``.

To plug in a gateway (an SMS provider, or the WhatsApp Business API), write a
class with ``send(message: Sms) -> None`` that calls it and point SMS_BACKEND
at it; nothing else changes.
"""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# Messages "sent" with the LocmemBackend, oldest first (tests clear it).
outbox: list["Sms"] = []


@dataclass(frozen=True)
class Sms:
    to: str  # 62..., the form accounts.User.phone stores
    text: str
    sent_at: object = field(default_factory=timezone.now)


class FileBackend:
    def send(self, message: Sms) -> None:
        # WARNING so it shows with the default log level: someone has to act on it.
        logger.warning("SMS to %s (no gateway configured): %s", message.to, message.text)
        directory = settings.SMS_FILE_PATH
        directory.mkdir(parents=True, exist_ok=True)
        stamp = message.sent_at.strftime("%Y%m%d-%H%M%S-%f")
        path = directory / f"{stamp}-{message.to}.txt"
        path.write_text(
            f"To: {message.to}\nDate: {message.sent_at.isoformat()}\n\n{message.text}\n"
        )


class LocmemBackend:
    def send(self, message: Sms) -> None:
        outbox.append(message)


def send_sms(*, to: str, text: str) -> Sms:
    message = Sms(to=to, text=text)
    import_string(settings.SMS_BACKEND)().send(message)
    return message
