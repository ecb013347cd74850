"""API v1: the gate scanner (issue 6).

A gate device authenticates with its own token ("Authorization: Bearer <token>"),
which the organizer creates and can revoke; an unknown or revoked token is a 401.
The device downloads its expo's ticket list (secret hashes, never secrets) to keep
scanning offline, scans online, and syncs its offline queue in batches of at most
1000. The rules are gelar.tickets.services' (see its docstring): this module parses
and shapes.

Online scans are timed by the server's clock. A sync answers 200 with one result per
item, in the order sent: malformed items (and a nonce reused for another code) are
"rejected" with a reason and the others are processed; an item's optional "verdict"
(admitted or refused) says what the device showed offline. A batch that is not a list
of at most 1000 is refused whole (413 for too many, 400 for a body that is not JSON).
"""

import json

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer
from pydantic import Field

from gelar.api.schemas import ErrorOut
from gelar.ops.ratelimits import GATE_DEVICE_CHECKED
from gelar.tickets import services as tickets
from gelar.tickets.models import GateDevice


class GateToken(HttpBearer):
    def __call__(self, request: HttpRequest):
        device = super().__call__(request)
        if device is None:
            raise HttpError(401, _("This gate device is unknown or has been revoked."))
        return device

    def authenticate(self, request: HttpRequest, token: str) -> GateDevice | None:
        # The rate limit's key (gelar.ops.ratelimits.by_device) has looked it up already.
        checked = getattr(request, GATE_DEVICE_CHECKED, None)
        if checked is not None and checked[0] == token:
            return checked[1]
        return tickets.gate_device_for_token(token)


router = Router(tags=["gate"], auth=GateToken())


class ExpoRef(Schema):
    slug: str
    name: str
    time_zone: str
    start_date: str = Field(
        ..., description="first day (YYYY-MM-DD): guests' tickets hold every day"
    )
    end_date: str = Field(..., description="last day (YYYY-MM-DD)")


class GateTicketOut(Schema):
    h: str = Field(..., description="SHA-256 (hex) of the ticket's secret")
    n: str | None = Field(..., description="the ticket number printed under the QR")
    name: str
    kind: str = Field(..., description="public or invited")
    slot: list[str] | None = Field(
        ..., description="[starts_at, ends_at] of a public ticket's slot; null for a guest"
    )
    status: str = Field(..., description="valid or cancelled")
    admitted_at: str | None
    admitted_gate: str | None


class TicketListOut(Schema):
    expo: ExpoRef
    device: str
    generated_at: str
    tickets: list[GateTicketOut]


class ScanIn(Schema):
    code: str = Field(..., max_length=tickets.MAX_CODE_LENGTH)
    direction: str = Field("entry", description="entry or exit")
    nonce: str = Field(..., max_length=tickets.MAX_NONCE_LENGTH)


class TicketRef(Schema):
    number: str | None
    holder_name: str
    kind: str


class AdmissionRef(Schema):
    gate: str
    at: str


class OutcomeOut(Schema):
    result: str = Field(
        ...,
        description="admitted, exited, already_used, conflict, wrong_day, cancelled, "
        "unknown, other_expo, refused_offline",
    )
    ok: bool = Field(..., description="green: the person may pass")
    reason: str
    ticket: TicketRef | None
    first_admission: AdmissionRef | None
    scanned_at: str | None


class SyncItemOut(Schema):
    index: int
    nonce: str | None
    result: str = Field(..., description="a scan result, or rejected")
    ok: bool
    reason: str
    ticket: TicketRef | None = None
    first_admission: AdmissionRef | None = None
    scanned_at: str | None = None
    code: str | None = Field(None, description="why an item was rejected")
    field: str | None = None


class SyncOut(Schema):
    results: list[SyncItemOut]


_SYNC_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["scans"],
                    "properties": {
                        "scans": {
                            "type": "array",
                            "maxItems": tickets.MAX_SYNC_BATCH,
                            "items": {
                                "type": "object",
                                "required": ["nonce", "code", "scanned_at"],
                                "properties": {
                                    "nonce": {"type": "string", "maxLength": 64},
                                    "code": {"type": "string"},
                                    "direction": {"type": "string", "enum": ["entry", "exit"]},
                                    "scanned_at": {"type": "string", "format": "date-time"},
                                    "verdict": {
                                        "type": "string",
                                        "enum": ["admitted", "refused"],
                                        "description": "what the device showed offline; "
                                        "refused scans move nothing, admitted (the default) "
                                        "ones are movements",
                                    },
                                },
                            },
                        }
                    },
                }
            }
        },
    }
}


@router.get(
    "/gate/tickets",
    url_name="gate_tickets",
    response={200: TicketListOut, 401: ErrorOut},
    summary="The device's expo's tickets, for scanning offline",
)
def gate_tickets(request: HttpRequest):
    device: GateDevice = request.auth
    expo = device.expo
    return {
        "expo": {
            "slug": expo.slug,
            "name": expo.name,
            "time_zone": expo.time_zone,
            "start_date": expo.start_date.isoformat(),
            "end_date": expo.end_date.isoformat(),
        },
        "device": device.name,
        "generated_at": timezone.now().astimezone(expo.tzinfo).isoformat(),
        "tickets": tickets.gate_ticket_list(device=device),
    }


@router.post(
    "/gate/scan",
    url_name="gate_scan",
    response={200: OutcomeOut, 401: ErrorOut, 422: ErrorOut},
    summary="Scan a ticket online (answers whether the person may pass)",
)
def gate_scan(request: HttpRequest, body: ScanIn):
    try:
        outcome = tickets.scan(
            device=request.auth, code=body.code, direction=body.direction, nonce=body.nonce
        )
    except tickets.ScanInvalid as error:
        return Status(422, {"detail": error.message})
    return tickets.outcome_payload(outcome)


@router.post(
    "/gate/sync",
    url_name="gate_sync",
    response={200: SyncOut, 400: ErrorOut, 401: ErrorOut, 413: ErrorOut, 422: ErrorOut},
    openapi_extra=_SYNC_BODY,
    summary="Record the scans a device queued offline (idempotent by nonce)",
)
def gate_sync(request: HttpRequest):
    try:
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        # RecursionError: deeply nested arrays ("[[[[...") exhaust the parser's stack.
        return Status(400, {"detail": _("The body is not JSON.")})
    scans = payload.get("scans") if isinstance(payload, dict) else None
    if not isinstance(scans, list):
        return Status(422, {"detail": _('The body must be {"scans": [...]}.')})
    if len(scans) > tickets.MAX_SYNC_BATCH:
        return Status(
            413,
            {
                "detail": _("At most %(count)s scans per request.")
                % {"count": tickets.MAX_SYNC_BATCH}
            },
        )
    result = tickets.sync(device=request.auth, scans=scans)
    return {"results": result.results}
