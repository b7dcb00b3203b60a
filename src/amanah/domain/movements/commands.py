"""Commands that move people."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Move:
    """Move ``person`` by movement ``kind`` (see :data:`amanah.domain.movements.model.KINDS`).

    ``origin`` is where the command says the person is: if given and wrong, the move is
    refused. ``to`` is the place they go to (a cell, post or reception; hospital, court or
    outside for an absence; the facility's transit place for a transfer; none when they leave
    custody). ``details`` holds the kind's text fields (reason, destination, authority...).
    ``override`` is the reason for exceeding a maximum capacity.
    """

    kind: str
    person: str
    time: datetime
    to: str | None = None
    origin: str | None = None
    details: dict[str, str] = field(default_factory=dict)
    override: str | None = None
