"""Roles and permissions, as data: which role may take which action, and where.

:data:`PERMISSIONS` is the whole policy. Each role grants actions at one of two scopes:

- ``facility``: anywhere in the principal's facility (or every facility, for a principal
  with none: an administrator or a monitor of several facilities);
- ``blocks``: only at places inside one of the principal's assigned blocks or wings (a guard
  counts and moves only where they serve).

:func:`check` is the one decision every entrypoint reaches through the services; it is
pure, and tests pin the whole role × action table (``tests/unit/test_access_permissions.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from amanah.errors import Forbidden

ADMINISTRATOR = "administrator"
RECORDS_OFFICER = "records_officer"
GUARD = "guard"
MEDIC = "medic"
MONITOR = "monitor"
RECEIVING_OFFICER = "receiving_officer"

ROLES = (ADMINISTRATOR, RECORDS_OFFICER, GUARD, MEDIC, MONITOR, RECEIVING_OFFICER)

#: Every action, and what it lets a person do (the reference for the API and the UI).
ACTIONS: Mapping[str, str] = {
    "register.read": "read a person's full record and history; search the register",
    "roster.read": "read the roster: number, names, category, status and place of each person",
    "register.admit": "admit a detainee, register staff or another person",
    "register.correct": "correct a field of a person's record",
    "location.read": "read places, capacities and occupancy",
    "location.manage": "add places; set their capacity and state",
    "movement.cell": "move a person between cells, posts and reception",
    "movement.record": "record absences, returns, transfers, releases, escapes, recaptures",
    "medical.record": "record hospital absences and returns, and deaths",
    "roll.read": "read roll-call status and roll sheets",
    "roll.open": "open a roll call",
    "roll.count": "record the count of a place in a roll call",
    "roll.resolve": "resolve a person in a roll-call difference",
    "occurrence.read": "read the daily occurrence book",
    "occurrence.record": "write in the daily occurrence book",
    "ledger.read": "read the ledger: checkpoints, entries, proofs, audits",
    "ledger.export": "take a copy of the ledger or the register off the machine",
    "ledger.cosign": "ask witnesses for cosignatures and store them",
    "access_log.read": "read the access log",
    "supplies.read": "read stores, stock and the supplies runway",
    "supplies.record": "record deliveries, issues, losses and counts; set up generators, pumps",
    "incident.read": "read incidents, their addenda and the attack timeline",
    "incident.report": "report an incident and add addenda to it",
    "incident.review": "put an incident under review, close or reopen it",
    "notification.read": "read the notifications owed to families and authorities",
    "notification.record": "record that a notification was sent or acknowledged",
    "appeal.read": "read appeals to guarantors and their answers",
    "appeal.record": "send appeals, record acknowledgements, promises and reminders",
    "sitrep.read": "read and export the situation report (aggregate figures)",
    "user.manage": "add accounts, set their roles, disable them, reset passwords",
}

#: Actions that change the record (everything else only reads it).
WRITE_ACTIONS = frozenset(
    {
        "register.admit",
        "register.correct",
        "location.manage",
        "movement.cell",
        "movement.record",
        "medical.record",
        "roll.open",
        "roll.count",
        "roll.resolve",
        "occurrence.record",
        "ledger.cosign",
        "user.manage",
        "supplies.record",
        "incident.report",
        "incident.review",
        "notification.record",
        "appeal.record",
    }
)

FACILITY = "facility"
BLOCKS = "blocks"


def _grant(scope: str, *actions: str) -> dict[str, str]:
    return dict.fromkeys(actions, scope)


#: role -> action -> scope. An action missing from a role's map is denied to it.
PERMISSIONS: Mapping[str, Mapping[str, str]] = {
    ADMINISTRATOR: _grant(FACILITY, *ACTIONS),
    RECORDS_OFFICER: _grant(
        FACILITY,
        "register.read",
        "roster.read",
        "register.admit",
        "register.correct",
        "location.read",
        "movement.cell",
        "movement.record",
        "medical.record",
        "roll.read",
        "roll.open",
        "roll.count",
        "roll.resolve",
        "occurrence.read",
        "occurrence.record",
        "ledger.read",
        "ledger.export",
        "supplies.read",
        "supplies.record",
        "incident.read",
        "incident.report",
        "incident.review",
        "notification.read",
        "notification.record",
        "appeal.read",
        "sitrep.read",
    ),
    GUARD: _grant(
        FACILITY,
        "location.read",
        "roll.read",
        "occurrence.read",
        "occurrence.record",
        "incident.read",
        "incident.report",
    )
    | _grant(BLOCKS, "roster.read", "movement.cell", "roll.count"),
    MEDIC: _grant(
        FACILITY,
        "register.read",
        "roster.read",
        "location.read",
        "roll.read",
        "medical.record",
        "supplies.read",
        "incident.read",
        "incident.report",
        "notification.read",
        "notification.record",
        "sitrep.read",
    ),
    MONITOR: _grant(
        FACILITY,
        "register.read",
        "roster.read",
        "location.read",
        "roll.read",
        "occurrence.read",
        "ledger.read",
        "ledger.export",
        "access_log.read",
        "supplies.read",
        "incident.read",
        "notification.read",
        "appeal.read",
        "sitrep.read",
    ),
    RECEIVING_OFFICER: _grant(FACILITY, "roster.read"),
}

#: Roles an account may hold without a facility (then it reaches every facility).
UNSCOPED_ROLES = frozenset({ADMINISTRATOR, MONITOR})
#: Roles that are assigned blocks (and need at least one).
BLOCK_ROLES = frozenset({GUARD})


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is acting, as authenticated: an account's name, party, roles and scope.

    ``facility`` None reaches every facility; ``blocks`` are the blocks or wings a guard
    serves in. The command line acts as the machine's *operator*: an administrator of the
    home's party with no facility (it holds the log key on disk).
    """

    username: str
    party: str
    roles: tuple[str, ...]
    facility: str | None = None
    blocks: tuple[str, ...] = ()
    operator: bool = False

    def may(self, action: str) -> bool:
        """Whether some role grants ``action`` at all (at some scope)."""
        return any(action in PERMISSIONS.get(role, {}) for role in self.roles)


