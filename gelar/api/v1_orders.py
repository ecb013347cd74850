"""API v1: checkout and order status (issue 4)."""

from ninja import Router

router = Router(tags=["orders"])
