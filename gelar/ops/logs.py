"""Structured logs: the request id on every record, and one JSON object per line.

The request id comes from the proxy (nginx sets X-Request-ID to its $request_id, so
its access log and ours share it) or is made here; it lives in a context variable
for the length of the request, and RequestIdFilter copies it onto each record that
reaches the handler, whichever library logged it ("-" outside a request).

LOG_FORMAT=json makes JsonFormatter the handler's formatter: the fields a log
collector indexes (time, level, logger, message, request_id), the access line's
fields when present, and the traceback of an exception.
"""

import datetime
import json
import logging
import re
import uuid
from contextvars import ContextVar

request_id: ContextVar[str] = ContextVar("request_id", default="-")

# What a proxy may hand us: short, and nothing a log line or a header could trip on.
_SANE_ID = re.compile(r"[A-Za-z0-9-]{1,64}")
# The access line's fields (gelar.ops.observe), in this order after the common ones.
ACCESS_FIELDS = ("method", "path", "route", "status", "duration_ms")


def request_id_from(header: str | None) -> str:
    """The proxy's X-Request-ID when it looks sane, otherwise a new one (uuid4, hex)."""
    if header and _SANE_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id.get()),
        }
        for field in ACCESS_FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def logging_config(*, log_format: str, level: str, access_log: bool) -> dict:
    """settings.LOGGING: one console handler, text or JSON, the request id on each line."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "gelar.ops.logs.RequestIdFilter"}},
        "formatters": {
            "text": {"format": TEXT_FORMAT},
            "json": {"()": "gelar.ops.logs.JsonFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": log_format,
            }
        },
        "root": {"handlers": ["console"], "level": level},
        # The access lines are INFO: shown whatever LOG_LEVEL unless ACCESS_LOG=0.
        "loggers": {"gelar.request": {"level": "INFO" if access_log else "WARNING"}},
    }
