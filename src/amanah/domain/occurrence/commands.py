"""Commands to the occurrence book."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class RecordOccurrence:
    """Write one entry in the daily occurrence book.

    ``time`` is when it happened (it may be earlier than now, as when a paper book is
    transcribed); ``by`` is the person who wrote or reported it; ``text`` is free text.
    """

    time: datetime
    text: str
    by: str
    source: str = "typed"  # "typed" or "transcribed" (from a paper book)
