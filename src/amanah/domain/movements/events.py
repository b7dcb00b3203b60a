"""Events of movements. All share one shape (data): ``person`` (facility number), ``time``
(when it happened, RFC 3339 UTC), ``origin`` (the place they left, or null), ``destination``
(the place they went to, or null when they left custody) and ``details`` (the kind's text
fields, such as reason, authority, circumstances)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from amanah.domain.shared import DataEvent


@dataclass(frozen=True, slots=True)
class Movement(DataEvent):
    TYPE: ClassVar[str] = ""
    KIND: ClassVar[str] = ""

    person: str
    time: str
    origin: str | None
    destination: str | None
    details: dict[str, str]


@dataclass(frozen=True, slots=True)
class CellMoved(Movement):
    """``movements.cell_moved``: to another cell or post; details: reason, override."""

    TYPE: ClassVar[str] = "movements.cell_moved"
    KIND: ClassVar[str] = "cell"


@dataclass(frozen=True, slots=True)
class WentOut(Movement):
    """``movements.went_out``: a temporary absence (hospital, court, outside); details:
    purpose, escort."""

    TYPE: ClassVar[str] = "movements.went_out"
    KIND: ClassVar[str] = "out"


@dataclass(frozen=True, slots=True)
class Returned(Movement):
    """``movements.returned``: back from a temporary absence; details: note, override."""

    TYPE: ClassVar[str] = "movements.returned"
    KIND: ClassVar[str] = "return"


@dataclass(frozen=True, slots=True)
class TransferDeparted(Movement):
    """``movements.transfer_departed``: left for another place of detention, now in transit;
    details: destination, authority (responsible for the transfer), reference, escort."""

    TYPE: ClassVar[str] = "movements.transfer_departed"
    KIND: ClassVar[str] = "transfer"


@dataclass(frozen=True, slots=True)
class TransferReceived(Movement):
    """``movements.transfer_received``: the destination received the person; details:
    received_by, authority (now responsible), note."""

    TYPE: ClassVar[str] = "movements.transfer_received"
    KIND: ClassVar[str] = "receive"


@dataclass(frozen=True, slots=True)
class Released(Movement):
    """``movements.released``: details: authority, reference (the order), reason."""

    TYPE: ClassVar[str] = "movements.released"
    KIND: ClassVar[str] = "release"


@dataclass(frozen=True, slots=True)
class Died(Movement):
    """``movements.died`` (Mandela Rules 8, 71-72): details: place, circumstances, cause
    (when known), remains (destination of the remains)."""

    TYPE: ClassVar[str] = "movements.died"
    KIND: ClassVar[str] = "death"


@dataclass(frozen=True, slots=True)
class Escaped(Movement):
    """``movements.escaped``: details: last_seen (time), where."""

    TYPE: ClassVar[str] = "movements.escaped"
    KIND: ClassVar[str] = "escape"


@dataclass(frozen=True, slots=True)
class Recaptured(Movement):
    """``movements.recaptured``: back in custody; details: where, note, override."""

    TYPE: ClassVar[str] = "movements.recaptured"
    KIND: ClassVar[str] = "recapture"


MOVEMENT_EVENTS: tuple[type[Movement], ...] = (
    CellMoved,
    WentOut,
    Returned,
    TransferDeparted,
    TransferReceived,
    Released,
    Died,
    Escaped,
    Recaptured,
)
