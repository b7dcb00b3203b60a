"""``amanah roll``: roll calls and the headline figures; ``amanah demo``."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.box import SIMPLE
from rich.table import Column, Table

from amanah.cli.context import Ctx
from amanah.cli.output import err, out, print_json, progress
from amanah.cli.registry_cmds import At, JsonFlag, Override, report
from amanah.errors import Refused
from amanah.services import inputs

app = typer.Typer(help="Roll calls: open, count, status, resolve.", no_args_is_help=True)

RollOption = Annotated[
    str | None, typer.Option("--roll", help="The roll call (default: the one open now).")
]


@app.command("open")
def open_(
    ctx: typer.Context,
    scope: Annotated[
        str | None, typer.Option(help="A block or wing to count (default: the whole facility).")
    ] = None,
    at: At = None,
    json_out: JsonFlag = False,
) -> None:
    """Open a roll call: every cell, post and reception in its scope is to be counted."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        command = inputs.open_roll(app_.facility, scope=scope, at=at)
        done = app_.facility.run([command], app_.actor)
    roll = done.created[0]
    report(done, json_out, f"opened roll {roll} for {command.scope}", roll=roll)


# A count of "-1" must reach the rules (and be refused as a negative count), not be read as an
# unknown option.
@app.command("count", context_settings={"ignore_unknown_options": True})
def count(
    ctx: typer.Context,
    location: Annotated[str, typer.Argument(help="The cell, post or reception counted.")],
    counted: Annotated[int, typer.Argument(help="How many people were counted there.")],
    counter: Annotated[list[str], typer.Option(help="Who counted (repeat for each counter).")],
    roll: RollOption = None,
    at: At = None,
    json_out: JsonFlag = False,
) -> None:
    """Enter the number counted in one place; a mismatch asks for a recount."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        service = app_.facility
        command = inputs.count(service, roll, location, counted, counter, at=at)
        roll_id, place = command.roll, command.location
        done = service.run([command], app_.actor)
        tally = service.roll_places(roll_id)["tallies"].get(place)
        status = service.roll_status()
    result = tally.status if tally else "?"
    cleared = status["roll"] is not None and status["roll"]["status"] == "cleared"
    if json_out:
        report(
            done,
            True,
            "",
            roll=roll_id,
            location=place,
            result=result,
            expected=tally.expected if tally else None,
            roll_cleared=cleared,
        )
        return
    message = {
        "matched": "matches the register",
        "recount": "does not match the register: count again",
        "unresolved": "still does not match: resolve the difference person by person "
        "(`amanah roll resolve`)",
    }.get(result, result)
    report(done, False, f"{place}: {counted} counted, {message}")
    if cleared:
        out.print(f"roll {roll_id} is cleared: every place matched or was resolved")


@app.command("resolve")
def resolve(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="The person accounted for.")],
    outcome: Annotated[str, typer.Option(help="found, elsewhere, out, escaped or dead.")],
    location: Annotated[
        str | None, typer.Option(help="Where the register has them (default: from the register).")
    ] = None,
    found_in: Annotated[
        str | None, typer.Option(help="elsewhere: the place they were found in.")
    ] = None,
    to: Annotated[str | None, typer.Option(help="out: hospital or court.")] = None,
    purpose: Annotated[str | None, typer.Option(help="out: why they are out.")] = None,
    where: Annotated[str | None, typer.Option(help="escaped: where.")] = None,
    place: Annotated[str | None, typer.Option(help="dead: where they died.")] = None,
    circumstances: Annotated[str | None, typer.Option(help="dead: the circumstances.")] = None,
    cause: Annotated[str | None, typer.Option(help="dead: the cause, when known.")] = None,
    remains: Annotated[str | None, typer.Option(help="dead: destination of the remains.")] = None,
    note: Annotated[str | None, typer.Option(help="A note on the resolution.")] = None,
    roll: RollOption = None,
    at: At = None,
    override: Override = None,
    json_out: JsonFlag = False,
) -> None:
    """Account for one person in an unresolved difference; records the matching movement."""
    c: Ctx = ctx.obj
    given = {
        "purpose": purpose,
        "where": where,
        "place": place,
        "circumstances": circumstances,
        "cause": cause,
        "remains": remains,
    }
    with c.app() as app_:
        service = app_.facility
        command = inputs.resolve(
            service,
            roll,
            number,
            outcome,
            location=location,
            found_in=found_in,
            to=to,
            details=given,
            note=note,
            at=at,
            override=override,
        )
        roll_id = command.resolve.roll
        done = service.run([command], app_.actor)
        status = service.roll_status()
    cleared = status["roll"] is not None and status["roll"]["status"] == "cleared"
    report(done, json_out, f"{number}: {outcome}", roll=roll_id, roll_cleared=cleared)
    if cleared and not json_out:
        out.print(f"roll {roll_id} is cleared: every place matched or was resolved")


def _figures_table(status: dict[str, Any]) -> Table:
    keys = ("in_custody", "in_cells", "out", "in_transit", "arrived_today", "left_today")
    heads = ("in custody", "inside", "out", "transit", "arrived", "left", "missing")
    table = Table(
        "", *heads, title="People (arrived, left: today; missing: unaccounted)", box=SIMPLE
    )
    for category, figures in [*status["by_category"].items(), ("total", status["total"])]:
        table.add_row(category, *(str(figures[k]) for k in (*keys, "unaccounted")))
    return table


def _locations_table(status: dict[str, Any]) -> Table:
    table = Table(
        Column("id", no_wrap=True),
        Column("name", max_width=16, no_wrap=True, overflow="ellipsis"),
        *(
            Column(h, no_wrap=True)
            for h in ("expected", "counted", "roll", "cap.", "vacant", "over")
        ),
        title="Places (counted: latest roll, of the number expected then)",
        box=SIMPLE,
        pad_edge=False,
        collapse_padding=True,
    )
    for row in status["locations"]:
        counted = "-" if row["counted"] is None else f"{row['counted']}/{row['expected_at_count']}"
        table.add_row(
            row["id"],
            row["name_ar"],
            str(row["expected"]),
            counted,
            row["roll_status"] or "-",
            "-" if row["capacity"] is None else str(row["capacity"]),
            "-" if row["vacancies"] is None else str(row["vacancies"]),
            "yes" if row["overcrowded"] else "",
        )
    return table


@app.command("status")
def status(
    ctx: typer.Context,
    facility: Annotated[
        str | None, typer.Option(help="The facility (default: the only one).")
    ] = None,
    level: Annotated[str, typer.Option(help="block (one row per block) or cell.")] = "block",
    json_out: JsonFlag = False,
) -> None:
    """Headline figures by category and per place: expected, counted, capacity, vacancies."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        figures = app_.facility.roll_status(facility, level)
    if json_out:
        print_json(figures)
        return
    f = figures["facility"]
    out.print(f"{f['name_ar']} / {f['name_en']} — as of {figures['as_of']}")
    roll = figures["roll"]
    if roll:
        out.print(
            f"roll {roll['id']} ({roll['scope']}): {roll['status']}; {roll['places']} places: "
            f"{roll['matched']} matched, {roll['resolved']} resolved, "
            f"{roll['recount']} to recount, {roll['unresolved']} unresolved, "
            f"{roll['pending']} not yet counted"
        )
    out.print(_figures_table(figures))
    out.print(_locations_table(figures))


