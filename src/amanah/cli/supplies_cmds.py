"""``amanah supplies``: stores of water, food, fuel and medicine, generators and pumps, and
how many days the people inside have left."""

from __future__ import annotations

from typing import Annotated

import typer

from amanah.bootstrap import App, operator_name
from amanah.cli.context import Ctx
from amanah.cli.output import out, print_json
from amanah.cli.siege_common import AT, FACILITY, JSON, facility_of, record
from amanah.domain.supplies.commands import (
    CountStock,
    InstallGenerator,
    InstallPump,
    Issue,
    Lose,
    OpenStore,
    Receive,
    SetGenerator,
)
from amanah.domain.supplies.units import RESOURCES, UNITS
from amanah.services.siege_presenters import ration_json, runway_json, supply_json

app = typer.Typer(help="Supplies: stores, generators, pumps and the runway.", no_args_is_help=True)
generator_app = typer.Typer(help="Diesel generators (they burn fuel).", no_args_is_help=True)
pump_app = typer.Typer(help="Water pumps (they need a generator).", no_args_is_help=True)
app.add_typer(generator_app, name="generator")
app.add_typer(pump_app, name="pump")


@app.command("add")
def add_store(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="A short id, such as water-1.")],
    resource: Annotated[str, typer.Option(help=f"One of {', '.join(RESOURCES)}.")],
    name: Annotated[str, typer.Option(help="What people call it (a tank, a storeroom).")],
    unit: Annotated[str, typer.Option(help=f"The unit it is counted in: {', '.join(UNITS)}.")],
    kcal_per_unit: Annotated[
        int | None, typer.Option(help="Food by mass or ration: kcal per kg or per ration.")
    ] = None,
    location: Annotated[str | None, typer.Option(help="Where it is kept.")] = None,
    facility: FACILITY = None,
    at: AT = None,
    json_out: JSON = False,
) -> None:
    """Start keeping a store of one resource (stock starts at 0: record a delivery or count)."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        command = OpenStore(
            ident,
            facility_of(app_, facility),
            resource,
            name,
            unit,
            app_.siege.time(at),
            kcal_per_unit,
            location,
        )
        record(app_, command, json_out, f"store {ident} opened")


def _quantity(app_: App, store: str, amount: str, unit: str) -> int:
    return app_.guarded().quantity(store, amount, unit)


@app.command("receive")
def receive(
    ctx: typer.Context,
    store: Annotated[str, typer.Argument(help="The store.")],
    amount: Annotated[str, typer.Argument(help="How much, such as 12000 or 2.5.")],
    unit: Annotated[str, typer.Argument(help="Its unit (L, kg, kcal, rations, doses...).")],
    source: Annotated[str, typer.Option("--from", help="Who delivered it.")],
    note: Annotated[str, typer.Option(help="Anything to add.")] = "",
    at: AT = None,
    json_out: JSON = False,
) -> None:
    """Record a delivery into a store."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        command = Receive(
            store, _quantity(app_, store, amount, unit), app_.siege.time(at), source, note
        )
        record(app_, command, json_out, f"received {amount} {unit} into {store}")


@app.command("issue")
def issue(
    ctx: typer.Context,
    store: Annotated[str, typer.Argument(help="The store.")],
    amount: Annotated[str, typer.Argument(help="How much.")],
    unit: Annotated[str, typer.Argument(help="Its unit.")],
    to: Annotated[str, typer.Option(help="Where it went (a block, the kitchen, a generator).")],
    note: Annotated[str, typer.Option(help="Anything to add.")] = "",
    at: AT = None,
    json_out: JSON = False,
) -> None:
    """Record what was taken out and used: the day's consumption."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        command = Issue(store, _quantity(app_, store, amount, unit), app_.siege.time(at), to, note)
        record(app_, command, json_out, f"issued {amount} {unit} from {store}")


@app.command("lose")
def lose(
    ctx: typer.Context,
    store: Annotated[str, typer.Argument(help="The store.")],
    amount: Annotated[str, typer.Argument(help="How much.")],
    unit: Annotated[str, typer.Argument(help="Its unit.")],
    reason: Annotated[str, typer.Option(help="Spoiled, leaked, stolen, destroyed...")],
    at: AT = None,
    json_out: JSON = False,
) -> None:
    """Record stock lost."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        command = Lose(store, _quantity(app_, store, amount, unit), app_.siege.time(at), reason)
        record(app_, command, json_out, f"lost {amount} {unit} from {store}")


@app.command("count")
def count(
    ctx: typer.Context,
    store: Annotated[str, typer.Argument(help="The store.")],
    amount: Annotated[str, typer.Argument(help="How much was found.")],
    unit: Annotated[str, typer.Argument(help="Its unit.")],
    by: Annotated[str | None, typer.Option(help="Who counted (default: the operator).")] = None,
    note: Annotated[str, typer.Option(help="Anything to add.")] = "",
    at: AT = None,
    json_out: JSON = False,
) -> None:
    """Record a physical stock count (the difference from the books is recorded with it)."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        command = CountStock(
            store,
            _quantity(app_, store, amount, unit),
            app_.siege.time(at),
            by or operator_name(),
            note,
        )
        record(app_, command, json_out, f"counted {amount} {unit} in {store}")


@generator_app.command("add")
def add_generator(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="A short id, such as gen-1.")],
    kw: Annotated[int, typer.Option(help="Its size in kW (kW ≈ 0.8 × kVA).")],
    fuel_store: Annotated[str, typer.Option(help="The fuel store it draws on.")],
    load: Annotated[int, typer.Option(help="Its load, percent.")] = 50,
    hours: Annotated[int, typer.Option(help="Hours it runs a day.")] = 24,
    stopped: Annotated[bool, typer.Option(help="Installed but not running.")] = False,
    facility: FACILITY = None,
    at: AT = None,
    json_out: JSON = False,
) -> None:
    """Record a diesel generator and the fuel store it burns."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        command = InstallGenerator(
            ident,
            facility_of(app_, facility),
            kw,
            fuel_store,
            load,
            hours,
            app_.siege.time(at),
            not stopped,
        )
        record(app_, command, json_out, f"generator {ident} installed")


