"""``amanah appeal``: appeals to guarantors (protection, a safe corridor, resupply, medical
evacuation), their acknowledgement, what was promised and by when, and reminders."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Annotated

import typer

from amanah.cli.context import Ctx
from amanah.cli.output import out, print_json, read_input
from amanah.cli.siege_common import AT, FACILITY, JSON, facility_of, record
from amanah.domain.appeals import commands as ac
from amanah.domain.appeals.model import CHANNELS, KINDS, OPEN_STATUSES, OUTCOMES
from amanah.services.siege_presenters import appeal_json

app = typer.Typer(help="Appeals to guarantors and their answers.", no_args_is_help=True)


@app.command("send")
def send(
    ctx: typer.Context,
    kind: Annotated[str, typer.Option(help=f"One of {', '.join(KINDS)}.")],
    to: Annotated[str, typer.Option(help="The recipient, such as 'ICRC delegation'.")],
    channel: Annotated[str, typer.Option(help=f"One of {', '.join(CHANNELS)}.")],
    text: Annotated[str, typer.Option(help="What was asked, as sent.")],
    sitrep: Annotated[
        Path | None,
        typer.Option(help="The situation report sent with it (pinned by its SHA-256)."),
    ] = None,
    facility: FACILITY = None,
    at: AT = None,
    json_out: JSON = False,
) -> None:
    """Record an appeal sent to a guarantor."""
    c: Ctx = ctx.obj
    digest = name = None
    if sitrep is not None:
        digest = hashlib.sha256(read_input(sitrep, "situation report")).hexdigest()
        name = sitrep.name
    with c.app() as app_:
        command = ac.SendAppeal(
            "",
            facility_of(app_, facility),
            kind,
            to,
            channel,
            text,
            app_.siege.time(at),
            digest,
            name,
        )
        done = record(app_, command, json_out, "appeal recorded")
    if not json_out:
        out.print(f"appeal {done.created[0]}")


@app.command("ack")
def acknowledge(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The appeal, such as AP-0001.")],
    by: Annotated[str, typer.Option(help="Who acknowledged it, for the guarantor.")],
    note: Annotated[str, typer.Option(help="What they said.")] = "",
    at: AT = None,
    json_out: JSON = False,
) -> None:
    """Record that the guarantor acknowledged an appeal."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        command = ac.Acknowledge(ident, app_.siege.time(at), by, note)
        record(app_, command, json_out, f"appeal {ident} acknowledged")


@app.command("promise")
def promise(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The appeal.")],
    action: Annotated[str, typer.Option(help="What the guarantor promised to do.")],
    deadline: Annotated[str, typer.Option(help="By when (ISO 8601).")],
    by: Annotated[str, typer.Option(help="Who promised it.")],
    at: AT = None,
    json_out: JSON = False,
) -> None:
    """Record the action promised in answer to an appeal, and its deadline."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        command = ac.Promise(ident, app_.siege.time(at), action, app_.siege.time(deadline), by)
        record(app_, command, json_out, f"promise recorded on appeal {ident}")


@app.command("remind")
def remind(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The appeal.")],
    channel: Annotated[str, typer.Option(help=f"One of {', '.join(CHANNELS)}.")],
    text: Annotated[str, typer.Option(help="The reminder, as sent.")],
    at: AT = None,
    json_out: JSON = False,
) -> None:
    """Record a reminder sent to the guarantor."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        command = ac.Remind(ident, app_.siege.time(at), channel, text)
        record(app_, command, json_out, f"reminder recorded on appeal {ident}")


@app.command("close")
def close(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The appeal.")],
    outcome: Annotated[str, typer.Option(help=f"One of {', '.join(OUTCOMES)}.")],
    note: Annotated[str, typer.Option(help="What happened (needed unless fulfilled).")] = "",
    at: AT = None,
    json_out: JSON = False,
) -> None:
    """Close an appeal: fulfilled, refused or withdrawn."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        command = ac.Close(ident, app_.siege.time(at), outcome, note)
        record(app_, command, json_out, f"appeal {ident} {outcome}")


@app.command("list")
def list_(
    ctx: typer.Context,
    all_: Annotated[bool, typer.Option("--all", help="Closed appeals too.")] = False,
    facility: FACILITY = None,
    json_out: JSON = False,
) -> None:
    """Show the open appeals (a reminder is due once a promised deadline has passed)."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        now = app_.clock.now()
        found = app_.guarded().cases("appeals", facility, statuses=None if all_ else OPEN_STATUSES)
    rows = [appeal_json(a, now) for a in found]
    if json_out:
        print_json(rows)
        return
    for r in rows:
        due = "  REMINDER DUE" if r["reminder_due"] else ""
        deadline = f"  deadline {r['deadline']}" if r["deadline"] else ""
        out.print(f"{r['id']}  {r['kind']:<18} {r['status']:<12} {r['recipient']}{deadline}{due}")


@app.command("show")
def show(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The appeal.")],
    json_out: JSON = False,
) -> None:
    """Show one appeal with its acknowledgement, promises and reminders."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        found = app_.guarded().case("appeals", ident)
        shown = appeal_json(found, app_.clock.now())
    if json_out:
        print_json(shown)
        return
    out.print(f"{shown['id']} {shown['kind']} to {shown['recipient']} by {shown['channel']}")
    out.print(f"  sent {shown['time']}; status {shown['status']}")
    out.print(f"  {shown['text']}")
    if shown["sitrep_sha256"]:
        out.print(f"  situation report {shown['sitrep_name']} sha256 {shown['sitrep_sha256']}")
    if shown["acknowledged"]:
        out.print(
            f"  acknowledged {shown['acknowledged']['time']} by {shown['acknowledged']['by']}"
        )
    for p in shown["promises"]:
        out.print(f"  promised {p['time']} by {p['by']}: {p['action']} (deadline {p['deadline']})")
    for r in shown["reminders"]:
        out.print(f"  reminded {r['time']} by {r['channel']}: {r['text']}")
    if shown["closed"]:
        out.print(f"  closed {shown['closed']['time']}: {shown['closed']['outcome']}")
