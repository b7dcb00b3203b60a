"""Events of the occurrence book."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True, slots=True)
class OccurrenceRecorded:
    """``occurrence.entry_recorded``: an entry was written in the occurrence book.

    data: ``time`` (RFC 3339 UTC, when it happened), ``text``, ``by`` (who wrote it),
    ``source`` ("typed" or "transcribed").
    """

    TYPE: ClassVar[str] = "occurrence.entry_recorded"

    time: str
    text: str
    by: str
    source: str

    def to_data(self) -> dict[str, Any]:
        return {"time": self.time, "text": self.text, "by": self.by, "source": self.source}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> OccurrenceRecorded:
        return cls(
            time=str(data["time"]),
            text=str(data["text"]),
            by=str(data["by"]),
            source=str(data["source"]),
        )
