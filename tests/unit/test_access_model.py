"""Account rules: usernames, the password policy, each ``decide_*`` and ``evolve``."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from amanah.domain.access.commands import AddUser, ChangePassword, DisableUser, SetRoles
from amanah.domain.access.errors import AccessRefused
from amanah.domain.access.events import PasswordChanged, UserAdded, UserDisabled, UserRolesSet
from amanah.domain.access.model import (
    Account,
    check_password,
    check_username,
    decide_add_user,
    decide_change_password,
    decide_disable,
    decide_set_roles,
    evolve,
)
from amanah.domain.access.permissions import Principal
from amanah.domain.shared import Place
from amanah.errors import AmanahError

AQ = Place("AQ", "facility", "AQ", None)
BLOCK_A = Place("A", "block", "AQ", "AQ")
CELL = Place("A-01", "cell", "AQ", "A")
OTHER_BLOCK = Place("X", "block", "OTHER", "OTHER")
PASSWORD = "a long enough passphrase"
T = "2026-01-20T12:00:00Z"
OPERATOR = Principal("root", "P", ("administrator",), operator=True)


def add(**changes: Any) -> list[Any]:
    command = replace(AddUser("omar", PASSWORD, ("guard",), "AQ", ("A",)), **changes)
    places = {"A": BLOCK_A, "A-01": CELL, "X": OTHER_BLOCK}
    return decide_add_user(
        command,
        None,
        home_party="Home",
        facility_place=AQ if command.facility == "AQ" else None,
        block_places={b: places.get(b) for b in command.blocks},
    )


def account(**changes: Any) -> Account:
    base = Account("omar", "Home", None, ("guard",), "AQ", ("A",), False, T, T, 5)
    return replace(base, **changes)


def test_a_guard_is_added_with_their_blocks_and_no_password_in_the_event() -> None:
    (event,) = add(username=" Omar ", name="Omar al-Ali")
    assert event == UserAdded("omar", "Home", "Omar al-Ali", ["guard"], "AQ", ["A"])
    assert PASSWORD not in repr(event.to_data())
    assert PASSWORD not in repr(AddUser("omar", PASSWORD, ("guard",)))


def test_roles_are_put_in_one_order() -> None:
    (event,) = add(roles=("medic", "guard"))
    assert event.roles == ["guard", "medic"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"username": "o"}, "must be 2-32 letters"),
        ({"username": "1omar"}, "must be 2-32 letters"),
        ({"username": "omar ali"}, "must be 2-32 letters"),
        ({"username": "عمر"}, "must be 2-32 letters"),
        ({"username": 7}, "must be text"),
        ({"roles": ()}, "at least one role"),
        ({"roles": "guard"}, "at least one role"),
        ({"roles": ("warden",)}, "unknown role 'warden'"),
        ({"roles": ("guard", "guard")}, "given twice"),
        ({"facility": None}, "a guard needs a facility"),
        ({"facility": "NOWHERE"}, "no facility NOWHERE"),
        ({"blocks": ()}, "at least one block"),
        ({"blocks": ("A", "A")}, "given twice"),
        ({"blocks": ("A-01",)}, "no block or wing A-01"),
        ({"blocks": ("Z",)}, "no block or wing Z"),
        ({"blocks": ("X",)}, "X is not in facility AQ"),
        ({"roles": ("medic",)}, "only guards are assigned blocks"),
        ({"roles": ("records_officer",), "facility": None, "blocks": ()}, "needs a facility"),
        ({"password": "short"}, "at least 12"),
        ({"name": "a\nb"}, "one line"),
    ],
)
def test_add_user_refusals(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(AmanahError, match=message):
        add(**changes)


def test_an_administrator_or_monitor_may_have_no_facility() -> None:
    (event,) = add(roles=("administrator", "monitor"), facility=None, blocks=())
    assert event.facility is None


def test_an_existing_username_is_refused() -> None:
    with pytest.raises(AccessRefused, match="already exists"):
        decide_add_user(
            AddUser("omar", PASSWORD, ("medic",), "AQ"),
            account(disabled=True),
            home_party="Home",
            facility_place=AQ,
            block_places={},
        )


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("elevenchars", "11 characters"),
        ("x" * 257, "longer than 256"),
        ("aaaaaaaaaaaaaaaa", "5 different"),
        ("abababababab", "5 different"),
        ("Password1234", "well-known"),
        ("123456789012", "5 different|well-known"),
        ("my name is omar, hello", "must not contain the username"),
        ("tab\there and there", "control character"),
        (1234567890123, "must be text"),
    ],
)
def test_password_policy(password: Any, message: str) -> None:
    with pytest.raises(AccessRefused, match=message):
        check_password(password, "omar")


def test_good_passwords_in_any_script() -> None:
    assert check_password("كلمة سر طويلة بما يكفي", "omar") == "كلمة سر طويلة بما يكفي"
    assert check_password("correct horse battery staple", "omar")
    # NFKC: a full-width passphrase is the same as its plain form.
    assert (
        check_password("ｃｏｒｒｅｃｔ ｈｏｒｓｅ ｂａｔｔｅｒｙ", "omar")
        == "correct horse battery"
    )


def test_usernames_are_lowercased() -> None:
    assert check_username("  Omar.Ali ") == "omar.ali"


def test_set_roles() -> None:
    command = SetRoles("omar", ("medic",), "AQ", (), "moved to the clinic")
    (event,) = decide_set_roles(command, account(), facility_place=AQ, block_places={})
    assert event == UserRolesSet("omar", ["medic"], "AQ", [], "moved to the clinic")
    same = SetRoles("omar", ("guard",), "AQ", ("A",))
    with pytest.raises(AccessRefused, match="already has"):
        decide_set_roles(same, account(), facility_place=AQ, block_places={"A": BLOCK_A})
    with pytest.raises(AccessRefused, match="no user omar"):
        decide_set_roles(command, None, facility_place=AQ, block_places={})
    with pytest.raises(AccessRefused, match="is disabled"):
        decide_set_roles(command, account(disabled=True), facility_place=AQ, block_places={})


def test_disable() -> None:
    assert decide_disable(DisableUser("omar", "left"), account(), OPERATOR) == [
        UserDisabled("omar", "left")
    ]
    with pytest.raises(AccessRefused, match="is disabled"):
        decide_disable(DisableUser("omar"), account(disabled=True), OPERATOR)
    me = Principal("omar", "P", ("administrator",))
    with pytest.raises(AccessRefused, match="your own account"):
        decide_disable(DisableUser("omar"), account(), me)


def test_change_password_records_that_it_changed_only() -> None:
    (event,) = decide_change_password(ChangePassword("omar", PASSWORD, reset=True), account())
    assert event.to_data() == {"username": "omar", "reset": True}
    with pytest.raises(AccessRefused, match="at least 12"):
        decide_change_password(ChangePassword("omar", "short"), account())
    with pytest.raises(AccessRefused, match="is disabled"):
        decide_change_password(ChangePassword("omar", PASSWORD), account(disabled=True))


def test_evolve_follows_the_lifecycle() -> None:
    added = evolve(None, UserAdded("omar", "Home", None, ["guard"], "AQ", ["A"]), time=T, seq=3)
    assert added == account(seq=3)
    later = "2026-01-21T08:00:00Z"
    moved = evolve(added, UserRolesSet("omar", ["medic"], "AQ", []), time=later, seq=9)
    assert moved == account(roles=("medic",), blocks=(), seq=9)
    changed = evolve(moved, PasswordChanged("omar", False), time=later, seq=10)
    assert changed is not None
    assert changed.password_set_at == later
    closed = evolve(changed, UserDisabled("omar"), time=later, seq=11)
    assert closed is not None
    assert closed.disabled
    assert closed.principal() == Principal("omar", "Home", ("medic",), "AQ", ())
    assert evolve(None, UserDisabled("ghost"), time=T, seq=1) is None
