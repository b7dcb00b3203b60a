"""The dashboard, the register (search, a person's page, admission, correction), the roster
and the movement forms.

Handlers parse the form, build a command with :mod:`amanah.services.inputs` and call the
caller's :class:`~amanah.services.guarded.Guarded` services; a refusal is shown on the form
it came from, with what was typed kept.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from amanah.api.context import Caller
from amanah.api.errors import classify
from amanah.domain.registry.commands import Correct
from amanah.errors import AmanahError, Forbidden, NotFound
from amanah.services import inputs
from amanah.services.guarded import MOVE_ACTIONS
from amanah.services.ports import LocationRow
from amanah.web.deps import PageCaller, PostedForm
from amanah.web.labels import MOVE_FORMS, RECORD_FIELDS, TIME_FIELDS
from amanah.web.render import local_time, page, request_language

router = APIRouter()

SEARCH_LIMIT = 50


def status_of(exc: AmanahError) -> int:
    """The HTTP status of a refusal shown on a form (the API's table)."""
    return classify(exc)[0]


def flash(caller: Caller, text: str, kind: str = "notice") -> None:
    caller.server.sessions.flash(caller.token, kind, text)


def chosen_facility(caller: Caller, requested: str | None) -> tuple[str | None, list[LocationRow]]:
    """The facility a page is about: the account's own; else the one asked for (``?facility=``);
    else the home's only one. With several and none chosen: None, and the facilities to
    choose from."""
    if caller.principal.facility is not None:
        return caller.principal.facility, []
    facilities = caller.guarded.facilities()
    ids = [f.id for f in facilities]
    if requested in ids:
        return requested, facilities
    return (ids[0] if len(ids) == 1 else None), facilities


def _facility_places(caller: Caller, facility: str | None = None) -> list[LocationRow]:
    """The places a form offers (none when the caller may not read them)."""
    try:
        return caller.guarded.locations(facility)
    except (Forbidden, NotFound):
        return []


# -- dashboard --------------------------------------------------------------------------------


@router.get("/", name="dashboard")
def dashboard(request: Request, caller: PageCaller, facility: str | None = None) -> Response:
    principal = caller.principal
    if not principal.may("roll.read"):
        return RedirectResponse("/roster", status_code=303)
    where, facilities = chosen_facility(caller, facility)
    if where is None and facilities:
        choice = {"facilities": facilities, "target": "dashboard"}
        return page(request, caller, "choose_facility.html", choice, here="dashboard")
    guarded = caller.guarded
    context: dict[str, Any] = {"status": None, "movements": [], "published": None}
    try:
        context["status"] = guarded.roll_status(where)
    except NotFound as exc:
        context["empty"] = str(exc)
    if principal.may("register.read") and context["status"] is not None:
        context["movements"] = guarded.recent_movements(where, limit=12)
    if principal.may("ledger.read"):
        try:  # the ledger is the whole log's: an account of one facility of several may not
            context["published"] = guarded.published()
        except Forbidden:
            context["published"] = None
    return page(request, caller, "dashboard.html", context, here="dashboard")


# -- the register -----------------------------------------------------------------------------


def _search(caller: Caller, q: str | None, category: str | None) -> dict[str, Any]:
    category = category if category in ("detainee", "staff", "other") else None
    if not q or not q.strip():
        return {"q": "", "category": category, "found": None, "error": None}
    try:
        found = caller.guarded.search(q, SEARCH_LIMIT, category)
    except Forbidden:
        raise
    except AmanahError as exc:
        return {"q": q, "category": category, "found": None, "error": str(exc)}
    return {"q": q, "category": category, "found": found, "error": None}


@router.get("/people", name="people")
def people(
    request: Request, caller: PageCaller, q: str | None = None, category: str | None = None
) -> Response:
    """Search by part of a name in either script, or by number (as you type, with htmx)."""
    caller.guarded.require("register.read")  # the page itself is the register's
    context = _search(caller, q, category)
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        return page(request, caller, "people_results.html", context)
    return page(request, caller, "people.html", context, here="people")


@router.get("/people/new", name="admit")
def admit_form(request: Request, caller: PageCaller, category: str = "detainee") -> Response:
    category = category if category in ("detainee", "staff", "other") else "detainee"
    caller.guarded.require("register.admit")
    return _admit_page(request, caller, category, {}, None)


def _admit_page(
    request: Request,
    caller: Caller,
    category: str,
    values: dict[str, str],
    error: str | None,
    *,
    status: int = 200,
) -> Response:
    places = [p for p in _facility_places(caller) if p.kind in ("cell", "post", "reception")]
    context = {"category": category, "values": values, "error": error, "places": places}
    return page(request, caller, "admit.html", context, status=status, here="people")


#: The admission form's fields, by record path.
ADMIT_FIELDS = (
    "name_ar",
    "name_latin",
    "gender",
    "nationality",
    "birth_date",
    "commitment.order_ref",
    "commitment.grounds",
    "commitment.ordering_authority",
    "commitment.responsible_authority",
    "arrest.time",
    "arrest.place",
    "arrest.authority",
    "health.visible_injuries",
    "health.ill_treatment_complaints",
    "health.state",
    "staff.role",
    "staff.post",
    "staff.unit",
    "staff.rank",
    "other.role",
    "other.organisation",
)


def record_from_form(form: dict[str, str]) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for path in ADMIT_FIELDS:
        inputs.set_field(record, path, form.get(path))
    aliases = [a.strip() for a in form.get("aliases", "").split(";") if a.strip()]
    inputs.set_field(record, "aliases", aliases or None)
    if form.get("birth_date_approximate"):
        record["birth_date_approximate"] = True
    inputs.set_field(record, "next_of_kin", inputs.contact(form.get("next_of_kin"), "next of kin"))
    return record


@router.post("/people/new")
def admit(request: Request, posted: PostedForm) -> Response:
    caller = posted.caller
    category = posted.form.get("category", "detainee")
    caller.guarded.require("register.admit")
    try:
        command = inputs.admit(
            caller.server.app.facility,
            category=category,
            record=record_from_form(posted.form),
            number=posted.get("number"),
            location=posted.get("location"),
            at=posted.get("time"),
            override=posted.get("override"),
        )
        done = caller.guarded.run([command])
    except Forbidden:
        raise
    except AmanahError as exc:
        return _admit_page(request, caller, category, posted.form, str(exc), status=status_of(exc))
    number = done.created[0]
    lang = request_language(request, caller)
    flash(caller, lang.gettext("%(number)s is on the register.") % {"number": number})
    return RedirectResponse(f"/people/{quote(number)}", status_code=303)


def field_value(record: dict[str, Any], path: str) -> Any:
    group, _, name = path.partition(".")
    value = record.get(group)
    if name:
        return value.get(name) if isinstance(value, dict) else None
    return value


@router.get("/people/{number}", name="person")
def person(request: Request, caller: PageCaller, number: str) -> Response:
    """A person's record and history (the view is in the access log)."""
    found, history = caller.guarded.person(number)
    record = dict(found.record)
    sections = []
    zone = caller.server.app.settings.zone
    for title, fields in RECORD_FIELDS:
        rows = [(label, field_value(record, path)) for path, label in fields]
        rows = [
            (label, local_time(value, zone) if label in TIME_FIELDS else value)
            for label, value in rows
        ]
        rows = [(label, value) for label, value in rows if value not in (None, "", [])]
        if rows:
            sections.append((title, rows))
    context = {
        "person": found,
        "history": history,
        "sections": sections,
        "record": record,
        "kinds": _move_kinds(caller, found.status),
    }
    return page(request, caller, "person.html", context, here="people")


@router.post("/people/{number}/correct", name="correct")
def correct(request: Request, posted: PostedForm, number: str) -> Response:
    caller = posted.caller
    field = posted.form.get("field", "")
    value: Any = posted.form.get("value", "")
    if field == "aliases":
        value = [a.strip() for a in str(value).split(";") if a.strip()]
    try:
        caller.guarded.run([Correct(number, field, value, posted.form.get("reason", ""))])
    except Forbidden:
        raise
    except AmanahError as exc:
        flash(caller, str(exc), "error")
    else:
        lang = request_language(request, caller)
        flash(caller, lang.gettext("The record is corrected; the old value stays in the ledger."))
    return RedirectResponse(f"/people/{quote(number)}", status_code=303)


# -- the roster -------------------------------------------------------------------------------


@router.get("/roster", name="roster")
def roster(
    request: Request, caller: PageCaller, location: str | None = None, facility: str | None = None
) -> Response:
    """Who is where: numbers, names and places only (receiving officers, guards)."""
    location = location or None
    blocks = caller.principal.blocks
    if location is None and blocks and not caller.principal.may("register.read"):
        location = blocks[0]  # a guard sees their own block first
    where, facilities = chosen_facility(caller, facility)
    if location is None and where is None and facilities:
        choice = {"facilities": facilities, "target": "roster"}
        return page(request, caller, "choose_facility.html", choice, here="roster")
    rows = caller.guarded.roster(facility=where, location=location)
    places = {p.id: p for p in _facility_places(caller, where)}
    context: dict[str, Any] = {
        "rows": rows,
        "location": location,
        "places": places,
        "blocks": blocks,
    }
    return page(request, caller, "roster.html", context, here="roster")


# -- movements --------------------------------------------------------------------------------


#: The movements that can follow each status.
NEXT_MOVES = {
    "inside": ("cell", "out", "transfer", "release", "death", "escape"),
    "out": ("return", "death", "escape"),
    "in_transit": ("receive",),
    "escaped": ("recapture",),
}


def _move_kinds(caller: Caller, status: str | None = None) -> list[str]:
    """The movement kinds the caller may record (for a person of ``status``, if given)."""
    p = caller.principal
    kinds = []
    for kind in MOVE_FORMS:
        if status is not None and kind not in NEXT_MOVES.get(status, ()):
            continue
        if kind == "cell":
            allowed = p.may("movement.cell")
        elif kind in ("out", "return", "death"):
            allowed = p.may("movement.record") or p.may("medical.record")
        else:
            allowed = p.may("movement.record")
        if allowed:
            kinds.append(kind)
    return kinds


def _move_page(
    request: Request,
    caller: Caller,
    kind: str | None,
    values: dict[str, str],
    *,
    error: str | None = None,
    status: int = 200,
) -> Response:
    caller.guarded.require(*MOVE_ACTIONS)
    kinds = _move_kinds(caller)
    kind = kind if kind in kinds else None
    places = _facility_places(caller)
    context = {
        "kinds": kinds,
        "kind": kind,
        "fields": MOVE_FORMS.get(kind or "", ()),
        "values": values,
        "error": error,
        "places": places,
    }
    return page(request, caller, "movement.html", context, status=status, here="movements")


@router.get("/movements", name="movements")
def movement_form(
    request: Request, caller: PageCaller, kind: str | None = None, person: str | None = None
) -> Response:
    return _move_page(request, caller, kind, {"person": person or ""})


@router.post("/movements")
def record_movement(request: Request, posted: PostedForm) -> Response:
    caller = posted.caller
    kind = posted.form.get("kind", "")
    number = (posted.form.get("person") or "").strip()
    fields = MOVE_FORMS.get(kind, ())
    details = {name: posted.form.get(name) for name, _, _ in fields if name != "to"}
    caller.guarded.require(*MOVE_ACTIONS)
    try:
        if kind not in MOVE_FORMS:
            raise NotFound(f"no movement kind {kind!r}")
        command = inputs.move(
            caller.server.app.facility,
            kind,
            number,
            to=posted.get("to"),
            origin=posted.get("origin"),
            at=posted.get("time"),
            details=details,
            override=posted.get("override"),
        )
        done = caller.guarded.run([command])
    except Forbidden:
        raise
    except AmanahError as exc:
        return _move_page(request, caller, kind, posted.form, error=str(exc), status=status_of(exc))
    lang = request_language(request, caller)
    flash(
        caller,
        lang.gettext("Recorded: entry %(seq)s of the ledger.") % {"seq": done.first_seq},
    )
    if caller.principal.may("register.read"):
        return RedirectResponse(f"/people/{quote(number)}", status_code=303)
    return RedirectResponse(f"/movements?kind={quote(kind)}", status_code=303)
