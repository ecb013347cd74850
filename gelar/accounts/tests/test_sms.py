import logging

from gelar.accounts import sms


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def test_file_backend_writes_the_message_and_warns(settings, tmp_path):
    settings.SMS_BACKEND = "gelar.accounts.sms.FileBackend"
    settings.SMS_FILE_PATH = tmp_path / "sms"
    collect = Collect()
    sms.logger.addHandler(collect)
    try:
        message = sms.send_sms(to="6281234567890", text="Kode Gelar Anda 123456.")
    finally:
        sms.logger.removeHandler(collect)

    [path] = (tmp_path / "sms").iterdir()
    assert path.name.endswith("-6281234567890.txt")
    assert path.read_text() == (
        f"To: 6281234567890\nDate: {message.sent_at.isoformat()}\n\nKode Gelar Anda 123456.\n"
    )
    assert collect.messages == [
        "SMS to 6281234567890 (no gateway configured): Kode Gelar Anda 123456."
    ]
    assert sms.outbox == []


def test_locmem_backend_keeps_messages_in_the_outbox():
    sms.send_sms(to="6281234567890", text="satu")

    assert [(m.to, m.text) for m in sms.outbox] == [("6281234567890", "satu")]
