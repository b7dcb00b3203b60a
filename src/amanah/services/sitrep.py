"""The situation report: live figures a commander sends a guarantor, as one plain object.

Population by category, the roll, the supplies runway, the utilities, incidents of the last
24 and 72 hours, the notifications owed and the open appeals, pinned to the signed
checkpoint they were read at. Aggregates only, except the incident list (ids, kinds, times
and summaries, which the text and PDF forms carry and the HXL form never does).
The renderers (:mod:`amanah.reports`) turn it into text, PDF and HXL.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime, timedelta, tzinfo
from typing import Any

from amanah.domain.appeals.model import OPEN_STATUSES
from amanah.domain.shared import format_time
from amanah.services.facility import FacilityService
from amanah.services.ledger import Published
from amanah.services.siege import SiegeService
from amanah.services.siege_presenters import runway_json

#: Incidents of these kinds are attacks on the perimeter (counted in the attack timeline).
ATTACK_KINDS = ("attack", "breach_attempt", "breach")
#: An open incident of each kind means the utility is lost, whatever the stores say.
UTILITY_INCIDENTS = {"water": "water_loss", "power": "power_loss", "fuel": "fuel_loss"}
INCIDENT_OPEN = ("open", "under_review", "reopened")


def _local(value: str, zone: tzinfo) -> str:
    return (
        datetime.fromisoformat(value.replace("Z", "+00:00"))
        .astimezone(zone)
        .strftime("%Y-%m-%d %H:%M")
    )


def _level(days: list[float | None], stock: float, threshold: float) -> str:
    known = [d for d in days if d is not None]
    if stock <= 0 and not known:
        return "out"
    if known and min(known) <= 0.05:
        return "out"
    if known and min(known) < threshold:
        return "low"
    return "ok"


def build(
    facility_id: str,
    facility: FacilityService,
    siege: SiegeService,
    published: Published | None,
    now: datetime,
) -> dict[str, Any]:
    """The situation report of ``facility_id`` as of ``now``.

    Stocks, consumption, incidents, notifications and appeals are as they stood at ``now``
    (later entries left out); the population and the roll are the register's as it stands
    (the roll status has no history), and the checkpoint is the latest."""
    zone = siege.zone
    status = facility.roll_status(facility_id)
    report = siege.runway(facility_id, now)
    runway = runway_json(report)
    with siege.storage.reader() as view:
        place = view.facility.location(facility_id)
    since72 = format_time(now - timedelta(hours=72))
    since24 = format_time(now - timedelta(hours=24))
    until = format_time(now)
    known = [i for i in siege.cases("incidents", facility_id) if i.time <= until]
    incidents = [i for i in known if i.time >= since72]
    # What was known at ``now``: cases dated later are left out (a report "as of" a past time).
    notifications = [n for n in siege.cases("notifications", facility_id) if n.time <= until]
    appeals = [
        a for a in siege.cases("appeals", facility_id, statuses=OPEN_STATUSES) if a.time <= until
    ]
    threshold = report.minimums.alert_days

    by_resource = {r["resource"]: r for r in runway["resources"]}
    open_losses = {i.kind for i in known if i.status in INCIDENT_OPEN}

    def utility(resource: str, days: list[str]) -> str:
        """out, low or ok; ``unknown`` where no store of it is kept (not "ok")."""
        row = by_resource.get(resource)
        level = (
            "unknown" if row is None else _level([row[d] for d in days], row["stock"], threshold)
        )
        incident = UTILITY_INCIDENTS.get(resource)
        return "out" if incident in open_losses else level

    generators = report.plant.generators
    fuel_stock = by_resource.get("fuel", {}).get("stock", 0)
    power = "ok" if generators else "unknown"
    if generators and (fuel_stock <= 0 or not any(g.status == "running" for g in generators)):
        power = "out"
    if "power_loss" in open_losses:
        power = "out"
    water = utility("water", ["days_recent", "days_humane"])
    if water != "out" and by_resource.get("water", {}).get("stock", 1) <= 0 and power == "out":
        water = "out"

    total = status["total"]
    by_category = status["by_category"]
    roll = status["roll"]
    note_digest = hashlib.sha256(published.note).hexdigest() if published else None
    return {
        "facility": {
            "id": facility_id,
            "name_ar": place.name_ar if place else facility_id,
            "name_en": place.name_en if place else facility_id,
            "adm1": place.adm1 if place else None,
            "adm2": place.adm2 if place else None,
            "country": "SY" if place and (place.adm1 or "").startswith("SY") else None,
            "lat": place.lat if place else None,
            "lon": place.lon if place else None,
        },
        "origin": published.origin if published else None,
        "as_of": format_time(now),
        "local_time": now.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
        "checkpoint": {
            "size": published.size,
            "root": base64.b64encode(published.root).decode("ascii"),
            "note_sha256": note_digest,
        }
        if published
        else None,
        "population": {c: by_category[c]["in_cells"] for c in by_category}
        | {"total": total["in_cells"]},
        "in_custody": {
            "inside": total["in_cells"],
            "out": total["out"],
            "in_transit": total["in_transit"],
            "total": total["in_custody"],
        },
        "roll": {
            "id": roll["id"] if roll else None,
            "status": roll["status"] if roll else None,
            "time": roll["opened_at"] if roll else None,
            "expected": total["in_cells"],
            "unaccounted": total["unaccounted"],
        },
        "utilities": {
            "water": water,
            "power": power,
            "fuel": utility("fuel", ["days_recent"]),
            "food": utility("food", ["days_recent", "days_humane"]),
        },
        "threshold_days": threshold,
        "supplies": runway["resources"],
        "alerts": runway["alerts"],
        "standards": runway["standards"],
        "incidents": {
            "last_24h": sum(1 for i in incidents if i.time >= since24),
            "last_72h": len(incidents),
            "attacks_72h": sum(1 for i in incidents if i.kind in ATTACK_KINDS),
            "list": [
                {
                    "id": i.id,
                    "kind": i.kind,
                    "severity": i.severity,
                    "time": i.time,
                    "local_time": _local(i.time, zone),
                    "location": i.location,
                    "summary": i.summary,
                    "status": i.status,
                }
                for i in sorted(incidents, key=lambda i: i.time, reverse=True)
            ],
        },
        "notifications": {
            "owed": sum(1 for n in notifications if n.status == "owed"),
            "overdue": sum(1 for n in notifications if n.is_overdue(now)),
            "sent": sum(1 for n in notifications if n.status == "sent"),
        },
        "appeals": [
            {
                "id": a.id,
                "kind": a.kind,
                "recipient": a.recipient,
                "channel": a.channel,
                "status": a.status,
                "time": a.time,
                "local_time": _local(a.time, zone),
                "deadline": a.deadline,
                "reminder_due": a.reminder_due(now),
            }
            for a in appeals
        ],
    }
