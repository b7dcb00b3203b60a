"""The register over HTTP: places, people, staff, movements and the roster."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from amanah.api.context import Caller, api_caller
from amanah.api.errors import COMMON_RESPONSES, documented
from amanah.api.schemas import (
    AdmitIn,
    CapacityIn,
    CorrectionIn,
    LocationIn,
    LocationOut,
    MoveIn,
    MovementOut,
    PersonDetailOut,
    PersonOut,
    RosterOut,
    StaffIn,
    StateIn,
    WriteOut,
)
from amanah.domain.registry.commands import AddLocation, Correct, SetCapacity, SetLocationState
from amanah.services import inputs
from amanah.services.facility import Outcome
from amanah.services.guarded import MOVE_ACTIONS
from amanah.services.presenters import location_json, movement_json, person_json, roster_json

router = APIRouter(responses=COMMON_RESPONSES)
Authenticated = Annotated[Caller, Depends(api_caller)]
NOT_FOUND = documented(404, "No such person, place or roll call")
REFUSED = documented(409, "The rules refuse it; nothing was written")


def written(done: Outcome) -> WriteOut:
    return WriteOut(
        first_seq=done.first_seq,
        entries=done.count,
        size=done.checkpoint.size,
        created=list(done.created),
    )


# -- places -----------------------------------------------------------------------------------


@router.get("/locations", response_model=list[LocationOut], tags=["places"])
def list_locations(
    caller: Authenticated, facility: Annotated[str | None, Query(max_length=100)] = None
) -> list[dict[str, Any]]:
    """Every place of the facility with its capacities, state and the people in it now."""
    return [location_json(r) for r in caller.guarded.locations(facility)]


@router.post(
    "/locations", response_model=WriteOut, status_code=201, tags=["places"], responses=REFUSED
)
def add_location(body: LocationIn, caller: Authenticated) -> WriteOut:
    """Add a place. A facility brings its reception, hospital, court, outside and transit."""
    command = AddLocation(
        body.id,
        body.kind,
        body.name_ar,
        body.name_en,
        body.parent,
        body.certified,
        body.working,
        body.maximum,
        body.adm1,
        body.adm2,
        body.lat,
        body.lon,
    )
    return written(caller.guarded.run([command]))


@router.put(
    "/locations/{location_id}/capacity",
    response_model=WriteOut,
    tags=["places"],
    responses=NOT_FOUND | REFUSED,
)
def set_capacity(location_id: str, body: CapacityIn, caller: Authenticated) -> WriteOut:
    """Set a place's certified, working and maximum capacity (those not given are cleared)."""
    command = SetCapacity(location_id, body.certified, body.working, body.maximum, body.reason)
    return written(caller.guarded.run([command]))


@router.put(
    "/locations/{location_id}/state",
    response_model=WriteOut,
    tags=["places"],
    responses=NOT_FOUND | REFUSED,
)
def set_state(location_id: str, body: StateIn, caller: Authenticated) -> WriteOut:
    """Take a place out of order (it must be empty) or back into use."""
    return written(caller.guarded.run([SetLocationState(location_id, body.state, body.reason)]))


# -- people -----------------------------------------------------------------------------------