def _who(principal: Principal) -> str:
    return f"{principal.username} ({', '.join(principal.roles) or 'no role'})"


def check_role(principal: Principal, action: str) -> None:
    """Refuse (:class:`Forbidden`) unless one of the principal's roles grants ``action``."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")  # a programming error, not input
    if not principal.may(action):
        raise Forbidden(f"{_who(principal)} may not {ACTIONS[action]}")


def check(
    principal: Principal,
    action: str,
    *,
    facility: str | None,
    places: Sequence[Sequence[str]] = (),
) -> None:
    """Refuse (:class:`Forbidden`) unless ``principal`` may take ``action`` in ``facility``
    at every place in ``places``.

    ``facility`` is the facility the action touches (None: nothing facility-specific, which
    only a principal without a facility passes). Each item of ``places`` is a place's chain:
    its id, then its ancestors' ids up to the facility. Block-scoped grants need at least
    one place, and every place inside one of the principal's blocks.
    """
    check_role(principal, action)
    if principal.facility is not None and facility != principal.facility:
        where = f"facility {facility}" if facility else "more than one facility"
        raise Forbidden(
            f"{_who(principal)} acts only in facility {principal.facility}, not in {where}"
        )
    scopes = {PERMISSIONS[r][action] for r in principal.roles if action in PERMISSIONS.get(r, {})}
    if FACILITY in scopes:
        return
    if not places:
        raise Forbidden(
            f"{_who(principal)} may {ACTIONS[action]} only in their blocks: name the place"
        )
    mine = set(principal.blocks)
    for chain in places:
        if not chain or not mine.intersection(chain):
            # The place is not named: for a move it may be where the register has someone,
            # which is not for a guard of another block to learn.
            raise Forbidden(
                f"{principal.username} may {ACTIONS[action]} only in their blocks "
                f"({', '.join(principal.blocks) or 'none'})"
            )


def allows(
    principal: Principal,
    action: str,
    *,
    facility: str | None,
    places: Sequence[Sequence[str]] = (),
) -> bool:
    """Whether :func:`check` would let ``principal`` take ``action`` there (for showing or
    hiding what a page offers; the service still checks when it is done)."""
    try:
        check(principal, action, facility=facility, places=places)
    except Forbidden:
        return False
    return True


def move_action(kind: str, origin_kind: str | None, destination_kind: str | None) -> str:
    """The action a movement needs: cell moves are ``movement.cell``; hospital absences,
    returns from hospital and deaths are ``medical.record``; the rest ``movement.record``."""
    if kind == "cell":
        return "movement.cell"
    if kind == "death":
        return "medical.record"
    if kind == "out" and destination_kind == "hospital":
        return "medical.record"
    if kind == "return" and origin_kind == "hospital":
        return "medical.record"
    return "movement.record"
