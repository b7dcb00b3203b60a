"""Roll call in the browser: open a roll, count block by block on a tablet, recount,
resolve differences person by person, and print roll sheets for when the power fails.

Counts are blind on the counting page: a place's register number is shown only once it
has been counted. A count form is offered only where the account may count, and carries
the number of counts already made there, so that a second tap on a slow network is not
taken as a recount.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from amanah.api.context import Caller, is_secure
from amanah.domain.rollcount.model import Tally
from amanah.errors import AmanahError, Forbidden, InvalidInput, NotFound
from amanah.services import inputs
from amanah.services.ports import LocationRow
from amanah.web.auth_pages import COUNTERS_COOKIE
from amanah.web.deps import PageCaller, PostedForm
from amanah.web.register_pages import chosen_facility, flash, status_of
from amanah.web.render import page, request_language

router = APIRouter()

CONTAINERS = ("facility", "block", "wing")
HOLDING = ("cell", "post", "reception")
#: What a place id looks like (no "/", which would break the page's links).
_PLACE_ID = re.compile(r"^[^/\\?#\s]{1,100}$")


def place_param(value: str | None) -> str:
    """A place id from a form or query, or "" if it could not be one."""
    return value if value and _PLACE_ID.match(value) else ""


def count_of(text: str, message: str) -> int:
    """A count typed as digits (Arabic-Indic digits too), else :class:`InvalidInput`."""
    text = text.strip()
    if not text.isdecimal() or len(text) > 6:
        raise InvalidInput(message)
    return int(text)


@dataclass(frozen=True)
class BlockSummary:
    """One card of a roll: a block, or the places outside every block (``place`` is then
    the facility), with how many of its places are in each state."""

    place: LocationRow
    places: int
    states: dict[str, int]

    @property
    def done(self) -> bool:
        clear = self.states.get("matched", 0) + self.states.get("resolved", 0)
        return self.places > 0 and clear == self.places


def _tops(locations: list[LocationRow], scope: LocationRow) -> list[LocationRow]:
    """The outermost blocks and wings under ``scope`` (a wing in a block counts with it)."""
    under = [
        p
        for p in locations
        if p.kind in ("block", "wing") and p.path.startswith(scope.path) and p.id != scope.id
    ]
    return [g for g in under if not any(o.id != g.id and g.path.startswith(o.path) for o in under)]


def _in(place: LocationRow, card: LocationRow, tops: list[LocationRow]) -> bool:
    """Whether ``place`` is on ``card``: under it, or (for the facility's card) under none
    of the blocks."""
    if card.kind == "facility":
        return not any(place.path.startswith(t.path) for t in tops)
    return place.path.startswith(card.path)


@router.get("/rolls", name="rolls")
def rolls(request: Request, caller: PageCaller, facility: str | None = None) -> Response:
    where, facilities = chosen_facility(caller, facility)
    if where is None:
        choice = {"facilities": facilities, "target": "rolls"}
        return page(request, caller, "choose_facility.html", choice, here="rolls")
    guarded = caller.guarded
    found = guarded.rolls(where, limit=30)
    scopes = [p for p in guarded.locations(where) if p.kind in CONTAINERS]
    context: dict[str, Any] = {
        "rolls": found,
        "scopes": scopes,
        "open": next((r for r in found if r.status == "open"), None),
    }
    return page(request, caller, "rolls.html", context, here="rolls")


@router.post("/rolls")
def open_roll(posted: PostedForm) -> Response:
    caller = posted.caller
    guarded = caller.guarded
    guarded.require("roll.open")
    try:
        command = inputs.open_roll(caller.server.app.facility, scope=posted.get("scope"))
        done = guarded.run([command])
    except Forbidden:
        raise
    except AmanahError as exc:
        flash(caller, str(exc), "error")
        return RedirectResponse("/rolls", status_code=303)
    return RedirectResponse(f"/rolls/{quote(done.created[0])}", status_code=303)


def _summaries(found: dict[str, Any], locations: list[LocationRow]) -> list[BlockSummary]:
    scope = next((p for p in locations if p.id == found["roll"].scope), None)
    if scope is None:
        return []
    tallies: dict[str, Tally] = found["tallies"]
    places: list[LocationRow] = found["places"]
    tops = _tops(locations, scope)
    cards = [*tops, scope] if scope.kind == "facility" else tops or [scope]
    summaries = []
    for card in cards:
        states: dict[str, int] = {}
        inside = [p for p in places if _in(p, card, tops)]
        for p in inside:
            status = tallies[p.id].status if p.id in tallies else "pending"
            states[status] = states.get(status, 0) + 1
        if inside:
            summaries.append(BlockSummary(card, len(inside), states))
    return summaries


@router.get("/rolls/{roll_id}", name="roll")
def roll(request: Request, caller: PageCaller, roll_id: str) -> Response:
    guarded = caller.guarded
    found = guarded.roll_places(roll_id)
    locations = guarded.locations(found["roll"].facility)
    summaries = _summaries(found, locations)
    context = {
        "roll": found["roll"],
        "summaries": summaries,
        "countable": {
            s.place.id for s in summaries if guarded.can("roll.count", location=s.place.id)
        },
    }
    return page(request, caller, "roll.html", context, here="rolls")


def _rows(
    caller: Caller, found: dict[str, Any], card: LocationRow, locations: list[LocationRow]
) -> list[dict[str, Any]]:
    """The places on ``card`` with their tallies, and whether the caller may count each."""
    scope = next((p for p in locations if p.id == found["roll"].scope), card)
    tops = _tops(locations, scope)
    tallies: dict[str, Tally] = found["tallies"]
    return [
        {
            "place": p,
            "tally": tallies.get(p.id),
            "can_count": caller.guarded.can("roll.count", location=p.id),
        }
        for p in found["places"]
        if _in(p, card, tops) and p.facility == card.facility
    ]


@router.get("/rolls/{roll_id}/blocks/{block_id}", name="roll_block")
def roll_block(request: Request, caller: PageCaller, roll_id: str, block_id: str) -> Response:
    """Count a block: one row per place, recorded one at a time (htmx swaps the row)."""
    guarded = caller.guarded
    found = guarded.roll_places(roll_id)
    locations = guarded.locations(found["roll"].facility)
    block = next((p for p in locations if p.id == block_id), None)
    if block is None:
        raise NotFound(f"no location {block_id}")
    rows = _rows(caller, found, block, locations)
    context = {
        "roll": found["roll"],
        "block": block,
        "rows": rows,
        "counters": _counters(request),
        "can_count": any(r["can_count"] for r in rows),
    }
    return page(request, caller, "roll_block.html", context, here="rolls")


def _counters(request: Request) -> list[str]:
    """The counters' names kept for this browser (a block is counted by the same people)."""
    kept = unquote(request.cookies.get(COUNTERS_COOKIE, ""))
    return [n for n in kept.split(";") if n.strip()][:2]


def keep_counters_cookie(request: Request, response: Response, counters: list[str]) -> None:
    # Cookie values are ASCII: names in Arabic travel percent-encoded. Logging in or out
    # clears the cookie (auth_pages), so one shift's names are never the next one's.
    response.set_cookie(
        COUNTERS_COOKIE,
        quote(";".join(c.replace(";", ",")[:60] for c in counters[:2])),
        max_age=12 * 3600,
        samesite="strict",
        httponly=True,
        secure=is_secure(request),
    )


@router.post("/rolls/{roll_id}/counters", name="roll_counters")
def keep_counters(request: Request, posted: PostedForm, roll_id: str) -> Response:
    """Keep the counters' names for the block's counts (the path without htmx)."""
    block = place_param(posted.form.get("block"))
    target = (
        f"/rolls/{quote(roll_id)}/blocks/{quote(block)}" if block else f"/rolls/{quote(roll_id)}"
    )
    response = RedirectResponse(target, status_code=303)
    keep_counters_cookie(
        request, response, [c for c in posted.lists.get("counter", []) if c.strip()]
    )
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
    found = caller.guarded.roll_places(roll_id)
    place = next((p for p in found["places"] if p.id == location), None)
    if place is None:
        raise NotFound(f"{location} is not counted in roll call {roll_id}")
    context = {
        "roll": found["roll"],
        "row": {
            "place": place,
            "tally": found["tallies"].get(location),
            "can_count": caller.guarded.can("roll.count", location=location),
        },
        "error": error,
        "block_id": block_id,
    }
    return page(request, caller, "roll_row.html", context)


@router.post("/rolls/{roll_id}/count", name="roll_count")
def count(request: Request, posted: PostedForm, roll_id: str) -> Response:
    caller = posted.caller
    guarded = caller.guarded
    location = place_param(posted.form.get("location"))
    block = place_param(posted.form.get("block"))
    counters = [c for c in posted.lists.get("counter", []) if c.strip()] or _counters(request)
    error: str | None = None
    lang = request_language(request, caller)
    guarded.require("roll.count")
    try:
        counted = count_of(
            posted.form.get("counted", ""),
            lang.gettext("Enter the number of people counted (0 or more)."),
        )
        tally = guarded.roll_places(roll_id)["tallies"].get(location)
        attempt = posted.form.get("attempt")
        if attempt is not None and attempt != str(tally.attempts if tally else 0):
            raise InvalidInput(lang.gettext("This place was counted meanwhile: see its result."))
        command = inputs.count(caller.server.app.facility, roll_id, location, counted, counters)
        guarded.run([command])
    except Forbidden:
        raise
    except AmanahError as exc:
        error = str(exc)
    if request.headers.get("HX-Request"):
        # htmx swaps only 2xx responses by default, and the row must show a refusal too.
        response = _row(request, caller, roll_id, location, block_id=block, error=error)
    else:
        if error:
            flash(caller, f"{location}: {error}", "error")
        target = quote(block or location)
        response = RedirectResponse(f"/rolls/{quote(roll_id)}/blocks/{target}", status_code=303)
    if counters:
        keep_counters_cookie(request, response, counters)
    return response


@router.get("/rolls/{roll_id}/resolve", name="roll_resolve")
def resolve_form(
    request: Request, caller: PageCaller, roll_id: str, location: str, block: str | None = None
) -> Response:
    return _resolve_page(
        request, caller, roll_id, place_param(location), block=place_param(block), values={}
    )


def _resolve_page(
    request: Request,
    caller: Caller,
    roll_id: str,
    place_id: str,
    *,
    block: str,
    values: dict[str, str],
    error: str | None = None,
    status: int = 200,
) -> Response:
    guarded = caller.guarded
    guarded.require("roll.resolve")
    found = guarded.roll_places(roll_id)
    tally = found["tallies"].get(place_id)
    if tally is None or tally.status not in ("unresolved", "resolved"):
        raise NotFound(f"{place_id} has no difference to resolve in roll call {roll_id}")
    locations = guarded.locations(found["roll"].facility)
    context = {
        "roll": found["roll"],
        "tally": tally,
        "place": next((p for p in locations if p.id == place_id), None),
        "people": guarded.roster(location=place_id),
        "block": block,
        "holding": [p for p in locations if p.kind in HOLDING],
        "values": values,
        "error": error,
    }
    return page(request, caller, "roll_resolve.html", context, status=status, here="rolls")


#: The details each outcome's movement takes from the form.
RESOLVE_DETAILS = {
    "out": ("purpose",),
    "escaped": ("where",),
    "dead": ("place", "circumstances", "cause", "remains"),
}


@router.post("/rolls/{roll_id}/resolve")
def resolve(request: Request, posted: PostedForm, roll_id: str) -> Response:
    """Account for one person. ``roll_place`` is the roll's place with the difference;
    ``location`` where the register has the person (for someone counted where the register
    does not have them; default: the register's place)."""
    caller = posted.caller
    guarded = caller.guarded
    place_id = place_param(posted.form.get("roll_place"))
    block = place_param(posted.form.get("block"))
    outcome = posted.form.get("outcome", "")
    guarded.require("roll.resolve")
    try:
        command = inputs.resolve(
            caller.server.app.facility,
            roll_id,
            (posted.form.get("person") or "").strip(),
            outcome,
            location=posted.get("location"),
            found_in=posted.get("found_in") if outcome == "elsewhere" else None,
            to=posted.get("to") if outcome == "out" else None,
            details={k: posted.get(k) for k in RESOLVE_DETAILS.get(outcome, ())},
            note=posted.get("note"),
            override=posted.get("override"),
        )
        guarded.run([command])
    except Forbidden:
        raise
    except AmanahError as exc:
        return _resolve_page(
            request,
            caller,
            roll_id,
            place_id,
            block=block,
            values=posted.form,
            error=str(exc),
            status=status_of(exc),
        )
    lang = request_language(request, caller)
    flash(caller, lang.gettext("%(person)s is accounted for.") % {"person": command.resolve.person})
    target = f"/rolls/{quote(roll_id)}" + (f"/blocks/{quote(block)}" if block else "")
    return RedirectResponse(target, status_code=303)


@router.get("/sheets/{block_id}", name="roll_sheet")
def roll_sheet(request: Request, caller: PageCaller, block_id: str) -> Response:
    """A printable roll sheet of a block: every place with the people the register has
    there, a box for the count and lines for the counters' signatures."""
    guarded = caller.guarded
    people = guarded.roster(location=block_id)  # checked (and logged) before anything else
    locations = guarded.locations(people[0].facility if people else None)
    block = next((p for p in locations if p.id == block_id), None)
    if block is None:
        raise NotFound(f"no location {block_id}")
    by_place: dict[str, list[Any]] = {}
    for person in people:
        if person.location:
            by_place.setdefault(person.location, []).append(person)
    places = [
        p
        for p in locations
        if p.kind in HOLDING and p.path.startswith(block.path) and p.state == "active"
    ]
    open_roll = next(
        (r for r in guarded.rolls(block.facility, limit=5) if r.status == "open"), None
    )
    context = {
        "block": block,
        "places": places,
        "by_place": by_place,
        "total": len(people),
        "roll": open_roll,
        "now": caller.server.app.clock.now().isoformat(),
    }
    return page(request, caller, "roll_sheet.html", context, here="rolls")
