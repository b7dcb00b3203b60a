"""The single write path: events decided by the domain -> ledger entries + projections.

Callers open one unit of work, decide, and hand the events here; entries, tree nodes, the
signed checkpoint and the projection rows are written in that one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from amanah.domain.shared import Actor, Event, format_time
from amanah.ledger.entry import Actor as EntryActor
from amanah.ledger.log import Appended, Draft, Log
from amanah.services.ports import WriteUnit
from amanah.services.projector import project

# One checkpoint per this many entries when a long series is appended in one transaction:
# bounds the batch held in memory, and gives proofs a checkpoint nearby.
GROUP_COMMIT = 1000


@dataclass
class Recorder:
    """Appends decided events to the ledger and projects them, inside a unit of work."""

    log: Log

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
        """Append ``events`` to ``stream`` in batches of :data:`GROUP_COMMIT`; project each."""
        stamp = format_time(now)
        who = EntryActor(actor.party, actor.user)
        done: list[Appended] = []
        for start in range(0, len(events), GROUP_COMMIT):
            chunk = events[start : start + GROUP_COMMIT]
            drafts = [Draft(stream, ev.TYPE, who, ev.to_data(), stamp) for ev in chunk]
            appended = self.log.append(unit.ledger, drafts, stamp)
            project(unit, list(zip(appended.entries, chunk, strict=True)))
            done.append(appended)
            if progress is not None:
                progress(start + len(chunk))
        return done
