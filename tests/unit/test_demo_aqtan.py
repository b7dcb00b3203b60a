"""The synthetic al-Aqtan week: deterministic, complete, and accepted by the real service."""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest

from amanah.clock import FixedClock
from amanah.demo import aqtan
from amanah.domain.movements.commands import Move
from amanah.domain.registry import record as records
from amanah.domain.registry.commands import AddLocation, Admit
from amanah.domain.rollcount.commands import OpenRoll, RecordCount, Resolve
from amanah.domain.shared import Actor
from amanah.ledger.log import Log
from amanah.ledger.signing import Ed25519Signer, Ed25519Verifier, generate_key
from amanah.services.dispatch import Recorder
from amanah.services.facility import FacilityService, ResolveWith
from amanah.services.ledger import LedgerService
from amanah.services.ports import Storage
from amanah.services.projector import rebuild
from amanah.storage.units import open_storage

ARABIC = re.compile(r"[\u0600-\u06FF]")
ORIGIN = "amanah.example/sy11/al-aqtan"
ACTOR = Actor("al-Aqtan prison administration", "demo")


@pytest.fixture(scope="module")
def scenario() -> aqtan.Scenario:
    return aqtan.scenario()


def admitted(s: aqtan.Scenario, category: str) -> list[Admit]:
    return [c for c in s.commands if isinstance(c, Admit) and c.category == category]


def names(s: aqtan.Scenario) -> list[str]:
    return [c.record["name_latin"] for c in s.commands if isinstance(c, Admit)]


def when(command: object) -> datetime | None:
    if isinstance(command, ResolveWith):
        return command.resolve.time
    moment = getattr(command, "time", None)
    return moment if isinstance(moment, datetime) else None


# --- The commands ---------------------------------------------------------------------------


def test_same_seed_gives_the_same_commands(scenario: aqtan.Scenario) -> None:
    again = aqtan.scenario(aqtan.SEED)
    assert again.commands == scenario.commands
    assert again.summary == scenario.summary


def test_another_seed_gives_other_people(scenario: aqtan.Scenario) -> None:
    other = aqtan.scenario(aqtan.SEED + 1)
    assert len(admitted(other, "detainee")) == aqtan.DETAINEES
    ours, theirs = names(scenario), names(other)
    assert ours != theirs
    assert len(set(ours) & set(theirs)) < len(ours) // 2


def test_the_notice_says_synthetic_in_both_languages(scenario: aqtan.Scenario) -> None:
    assert scenario.notice == aqtan.NOTICE
    assert "Synthetic data" in aqtan.NOTICE
    assert "none is a real person" in aqtan.NOTICE
    assert "بيانات اصطناعية" in aqtan.NOTICE
    assert aqtan.__doc__ is not None
    assert "Synthetic data" in aqtan.__doc__
    assert "بيانات اصطناعية" in aqtan.__doc__


def test_the_facility_has_eight_blocks_of_cells_and_staff_posts(
    scenario: aqtan.Scenario,
) -> None:
    places = [c for c in scenario.commands if isinstance(c, AddLocation)]
    (facility,) = [p for p in places if p.kind == "facility"]
    assert (facility.id, facility.adm1, facility.adm2) == ("AQ", "SY11", "SY1101")
    assert facility.name_ar == "سجن الأقطان"
    assert 35.8 < float(facility.lat or "0") < 36.2  # Raqqa
    assert 38.8 < float(facility.lon or "0") < 39.2
    blocks = [p.id for p in places if p.kind == "block"]
    assert blocks == list("ABCDEFGH")
    cells = [p for p in places if p.kind == "cell"]
    assert {c.parent for c in cells} == set(blocks)
    for cell in cells:
        assert 0 < (cell.certified or 0) <= (cell.working or 0) <= (cell.maximum or 0)
    posts = {p.id for p in places if p.kind == "post"}
    assert {"AQ-GATE", "AQ-INF", "AQ-KIT", "AQ-TW1", "A-OFF", "H-OFF"} <= posts
    assert scenario.summary["blocks"] == 8
    assert scenario.summary["cells"] == len(cells)


def test_everyone_is_there(scenario: aqtan.Scenario) -> None:
    assert len(admitted(scenario, "detainee")) == aqtan.DETAINEES == 1500
    assert len(admitted(scenario, "staff")) == aqtan.STAFF == 312
    assert len(admitted(scenario, "other")) == aqtan.OTHERS == 6
    numbers = [c.number for c in scenario.commands if isinstance(c, Admit)]
    assert all(numbers), "every admission gives its number"
    assert len(set(numbers)) == len(numbers)
    summary = scenario.summary
    assert (summary["detainees"], summary["staff"], summary["others"]) == (1500, 312, 6)


