"""Why a movement is refused."""

from __future__ import annotations

from amanah.errors import Refused


class MovementRefused(Refused):
    """The movement breaks a rule (wrong place, backdated, over capacity...). Nothing written."""