@router.get("/people", response_model=list[PersonOut], tags=["people"])
def search_people(
    caller: Authenticated,
    q: Annotated[
        str | None,
        Query(max_length=200, description="Part of a name (either script) or a number."),
    ] = None,
    category: Annotated[str | None, Query(pattern="^(detainee|staff|other)$")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> list[dict[str, Any]]:
    """Search the register by part of a name or number; without ``q``, a page of one
    category's people in custody (``category`` then required). Every call is logged."""
    if q is None:
        rows = caller.guarded.people(category or "detainee", limit=limit, offset=offset)
    else:
        rows = caller.guarded.search(q, limit, category)
    return [person_json(p) for p in rows]


@router.post(
    "/people", response_model=WriteOut, status_code=201, tags=["people"], responses=REFUSED
)
def admit_person(body: AdmitIn, caller: Authenticated) -> WriteOut:
    """Admit a detainee (``record.commitment.order_ref`` is required) or register another
    person (medical team, visitor). The new number is in ``created``."""
    caller.guarded.require("register.admit")
    command = inputs.admit(
        caller.server.app.facility,
        category=body.category,
        record=body.record,
        number=body.number,
        location=body.location,
        at=body.time,
        override=body.override,
    )
    return written(caller.guarded.run([command]))


@router.get(
    "/people/{number}", response_model=PersonDetailOut, tags=["people"], responses=NOT_FOUND
)
def show_person(number: str, caller: Authenticated) -> dict[str, Any]:
    """A person's record and whole history. The view is written to the access log."""
    person, history = caller.guarded.person(number)
    return person_json(person, history)


@router.post(
    "/people/{number}/corrections",
    response_model=WriteOut,
    status_code=201,
    tags=["people"],
    responses=NOT_FOUND | REFUSED,
)
def correct_person(number: str, body: CorrectionIn, caller: Authenticated) -> WriteOut:
    """Correct one field of a record (dotted, e.g. ``commitment.grounds``); the old value
    stays in the ledger."""
    return written(caller.guarded.run([Correct(number, body.field, body.value, body.reason)]))


@router.post(
    "/people/{number}/movements",
    response_model=WriteOut,
    status_code=201,
    tags=["movements"],
    responses=NOT_FOUND | REFUSED,
)
def move_person(number: str, body: MoveIn, caller: Authenticated) -> WriteOut:
    """Record a movement: ``cell`` (details.reason), ``out`` (to hospital/court/outside;
    details.purpose), ``return``, ``transfer`` (details.destination, details.authority),
    ``receive`` (details.received_by, details.authority), ``release`` (details.authority),
    ``death`` (details.place, details.circumstances), ``escape`` (details.where),
    ``recapture``."""
    caller.guarded.require(*MOVE_ACTIONS)
    command = inputs.move(
        caller.server.app.facility,
        body.kind,
        number,
        to=body.to,
        origin=body.origin,
        at=body.time,
        details=body.details,
        override=body.override,
    )
    return written(caller.guarded.run([command]))


@router.get("/movements", response_model=list[MovementOut], tags=["movements"])
def recent_movements(
    caller: Authenticated,
    facility: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 20,
) -> list[dict[str, Any]]:
    """The facility's latest movements, admissions and corrections, newest first."""
    return [movement_json(m) for m in caller.guarded.recent_movements(facility, limit)]


# -- staff and the roster ---------------------------------------------------------------------


@router.get("/staff", response_model=list[PersonOut], tags=["people"])
def list_staff(
    caller: Authenticated,
    all_: Annotated[bool, Query(alias="all", description="Include staff who have left.")] = False,
    limit: Annotated[int, Query(ge=1, le=100_000)] = 1000,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> list[dict[str, Any]]:
    """Staff on the register: role, post and unit are in ``record.staff``."""
    rows = caller.guarded.people("staff", in_custody_only=not all_, limit=limit, offset=offset)
    return [person_json(p) for p in rows]


@router.post("/staff", response_model=WriteOut, status_code=201, tags=["people"], responses=REFUSED)
def add_staff(body: StaffIn, caller: Authenticated) -> WriteOut:
    """Put a member of staff on the register (counted like everyone inside)."""
    caller.guarded.require("register.admit")
    command = inputs.admit(
        caller.server.app.facility,
        category="staff",
        record=body.record,
        number=body.number,
        location=body.location,
        at=body.time,
        override=body.override,
    )
    return written(caller.guarded.run([command]))


@router.get("/roster", response_model=list[RosterOut], tags=["people"], responses=NOT_FOUND)
def roster(
    caller: Authenticated,
    location: Annotated[
        str | None, Query(max_length=100, description="A place; default: the whole facility.")
    ] = None,
    facility: Annotated[str | None, Query(max_length=100)] = None,
) -> list[dict[str, Any]]:
    """Everyone in custody (number, names, category, status, place), at a place and
    everything under it, or in the whole facility. No admission records."""
    return [roster_json(r) for r in caller.guarded.roster(facility=facility, location=location)]
