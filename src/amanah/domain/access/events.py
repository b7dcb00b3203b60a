"""Events of the accounts, and the access log's anchors. No event ever carries a password
or a password hash: those stay in the ``accounts`` table of the machine that checks them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from amanah.domain.shared import DataEvent


@dataclass(frozen=True, slots=True)
class UserAdded(DataEvent):
    """``access.user_added``: a local account was opened. data: ``username``, ``party``
    (the authority the user acts for), ``name`` (display name, or null), ``roles``,
    ``facility`` (null: every facility), ``blocks`` (a guard's blocks or wings)."""

    TYPE: ClassVar[str] = "access.user_added"

    username: str
    party: str
    name: str | None
    roles: list[str]
    facility: str | None
    blocks: list[str]


@dataclass(frozen=True, slots=True)
class UserRolesSet(DataEvent):
    """``access.user_roles_set``: an account's roles, facility and blocks were replaced.
    data: ``username``, ``roles``, ``facility``, ``blocks``, ``reason`` (or null)."""

    TYPE: ClassVar[str] = "access.user_roles_set"

    username: str
    roles: list[str]
    facility: str | None
    blocks: list[str]
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class UserDisabled(DataEvent):
    """``access.user_disabled``: an account was closed. data: ``username``, ``reason``."""

    TYPE: ClassVar[str] = "access.user_disabled"

    username: str
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class PasswordChanged(DataEvent):
    """``access.password_changed``: an account's password was set. data: ``username``,
    ``reset`` (true when an administrator set it, false when the user changed it). That it
    changed, never what it is or its hash."""

    TYPE: ClassVar[str] = "access.password_changed"

    username: str
    reset: bool


@dataclass(frozen=True, slots=True)
class AccessLogAnchored(DataEvent):
    """``access.log_anchored``: the access log's first ``size`` rows end in the chain hash
    ``head`` (base64), so a later change to any of them shows. data: ``size``, ``head``."""

    TYPE: ClassVar[str] = "access.log_anchored"

    size: int
    head: str


ACCESS_EVENTS = (UserAdded, UserRolesSet, UserDisabled, PasswordChanged, AccessLogAnchored)