def demo(
    ctx: typer.Context,
    seed: Annotated[int, typer.Option(help="Seed of the synthetic scenario.")] = 2026,
    json_out: JsonFlag = False,
) -> None:
    """Load the synthetic al-Aqtan scenario (1,500 detainees, 312 staff, a week) into the home."""
    from amanah.demo import accounts as demo_accounts
    from amanah.demo import siege as siege_demo
    from amanah.demo.aqtan import AS_OF, FACILITY, scenario
    from amanah.reports import sitrep_text
    from amanah.settings import write_secret

    c: Ctx = ctx.obj
    built = scenario(seed)
    with c.app() as app_:
        service = app_.facility
        with app_.storage.reader() as view:
            if view.facility.count_people() or view.facility.locations():
                raise Refused(
                    "this data home already holds a register: use a new home for the demo"
                )
        err.print(built.notice)
        with progress("loading the scenario", len(built.commands)) as update:
            done = service.run(built.commands, app_.actor, update)
        siege = app_.siege.run(siege_demo.commands(), app_.actor)
        figures = service.roll_status()
        report = app_.guarded().sitrep(FACILITY, AS_OF)
        radio = {lang: sitrep_text(report, lang) for lang in ("ar", "en")}
        added = demo_accounts.commands(FACILITY)
        for command in added:
            app_.access.add_user(app_.operator, command)
        write_secret(app_.settings.home / demo_accounts.FILE, demo_accounts.listing(added))
    if json_out:
        print_json(
            {
                "entries": done.count + siege.count,
                "size": siege.checkpoint.size,
                "summary": built.summary,
                "accounts": [{"username": a.username, "roles": list(a.roles)} for a in added],
                "sitrep": radio,
            }
        )
        return
    out.print(f"loaded {done.count + siege.count} entries; log size {siege.checkpoint.size}")
    out.print(_figures_table(figures))
    out.print(_locations_table(figures))
    out.print(f"\nSituation report for the last day (`amanah sitrep --at {AS_OF.isoformat()}`):")
    out.print(radio["ar"])
    out.print(radio["en"])
    out.print(
        f"{len(added)} demo accounts opened; their passwords are in "
        f"{app_.settings.home / demo_accounts.FILE} (`amanah serve` prints them)"
    )
