"""Who is calling: the server's state, the caller behind a request, and CSRF.

A request is authenticated by its session token, from the ``Authorization: Bearer`` header
(scripts) or the session cookie (browsers). The account is read again on every request
(:meth:`AccessService.principal`), so a role change, a disabled account or a new password
takes effect at once. A browser's request that changes something must also carry its
session's CSRF token (header ``X-CSRF-Token`` or form field ``csrf_token``): the cookie
alone is sent by the browser whatever page made the request, the token only by our pages.
A bearer token is never sent by a browser on its own, so it needs no CSRF token.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from fastapi import Request, Response

from amanah.api.sessions import (
    ABSOLUTE,
    COOKIE,
    CSRF_FIELD,
    CSRF_HEADER,
    Session,
    SessionStore,
    same,
)
from amanah.bootstrap import App
from amanah.domain.access.permissions import Principal
from amanah.errors import CsrfRejected, LoginFailed
from amanah.services.access import AccessService
from amanah.services.guarded import Guarded

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class Server:
    """What every request of one server process shares."""

    app: App
    sessions: SessionStore
    #: Mark cookies ``Secure`` (only sent over TLS): on whenever the server is reached by
    #: HTTPS, and for every request when set (behind a TLS-terminating proxy).
    secure_cookies: bool = False


def server_of(request: Request) -> Server:
    return cast(Server, request.app.state.server)


def client_of(request: Request) -> str:
    """The client's address, as the throttle and the access log record it."""
    return request.client.host if request.client else "unknown"


@dataclass
class Caller:
    """An authenticated request: the account as it stands now, and its session."""

    server: Server
    principal: Principal
    session: Session
    token: str
    client: str
    by_cookie: bool

    @property
    def guarded(self) -> Guarded:
        """The services as this principal may use them (every call checked and logged)."""
        return self.server.app.guarded(self.principal, self.client)

    @property
    def access(self) -> AccessService:
        return self.server.app.access


def _token(request: Request) -> tuple[str | None, bool]:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip(), False
    return request.cookies.get(COOKIE), True


def identify(request: Request) -> Caller | None:
    """The caller behind the request's session, or None (no session, ended, or the account
    disabled or its password changed since the session began)."""
    server = server_of(request)
    token, by_cookie = _token(request)
    session = server.sessions.get(token)
    if session is None or token is None:
        return None
    try:
        principal = server.app.access.principal(session.username, authenticated_at=session.started)
    except LoginFailed:
        server.sessions.end(token)
        return None
    return Caller(server, principal, session, token, client_of(request), by_cookie)


def check_csrf(request: Request, caller: Caller, form_token: str | None = None) -> None:
    """Refuse a browser's unsafe request without its session's CSRF token."""
    if request.method in SAFE_METHODS or not caller.by_cookie:
        return
    given = request.headers.get(CSRF_HEADER) or form_token
    if not same(given, caller.session.csrf):
        raise CsrfRejected(
            "this change did not come with the page's security token; reload the page and try again"
        )


def api_caller(request: Request) -> Caller:
    """FastAPI dependency of every API operation but logging in: the authenticated caller
    (401 without a session; 403 for a browser's change without its CSRF token)."""
    caller = identify(request)
    if caller is None:
        raise LoginFailed("log in first: no session, or it has ended")
    check_csrf(request, caller)
    return caller


def is_secure(request: Request) -> bool:
    return server_of(request).secure_cookies or request.url.scheme == "https"


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(ABSOLUTE.total_seconds()),
        httponly=True,
        samesite="strict",
        secure=is_secure(request),
        path="/",
    )


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(
        COOKIE, httponly=True, samesite="strict", secure=is_secure(request), path="/"
    )


__all__ = [
    "CSRF_FIELD",
    "Caller",
    "Server",
    "api_caller",
    "check_csrf",
    "clear_session_cookie",
    "client_of",
    "identify",
    "server_of",
    "set_session_cookie",
]
