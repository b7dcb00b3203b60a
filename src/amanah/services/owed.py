"""Notifications owed by what happens (Mandela Rules 68–72), added in the same transaction
as the event that owes them: a death, an escape, a transfer out (movements), a serious
injury or illness (incidents). Nobody has to remember to owe them."""

from __future__ import annotations

from datetime import UTC, datetime

from amanah.domain.notifications import model as notifications
from amanah.domain.notifications.commands import Owe
from amanah.domain.shared import parse_time
from amanah.ledger.ports import StoredEntry
from amanah.services.cases import NUMBERING, next_id
from amanah.services.dispatch import Session
from amanah.services.ports import CaseFiles

#: Movement event types and the cause they are for notifications.
MOVEMENT_CAUSES = {
    "movements.died": "death",
    "movements.escaped": "escape",
    "movements.transfer_departed": "transfer",
}


def owe(
    session: Session,
    cases: CaseFiles,
    *,
    facility: str,
    person: str,
    cause: str,
    entry: StoredEntry,
    time: str,
    now: datetime,
) -> list[str]:
    """Owe every notification ``cause`` (happened at ``time``, recorded as ``entry``) owes
    for ``person``; the ids given."""
    stream_prefix = NUMBERING["notifications"][0]
    given: list[str] = []
    for recipient, reason in notifications.owed_for(cause):
        ident = next_id(cases, "notifications")
        command = Owe(
            ident,
            facility,
            person,
            recipient,
            reason,
            entry.stream,
            entry.seq,
            parse_time(time, UTC),
        )
        events = notifications.decide_owe(command, None, now)
        session.add([(f"{stream_prefix}/{ident}", ev) for ev in events])
        given.append(ident)
    return given
