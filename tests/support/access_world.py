"""A small facility with one account per role, on throwaway storage, for access tests.

AQ has blocks A (cells A-01, A-02) and B (cell B-01); D-000001 is in A-01 and D-000002 in
B-01. Accounts (password :data:`PASSWORD`): ``admin`` (every facility), ``records``,
``guard`` (block A), ``medic``, ``monitor`` (every facility), ``receiving`` (all in AQ).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from amanah.clock import FixedClock
from amanah.domain.access.commands import AddUser
from amanah.domain.access.permissions import Principal
from amanah.domain.registry.commands import AddLocation, Admit
from amanah.domain.shared import Actor
from amanah.ledger.log import Log
from amanah.ledger.signing import Ed25519Signer, Ed25519Verifier, generate_key
from amanah.services.access import AccessService, operator
from amanah.services.dispatch import Recorder
from amanah.services.facility import FacilityService
from amanah.services.guarded import Guarded
from amanah.services.ledger import LedgerService
from amanah.services.occurrence import OccurrenceService
from amanah.services.passwords import Argon2Hasher
from amanah.services.ports import Storage
from amanah.services.siege import SiegeService
from amanah.storage.units import open_storage

ORIGIN = "amanah.example/access"
SKEY, VKEY = generate_key(ORIGIN, seed=bytes(range(2, 34)))
PARTY = "Test Authority"
ZONE = timezone(timedelta(hours=3))
NOW = datetime(2026, 1, 20, 12, 0, tzinfo=UTC)
PASSWORD = "a long enough passphrase"
OPERATOR = operator("operator", PARTY)

ACCOUNTS: dict[str, tuple[tuple[str, ...], str | None, tuple[str, ...]]] = {
    "admin": (("administrator",), None, ()),
    "records": (("records_officer",), "AQ", ()),
    "guard": (("guard",), "AQ", ("A",)),
    "medic": (("medic",), "AQ", ()),
    "monitor": (("monitor",), None, ()),
    "receiving": (("receiving_officer",), "AQ", ()),
}


def detainee(name_ar: str, name_latin: str) -> dict[str, Any]:
    return {
        "name_ar": name_ar,
        "name_latin": name_latin,
        "gender": "male",
        "nationality": "SY",
        "commitment": {
            "order_ref": "CO-1",
            "grounds": "synthetic grounds",
            "ordering_authority": "Court A",
            "responsible_authority": "Administration B",
        },
        "arrest": {"time": "2026-01-10T10:00", "place": "Raqqa", "authority": "Police"},
    }


LAYOUT = [
    AddLocation("AQ", "facility", "سجن الاختبار", "Test prison"),
    AddLocation("A", "block", "الجناح أ", "Block A", parent="AQ"),
    AddLocation("A-01", "cell", "أ-01", "A-01", "A", 4, 4, 8),
    AddLocation("A-02", "cell", "أ-02", "A-02", "A", 4, 4, 8),
    AddLocation("B", "block", "الجناح ب", "Block B", parent="AQ"),
    AddLocation("B-01", "cell", "ب-01", "B-01", "B", 4, 4, 8),
]


@dataclass
class World:
    storage: Storage
    clock: FixedClock
    recorder: Recorder
    facility: FacilityService
    occurrences: OccurrenceService
    ledger: LedgerService
    access: AccessService
    siege: SiegeService

    def principal(self, username: str) -> Principal:
        return self.access.authenticate(username, PASSWORD, "10.0.0.9")

    def guarded(self, principal: Principal, client: str | None = "10.0.0.9") -> Guarded:
        return Guarded(
            principal,
            self.access,
            self.facility,
            self.occurrences,
            self.ledger,
            client,
            self.siege,
        )

    def size(self) -> int:
        return self.ledger.size()

    def close(self) -> None:
        self.storage.close()


def make_world(url: str = "memory://", *, accounts: bool = True, people: bool = True) -> World:
    storage = open_storage(url, create=True)
    clock = FixedClock(NOW)
    recorder = Recorder(Log(ORIGIN, Ed25519Signer.from_skey(SKEY)))
    world = World(
        storage,
        clock,
        recorder,
        FacilityService(storage, recorder, clock, ZONE),
        OccurrenceService(storage, recorder, clock, ZONE),
        LedgerService(storage, recorder, Ed25519Verifier.from_vkey(VKEY), VKEY, clock),
        AccessService(storage, recorder, clock, Argon2Hasher.cheapest(), PARTY),
        SiegeService(storage, recorder, clock, ZONE),
    )
    world.ledger.open_log(PARTY, Actor(PARTY, "operator"))
    if people:
        admitted = NOW - timedelta(hours=2)
        world.facility.run(
            [
                *LAYOUT,
                Admit("D-000001", "detainee", detainee("سامر", "Samer"), "A-01", admitted),
                Admit("D-000002", "detainee", detainee("خالد", "Khalid"), "B-01", admitted),
            ],
            Actor(PARTY, "operator"),
        )
    if accounts:
        for name, (roles, facility, blocks) in ACCOUNTS.items():
            world.access.add_user(OPERATOR, AddUser(name, PASSWORD, roles, facility, blocks))
    return world
