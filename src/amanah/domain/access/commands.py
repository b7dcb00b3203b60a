"""Commands to the accounts. Passwords travel in commands only, never in events, and are
left out of every ``repr`` so that they cannot reach a log or a traceback."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class AddUser:
    """Open a local account. ``facility`` None: every facility (administrators and monitors
    only); ``blocks``: the blocks or wings a guard serves in; ``party``: the authority the
    user acts for (default: the home's party, e.g. a guarantor's name for a monitor)."""

    username: str
    password: str = field(repr=False)
    roles: tuple[str, ...]
    facility: str | None = None
    blocks: tuple[str, ...] = ()
    name: str | None = None
    party: str | None = None


@dataclass(frozen=True, slots=True)
class SetRoles:
    """Replace an account's roles, facility and blocks."""

    username: str
    roles: tuple[str, ...]
    facility: str | None = None
    blocks: tuple[str, ...] = ()
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class DisableUser:
    """Close an account for good: it can no longer log in, and its sessions end."""

    username: str
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class ChangePassword:
    """Set a new password. ``reset``: set by someone else (an administrator), not the user."""

    username: str
    password: str = field(repr=False)
    reset: bool = False
