"""The ledger (checkpoint, witnesses, audit, receipts, tiles), the access log and the
accounts, in the browser."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response

from amanah.api.ledger_routes import MAX_INDEX, receipt_response, tiles_response
from amanah.domain.access.commands import AddUser, DisableUser, SetRoles
from amanah.domain.access.permissions import ROLES
from amanah.errors import AmanahError, Forbidden, InvalidInput
from amanah.web.deps import PageCaller, PostedForm
from amanah.web.register_pages import flash
from amanah.web.render import page, request_language

router = APIRouter()


@router.get("/ledger", name="ledger")
def ledger(request: Request, caller: PageCaller) -> Response:
    return _ledger_page(request, caller, None)


def _ledger_page(request: Request, caller: PageCaller, audit: object) -> Response:
    guarded = caller.guarded
    context = {
        "published": guarded.published(),
        "entries": guarded.latest_entries(25),
        "audit": audit,
    }
    return page(request, caller, "ledger.html", context, here="ledger")


@router.get("/ledger/audit", name="ledger_audit")
def ledger_audit(request: Request, caller: PageCaller) -> Response:
    """Audit the whole log now (an htmx fragment, or the ledger page with its result)."""
    report = caller.guarded.audit().to_json()
    if request.headers.get("HX-Request"):
        return page(request, caller, "ledger_audit.html", {"audit": report})
    return _ledger_page(request, caller, report)


@router.get("/ledger/receipt", name="ledger_receipt")
def receipt(request: Request, caller: PageCaller, index: str = "") -> Response:
    """A C2SP tlog-proof receipt for one entry, as a file."""
    text = index.strip()
    if not text.isdecimal() or len(text) > 18:
        lang = request_language(request, caller)
        raise InvalidInput(lang.gettext("Give the entry's number (0 or more)."))
    return receipt_response(caller.guarded, int(text))


@router.get("/ledger/entry/{index}", name="ledger_entry")
def entry(caller: PageCaller, index: Annotated[int, Path(ge=0, le=MAX_INDEX)]) -> Response:
    """One entry's bytes, as hashed into the tree."""
    return Response(caller.guarded.entry(index), media_type="application/json")


@router.get("/ledger/tiles.zip", name="ledger_tiles")
def tiles(caller: PageCaller) -> Response:
    return tiles_response(caller.guarded)


# -- the access log ---------------------------------------------------------------------------


@router.get("/access", name="access_log")
def access_log(request: Request, caller: PageCaller, page_number: int = 1) -> Response:
    per_page = 100
    number = max(1, min(page_number, 100_000))
    rows = caller.access.access_log(
        caller.principal, limit=per_page, offset=(number - 1) * per_page, client=caller.client
    )
    context = {"rows": rows, "page_number": number, "per_page": per_page}
    return page(request, caller, "access_log.html", context, here="access_log")


@router.get("/access/verify", name="access_verify")
def access_verify(request: Request, caller: PageCaller) -> Response:
    """The chain's check, re-hashing the whole access log: loaded by the page after it has
    shown the rows (a fragment), so a long log does not hold the page back."""
    report = caller.access.verify_log(caller.principal, caller.client)
    return page(request, caller, "access_verify.html", {"report": report})


# -- accounts ---------------------------------------------------------------------------------


def _users_page(
    request: Request, caller: PageCaller, error: str | None = None, status: int = 200
) -> Response:
    users = caller.access.users(caller.principal, caller.client)
    blocks = [p for p in caller.guarded.locations() if p.kind in ("block", "wing")]
    context = {"users": users, "roles": ROLES, "blocks": blocks, "error": error}
    return page(request, caller, "users.html", context, status=status, here="users")


@router.get("/users", name="users")
def users(request: Request, caller: PageCaller) -> Response:
    return _users_page(request, caller)


@router.post("/users")
def user_action(request: Request, posted: PostedForm) -> Response:
    """Add an account, set its roles, reset its password or disable it (``action``)."""
    caller = posted.caller
    form = posted.form
    action = form.get("action", "")
    username = form.get("username", "")
    roles = tuple(r for r in posted.lists.get("role", []) if r)
    blocks = tuple(b for b in posted.lists.get("block", []) if b)
    lang = request_language(request, caller)
    try:
        if action == "add":
            if form.get("password", "") != form.get("repeat_password", ""):
                raise InvalidInput(lang.gettext("The two new passwords differ."))
            command = AddUser(
                username,
                form.get("password", ""),
                roles,
                posted.get("facility"),
                blocks,
                posted.get("name"),
                posted.get("party"),
            )
            caller.access.add_user(caller.principal, command, caller.client)
            message = lang.gettext("Account %(name)s opened.")
        elif action == "roles":
            command_roles = SetRoles(username, roles, posted.get("facility"), blocks)
            caller.access.set_roles(caller.principal, command_roles, caller.client)
            message = lang.gettext("Roles of %(name)s set.")
        elif action == "password":
            caller.access.change_password(
                caller.principal, username, form.get("password", ""), client=caller.client
            )
            caller.server.sessions.end_user(username.strip().lower())
            message = lang.gettext("Password of %(name)s reset; their sessions have ended.")
        elif action == "disable":
            closed = caller.access.disable(
                caller.principal, DisableUser(username, posted.get("reason")), caller.client
            )
            caller.server.sessions.end_user(closed.username)
            message = lang.gettext("Account %(name)s disabled; its sessions have ended.")
        else:
            raise InvalidInput(f"unknown action {action!r}")
    except Forbidden:
        raise
    except AmanahError as exc:
        return _users_page(request, caller, str(exc), 422)
    flash(caller, message % {"name": username.strip().lower()})
    return RedirectResponse("/users", status_code=303)
