"""Roll call in the browser: open a roll, count block by block on a tablet, recount,
resolve differences person by person, and print roll sheets for when the power fails.

Counts are blind: a place's expected number is shown only once it has been counted (a
counter who sees the register's number tends to find it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from amanah.api.context import Caller
from amanah.domain.rollcount.model import Tally
from amanah.errors import AmanahError, Forbidden, InvalidInput, NotFound
from amanah.services import inputs
from amanah.services.ports import LocationRow
from amanah.web.deps import PageCaller, PostedForm
from amanah.web.register_pages import flash, status_of
from amanah.web.render import page, request_language

router = APIRouter()

CONTAINERS = ("facility", "block", "wing")


@dataclass(frozen=True)
class BlockSummary:
    """One block of a roll: its places and how many are in each state."""

    place: LocationRow
    places: int
    states: dict[str, int]

    @property
    def done(self) -> bool:
        return (
            self.places > 0
            and self.states.get("matched", 0) + self.states.get("resolved", 0) == self.places
        )


def _locations(caller: Caller) -> list[LocationRow]:
    return caller.guarded.locations()


def _blocks(locations: list[LocationRow], under: LocationRow | None) -> list[LocationRow]:
    """The blocks (and wings) of the facility, or under ``under``."""
    prefix = under.path if under else "/"
    return [
        p
        for p in locations
        if p.kind in ("block", "wing")
        and p.path.startswith(prefix)
        and p.id != (under.id if under else None)
    ]


@router.get("/rolls", name="rolls")
def rolls(request: Request, caller: PageCaller) -> Response:
    guarded = caller.guarded
    found = guarded.rolls(limit=30)
    locations = _locations(caller)
    scopes = [p for p in locations if p.kind in CONTAINERS]
    context = {
        "rolls": found,
        "scopes": scopes,
        "open": next((r for r in found if r.status == "open"), None),
    }
    return page(request, caller, "rolls.html", context, here="rolls")


@router.post("/rolls")
def open_roll(posted: PostedForm) -> Response:
    caller = posted.caller
    try:
        command = inputs.open_roll(caller.server.app.facility, scope=posted.get("scope"))
        done = caller.guarded.run([command])
    except AmanahError as exc:
        if isinstance(exc, Forbidden):
            raise
        flash(caller, str(exc), "error")
        return RedirectResponse("/rolls", status_code=303)
    return RedirectResponse(f"/rolls/{done.created[0]}", status_code=303)


def _roll(caller: Caller, roll_id: str) -> dict[str, Any]:
    return caller.guarded.roll_places(roll_id)


def _summaries(found: dict[str, Any], locations: list[LocationRow]) -> list[BlockSummary]:
    roll = found["roll"]
    scope = next((p for p in locations if p.id == roll.scope), None)
    tallies: dict[str, Tally] = found["tallies"]
    places: list[LocationRow] = found["places"]
    groups = _blocks(locations, scope) or ([scope] if scope else [])
    # Only the outermost blocks under the scope (a wing inside a block is counted with it).
    tops = [
        g for g in groups if not any(o.id != g.id and g.path.startswith(o.path) for o in groups)
    ]
    loose = [p for p in places if not any(p.path.startswith(t.path) for t in tops)]
    summaries = []
    for block in tops:
        inside = [p for p in places if p.path.startswith(block.path)]
        summaries.append(_summary(block, inside, tallies))
    if loose and scope is not None:
        summaries.append(_summary(scope, loose, tallies))
    return summaries


def _summary(
    block: LocationRow, places: list[LocationRow], tallies: dict[str, Tally]
) -> BlockSummary:
    states: dict[str, int] = {}
    for p in places:
        status = tallies[p.id].status if p.id in tallies else "pending"
        states[status] = states.get(status, 0) + 1
    return BlockSummary(block, len(places), states)


@router.get("/rolls/{roll_id}", name="roll")
def roll(request: Request, caller: PageCaller, roll_id: str) -> Response:
    found = _roll(caller, roll_id)
    locations = _locations(caller)
    context = {
        "roll": found["roll"],
        "summaries": _summaries(found, locations),
        "mine": set(caller.principal.blocks),
    }
    return page(request, caller, "roll.html", context, here="rolls")


def _block_rows(
    found: dict[str, Any], block: LocationRow
) -> list[tuple[LocationRow, Tally | None]]:
    tallies: dict[str, Tally] = found["tallies"]
    return [
        (p, tallies.get(p.id))
        for p in found["places"]
        if p.path.startswith(block.path) or (block.kind == "facility" and p.facility == block.id)
    ]


@router.get("/rolls/{roll_id}/blocks/{block_id}", name="roll_block")
def roll_block(request: Request, caller: PageCaller, roll_id: str, block_id: str) -> Response:
    """Count a block: one row per place, recorded one at a time (htmx swaps the row)."""
    found = _roll(caller, roll_id)
    block = next((p for p in _locations(caller) if p.id == block_id), None)
    if block is None:
        raise NotFound(f"no location {block_id}")
    context = {
        "roll": found["roll"],
        "block": block,
        "rows": _block_rows(found, block),
        "counters": _counters(request),
    }
    return page(request, caller, "roll_block.html", context, here="rolls")


COUNTERS_COOKIE = "amanah_counters"


def _counters(request: Request) -> list[str]:
    """The counters' names kept for this browser (a block is counted by the same people)."""
    kept = unquote(request.cookies.get(COUNTERS_COOKIE, ""))
    return [n for n in kept.split(";") if n.strip()][:2]


