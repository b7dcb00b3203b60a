"""``amanah incident`` and ``amanah notification``: incidents (reported once, added to by
addenda, never edited) and the notifications owed to families and an independent authority."""

from __future__ import annotations

from typing import Annotated

import typer

from amanah.bootstrap import operator_name
from amanah.cli.context import Ctx
from amanah.cli.output import out, print_json
from amanah.cli.siege_common import AT, FACILITY, JSON, facility_of, record
from amanah.domain.incidents import commands as ic
from amanah.domain.incidents.model import (
    KINDS,
    OPEN_STATUSES,
    OUTCOMES,
    ROLES,
    SEVERITIES,
    attack_timeline,
)
from amanah.domain.notifications import commands as nc
from amanah.domain.notifications.model import CHANNELS
from amanah.errors import InvalidInput
from amanah.services.siege_presenters import incident_json, notification_json

app = typer.Typer(
    help="Incidents: attacks, breaches, escapes, injuries, deaths, utility loss.",
    no_args_is_help=True,
)
notification_app = typer.Typer(
    help="Notifications owed to families and an independent authority (Mandela Rules 68-72).",
    no_args_is_help=True,
)

PEOPLE = Annotated[
    list[str] | None,
    typer.Option(
        "--person",
        help="NUMBER:ROLE:OUTCOME, such as S-000012:injured:seriously_injured (repeatable). "
        f"Roles: {', '.join(ROLES)}. Outcomes: {', '.join(OUTCOMES)}.",
    ),
]


def linked(people: list[str] | None) -> tuple[ic.LinkedPerson, ...]:
    """``NUMBER:ROLE:OUTCOME`` options as links (the service checks them)."""
    found = []
    for text in people or []:
        parts = text.split(":")
        if len(parts) != 3 or not all(p.strip() for p in parts):
            raise InvalidInput(f"--person {text!r}: give NUMBER:ROLE:OUTCOME")
        number, role, outcome = (p.strip() for p in parts)
        found.append(ic.LinkedPerson(number, role, outcome))
    return tuple(found)


@app.command("report")
def report(
    ctx: typer.Context,
    kind: Annotated[str, typer.Option(help=f"One of {', '.join(KINDS)}.")],
    severity: Annotated[str, typer.Option(help=f"One of {', '.join(SEVERITIES)}.")],
    summary: Annotated[str, typer.Option(help="What happened.")],
    location: Annotated[str | None, typer.Option(help="Where (a place id or words).")] = None,
    person: PEOPLE = None,
    facility: FACILITY = None,
    at: AT = None,
    json_out: JSON = False,
) -> None:
    """Report an incident. A death or an escape links the person (their movement must be
    recorded first); a serious injury owes notices to the family and an authority."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        command = ic.ReportIncident(
            "",
            facility_of(app_, facility),
            kind,
            severity,
            app_.siege.time(at),
            location,
            summary,
            linked(person),
        )
        done = record(app_, command, json_out, "incident reported")
    if not json_out:
        out.print(f"incident {done.created[0]}")


@app.command("addendum")
def addendum(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The incident, such as I-0001.")],
    text: Annotated[str, typer.Option(help="What was learned since.")],
    person: PEOPLE = None,
    at: AT = None,
    json_out: JSON = False,
) -> None:
    """Add to an incident (never edit it): text, and people linked or whose outcome changed."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        command = ic.AddAddendum(ident, app_.siege.time(at), text, linked(person))
        record(app_, command, json_out, f"addendum added to {ident}")