@generator_app.command("set")
def set_generator(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The generator.")],
    running: Annotated[bool, typer.Option("--running/--stopped", help="Running or stopped.")],
    load: Annotated[int | None, typer.Option(help="Its load, percent.")] = None,
    hours: Annotated[int | None, typer.Option(help="Hours it runs a day.")] = None,
    reason: Annotated[str, typer.Option(help="Why (out of fuel, damaged...).")] = "",
    at: AT = None,
    json_out: JSON = False,
) -> None:
    """Start or stop a generator, or change its load or hours."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        command = SetGenerator(ident, app_.siege.time(at), running, load, hours, reason)
        record(app_, command, json_out, f"generator {ident} {'running' if running else 'stopped'}")


@pump_app.command("add")
def add_pump(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="A short id, such as pump-1.")],
    generator: Annotated[str, typer.Option(help="The generator that powers it.")],
    water_store: Annotated[str, typer.Option(help="The water store it fills.")],
    litres_per_hour: Annotated[int, typer.Option(help="Its flow, litres per hour.")],
    head: Annotated[int, typer.Option(help="Lift, metres.")],
    efficiency: Annotated[int, typer.Option(help="Pump efficiency, percent.")] = 50,
    motor_efficiency: Annotated[int, typer.Option(help="Motor efficiency, percent.")] = 100,
    facility: FACILITY = None,
    at: AT = None,
    json_out: JSON = False,
) -> None:
    """Record a water pump, the generator that powers it and the store it fills."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        command = InstallPump(
            ident,
            facility_of(app_, facility),
            generator,
            water_store,
            litres_per_hour,
            head,
            efficiency,
            motor_efficiency,
            app_.siege.time(at),
        )
        record(app_, command, json_out, f"pump {ident} installed")


@app.command("list")
def list_(ctx: typer.Context, facility: FACILITY = None, json_out: JSON = False) -> None:
    """Show every store, generator and pump."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        found = app_.guarded().supplies(facility)
    if json_out:
        print_json([supply_json(s) for s in found])
        return
    for s in found:
        shown = supply_json(s)
        detail = shown.get("stock_text") or (
            f"{shown.get('kw')} kW, {shown.get('load_percent')} %, "
            f"{shown.get('hours_per_day')} h/day"
            if s.kind == "generator"
            else f"{shown.get('litres_per_hour')} L/h from {shown.get('generator')}"
        )
        out.print(f"{shown['id']:<16} {s.kind:<10} {s.status:<9} {detail}")


@app.command("runway")
def runway(
    ctx: typer.Context,
    facility: FACILITY = None,
    at: Annotated[
        str | None,
        typer.Option(help="As of this time (recent consumption: the 7 days before it)."),
    ] = None,
    json_out: JSON = False,
) -> None:
    """Days left per resource for the people inside: at recent consumption, at the humane
    minimum and at the survival minimum."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        report = runway_json(app_.guarded().runway(facility, app_.siege.time(at) if at else None))
    if json_out:
        print_json(report)
        return
    out.print(
        f"{report['facility']}: {report['population_inside']:,} people inside; "
        f"alert under {report['threshold_days']} days"
    )
    out.print(f"{'resource':<10} {'stock':>14} {'recent':>9} {'humane':>9} {'survival':>9}")

    def days(value: float | None) -> str:
        return "-" if value is None else f"{value:,.1f}"

    for r in report["resources"]:
        flag = "  ALERT" if r["alert"] else ""
        capped = "  (fuel caps it)" if r["capped_by"] else ""
        out.print(
            f"{r['resource']:<10} {r['stock']:>11,.0f} {r['unit']:<3}"
            f"{days(r['days_recent']):>8} {days(r['days_humane']):>9} "
            f"{days(r['days_survival']):>9}{flag}{capped}"
        )


@app.command("plan")
def plan(
    ctx: typer.Context,
    until: Annotated[str, typer.Option(help="Resupply or handover date (ISO 8601).")],
    facility: FACILITY = None,
    json_out: JSON = False,
) -> None:
    """The daily ration per person that makes each stock last until a date."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        report, plans = app_.guarded().ration_plan(app_.siege.time(until), facility)
    rows = [ration_json(p) for p in plans]
    if json_out:
        print_json({"population_inside": report.population, "plans": rows})
        return
    for r in rows:
        flag = (
            " UNDER SURVIVAL MINIMUM"
            if r["under_survival"]
            else (" under humane minimum" if r["under_humane"] else "")
        )
        each = "-" if r["per_person"] is None else f"{r['per_person']:,.2f} {r['unit']}"
        out.print(
            f"{r['resource']:<10} {r['days']:,.1f} days: {r['daily_total']:,.0f} {r['unit']}/day, "
            f"{each} per person a day{flag}"
        )