def _keep_counters(response: Response, counters: list[str]) -> None:
    # Cookie values are ASCII: names in Arabic travel percent-encoded.
    response.set_cookie(
        COUNTERS_COOKIE,
        quote(";".join(c.replace(";", ",")[:60] for c in counters[:2])),
        max_age=12 * 3600,
        samesite="strict",
        httponly=True,
    )


@router.post("/rolls/{roll_id}/counters", name="roll_counters")
def keep_counters(posted: PostedForm, roll_id: str) -> Response:
    """Keep the counters' names for the block's counts (the path without htmx)."""
    block = posted.form.get("block", "")
    response = RedirectResponse(f"/rolls/{roll_id}/blocks/{block}", status_code=303)
    _keep_counters(response, [c for c in posted.lists.get("counter", []) if c.strip()])
    return response


def _row(
    request: Request,
    caller: Caller,
    roll_id: str,
    location: str,
    *,
    block_id: str,
    error: str | None = None,
) -> Response:
    found = _roll(caller, roll_id)
    place = next((p for p in found["places"] if p.id == location), None)
    if place is None:
        raise NotFound(f"{location} is not counted in roll call {roll_id}")
    context = {
        "roll": found["roll"],
        "place": place,
        "tally": found["tallies"].get(location),
        "error": error,
        "block_id": block_id,
    }
    return page(request, caller, "roll_row.html", context)


@router.post("/rolls/{roll_id}/count", name="roll_count")
def count(request: Request, posted: PostedForm, roll_id: str) -> Response:
    caller = posted.caller
    location = posted.form.get("location", "")
    block = posted.form.get("block", "")
    counters = [c for c in posted.lists.get("counter", []) if c.strip()] or _counters(request)
    error: str | None = None
    lang = request_language(request, caller)
    try:
        text = posted.form.get("counted", "").strip()
        if not text.isdecimal() or len(text) > 6:  # Arabic-Indic digits are decimals too
            raise InvalidInput(lang.gettext("Enter the number of people counted (0 or more)."))
        command = inputs.count(caller.server.app.facility, roll_id, location, int(text), counters)
        caller.guarded.run([command])
    except AmanahError as exc:
        if isinstance(exc, Forbidden):
            raise
        error = str(exc)
    if request.headers.get("HX-Request"):
        # htmx swaps only 2xx responses by default, and the row must show a refusal too.
        response = _row(request, caller, roll_id, location, block_id=block, error=error)
    else:
        if error:
            flash(caller, f"{location}: {error}", "error")
        response = RedirectResponse(f"/rolls/{roll_id}/blocks/{block or location}", status_code=303)
    if counters:
        _keep_counters(response, counters)
    return response


