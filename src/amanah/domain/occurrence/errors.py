"""Why the occurrence book refuses an entry."""

from __future__ import annotations

from amanah.errors import Refused


class OccurrenceRefused(Refused):
    """The entry breaks a rule of the book (e.g. dated in the future). Nothing was written."""
