"""Commands to the appeals area. Times are aware datetimes; the rules date them in UTC."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class SendAppeal:
    """Record an appeal sent to a guarantor.

    ``id`` (such as ``AP-0001``) is allocated by the service; ``kind`` is protection,
    safe_corridor, resupply or medical_evacuation; ``recipient`` names who it went to
    (``ICRC delegation, Qamishli``); ``channel`` is radio, phone, letter, in_person or email;
    ``text`` is what was asked. A situation report sent with it is pinned by the SHA-256 of
    its bytes (``sitrep_sha256``, 64 lowercase hex digits) and named by ``sitrep_name``.
    """

    id: str
    facility: str
    kind: str
    recipient: str
    channel: str
    text: str
    time: datetime
    sitrep_sha256: str | None = None
    sitrep_name: str | None = None


@dataclass(frozen=True, slots=True)
class Acknowledge:
    """The guarantor confirmed receiving the appeal; ``by`` is who confirmed it."""

    id: str
    time: datetime
    by: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Promise:
    """The guarantor promised ``action`` by ``deadline``; ``by`` is who promised it. A new
    promise replaces the deadline; earlier promises stay in the appeal's history."""

    id: str
    time: datetime
    action: str
    deadline: datetime
    by: str


@dataclass(frozen=True, slots=True)
class Remind:
    """A reminder sent to the guarantor about an open appeal."""

    id: str
    time: datetime
    channel: str
    text: str


@dataclass(frozen=True, slots=True)
class Close:
    """The appeal ended: ``outcome`` is fulfilled, refused (by the guarantor) or withdrawn
    (by the facility). A refused or withdrawn appeal needs a ``note`` saying why."""

    id: str
    time: datetime
    outcome: str
    note: str = ""
