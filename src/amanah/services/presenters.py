"""The JSON shape of each thing a person can read: the command line's ``--json`` and the
API's responses are the same objects, built here once."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from amanah.domain.access.log import AccessRecord
from amanah.domain.access.model import Account
from amanah.domain.rollcount.model import Roll, Tally
from amanah.services.guarded import RosterRow
from amanah.services.ports import LocationRow, MovementRow, OccurrenceRow, PersonRow


def location_json(row: LocationRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "kind": row.kind,
        "parent": row.parent,
        "facility": row.facility,
        "name_ar": row.name_ar,
        "name_en": row.name_en,
        "certified": row.certified,
        "working": row.working,
        "maximum": row.maximum,
        "state": row.state,
        "population": row.population,
        "by_category": dict(row.occupancy),
    } | (
        {"adm1": row.adm1, "adm2": row.adm2, "lat": row.lat, "lon": row.lon}
        if row.kind == "facility"
        else {}
    )


def movement_json(m: MovementRow) -> dict[str, Any]:
    return {
        "seq": m.seq,
        "person": m.person,
        "kind": m.kind,
        "time": m.time,
        "origin": m.origin,
        "destination": m.destination,
        "details": dict(m.details),
    }


def person_json(p: PersonRow, history: list[MovementRow] | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {
        "number": p.number,
        "category": p.category,
        "status": p.status,
        "location": p.location,
        "facility": p.facility,
        "since": p.since,
        "admitted_at": p.admitted_at,
        "record": dict(p.record),
    }
    if history is not None:
        found["history"] = [movement_json(m) for m in history]
    return found


def roster_json(r: RosterRow) -> dict[str, Any]:
    """A person as the roster shows them: who and where, never the admission record."""
    return {
        "number": r.number,
        "category": r.category,
        "status": r.status,
        "location": r.location,
        "facility": r.facility,
        "name_ar": r.name_ar,
        "name_latin": r.name_latin,
    }


def occurrence_json(r: OccurrenceRow) -> dict[str, Any]:
    """An occurrence-book line, times in UTC as recorded."""
    return {
        "seq": r.seq,
        "time": r.time,
        "by": r.by,
        "text": r.text,
        "source": r.source,
        "recorded_at": r.recorded_at,
    }


def roll_json(r: Roll) -> dict[str, Any]:
    return {
        "id": r.id,
        "facility": r.facility,
        "scope": r.scope,
        "status": r.status,
        "opened_at": r.opened_at,
    }


def tally_json(t: Tally) -> dict[str, Any]:
    return {
        "location": t.location,
        "status": t.status,
        "attempts": t.attempts,
        "expected": t.expected,
        "counted": t.counted,
    }


#: Tallies whose register number a blind counter is not shown (still to be counted right).
UNCOUNTED = frozenset({"pending", "recount"})


def roll_detail_json(found: Mapping[str, Any]) -> dict[str, Any]:
    """A roll call's places with the register's number and the tally of each; for a blind
    counter (``found["blind"]``), without the numbers of the places still to count."""
    tallies: Mapping[str, Tally] = found["tallies"]
    blind = bool(found.get("blind"))
    places = []
    for p in found["places"]:
        tally = tallies.get(p.id)
        hidden = blind and (tally is None or tally.status in UNCOUNTED)
        shown = tally_json(tally) if tally is not None else None
        if hidden and shown is not None:
            shown["expected"] = None
        places.append(
            {
                "id": p.id,
                "kind": p.kind,
                "parent": p.parent,
                "name_ar": p.name_ar,
                "name_en": p.name_en,
                "expected": None if hidden else p.population,
                "tally": shown,
            }
        )
    return {"roll": roll_json(found["roll"]), "places": places}


def account_json(a: Account) -> dict[str, Any]:
    return {
        "username": a.username,
        "party": a.party,
        "name": a.name,
        "roles": list(a.roles),
        "facility": a.facility,
        "blocks": list(a.blocks),
        "disabled": a.disabled,
        "created_at": a.created_at,
        "password_set_at": a.password_set_at,
    }


def access_record_json(r: AccessRecord) -> dict[str, Any]:
    return {
        "seq": r.seq,
        "time": r.time,
        "kind": r.kind,
        "user": r.user,
        "party": r.party,
        "facility": r.facility,
        "subject": r.subject,
        "client": r.client,
        "detail": r.detail,
    }
