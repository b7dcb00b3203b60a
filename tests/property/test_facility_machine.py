"""A Hypothesis state machine over the facility: random admissions, movements of every kind,
capacity and location changes, roll calls (open, count, resolve), valid and not.

The test keeps its own model of the register and the roll calls and predicts, for each
command, whether the rules accept it. Accepted commands must be recorded; refused ones must
write nothing. After every step: no negative occupancy; each place's occupancy equals the
people there (for blocks and facilities, the people in the holding places under them); the
figures per category equal the model's; every count's expected number equals the register
replayed from the ledger up to that count; and a rebuild gives the live projections exactly.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import sqlalchemy as sa
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from amanah.clock import FixedClock
from amanah.domain.movements.commands import Move
from amanah.domain.registry.commands import (
    AddLocation,
    Admit,
    Correct,
    SetCapacity,
    SetLocationState,
)
from amanah.domain.rollcount.commands import OpenRoll, RecordCount, Resolve
from amanah.domain.shared import Actor, format_time
from amanah.errors import AmanahError
from amanah.ledger.log import Log
from amanah.ledger.signing import Ed25519Signer, Ed25519Verifier, generate_key
from amanah.services.codec import decode_event
from amanah.services.dispatch import Recorder
from amanah.services.facility import Command_, FacilityService, ResolveWith
from amanah.services.ledger import LedgerService
from amanah.services.projector import rebuild
from amanah.storage.tables import FACILITY_TABLES
from amanah.storage.units import SqlUnits, open_storage

ORIGIN = "amanah.example/facility-machine"
SKEY, VKEY = generate_key(ORIGIN, seed=bytes(range(2, 34)))
ACTOR = Actor("machine-party", "machine-user")
ZONE = timezone(timedelta(hours=3))
START = datetime(2026, 1, 20, 19, 0, tzinfo=UTC)  # 22:00 local: the machine crosses midnight

HOLDING = ("cell", "post", "reception")
AWAY = ("hospital", "court", "outside", "transit")
CONTAINERS = ("facility", "block", "wing")
CATEGORIES = ("detainee", "staff", "other")
PREFIX = {"detainee": "D", "staff": "S", "other": "V"}
STATUSES = ("inside", "out", "in_transit", "transferred", "released", "dead", "escaped")

# (id, kind, parent, maximum)
LAYOUT: list[tuple[str, str, str | None, int | None]] = [
    ("AQ", "facility", None, None),
    ("A", "block", "AQ", 4),  # full from the start: moves within it gain it no one
    ("A-01", "cell", "A", 3),
    ("A-02", "cell", "A", 2),
    ("W", "wing", "A", None),
    ("W-01", "cell", "W", 2),
    ("B", "block", "AQ", None),
    ("B-01", "cell", "B", 1),
    ("P", "post", "AQ", None),
    ("BZ", "facility", None, None),
    ("BZ-A", "block", "BZ", None),
    ("BZ-01", "cell", "BZ-A", 2),
]
STANDARD = (
    ("reception", "reception"),
    ("hospital", "hospital"),
    ("court", "court"),
    ("outside", "outside"),
    ("transit", "transit"),
)


@dataclass(frozen=True)
class KindRule:
    from_status: tuple[str, ...]
    to_kinds: tuple[str, ...]
    status: str
    detainees_only: bool
    details: dict[str, str]
    required: str | None  # one required detail, left out by the "missing detail" variant
    direction: str


IN_CUSTODY = ("inside", "out", "in_transit")
RULES: dict[str, KindRule] = {
    "cell": KindRule(("inside",), HOLDING, "inside", False, {"reason": "crowding"}, "reason", ""),
    "out": KindRule(
        ("inside",), ("hospital", "court", "outside"), "out", False, {"purpose": "x"}, "purpose", ""
    ),
    "return": KindRule(("out",), HOLDING, "inside", False, {"note": "back"}, None, ""),
    "transfer": KindRule(
        ("inside", "out"),
        ("transit",),
        "in_transit",
        False,
        {"destination": "Central prison", "authority": "Ministry"},
        "authority",
        "out",
    ),
    "receive": KindRule(
        ("in_transit",),
        (),
        "transferred",
        False,
        {"received_by": "Officer", "authority": "Central prison"},
        "received_by",
        "",
    ),
    "release": KindRule(
        ("inside", "out"), (), "released", False, {"authority": "Court A"}, "authority", "out"
    ),
    "death": KindRule(
        IN_CUSTODY,
        (),
        "dead",
        False,
        {"place": "cell", "circumstances": "synthetic"},
        "circumstances",
        "out",
    ),
    "escape": KindRule(IN_CUSTODY, (), "escaped", True, {"where": "north wall"}, "where", "out"),
    "recapture": KindRule(("escaped",), HOLDING, "inside", True, {"where": "market"}, None, "in"),
}
EVENT_STATUS = {
    "movements.cell_moved": "inside",
    "movements.went_out": "out",
    "movements.returned": "inside",
    "movements.transfer_departed": "in_transit",
    "movements.transfer_received": "transferred",
    "movements.released": "released",
    "movements.died": "dead",
    "movements.escaped": "escaped",
    "movements.recaptured": "inside",
}
NEXT = {"out": "return", "in_transit": "receive", "escaped": "recapture"}
OUTCOMES = ("found", "elsewhere", "out", "escaped", "dead")
DELTAS = st.sampled_from([0, 0, 0, -1, 1, 2])
RESOLUTION_KIND = {"elsewhere": "cell", "out": "out", "escaped": "escape", "dead": "death"}

NAMES = [
    ("سامر الحسن", "Samer al-Hassan"),
    ("أحمد خليل", "Ahmad Khalil"),
    ("إبراهيم صالح", "Ibrahim Saleh"),
    ("رنا حداد", "Rana Haddad"),
    ("ليلى سعد", "Layla Saad"),
]


def latin_name(n: int) -> str:
    return NAMES[n % len(NAMES)][1]


def record(category: str, n: int, variant: str) -> dict[str, Any]:
    name_ar, name_latin = NAMES[n % len(NAMES)]
    rec: dict[str, Any] = {
        "name_ar": name_ar,
        "name_latin": name_latin,
        "gender": "male",
        "nationality": "SY",
    }
    if category == "detainee":
        commitment = {
            "order_ref": f"CO-{n}",
            "grounds": "synthetic",
            "ordering_authority": "Court A",
            "responsible_authority": "Administration B",
        }
        if variant == "no_role":
            del commitment["order_ref"]
        rec["commitment"] = commitment
        rec["arrest"] = {"time": "2026-01-01T10:00", "place": "Raqqa", "authority": "Police"}
    else:
        rec[category] = {} if variant == "no_role" else {"role": "guard"}
    if variant == "bad_birth":
        rec["birth_date"] = "1990-02-30"
    if variant == "bad_nationality":
        rec["nationality"] = "Narnia"
    return rec


@dataclass
class MPlace:
    id: str
    kind: str
    facility: str
    path: tuple[str, ...]  # root first, the place itself last
    maximum: int | None
    state: str = "active"


@dataclass
class MPerson:
    number: str
    category: str
    status: str
    location: str | None
    facility: str
    since: str
    name_latin: str = ""
    nationality: str = "SY"


@dataclass
class MTally:
    status: str = "pending"
    attempts: int = 0
    expected: int = 0
    counted: int = 0


@dataclass
class MRoll:
    id: str
    facility: str
    scope: str
    opened_at: str
    status: str = "open"
    tallies: dict[str, MTally] = field(default_factory=dict)


def likely(data: st.DataObject, label: str, odds: int) -> bool:
    """True, except one time in ``odds + 1``."""
    return bool(data.draw(st.integers(0, odds), label))


def snapshot_tables(storage: SqlUnits) -> dict[str, list[tuple[Any, ...]]]:
    tables: dict[str, list[tuple[Any, ...]]] = {}
    with storage.engine.connect() as conn:
        for name, table in FACILITY_TABLES.items():
            rows = conn.execute(sa.select(table)).all()
            tables[name] = sorted((tuple(r) for r in rows), key=repr)
    return tables


def rows_of(tables: dict[str, list[tuple[Any, ...]]], name: str) -> list[dict[str, Any]]:
    columns = [c.name for c in FACILITY_TABLES[name].columns]
    return [dict(zip(columns, row, strict=True)) for row in tables[name]]


class FacilityMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.clock = FixedClock(START)
        self.storage = open_storage("memory://")
        recorder = Recorder(Log(ORIGIN, Ed25519Signer.from_skey(SKEY)))
        verifier = Ed25519Verifier.from_vkey(VKEY)
        self.ledger = LedgerService(self.storage, recorder, verifier, VKEY, self.clock)
        self.ledger.open_log("machine-party", ACTOR)
        self.service = FacilityService(self.storage, recorder, self.clock, ZONE)

        self.places: dict[str, MPlace] = {}
        commands: list[Command_] = []
        for id_, kind, parent, maximum in LAYOUT:
            commands.append(AddLocation(id_, kind, f"مكان {id_}", id_, parent, maximum=maximum))
            path = (*self.places[parent].path, id_) if parent else (id_,)
            self.places[id_] = MPlace(id_, kind, path[0], path, maximum)
            if kind == "facility":
                for suffix, std_kind in STANDARD:
                    std = f"{id_}:{suffix}"
                    self.places[std] = MPlace(std, std_kind, id_, (id_, std), None)
        self.service.run(commands, ACTOR)

        self.people: dict[str, MPerson] = {}
        self.rolls: dict[str, MRoll] = {}
        self.resolved: set[tuple[str, str]] = set()
        self.flows: list[tuple[str, str, str, str]] = []  # facility, category, direction, time
        self.replayed = 0
        self.replay_people: dict[str, tuple[str, str | None]] = {}
        start = [
            ("detainee", "A-01"),
            ("detainee", "A-01"),
            ("detainee", "A-02"),
            ("detainee", "W-01"),
            ("detainee", "AQ:reception"),
            ("detainee", "BZ-01"),
            ("staff", "P"),
            ("other", "AQ:reception"),
        ]
        admissions: list[Command_] = []
        for category, location in start:
            n = sum(1 for p in self.people.values() if p.category == category) + 1
            number = f"{PREFIX[category]}-{n:06d}"
            admissions.append(Admit("", category, record(category, n, "ok"), location, START))
            facility = self.places[location].facility
            self.people[number] = MPerson(
                number, category, "inside", location, facility, self.now(), latin_name(n)
            )
            self.flows.append((facility, category, "in", self.now()))
        assert self.service.run(admissions, ACTOR).created == tuple(self.people)

    # -- the model ----------------------------------------------------------------------------

    def now(self) -> str:
        return format_time(self.clock.now())

    def under(self, person: MPerson, place_id: str) -> bool:
        """Whether ``person`` counts in the occupancy of ``place_id``."""
        if person.location is None:
            return False
        if person.location == place_id:
            return True
        here = self.places[person.location]
        return here.kind in HOLDING and place_id in here.path

    def occupancy(self, place_id: str) -> Counter[str]:
        return Counter(p.category for p in self.people.values() if self.under(p, place_id))

    def usable(self, place: MPlace) -> bool:
        """Active, and under no block or wing (or facility) out of order."""
        return all(self.places[i].state == "active" for i in place.path)

    def chain(self, place_id: str) -> list[MPlace]:
        return [self.places[i] for i in reversed(self.places[place_id].path)]

    def room(self, target: str, override: bool, origin: str | None = None) -> bool:
        chain = self.chain(target)
        if origin is not None and self.places[origin].kind in HOLDING:
            shared = set(self.places[origin].path[:-1])
            chain = chain[:1] + [p for p in chain[1:] if p.id not in shared]
        over = [
            p
            for p in chain
            if p.maximum is not None and self.occupancy(p.id).total() + 1 > p.maximum
        ]
        return override or not over

    def move_ok(
        self,
        kind: str,
        person: MPerson | None,
        to: str | None,
        origin: str | None,
        timing: str,
        missing: bool,
        override: bool,
    ) -> str | None:
        """The destination (or "" for none) if the rules accept the move, else None."""
        rule = RULES[kind]
        if person is None:
            return None
        if rule.detainees_only and person.category != "detainee":
            return None
        if person.status not in rule.from_status:
            return None
        if origin is not None and origin != person.location:
            return None
        if timing != "now" or (missing and rule.required):
            return None
        if not rule.to_kinds:
            return None if to else ""
        if to is None and kind == "transfer":
            to = f"{person.facility}:transit"
        if to is None and kind == "recapture":
            to = f"{person.facility}:reception"
        target = self.places.get(to) if to else None
        if target is None or target.kind not in rule.to_kinds:
            return None
        if target.facility != person.facility or target.id == person.location:
            return None
        if target.state != "active" or (target.kind in HOLDING and not self.usable(target)):
            return None
        if target.kind in HOLDING and not self.room(target.id, override, person.location):
            return None
        return target.id

    def apply_move(self, kind: str, person: MPerson, destination: str) -> None:
        rule = RULES[kind]
        person.status = rule.status
        person.location = destination or None
        person.since = self.now()
        if rule.direction:
            self.flows.append((person.facility, person.category, rule.direction, self.now()))

    def open_roll_of(self, facility: str) -> MRoll | None:
        return next(
            (r for r in self.rolls.values() if r.facility == facility and r.status == "open"),
            None,
        )

    def roll_places(self, roll: MRoll) -> dict[str, MTally]:
        scope = self.places[roll.scope]
        places = {
            p.id: roll.tallies.get(p.id, MTally())
            for p in self.places.values()
            if p.kind in HOLDING and scope.id in p.path and self.usable(p)
        }
        return places | roll.tallies

    def settle_roll(self, roll: MRoll) -> None:
        if all(t.status in ("matched", "resolved") for t in self.roll_places(roll).values()):
            roll.status = "cleared"

    # -- running commands ---------------------------------------------------------------------

    def attempt(self, commands: list[Command_ | ResolveWith], accept: bool) -> tuple[str, ...]:
        """Run ``commands``; they must be accepted iff ``accept``, and a refusal writes nothing."""
        size = self.ledger.size()
        before = snapshot_tables(self.storage) if not accept else None
        try:
            outcome = self.service.run(commands, ACTOR)
        except AmanahError as exc:
            refusal: str | None = str(exc)
        else:
            refusal = None
        if refusal is not None:
            assert not accept, f"refused, but the model accepts: {refusal}"
            assert refusal.strip()
            assert self.ledger.size() == size
            assert snapshot_tables(self.storage) == before
            return ()
        assert accept, f"accepted {commands!r}, but the model refuses"
        assert self.ledger.size() == size + outcome.count
        return outcome.created

    @rule(minutes=st.integers(1, 120))
    def tick(self, minutes: int) -> None:
        self.clock.advance(timedelta(minutes=minutes))

    @rule(
        data=st.data(),
        category=st.sampled_from(CATEGORIES),
        variant=st.sampled_from(
            ["ok"] * 6 + ["no_role", "bad_birth", "bad_nationality", "future", "duplicate"]
        ),
        override=st.booleans(),
    )
    def admit(self, data: st.DataObject, category: str, variant: str, override: bool) -> None:
        holding = [p for p in self.places if self.places[p].kind in HOLDING]
        location = data.draw(
            st.sampled_from(holding)
            if likely(data, "fitting", 4)
            else st.sampled_from([*self.places, "Z-404"]),
            "location",
        )
        n = sum(1 for p in self.people.values() if p.category == category) + 1
        number = f"{PREFIX[category]}-{n:06d}"
        given = ""
        if variant == "duplicate" and self.people:
            given = data.draw(st.sampled_from(sorted(self.people)), "duplicate")
        time = self.clock.now() + timedelta(hours=1 if variant == "future" else 0)
        target = self.places.get(location)
        accept = (
            (variant == "ok" or (variant == "duplicate" and not given))
            and target is not None
            and target.kind in HOLDING
            and self.usable(target)
            and self.room(location, override)
        )
        command = Admit(
            given,
            category,
            record(category, n, variant),
            location,
            time,
            "overcrowding order 7" if override else None,
        )
        created = self.attempt([command], accept)
        if accept:
            assert created == (number,)
            facility = self.places[location].facility
            self.people[number] = MPerson(
                number, category, "inside", location, facility, self.now(), latin_name(n)
            )
            self.flows.append((facility, category, "in", self.now()))

    @rule(
        data=st.data(),
        timing=st.sampled_from(["now"] * 8 + ["backdated", "future"]),
        missing=st.integers(0, 9).map(lambda n: n == 0),
        override=st.booleans(),
    )
    def move(self, data: st.DataObject, timing: str, missing: bool, override: bool) -> None:
        known = sorted(self.people)
        number = data.draw(
            st.sampled_from(known) if known and likely(data, "known", 9) else st.just("D-999999"),
            "person",
        )
        person = self.people.get(number)
        fits = sorted(k for k, r in RULES.items() if person and person.status in r.from_status)
        kind = data.draw(
            st.sampled_from(fits)
            if fits and likely(data, "fitting kind", 4)
            else st.sampled_from(sorted(RULES)),
            "kind",
        )
        rule_ = RULES[kind]
        facility = person.facility if person else "AQ"
        fitting: list[str | None] = [
            p.id
            for p in self.places.values()
            if p.kind in rule_.to_kinds and p.facility == facility
        ] or [None]
        to = data.draw(
            st.sampled_from(fitting)
            if likely(data, "fitting place", 5)
            else st.sampled_from([None, *self.places, "Z-404"]),
            "to",
        )
        if kind in ("transfer", "recapture") and data.draw(st.booleans(), "default place"):
            to = None
        origin = None
        if not likely(data, "origin given", 3):
            origin = data.draw(st.sampled_from([*self.places]), "origin")
        if person is not None and data.draw(st.booleans(), "origin right"):
            origin = person.location
        time = self.clock.now()
        if timing == "future":
            time += timedelta(hours=1)
        elif timing == "backdated":
            since = person.since if person else self.now()
            time = datetime.fromisoformat(since.replace("Z", "+00:00")) - timedelta(minutes=1)
        details = dict(rule_.details)
        if missing and rule_.required:
            del details[rule_.required]
        destination = self.move_ok(kind, person, to, origin, timing, missing, override)
        command = Move(kind, number, time, to, origin, details, "riot" if override else None)
        self.attempt([command], destination is not None)
        if destination is not None and person is not None:
            self.apply_move(kind, person, destination)

    @precondition(lambda self: any(p.status == "inside" for p in self.people.values()))
    @rule(data=st.data(), override=st.booleans())
    def cell_move(self, data: st.DataObject, override: bool) -> None:
        """Moves between cells, posts and reception, the day-to-day traffic."""
        number = data.draw(
            st.sampled_from(sorted(n for n, p in self.people.items() if p.status == "inside")),
            "person",
        )
        person = self.people[number]
        to = data.draw(
            st.sampled_from(
                sorted(
                    p.id
                    for p in self.places.values()
                    if p.kind in HOLDING and p.facility == person.facility
                )
            ),
            "to",
        )
        destination = self.move_ok("cell", person, to, None, "now", False, override)
        command = Move(
            "cell",
            number,
            self.clock.now(),
            to,
            None,
            {"reason": "crowding"},
            "riot" if override else None,
        )
        self.attempt([command], destination is not None)
        if destination is not None:
            self.apply_move("cell", person, destination)

    @precondition(lambda self: any(p.status in NEXT for p in self.people.values()))
    @rule(data=st.data(), override=st.booleans())
    def come_back(self, data: st.DataObject, override: bool) -> None:
        """The movement that ends an absence: return, receipt of a transfer, recapture."""
        number = data.draw(
            st.sampled_from(sorted(n for n, p in self.people.items() if p.status in NEXT)),
            "person",
        )
        person = self.people[number]
        kind = NEXT[person.status]
        to = None
        if kind != "receive":
            holding = [
                p.id
                for p in self.places.values()
                if p.kind in HOLDING and p.facility == person.facility
            ]
            to = data.draw(st.sampled_from(sorted(holding)), "to")
            if kind == "recapture" and data.draw(st.booleans(), "to reception"):
                to = None
        destination = self.move_ok(kind, person, to, None, "now", False, override)
        command = Move(
            kind,
            number,
            self.clock.now(),
            to,
            None,
            dict(RULES[kind].details),
            "riot" if override else None,
        )
        self.attempt([command], destination is not None)
        if destination is not None:
            self.apply_move(kind, person, destination)

    @rule(
        place=st.sampled_from(["A", "A-01", "A-02", "W", "W-01", "B-01", "P", "AQ:hospital", "Z"]),
        maximum=st.sampled_from([None, 0, 1, 2, 3, 5, -1]),
    )
    def set_capacity(self, place: str, maximum: int | None) -> None:
        target = self.places.get(place)
        accept = (
            target is not None and target.kind not in AWAY and (maximum is None or maximum >= 0)
        )
        self.attempt([SetCapacity(place, None, None, maximum, "survey")], accept)
        if accept and target is not None:
            target.maximum = maximum

    @rule(
        place=st.sampled_from(["A-02", "W-01", "B-01", "BZ-01", "AQ:reception"]),
        state=st.sampled_from(["active", "out_of_order"]),
    )
    def set_state(self, place: str, state: str) -> None:
        target = self.places[place]
        accept = target.state != state and (state == "active" or not self.occupancy(place).total())
        roll = self.open_roll_of(target.facility)
        if state != "active" and roll is not None:
            # A place still to be counted cannot be taken out of use mid-roll.
            accept = accept and not any(
                place in self.places[where].path and tally.status not in ("matched", "resolved")
                for where, tally in self.roll_places(roll).items()
            )
        self.attempt([SetLocationState(place, state, "maintenance")], accept)
        if accept:
            target.state = state

    @rule(scope=st.sampled_from(["AQ", "A", "W", "B", "BZ", "BZ-A", "A-01", "Z"]))
    def open_roll(self, scope: str) -> None:
        target = self.places.get(scope)
        accept = (
            target is not None
            and target.kind in CONTAINERS
            and self.open_roll_of(target.facility) is None
            and self.usable(target)
            and any(
                p.kind in HOLDING and target.id in p.path and self.usable(p)
                for p in self.places.values()
            )
        )
        created = self.attempt([OpenRoll("", scope, self.clock.now())], accept)
        if accept and target is not None:
            roll_id = f"R-{len(self.rolls) + 1:04d}"
            assert created == (roll_id,)
            self.rolls[roll_id] = MRoll(roll_id, target.facility, scope, self.now())

    def tallies_with(self, status: str) -> list[tuple[str, str]]:
        return [
            (roll.id, place)
            for roll in self.rolls.values()
            if roll.status == "open"
            for place, tally in self.roll_places(roll).items()
            if tally.status == status
        ]

    def count_at(self, roll_id: str, location: str, counted: int) -> None:
        roll = self.rolls.get(roll_id)
        tally = self.roll_places(roll).get(location) if roll else None
        expected = self.occupancy(location).total()
        accept = (
            roll is not None
            and roll.status == "open"
            and tally is not None
            and tally.status not in ("matched", "resolved")
            and counted >= 0
        )
        command = RecordCount(roll_id, location, counted, ("Omar",), self.clock.now())
        self.attempt([command], accept)
        if accept and roll is not None and tally is not None:
            attempt = tally.attempts + 1
            result = (
                "matched" if counted == expected else "recount" if attempt == 1 else "unresolved"
            )
            roll.tallies[location] = MTally(result, attempt, expected, counted)
            self.settle_roll(roll)

    @rule(data=st.data(), delta=DELTAS)
    def count(self, data: st.DataObject, delta: int) -> None:
        open_rolls = [r.id for r in self.rolls.values() if r.status == "open"]
        roll_id = data.draw(
            st.sampled_from(open_rolls)
            if open_rolls and likely(data, "open roll", 5)
            else st.sampled_from([*self.rolls, "R-9999"]),
            "roll",
        )
        roll = self.rolls.get(roll_id)
        places = self.roll_places(roll) if roll else {}
        pending = [p for p, t in places.items() if t.status not in ("matched", "resolved")]
        location = data.draw(
            st.sampled_from(pending)
            if pending and likely(data, "pending place", 5)
            else st.sampled_from([*self.places]),
            "location",
        )
        negative = data.draw(st.integers(0, 9), "negative") == 0
        counted = -1 if negative else max(0, self.occupancy(location).total() + delta)
        self.count_at(roll_id, location, counted)

    def resolve_at(
        self,
        roll_id: str,
        number: str,
        location: str,
        outcome: str,
        found_in: str | None,
        to: str,
        override: bool,
    ) -> None:
        roll = self.rolls.get(roll_id)
        tallies = self.roll_places(roll) if roll else {}
        person = self.people.get(number)
        details = {
            "escaped": {"where": "north wall"},
            "dead": {"place": "cell", "circumstances": "synthetic"},
        }.get(outcome)
        here = tallies.get(location)
        other = tallies.get(found_in) if found_in else None
        accept = (
            person is not None
            and roll is not None
            and roll.status == "open"
            and outcome in OUTCOMES
            and (roll_id, number) not in self.resolved
            and person.location == location
            and (outcome == "elsewhere") == (found_in is not None)
            and found_in != location
            and any(t is not None and t.status == "unresolved" for t in (here, other))
            and (outcome != "found" or (here is not None and here.counted < here.expected))
        )
        destination: str | None = ""
        kind = RESOLUTION_KIND.get(outcome, "")
        if accept and person is not None and outcome != "found":
            if outcome == "elsewhere" and person.status == "out":
                kind = "return"
            target = {"elsewhere": found_in, "out": to}.get(outcome)
            destination = self.move_ok(kind, person, target, location, "now", False, override)
            accept = destination is not None
        command = Resolve(roll_id, number, location, outcome, self.clock.now(), found_in)
        resolution = ResolveWith(
            command,
            to=to if outcome == "out" else None,
            details=details,
            override="riot" if override else None,
        )
        self.attempt([resolution], accept)
        if not accept or roll is None or person is None:
            return
        self.resolved.add((roll_id, number))
        if outcome != "found":
            assert destination is not None
            self.apply_move(kind, person, destination)
        for place, change in ((location, outcome), (found_in, "found_in")):
            tally = roll.tallies.get(place) if place else None
            if tally is None or not tally.attempts:
                continue
            if change == "found":
                tally.counted += 1
            elif change == "found_in":
                tally.expected += 1
            else:
                tally.expected -= 1
            if tally.expected != tally.counted:
                tally.status = "unresolved"
            elif tally.status != "matched":
                tally.status = "resolved"
        self.settle_roll(roll)

    @rule(
        data=st.data(),
        outcome=st.sampled_from([*OUTCOMES, "vanished"]),
        to=st.sampled_from(["AQ:hospital", "AQ:court", "BZ:hospital", "A-02"]),
        override=st.booleans(),
    )
    def resolve(self, data: st.DataObject, outcome: str, to: str, override: bool) -> None:
        roll_id = data.draw(st.sampled_from([*self.rolls, "R-9999"]), "roll")
        number = data.draw(st.sampled_from([*sorted(self.people), "D-999999"]), "person")
        person = self.people.get(number)
        location = person.location if person and data.draw(st.booleans(), "there") else None
        location = location or data.draw(st.sampled_from([*self.places]), "location")
        found_in = None
        if outcome == "elsewhere" or data.draw(st.integers(0, 9), "found in") == 0:
            found_in = data.draw(st.sampled_from([*self.places]), "found in")
        self.resolve_at(roll_id, number, location, outcome, found_in, to, override)

    @rule(data=st.data(), facility=st.sampled_from(["AQ", "BZ"]), override=st.booleans())
    def roll_call(self, data: st.DataObject, facility: str, override: bool) -> None:
        """A whole round: open a roll if none is open, count every place, recount, and
        resolve the differences person by person."""
        if self.open_roll_of(facility) is None:
            scopes = [
                p.id
                for p in self.places.values()
                if p.facility == facility and p.kind in CONTAINERS
            ]
            self.open_roll(data.draw(st.sampled_from(scopes), "scope"))
        roll = self.open_roll_of(facility)
        if roll is None:
            return  # the scope drawn had nothing to count: the open was refused (and checked)
        for _ in range(2):
            for place, tally in sorted(self.roll_places(roll).items()):
                if tally.status in ("pending", "recount", "unresolved") and roll.status == "open":
                    delta = data.draw(DELTAS, f"delta at {place}")
                    self.count_at(roll.id, place, max(0, self.occupancy(place).total() + delta))
        for _ in range(6):
            differences = [
                (place, t)
                for place, t in self.roll_places(roll).items()
                if t.status == "unresolved"
            ]
            if not differences or roll.status != "open":
                break
            spot, tally = data.draw(st.sampled_from(sorted(differences)), "difference")
            if tally.counted > tally.expected:
                # Someone the register has elsewhere was counted here.
                candidates = [
                    n
                    for n, p in self.people.items()
                    if p.location not in (None, spot) and p.facility == facility
                ]
                outcome, found_in = "elsewhere", spot
            else:
                candidates = [n for n, p in self.people.items() if p.location == spot]
                outcome = data.draw(st.sampled_from(OUTCOMES), "outcome")
                found_in = None
                if outcome == "elsewhere":
                    found_in = data.draw(st.sampled_from(sorted(self.roll_places(roll))), "in")
            if not candidates:
                break
            number = data.draw(st.sampled_from(sorted(candidates)), "person")
            location = self.people[number].location
            assert location is not None
            to = data.draw(st.sampled_from([f"{facility}:hospital", f"{facility}:court"]), "to")
            self.resolve_at(roll.id, number, location, outcome, found_in, to, override)

    @rule(
        data=st.data(),
        field=st.sampled_from(["name_latin", "nationality"]),
        value=st.sampled_from(["Omar Yusuf", "Samer al-Hassan", "sy", "IQ", "Narnia"]),
        reason=st.sampled_from(["misspelt at admission", " "]),
    )
    def correct(self, data: st.DataObject, field: str, value: str, reason: str) -> None:
        number = data.draw(st.sampled_from([*sorted(self.people), "D-999999"]), "person")
        person = self.people.get(number)
        if field == "nationality":
            valid, new = value.upper() in ("SY", "IQ"), value.upper()
        else:
            valid, new = True, value  # every value offered is in Latin letters
        accept = (
            person is not None and valid and reason.strip() != "" and new != getattr(person, field)
        )
        self.attempt([Correct(number, field, value, reason)], accept)
        if accept and person is not None:
            setattr(person, field, new)

    @precondition(lambda self: bool(self.people))
    @rule(data=st.data())
    def failed_series_writes_nothing(self, data: st.DataObject) -> None:
        number = data.draw(st.sampled_from(sorted(self.people)), "person")
        commands: list[Command_ | ResolveWith] = [
            SetCapacity("A-01", None, None, 9, "survey"),
            Admit("", "staff", record("staff", 99, "ok"), "P", self.clock.now()),
            Admit(number, "detainee", record("detainee", 99, "ok"), "A-01", self.clock.now()),
        ]
        self.attempt(commands, False)

    @rule()
    def rebuild_equals_live(self) -> None:
        live = snapshot_tables(self.storage)
        size = self.ledger.size()
        assert rebuild(self.storage) == size
        assert snapshot_tables(self.storage) == live

    # -- invariants ---------------------------------------------------------------------------

    @invariant()
    def occupancy_is_never_negative_and_matches_the_people(self) -> None:
        tables = snapshot_tables(self.storage)
        stored: dict[str, Counter[str]] = {p: Counter() for p in self.places}
        for r in rows_of(tables, "fac_occupancy"):
            assert r["n"] >= 0, r
            stored[r["location"]][r["category"]] += r["n"]
        people = rows_of(tables, "fac_people")
        assert {
            p["number"]: (
                p["category"],
                p["status"],
                p["location"],
                p["facility"],
                p["since"],
                p["name_latin"],
                json.loads(p["record"])["nationality"],
            )
            for p in people
        } == {
            n: (p.category, p.status, p.location, p.facility, p.since, p.name_latin, p.nationality)
            for n, p in self.people.items()
        }
        for place_id in self.places:
            from_rows = Counter(
                p["category"]
                for p in people
                if p["location"] == place_id
                or (
                    p["location"] is not None
                    and self.places[p["location"]].kind in HOLDING
                    and place_id in self.places[p["location"]].path
                )
            )
            assert +stored[place_id] == from_rows, place_id
            assert from_rows == self.occupancy(place_id), place_id
        for row in self.service.locations():
            assert dict(row.occupancy) == dict(self.occupancy(row.id)), row.id

    @invariant()
    def figures_per_category_match_the_model(self) -> None:
        now = self.clock.now()
        midnight = now.astimezone(ZONE).replace(hour=0, minute=0, second=0, microsecond=0)
        since = format_time(midnight)
        for facility in ("AQ", "BZ"):
            status = self.service.roll_status(facility)
            for category in CATEGORIES:
                mine = [
                    p
                    for p in self.people.values()
                    if (p.facility, p.category) == (facility, category)
                ]
                count = Counter(p.status for p in mine)
                flows = Counter(
                    d for f, c, d, t in self.flows if (f, c) == (facility, category) and t >= since
                )
                expected = {s: count[s] for s in ("transferred", "released", "dead", "escaped")}
                expected |= {
                    "in_custody": count["inside"] + count["out"] + count["in_transit"],
                    "in_cells": count["inside"],
                    "out": count["out"],
                    "in_transit": count["in_transit"],
                    "arrived_today": flows["in"],
                    "left_today": flows["out"],
                    "unaccounted": self.unaccounted(facility, category),
                }
                assert status["by_category"][category] == expected, (facility, category)

    def unaccounted(self, facility: str, category: str) -> int:
        roll = self.open_roll_of(facility)
        if roll is None:
            return 0
        total = 0
        for place, tally in self.roll_places(roll).items():
            if tally.status in ("recount", "unresolved") and tally.expected > tally.counted:
                occupancy = self.occupancy(place)
                most = max(CATEGORIES, key=lambda c: (occupancy[c], c == "detainee"))
                if most == category:
                    total += tally.expected - tally.counted
        return total

    @invariant()
    def rolls_and_tallies_match_the_model(self) -> None:
        tables = snapshot_tables(self.storage)
        rolls = rows_of(tables, "fac_rolls")
        assert {(r["id"], r["facility"], r["scope"], r["status"]) for r in rolls} == {
            (r.id, r.facility, r.scope, r.status) for r in self.rolls.values()
        }
        tallies = rows_of(tables, "fac_tallies")
        assert {
            (t["roll"], t["location"], t["status"], t["attempts"], t["expected"], t["counted"])
            for t in tallies
        } == {
            (roll.id, place, t.status, t.attempts, t.expected, t.counted)
            for roll in self.rolls.values()
            for place, t in roll.tallies.items()
        }
        resolutions = rows_of(tables, "fac_resolutions")
        assert {(r["roll"], r["person"]) for r in resolutions} == self.resolved

    @invariant()
    def expected_counts_equal_the_replayed_movements(self) -> None:
        with self.storage.reader() as view:
            entries = list(view.ledger.entries(self.replayed, view.ledger.size()))
        people = self.replay_people
        for entry in entries:
            data = json.loads(entry.body)["data"]
            event = decode_event(entry.type, data)
            assert event.to_data() == data
            if entry.type == "registry.person_admitted":
                people[data["number"]] = ("inside", data["location"])
            elif entry.type in EVENT_STATUS:
                _, location = people[data["person"]]
                assert data["origin"] == location
                people[data["person"]] = (EVENT_STATUS[entry.type], data["destination"])
            elif entry.type == "rollcount.counted":
                there = sum(1 for _, where in people.values() if where == data["location"])
                assert data["expected"] == there, data
        self.replayed += len(entries)
        assert people == {n: (p.status, p.location) for n, p in self.people.items()}

    def teardown(self) -> None:
        try:
            self.rebuild_equals_live()
        finally:
            self.storage.close()


FacilityMachine.TestCase.settings = settings(max_examples=40, stateful_step_count=50, deadline=None)
TestFacilityMachine = FacilityMachine.TestCase
