"""Why a notification record is refused."""

from __future__ import annotations

from amanah.errors import Refused


class NotificationRefused(Refused):
    """The record breaks a rule (sent twice, acknowledged before it was sent...)."""
