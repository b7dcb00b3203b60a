"""Supplies and appeals in the browser: the runway of water, food, fuel and medicine with a
rationing plan, the stores, generators and pumps and their entries; appeals to guarantors
with their acknowledgement, promises, reminders and closure.

Commands are built as the API builds them (:mod:`amanah.api.siege_routes`) and run through
the caller's :class:`~amanah.services.guarded.Guarded` services; quantities typed in any
unit are turned into the store's base units by ``Guarded.quantity``, which refuses a unit
of the wrong kind (kilograms into a water tank). A refusal is shown on the form it came
from, with what was typed kept, and writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from amanah.api.context import Caller
from amanah.domain.appeals import commands as ac
from amanah.domain.appeals.model import CHANNELS, KINDS, OPEN_STATUSES, OUTCOMES
from amanah.domain.shared import Event
from amanah.domain.supplies import commands as sc
from amanah.domain.supplies import events as se
from amanah.domain.supplies.model import Generator, Pump, Store
from amanah.domain.supplies.units import RESOURCES, UNITS, fmt
from amanah.errors import AmanahError, Forbidden, InvalidInput, NotFound
from amanah.reports.chart import runway_svg
from amanah.services.facility import Outcome
from amanah.services.siege import SiegeCommand
from amanah.services.siege_presenters import appeal_json, ration_json, runway_json
from amanah.web.deps import PageCaller, Posted, PostedForm
from amanah.web.i18n import Language
from amanah.web.register_pages import chosen_facility, flash, status_of
from amanah.web.render import LRI, PDI, page, request_language

router = APIRouter()

#: The four records of the entry form, in the order its select offers them.
ENTRY_KINDS = ("receive", "issue", "lose", "count")


# -- helpers ----------------------------------------------------------------------------------


def number(value: float | None, places: int = 0) -> str:
    """A figure with thousands separators (``12,500``; days as ``3.5``), or "—"."""
    return "—" if value is None else f"{value:,.{places}f}"


def amount(base: int, unit: str) -> str:
    """``base`` base units as a number in ``unit`` (``12,000``; no needless decimals)."""
    return fmt(base, unit)[: -len(unit) - 1]


def whole(text: str | None, message: str, default: int | None = None) -> int:
    """A whole number typed as digits (Arabic-Indic digits too), else :class:`InvalidInput`;
    ``default`` when left empty (if given)."""
    text = (text or "").strip()
    if not text and default is not None:
        return default
    if not text.isdecimal() or len(text) > 9:
        raise InvalidInput(message)
    return int(text)


def form_time(caller: Caller, text: str | None) -> datetime:
    """A time typed in the facility's zone (``datetime-local``), or now when left empty."""
    return caller.guarded.siege.time(text)


def _back(path: str, posted: Posted) -> RedirectResponse:
    """Back to ``path`` after a write, on the facility the form was about."""
    facility = posted.get("facility")
    query = f"?facility={quote(facility)}" if facility else ""
    return RedirectResponse(path + query, status_code=303)


def flash_recorded(request: Request, caller: Caller, seq: int) -> None:
    lang = request_language(request, caller)
    flash(caller, lang.gettext("Recorded: entry %(seq)s of the ledger.") % {"seq": seq})


def write_form(
    caller: Caller, build: Callable[[], SiegeCommand], refused: Callable[[str, int], Response]
) -> Outcome | Response:
    """Build a form's command and run it: the outcome, or (when the rules refuse it, or its
    input is bad) the form's page from ``refused(error, status)``, with nothing written. A
    denial is not a refusal: it goes to the error page."""
    try:
        return caller.guarded.siege_run([build()])
    except Forbidden:
        raise
    except AmanahError as exc:
        return refused(str(exc), status_of(exc))


HELPERS: Mapping[str, Any] = {"number": number, "amount": amount}


# -- supplies ---------------------------------------------------------------------------------


