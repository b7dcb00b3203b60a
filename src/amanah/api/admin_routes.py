"""Accounts and the access log over HTTP (administrators; monitors read the access log)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from amanah.api.context import Caller, api_caller
from amanah.api.errors import COMMON_RESPONSES, documented
from amanah.api.schemas import (
    AccessRecordOut,
    AccessVerifyOut,
    PasswordIn,
    ReasonIn,
    RolesIn,
    UserIn,
    UserOut,
)
from amanah.domain.access.commands import AddUser, DisableUser, SetRoles
from amanah.services.presenters import access_record_json, account_json

router = APIRouter(responses=COMMON_RESPONSES)
Authenticated = Annotated[Caller, Depends(api_caller)]
NOT_FOUND = documented(404, "No such account")


@router.get("/users", response_model=list[UserOut], tags=["accounts"])
def list_users(caller: Authenticated) -> list[dict[str, Any]]:
    """Every account (of the administrator's facility, if scoped to one)."""
    return [account_json(a) for a in caller.access.users(caller.principal, caller.client)]


@router.post("/users", response_model=UserOut, status_code=201, tags=["accounts"])
def add_user(body: UserIn, caller: Authenticated) -> dict[str, Any]:
    """Open an account. The password is vetted (12+ characters, not a common one, not the
    username) and stored as an argon2id hash, never in the ledger."""
    command = AddUser(
        body.username,
        body.password,
        tuple(body.roles),
        body.facility,
        tuple(body.blocks),
        body.name,
        body.party,
    )
    return account_json(caller.access.add_user(caller.principal, command, caller.client))


@router.get("/users/{username}", response_model=UserOut, tags=["accounts"], responses=NOT_FOUND)
def show_user(username: str, caller: Authenticated) -> dict[str, Any]:
    return account_json(caller.access.account(caller.principal, username, caller.client))


@router.put(
    "/users/{username}/roles", response_model=UserOut, tags=["accounts"], responses=NOT_FOUND
)
def set_roles(username: str, body: RolesIn, caller: Authenticated) -> dict[str, Any]:
    """Replace an account's roles, facility and blocks; it applies to its next request."""
    command = SetRoles(username, tuple(body.roles), body.facility, tuple(body.blocks), body.reason)
    return account_json(caller.access.set_roles(caller.principal, command, caller.client))


@router.post(
    "/users/{username}/disable", response_model=UserOut, tags=["accounts"], responses=NOT_FOUND
)
def disable_user(username: str, body: ReasonIn, caller: Authenticated) -> dict[str, Any]:
    """Close an account for good; its sessions end at once."""
    closed = caller.access.disable(
        caller.principal, DisableUser(username, body.reason), caller.client
    )
    caller.server.sessions.end_user(closed.username)
    return account_json(closed)


@router.put("/users/{username}/password", status_code=204, tags=["accounts"], responses=NOT_FOUND)
def reset_password(username: str, body: PasswordIn, caller: Authenticated) -> None:
    """Set another account's password (an administrator's reset); its sessions end."""
    caller.access.change_password(
        caller.principal,
        username,
        body.new_password,
        current_password=body.current_password,
        client=caller.client,
    )
    caller.server.sessions.end_user(username.strip().lower())


@router.get("/access-log", response_model=list[AccessRecordOut], tags=["access log"])
def access_log(
    caller: Authenticated,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
    offset: Annotated[int, Query(ge=0, le=100_000_000)] = 0,
) -> list[dict[str, Any]]:
    """Views of records, searches, exports, logins, failed logins and denials, newest first."""
    rows = caller.access.access_log(
        caller.principal, limit=limit, offset=offset, client=caller.client
    )
    return [access_record_json(r) for r in rows]


@router.get("/access-log/verify", response_model=AccessVerifyOut, tags=["access log"])
def verify_access_log(caller: Authenticated) -> dict[str, Any]:
    """Re-hash the access log's chain and check it against every anchor in the ledger."""
    return caller.access.verify_log(caller.principal, caller.client).to_json()
