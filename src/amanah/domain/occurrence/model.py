"""The occurrence book's rules: ``decide`` turns a command into events, ``evolve`` replays them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from amanah.domain.occurrence.commands import RecordOccurrence
from amanah.domain.occurrence.errors import OccurrenceRefused
from amanah.domain.occurrence.events import OccurrenceRecorded
from amanah.domain.shared import check_when, clean_text

MAX_TEXT_CHARS = 8_000
MAX_NAME_CHARS = 200
SOURCES = ("typed", "transcribed")


@dataclass(frozen=True, slots=True)
class Book:
    """What the rules need to know of the book: how many entries, and the latest time."""

    entries: int = 0
    latest: str | None = None


def decide(_book: Book, command: RecordOccurrence, now: datetime) -> list[OccurrenceRecorded]:
    """Validate ``command`` against the clock; return the events to record.

    No rule depends on earlier entries yet (a transcribed book may be older than what is
    already recorded), but the book is passed so that every area decides the same way.
    """
    text = clean_text(command.text, "the entry text", max_chars=MAX_TEXT_CHARS)
    by = clean_text(command.by, "the name of the person writing", max_chars=MAX_NAME_CHARS)
    if "\n" in by:
        raise OccurrenceRefused("the name of the person writing must be on one line")
    if command.source not in SOURCES:
        raise OccurrenceRefused(f"source must be one of {', '.join(SOURCES)}")
    when = check_when(command.time, now, "the entry", OccurrenceRefused)
    return [OccurrenceRecorded(when, text, by, command.source)]


def evolve(book: Book, event: OccurrenceRecorded) -> Book:
    """The book after ``event``."""
    latest = event.time if book.latest is None or event.time > book.latest else book.latest
    return replace(book, entries=book.entries + 1, latest=latest)
