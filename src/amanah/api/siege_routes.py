"""Supplies and their runway, and appeals to guarantors, over HTTP."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from amanah.api.context import Caller, api_caller
from amanah.api.errors import COMMON_RESPONSES, documented
from amanah.api.register_routes import written
from amanah.api.schemas import (
    AppealAckIn,
    AppealCloseIn,
    AppealIn,
    AppealOut,
    AppealPromiseIn,
    AppealRemindIn,
    GeneratorIn,
    GeneratorSetIn,
    IssueIn,
    LossIn,
    PlanOut,
    PumpIn,
    ReceiptIn,
    RunwayOut,
    StockCountIn,
    StoreIn,
    SupplyOut,
    WriteOut,
)
from amanah.domain.appeals import commands as ac
from amanah.domain.appeals.model import OPEN_STATUSES
from amanah.domain.supplies import commands as sc
from amanah.services.guarded import Guarded
from amanah.services.siege import SiegeCommand
from amanah.services.siege_presenters import (
    appeal_json,
    ration_json,
    runway_json,
    supply_json,
)

router = APIRouter(responses=COMMON_RESPONSES)
Authenticated = Annotated[Caller, Depends(api_caller)]
NOT_FOUND = documented(404, "No such store, generator, pump or appeal")
REFUSED = documented(409, "The rules refuse it; nothing was written")
Facility = Annotated[str | None, Query(max_length=100)]


def _run(caller: Caller, command: SiegeCommand) -> WriteOut:
    return written(caller.guarded.siege_run([command]))


def _where(g: Guarded, facility: str | None) -> str:
    return facility or g.siege_facility()


# -- supplies ---------------------------------------------------------------------------------


@router.get("/supplies", response_model=list[SupplyOut], tags=["supplies"])
def list_supplies(caller: Authenticated, facility: Facility = None) -> list[dict[str, Any]]:
    """Every store (with its stock), generator and pump."""
    return [supply_json(s) for s in caller.guarded.supplies(facility)]


@router.post(
    "/supplies", response_model=WriteOut, status_code=201, tags=["supplies"], responses=REFUSED
)
def open_store(body: StoreIn, caller: Authenticated) -> WriteOut:
    """Start keeping a store of water, food, fuel or medicine (its stock starts at 0)."""
    g = caller.guarded
    command = sc.OpenStore(
        body.id,
        _where(g, body.facility),
        body.resource,
        body.name,
        body.unit,
        g.siege.time(body.at),
        body.kcal_per_unit,
        body.location,
    )
    return _run(caller, command)


@router.get("/supplies/runway", response_model=RunwayOut, tags=["supplies"], responses=NOT_FOUND)
def runway(caller: Authenticated, facility: Facility = None) -> dict[str, Any]:
    """Days left per resource for the people inside: at recent consumption, at the humane
    minimum and at the survival minimum (the fuel runway caps pumped water)."""
    return runway_json(caller.guarded.runway(facility))


@router.get("/supplies/plan", response_model=PlanOut, tags=["supplies"])
def plan(
    caller: Authenticated,
    until: Annotated[str, Query(max_length=64, description="Resupply or handover date")],
    facility: Facility = None,
) -> dict[str, Any]:
    """The daily ration per person that makes each stock last until ``until``."""
    g = caller.guarded
    report, plans = g.ration_plan(g.siege.time(until), facility)
    return {"population_inside": report.population, "plans": [ration_json(p) for p in plans]}


@router.get("/supplies/{ident}", response_model=SupplyOut, tags=["supplies"], responses=NOT_FOUND)
def show_supply(ident: str, caller: Authenticated) -> dict[str, Any]:
    found, _ = caller.guarded.store(ident)
    return supply_json(found)


def _quantity(g: Guarded, store: str, amount: str, unit: str) -> int:
    return g.quantity(store, amount, unit)


@router.post(
    "/supplies/{ident}/receipts",
    response_model=WriteOut,
    status_code=201,
    tags=["supplies"],
    responses=NOT_FOUND | REFUSED,
)
def receive(ident: str, body: ReceiptIn, caller: Authenticated) -> WriteOut:
    """A delivery into the store (``source``: who delivered it)."""
    g = caller.guarded
    amount = _quantity(g, ident, body.amount, body.unit)
    return _run(caller, sc.Receive(ident, amount, g.siege.time(body.at), body.source, body.note))


@router.post(
    "/supplies/{ident}/issues",
    response_model=WriteOut,
    status_code=201,
    tags=["supplies"],
    responses=NOT_FOUND | REFUSED,
)
def issue(ident: str, body: IssueIn, caller: Authenticated) -> WriteOut:
    """What was taken out and used: the day's consumption."""
    g = caller.guarded
    amount = _quantity(g, ident, body.amount, body.unit)
    return _run(caller, sc.Issue(ident, amount, g.siege.time(body.at), body.to, body.note))


@router.post(
    "/supplies/{ident}/losses",
    response_model=WriteOut,
    status_code=201,
    tags=["supplies"],
    responses=NOT_FOUND | REFUSED,
)
def lose(ident: str, body: LossIn, caller: Authenticated) -> WriteOut:
    g = caller.guarded
    amount = _quantity(g, ident, body.amount, body.unit)
    return _run(caller, sc.Lose(ident, amount, g.siege.time(body.at), body.reason))


