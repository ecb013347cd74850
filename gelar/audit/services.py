from typing import Any

from django.db import models

from gelar.audit.models import AuditEntry


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model,
    changes: dict[str, Any] | None = None,
    organizer=None,
    exhibitor=None,
) -> AuditEntry:
    """Record a state change. Call it inside the transaction that makes the change,
    so the log and the change commit or roll back together."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=changes or {},
        organizer=organizer,
        exhibitor=exhibitor,
    )


def field_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list]:
    """{"field": [old, new]} for the fields whose value changed (JSON-safe)."""
    return {
        name: [_json(before.get(name)), _json(value)]
        for name, value in after.items()
        if before.get(name) != value
    }


def _json(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