@app.command("status")
def status(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The incident.")],
    to: Annotated[str, typer.Option(help="under_review, closed or reopened.")],
    reason: Annotated[str, typer.Option(help="Why (needed to close or reopen).")] = "",
    at: AT = None,
    json_out: JSON = False,
) -> None:
    """Put an incident under review, close it or reopen it."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        command = ic.ChangeStatus(ident, to, app_.siege.time(at), reason)
        record(app_, command, json_out, f"incident {ident} {to}")


@app.command("list")
def list_(
    ctx: typer.Context,
    open_only: Annotated[bool, typer.Option("--open", help="Open incidents only.")] = False,
    attacks: Annotated[
        bool, typer.Option("--attacks", help="The attack timeline: attacks and breaches.")
    ] = False,
    facility: FACILITY = None,
    json_out: JSON = False,
) -> None:
    """Show incidents, oldest first."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        found = app_.guarded().cases(
            "incidents", facility, statuses=OPEN_STATUSES if open_only else None
        )
    if attacks:
        found = attack_timeline(found)
    rows = [incident_json(i) for i in found]
    if json_out:
        print_json(rows)
        return
    for r in rows:
        n = len(r["people"])
        people = f"  ({n} {'person' if n == 1 else 'people'})" if n else ""
        out.print(
            f"{r['id']}  {r['time']}  {r['kind']:<20} {r['severity']:<9} {r['status']:<12}"
            f"{r['summary'].splitlines()[0][:60]}{people}"
        )


@app.command("show")
def show(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The incident.")],
    json_out: JSON = False,
) -> None:
    """Show an incident with its people, addenda and status history."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        shown = incident_json(app_.guarded().case("incidents", ident))
    if json_out:
        print_json(shown)
        return
    out.print(f"{shown['id']} {shown['kind']} ({shown['severity']}), {shown['status']}")
    out.print(f"  {shown['time']} at {shown['location'] or '-'}")
    out.print(f"  {shown['summary']}")
    for p in shown["people"]:
        movement = f", movement #{p['movement']}" if p["movement"] is not None else ""
        out.print(f"  {p['person']}: {p['role']}, {p['outcome']}{movement}")
    for a in shown["addenda"]:
        out.print(f"  addendum {a['time']}: {a['text']}")
    for h in shown["history"]:
        out.print(f"  {h['time']}: {h['status']} {h['reason']}")


@notification_app.command("list")
def notifications(
    ctx: typer.Context,
    overdue: Annotated[bool, typer.Option("--overdue", help="Overdue ones only.")] = False,
    all_: Annotated[bool, typer.Option("--all", help="Acknowledged ones too.")] = False,
    facility: FACILITY = None,
    json_out: JSON = False,
) -> None:
    """Show the notifications owed (and sent), with the overdue ones flagged."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        now = app_.clock.now()
        found = app_.guarded().cases(
            "notifications", facility, statuses=None if all_ else ("owed", "sent")
        )
    rows = [notification_json(n, now) for n in found]
    if overdue:
        rows = [r for r in rows if r["overdue"]]
    if json_out:
        print_json(rows)
        return
    for r in rows:
        flag = "  OVERDUE" if r["overdue"] else ""
        out.print(
            f"{r['id']}  {r['person']:<10} {r['reason']:<16} to {r['recipient']:<22} "
            f"{r['status']:<12} due {r['due']}{flag}"
        )


@notification_app.command("sent")
def sent(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The notification, N-000001.")],
    channel: Annotated[str, typer.Option(help=f"One of {', '.join(CHANNELS)}.")],
    to: Annotated[str, typer.Option(help="Who was told.")],
    by: Annotated[str | None, typer.Option(help="Who told them (default: the operator).")] = None,
    note: Annotated[str, typer.Option(help="Anything to add.")] = "",
    at: AT = None,
    json_out: JSON = False,
) -> None:
    """Record that a notification was given."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        command = nc.MarkSent(ident, app_.siege.time(at), channel, to, by or operator_name(), note)
        record(app_, command, json_out, f"notification {ident} sent")


@notification_app.command("ack")
def acknowledge(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The notification.")],
    by: Annotated[str, typer.Option(help="Who confirmed they were told.")],
    note: Annotated[str, typer.Option(help="Anything to add.")] = "",
    at: AT = None,
    json_out: JSON = False,
) -> None:
    """Record that the recipient acknowledged a notification."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        command = nc.Acknowledge(ident, app_.siege.time(at), by, note)
        record(app_, command, json_out, f"notification {ident} acknowledged")
