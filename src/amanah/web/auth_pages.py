"""Logging in and out, the language, and one's own password."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from amanah.api.context import (
    clear_session_cookie,
    client_of,
    identify,
    is_secure,
    server_of,
    set_session_cookie,
)
from amanah.api.sessions import COOKIE, CSRF_FIELD, LOGIN_COOKIE, new_token, same
from amanah.errors import AmanahError, CsrfRejected, LoginFailed, Throttled
from amanah.web.deps import PageCaller, PostedForm, form_of, safe_next
from amanah.web.i18n import choose, language
from amanah.web.render import LANG_COOKIE, page, request_language

COUNTERS_COOKIE = "amanah_counters"  # roll_pages keeps the counters' names in it

router = APIRouter()
Form = Annotated[dict[str, str], Depends(form_of)]


def _login_page(
    request: Request,
    *,
    error: str | None = None,
    username: str = "",
    next_path: str = "/",
    status: int = 200,
) -> HTMLResponse:
    token = request.cookies.get(LOGIN_COOKIE) or new_token()
    # The form's token is checked against this cookie (double submit): a form posted from
    # another site cannot read the cookie to copy it.
    response = page(
        request,
        None,
        "login.html",
        {"error": error, "username": username, "next": next_path, "login_csrf": token},
        status=status,
    )
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        max_age=3600,
        httponly=True,
        samesite="strict",
        secure=is_secure(request),
        path="/",
    )
    return response


@router.get("/login", name="login")
def login_form(request: Request, next: str | None = None) -> Response:
    if identify(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _login_page(request, next_path=safe_next(next))


@router.post("/login")
def login(request: Request, form: Form) -> Response:
    server = server_of(request)
    lang = request_language(request, None)
    next_path = safe_next(form.get("next"))
    username = form.get("username", "")[:256]
    if not same(form.get(CSRF_FIELD), request.cookies.get(LOGIN_COOKIE)):
        message = lang.gettext("The log-in form had expired. Please try again.")
        return _login_page(
            request, error=message, username=username, next_path=next_path, status=403
        )
    try:
        principal = server.app.access.authenticate(
            username, form.get("password", ""), client_of(request)
        )
    except Throttled as exc:
        message = lang.gettext("Too many failed log-ins. Try again after %(time)s.") % {
            "time": exc.retry_after.strftime("%H:%M:%S UTC")
        }
        return _login_page(
            request, error=message, username=username, next_path=next_path, status=429
        )
    except LoginFailed:
        message = lang.gettext("Wrong username or password, or the account is disabled.")
        return _login_page(
            request, error=message, username=username, next_path=next_path, status=401
        )
    # A new session every time: whatever token the browser brought is ended, not reused.
    server.sessions.end(request.cookies.get(COOKIE))
    token, _ = server.sessions.start(principal.username, lang.code)
    response = RedirectResponse(next_path, status_code=303)
    set_session_cookie(request, response, token)
    response.delete_cookie(LOGIN_COOKIE, path="/")
    response.delete_cookie(COUNTERS_COOKIE, path="/")  # the last shift's counters are not ours
    return response


@router.post("/logout", name="logout")
def logout(request: Request, posted: PostedForm) -> Response:
    caller = posted.caller
    caller.access.logout(caller.principal, caller.client)
    caller.server.sessions.end(caller.token)
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(request, response)
    response.delete_cookie(COUNTERS_COOKIE, path="/")
    return response


@router.post("/language", name="language")
def set_language(request: Request, form: Form) -> Response:
    """Switch the page language (kept in the session, or a cookie before logging in)."""
    code = choose(form.get("lang"))
    caller = identify(request)
    expected = caller.session.csrf if caller else request.cookies.get(LOGIN_COOKIE)
    if not same(form.get(CSRF_FIELD), expected):
        raise CsrfRejected(language(code).gettext("The page had expired. Please try again."))
    if caller is not None:
        caller.server.sessions.set_language(caller.token, code)
    response = RedirectResponse(safe_next(form.get("next")), status_code=303)
    response.set_cookie(
        LANG_COOKIE, code, max_age=365 * 86400, samesite="strict", secure=is_secure(request)
    )
    return response


@router.get("/account", name="account")
def account(request: Request, caller: PageCaller) -> Response:
    return page(request, caller, "account.html", {"error": None})


@router.post("/account")
def change_password(request: Request, posted: PostedForm) -> Response:
    caller = posted.caller
    lang = request_language(request, caller)
    new = posted.form.get("new_password", "")
    if new != posted.form.get("repeat_password", ""):
        error = lang.gettext("The two new passwords differ.")
        return page(request, caller, "account.html", {"error": error}, status=422)
    try:
        caller.access.change_password(
            caller.principal,
            caller.principal.username,
            new,
            current_password=posted.form.get("current_password", ""),
            client=caller.client,
        )
    except AmanahError as exc:
        return page(request, caller, "account.html", {"error": str(exc)}, status=422)
    caller.server.sessions.end_user(caller.principal.username)
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(request, response)
    return response