def test_every_detainee_has_both_scripts_and_a_commitment_order(
    scenario: aqtan.Scenario,
) -> None:
    for admit in admitted(scenario, "detainee"):
        record = admit.record
        assert ARABIC.search(record["name_ar"]), admit.number
        assert record["name_latin"].strip()
        assert not ARABIC.search(record["name_latin"])
        commitment = record["commitment"]
        for field in ("order_ref", "grounds", "ordering_authority", "responsible_authority"):
            assert commitment[field].strip(), (admit.number, field)
        assert record["arrest"]["place"]
        assert record["arrest"]["authority"]
        assert records.validate("detainee", record)  # the register's own rules
    refs = [c.record["commitment"]["order_ref"] for c in admitted(scenario, "detainee")]
    assert len(set(refs)) == len(refs)
    assert len({ref.split("/")[0].split("-")[0] for ref in refs}) >= 3  # varied formats


def test_the_two_scripts_of_a_name_agree(scenario: aqtan.Scenario) -> None:
    """Names are put together from (Arabic, Latin) pairs: among Syrians, one Arabic full
    name is always transliterated the same way, and one Latin name has one Arabic form."""
    syrians = [c.record for c in admitted(scenario, "detainee") if c.record["nationality"] == "SY"]
    latin: dict[str, set[str]] = {}
    arabic: dict[str, set[str]] = {}
    for r in syrians:
        latin.setdefault(r["name_ar"], set()).add(r["name_latin"])
        arabic.setdefault(r["name_latin"], set()).add(r["name_ar"])
    assert all(len(v) == 1 for v in latin.values())
    assert all(len(v) == 1 for v in arabic.values())
    given = {r["name_ar"].split()[0]: r["name_latin"].split()[0] for r in syrians}
    assert given["محمد"] == "Muhammad"
    assert given["خالد"] == "Khalid"


def test_admission_records_are_varied(scenario: aqtan.Scenario) -> None:
    detainees = [c.record for c in admitted(scenario, "detainee")]
    nationalities = Counter(r["nationality"] for r in detainees)
    assert len(nationalities) >= 8
    assert nationalities.most_common(1)[0][0] == "SY"
    assert nationalities["IQ"] > 0
    assert 0 < sum(1 for r in detainees if r["gender"] == "female") < 150
    assert sum(1 for r in detainees if "birth_date" in r) > 500
    assert any(len(r.get("birth_date", "")) == 4 for r in detainees)  # approximate
    assert sum(1 for r in detainees if "visible_injuries" in r["health"]) > 20
    assert sum(1 for r in detainees if r.get("property")) > 500
    assert sum(1 for r in detainees if r.get("family")) > 500
    assert all(r["next_of_kin"]["name"] for r in detainees)
    assert len({r["arrest"]["place"] for r in detainees}) > 20


def test_staff_and_medical_team_are_at_posts(scenario: aqtan.Scenario) -> None:
    posts = {c.id for c in scenario.commands if isinstance(c, AddLocation) and c.kind == "post"}
    staff = admitted(scenario, "staff")
    assert {s.location for s in staff} == posts
    for member in staff:
        assert member.record["staff"]["role"]
        assert member.record["staff"]["unit"]
        assert records.validate("staff", member.record)
    assert sum(1 for s in staff if "rank" in s.record["staff"]) > 200
    others = admitted(scenario, "other")
    assert {o.location for o in others} == {"AQ-INF"}
    assert all(records.validate("other", o.record) for o in others)


def test_the_week_runs_in_time_order_in_the_facility_zone(scenario: aqtan.Scenario) -> None:
    times = [t for t in map(when, scenario.commands) if t is not None]
    assert all(t.tzinfo is not None for t in times)
    assert times == sorted(times), "commands are emitted in time order"
    first, last = times[0].astimezone(aqtan.ZONE), times[-1].astimezone(aqtan.ZONE)
    assert first.date().isoformat() == "2026-01-12"
    assert last.date().isoformat() == "2026-01-19"
    assert last <= aqtan.AS_OF
    detainees = admitted(scenario, "detainee")
    first_day = sum(1 for a in detainees if a.time.astimezone(aqtan.ZONE).day == 12)
    assert first_day > 1000, "most detainees are on the register from the first day"
    assert {a.time.astimezone(aqtan.ZONE).day for a in detainees} >= set(range(13, 19))


def test_the_week_has_its_events(scenario: aqtan.Scenario) -> None:
    moves = Counter(c.kind for c in scenario.commands if isinstance(c, Move))
    assert moves["cell"] > 20
    assert moves["out"] > moves["return"] > 3
    assert moves["death"] == 1
    outs = [c.to for c in scenario.commands if isinstance(c, Move) and c.kind == "out"]
    assert outs.count("AQ:court") == 1
    (death,) = [c for c in scenario.commands if isinstance(c, Move) and c.kind == "death"]
    assert {"place", "circumstances", "cause", "remains"} <= death.details.keys()
    rolls = [c for c in scenario.commands if isinstance(c, OpenRoll)]
    assert [r.roll for r in rolls] == ["R-0001", "R-0002", "R-0003"]
    resolutions = [c.resolve if isinstance(c, ResolveWith) else c for c in scenario.commands]
    outcomes = sorted(c.outcome for c in resolutions if isinstance(c, Resolve))
    assert outcomes == ["elsewhere", "found"]
    assert scenario.summary["movements"] == dict(sorted(moves.items())) | {
        "cell": moves["cell"] + 1  # the person found elsewhere is moved by the service
    }


