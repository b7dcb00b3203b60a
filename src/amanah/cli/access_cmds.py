"""``amanah user`` and ``amanah access``: local accounts and the access log.

The command line acts as the machine's operator (an administrator of every facility). A
password is never an argument (it would sit in the shell history and the process list): it is
asked twice on the terminal, or read as one line from standard input with
``--password-stdin``.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from amanah.cli.context import Ctx
from amanah.cli.output import err, out, print_json
from amanah.domain.access.commands import AddUser, DisableUser, SetRoles
from amanah.domain.access.model import Account
from amanah.errors import InvalidInput
from amanah.services.presenters import access_record_json, account_json

user_app = typer.Typer(
    help="Local accounts: add, set roles, passwords, disable.", no_args_is_help=True
)
access_app = typer.Typer(
    help="The access log: who viewed, exported, logged in.", no_args_is_help=True
)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print as JSON.")]
PasswordStdin = Annotated[
    bool,
    typer.Option("--password-stdin", help="Read the password as one line from standard input."),
]
Roles = Annotated[
    list[str],
    typer.Option(
        "--role",
        help="administrator, records_officer, guard, medic, monitor or receiving_officer "
        "(repeat for several).",
    ),
]
Facility = Annotated[
    str | None,
    typer.Option(
        help="The facility the account acts in (default: the home's only one; none "
        "for an administrator or monitor of every facility)."
    ),
]
Blocks = Annotated[
    list[str] | None,
    typer.Option("--block", help="A guard's block or wing (repeat for several)."),
]


def _password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        password = line[:-1] if line.endswith("\n") else line
        if not password:
            raise InvalidInput("no password on standard input")
        return password.removesuffix("\r")
    if not sys.stdin.isatty():
        raise InvalidInput("no terminal to ask for the password on: use --password-stdin")
    first = typer.prompt("New password", hide_input=True, err=True)
    second = typer.prompt("Repeat it", hide_input=True, err=True)
    if first != second:
        raise InvalidInput("the two passwords differ")
    return str(first)


def _report(a: Account, json_out: bool, message: str) -> None:
    if json_out:
        print_json(account_json(a))
    else:
        out.print(message)


@user_app.command("add")
def user_add(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="2-32 letters a-z, digits, '.', '_', '-'.")],
    role: Roles,
    facility: Facility = None,
    block: Blocks = None,
    name: Annotated[str | None, typer.Option(help="The person's name, as shown.")] = None,
    party: Annotated[
        str | None,
        typer.Option(help="The authority the user acts for (default: the home's party)."),
    ] = None,
    password_stdin: PasswordStdin = False,
    json_out: JsonFlag = False,
) -> None:
    """Open a local account. The password is asked twice (at least 12 characters)."""
    c: Ctx = ctx.obj
    password = _password(password_stdin)
    command = AddUser(username, password, tuple(role), facility, tuple(block or ()), name, party)
    with c.app() as app_:
        added = app_.access.add_user(app_.operator, command, client="cli")
    where = f" in {added.facility}" if added.facility else " in every facility"
    blocks = f" (blocks {', '.join(added.blocks)})" if added.blocks else ""
    _report(added, json_out, f"added {added.username}: {', '.join(added.roles)}{where}{blocks}")


@user_app.command("roles")
def user_roles(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="The account.")],
    role: Roles,
    facility: Facility = None,
    block: Blocks = None,
    reason: Annotated[str | None, typer.Option(help="Why (recorded).")] = None,
    json_out: JsonFlag = False,
) -> None:
    """Replace an account's roles, facility and blocks."""
    c: Ctx = ctx.obj
    command = SetRoles(username, tuple(role), facility, tuple(block or ()), reason)
    with c.app() as app_:
        changed = app_.access.set_roles(app_.operator, command, client="cli")
    _report(changed, json_out, f"{changed.username} is now {', '.join(changed.roles)}")


@user_app.command("passwd")
def user_passwd(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="The account.")],
    password_stdin: PasswordStdin = False,
) -> None:
    """Set an account's password (its sessions end). Asked twice, or read from stdin."""
    c: Ctx = ctx.obj
    password = _password(password_stdin)
    with c.app() as app_:
        app_.access.change_password(app_.operator, username, password, client="cli")
    out.print(f"password of {username.strip().lower()} set")


@user_app.command("disable")
def user_disable(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="The account.")],
    reason: Annotated[str | None, typer.Option(help="Why (recorded).")] = None,
    json_out: JsonFlag = False,
) -> None:
    """Close an account for good: it can no longer log in, and its sessions end."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        closed = app_.access.disable(app_.operator, DisableUser(username, reason), client="cli")
    _report(closed, json_out, f"{closed.username} is disabled")


@user_app.command("list")
def user_list(ctx: typer.Context, json_out: JsonFlag = False) -> None:
    """List the accounts: roles, facility, blocks, whether disabled."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        found = app_.access.users(app_.operator, client="cli")
    if json_out:
        print_json([account_json(a) for a in found])
        return
    table = Table("username", "name", "roles", "facility", "blocks", "state")
    for a in found:
        table.add_row(
            a.username,
            a.name or "",
            ", ".join(a.roles),
            a.facility or "(all)",
            ", ".join(a.blocks),
            "disabled" if a.disabled else "active",
        )
    out.print(table)


@access_app.command("log")
def access_log(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(min=1, max=100_000, help="At most this many.")] = 50,
    json_out: JsonFlag = False,
) -> None:
    """Show the access log, newest first: views, searches, exports, logins, denials."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        rows = app_.access.access_log(app_.operator, limit=limit, client="cli")
    if json_out:
        print_json([access_record_json(r) for r in rows])
        return
    for r in rows:
        who = r.user or "-"
        parts = [f"#{r.seq}", r.time, r.kind, who]
        parts += [x for x in (r.subject, r.facility, r.client, r.detail) if x]
        out.print("  ".join(parts))


@access_app.command("verify")
def access_verify(ctx: typer.Context, json_out: JsonFlag = False) -> None:
    """Re-hash the access log and check it against its anchors in the ledger. Exit 1 if
    a record was changed, removed or added out of order."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        report = app_.access.verify_log(app_.operator, client="cli")
    if json_out:
        print_json(report.to_json())
    elif report.ok:
        out.print(
            f"intact: {report.size} records, {report.anchored} anchored "
            f"({report.anchors} anchors in the ledger)"
        )
    else:
        err.print(f"TAMPERED (first bad record: {report.first_bad})", markup=False)
        for p in report.problems:
            err.print(f"- {p.what}", markup=False)
    if not report.ok:
        raise typer.Exit(1)
