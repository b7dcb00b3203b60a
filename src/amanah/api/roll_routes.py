"""Roll calls over HTTP: the headline figures, opening a roll, counts and resolutions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from amanah.api.context import Caller, api_caller
from amanah.api.errors import COMMON_RESPONSES
from amanah.api.register_routes import NOT_FOUND, REFUSED, written
from amanah.api.schemas import (
    CountIn,
    CountOut,
    ResolveIn,
    ResolveOut,
    RollDetailOut,
    RollOpenIn,
    RollOut,
    RollStatusOut,
    WriteOut,
)
from amanah.services import inputs
from amanah.services.guarded import Guarded
from amanah.services.presenters import UNCOUNTED, roll_detail_json, roll_json

router = APIRouter(tags=["roll calls"], responses=COMMON_RESPONSES)
Authenticated = Annotated[Caller, Depends(api_caller)]


@router.get("/roll-status", response_model=RollStatusOut, responses=NOT_FOUND)
def roll_status(
    caller: Authenticated,
    facility: Annotated[str | None, Query(max_length=100)] = None,
    level: Annotated[str, Query(pattern="^(block|cell)$")] = "block",
) -> dict[str, Any]:
    """Headline figures by category (in custody, inside, out, in transit, arrived and left
    today, unaccounted) and one row per block (or per cell): expected, counted, capacity,
    vacancies, overcrowded. Everything is derived from the ledger's movements and counts."""
    return caller.guarded.roll_status(facility, level)


@router.get("/rolls", response_model=list[RollOut])
def list_rolls(
    caller: Authenticated,
    facility: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 20,
) -> list[dict[str, Any]]:
    """The facility's roll calls, newest first."""
    return [roll_json(r) for r in caller.guarded.rolls(facility, limit)]


@router.post("/rolls", response_model=WriteOut, status_code=201, responses=REFUSED)
def open_roll(body: RollOpenIn, caller: Authenticated) -> WriteOut:
    """Open a roll call over the facility or one block: every cell, post and reception in
    use under it is to be counted. The new roll's id is in ``created``."""
    caller.guarded.require("roll.open")
    command = inputs.open_roll(caller.server.app.facility, scope=body.scope, at=body.time)
    return written(caller.guarded.run([command]))


@router.get("/rolls/{roll_id}", response_model=RollDetailOut, responses=NOT_FOUND)
def show_roll(roll_id: str, caller: Authenticated) -> dict[str, Any]:
    """A roll call's places: the number the register expects in each now, and its tally
    (pending, matched, recount, unresolved, resolved) when counted. For an account that
    counts but may not read the register (a guard), ``expected`` is null for the places
    still to be counted right: counts are blind."""
    return roll_detail_json(caller.guarded.roll_places(roll_id))


def _cleared(guarded: Guarded, roll_id: str) -> bool:
    return bool(guarded.roll_places(roll_id)["roll"].status == "cleared")


@router.post(
    "/rolls/{roll_id}/counts",
    response_model=CountOut,
    status_code=201,
    responses=NOT_FOUND | REFUSED,
)
def record_count(roll_id: str, body: CountIn, caller: Authenticated) -> CountOut:
    """The number counted in one place, and who counted. ``result`` says whether it matched
    the register, needs a recount, or (a second mismatch) must be resolved person by person."""
    caller.guarded.require("roll.count")
    command = inputs.count(
        caller.server.app.facility,
        roll_id,
        body.location,
        body.counted,
        body.counters,
        at=body.time,
    )
    guarded = caller.guarded
    done = guarded.run([command])
    found = guarded.roll_places(roll_id)
    tally = found["tallies"].get(command.location)
    result = tally.status if tally else "pending"
    blind = found["blind"] and result in UNCOUNTED
    return CountOut(
        **written(done).model_dump(),
        result=result,
        expected=None if blind or tally is None else tally.expected,
        roll_cleared=found["roll"].status == "cleared",
    )


@router.post(
    "/rolls/{roll_id}/resolutions",
    response_model=ResolveOut,
    status_code=201,
    responses=NOT_FOUND | REFUSED,
)
def resolve(roll_id: str, body: ResolveIn, caller: Authenticated) -> ResolveOut:
    """Account for one person in a difference a recount did not clear: ``found`` (missed),
    ``elsewhere`` (``found_in``), ``out`` (``to`` hospital or court), ``escaped``
    (details.where) or ``dead`` (details.place, details.circumstances). Except for ``found``,
    the matching movement is recorded in the same transaction."""
    caller.guarded.require("roll.resolve")
    command = inputs.resolve(
        caller.server.app.facility,
        roll_id,
        body.person,
        body.outcome,
        location=body.location,
        found_in=body.found_in,
        to=body.to,
        details=body.details,
        note=body.note,
        at=body.time,
        override=body.override,
    )
    guarded = caller.guarded
    done = guarded.run([command])
    return ResolveOut(**written(done).model_dump(), roll_cleared=_cleared(guarded, roll_id))
