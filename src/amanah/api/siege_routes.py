"""Supplies and their runway, and appeals to guarantors, over HTTP."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from amanah.api.context import Caller, api_caller
from amanah.api.errors import COMMON_RESPONSES, documented
from amanah.api.register_routes import written
from amanah.api.schemas import (
    AddendumIn,
    AppealAckIn,
    AppealCloseIn,
    AppealIn,
    AppealOut,
    AppealPromiseIn,
    AppealRemindIn,
    GeneratorIn,
    GeneratorSetIn,
    IncidentIn,
    IncidentOut,
    IncidentStatusIn,
    IssueIn,
    LinkIn,
    LossIn,
    NotificationAckIn,
    NotificationOut,
    NotificationSentIn,
    PlanOut,
    PumpIn,
    ReceiptIn,
    RunwayOut,
    SitrepOut,
    StockCountIn,
    StoreIn,
    SupplyOut,
    WriteOut,
)
from amanah.domain.appeals import commands as ac
from amanah.domain.appeals.model import OPEN_STATUSES
from amanah.domain.incidents import commands as ic
from amanah.domain.incidents.model import OPEN_STATUSES as INCIDENT_OPEN
from amanah.domain.incidents.model import attack_timeline
from amanah.domain.notifications import commands as nc
from amanah.domain.supplies import commands as sc
from amanah.reports.render import MEDIA_TYPES, render_sitrep
from amanah.services.guarded import Guarded
from amanah.services.siege import SiegeCommand
from amanah.services.siege_presenters import (
    appeal_json,
    incident_json,
    notification_json,
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
    return supply_json(caller.guarded.store(ident))


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
    amount = g.quantity(ident, body.amount, body.unit)
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
    amount = g.quantity(ident, body.amount, body.unit)
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
    amount = g.quantity(ident, body.amount, body.unit)
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
    amount = g.quantity(ident, body.amount, body.unit)
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


# -- incidents and notifications --------------------------------------------------------------


def _links(people: list[LinkIn]) -> tuple[ic.LinkedPerson, ...]:
    return tuple(ic.LinkedPerson(p.person, p.role, p.outcome) for p in people)


@router.get("/incidents", response_model=list[IncidentOut], tags=["incidents"])
def list_incidents(
    caller: Authenticated,
    facility: Facility = None,
    open_only: bool = False,
    attacks: Annotated[bool, Query(description="The attack timeline only")] = False,
) -> list[dict[str, Any]]:
    """Incidents, oldest first (``attacks``: attacks and breaches only)."""
    found = caller.guarded.cases(
        "incidents", facility, statuses=INCIDENT_OPEN if open_only else None
    )
    return [incident_json(i) for i in (attack_timeline(found) if attacks else found)]


@router.post(
    "/incidents", response_model=WriteOut, status_code=201, tags=["incidents"], responses=REFUSED
)
def report_incident(body: IncidentIn, caller: Authenticated) -> WriteOut:
    """Report an incident; a death or escape links the person's recorded movement."""
    g = caller.guarded
    command = ic.ReportIncident(
        "",
        _where(g, body.facility),
        body.kind,
        body.severity,
        g.siege.time(body.at),
        body.location,
        body.summary,
        _links(body.people),
    )
    return _run(caller, command)


@router.get(
    "/incidents/{ident}", response_model=IncidentOut, tags=["incidents"], responses=NOT_FOUND
)
def show_incident(ident: str, caller: Authenticated) -> dict[str, Any]:
    return incident_json(caller.guarded.case("incidents", ident))


@router.post(
    "/incidents/{ident}/addenda",
    response_model=WriteOut,
    status_code=201,
    tags=["incidents"],
    responses=NOT_FOUND | REFUSED,
)
def add_addendum(ident: str, body: AddendumIn, caller: Authenticated) -> WriteOut:
    """Add to an incident (never edit it); a closed one must be reopened first."""
    g = caller.guarded
    command = ic.AddAddendum(ident, g.siege.time(body.at), body.text, _links(body.people))
    return _run(caller, command)


@router.put(
    "/incidents/{ident}/status",
    response_model=WriteOut,
    tags=["incidents"],
    responses=NOT_FOUND | REFUSED,
)
def incident_status(ident: str, body: IncidentStatusIn, caller: Authenticated) -> WriteOut:
    g = caller.guarded
    return _run(caller, ic.ChangeStatus(ident, body.status, g.siege.time(body.at), body.reason))


@router.get("/notifications", response_model=list[NotificationOut], tags=["notifications"])
def list_notifications(
    caller: Authenticated,
    facility: Facility = None,
    overdue_only: bool = False,
    include_acknowledged: bool = False,
) -> list[dict[str, Any]]:
    """Notifications owed and sent (Mandela Rules 68-72), the overdue ones flagged."""
    g = caller.guarded
    statuses = None if include_acknowledged else ("owed", "sent")
    now = g.siege.clock.now()
    rows = [
        notification_json(n, now) for n in g.cases("notifications", facility, statuses=statuses)
    ]
    return [r for r in rows if r["overdue"]] if overdue_only else rows


@router.post(
    "/notifications/{ident}/sent",
    response_model=WriteOut,
    status_code=201,
    tags=["notifications"],
    responses=NOT_FOUND | REFUSED,
)
def notification_sent(ident: str, body: NotificationSentIn, caller: Authenticated) -> WriteOut:
    g = caller.guarded
    command = nc.MarkSent(ident, g.siege.time(body.at), body.channel, body.to, body.by, body.note)
    return _run(caller, command)


@router.post(
    "/notifications/{ident}/acknowledgement",
    response_model=WriteOut,
    status_code=201,
    tags=["notifications"],
    responses=NOT_FOUND | REFUSED,
)
def notification_acknowledged(
    ident: str, body: NotificationAckIn, caller: Authenticated
) -> WriteOut:
    g = caller.guarded
    return _run(caller, nc.Acknowledge(ident, g.siege.time(body.at), body.by, body.note))


# -- the situation report ---------------------------------------------------------------------


@router.get("/sitrep", response_model=SitrepOut, tags=["situation report"])
def sitrep(
    caller: Authenticated,
    facility: Facility = None,
    at: Annotated[str | None, Query(max_length=64, description="As of (ISO 8601)")] = None,
) -> dict[str, Any]:
    """The situation report's figures, pinned to the latest signed checkpoint."""
    g = caller.guarded
    return g.sitrep(facility, g.siege.time(at) if at else None)


SITREP_FORMATS = MEDIA_TYPES


@router.get(
    "/sitrep.{form}",
    tags=["situation report"],
    response_class=Response,
    responses={200: {"content": {t: {} for t in SITREP_FORMATS.values()}}},
)
def sitrep_file(
    form: Literal["text", "pdf", "hxl"],
    caller: Authenticated,
    facility: Facility = None,
    lang: Literal["ar", "en"] = "ar",
    at: Annotated[str | None, Query(max_length=64, description="As of (ISO 8601)")] = None,
) -> Response:
    """The situation report as a short text (radio, SMS), a PDF, or HXL-tagged CSV of
    aggregate indicators only (never personal data). Each export is in the access log."""
    g = caller.guarded
    report = g.sitrep(facility, g.siege.time(at) if at else None)
    body, name = render_sitrep(report, form, lang)
    g.sitrep_exported(report, form)
    return Response(
        body,
        media_type=SITREP_FORMATS[form],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