@router.post(
    "/supplies/{ident}/counts",
    response_model=WriteOut,
    status_code=201,
    tags=["supplies"],
    responses=NOT_FOUND | REFUSED,
)
def count(ident: str, body: StockCountIn, caller: Authenticated) -> WriteOut:
    """A physical count; the difference from the books is recorded with it."""
    g = caller.guarded
    amount = _quantity(g, ident, body.amount, body.unit)
    return _run(caller, sc.CountStock(ident, amount, g.siege.time(body.at), body.by, body.note))


@router.post(
    "/generators", response_model=WriteOut, status_code=201, tags=["supplies"], responses=REFUSED
)
def add_generator(body: GeneratorIn, caller: Authenticated) -> WriteOut:
    g = caller.guarded
    command = sc.InstallGenerator(
        body.id,
        _where(g, body.facility),
        body.kw,
        body.fuel_store,
        body.load_percent,
        body.hours_per_day,
        g.siege.time(body.at),
        body.running,
    )
    return _run(caller, command)


@router.put(
    "/generators/{ident}",
    response_model=WriteOut,
    tags=["supplies"],
    responses=NOT_FOUND | REFUSED,
)
def set_generator(ident: str, body: GeneratorSetIn, caller: Authenticated) -> WriteOut:
    """Start or stop a generator, or change its load or hours a day."""
    g = caller.guarded
    command = sc.SetGenerator(
        ident,
        g.siege.time(body.at),
        body.running,
        body.load_percent,
        body.hours_per_day,
        body.reason,
    )
    return _run(caller, command)


@router.post(
    "/pumps", response_model=WriteOut, status_code=201, tags=["supplies"], responses=REFUSED
)
def add_pump(body: PumpIn, caller: Authenticated) -> WriteOut:
    g = caller.guarded
    command = sc.InstallPump(
        body.id,
        _where(g, body.facility),
        body.generator,
        body.water_store,
        body.litres_per_hour,
        body.head_m,
        body.pump_efficiency_percent,
        body.motor_efficiency_percent,
        g.siege.time(body.at),
    )
    return _run(caller, command)


# -- appeals ----------------------------------------------------------------------------------


@router.get("/appeals", response_model=list[AppealOut], tags=["appeals"])
def list_appeals(
    caller: Authenticated,
    facility: Facility = None,
    include_closed: bool = False,
) -> list[dict[str, Any]]:
    """Open appeals (all with ``include_closed``); ``reminder_due`` once a deadline passed."""
    g = caller.guarded
    found = g.cases("appeals", facility, statuses=None if include_closed else OPEN_STATUSES)
    now = g.siege.clock.now()
    return [appeal_json(a, now) for a in found]


@router.post(
    "/appeals", response_model=WriteOut, status_code=201, tags=["appeals"], responses=REFUSED
)
def send_appeal(body: AppealIn, caller: Authenticated) -> WriteOut:
    """Record an appeal sent to a guarantor (a situation report pinned by its SHA-256)."""
    g = caller.guarded
    command = ac.SendAppeal(
        "",
        _where(g, body.facility),
        body.kind,
        body.recipient,
        body.channel,
        body.text,
        g.siege.time(body.at),
        body.sitrep_sha256,
        body.sitrep_name,
    )
    return _run(caller, command)


@router.get("/appeals/{ident}", response_model=AppealOut, tags=["appeals"], responses=NOT_FOUND)
def show_appeal(ident: str, caller: Authenticated) -> dict[str, Any]:
    g = caller.guarded
    return appeal_json(g.case("appeals", ident), g.siege.clock.now())


@router.post(
    "/appeals/{ident}/acknowledgement",
    response_model=WriteOut,
    status_code=201,
    tags=["appeals"],
    responses=NOT_FOUND | REFUSED,
)
def acknowledge_appeal(ident: str, body: AppealAckIn, caller: Authenticated) -> WriteOut:
    g = caller.guarded
    return _run(caller, ac.Acknowledge(ident, g.siege.time(body.at), body.by, body.note))


@router.post(
    "/appeals/{ident}/promises",
    response_model=WriteOut,
    status_code=201,
    tags=["appeals"],
    responses=NOT_FOUND | REFUSED,
)
def promise(ident: str, body: AppealPromiseIn, caller: Authenticated) -> WriteOut:
    """What the guarantor promised, and by when."""
    g = caller.guarded
    command = ac.Promise(
        ident, g.siege.time(body.at), body.action, g.siege.time(body.deadline), body.by
    )
    return _run(caller, command)


@router.post(
    "/appeals/{ident}/reminders",
    response_model=WriteOut,
    status_code=201,
    tags=["appeals"],
    responses=NOT_FOUND | REFUSED,
)
def remind(ident: str, body: AppealRemindIn, caller: Authenticated) -> WriteOut:
    g = caller.guarded
    return _run(caller, ac.Remind(ident, g.siege.time(body.at), body.channel, body.text))


@router.post(
    "/appeals/{ident}/closure",
    response_model=WriteOut,
    status_code=201,
    tags=["appeals"],
    responses=NOT_FOUND | REFUSED,
)
def close_appeal(ident: str, body: AppealCloseIn, caller: Authenticated) -> WriteOut:
    g = caller.guarded
    return _run(caller, ac.Close(ident, g.siege.time(body.at), body.outcome, body.note))