def _supplies_page(
    request: Request,
    caller: Caller,
    facility: str | None,
    *,
    at: str | None = None,
    until: str | None = None,
    form: str | None = None,
    values: Mapping[str, str] | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    guarded = caller.guarded
    guarded.require("supplies.read")
    where, facilities = chosen_facility(caller, facility)
    if where is None and facilities:
        choice = {"facilities": facilities, "target": "supplies"}
        return page(request, caller, "choose_facility.html", choice, here="supplies")
    lang = request_language(request, caller)
    at_error = plan_error = None
    as_of: datetime | None = None
    if at:
        try:
            as_of = form_time(caller, at)
        except InvalidInput as exc:
            at_error = str(exc)
    report = runway_json(guarded.runway(where, as_of))
    plans: list[dict[str, Any]] = []
    if until:
        try:
            _, found = guarded.ration_plan(form_time(caller, until), where)
        except Forbidden:
            raise
        except AmanahError as exc:
            plan_error = str(exc)
        else:
            plans = [ration_json(p) for p in found]
    states = guarded.supplies(where)
    stores = [s for s in states if isinstance(s, Store)]
    context: dict[str, Any] = {
        **HELPERS,
        "facility": where,
        "facility_param": where if facility and caller.principal.facility is None else None,
        "report": report,
        # Generated SVG: every text in it is escaped by the reports package (shown |safe).
        "chart": runway_svg(report["resources"], lang.code, report["threshold_days"]),
        "at": at or "",
        "at_error": at_error,
        "until": until or "",
        "plans": plans,
        "plan_error": plan_error,
        "stores": stores,
        "fuel_stores": [s for s in stores if s.resource == "fuel"],
        "water_stores": [s for s in stores if s.resource == "water"],
        "generators": [s for s in states if isinstance(s, Generator)],
        "pumps": [s for s in states if isinstance(s, Pump)],
        "entry_kinds": ENTRY_KINDS,
        "resources": tuple(RESOURCES),
        "units": tuple(UNITS),
        "form": form,
        "values": values or {},
        "error": error,
    }
    return page(request, caller, "supplies.html", context, status=status, here="supplies")


@router.get("/supplies", name="supplies")
def supplies(
    request: Request,
    caller: PageCaller,
    facility: str | None = None,
    at: str | None = None,
    until: str | None = None,
) -> Response:
    """The runway per resource (now, or as of ``at``), a rationing plan to ``until``, and
    the stores, generators and pumps."""
    return _supplies_page(request, caller, facility, at=at, until=until)


Build = Callable[[Posted, Language], SiegeCommand]


def form_facility(posted: Posted) -> str:
    return posted.get("facility") or posted.caller.guarded.siege_facility()


def _ident(posted: Posted, name: str = "id") -> str:
    return (posted.form.get(name) or "").strip()


def _entry(posted: Posted, lang: Language) -> SiegeCommand:
    """The delivery, issue (the day's consumption), loss or physical count of the entry
    form, its quantity in the store's base units."""
    caller = posted.caller
    kind = posted.form.get("kind", "")
    store = _ident(posted, "store")
    if kind not in ENTRY_KINDS:
        raise InvalidInput(
            lang.gettext("Choose what to record: a delivery, an issue, a loss or a count.")
        )
    if not store:
        raise InvalidInput(lang.gettext("Choose the store."))
    quantity = caller.guarded.quantity(
        store, posted.form.get("amount", ""), posted.form.get("unit", "")
    )
    when = form_time(caller, posted.get("time"))
    party = (posted.form.get("party") or "").strip()
    note = posted.form.get("note") or ""
    if kind == "receive":
        return sc.Receive(store, quantity, when, party, note)
    if kind == "issue":
        return sc.Issue(store, quantity, when, party, note)
    if kind == "lose":
        return sc.Lose(store, quantity, when, " — ".join(t for t in (party, note.strip()) if t))
    return sc.CountStock(store, quantity, when, party or caller.principal.username, note)


def _store(posted: Posted, lang: Language) -> SiegeCommand:
    kcal = posted.get("kcal_per_unit")
    return sc.OpenStore(
        _ident(posted),
        form_facility(posted),
        posted.form.get("resource", ""),
        posted.form.get("name", ""),
        posted.form.get("unit", ""),
        form_time(posted.caller, posted.get("time")),
        whole(kcal, lang.gettext("Enter the kcal per unit as a whole number.")) if kcal else None,
        posted.get("location"),
    )


def _generator(posted: Posted, lang: Language) -> SiegeCommand:
    form = posted.form
    message = lang.gettext("Enter the generator's size, load and hours as whole numbers.")
    return sc.InstallGenerator(
        _ident(posted),
        form_facility(posted),
        whole(form.get("kw"), message),
        _ident(posted, "fuel_store"),
        whole(form.get("load_percent"), message, 50),
        whole(form.get("hours_per_day"), message, 24),
        form_time(posted.caller, posted.get("time")),
        not form.get("stopped"),
    )


def _generator_set(posted: Posted, _lang: Language) -> SiegeCommand:
    """Start or stop a generator (``running`` 1 or 0), with the reason."""
    return sc.SetGenerator(
        _ident(posted),
        form_time(posted.caller, posted.get("time")),
        posted.form.get("running") == "1",
        reason=posted.form.get("reason") or "",
    )


def _pump(posted: Posted, lang: Language) -> SiegeCommand:
    form = posted.form
    message = lang.gettext("Enter the pump's flow, head and efficiencies as whole numbers.")
    return sc.InstallPump(
        _ident(posted),
        form_facility(posted),
        _ident(posted, "generator"),
        _ident(posted, "water_store"),
        whole(form.get("litres_per_hour"), message),
        whole(form.get("head_m"), message),
        whole(form.get("pump_efficiency_percent"), message, 50),
        whole(form.get("motor_efficiency_percent"), message, 100),
        form_time(posted.caller, posted.get("time")),
    )


#: The forms of the supplies page (``form``), and the command each builds.
SUPPLY_FORMS: Mapping[str, Build] = {
    "entry": _entry,
    "store": _store,
    "generator": _generator,
    "generator_set": _generator_set,
    "pump": _pump,
}


@router.post("/supplies")
def record_supplies(request: Request, posted: PostedForm) -> Response:
    """Any form of the supplies page: an entry, a new store, generator or pump, a generator
    started or stopped. Posted to the page itself, so that a refusal is shown at its URL."""
    caller = posted.caller
    caller.guarded.require("supplies.record")
    form = posted.form.get("form", "")
    build = SUPPLY_FORMS.get(form)
    if build is None:
        raise NotFound(f"no supplies form {form!r}")
    lang = request_language(request, caller)
    done = write_form(
        caller,
        lambda: build(posted, lang),
        lambda error, status: _supplies_page(
            request,
            caller,
            posted.get("facility"),
            form=form,
            values=posted.form,
            error=error,
            status=status,
        ),
    )
    if isinstance(done, Response):
        return done
    flash_recorded(request, caller, done.first_seq)
    return _back("/supplies", posted)


#: The entry kind of each supplies event (the ``supply_entry`` labels).
ENTRY_OF: dict[type, str] = {cls: cls.TYPE.removeprefix("supplies.") for cls in se.SUPPLY_EVENTS}


def entry_row(seq: int, event: Event, unit: str | None) -> dict[str, Any]:
    """One entry of a store's page: what, how much (in the store's unit), who or where."""
    row: dict[str, Any] = {
        "seq": seq,
        "time": getattr(event, "time", ""),
        "kind": ENTRY_OF.get(type(event), type(event).__name__),
        "quantity": None,
        "difference": None,
        "party": "",
        "note": getattr(event, "note", "") or "",
    }
    if unit and isinstance(event, se.Received | se.Issued | se.Lost | se.Counted):
        row["quantity"] = amount(event.quantity, unit)
    match event:
        case se.Received():
            row["party"] = event.source
        case se.Issued():
            row["party"] = event.to
        case se.Lost():
            row["party"] = event.reason
        case se.Counted():
            row["party"] = event.by
            if unit and event.difference:
                sign = "+" if event.difference > 0 else "−"
                row["difference"] = f"{LRI}{sign}{amount(abs(event.difference), unit)}{PDI}"
        case se.GeneratorSet():
            row["party"] = event.reason
            row["kind"] = "generator_started" if event.running else "generator_stopped"
    return row


@router.get("/supplies/{ident}", name="supply")
def supply(request: Request, caller: PageCaller, ident: str) -> Response:
    """One store, generator or pump and its entries, newest first."""
    found, history = caller.guarded.store_entries(ident)
    unit = found.unit if isinstance(found, Store) else None
    context: dict[str, Any] = {
        **HELPERS,
        "item": found,
        "is_store": isinstance(found, Store),
        "entries": [entry_row(seq, event, unit) for seq, event in reversed(history)],
    }
    return page(request, caller, "supply.html", context, here="supplies")


# -- appeals ----------------------------------------------------------------------------------


def _appeals_page(
    request: Request,
    caller: Caller,
    facility: str | None,
    *,
    closed: bool = False,
    values: Mapping[str, str] | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    guarded = caller.guarded
    guarded.require("appeal.read")
    where, facilities = chosen_facility(caller, facility)
    if where is None and facilities:
        choice = {"facilities": facilities, "target": "appeals"}
        return page(request, caller, "choose_facility.html", choice, here="appeals")
    found = guarded.cases("appeals", where, statuses=None if closed else OPEN_STATUSES)
    now = guarded.siege.clock.now()
    context: dict[str, Any] = {
        "facility": where,
        "facility_param": where if facility and caller.principal.facility is None else None,
        "appeals": [appeal_json(a, now) for a in reversed(found)],
        "closed": closed,
        "kinds": KINDS,
        "channels": CHANNELS,
        "values": values or {},
        "error": error,
    }
    return page(request, caller, "appeals.html", context, status=status, here="appeals")


@router.get("/appeals", name="appeals")
def appeals(
    request: Request, caller: PageCaller, facility: str | None = None, closed: str | None = None
) -> Response:
    """The open appeals (``closed=1``: the closed ones too), newest first."""
    return _appeals_page(request, caller, facility, closed=bool(closed))


@router.post("/appeals", name="send_appeal")
def send_appeal(request: Request, posted: PostedForm) -> Response:
    caller = posted.caller
    caller.guarded.require("appeal.record")
    form = posted.form
    sha256 = posted.get("sitrep_sha256")
    done = write_form(
        caller,
        lambda: ac.SendAppeal(
            "",
            form_facility(posted),
            form.get("kind", ""),
            form.get("recipient", ""),
            form.get("channel", ""),
            form.get("text", ""),
            form_time(caller, posted.get("time")),
            sha256.strip().lower() if sha256 else None,
            posted.get("sitrep_name"),
        ),
        lambda error, status: _appeals_page(
            request, caller, posted.get("facility"), values=form, error=error, status=status
        ),
    )
    if isinstance(done, Response):
        return done
    ident = done.created[0]
    lang = request_language(request, caller)
    flash(caller, lang.gettext("Appeal %(id)s is recorded.") % {"id": ident})
    return RedirectResponse(f"/appeals/{quote(ident)}", status_code=303)


def _appeal_page(
    request: Request,
    caller: Caller,
    ident: str,
    *,
    form: str | None = None,
    values: Mapping[str, str] | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    guarded = caller.guarded
    found = guarded.case("appeals", ident)
    context = {
        "appeal": appeal_json(found, guarded.siege.clock.now()),
        "channels": CHANNELS,
        "outcomes": OUTCOMES,
        "form": form,
        "values": values or {},
        "error": error,
    }
    return page(request, caller, "appeal.html", context, status=status, here="appeals")


@router.get("/appeals/{ident}", name="appeal")
def appeal(request: Request, caller: PageCaller, ident: str) -> Response:
    """One appeal: what was asked, the acknowledgement, promises, reminders and closure."""
    return _appeal_page(request, caller, ident)


def _acknowledge(posted: Posted, ident: str, _lang: Language) -> SiegeCommand:
    f = posted.form
    when = form_time(posted.caller, posted.get("time"))
    return ac.Acknowledge(ident, when, f.get("by", ""), f.get("note", ""))


def _promise(posted: Posted, ident: str, lang: Language) -> SiegeCommand:
    f = posted.form
    deadline = posted.get("deadline")
    if deadline is None:
        raise InvalidInput(lang.gettext("A promise needs its deadline."))
    when = form_time(posted.caller, posted.get("time"))
    return ac.Promise(
        ident, when, f.get("action", ""), form_time(posted.caller, deadline), f.get("by", "")
    )


def _remind(posted: Posted, ident: str, _lang: Language) -> SiegeCommand:
    f = posted.form
    when = form_time(posted.caller, posted.get("time"))
    return ac.Remind(ident, when, f.get("channel", ""), f.get("text", ""))


def _close(posted: Posted, ident: str, _lang: Language) -> SiegeCommand:
    f = posted.form
    when = form_time(posted.caller, posted.get("time"))
    return ac.Close(ident, when, f.get("outcome", ""), f.get("note", ""))


#: The steps of an appeal (``step``), and the command each builds.
APPEAL_STEPS: Mapping[str, Callable[[Posted, str, Language], SiegeCommand]] = {
    "ack": _acknowledge,
    "promise": _promise,
    "remind": _remind,
    "close": _close,
}


@router.post("/appeals/{ident}")
def record_step(request: Request, posted: PostedForm, ident: str) -> Response:
    """An acknowledgement, a promise, a reminder or the closing of appeal ``ident``."""
    caller = posted.caller
    caller.guarded.require("appeal.record")
    step = posted.form.get("step", "")
    build = APPEAL_STEPS.get(step)
    if build is None:
        raise NotFound(f"no appeal step {step!r}")
    lang = request_language(request, caller)
    done = write_form(
        caller,
        lambda: build(posted, ident, lang),
        lambda error, status: _appeal_page(
            request, caller, ident, form=step, values=posted.form, error=error, status=status
        ),
    )
    if isinstance(done, Response):
        return done
    flash_recorded(request, caller, done.first_seq)
    return RedirectResponse(f"/appeals/{quote(ident)}", status_code=303)
