"""Why the register refuses a change."""

from __future__ import annotations

from amanah.errors import Refused


class RegistryRefused(Refused):
    """The change breaks a rule of the register (duplicate number, no commitment order...)."""
