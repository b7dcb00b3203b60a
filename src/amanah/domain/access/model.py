"""The accounts' rules: each ``decide_*`` checks a command against the account as it stands
(and the places it names) and returns the events; :func:`evolve` applies one event.

Accounts live in the ledger (``accounts`` stream) like everything else the facility does;
their passwords do not: :func:`check_password` vets a new one, and the service hashes it
(argon2id) into the ``accounts`` table, which the ledger never sees.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from amanah.domain.access.commands import AddUser, ChangePassword, DisableUser, SetRoles
from amanah.domain.access.errors import AccessRefused
from amanah.domain.access.events import (
    PasswordChanged,
    UserAdded,
    UserDisabled,
    UserRolesSet,
)
from amanah.domain.access.permissions import BLOCK_ROLES, ROLES, UNSCOPED_ROLES, Principal
from amanah.domain.shared import Event, Place, one_line

USERNAME = re.compile(r"^[a-z][a-z0-9._-]{1,31}$")
MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_CHARS = 256
MIN_DISTINCT_CHARS = 5
#: Well-known passwords long enough to pass the length rule (any case).
COMMON_PASSWORDS = frozenset(
    {
        "password1234",
        "password12345",
        "password123456",
        "passwordpassword",
        "123456789012",
        "1234567890123",
        "12345678901234",
        "qwertyuiop123",
        "qwertyuiopasdf",
        "administrator",
        "administrator1",
        "letmeinletmein",
        "iloveyou1234",
        "changeme1234",
        "welcome12345",
        "amanah123456",
        "abcdefghijkl",
        "abc123abc123",
    }
)


@dataclass(frozen=True, slots=True)
class Account:
    """An account as the ledger says it is (the projection row). Times are RFC 3339 UTC;
    ``password_set_at`` is when its password last changed (sessions older than it end)."""

    username: str
    party: str
    name: str | None
    roles: tuple[str, ...]
    facility: str | None
    blocks: tuple[str, ...]
    disabled: bool
    created_at: str
    password_set_at: str
    seq: int

    def principal(self) -> Principal:
        return Principal(self.username, self.party, self.roles, self.facility, self.blocks)


def check_username(value: object) -> str:
    """A username: 2-32 lowercase ASCII letters, digits, '.', '_' or '-', from a letter.
    Input is trimmed and lowercased first (log-ins ignore case)."""
    if not isinstance(value, str):
        raise AccessRefused("a username must be text")
    name = value.strip().lower()
    if not USERNAME.match(name):
        raise AccessRefused(
            f"username {value!r} must be 2-32 letters a-z, digits, '.', '_' or '-', "
            "starting with a letter"
        )
    return name


def normalise_password(password: str) -> str:
    """The form a password is hashed and checked in: NFKC (NIST SP 800-63B 5.1.1.2), so a
    passphrase typed on another keyboard or input method still matches."""
    return unicodedata.normalize("NFKC", password)


def check_password(password: object, username: str) -> str:
    """Vet a new password; return its normalised form. Length is what counts (at least
    :data:`MIN_PASSWORD_CHARS`; any script, spaces allowed); no composition rules, but not a
    well-known password, not a run of a few characters, and not containing the username."""
    if not isinstance(password, str):
        raise AccessRefused("the password must be text")
    text = normalise_password(password)
    if len(text) < MIN_PASSWORD_CHARS:
        raise AccessRefused(
            f"the password is {len(text)} characters; it needs at least {MIN_PASSWORD_CHARS} "
            "(a few words make a good one)"
        )
    if len(text) > MAX_PASSWORD_CHARS:
        raise AccessRefused(f"the password is longer than {MAX_PASSWORD_CHARS} characters")
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        raise AccessRefused("the password contains a control character")
    folded = text.casefold()
    if len(set(folded)) < MIN_DISTINCT_CHARS:
        raise AccessRefused(
            f"the password needs at least {MIN_DISTINCT_CHARS} different characters"
        )
    if folded in COMMON_PASSWORDS:
        raise AccessRefused("the password is a well-known one; choose another")
    if username and username.casefold() in folded:
        raise AccessRefused("the password must not contain the username")
    return text


def _roles(roles: Sequence[str]) -> tuple[str, ...]:
    if isinstance(roles, str) or not roles:
        raise AccessRefused(f"give at least one role: {', '.join(ROLES)}")
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise AccessRefused(f"unknown role {unknown[0]!r}: one of {', '.join(ROLES)}")
    if len(set(roles)) != len(roles):
        raise AccessRefused("a role is given twice")
    return tuple(r for r in ROLES if r in roles)  # one canonical order


def _scope(
    roles: tuple[str, ...],
    facility: str | None,
    blocks: Sequence[str],
    facility_place: Place | None,
    block_places: Mapping[str, Place | None],
) -> tuple[str | None, tuple[str, ...]]:
    """Check the facility and blocks an account is scoped to, against the places found."""
    if facility is None:
        scoped = [r for r in roles if r not in UNSCOPED_ROLES]
        if scoped:
            raise AccessRefused(f"a {scoped[0].replace('_', ' ')} needs a facility")
    elif facility_place is None or facility_place.kind != "facility":
        raise AccessRefused(f"no facility {facility}")
    if isinstance(blocks, str):
        raise AccessRefused("blocks must be a list of place ids")
    needs_blocks = BLOCK_ROLES.intersection(roles)
    if needs_blocks and not blocks:
        raise AccessRefused("a guard needs at least one block or wing")
    if blocks and not needs_blocks:
        raise AccessRefused("only guards are assigned blocks")
    if len(set(blocks)) != len(blocks):
        raise AccessRefused("a block is given twice")
    for block in blocks:
        place = block_places.get(block)
        if place is None or place.kind not in ("block", "wing"):
            raise AccessRefused(f"no block or wing {block}")
        if place.facility != facility:
            raise AccessRefused(f"{block} is not in facility {facility}")
    return facility, tuple(blocks)


def _reason(reason: str | None) -> str | None:
    return one_line(reason, "the reason", max_chars=500) if reason else None


def decide_add_user(
    command: AddUser,
    existing: Account | None,
    *,
    home_party: str,
    facility_place: Place | None,
    block_places: Mapping[str, Place | None],
) -> list[Event]:
    """Open an account (the service hashes the password once this has vetted it)."""
    username = check_username(command.username)
    if existing is not None:
        raise AccessRefused(f"user {username} already exists")
    roles = _roles(command.roles)
    facility, blocks = _scope(roles, command.facility, command.blocks, facility_place, block_places)
    check_password(command.password, username)
    name = one_line(command.name, "the name", max_chars=200) if command.name else None
    party = one_line(command.party, "the party", max_chars=200) if command.party else home_party
    return [UserAdded(username, party, name, list(roles), facility, list(blocks))]


def _active(account: Account | None, username: str) -> Account:
    if account is None:
        raise AccessRefused(f"no user {username}")
    if account.disabled:
        raise AccessRefused(f"user {username} is disabled")
    return account


def decide_set_roles(
    command: SetRoles,
    account: Account | None,
    *,
    facility_place: Place | None,
    block_places: Mapping[str, Place | None],
) -> list[Event]:
    username = check_username(command.username)
    found = _active(account, username)
    roles = _roles(command.roles)
    facility, blocks = _scope(roles, command.facility, command.blocks, facility_place, block_places)
    if (roles, facility, blocks) == (found.roles, found.facility, found.blocks):
        raise AccessRefused(f"user {username} already has these roles, facility and blocks")
    return [UserRolesSet(username, list(roles), facility, list(blocks), _reason(command.reason))]


def decide_disable(command: DisableUser, account: Account | None, by: Principal) -> list[Event]:
    username = check_username(command.username)
    _active(account, username)
    if username == by.username and not by.operator:
        raise AccessRefused("you cannot disable your own account; ask another administrator")
    return [UserDisabled(username, _reason(command.reason))]


def decide_change_password(command: ChangePassword, account: Account | None) -> list[Event]:
    username = check_username(command.username)
    _active(account, username)
    check_password(command.password, username)
    return [PasswordChanged(username, command.reset)]


def evolve(account: Account | None, event: Event, *, time: str, seq: int) -> Account | None:
    """The account after ``event`` (recorded at ``time``, entry ``seq``)."""
    match event:
        case UserAdded():
            return Account(
                event.username,
                event.party,
                event.name,
                tuple(event.roles),
                event.facility,
                tuple(event.blocks),
                disabled=False,
                created_at=time,
                password_set_at=time,
                seq=seq,
            )
        case UserRolesSet() if account is not None:
            return replace(
                account,
                roles=tuple(event.roles),
                facility=event.facility,
                blocks=tuple(event.blocks),
                seq=seq,
            )
        case UserDisabled() if account is not None:
            return replace(account, disabled=True, seq=seq)
        case PasswordChanged() if account is not None:
            return replace(account, password_set_at=time, seq=seq)
    return account
