"""API v1: payment gateway notifications (issue 4)."""

from ninja import Router

router = Router(tags=["payments"])
