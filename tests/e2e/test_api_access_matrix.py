"""The access-control matrix over HTTP: every role × every API endpoint, against an explicit
table of who is allowed.

Each role gets a fresh home and calls every endpoint in order, logged in through the API.
Allowed means a 2xx answer; denied means 403 with the ``forbidden`` code, a ``denied`` row
in the access log, and nothing written to the ledger. (The service-level matrix,
``tests/integration/test_access_matrix.py``, covers the same policy call by call.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from amanah.domain.appeals import commands as ac
from amanah.domain.incidents import commands as ic
from amanah.domain.rollcount.commands import OpenRoll, RecordCount
from amanah.domain.supplies import commands as sc
from tests.support.access_world import ACCOUNTS, PASSWORD, detainee
from tests.support.web_world import WebWorld, make_web_world

ROLES = tuple(ACCOUNTS)  # admin, records, guard, medic, monitor, receiving


@dataclass(frozen=True)
class Call:
    name: str
    method: str
    path: str
    allowed: str  # the roles allowed, by name; "*" for everyone
    body: dict[str, Any] | None = None
    params: dict[str, Any] = field(default_factory=dict)
    setup: Callable[[WebWorld], None] | None = None
    #: Allowed roles get past the permission check and are then refused by the rules (an
    #: empty cosignature file), not served: the check comes before anything is read.
    expect_refusal: bool = False


def _open_roll(world: WebWorld) -> None:
    if world.app.facility.rolls("AQ")[:1] and world.app.facility.rolls("AQ")[0].status == "open":
        return
    world.app.facility.run([OpenRoll("R-0001", "AQ", world.clock.now())], world.app.actor)


def _unresolved(world: WebWorld) -> None:
    """Reception counted twice with one more person than the register has there: someone
    registered elsewhere is in it, a difference to resolve person by person."""
    _open_roll(world)
    places = world.app.facility.roll_places("R-0001")["places"]
    there = next(p.population for p in places if p.id == "AQ:reception")
    for _ in range(2):
        command = RecordCount("R-0001", "AQ:reception", there + 1, ("Setup",), world.clock.now())
        world.app.facility.run([command], world.app.actor)


def _later(world: WebWorld) -> None:
    world.clock.advance(timedelta(minutes=5))


def _stores(world: WebWorld) -> None:
    """A water and a fuel store with stock, a generator, and an appeal sent."""
    cases = world.app.siege
    with world.app.storage.reader() as view:
        if view.cases.get("supplies/water-1") is not None:
            return
    now = world.clock.now()
    cases.run(
        [
            sc.OpenStore("water-1", "AQ", "water", "Tank", "L", now),
            sc.OpenStore("fuel-1", "AQ", "fuel", "Diesel", "L", now),
            sc.Receive("water-1", 50_000_000, now, "Municipality"),
            sc.Receive("fuel-1", 1_000_000, now, "UN"),
            sc.InstallGenerator("gen-1", "AQ", 60, "fuel-1", 50, 12, now),
            ac.SendAppeal("AP-0001", "AQ", "protection", "ICRC", "radio", "Protect us", now),
            ic.ReportIncident(
                "I-0001",
                "AQ",
                "attack",
                "serious",
                now,
                "north wall",
                "Mortar fire",
                (ic.LinkedPerson("D-000001", "injured", "seriously_injured"),),
            ),
        ],
        world.app.actor,
    )
    world.clock.advance(timedelta(minutes=1))


SIEGE_WRITERS = "admin records"
SIEGE_READERS = "admin records medic monitor"
Q = {"amount": "10", "unit": "L"}
SIEGE_CALLS = (
    Call("supplies", "GET", "/api/v1/supplies", SIEGE_READERS, setup=_stores),
    Call("supplies.runway", "GET", "/api/v1/supplies/runway", SIEGE_READERS),
    Call(
        "supplies.plan",
        "GET",
        "/api/v1/supplies/plan",
        SIEGE_READERS,
        params={"until": "2026-02-01T00:00"},
    ),
    Call("supplies.show", "GET", "/api/v1/supplies/water-1", SIEGE_READERS),
    Call(
        "supplies.open",
        "POST",
        "/api/v1/supplies",
        SIEGE_WRITERS,
        body={
            "id": "food-1",
            "resource": "food",
            "name": "Flour",
            "unit": "kg",
            "kcal_per_unit": 3640,
        },
    ),
    Call(
        "supplies.receive",
        "POST",
        "/api/v1/supplies/water-1/receipts",
        SIEGE_WRITERS,
        body=Q | {"source": "ICRC"},
    ),
    Call(
        "supplies.issue",
        "POST",
        "/api/v1/supplies/water-1/issues",
        SIEGE_WRITERS,
        body=Q | {"to": "Block A"},
    ),
    Call(
        "supplies.lose",
        "POST",
        "/api/v1/supplies/water-1/losses",
        SIEGE_WRITERS,
        body=Q | {"reason": "leak"},
    ),
    Call(
        "supplies.count",
        "POST",
        "/api/v1/supplies/water-1/counts",
        SIEGE_WRITERS,
        body=Q | {"by": "Storekeeper"},
    ),
    Call(
        "generator.add",
        "POST",
        "/api/v1/generators",
        SIEGE_WRITERS,
        body={"id": "gen-2", "kw": 20, "fuel_store": "fuel-1"},
    ),
    Call(
        "generator.set",
        "PUT",
        "/api/v1/generators/gen-1",
        SIEGE_WRITERS,
        body={"running": False, "reason": "saving fuel"},
    ),
    Call(
        "pump.add",
        "POST",
        "/api/v1/pumps",
        SIEGE_WRITERS,
        body={
            "id": "pump-1",
            "generator": "gen-1",
            "water_store": "water-1",
            "litres_per_hour": 3000,
            "head_m": 30,
        },
    ),
    Call("incidents", "GET", "/api/v1/incidents", "admin records guard medic monitor"),
    Call("incident.show", "GET", "/api/v1/incidents/I-0001", "admin records guard medic monitor"),
    Call(
        "incident.report",
        "POST",
        "/api/v1/incidents",
        "admin records guard medic",
        body={"kind": "fire", "severity": "minor", "summary": "Kitchen fire, put out"},
    ),
    Call(
        "incident.addendum",
        "POST",
        "/api/v1/incidents/I-0001/addenda",
        "admin records guard medic",
        body={"text": "The wall is cracked"},
    ),
    Call(
        "incident.status",
        "PUT",
        "/api/v1/incidents/I-0002/status",
        "admin records",
        body={"status": "closed", "reason": "done"},
    ),
    Call("notifications", "GET", "/api/v1/notifications", "admin records medic monitor"),
    Call(
        "notification.sent",
        "POST",
        "/api/v1/notifications/N-000001/sent",
        "admin records medic",
        body={"channel": "phone", "to": "brother", "by": "Records officer"},
    ),
    Call(
        "notification.ack",
        "POST",
        "/api/v1/notifications/N-000001/acknowledgement",
        "admin records medic",
        body={"by": "brother"},
    ),
    Call("sitrep", "GET", "/api/v1/sitrep", "admin records medic monitor"),
    Call(
        "sitrep.text",
        "GET",
        "/api/v1/sitrep.text",
        "admin records medic monitor",
        params={"lang": "en"},
    ),
    Call("appeals", "GET", "/api/v1/appeals", "admin records monitor"),
    Call("appeal.show", "GET", "/api/v1/appeals/AP-0001", "admin records monitor"),
    Call(
        "appeal.send",
        "POST",
        "/api/v1/appeals",
        "admin",
        body={
            "kind": "safe_corridor",
            "recipient": "Coalition liaison",
            "channel": "phone",
            "text": "A corridor for the guards",
        },
    ),
    Call(
        "appeal.ack",
        "POST",
        "/api/v1/appeals/AP-0001/acknowledgement",
        "admin",
        body={"by": "ICRC duty officer"},
        setup=_later,
    ),
    Call(
        "appeal.promise",
        "POST",
        "/api/v1/appeals/AP-0001/promises",
        "admin",
        body={"action": "visit", "deadline": "2026-03-01T00:00", "by": "ICRC"},
    ),
    Call(
        "appeal.remind",
        "POST",
        "/api/v1/appeals/AP-0001/reminders",
        "admin",
        body={"channel": "radio", "text": "Still waiting"},
    ),
    Call(
        "appeal.close",
        "POST",
        "/api/v1/appeals/AP-0001/closure",
        "admin",
        body={"outcome": "withdrawn", "note": "overtaken by the handover"},
    ),
)

STAFF = {
    "name_ar": "سعيد",
    "name_latin": "Said",
    "gender": "male",
    "nationality": "SY",
    "staff": {"role": "cook"},
}

CALLS = (
    Call("me", "GET", "/api/v1/me", "*"),
    Call("locations", "GET", "/api/v1/locations", "admin records guard medic monitor"),
    Call("search", "GET", "/api/v1/people", "admin records medic monitor", params={"q": "Samer"}),
    Call(
        "people",
        "GET",
        "/api/v1/people",
        "admin records medic monitor",
        params={"category": "detainee"},
    ),
    Call("person", "GET", "/api/v1/people/D-000001", "admin records medic monitor"),
    Call("movements", "GET", "/api/v1/movements", "admin records medic monitor"),
    Call("staff", "GET", "/api/v1/staff", "admin records medic monitor"),
    Call("roster", "GET", "/api/v1/roster", "admin records medic monitor receiving"),
    Call("roster.own_block", "GET", "/api/v1/roster", "*", params={"location": "A"}),
    Call(
        "roster.other_block",
        "GET",
        "/api/v1/roster",
        "admin records medic monitor receiving",
        params={"location": "B"},
    ),
    Call("roll_status", "GET", "/api/v1/roll-status", "admin records guard medic monitor"),
    Call("rolls", "GET", "/api/v1/rolls", "admin records guard medic monitor"),
    Call("occurrences", "GET", "/api/v1/occurrences", "admin records guard monitor"),
    Call("checkpoint", "GET", "/api/v1/ledger/checkpoint", "admin records monitor"),
    Call("checkpoint.txt", "GET", "/api/v1/ledger/checkpoint.txt", "admin records monitor"),
    Call("entry", "GET", "/api/v1/ledger/entries/1", "admin records monitor"),
    Call("receipt", "GET", "/api/v1/ledger/entries/1/receipt", "admin records monitor"),
    Call(
        "consistency",
        "GET",
        "/api/v1/ledger/consistency",
        "admin records monitor",
        params={"old": 1},
    ),
    Call("audit", "GET", "/api/v1/ledger/audit", "admin records monitor"),
    Call("tiles", "GET", "/api/v1/ledger/tiles.zip", "admin records monitor"),
    Call("users", "GET", "/api/v1/users", "admin"),
    Call("user", "GET", "/api/v1/users/guard", "admin"),
    Call("access_log", "GET", "/api/v1/access-log", "admin monitor"),
    Call("access_verify", "GET", "/api/v1/access-log/verify", "admin monitor"),
    # -- writes --
    Call(
        "occurrence.add",
        "POST",
        "/api/v1/occurrences",
        "admin records guard",
        body={"text": "All quiet", "by": "Duty"},
    ),
    Call(
        "occurrence.import",
        "POST",
        "/api/v1/occurrences/import",
        "admin records guard",
        body={"entries": [{"time": "2026-01-19T08:00", "text": "Generator off", "by": "Ali"}]},
    ),
    Call(
        "location.add",
        "POST",
        "/api/v1/locations",
        "admin",
        body={
            "id": "A-09",
            "kind": "cell",
            "name_ar": "أ-09",
            "name_en": "A-09",
            "parent": "A",
            "certified": 2,
            "working": 2,
            "maximum": 4,
        },
    ),
    Call(
        "location.capacity",
        "PUT",
        "/api/v1/locations/A-02/capacity",
        "admin",
        body={"certified": 4, "working": 4, "maximum": 9, "reason": "repaired"},
    ),
    Call(
        "location.state",
        "PUT",
        "/api/v1/locations/A-09/state",
        "admin",
        body={"state": "out_of_order", "reason": "no guard to spare"},
    ),
    Call(
        "person.admit",
        "POST",
        "/api/v1/people",
        "admin records",
        body={"record": detainee("يوسف", "Yusuf"), "location": "A-02"},
    ),
    Call("staff.add", "POST", "/api/v1/staff", "admin records", body={"record": STAFF}),
    Call(
        "person.correct",
        "POST",
        "/api/v1/people/D-000001/corrections",
        "admin records",
        body={"field": "name_latin", "value": "Samir", "reason": "misspelt"},
    ),
    Call(
        "move.cell_in_block",
        "POST",
        "/api/v1/people/D-000001/movements",
        "admin records guard",
        body={"kind": "cell", "to": "A-02", "details": {"reason": "x"}},
        setup=_later,
    ),
    Call(
        "move.cell_to_other_block",
        "POST",
        "/api/v1/people/D-000002/movements",
        "admin records",
        body={"kind": "cell", "to": "A-01", "details": {"reason": "x"}},
        setup=_later,
    ),
    Call(
        "move.hospital_out",
        "POST",
        "/api/v1/people/D-000001/movements",
        "admin records medic",
        body={"kind": "out", "to": "hospital", "details": {"purpose": "x-ray"}},
        setup=_later,
    ),
    Call(
        "move.hospital_return",
        "POST",
        "/api/v1/people/D-000001/movements",
        "admin records medic",
        body={"kind": "return", "to": "A-01"},
        setup=_later,
    ),
    Call("roll.open", "POST", "/api/v1/rolls", "admin records", body={}, setup=_later),
    Call(
        "roll.count_own_block",
        "POST",
        "/api/v1/rolls/R-0001/counts",
        "admin records guard",
        body={"location": "A-01", "counted": 1, "counters": ["Omar"]},
        setup=_open_roll,
    ),
    Call(
        "roll.count_other_block",
        "POST",
        "/api/v1/rolls/R-0001/counts",
        "admin records",
        body={"location": "B-01", "counted": 1, "counters": ["Omar"]},
        setup=_open_roll,
    ),
    Call("roll.show", "GET", "/api/v1/rolls/R-0001", "admin records guard medic monitor"),
    Call(
        "roll.resolve",
        "POST",
        "/api/v1/rolls/R-0001/resolutions",
        "admin records",
        body={"person": "D-000002", "outcome": "elsewhere", "found_in": "AQ:reception"},
        setup=_unresolved,
    ),
    *SIEGE_CALLS,
    Call("witness_request", "POST", "/api/v1/ledger/witness-request", "admin", body={"old": 0}),
    Call(
        "cosign",
        "POST",
        "/api/v1/ledger/cosignatures",
        "admin",
        body={"cosignature": "", "witness": ["w+00000000+AAAA"]},
        expect_refusal=True,
    ),
    Call(
        "user.add",
        "POST",
        "/api/v1/users",
        "admin",
        body={
            "username": "newguard",
            "password": "a long enough passphrase",
            "roles": ["guard"],
            "blocks": ["A"],
        },
    ),
    Call(
        "user.roles",
        "PUT",
        "/api/v1/users/medic/roles",
        "admin",
        body={"roles": ["medic", "records_officer"]},
    ),
    Call(
        "user.password",
        "PUT",
        "/api/v1/users/newguard/password",
        "admin",
        body={"new_password": "a reset long passphrase"},
    ),
    Call("user.disable", "POST", "/api/v1/users/monitor/disable", "admin", body={}),
    # Last: a password change ends the account's sessions.
    Call(
        "me.password",
        "PUT",
        "/api/v1/me/password",
        "*",
        body={"new_password": "my own new passphrase", "current_password": PASSWORD},
    ),
)


def allowed(call: Call, role: str) -> bool:
    return call.allowed == "*" or role in call.allowed.split()


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], tuple[int, str]]:
    """Every (role, call) answered: status and body, with the ledger size unchanged on a
    denial (checked here, as the calls run)."""
    found: dict[tuple[str, str], tuple[int, str]] = {}
    for role in ROLES:
        world = make_web_world(Path(tmp_path_factory.mktemp(role)) / "home")
        try:
            api = world.api(role)
            for call in CALLS:
                if call.setup is not None:
                    call.setup(world)
                size = world.size()
                r = api.request(call.method, call.path, json=call.body, params=call.params)
                if r.status_code == 403:
                    assert world.size() == size, f"{role} {call.name}: a denial wrote"
                    with world.app.storage.reader() as view:
                        (latest,) = view.access.log_page(limit=1, offset=0, facility=None)
                    assert (latest.kind, latest.user) == ("denied", role), call.name
                found[(role, call.name)] = (r.status_code, r.text)
        finally:
            world.close()
    return found


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("call", CALLS, ids=[c.name for c in CALLS])
def test_matrix(results: dict[tuple[str, str], tuple[int, str]], role: str, call: Call) -> None:
    status, text = results[(role, call.name)]
    if allowed(call, role) and call.expect_refusal:
        assert status in (409, 422), f"{role} {call.name}: {status} {text}"
    elif allowed(call, role):
        assert 200 <= status < 300, f"{role} {call.name}: {status} {text}"
    else:
        assert status == 403, f"{role} {call.name}: {status} {text}"
        assert '"code":"forbidden"' in text


def test_a_denial_tells_nothing_about_who_exists_or_where(web: WebWorld) -> None:
    """A guard moving someone outside their blocks, someone who does not exist, or someone
    dead; a receiving officer resolving any of them: the same answer each time."""
    guard = web.api("guard")
    web.api("admin").post(
        "/api/v1/people/D-000002/movements",
        json={"kind": "death", "details": {"place": "B-01", "circumstances": "illness"}},
    )
    answers = {
        guard.post(
            f"/api/v1/people/{number}/movements",
            json={"kind": "cell", "to": "A-02", "details": {"reason": "x"}},
        ).text
        for number in ("D-000002", "D-999999", "X")
    }
    assert len(answers) == 1, answers
    assert "B-01" not in answers.pop()
    receiving = web.api("receiving")
    answers = {
        receiving.post(
            "/api/v1/rolls/R-0001/resolutions", json={"person": number, "outcome": "found"}
        ).text
        for number in ("D-000001", "D-000002", "D-999999")
    }
    assert len(answers) == 1, answers
    assert '"code":"forbidden"' in answers.pop()


def test_every_api_operation_is_in_the_matrix(web: WebWorld) -> None:
    spec = web.client().get("/api/v1/openapi.json").json()
    operations = {
        (method.upper(), path)
        for path, item in spec["paths"].items()
        for method in item
        if path != "/api/v1/session"
    }
    covered = {(c.method, _template(c.path)) for c in CALLS}
    assert operations - covered == set()


def _template(path: str) -> str:
    """The OpenAPI path template a concrete path matches."""
    replacements = {
        "/api/v1/people/D-000001": "/api/v1/people/{number}",
        "/api/v1/people/D-000002": "/api/v1/people/{number}",
        "/api/v1/locations/A-02": "/api/v1/locations/{location_id}",
        "/api/v1/locations/A-09": "/api/v1/locations/{location_id}",
        "/api/v1/ledger/entries/1": "/api/v1/ledger/entries/{index}",
        "/api/v1/rolls/R-0001": "/api/v1/rolls/{roll_id}",
        "/api/v1/users/guard": "/api/v1/users/{username}",
        "/api/v1/users/medic": "/api/v1/users/{username}",
        "/api/v1/users/newguard": "/api/v1/users/{username}",
        "/api/v1/users/monitor": "/api/v1/users/{username}",
        "/api/v1/supplies/water-1": "/api/v1/supplies/{ident}",
        "/api/v1/generators/gen-1": "/api/v1/generators/{ident}",
        "/api/v1/appeals/AP-0001": "/api/v1/appeals/{ident}",
        "/api/v1/incidents/I-0001": "/api/v1/incidents/{ident}",
        "/api/v1/incidents/I-0002": "/api/v1/incidents/{ident}",
        "/api/v1/notifications/N-000001": "/api/v1/notifications/{ident}",
        "/api/v1/sitrep.text": "/api/v1/sitrep.{form}",
    }
    for concrete, template in replacements.items():
        if path == concrete or path.startswith(concrete + "/"):
            return template + path[len(concrete) :]
    return path
