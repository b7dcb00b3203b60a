"""Why a roll call refuses a step."""

from __future__ import annotations

from amanah.errors import Refused


class RollRefused(Refused):
    """The step breaks a rule of the roll call (no open roll, location outside it...)."""
