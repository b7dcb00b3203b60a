"""Why an incident record is refused."""

from __future__ import annotations

from amanah.errors import Refused


class IncidentRefused(Refused):
    """The record breaks a rule (an addendum to a closed incident, a death with no one
    linked...). Nothing was written."""