def test_generation_is_fast() -> None:
    started = time.perf_counter()
    aqtan.scenario(7)
    assert time.perf_counter() - started < 2


# --- Through the real service ---------------------------------------------------------------


@dataclass
class Run:
    scenario: aqtan.Scenario
    service: FacilityService
    ledger: LedgerService
    storage: Storage


@pytest.fixture(scope="module")
def run(scenario: aqtan.Scenario) -> Iterator[Run]:
    skey, vkey = generate_key(ORIGIN, seed=bytes(range(32)))
    storage = open_storage("memory://")
    recorder = Recorder(Log(ORIGIN, Ed25519Signer.from_skey(skey)))
    clock = FixedClock(aqtan.AS_OF)
    ledger = LedgerService(storage, recorder, Ed25519Verifier.from_vkey(vkey), vkey, clock)
    ledger.open_log(ACTOR.party, ACTOR)
    service = FacilityService(storage, recorder, clock, aqtan.ZONE)
    service.run(scenario.commands, ACTOR)
    try:
        yield Run(scenario, service, ledger, storage)
    finally:
        storage.close()


def test_the_service_accepts_the_whole_week(run: Run) -> None:
    assert run.ledger.audit().ok
    entries = run.ledger.latest_checkpoint().size
    assert entries > len(run.scenario.commands)


def test_who_is_in_custody_at_the_end(run: Run) -> None:
    status = run.service.roll_status()
    detainees = status["by_category"]["detainee"]
    assert detainees["dead"] == 1
    left = sum(detainees[s] for s in ("dead", "released", "transferred", "escaped"))
    assert left > 1
    assert detainees["in_custody"] == aqtan.DETAINEES - left
    assert detainees["out"] >= 1, "someone is still in hospital at the end of the week"
    assert status["by_category"]["staff"]["in_custody"] == aqtan.STAFF
    assert status["by_category"]["other"]["in_custody"] == aqtan.OTHERS
    summary = run.scenario.summary
    assert summary["in_custody"] == {
        c: status["by_category"][c]["in_custody"] for c in summary["in_custody"]
    }
    assert summary["deaths"] == detainees["dead"]
    assert summary["out_at_end"] == detainees["out"]


def test_one_roll_call_needed_resolving_and_every_roll_cleared(run: Run) -> None:
    rolls = [c.roll for c in run.scenario.commands if isinstance(c, OpenRoll)]
    troubled = []
    for roll in rolls:
        sheet: dict[str, Any] = run.service.roll_places(roll)
        assert sheet["roll"].status == "cleared", roll
        tallies = sheet["tallies"].values()
        # every place active now was counted (and the dormitory closed later in the week too)
        assert {p.id for p in sheet["places"]} <= sheet["tallies"].keys()
        if any(t.status == "resolved" for t in tallies):
            troubled.append(roll)
            resolved = [t for t in tallies if t.status == "resolved"]
            assert all(t.attempts == 2 for t in resolved), "recounted before resolving"
            assert all(t.expected == t.counted for t in resolved)
        else:
            assert all(t.status == "matched" and t.attempts == 1 for t in tallies)
    assert troubled == run.scenario.summary["rolls_with_differences"] == ["R-0003"]
    assert run.service.roll_status()["roll"]["status"] == "cleared"


def test_the_person_found_elsewhere_is_recorded_there(run: Run) -> None:
    (found,) = [c for c in run.scenario.commands if isinstance(c, ResolveWith)]
    person, history = run.service.person(found.resolve.person)
    assert person.location == found.resolve.found_in
    assert history[-1].kind == "cell"
    assert history[-1].origin == found.resolve.location


def test_the_counts_were_the_registers_numbers(run: Run) -> None:
    counts = [c for c in run.scenario.commands if isinstance(c, RecordCount)]
    assert all(c.counters for c in counts)
    tallies = run.service.roll_places("R-0001")["tallies"]
    first = {c.location: c.counted for c in counts if c.roll == "R-0001"}
    assert first == {loc: t.expected for loc, t in tallies.items()}


def test_capacities_are_kept(run: Run) -> None:
    cells = run.service.roll_status(level="cell")["locations"]
    for place in cells:
        if place["maximum_capacity"] is not None:
            assert place["expected"] <= place["maximum_capacity"], place["id"]
    blocks = [p for p in run.service.roll_status()["locations"] if p["kind"] == "block"]
    crowded = [b["id"] for b in blocks if b["overcrowded"]]
    assert 0 < len(crowded) < len(blocks)


def test_a_rebuild_gives_the_same_projections(run: Run) -> None:
    before = [run.service.roll_status(level=level) for level in ("block", "cell")]
    people_before = run.service.people("detainee", in_custody_only=False, limit=2000)
    rebuild(run.storage)
    after = [run.service.roll_status(level=level) for level in ("block", "cell")]
    assert after == before
    assert run.service.people("detainee", in_custody_only=False, limit=2000) == people_before
