"""The permission table, cell by cell, and the scope rules of :func:`check`.

The table below is the policy as a reader should see it: changing a role's rights means
changing this table too, in the same review.
"""

from __future__ import annotations

import pytest

from amanah.domain.access.permissions import (
    ACTIONS,
    PERMISSIONS,
    ROLES,
    WRITE_ACTIONS,
    Principal,
    check,
    move_action,
)
from amanah.errors import Forbidden

# F: anywhere in the account's facility; B: only in the guard's blocks; .: denied.
TABLE = """
action             administrator records_officer guard medic monitor receiving_officer
register.read            F             F            .     F      F           .
roster.read              F             F            B     F      F           F
register.admit           F             F            .     .      .           .
register.correct         F             F            .     .      .           .
location.read            F             F            F     F      F           .
location.manage          F             .            .     .      .           .
movement.cell            F             F            B     .      .           .
movement.record          F             F            .     .      .           .
medical.record           F             F            .     F      .           .
roll.read                F             F            F     F      F           .
roll.open                F             F            .     .      .           .
roll.count               F             F            B     .      .           .
roll.resolve             F             F            .     .      .           .
occurrence.read          F             F            F     .      F           .
occurrence.record        F             F            F     .      .           .
ledger.read              F             F            .     .      F           .
ledger.export            F             F            .     .      F           .
ledger.cosign            F             .            .     .      .           .
access_log.read          F             .            .     .      F           .
user.manage              F             .            .     .      .           .
supplies.read            F             F            .     F      F           .
supplies.record          F             F            .     .      .           .
incident.read            F             F            F     F      F           .
incident.report          F             F            F     F      .           .
incident.review          F             F            .     .      .           .
notification.read        F             F            .     F      F           .
notification.record      F             F            .     F      .           .
appeal.read              F             F            .     .      F           .
appeal.record            F             .            .     .      .           .
sitrep.read              F             F            .     F      F           .
"""
SCOPES = {"F": "facility", "B": "blocks", ".": None}


def _table() -> dict[tuple[str, str], str | None]:
    lines = [line.split() for line in TABLE.strip().splitlines()]
    header, rows = lines[0][1:], lines[1:]
    assert tuple(header) == ROLES
    return {
        (role, row[0]): SCOPES[cell]
        for row in rows
        for role, cell in zip(header, row[1:], strict=True)
    }


EXPECTED = _table()


def test_the_table_names_every_action_once() -> None:
    assert sorted({a for _, a in EXPECTED}) == sorted(ACTIONS)


@pytest.mark.parametrize(("role", "action"), sorted(EXPECTED))
def test_permission_cell(role: str, action: str) -> None:
    assert PERMISSIONS[role].get(action) == EXPECTED[role, action]


def test_no_role_grants_an_unknown_action() -> None:
    for role, grants in PERMISSIONS.items():
        assert set(grants) <= set(ACTIONS), role


def test_monitor_and_receiving_officer_are_read_only() -> None:
    for role in ("monitor", "receiving_officer"):
        assert not WRITE_ACTIONS & set(PERMISSIONS[role]), role


def test_the_receiving_officer_sees_only_the_roster() -> None:
    assert set(PERMISSIONS["receiving_officer"]) == {"roster.read"}


ADMIN = Principal("ada", "P", ("administrator",))
RECORDS = Principal("rana", "P", ("records_officer",), "AQ")
GUARD = Principal("omar", "P", ("guard",), "AQ", ("A",))
GUARD_MEDIC = Principal("nour", "P", ("guard", "medic"), "AQ", ("A",))
NOBODY = Principal("x", "P", ())
A01 = ["A-01", "A", "AQ"]
B01 = ["B-01", "B", "AQ"]


def test_an_unscoped_administrator_acts_anywhere() -> None:
    check(ADMIN, "user.manage", facility=None)
    check(ADMIN, "movement.cell", facility="OTHER", places=[B01])


def test_a_principal_scoped_to_a_facility_acts_only_there() -> None:
    check(RECORDS, "register.read", facility="AQ")
    with pytest.raises(Forbidden, match="only in facility AQ, not in facility OTHER"):
        check(RECORDS, "register.read", facility="OTHER")
    with pytest.raises(Forbidden, match="more than one facility"):
        check(RECORDS, "ledger.read", facility=None)


def test_a_guard_acts_only_in_their_blocks() -> None:
    check(GUARD, "roll.count", facility="AQ", places=[A01])
    check(GUARD, "movement.cell", facility="AQ", places=[A01, ["A-02", "A", "AQ"]])
    with pytest.raises(Forbidden, match=r"omar may .* only in their blocks \(A\)"):
        check(GUARD, "movement.cell", facility="AQ", places=[A01, B01])
    with pytest.raises(Forbidden, match="name the place"):
        check(GUARD, "roster.read", facility="AQ")
    with pytest.raises(Forbidden, match="only in their blocks"):
        check(GUARD, "roll.count", facility="AQ", places=[[]])
    check(GUARD, "roll.read", facility="AQ")  # facility-wide for a guard too


def test_grants_of_several_roles_add_up() -> None:
    check(GUARD_MEDIC, "roster.read", facility="AQ")  # the medic's facility-wide grant
    check(GUARD_MEDIC, "roster.read", facility="AQ", places=[B01])
    with pytest.raises(Forbidden):
        check(GUARD_MEDIC, "roll.count", facility="AQ", places=[B01])


def test_a_principal_without_roles_may_do_nothing() -> None:
    for action in ACTIONS:
        with pytest.raises(Forbidden, match=r"x \(no role\) may not"):
            check(NOBODY, action, facility=None)


def test_an_unknown_action_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown action"):
        check(ADMIN, "register.burn", facility=None)


@pytest.mark.parametrize(
    ("kind", "origin", "destination", "action"),
    [
        ("cell", "cell", "cell", "movement.cell"),
        ("out", "cell", "hospital", "medical.record"),
        ("out", "cell", "court", "movement.record"),
        ("out", "cell", "outside", "movement.record"),
        ("return", "hospital", "cell", "medical.record"),
        ("return", "court", "cell", "movement.record"),
        ("death", "cell", None, "medical.record"),
        ("transfer", "cell", "transit", "movement.record"),
        ("receive", "transit", None, "movement.record"),
        ("release", "cell", None, "movement.record"),
        ("escape", "cell", None, "movement.record"),
        ("recapture", None, "reception", "movement.record"),
    ],
)
def test_move_action(kind: str, origin: str | None, destination: str | None, action: str) -> None:
    assert move_action(kind, origin, destination) == action
