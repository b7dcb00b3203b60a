"""The access-control matrix: every role × every service endpoint the API and web UI will
call, against an explicit table of who is allowed.

Each cell runs in a fresh facility (so writes do not leak between cells): the endpoint's
setup runs as the operator, then the call as the role's principal. Allowed means the call
succeeds; denied means :class:`Forbidden`, a ``denied`` row in the access log, and nothing
written to the ledger.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest

from amanah.domain.access.commands import AddUser, DisableUser, SetRoles
from amanah.domain.movements.commands import Move
from amanah.domain.registry.commands import AddLocation, Admit, Correct, SetCapacity
from amanah.domain.rollcount.commands import OpenRoll, RecordCount, Resolve
from amanah.domain.shared import Actor
from amanah.errors import Forbidden
from amanah.services.guarded import Guarded
from tests.support.access_world import ACCOUNTS, NOW, OPERATOR, PARTY, World, detainee, make_world

ROLES = tuple(ACCOUNTS)  # admin, records, guard, medic, monitor, receiving

# Y: allowed; .: denied. Columns in the order of ROLES.
MATRIX = """
endpoint                 admin records guard medic monitor receiving
person.show                Y      Y      .     Y      Y       .
register.search            Y      Y      .     Y      Y       .
register.people            Y      Y      .     Y      Y       .
roster.facility            Y      Y      .     Y      Y       Y
roster.own_block           Y      Y      Y     Y      Y       Y
roster.other_block         Y      Y      .     Y      Y       Y
locations                  Y      Y      Y     Y      Y       .
roll.status                Y      Y      Y     Y      Y       .
roll.sheet                 Y      Y      Y     Y      Y       .
occurrence.list            Y      Y      Y     .      Y       .
occurrence.add             Y      Y      Y     .      .       .
location.add               Y      .      .     .      .       .
location.capacity          Y      .      .     .      .       .
person.admit               Y      Y      .     .      .       .
person.correct             Y      Y      .     .      .       .
move.cell_in_block         Y      Y      Y     .      .       .
move.cell_to_other_block   Y      Y      .     .      .       .
move.cell_in_other_block   Y      Y      .     .      .       .
move.hospital_out          Y      Y      .     Y      .       .
move.hospital_return       Y      Y      .     Y      .       .
move.death                 Y      Y      .     Y      .       .
move.court_out             Y      Y      .     .      .       .
move.release               Y      Y      .     .      .       .
roll.open                  Y      Y      .     .      .       .
roll.count_own_block       Y      Y      Y     .      .       .
roll.count_other_block     Y      Y      .     .      .       .
roll.resolve               Y      Y      .     .      .       .
ledger.checkpoint          Y      Y      .     .      Y       .
ledger.entry               Y      Y      .     .      Y       .
ledger.prove               Y      Y      .     .      Y       .
ledger.audit               Y      Y      .     .      Y       .
ledger.export              Y      Y      .     .      Y       .
ledger.witness_request     Y      .      .     .      .       .
access_log.read            Y      .      .     .      Y       .
access_log.verify          Y      .      .     .      Y       .
user.list                  Y      .      .     .      .       .
user.add                   Y      .      .     .      .       .
user.set_roles             Y      .      .     .      .       .
user.disable               Y      .      .     .      .       .
user.reset_password        Y      .      .     .      .       .
"""


def _matrix() -> dict[str, dict[str, bool]]:
    lines = [line.split() for line in MATRIX.strip().splitlines()]
    header, rows = lines[0], lines[1:]
    assert tuple(header[1:]) == ROLES
    return {row[0]: dict(zip(ROLES, (c == "Y" for c in row[1:]), strict=True)) for row in rows}


EXPECTED = _matrix()


@dataclass(frozen=True)
class Endpoint:
    call: Callable[[World, Guarded], object]
    setup: Callable[[World], None] | None = None


def _as_operator(world: World, *commands: object) -> None:
    world.facility.run(list(commands), Actor(PARTY, "operator"))  # type: ignore[arg-type]


def _open_roll(world: World) -> None:
    _as_operator(world, OpenRoll("R-1", "AQ", NOW))


def _unresolved(world: World) -> None:
    _open_roll(world)
    for _ in range(2):
        _as_operator(world, RecordCount("R-1", "A-01", 0, ("Omar",), NOW))


def _in_hospital(world: World) -> None:
    _as_operator(world, Move("out", "D-000001", NOW, "AQ:hospital", details={"purpose": "x"}))


def _move(kind: str, to: str | None, person: str = "D-000001", **details: str) -> Endpoint:
    return Endpoint(lambda _w, g: g.run([Move(kind, person, NOW, to, details=details)]))


def _spare(world: World) -> None:
    world.access.add_user(OPERATOR, AddUser("spare", "a quiet evening walk", ("medic",), "AQ"))


def _user_op(call: Callable[[World, Guarded], object]) -> Endpoint:
    """An operation on the account ``spare`` (no role's own: changing one's own password
    is not user management)."""
    return Endpoint(call, _spare)


ADMITTED = NOW - timedelta(hours=1)

ENDPOINTS: dict[str, Endpoint] = {
    "person.show": Endpoint(lambda _w, g: g.person("D-000001")),
    "register.search": Endpoint(lambda _w, g: g.search("Samer")),
    "register.people": Endpoint(lambda _w, g: g.people("detainee")),
    "roster.facility": Endpoint(lambda _w, g: g.roster()),
    "roster.own_block": Endpoint(lambda _w, g: g.roster(location="A")),
    "roster.other_block": Endpoint(lambda _w, g: g.roster(location="B")),
    "locations": Endpoint(lambda _w, g: g.locations()),
    "roll.status": Endpoint(lambda _w, g: g.roll_status()),
    "roll.sheet": Endpoint(lambda _w, g: g.roll_places("R-1"), _open_roll),
    "occurrence.list": Endpoint(lambda _w, g: g.occurrence_page(10)),
    "occurrence.add": Endpoint(lambda _w, g: g.add_occurrence("all quiet", "Duty officer")),
    "location.add": Endpoint(
        lambda _w, g: g.run([AddLocation("A-03", "cell", "أ-03", "A-03", "A", 2, 2, 4)])
    ),
    "location.capacity": Endpoint(lambda _w, g: g.run([SetCapacity("A-01", 3, 3, 6, "repair")])),
    "person.admit": Endpoint(
        lambda _w, g: g.run(
            [Admit("D-000003", "detainee", detainee("علي", "Ali"), "A-02", ADMITTED)]
        )
    ),
    "person.correct": Endpoint(
        lambda _w, g: g.run([Correct("D-000001", "name_latin", "Samir", "spelling")])
    ),
    "move.cell_in_block": _move("cell", "A-02", reason="crowding"),
    "move.cell_to_other_block": _move("cell", "B-01", reason="crowding"),
    "move.cell_in_other_block": _move("cell", "A-01", "D-000002", reason="crowding"),
    "move.hospital_out": _move("out", "AQ:hospital", purpose="x-ray"),
    "move.hospital_return": Endpoint(
        lambda _w, g: g.run([Move("return", "D-000001", NOW, "A-01")]), _in_hospital
    ),
    "move.death": _move("death", None, place="A-01", circumstances="found at dawn"),
    "move.court_out": _move("out", "AQ:court", purpose="hearing"),
    "move.release": _move("release", None, authority="Court A", reason="order"),
    "roll.open": Endpoint(lambda _w, g: g.run([OpenRoll("R-2", "AQ", NOW)])),
    "roll.count_own_block": Endpoint(
        lambda _w, g: g.run([RecordCount("R-1", "A-01", 1, ("Omar",), NOW)]), _open_roll
    ),
    "roll.count_other_block": Endpoint(
        lambda _w, g: g.run([RecordCount("R-1", "B-01", 1, ("Omar",), NOW)]), _open_roll
    ),
    "roll.resolve": Endpoint(
        lambda _w, g: g.run([Resolve("R-1", "D-000001", "A-01", "found", NOW)]), _unresolved
    ),
    "ledger.checkpoint": Endpoint(lambda _w, g: g.checkpoint()),
    "ledger.entry": Endpoint(lambda _w, g: g.entry(0)),
    "ledger.prove": Endpoint(lambda _w, g: g.prove(0)),
    "ledger.audit": Endpoint(lambda _w, g: g.audit()),
    "ledger.export": Endpoint(lambda _w, g: list(g.export_tiles()[1])),
    "ledger.witness_request": Endpoint(lambda _w, g: g.witness_request(0)),
    "access_log.read": Endpoint(lambda w, g: w.access.access_log(g.principal)),
    "access_log.verify": Endpoint(lambda w, g: w.access.verify_log(g.principal)),
    "user.list": _user_op(lambda w, g: w.access.users(g.principal)),
    "user.add": _user_op(
        lambda w, g: w.access.add_user(
            g.principal, AddUser("newbie", "another fine passphrase", ("medic",), "AQ")
        )
    ),
    "user.set_roles": _user_op(
        lambda w, g: w.access.set_roles(g.principal, SetRoles("spare", ("records_officer",), "AQ"))
    ),
    "user.disable": _user_op(
        lambda w, g: w.access.disable(g.principal, DisableUser("spare", "left"))
    ),
    "user.reset_password": _user_op(
        lambda w, g: w.access.change_password(g.principal, "spare", "a brand new passphrase")
    ),
}


def test_the_matrix_covers_every_endpoint() -> None:
    assert set(EXPECTED) == set(ENDPOINTS)


def test_every_role_with_a_right_uses_it_and_no_role_is_all_powerful_but_admin() -> None:
    for role in ROLES:
        allowed = {e for e, row in EXPECTED.items() if row[role]}
        assert allowed, role
        assert (allowed == set(EXPECTED)) == (role == "admin"), role


CELLS = [(endpoint, role) for endpoint in ENDPOINTS for role in ROLES]


@pytest.mark.parametrize(("endpoint", "role"), CELLS, ids=[f"{e}-{r}" for e, r in CELLS])
def test_access_matrix(endpoint: str, role: str) -> None:
    world = make_world()
    try:
        spec = ENDPOINTS[endpoint]
        if spec.setup is not None:
            spec.setup(world)
        principal = world.principal(role)
        guarded = world.guarded(principal)
        before = world.size()
        admin = world.principal("admin")
        denials = _denials(world, admin)
        if EXPECTED[endpoint][role]:
            spec.call(world, guarded)
        else:
            with pytest.raises(Forbidden):
                spec.call(world, guarded)
            # Nothing written but the admin's login anchor; the denial is logged.
            assert world.size() == before + 1
            assert _denials(world, admin) == denials + 1
    finally:
        world.close()


def _denials(world: World, admin: object) -> int:
    rows = world.access.access_log(OPERATOR, limit=1000)
    return sum(1 for r in rows if r.kind == "denied")
