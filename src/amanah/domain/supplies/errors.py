"""Why a supplies record is refused."""

from __future__ import annotations

from amanah.errors import Refused


class SuppliesRefused(Refused):
    """The record breaks a rule (more issued than held, a unit the store does not measure
    in, dated before the store existed...). Nothing was written."""
