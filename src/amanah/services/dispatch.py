"""The single write path: events decided by the domain -> ledger entries + projections.

Callers open one unit of work, decide, and hand the events to a :class:`Session`; entries,
tree nodes, the signed checkpoint and the projection rows are written in that one
transaction. Each event is projected as soon as it is added, so the next decision in the
same transaction sees it; entries reach the ledger in batches of :data:`GROUP_COMMIT`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from amanah.domain.shared import Actor, Event, format_time
from amanah.ledger.entry import Actor as EntryActor
from amanah.ledger.log import Appended, Draft, Encoder, Log
from amanah.ledger.ports import StoredEntry
from amanah.services.ports import WriteUnit
from amanah.services.projector import project

# One checkpoint per this many entries when a long series is appended in one transaction:
# bounds the batch held in memory, and gives proofs a checkpoint nearby.
GROUP_COMMIT = 1000

Change = tuple[str, Event]  # (stream, event)


@dataclass
class Session:
    """Appends and projects events inside one unit of work; :meth:`close` writes the rest."""

    log: Log
    unit: WriteUnit
    actor: EntryActor
    stamp: str
    progress: Callable[[int], None] | None = None
    appended: list[Appended] = field(default_factory=list)
    added: int = 0
    _pending: list[StoredEntry] = field(default_factory=list)
    _encoder: Encoder | None = None

    def add(self, changes: Sequence[Change]) -> list[StoredEntry]:
        """Number, encode and project ``changes`` now; append them with the next batch."""
        if not changes:
            return []
        if self._encoder is None:
            self._encoder = Encoder(self.unit.ledger)
        drafts = [Draft(s, ev.TYPE, self.actor, ev.to_data(), self.stamp) for s, ev in changes]
        rows = self._encoder.encode(drafts)
        project(self.unit, [(row, ev) for row, (_, ev) in zip(rows, changes, strict=True)])
        self._pending.extend(rows)
        self.added += len(rows)
        if len(self._pending) >= GROUP_COMMIT:
            self.flush()
        return rows

    def flush(self) -> None:
        if self._pending:
            self.appended.append(
                self.log.append_encoded(self.unit.ledger, self._pending, self.stamp)
            )
            self._pending = []
            if self.progress is not None:
                self.progress(self.added)

    def close(self) -> list[Appended]:
        self.flush()
        return self.appended


@dataclass
class Recorder:
    """Opens write sessions on the log."""

    log: Log

    def session(
        self,
        unit: WriteUnit,
        *,
        actor: Actor,
        now: datetime,
        progress: Callable[[int], None] | None = None,
    ) -> Session:
        return Session(
            self.log, unit, EntryActor(actor.party, actor.user), format_time(now), progress
        )

    def record(
        self,
        unit: WriteUnit,
        stream: str,
        events: Sequence[Event],
        *,
        actor: Actor,
        now: datetime,
        progress: Callable[[int], None] | None = None,
    ) -> list[Appended]:
        """Append ``events`` to ``stream`` and project each (one checkpoint per
        :data:`GROUP_COMMIT` entries)."""
        session = self.session(unit, actor=actor, now=now, progress=progress)
        for start in range(0, len(events), GROUP_COMMIT):
            session.add([(stream, ev) for ev in events[start : start + GROUP_COMMIT]])
        return session.close()
