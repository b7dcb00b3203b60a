"""The facility at scale: what the domain layer costs over the ledger, and the read side.

At ``--people`` people and ``--events`` ledger entries (default 50,000 and 1,000,000, the
issue's sizes) on SQLite, one data home is built and measured:

1. admissions through ``FacilityService.run`` (read state, decide, project, append), side by
   side with the same ``registry.person_admitted`` entries written by ``Session.add`` (project
   and append, no decisions) and by the ledger alone (``Log.append`` and
   ``Log.append_encoded``), each in its own fresh home, in transactions of ``--chunk``;
2. movements, from one in-memory simulation of the register (cell moves, hospital and court
   out/return, transfers, releases, a few deaths, escapes and recaptures; every event valid
   under the movement rules): a sample through ``FacilityService.run``, a sample through
   ``Session.add``, and the rest, up to ``--events``, appended by the ledger alone (``Log``
   with the ``Encoder`` a session uses: byte for byte the entries a session would write) and
   projected by the first rebuild; ``--fill live`` writes the rest through ``Session.add``;
3. four facility roll calls: the first with a sample of counts through the service (each its
   own transaction) and the rest through a session, two more in full and cleared, the last
   left open with half the places counted, a few recounts and unresolved differences;
4. ``services.projector.rebuild`` over the whole ledger (``--rebuild-runs`` runs), checked
   against the simulation (every person's status and place, every cell's occupancy, every
   roll's status) and each run against the first (a digest of every projection table);
5. ``FacilityService.roll_status()`` (block and cell level, and each query it makes, timed
   alone) and ``FacilityService.search`` with partial Arabic (with and without vowel marks)
   and Latin names and numbers, three characters or more through the register's FTS5 trigram
   index and two through its ``LIKE`` scan; where a target is missed, a cProfile of it.

Names are synthetic, built from short lists of common name parts; no record is real.
Run: ``.venv/bin/python -m bench.bench_facility [--people N] [--events N] [--home DIR]``;
with a home already built by such a run, ``--only rebuild`` measures the rebuild alone
(step 4) and ``--only reads`` the read side alone (step 5, on the projections as they are).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import hashlib
import io
import itertools
import json
import math
import pstats
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from amanah.bootstrap import App, init_home, open_app
from amanah.clock import FixedClock
from amanah.domain.movements.commands import Move
from amanah.domain.movements.events import (
    CellMoved,
    Died,
    Escaped,
    Movement,
    Recaptured,
    Released,
    Returned,
    TransferDeparted,
    TransferReceived,
    WentOut,
)
from amanah.domain.registry.commands import AddLocation, Admit
from amanah.domain.registry.record import fold
from amanah.domain.rollcount.commands import OpenRoll, RecordCount
from amanah.domain.rollcount.events import Counted, RollCleared, RollOpened
from amanah.domain.shared import HOLDING_KINDS, Event, format_time
from amanah.ledger.entry import Actor as EntryActor
from amanah.ledger.log import Draft, Encoder
from amanah.ledger.ports import StoredEntry
from amanah.services.codec import decode_event
from amanah.services.facility import person_stream, roll_stream
from amanah.services.facility_projection import MemorySink, project_facility
from amanah.services.projector import REBUILD_CHUNK, rebuild
from amanah.settings import DB_FILE
from amanah.storage.search_index import MIN_INDEXED
from amanah.storage.tables import FACILITY_TABLES
from bench.common import table

ORIGIN = "bench.amanah.example/facility"
PARTY = "al-Aqtan administration"
NOW = datetime(2026, 1, 20, 12, 0, tzinfo=UTC)
ADMIT_FROM = datetime(2025, 1, 1, tzinfo=UTC)
ADMIT_TO = datetime(2025, 6, 30, tzinfo=UTC)
MOVE_FROM = datetime(2025, 7, 1, tzinfo=UTC)
MOVE_TO = datetime(2026, 1, 20, 8, 0, tzinfo=UTC)
LAST_ROLL = datetime(2026, 1, 20, 8, 30, tzinfo=UTC)

FACILITY = "AQ"
RECEPTION, HOSPITAL, COURT, OUTSIDE, TRANSIT = (
    f"{FACILITY}:{s}" for s in ("reception", "hospital", "court", "outside", "transit")
)
CERTIFIED, MAXIMUM = 8, 10  # per cell; cells are sized for ~98 % of certified capacity

TARGET_REBUILD_S = 30.0
TARGET_ROLL_MS = 50.0
TARGET_SEARCH_MS = 20.0

# --- Synthetic names (common Syrian/Iraqi name parts, in Arabic script and transliterated) ---

GIVEN_M = [
    ("محمد", "Mohammed"),
    ("أحمد", "Ahmad"),
    ("علي", "Ali"),
    ("عمر", "Omar"),
    ("خالد", "Khaled"),
    ("حسن", "Hassan"),
    ("حسين", "Hussein"),
    ("يوسف", "Youssef"),
    ("إبراهيم", "Ibrahim"),
    ("مصطفى", "Mustafa"),
    ("عبد الله", "Abdullah"),
    ("سامر", "Samer"),
    ("محمود", "Mahmoud"),
    ("فارس", "Fares"),
    ("ماهر", "Maher"),
    ("نبيل", "Nabil"),
    ("جمال", "Jamal"),
    ("كريم", "Karim"),
    ("طارق", "Tareq"),
    ("وليد", "Walid"),
    ("رامي", "Rami"),
    ("باسل", "Basel"),
    ("زياد", "Ziad"),
    ("هاني", "Hani"),
    ("عادل", "Adel"),
    ("سليم", "Salim"),
    ("مراد", "Murad"),
    ("ياسر", "Yasser"),
    ("أنس", "Anas"),
    ("عماد", "Imad"),
]
GIVEN_F = [
    ("فاطمة", "Fatima"),
    ("عائشة", "Aisha"),
    ("مريم", "Maryam"),
    ("زينب", "Zainab"),
    ("خديجة", "Khadija"),
    ("سارة", "Sara"),
    ("نور", "Nour"),
    ("ليلى", "Layla"),
    ("هدى", "Huda"),
    ("رنا", "Rana"),
]
FAMILIES = [
    ("الحسن", "al-Hassan"),
    ("العلي", "al-Ali"),
    ("الأحمد", "al-Ahmad"),
    ("المحمد", "al-Mohammed"),
    ("الخطيب", "al-Khatib"),
    ("السيد", "al-Sayed"),
    ("النجار", "al-Najjar"),
    ("الحمدان", "al-Hamdan"),
    ("الشامي", "al-Shami"),
    ("العمر", "al-Omar"),
    ("الحلبي", "al-Halabi"),
    ("الجاسم", "al-Jasem"),
    ("الحمود", "al-Hamoud"),
    ("الخليل", "al-Khalil"),
    ("الزعبي", "al-Zoubi"),
    ("الرفاعي", "al-Rifai"),
    ("العثمان", "al-Othman"),
    ("الصالح", "al-Saleh"),
    ("الكردي", "al-Kurdi"),
    ("الفارس", "al-Fares"),
    ("البكري", "al-Bakri"),
    ("الشيخ", "al-Sheikh"),
    ("الحريري", "al-Hariri"),
    ("القاسم", "al-Qasem"),
    ("الإبراهيم", "al-Ibrahim"),
    ("العيسى", "al-Issa"),
    ("الموسى", "al-Mousa"),
    ("الناصر", "al-Nasser"),
    ("السعيد", "al-Saeed"),
    ("الجبوري", "al-Jubouri"),
    ("الدليمي", "al-Dulaimi"),
    ("العبيدي", "al-Obaidi"),
    ("الشمري", "al-Shammari"),
    ("العنزي", "al-Anazi"),
    ("الطائي", "al-Tai"),
    ("الراوي", "al-Rawi"),
    ("الدمشقي", "al-Dimashqi"),
    ("المصري", "al-Masri"),
    ("البغدادي", "al-Baghdadi"),
    ("الحوراني", "al-Hourani"),
]
# Family names given to one person in ~10,000: the rare-name searches look for these.
RARE_FAMILIES = [("الطنبوري", "al-Tanbouri"), ("القرقماز", "al-Qarqamaz")]
RARE_EVERY = 9973
# Zipf-like: the first family names are common, the last ones rare.
FAMILY_WEIGHTS = list(itertools.accumulate(1.0 / (rank + 1) for rank in range(len(FAMILIES))))

GROUNDS = [
    "Pre-trial detention pending investigation",
    "Sentenced by the court of first instance",
    "Detention order pending review by the public prosecutor",
]
COURTS = [
    "Criminal court, Raqqa",
    "Court of first instance, Hasakah",
    "Public prosecutor, Qamishli",
]
ARREST_PLACES = ["Raqqa", "Hasakah", "Qamishli", "Deir ez-Zor", "Tabqa", "Manbij"]
ARRESTING = ["Internal security forces", "Police", "Military police"]
NATIONALITIES = ["SY", "SY", "SY", "SY", "IQ", "TR", "stateless", "unknown"]
COUNTERS = ("Sgt. Omar Haddad", "Cpl. Ali Najjar")


def person_record(i: int, admitted: datetime, rng: random.Random) -> dict[str, Any]:
    """The record of the ``i``-th admission (0-based): a detainee with a commitment order."""
    female = rng.random() < 0.05
    given_ar, given_lat = rng.choice(GIVEN_F if female else GIVEN_M)
    father_ar, father_lat = rng.choice(GIVEN_M)
    if i % RARE_EVERY == 17:
        fam_ar, fam_lat = RARE_FAMILIES[(i // RARE_EVERY) % len(RARE_FAMILIES)]
    else:
        fam_ar, fam_lat = rng.choices(FAMILIES, cum_weights=FAMILY_WEIGHTS)[0]
    year = rng.randint(1960, 2005)
    birth = f"{year}" if rng.random() < 0.1 else f"{year}-{rng.randint(1, 12):02d}-01"
    arrest = admitted - timedelta(days=rng.randint(1, 30), minutes=rng.randint(0, 1440))
    return {
        "name_ar": f"{given_ar} {father_ar} {fam_ar}",
        "name_latin": f"{given_lat} {father_lat} {fam_lat}",
        "gender": "female" if female else "male",
        "nationality": rng.choice(NATIONALITIES),
        "birth_date": birth,
        "commitment": {
            "order_ref": f"CO-2025-{i + 1:06d}",
            "grounds": rng.choice(GROUNDS),
            "ordering_authority": rng.choice(COURTS),
            "responsible_authority": "Prison administration, al-Aqtan",
        },
        "arrest": {
            # Local facility time without an offset, as typed; the service normalises it.
            "time": arrest.strftime("%Y-%m-%dT%H:%M"),
            "place": rng.choice(ARREST_PLACES),
            "authority": rng.choice(ARRESTING),
        },
    }


# --- The facility's layout ------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    blocks: list[str]
    cells: list[str]

    @property
    def places(self) -> list[str]:
        """What a facility roll call counts: every cell and the reception."""
        return [*self.cells, RECEPTION]

    def commands(self) -> list[AddLocation]:
        out = [
            AddLocation(
                FACILITY,
                "facility",
                "سجن الأقطان",
                "al-Aqtan prison",
                adm1="SY11",
                adm2="SY1101",
                lat="35.95",
                lon="39.01",
            )
        ]
        per_block = len(self.cells) // len(self.blocks)
        for b, block in enumerate(self.blocks):
            out.append(AddLocation(block, "block", f"الجناح {b + 1}", f"Block {block}", FACILITY))
            out.extend(
                AddLocation(
                    cell,
                    "cell",
                    f"الزنزانة {cell}",
                    f"Cell {cell}",
                    block,
                    certified=CERTIFIED,
                    working=CERTIFIED,
                    maximum=MAXIMUM,
                )
                for cell in self.cells[b * per_block : (b + 1) * per_block]
            )
        return out


def make_layout(people: int, blocks: int) -> Layout:
    per_block = max(1, math.ceil(people * 1.024 / (CERTIFIED * blocks)))
    names = [f"B{b + 1:02d}" for b in range(blocks)]
    cells = [f"{name}-{c + 1:03d}" for name in names for c in range(per_block)]
    return Layout(names, cells)


# --- The simulated register: decides valid movements and roll-call counts ---------------------


class Pool:
    """A set with O(1) add, remove and random choice."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.index: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.items)

    def add(self, item: str) -> None:
        self.index[item] = len(self.items)
        self.items.append(item)

    def remove(self, item: str) -> None:
        i = self.index.pop(item)
        last = self.items.pop()
        if last != item:
            self.items[i] = last
            self.index[last] = i

    def choice(self, rng: random.Random) -> str:
        return self.items[rng.randrange(len(self.items))]


