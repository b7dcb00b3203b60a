"""Use cases of the daily occurrence book: add an entry, import a transcribed paper book."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import tzinfo

from amanah.clock import Clock
from amanah.domain.occurrence.commands import RecordOccurrence
from amanah.domain.occurrence.events import OccurrenceRecorded
from amanah.domain.occurrence.model import Book, decide, evolve
from amanah.domain.shared import Actor, parse_time
from amanah.errors import AmanahError, InvalidInput
from amanah.ledger.ports import StoredCheckpoint
from amanah.services.dispatch import Recorder
from amanah.services.ports import OccurrenceRow, Storage

STREAM = "occurrence-book"
IMPORT_FIELDS = frozenset({"time", "text", "by"})
MAX_IMPORT_LINE_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class Recorded:
    """The outcome of a write: how many entries, their seqs, and the new checkpoint."""

    first_seq: int
    count: int
    checkpoint: StoredCheckpoint


@dataclass
class OccurrenceService:
    storage: Storage
    recorder: Recorder
    clock: Clock
    zone: tzinfo

    def add(self, text: str, by: str, at: str | None, actor: Actor) -> Recorded:
        """Record one entry; ``at`` defaults to now."""
        now = self.clock.now()
        when = parse_time(at, self.zone) if at else now
        return self._record([RecordOccurrence(when, text, by)], actor, None)

    def parse_import(self, lines: Iterable[bytes]) -> list[RecordOccurrence]:
        """Parse a JSONL paper-book transcription; any bad line refuses the whole file."""
        objects: list[tuple[str, object]] = []
        for number, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            where = f"line {number}"
            if len(raw) > MAX_IMPORT_LINE_BYTES:
                raise InvalidInput(f"{where}: longer than {MAX_IMPORT_LINE_BYTES:,} bytes")
            try:
                obj = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError:
                raise InvalidInput(f"{where}: not UTF-8 text") from None
            except ValueError as exc:
                raise InvalidInput(f"{where}: not valid JSON ({exc.args[0]})") from None
            objects.append((where, obj))
        return self._transcribed(objects)

    def parse_entries(self, entries: Iterable[object]) -> list[RecordOccurrence]:
        """Transcribed entries already parsed (``{"time", "text", "by"}`` objects, as the
        API receives them); any bad one refuses them all."""
        return self._transcribed((f"entry {n}", e) for n, e in enumerate(entries, start=1))

    def _transcribed(self, objects: Iterable[tuple[str, object]]) -> list[RecordOccurrence]:
        commands: list[RecordOccurrence] = []
        for where, obj in objects:
            if not isinstance(obj, dict):
                raise InvalidInput(f"{where}: expected an object with time, text and by")
            missing = IMPORT_FIELDS - obj.keys()
            extra = obj.keys() - IMPORT_FIELDS
            if missing:
                raise InvalidInput(f"{where}: missing {', '.join(sorted(missing))}")
            if extra:
                raise InvalidInput(f"{where}: unknown field {', '.join(sorted(extra))}")
            for name in sorted(IMPORT_FIELDS):
                if not isinstance(obj[name], str):
                    raise InvalidInput(f"{where}: {name} must be a string")
            try:
                when = parse_time(obj["time"], self.zone)
            except InvalidInput as exc:
                raise InvalidInput(f"{where}: {exc}") from None
            commands.append(RecordOccurrence(when, obj["text"], obj["by"], "transcribed"))
        if not commands:
            raise InvalidInput("the file holds no entries")
        return commands

    def import_book(
        self,
        commands: list[RecordOccurrence],
        actor: Actor,
        progress: Callable[[int], None] | None = None,
    ) -> Recorded:
        """Record every command in one transaction (all or nothing)."""
        return self._record(commands, actor, progress)

    def _record(
        self,
        commands: list[RecordOccurrence],
        actor: Actor,
        progress: Callable[[int], None] | None,
    ) -> Recorded:
        now = self.clock.now()
        with self.storage.writer() as unit:
            book = Book(unit.occurrences.count(), unit.occurrences.latest_time())
            events: list[OccurrenceRecorded] = []
            for number, command in enumerate(commands, start=1):
                try:
                    decided = decide(book, command, now)
                except AmanahError as exc:
                    if len(commands) == 1:
                        raise
                    raise type(exc)(f"entry {number}: {exc}") from None
                for event in decided:
                    book = evolve(book, event)
                events.extend(decided)
            appended = self.recorder.record(
                unit, STREAM, events, actor=actor, now=now, progress=progress
            )
        first = appended[0].entries[0].seq
        return Recorded(first, len(events), appended[-1].checkpoint)

    def page(self, limit: int, offset: int = 0) -> list[OccurrenceRow]:
        with self.storage.reader() as view:
            return view.occurrences.page(limit=limit, offset=offset)