@router.get("/rolls/{roll_id}/resolve", name="roll_resolve")
def resolve_form(
    request: Request, caller: PageCaller, roll_id: str, location: str, block: str | None = None
) -> Response:
    return _resolve_page(request, caller, roll_id, location, block=block, values={})


def _resolve_page(
    request: Request,
    caller: Caller,
    roll_id: str,
    location: str,
    *,
    block: str | None,
    values: dict[str, str],
    error: str | None = None,
    status: int = 200,
) -> Response:
    found = _roll(caller, roll_id)
    tally = found["tallies"].get(location)
    if tally is None or tally.status not in ("unresolved", "resolved"):
        raise NotFound(f"{location} has no difference to resolve in roll call {roll_id}")
    people = caller.guarded.roster(location=location)
    locations = _locations(caller)
    context = {
        "roll": found["roll"],
        "tally": tally,
        "place": next((p for p in locations if p.id == location), None),
        "people": people,
        "block": block or "",
        "holding": [p for p in locations if p.kind in ("cell", "post", "reception")],
        "values": values,
        "error": error,
    }
    return page(request, caller, "roll_resolve.html", context, status=status, here="rolls")


RESOLVE_DETAILS = ("purpose", "where", "place", "circumstances", "cause", "remains")


@router.post("/rolls/{roll_id}/resolve")
def resolve(request: Request, posted: PostedForm, roll_id: str) -> Response:
    caller = posted.caller
    location = posted.form.get("location", "")
    block = posted.form.get("block", "")
    outcome = posted.form.get("outcome", "")
    try:
        command = inputs.resolve(
            caller.server.app.facility,
            roll_id,
            (posted.form.get("person") or "").strip(),
            outcome,
            location=location,
            found_in=posted.get("found_in") if outcome == "elsewhere" else None,
            to=posted.get("to") if outcome == "out" else None,
            details={k: posted.get(k) for k in RESOLVE_DETAILS},
            note=posted.get("note"),
            override=posted.get("override"),
        )
        caller.guarded.run([command])
    except AmanahError as exc:
        if isinstance(exc, Forbidden):
            raise
        return _resolve_page(
            request,
            caller,
            roll_id,
            location,
            block=block,
            values=posted.form,
            error=str(exc),
            status=status_of(exc),
        )
    lang = request_language(request, caller)
    flash(caller, lang.gettext("%(person)s is accounted for.") % {"person": command.resolve.person})
    target = f"/rolls/{roll_id}/blocks/{block}" if block else f"/rolls/{roll_id}"
    return RedirectResponse(target, status_code=303)


@router.get("/sheets/{block_id}", name="roll_sheet")
def roll_sheet(request: Request, caller: PageCaller, block_id: str) -> Response:
    """A printable roll sheet of a block: every place with the people the register has
    there, a box for the count and lines for the counters' signatures."""
    locations = _locations(caller)
    block = next((p for p in locations if p.id == block_id), None)
    if block is None:
        raise NotFound(f"no location {block_id}")
    people = caller.guarded.roster(location=block_id)
    by_place: dict[str, list[Any]] = {}
    for person in people:
        if person.location:
            by_place.setdefault(person.location, []).append(person)
    places = [
        p
        for p in locations
        if p.kind in ("cell", "post", "reception")
        and p.path.startswith(block.path)
        and p.state == "active"
    ]
    open_roll = next((r for r in caller.guarded.rolls(limit=5) if r.status == "open"), None)
    context = {
        "block": block,
        "places": places,
        "by_place": by_place,
        "total": len(people),
        "roll": open_roll,
        "now": caller.server.app.clock.now().isoformat(),
    }
    return page(request, caller, "roll_sheet.html", context, here="rolls")