Change = tuple[str, Event]


@dataclass
class Sim:
    """Who is where, as the projections should have it; the source of every command."""

    layout: Layout
    rng: random.Random
    occupancy: dict[str, int] = field(default_factory=dict)
    location: dict[str, str | None] = field(default_factory=dict)
    status: dict[str, str] = field(default_factory=dict)
    cell_of: dict[str, str] = field(default_factory=dict)  # last cell, to return to
    pools: dict[str, Pool] = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.occupancy = dict.fromkeys(self.layout.places, 0)
        self.pools = {s: Pool() for s in ("inside", "out", "in_transit", "escaped")}

    def admitted(self, number: str, cell: str) -> None:
        self.location[number] = cell
        self.cell_of[number] = cell
        self.status[number] = "inside"
        self.occupancy[cell] += 1
        self.pools["inside"].add(number)

    def _room(self, avoid: str | None) -> str:
        while True:
            cell = self.layout.cells[self.rng.randrange(len(self.layout.cells))]
            if cell != avoid and self.occupancy[cell] < MAXIMUM:
                return cell

    def _set(self, number: str, status: str, place: str | None) -> None:
        old_status, old_place = self.status[number], self.location[number]
        if old_place is not None and old_place in self.occupancy:
            self.occupancy[old_place] -= 1
        if place is not None and place in self.occupancy:
            self.occupancy[place] += 1
            self.cell_of[number] = place
        if old_status in self.pools:
            self.pools[old_status].remove(number)
        if status in self.pools:
            self.pools[status].add(number)
        self.status[number] = status
        self.location[number] = place

    def _kind(self) -> str:
        r = self.rng.random()
        target_out = max(1, len(self.location) // 60)
        pick = "cell"
        for kind, p in (
            ("out", 0.17),
            ("return", 0.17 if len(self.pools["out"]) > target_out else 0.15),
            ("transfer", 0.004),
            ("receive", 0.004 if len(self.pools["in_transit"]) > 20 else 0.003),
            ("release", 0.004),
            ("death", 0.0001),
            ("escape", 0.0003),
            ("recapture", 0.0003),
        ):
            if r < p:
                pick = kind
                break
            r -= p
        needs = {"return": "out", "receive": "in_transit", "recapture": "escaped"}
        if not len(self.pools[needs.get(pick, "inside")]):
            pick = "cell"
        return pick

    def move(self, when: datetime) -> tuple[Move, Movement]:
        """One valid movement at ``when``: the command and the event it decides."""
        kind = self._kind()
        self.kinds[kind] = self.kinds.get(kind, 0) + 1
        rng, t = self.rng, format_time(when)
        pool = {"return": "out", "receive": "in_transit", "recapture": "escaped"}
        who = self.pools[pool.get(kind, "inside")].choice(rng)
        origin = self.location[who]
        to: str | None
        details: dict[str, str]
        ev: Movement
        if kind == "cell":
            to = self._room(origin)
            details = {"reason": rng.choice(["crowding", "separation", "medical advice"])}
            ev = CellMoved(who, t, origin, to, details)
            self._set(who, "inside", to)
        elif kind == "out":
            to = rng.choice([HOSPITAL, COURT, COURT, OUTSIDE])
            details = {"purpose": {HOSPITAL: "x-ray", COURT: "hearing"}.get(to, "funeral")}
            ev = WentOut(who, t, origin, to, details)
            self._set(who, "out", to)
        elif kind == "return":
            home = self.cell_of[who]
            to = home if self.occupancy[home] < MAXIMUM else self._room(None)
            details = {}
            ev = Returned(who, t, origin, to, details)
            self._set(who, "inside", to)
        elif kind == "transfer":
            to = None  # the service sends them to the facility's transit place
            details = {"destination": "Central prison, Hasakah", "authority": "Ministry of Justice"}
            ev = TransferDeparted(who, t, origin, TRANSIT, details)
            self._set(who, "in_transit", TRANSIT)
        elif kind == "receive":
            to = None
            details = {"received_by": "Central prison, Hasakah", "authority": "Ministry of Justice"}
            ev = TransferReceived(who, t, origin, None, details)
            self._set(who, "transferred", None)
        elif kind == "release":
            to = None
            details = {"authority": rng.choice(COURTS), "reference": f"REL-{self.kinds[kind]:05d}"}
            ev = Released(who, t, origin, None, details)
            self._set(who, "released", None)
        elif kind == "death":
            to = None
            details = {"place": origin or "", "circumstances": "Found unresponsive at dawn"}
            ev = Died(who, t, origin, None, details)
            self._set(who, "dead", None)
        elif kind == "escape":
            to = None
            details = {"where": "north wall"}
            ev = Escaped(who, t, origin, None, details)
            self._set(who, "escaped", None)
        else:  # recapture
            to = self._room(None)
            details = {"where": "Raqqa"}
            ev = Recaptured(who, t, None, to, details)
            self._set(who, "inside", to)
        return Move(kind, who, when, to, origin, details), ev

    def count(
        self, roll: str, place: str, when: datetime, attempt: int = 1, short: int = 0
    ) -> tuple[RecordCount, Counted]:
        """A count of ``place`` (``short`` fewer than the register says)."""
        expected = self.occupancy[place]
        counted = max(0, expected - short)
        result = "matched" if counted == expected else "recount" if attempt == 1 else "unresolved"
        t = format_time(when)
        command = RecordCount(roll, place, counted, COUNTERS, when)
        return command, Counted(roll, place, counted, expected, list(COUNTERS), t, attempt, result)


# --- Plan: how many entries each phase writes, and when ----------------------------------------


@dataclass(frozen=True)
class Plan:
    people: int
    events: int
    layout: Layout
    run_moves: int  # movements through FacilityService.run
    session_moves: int  # through Session.add
    bulk_moves: int  # the rest, up to ``events``
    run_counts: int  # first roll call's counts through the service

    @property
    def moves(self) -> int:
        return self.run_moves + self.session_moves + self.bulk_moves

    @property
    def open_counts(self) -> int:
        """Places counted in the last roll (left open): half of them."""
        return len(self.layout.places) // 2

    @property
    def recounts(self) -> int:
        return min(20, self.open_counts // 4)

    @property
    def unresolved(self) -> int:
        return self.recounts // 4

    def move_time(self, k: int) -> datetime:
        span = (MOVE_TO - MOVE_FROM).total_seconds()
        return MOVE_FROM + timedelta(seconds=int(span * k / max(1, self.moves)))

    def admit_time(self, i: int) -> datetime:
        span = (ADMIT_TO - ADMIT_FROM).total_seconds()
        return ADMIT_FROM + timedelta(seconds=int(span * i / max(1, self.people)))


def make_plan(args: argparse.Namespace) -> Plan:
    layout = make_layout(args.people, args.blocks)
    places = len(layout.places)
    fixed = 1 + 6 + len(layout.blocks) + len(layout.cells) + args.people  # log, locations, admits
    rolls = 3 * (places + 2)  # three full roll calls (open, counts, cleared)
    plan = Plan(args.people, args.events, layout, args.run_moves, args.session_moves, 0, 0)
    last = 1 + plan.open_counts + plan.unresolved
    bulk = args.events - fixed - rolls - last - args.run_moves - args.session_moves
    if bulk < 0:
        raise SystemExit(f"--events {args.events:,} is too few for this plan (need {-bulk:,} more)")
    run_counts = min(args.run_counts, places - 1)
    return Plan(
        args.people, args.events, layout, args.run_moves, args.session_moves, bulk, run_counts
    )


# --- Writing ----------------------------------------------------------------------------------


def new_home(root: Path, name: str) -> App:
    return init_home(root / name, ORIGIN, party=PARTY, clock=FixedClock(NOW))


def chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def timed_chunks(items: Sequence[Any], size: int, write: Callable[[Sequence[Any]], Any]) -> Rates:
    rates = Rates()
    for part in chunks(items, size):
        start = time.perf_counter()
        write(part)
        rates.add(len(part), time.perf_counter() - start)
    return rates


@dataclass
class Rates:
    """Items per second over a series of transactions."""

    items: int = 0
    seconds: float = 0.0
    per_chunk: list[float] = field(default_factory=list)

    def add(self, items: int, seconds: float) -> None:
        self.items += items
        self.seconds += seconds
        self.per_chunk.append(items / seconds)

    @property
    def overall(self) -> float:
        return self.items / self.seconds if self.seconds else 0.0

    @property
    def median(self) -> float:
        return statistics.median(self.per_chunk) if self.per_chunk else 0.0

    def first_last(self) -> str:
        if len(self.per_chunk) < 2:
            return "-"
        return f"{self.per_chunk[0]:,.0f} → {self.per_chunk[-1]:,.0f}"


def run_commands(app: App, commands: Sequence[Any]) -> tuple[str, ...]:
    return app.facility.run(commands, app.actor).created


def session_write(app: App, changes: Sequence[Change]) -> None:
    """One transaction: the changes numbered, encoded, projected and appended (Session.add)."""
    with app.storage.writer() as unit:
        session = app.facility.recorder.session(unit, actor=app.actor, now=app.clock.now())
        session.add(changes)
        session.close()


@dataclass
class LedgerWriter:
    """Appends changes as a session would (same drafts, same Encoder), without projecting."""

    app: App
    encode_s: float = 0.0
    append_s: float = 0.0

    def write(self, changes: Sequence[Change]) -> None:
        log = self.app.facility.recorder.log
        actor = EntryActor(self.app.actor.party, self.app.actor.user)
        stamp = format_time(self.app.clock.now())
        with self.app.storage.writer() as unit:
            start = time.perf_counter()
            drafts = [Draft(s, ev.TYPE, actor, ev.to_data(), stamp) for s, ev in changes]
            rows = Encoder(unit.ledger).encode(drafts)
            middle = time.perf_counter()
            log.append_encoded(unit.ledger, rows, stamp)
            self.encode_s += middle - start
            self.append_s += time.perf_counter() - middle


@dataclass
class WriteResults:
    admit: dict[str, Rates] = field(default_factory=dict)
    move: dict[str, Rates] = field(default_factory=dict)
    count_ms: list[float] = field(default_factory=list)
    counts_session: Rates = field(default_factory=Rates)
    ledger_split: tuple[float, float] = (0.0, 0.0)
    locations_s: float = 0.0
    kinds: dict[str, int] = field(default_factory=dict)
    build_s: float = 0.0


def say(text: str) -> None:
    print(text, flush=True)


def admissions(plan: Plan, sim: Sim, app: App, chunk: int) -> Rates:
    """Admit everyone through FacilityService.run (numbers given by the service)."""
    rng = random.Random(7)
    cells = plan.layout.cells
    commands = []
    for i in range(plan.people):
        cell = cells[i % len(cells)]
        when = plan.admit_time(i)
        commands.append(Admit("", "detainee", person_record(i, when, rng), cell, when))
    rates = Rates()
    for part in chunks(commands, chunk):
        start = time.perf_counter()
        created = run_commands(app, part)
        rates.add(len(part), time.perf_counter() - start)
        for number, command in zip(created, part, strict=True):
            sim.admitted(number, command.location)
        if len(rates.per_chunk) % 10 == 0:
            say(f"  admitted {rates.items:,}: {rates.per_chunk[-1]:,.0f}/s in the last chunk")
    expected = [f"D-{i + 1:06d}" for i in range(plan.people)]
    assert list(sim.location) == expected, "the service numbered people unexpectedly"
    return rates


def admission_baselines(
    app: App, plan: Plan, root: Path, chunk: int, runs: int
) -> dict[str, Rates]:
    """The same person_admitted entries through Session.add and through the ledger alone."""
    with app.storage.reader() as view:
        size = view.ledger.size()
        rows = [e for e in view.ledger.entries(0, size) if e.type == "registry.person_admitted"]
    changes: list[Change] = [
        (e.stream, decode_event(e.type, json.loads(e.body)["data"])) for e in rows
    ]
    results: dict[str, Rates] = {}

    home = new_home(root, "admit-session")
    run_commands(home, plan.layout.commands())
    say(f"  Session.add of the same {len(changes):,} admissions (fresh home, same places)…")
    results["session"] = timed_chunks(changes, chunk, lambda part: session_write(home, part))
    home.close()

    full: list[Rates] = []
    encoded_only: list[Rates] = []
    for run in range(runs):
        home = new_home(root, f"admit-ledger-{run}")
        actor = EntryActor(home.actor.party, home.actor.user)
        stamp = format_time(NOW)
        drafts = [Draft(s, ev.TYPE, actor, ev.to_data(), stamp) for s, ev in changes]

        full.append(timed_chunks(drafts, chunk, partial(_append, home, stamp)))
        home.close()

        home = new_home(root, f"admit-encoded-{run}")
        with home.storage.reader() as view:
            encoded = Encoder(view.ledger).encode(drafts)

        encoded_only.append(timed_chunks(encoded, chunk, partial(_append_encoded, home, stamp)))
        home.close()
    results["ledger"] = _median_run(full)
    results["encoded"] = _median_run(encoded_only)
    body = statistics.mean(len(e.body) for e in rows)
    say(f"  entries of {body:,.0f} bytes on average")
    return results


def _append(home: App, stamp: str, part: Sequence[Draft]) -> None:
    with home.storage.writer() as unit:
        home.facility.recorder.log.append(unit.ledger, part, stamp)


def _append_encoded(home: App, stamp: str, part: Sequence[StoredEntry]) -> None:
    with home.storage.writer() as unit:
        home.facility.recorder.log.append_encoded(unit.ledger, part, stamp)


def _median_run(runs: list[Rates]) -> Rates:
    return sorted(runs, key=lambda r: r.overall)[len(runs) // 2]


def roll_changes(sim: Sim, roll: str, when: datetime, places: Sequence[str]) -> list[Change]:
    """Counts of ``places`` (all matching) for an open roll."""
    stream = roll_stream(roll)
    return [(stream, sim.count(roll, place, when)[1]) for place in places]


def bulk(plan: Plan, sim: Sim, start_k: int) -> Iterator[Change]:
    """The rest of the ledger in time order: movements, two full roll calls, the open one."""
    marks = {start_k + plan.bulk_moves // 3: "R-0002", start_k + 2 * plan.bulk_moves // 3: "R-0003"}
    for k in range(start_k, start_k + plan.bulk_moves):
        if k in marks:
            roll, when = marks[k], plan.move_time(k) + timedelta(seconds=1)
            yield roll_stream(roll), RollOpened(roll, FACILITY, FACILITY, format_time(when))
            yield from roll_changes(sim, roll, when, plan.layout.places)
            yield roll_stream(roll), RollCleared(roll, format_time(when))
        command, ev = sim.move(plan.move_time(k))
        yield person_stream(command.person), ev
    # The last roll call: half the places counted, some short (recount), a few twice short.
    roll, stream = "R-0004", roll_stream("R-0004")
    yield stream, RollOpened(roll, FACILITY, FACILITY, format_time(LAST_ROLL))
    counted = plan.layout.places[: plan.open_counts]
    short = [p for p in counted if sim.occupancy[p] > 0][: plan.recounts]
    when = LAST_ROLL + timedelta(minutes=15)
    for place in counted:
        yield stream, sim.count(roll, place, when, short=1 if place in short else 0)[1]
    for place in short[: plan.unresolved]:
        yield stream, sim.count(roll, place, when + timedelta(minutes=10), 2, short=1)[1]


def build(plan: Plan, app: App, root: Path, args: argparse.Namespace) -> tuple[Sim, WriteResults]:
    out = WriteResults()
    sim = Sim(plan.layout, random.Random(11))
    build_start = time.perf_counter()

    say(
        f"locations: 1 facility, {len(plan.layout.blocks)} blocks, {len(plan.layout.cells):,} cells"
    )
    start = time.perf_counter()
    for part in chunks(plan.layout.commands(), args.chunk):
        run_commands(app, part)
    out.locations_s = time.perf_counter() - start

    say(f"admitting {plan.people:,} people through FacilityService.run, {args.chunk} a run…")
    out.admit["run"] = admissions(plan, sim, app, args.chunk)
    say("ledger and session baselines for the same admissions…")
    out.admit |= admission_baselines(app, plan, root, args.chunk, args.runs)

    say(f"{plan.run_moves:,} movements through FacilityService.run…")
    k = 0
    moves = [sim.move(plan.move_time(k + i))[0] for i in range(plan.run_moves)]
    k += plan.run_moves
    out.move["run"] = timed_chunks(moves, args.chunk, lambda part: run_commands(app, part))

    say(f"roll call R-0001: {plan.run_counts} counts through the service, the rest by a session…")
    when = plan.move_time(k) + timedelta(seconds=1)
    (roll,) = run_commands(app, [OpenRoll("", FACILITY, when)])
    assert roll == "R-0001", roll
    places = plan.layout.places
    for place in places[: plan.run_counts]:
        command, _ = sim.count(roll, place, when)
        start = time.perf_counter()
        run_commands(app, [command])
        out.count_ms.append((time.perf_counter() - start) * 1000)
    rest = roll_changes(sim, roll, when, places[plan.run_counts :])
    rest.append((roll_stream(roll), RollCleared(roll, format_time(when))))
    out.counts_session = timed_chunks(rest, args.chunk, lambda part: session_write(app, part))

    say(f"{plan.session_moves:,} movements through Session.add…")
    changes: list[Change] = []
    for i in range(plan.session_moves):
        move, ev = sim.move(plan.move_time(k + i))
        changes.append((person_stream(move.person), ev))
    k += plan.session_moves
    out.move["session"] = timed_chunks(changes, args.chunk, lambda part: session_write(app, part))

    how = "Session.add" if args.fill == "live" else "the ledger alone (Log.append_encoded)"
    say(f"{plan.bulk_moves:,} more movements and 3 roll calls through {how}…")
    ledger = LedgerWriter(app)
    write = (lambda part: session_write(app, part)) if args.fill == "live" else ledger.write
    rates = Rates()
    stream = bulk(plan, sim, k)
    while True:
        part = list(itertools.islice(stream, args.chunk))
        if not part:
            break
        start = time.perf_counter()
        write(part)
        rates.add(len(part), time.perf_counter() - start)
        if len(rates.per_chunk) % 100 == 0:
            say(f"  {rates.items:,} entries at {rates.overall:,.0f}/s")
    out.move["bulk"] = rates
    out.ledger_split = (ledger.encode_s, ledger.append_s)
    out.kinds = dict(sim.kinds)
    with app.storage.reader() as view:
        size = view.ledger.size()
    # The movements run through the service owe notifications for their deaths, escapes and
    # transfers (Mandela Rules 68-71): entries beyond the plan's count, in the same transactions.
    with app.storage.reader() as view:
        owed = view.cases.count("notifications")
    assert size == plan.events + owed, (size, plan.events, owed)
    out.build_s = time.perf_counter() - build_start
    say(f"built: {size:,} entries ({owed:,} of them notifications owed) in {out.build_s:,.0f} s")
    return sim, out


# --- Checking the projections -------------------------------------------------------------


def connect(home: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{home / DB_FILE}?mode=ro", uri=True)


def check_against(home: Path, sim: Sim, plan: Plan) -> None:
    """The rebuilt projections say what the simulation says."""
    conn = connect(home)
    try:
        people = {
            n: (s, loc)
            for n, s, loc in conn.execute("SELECT number, status, location FROM fac_people")
        }
        want = {n: (sim.status[n], sim.location[n]) for n in sim.status}
        assert people == want, f"{sum(people.get(n) != v for n, v in want.items())} people differ"
        occupancy = dict(
            conn.execute("SELECT location, n FROM fac_occupancy WHERE category = 'detainee'")
        )
        wrong = [p for p, n in sim.occupancy.items() if occupancy.get(p, 0) != n]
        assert not wrong, f"occupancy differs at {wrong[:5]}"
        rolls = dict(conn.execute("SELECT id, status FROM fac_rolls"))
        want_rolls = {"R-0001": "cleared", "R-0002": "cleared", "R-0003": "cleared"}
        assert rolls == want_rolls | {"R-0004": "open"}, rolls
        (tallies,) = conn.execute(
            "SELECT count(*) FROM fac_tallies WHERE roll = 'R-0004'"
        ).fetchone()
        assert tallies == plan.open_counts, tallies
    finally:
        conn.close()


def digest(home: Path) -> str:
    """One hash of every projection table's rows in key order."""
    h = hashlib.sha256()
    conn = connect(home)
    try:
        for name, t in FACILITY_TABLES.items():
            keys = ", ".join(c.name for c in t.primary_key.columns)
            for row in conn.execute(f"SELECT * FROM {name} ORDER BY {keys}"):
                h.update(repr(row).encode())
    finally:
        conn.close()
    return h.hexdigest()


# --- Reading ----------------------------------------------------------------------------------


def latencies(calls: int, fn: Callable[[], object]) -> list[float]:
    fn()  # warm: the first call pays for compiling statements and filling caches
    out = []
    for _ in range(calls):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def p95(values: Sequence[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) > 1 else values[0]


def profile_rows(fn: Callable[[], object], top: int = 12) -> tuple[float, list[list[str]]]:
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.runcall(fn)
    wall = time.perf_counter() - start
    stats = pstats.Stats(profiler, stream=io.StringIO())
    total = stats.total_tt  # type: ignore[attr-defined]
    rows = []
    entries = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])  # type: ignore[attr-defined]
    for (path, line, name), (_, calls, tottime, cumtime, _) in entries[:top]:
        where = f"{Path(path).name}:{line}({name})" if line else name
        share = f"{tottime / total:.0%}" if total else "-"
        rows.append([where, f"{calls:,}", f"{tottime:.3f}", f"{cumtime:.3f}", share])
    return wall, rows


PROFILE_HEADER = ["function", "calls", "own s", "cumulative s", "share"]


def roll_status_parts(app: App, calls: int) -> list[list[str]]:
    """Where a roll status's time goes: each query it makes, timed alone (the rest is Python)."""
    facility = app.facility
    since = "2026-01-19T21:00:00Z"
    block_kinds = ("block", "wing", *HOLDING_KINDS)
    with app.storage.reader() as view:
        v = view.facility
        latest = v.latest_roll(FACILITY)
        assert latest is not None
        scope = v.location(latest.scope)
        scope_path = scope.path if scope else None
        parts: list[tuple[str, Callable[[], object]]] = [
            (
                "default_facility: the locations of kind 'facility'",
                partial(facility.default_facility, v),
            ),
            (
                "location(facility) + latest_roll",
                lambda: (v.location(FACILITY), v.latest_roll(FACILITY)),
            ),
            (
                "block level: place_groups (every cell summed per block in SQL)",
                lambda: v.place_groups(FACILITY, latest.id, scope_path),
            ),
            (
                "cell level: holding_places (every place's capacity and tally)",
                lambda: v.holding_places(FACILITY, latest.id),
            ),
            ("population(facility): people by category and status", lambda: v.population(FACILITY)),
            ("flows(since midnight, facility)", lambda: v.flows(since, FACILITY)),
            (
                "shortfalls of the open roll, with their occupancy",
                lambda: v.shortfalls(latest.id),
            ),
            (
                "block level: locations(blocks and places under the facility)",
                lambda: v.locations(FACILITY, block_kinds, parent=FACILITY),
            ),
            (
                "cell level: locations(every holding place) with occupancy",
                lambda: v.locations(FACILITY, HOLDING_KINDS),
            ),
        ]
        rows = []
        for name, fn in parts:
            ms = statistics.median(latencies(calls, fn))
            rows.append([name, f"{ms:.1f}"])
    return rows


def roll_status_floor(home: Path, calls: int) -> list[list[str]]:
    """What a block-level roll status needs, asked of SQLite as aggregates (raw sqlite3).

    Not the service's code: an estimate of the floor if the block rows were summed in SQL
    instead of loading every cell. Cells hang directly under blocks here (no wings).
    """
    conn = connect(home)
    (roll,) = conn.execute(
        "SELECT id FROM fac_rolls WHERE facility = ? ORDER BY seq DESC LIMIT 1", (FACILITY,)
    ).fetchone()
    holding = "kind IN ('cell', 'post', 'reception') AND state = 'active'"
    queries: list[tuple[str, str, tuple[str, ...]]] = [
        (
            "the facility: WHERE kind = 'facility'",
            "SELECT id FROM fac_locations WHERE kind = 'facility'",
            (),
        ),
        (
            "blocks with their occupancy",
            "SELECT l.id, o.category, o.n FROM fac_locations l LEFT JOIN fac_occupancy o "
            "ON o.location = l.id WHERE l.parent = ?",
            (FACILITY,),
        ),
        (
            "capacities and places counted, summed per block",
            "SELECT parent, sum(certified), sum(working), sum(maximum), count(*) "
            f"FROM fac_locations WHERE facility = ? AND {holding} GROUP BY parent",
            (FACILITY,),
        ),
        (
            "population WHERE facility = ?: index (facility, category, status)",
            "SELECT category, status, count(*) FROM fac_people WHERE facility = ? "
            "GROUP BY category, status",
            (FACILITY,),
        ),
        (
            "flows since midnight",
            "SELECT category, direction, count(*) FROM fac_movements WHERE time >= ? "
            "AND direction != '' GROUP BY category, direction",
            ("2026-01-19T21:00:00Z",),
        ),
        (
            "latest roll's tallies summed per block and status",
            "SELECT l.parent, t.status, count(*), sum(t.expected), sum(t.counted) "
            "FROM fac_tallies t JOIN fac_locations l ON l.id = t.location WHERE t.roll = ? "
            "GROUP BY l.parent, t.status",
            (roll,),
        ),
    ]
    rows = []
    total = 0.0
    for name, sql, params in queries:
        conn.execute(sql, params).fetchall()
        times = []
        for _ in range(calls):
            start = time.perf_counter()
            found = conn.execute(sql, params).fetchall()
            times.append((time.perf_counter() - start) * 1000)
        ms = statistics.median(times)
        total += ms
        rows.append([name, f"{len(found):,}", f"{ms:.2f}"])
    conn.close()
    rows.append(["**sum**", "", f"**{total:.1f}**"])
    return rows


class _Rollback(Exception):
    """Raised to leave a write unit without committing."""


def rebuild_diagnostics(app: App, home: Path, median_s: float) -> list[list[str]]:
    """Where a rebuild's time goes, and what two changes would save (nothing is committed).

    The replay is a copy of ``projector.rebuild``'s loop with timers, reading in its own
    transaction; the bulk load is timed as now (``SqlFacilityStore.load``) and with plain
    sqlite3 ``executemany`` of tuples, with and without dropping the projection indexes
    first and creating them after; each load is rolled back. Then one real rebuild with the
    cyclic garbage collector off (``rebuild`` now turns it off itself).
    """
    rows: list[list[str]] = []

    def row(name: str, seconds: float) -> None:
        rows.append([name, f"{seconds:.1f}", f"{seconds / median_s:.0%}"])

    sink = MemorySink()
    read = decode = project = 0.0
    with app.storage.reader() as view:
        size = view.ledger.size()
        for first in range(0, size, REBUILD_CHUNK):
            t0 = time.perf_counter()
            entries = list(view.ledger.entries(first, min(size, first + REBUILD_CHUNK)))
            t1 = time.perf_counter()
            batch = [(e, decode_event(e.type, json.loads(e.body)["data"])) for e in entries]
            t2 = time.perf_counter()
            for entry, ev in batch:
                project_facility(sink, entry, ev)
            t3 = time.perf_counter()
            read, decode, project = read + t1 - t0, decode + t2 - t1, project + t3 - t2
    row("replay: read entries (SQLAlchemy)", read)
    row("replay: json.loads + decode_event", decode)
    row("replay: project into MemorySink (the handlers)", project)

    try:
        with app.storage.writer() as unit:
            t0 = time.perf_counter()
            unit.facility.clear()
            t1 = time.perf_counter()
            for name, table_rows in sink.tables.items():
                unit.facility.load(name, table_rows.values())
            t2 = time.perf_counter()
            raise _Rollback
    except _Rollback:
        pass
    row("clear the projection tables", t1 - t0)
    row("bulk load as now: SqlFacilityStore.load", t2 - t1)
    for drop in (False, True):
        conn = sqlite3.connect(home / DB_FILE, isolation_level=None)
        conn.execute("PRAGMA busy_timeout=10000")
        conn.execute("BEGIN IMMEDIATE")
        for name in FACILITY_TABLES:
            conn.execute(f"DELETE FROM {name}")
        start = time.perf_counter()
        indexes = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name LIKE 'fac\\_%' ESCAPE '\\'"
        ).fetchall()
        for index, _ in indexes if drop else []:
            conn.execute(f"DROP INDEX {index}")
        for name, table_rows in sink.tables.items():
            columns = [c.name for c in FACILITY_TABLES[name].columns]
            marks = ", ".join("?" * len(columns))
            sql = f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({marks})"
            conn.executemany(sql, ([r[c] for c in columns] for r in table_rows.values()))
        for _, sql in indexes if drop else []:
            conn.execute(sql)
        seconds = time.perf_counter() - start
        conn.execute("ROLLBACK")
        conn.close()
        what = "; indexes dropped, then created" if drop else ""
        row(f"alternative bulk load: sqlite3 executemany of tuples{what}", seconds)
    del sink
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        rebuild(app.storage)
        row("alternative: the whole rebuild() with gc.disable()", time.perf_counter() - start)
    finally:
        gc.enable()
    return rows


def search_path(text: str) -> str:
    """How the SQLite store looks ``text`` up (the rule of ``SqlFacilityStore.search``)."""
    return "FTS5 trigram index" if len(fold(text)) >= MIN_INDEXED else "LIKE scan"


def searches(people: int) -> list[tuple[str, str]]:
    """(label, text) of each search: name fragments in both scripts, numbers, no match."""
    number = f"D-{max(1, people * 5 // 8):06d}"
    return [
        ("Arabic, common family-name fragment", "حسن"),
        ("Arabic, family-name fragment, 4 letters", "خطيب"),
        ("Arabic, same with vowel marks", "خَطِيب"),
        ("Arabic, with hamza (folds to bare alef)", "إبراه"),
        ("Arabic, rare family name", "طنبور"),
        ("Latin, common fragment", "hass"),
        ("Latin, fragment", "Khat"),
        ("Latin, rare family name", "tanbou"),
        ("number, in full", number),
        ("number, partial", number[-5:-1]),
        ("no match", "zqxj"),
        ("two letters, no match (below a trigram)", "zq"),
    ]


@dataclass
class ReadResults:
    rebuild_s: list[float] = field(default_factory=list)
    rebuild_profile: tuple[float, list[list[str]]] | None = None
    rebuild_phases: list[list[str]] = field(default_factory=list)
    roll_floor: list[list[str]] = field(default_factory=list)
    roll: dict[str, list[float]] = field(default_factory=dict)
    roll_parts: list[list[str]] = field(default_factory=list)
    roll_profile: tuple[float, list[list[str]]] | None = None
    search: list[tuple[str, str, int, int, list[float]]] = field(default_factory=list)
    search_profile: tuple[float, list[list[str]]] | None = None


def reads(app: App, home: Path, args: argparse.Namespace, out: ReadResults) -> None:
    people = args.people
    say(f"roll status, {args.calls} calls per level…")
    for level in ("block", "cell"):
        out.roll[level] = latencies(
            args.calls, partial(app.facility.roll_status, level=level, cached=False)
        )
        out.roll[f"{level}, cached"] = latencies(
            args.calls, partial(app.facility.roll_status, level=level)
        )
    status = app.facility.roll_status()
    say("  " + json.dumps(status["total"]) + " roll " + json.dumps(status["roll"]))
    out.roll_parts = roll_status_parts(app, args.calls)
    if statistics.median(out.roll["block"]) > TARGET_ROLL_MS and args.profile:
        out.roll_profile = profile_rows(app.facility.roll_status)
        out.roll_floor = roll_status_floor(home, args.calls)

    say(f"search, {args.calls} calls per query…")
    conn = connect(home)
    for label, text in searches(people):
        folded = fold(text)
        pattern = "%" + folded + "%"
        (matches,) = conn.execute(
            "SELECT count(*) FROM fac_people WHERE search LIKE ?", (pattern,)
        ).fetchone()
        hits = len(app.facility.search(text))
        times = latencies(args.calls, partial(app.facility.search, text))
        out.search.append((label, text, hits, matches, times))
    conn.close()
    worst = max(out.search, key=lambda s: statistics.median(s[4]))
    if statistics.median(worst[4]) > TARGET_SEARCH_MS and args.profile:
        out.search_profile = profile_rows(lambda: app.facility.search(worst[1]))


# --- Report -----------------------------------------------------------------------------------


def fmt_ms(values: Sequence[float]) -> tuple[str, str]:
    return f"{statistics.median(values):.1f}", f"{p95(values):.1f}"


def report(
    plan: Plan, w: WriteResults | None, r: ReadResults, args: argparse.Namespace, total_s: float
) -> None:
    targets: list[list[str]] = []
    if w is not None:
        raw = w.admit["ledger"]
        paths = [
            ("ledger: Log.append_encoded (pre-encoded)", w.admit["encoded"]),
            ("ledger: Log.append (RFC 8785 encoding, hash, sign, commit)", raw),
            ("Session.add: + project (no reads, no decisions)", w.admit["session"]),
            ("FacilityService.run: + read state, decide (the domain layer)", w.admit["run"]),
        ]
        print(
            table(
                f"Admitting {plan.people:,} people, {args.chunk} per transaction "
                f"(ledger rows: median of {args.runs} runs)",
                [
                    "write path",
                    "admissions/s",
                    "median chunk",
                    "first → last chunk",
                    "share of raw ledger",
                    "x slower than ledger",
                ],
                [
                    [
                        name,
                        f"{x.overall:,.0f}",
                        f"{x.median:,.0f}",
                        x.first_last(),
                        f"{x.overall / raw.overall:.1%}",
                        f"{raw.overall / x.overall:.1f}",
                    ]
                    for name, x in paths
                ],
            )
        )
        admit = w.admit["run"]
        targets.append(
            [
                f"admit {plan.people:,} people (rate)",
                f"{admit.overall:,.0f} admissions/s ({admit.seconds:,.0f} s); "
                f"{admit.overall / raw.overall:.1%} of the raw ledger append",
                "reported (no target)",
            ]
        )
        bulk = w.move["bulk"]
        bulk_name = (
            "Session.add (the rest of the ledger)"
            if args.fill == "live"
            else "ledger alone: Encoder + Log.append_encoded (the rest of the ledger)"
        )
        mrows = [
            ("FacilityService.run", w.move["run"]),
            ("Session.add (project + append)", w.move["session"]),
            (bulk_name, bulk),
        ]
        print(
            table(
                f"Movements, {args.chunk} per transaction",
                [
                    "write path",
                    "entries",
                    "entries/s",
                    "median chunk",
                    "x slower than the last row",
                ],
                [
                    [
                        name,
                        f"{x.items:,}",
                        f"{x.overall:,.0f}",
                        f"{x.median:,.0f}",
                        f"{bulk.overall / x.overall:.1f}",
                    ]
                    for name, x in mrows
                ],
            )
        )
        if args.fill != "live":
            enc, app_s = w.ledger_split
            print(
                f"Ledger-alone fill: encoding {enc:,.1f} s, append_encoded (hash, tree, sign, "
                f"write) {app_s:,.1f} s, commit and the rest {bulk.seconds - enc - app_s:,.1f} s."
            )
        kinds = ", ".join(f"{k} {n:,}" for k, n in sorted(w.kinds.items(), key=lambda kv: -kv[1]))
        print(f"Movements by kind: {kinds}.")
        cm = statistics.median(w.count_ms)
        places = len(plan.layout.places)
        print(
            f"Roll-call counts through FacilityService.run, one per transaction, at {places:,} "
            f"places: median {cm:,.0f} ms each ({len(w.count_ms)} counts; a full roll call "
            f"would take ~{cm * places / 60000:,.0f} min); through Session.add: "
            f"{w.counts_session.overall:,.0f} counts/s. Locations added in {w.locations_s:.1f} s. "
            f"Build {w.build_s:,.0f} s.\n"
        )

    if r.rebuild_s:
        targets.append(rebuild_report(plan, r))
    if args.only != "rebuild":
        targets += read_report(plan, r, args)
    print(table("Targets", ["target", "measured", "verdict"], targets))
    print(
        f"SQLite {sqlite3.sqlite_version}; Python {sys.version.split()[0]}; total {total_s:,.0f} s"
    )


def rebuild_report(plan: Plan, r: ReadResults) -> list[str]:
    """Print the rebuild tables; return its row of the targets table."""
    runs = r.rebuild_s
    med = statistics.median(runs)
    verdict = "met" if med < TARGET_REBUILD_S else "**not met**"
    print(
        table(
            f"Projection rebuild from the ledger ({plan.events:,} entries)",
            ["runs (s)", "median s", "entries/s", f"target < {TARGET_REBUILD_S:.0f} s"],
            [
                [
                    ", ".join(f"{s:.1f}" for s in runs),
                    f"{med:.1f}",
                    f"{plan.events / med:,.0f}",
                    verdict,
                ]
            ],
        )
    )
    if r.rebuild_phases:
        print(
            table(
                "Rebuild phase by phase, and alternatives (share of the median rebuild)",
                ["phase", "s", "share"],
                r.rebuild_phases,
            )
        )
    if r.rebuild_profile:
        wall, rows = r.rebuild_profile
        print(
            table(
                f"cProfile of one rebuild ({wall:.1f} s under the profiler)", PROFILE_HEADER, rows
            )
        )
    return [
        f"rebuild projections from {plan.events:,} entries < 30 s",
        f"{med:.1f} s median of {len(runs)} ({plan.events / med:,.0f} entries/s)",
        verdict,
    ]


def read_report(plan: Plan, r: ReadResults, args: argparse.Namespace) -> list[list[str]]:
    """Print the roll-status and search tables; return their rows of the targets table."""
    targets: list[list[str]] = []
    roll_rows = [
        [
            f"roll_status(level={level.split(',')[0]!r}"
            + (", cached: log unchanged)" if "cached" in level else ", cached=False)"),
            str(len(v)),
            *fmt_ms(v),
        ]
        for level, v in r.roll.items()
    ]
    print(
        table(
            f"Roll status at {len(plan.layout.places):,} places, {plan.people:,} people (ms)",
            ["call", "calls", "median ms", "p95 ms"],
            roll_rows,
        )
    )
    print(table("Its parts, each timed alone (median ms)", ["query", "median ms"], r.roll_parts))
    block = statistics.median(r.roll["block"])
    targets.append(
        [
            "roll status < 50 ms median",
            f"{block:.0f} ms (block level), "
            f"{statistics.median(r.roll['cell']):.0f} ms (cell level)",
            "met" if block < TARGET_ROLL_MS else "**not met**",
        ]
    )
    if r.roll_profile:
        wall, rows = r.roll_profile
        print(
            table(
                f"cProfile of one roll status ({wall * 1000:.0f} ms under the profiler)",
                PROFILE_HEADER,
                rows,
            )
        )
    if r.roll_floor:
        print(
            table(
                "What a block-level roll status needs, as SQL aggregates (raw sqlite3, median ms)",
                ["query", "rows", "median ms"],
                r.roll_floor,
            )
        )

    srows = [
        [label, text, search_path(text), f"{matches:,}", str(hits), *fmt_ms(t)]
        for label, text, hits, matches, t in r.search
    ]
    print(
        table(
            f"FacilityService.search over {plan.people:,} people ({args.calls} calls each)",
            ["query", "text", "path", "matching people", "returned", "median ms", "p95 ms"],
            srows,
        )
    )
    medians = {label: statistics.median(t) for label, *_, t in r.search}
    over = [label for label, ms in medians.items() if ms >= TARGET_SEARCH_MS]
    by_path: dict[str, list[float]] = {}
    for label, text, *_ in r.search:
        by_path.setdefault(search_path(text), []).append(medians[label])
    ranges = "; ".join(
        (f"{v[0]:.2f} ms" if len(v) == 1 else f"{min(v):.2f}-{max(v):.2f} ms ({len(v)} queries)")
        + f" by {path}"
        for path, v in by_path.items()
    )
    targets.append(
        [
            "search by partial name (Arabic or Latin) < 20 ms median",
            ranges,
            "met"
            if not over
            else f"**not met** for {len(over)} of {len(medians)} queries ({'; '.join(over)})",
        ]
    )
    if r.search_profile:
        wall, rows = r.search_profile
        print(
            table(
                f"cProfile of one slow search ({wall * 1000:.0f} ms under the profiler)",
                PROFILE_HEADER,
                rows,
            )
        )
    return targets


# --- Main ---------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--events", type=int, default=1_000_000, help="ledger entries in all")
    parser.add_argument("--blocks", type=int, default=16)
    parser.add_argument("--chunk", type=int, default=1000, help="commands/entries per transaction")
    parser.add_argument(
        "--run-moves", type=int, default=20_000, help="movements through the service"
    )
    parser.add_argument("--session-moves", type=int, default=20_000, help="through Session.add")
    parser.add_argument(
        "--run-counts", type=int, default=30, help="roll-call counts through the service"
    )
    parser.add_argument(
        "--fill", choices=("ledger", "live"), default="ledger", help="how the rest is written"
    )
    parser.add_argument("--runs", type=int, default=3, help="runs of the ledger baselines")
    parser.add_argument("--rebuild-runs", type=int, default=3)
    parser.add_argument("--calls", type=int, default=50, help="calls per read measurement")
    parser.add_argument("--no-profile", dest="profile", action="store_false")
    parser.add_argument("--home", type=Path, help="build here and keep it; if built, reuse it")
    parser.add_argument(
        "--only",
        choices=("rebuild", "reads"),
        help="measure only the rebuild, or only roll status and search (needs a --home that a "
        "first run has built)",
    )
    args = parser.parse_args()

    started = time.perf_counter()
    plan = make_plan(args)
    scratch = Path(tempfile.mkdtemp(prefix="amanah-bench-facility-"))
    try:
        home = args.home or scratch / "home"
        writes: WriteResults | None = None
        sim: Sim | None = None
        if (home / "amanah.toml").exists():
            say(f"reusing the data home {home} (no write measurements)")
            app = open_app(home, clock=FixedClock(NOW))
            with app.storage.reader() as view:
                size = view.ledger.size()
            if size < plan.events:
                raise SystemExit(
                    f"{home} holds {size:,} entries, fewer than --events {plan.events:,}"
                )
            if size > plan.events:  # logins and the access log's anchors add a few
                say(f"  it holds {size - plan.events:,} entries beyond the {plan.events:,} built")
        elif args.only:
            raise SystemExit(f"--only {args.only} needs a built home: run once with --home DIR")
        else:
            app = init_home(home, ORIGIN, party=PARTY, clock=FixedClock(NOW))
            sim, writes = build(plan, app, scratch, args)
        r = ReadResults()
        live = digest(home) if sim is not None and args.fill == "live" else ""
        first = ""
        for run in range(0 if args.only == "reads" else args.rebuild_runs):
            start = time.perf_counter()
            rebuild(app.storage)
            r.rebuild_s.append(time.perf_counter() - start)
            say(f"rebuild {run + 1}: {r.rebuild_s[-1]:.1f} s")
            if run == 0:
                if sim is not None:
                    check_against(home, sim, plan)
                    say("  projections agree with the simulation")
                first = digest(home)
                assert not live or live == first, "the rebuild differs from the live projections"
            else:
                assert digest(home) == first, "a rebuild differs from the first"
        median_s = statistics.median(r.rebuild_s) if r.rebuild_s else 0.0
        if median_s > TARGET_REBUILD_S and args.profile:
            say("rebuild: cProfile and phases…")
            r.rebuild_profile = profile_rows(lambda: rebuild(app.storage))
            r.rebuild_phases = rebuild_diagnostics(app, home, median_s)
        if first:
            say(f"projection digest: {first}")
        if args.only != "rebuild":
            reads(app, home, args, r)
        app.close()
        print()
        report(plan, writes, r, args, time.perf_counter() - started)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
