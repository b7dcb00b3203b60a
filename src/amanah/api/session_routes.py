"""``/api/v1/session`` and ``/api/v1/me``: logging in and out, and one's own account."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from amanah.api.context import (
    Caller,
    api_caller,
    clear_session_cookie,
    client_of,
    server_of,
    set_session_cookie,
)
from amanah.api.errors import COMMON_RESPONSES, ErrorResponse
from amanah.api.schemas import LoginIn, MeOut, PasswordIn, SessionOut
from amanah.api.sessions import COOKIE, Session
from amanah.domain.access.permissions import ACTIONS, Principal

router = APIRouter(tags=["session"])
Authenticated = Annotated[Caller, Depends(api_caller)]


def me_out(principal: Principal, session: Session) -> MeOut:
    return MeOut(
        username=principal.username,
        party=principal.party,
        roles=list(principal.roles),
        facility=principal.facility,
        blocks=list(principal.blocks),
        lang=session.lang,
        actions=[a for a in ACTIONS if principal.may(a)],
    )


@router.post(
    "/session",
    response_model=SessionOut,
    responses={
        401: {"model": ErrorResponse, "description": "Wrong username or password"},
        429: {"model": ErrorResponse, "description": "Too many failed logins"},
    },
)
def login(body: LoginIn, request: Request, response: Response) -> SessionOut:
    """Log in. Any session the client already had is ended (a new token every time)."""
    server = server_of(request)
    principal = server.app.access.authenticate(body.username, body.password, client_of(request))
    server.sessions.end(request.cookies.get(COOKIE))
    token, session = server.sessions.start(principal.username, body.lang or "ar")
    set_session_cookie(request, response, token)
    return SessionOut(token=token, csrf_token=session.csrf, user=me_out(principal, session))


@router.delete("/session", status_code=204, responses=COMMON_RESPONSES)
def logout(caller: Authenticated, request: Request, response: Response) -> None:
    """Log out: the session ends here and now."""
    caller.access.logout(caller.principal, caller.client)
    caller.server.sessions.end(caller.token)
    clear_session_cookie(request, response)


@router.get("/me", response_model=MeOut, responses=COMMON_RESPONSES)
def me(caller: Authenticated) -> MeOut:
    """The account behind the session, and every action its roles grant."""
    return me_out(caller.principal, caller.session)


@router.put("/me/password", status_code=204, responses=COMMON_RESPONSES)
def change_own_password(body: PasswordIn, caller: Authenticated) -> None:
    """Change one's own password (the current one is required). Every session of the
    account ends, this one included: log in again."""
    caller.access.change_password(
        caller.principal,
        caller.principal.username,
        body.new_password,
        current_password=body.current_password or "",
        client=caller.client,
    )
    caller.server.sessions.end_user(caller.principal.username)
