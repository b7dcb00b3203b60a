"""The occurrence book's rules: ``decide`` turns a command into events, ``evolve`` replays them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from amanah.domain.occurrence.commands import RecordOccurrence
from amanah.domain.occurrence.errors import OccurrenceRefused
from amanah.domain.occurrence.events import OccurrenceRecorded
from amanah.domain.shared import clean_text, format_time

MAX_TEXT_CHARS = 8_000
MAX_NAME_CHARS = 200
SOURCES = ("typed", "transcribed")
# Clocks on field laptops drift; an entry a few minutes "in the future" is a drift, not a lie.
CLOCK_SKEW = timedelta(minutes=10)
# Nothing in the book predates the facility's paper records being kept.
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)


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
    if command.time > now + CLOCK_SKEW:
        raise OccurrenceRefused(
            f"the entry is dated {format_time(command.time)}, after the current time "
            f"{format_time(now)}"
        )
    if command.time < EARLIEST:
        raise OccurrenceRefused(f"the entry is dated {format_time(command.time)}, before 1990")
    return [OccurrenceRecorded(format_time(command.time), text, by, command.source)]


def evolve(book: Book, event: OccurrenceRecorded) -> Book:
    """The book after ``event``."""
    latest = event.time if book.latest is None or event.time > book.latest else book.latest
    return replace(book, entries=book.entries + 1, latest=latest)
