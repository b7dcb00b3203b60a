"""Incidents, the notifications owed, and the situation report in the browser.

An incident is reported once and never edited: what is learned later is an addendum, and
its review, closing and reopening are status changes. A person linked as deceased or
escapee must have that death or escape recorded as a movement first (the service links the
movement). Notifications owed to families and authorities (Mandela Rules 68–72) are marked
sent, then acknowledged. The situation report is shown on screen and downloaded as PDF,
text or HXL, each download written to the access log.

Commands are built as the API builds them (:mod:`amanah.api.siege_routes`) and run through
the caller's :class:`~amanah.services.guarded.Guarded` services. A refusal is shown on the
form it came from, with what was typed kept, and writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from amanah.api.context import Caller
from amanah.domain.incidents import commands as ic
from amanah.domain.incidents.model import (
    KINDS,
    OPEN_STATUSES,
    OUTCOMES,
    ROLES,
    SEVERITIES,
    TRANSITIONS,
    attack_timeline,
)
from amanah.domain.notifications import commands as nc
from amanah.domain.notifications.model import CHANNELS
from amanah.errors import InvalidInput, NotFound
from amanah.reports import sitrep_text
from amanah.reports.chart import runway_svg
from amanah.reports.render import MEDIA_TYPES, render_sitrep
from amanah.services.siege import SiegeCommand
from amanah.services.siege_presenters import incident_json, notification_json
from amanah.web.deps import PageCaller, Posted, PostedForm
from amanah.web.i18n import Language
from amanah.web.register_pages import chosen_facility, flash
from amanah.web.render import LRI, PDI, page, request_language
from amanah.web.siege_pages import (
    HELPERS,
    flash_recorded,
    form_facility,
    form_time,
    write_form,
)

router = APIRouter()

#: Rows of linked people a report form offers (an addendum form: fewer).
REPORT_ROWS = 5
ADDENDUM_ROWS = 3
#: The order notifications are listed in: what is still owed first.
STATUS_ORDER = {"owed": 0, "sent": 1, "acknowledged": 2}


# -- helpers ----------------------------------------------------------------------------------


def _facility_param(caller: Caller, facility: str | None, where: str | None) -> str | None:
    """The ``facility`` to carry in links and forms: only for an account of every facility
    that chose one."""
    return where if facility and caller.principal.facility is None else None


def _query(**params: str | None) -> str:
    """``?a=1&b=2`` of the params given (none: "")."""
    found = {k: v for k, v in params.items() if v}
    return f"?{urlencode(found)}" if found else ""


def linked_people(posted: Posted, rows: int, lang: Language) -> tuple[ic.LinkedPerson, ...]:
    """The people typed in the form's rows (``person_0``, ``role_0``, ``outcome_0``...);
    a row without a number is left out."""
    found: list[ic.LinkedPerson] = []
    for i in range(rows):
        person = (posted.form.get(f"person_{i}") or "").strip().upper()
        if not person:
            continue
        role = posted.form.get(f"role_{i}") or ""
        outcome = posted.form.get(f"outcome_{i}") or ""
        if not role or not outcome:
            message = lang.gettext("Choose the role and the outcome of %(person)s.")
            raise InvalidInput(message % {"person": person})
        found.append(ic.LinkedPerson(person, role, outcome))
    return tuple(found)


def isolate(text: str) -> str:
    """``text`` isolated from the direction of the sentence around it (a name in Arabic
    inside English, or the other way round)."""
    return f"\u2068{text}\u2069"


def gap_text(earlier: str, later: str) -> str:
    """The time between two RFC 3339 times as hours and minutes (``3:20``), isolated left to
    right inside Arabic text."""
    start = datetime.fromisoformat(earlier.replace("Z", "+00:00"))
    end = datetime.fromisoformat(later.replace("Z", "+00:00"))
    minutes = max(int((end - start).total_seconds() // 60), 0)
    return f"{LRI}{minutes // 60}:{minutes % 60:02d}{PDI}"


# -- incidents --------------------------------------------------------------------------------


def _incidents_page(
    request: Request,
    caller: Caller,
    facility: str | None,
    *,
    open_only: bool = False,
    view: str | None = None,
    values: Mapping[str, str] | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    guarded = caller.guarded
    guarded.require("incident.read")
    where, facilities = chosen_facility(caller, facility)
    if where is None and facilities:
        choice = {"facilities": facilities, "target": "incidents"}
        return page(request, caller, "choose_facility.html", choice, here="incidents")
    attacks = view == "attacks"
    found = guarded.cases("incidents", where, statuses=OPEN_STATUSES if open_only else None)
    timeline: list[dict[str, Any]] = []
    previous: str | None = None
    for incident in attack_timeline(found) if attacks else ():
        row = incident_json(incident)
        row["gap"] = gap_text(previous, incident.time) if previous else None
        previous = incident.time
        timeline.append(row)
    context: dict[str, Any] = {
        "facility": where,
        "facility_param": _facility_param(caller, facility, where),
        "incidents": [] if attacks else [incident_json(i) for i in reversed(found)],
        "timeline": timeline,
        "open_only": open_only,
        "view": "attacks" if attacks else "list",
        "kinds": KINDS,
        "severities": SEVERITIES,
        "roles": ROLES,
        "outcomes": OUTCOMES,
        "rows": range(REPORT_ROWS),
        "values": values or {},
        "error": error,
    }
    return page(request, caller, "incidents.html", context, status=status, here="incidents")


@router.get("/incidents", name="incidents")
def incidents(
    request: Request,
    caller: PageCaller,
    facility: str | None = None,
    open_only: Annotated[str | None, Query(alias="open")] = None,
    view: str | None = None,
) -> Response:
    """The incidents, newest first (``open=1``: the open ones only); ``view=attacks``: the
    attack timeline, oldest first."""
    return _incidents_page(request, caller, facility, open_only=bool(open_only), view=view)


@router.post("/incidents", name="report_incident")
def report_incident(request: Request, posted: PostedForm) -> Response:
    """Report an incident, with the people it concerns."""
    caller = posted.caller
    caller.guarded.require("incident.report")
    lang = request_language(request, caller)
    form = posted.form
    done = write_form(
        caller,
        lambda: ic.ReportIncident(
            "",
            form_facility(posted),
            form.get("kind", ""),
            form.get("severity", ""),
            form_time(caller, posted.get("time")),
            posted.get("location"),
            form.get("summary", ""),
            linked_people(posted, REPORT_ROWS, lang),
        ),
        lambda error, status: _incidents_page(
            request, caller, posted.get("facility"), values=form, error=error, status=status
        ),
    )
    if isinstance(done, Response):
        return done
    ident = done.created[0]
    flash(caller, lang.gettext("Incident %(id)s is recorded.") % {"id": ident})
    return RedirectResponse(f"/incidents/{quote(ident)}", status_code=303)


def _incident_page(
    request: Request,
    caller: Caller,
    ident: str,
    *,
    form: str | None = None,
    values: Mapping[str, str] | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    found = caller.guarded.case("incidents", ident)
    context: dict[str, Any] = {
        "incident": incident_json(found),
        "next_statuses": TRANSITIONS.get(found.status, ()),
        "roles": ROLES,
        "outcomes": OUTCOMES,
        "rows": range(ADDENDUM_ROWS),
        "form": form,
        "values": values or {},
        "error": error,
    }
    return page(request, caller, "incident.html", context, status=status, here="incidents")


@router.get("/incidents/{ident}", name="incident")
def incident(request: Request, caller: PageCaller, ident: str) -> Response:
    """One incident: the report as made, the people, the addenda and the status history."""
    return _incident_page(request, caller, ident)


def _addendum(posted: Posted, ident: str, lang: Language) -> SiegeCommand:
    return ic.AddAddendum(
        ident,
        form_time(posted.caller, posted.get("time")),
        posted.form.get("text", ""),
        linked_people(posted, ADDENDUM_ROWS, lang),
    )


def _status(posted: Posted, ident: str, _lang: Language) -> SiegeCommand:
    return ic.ChangeStatus(
        ident,
        posted.form.get("status", ""),
        form_time(posted.caller, posted.get("time")),
        posted.form.get("reason", ""),
    )


#: The steps of an incident (``step``): the action each needs, and the command it builds.
INCIDENT_STEPS: Mapping[str, tuple[str, Callable[[Posted, str, Language], SiegeCommand]]] = {
    "addendum": ("incident.report", _addendum),
    "status": ("incident.review", _status),
}


@router.post("/incidents/{ident}")
def record_incident_step(request: Request, posted: PostedForm, ident: str) -> Response:
    """An addendum to incident ``ident``, or its review, closing or reopening."""
    caller = posted.caller
    step = posted.form.get("step", "")
    if step not in INCIDENT_STEPS:
        caller.guarded.require("incident.report")
        raise NotFound(f"no incident step {step!r}")
    action, build = INCIDENT_STEPS[step]
    caller.guarded.require(action)
    lang = request_language(request, caller)
    done = write_form(
        caller,
        lambda: build(posted, ident, lang),
        lambda error, status: _incident_page(
            request, caller, ident, form=step, values=posted.form, error=error, status=status
        ),
    )
    if isinstance(done, Response):
        return done
    flash_recorded(request, caller, done.first_seq)
    return RedirectResponse(f"/incidents/{quote(ident)}", status_code=303)


# -- notifications ----------------------------------------------------------------------------


def _notifications_page(
    request: Request,
    caller: Caller,
    facility: str | None,
    *,
    everything: bool = False,
    target: str | None = None,
    form: str | None = None,
    values: Mapping[str, str] | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    guarded = caller.guarded
    guarded.require("notification.read")
    where, facilities = chosen_facility(caller, facility)
    if where is None and facilities:
        choice = {"facilities": facilities, "target": "notifications"}
        return page(request, caller, "choose_facility.html", choice, here="notifications")
    statuses = None if everything else ("owed", "sent")
    now = guarded.siege.clock.now()
    rows = [notification_json(n, now) for n in guarded.cases("notifications", where)]
    if target and not any(r["id"] == target for r in rows):
        target = None
    shown = [r for r in rows if statuses is None or r["status"] in statuses or r["id"] == target]
    shown.sort(key=lambda r: (STATUS_ORDER.get(r["status"], 3), r["due"], r["id"]))
    context: dict[str, Any] = {
        "facility": where,
        "facility_param": _facility_param(caller, facility, where),
        "notifications": shown,
        "owed": sum(1 for r in rows if r["status"] == "owed"),
        "overdue": sum(1 for r in rows if r["overdue"]),
        "everything": everything,
        "channels": CHANNELS,
        "isolate": isolate,
        "target": target,
        "form": form,
        "values": values or {},
        "error": error,
    }
    return page(request, caller, "notifications.html", context, status=status, here="notifications")


@router.get("/notifications", name="notifications")
def notifications(
    request: Request,
    caller: PageCaller,
    facility: str | None = None,
    everything: Annotated[str | None, Query(alias="all")] = None,
) -> Response:
    """The notifications still owed or awaiting acknowledgement, the most urgent first
    (``all=1``: the acknowledged ones too)."""
    return _notifications_page(request, caller, facility, everything=bool(everything))


def _sent(posted: Posted, ident: str) -> SiegeCommand:
    f = posted.form
    when = form_time(posted.caller, posted.get("time"))
    return nc.MarkSent(
        ident, when, f.get("channel", ""), f.get("to", ""), f.get("by", ""), f.get("note", "")
    )


def _acknowledged(posted: Posted, ident: str) -> SiegeCommand:
    f = posted.form
    when = form_time(posted.caller, posted.get("time"))
    return nc.Acknowledge(ident, when, f.get("by", ""), f.get("note", ""))


#: The steps of a notification (``step``), and the command each builds.
NOTIFICATION_STEPS: Mapping[str, Callable[[Posted, str], SiegeCommand]] = {
    "sent": _sent,
    "ack": _acknowledged,
}


@router.post("/notifications/{ident}", name="notification")
def record_notification(request: Request, posted: PostedForm, ident: str) -> Response:
    """Notification ``ident`` was given (``step=sent``), or its recipient confirmed it
    (``step=ack``)."""
    caller = posted.caller
    caller.guarded.require("notification.record")
    step = posted.form.get("step", "")
    build = NOTIFICATION_STEPS.get(step)
    if build is None:
        raise NotFound(f"no notification step {step!r}")
    done = write_form(
        caller,
        lambda: build(posted, ident),
        lambda error, status: _notifications_page(
            request,
            caller,
            posted.get("facility"),
            everything=bool(posted.get("all")),
            target=ident,
            form=step,
            values=posted.form,
            error=error,
            status=status,
        ),
    )
    if isinstance(done, Response):
        return done
    flash_recorded(request, caller, done.first_seq)
    facility = posted.get("facility")
    query = _query(facility=facility, all="1" if posted.get("all") else None)
    return RedirectResponse(f"/notifications{query}", status_code=303)


# -- the situation report ---------------------------------------------------------------------


@router.get("/sitrep", name="sitrep")
def sitrep(
    request: Request,
    caller: PageCaller,
    facility: str | None = None,
    at: str | None = None,
) -> Response:
    """The situation report on screen (now, or as of ``at``): the message for the radio,
    the figures, and the downloads."""
    guarded = caller.guarded
    guarded.require("sitrep.read")
    where, facilities = chosen_facility(caller, facility)
    if where is None and facilities:
        choice = {"facilities": facilities, "target": "sitrep"}
        return page(request, caller, "choose_facility.html", choice, here="sitrep")
    lang = request_language(request, caller)
    at_error = None
    as_of: datetime | None = None
    if at:
        try:
            as_of = form_time(caller, at)
        except InvalidInput as exc:
            at_error = str(exc)
    report = guarded.sitrep(where, as_of)
    facility_param = _facility_param(caller, facility, where)
    pinned = at if as_of else None
    context: dict[str, Any] = {
        **HELPERS,
        "report": report,
        "message": sitrep_text(report, lang.code),
        # Generated SVG: every text in it is escaped by the reports package (shown |safe).
        "chart": runway_svg(report["supplies"], lang.code, report["threshold_days"])
        if report["supplies"]
        else "",
        "facility_param": facility_param,
        "at": at or "",
        "at_error": at_error,
        "downloads": {
            "pdf_ar": "/sitrep.pdf" + _query(lang="ar", facility=facility_param, at=pinned),
            "pdf_en": "/sitrep.pdf" + _query(lang="en", facility=facility_param, at=pinned),
            "text": "/sitrep.txt" + _query(lang=lang.code, facility=facility_param, at=pinned),
            "hxl": "/sitrep.hxl.csv" + _query(facility=facility_param, at=pinned),
        },
    }
    return page(request, caller, "sitrep.html", context, here="sitrep")


def _download(
    caller: Caller, form: str, facility: str | None, at: str | None, lang: str
) -> Response:
    guarded = caller.guarded
    guarded.require("sitrep.read")
    where, _ = chosen_facility(caller, facility)
    report = guarded.sitrep(where, form_time(caller, at) if at else None)
    body, name = render_sitrep(report, form, lang)
    guarded.sitrep_exported(report, form)
    return Response(
        body,
        media_type=MEDIA_TYPES[form],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


Lang = Literal["ar", "en"]
At = Query(default=None, max_length=64)


@router.get("/sitrep.pdf", name="sitrep_pdf")
def sitrep_pdf(
    caller: PageCaller, facility: str | None = None, lang: Lang = "ar", at: str | None = At
) -> Response:
    """The situation report as a PDF, in Arabic or English."""
    return _download(caller, "pdf", facility, at, lang)


@router.get("/sitrep.txt", name="sitrep_text")
def sitrep_txt(
    caller: PageCaller, facility: str | None = None, lang: Lang = "ar", at: str | None = At
) -> Response:
    """The situation report as the short message for the radio or an SMS."""
    return _download(caller, "text", facility, at, lang)


@router.get("/sitrep.hxl.csv", name="sitrep_hxl")
def sitrep_hxl(caller: PageCaller, facility: str | None = None, at: str | None = At) -> Response:
    """The situation report's aggregate figures as HXL-tagged CSV (no personal data)."""
    return _download(caller, "hxl", facility, at, "en")
