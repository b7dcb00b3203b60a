"""The situation report's aggregate figures as HXL-tagged CSV (Humanitarian Exchange Language).

One row per indicator, with the place (OCHA P-codes) and the time, under a row of human
column names and a row of HXL hashtags. Only counts and quantities leave here: never a
person's number or name, and no free text (incident summaries, appeal recipients, notes),
as DESIGN.md requires of aggregate exports. Every tag is in the HXL core schema
and the file passes libhxl's default validation schema (``#value`` a number, ``#date`` a date).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

#: (human name, HXL hashtag) of each column, in order.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("Date", "#date"),
    ("Country", "#country+code"),
    ("Governorate", "#adm1+code"),
    ("District", "#adm2+code"),
    ("Place code", "#loc+code"),
    ("Place", "#loc+name"),
    ("Place (Arabic)", "#loc+name+i_ar"),
    ("Latitude", "#geo+lat"),
    ("Longitude", "#geo+lon"),
    ("Sector", "#sector"),
    ("Indicator", "#indicator+code"),
    ("Unit", "#indicator+unit"),
    ("Value", "#value"),
    ("Source log", "#meta+source"),
    ("Log size", "#meta+log_size"),
)

#: The HXL sector (IASC cluster) each group of indicators belongs to.
SECTORS = {
    "population": "Protection",
    "water": "WASH",
    "power": "WASH",
    "fuel": "Logistics",
    "food": "Food Security",
    "medicine": "Health",
    "supplies": "Logistics",
    "incidents": "Protection",
    "notifications": "Protection",
    "appeals": "Coordination",
}

#: Runway units as indicator-code suffixes.
_UNIT_CODES = {"L": "l", "kcal": "kcal", "doses": "doses"}


def _value(value: float | int) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def indicators(s: Mapping[str, Any]) -> list[tuple[str, str, str, float | int]]:
    """(sector key, indicator code, unit, value) of every aggregate figure in ``s``."""
    out: list[tuple[str, str, str, float | int]] = []
    population = s.get("population") or {}
    if "total" in population:
        out.append(("population", "population_inside", "people", population["total"]))
    for category, code in (("detainee", "detainees"), ("staff", "staff"), ("other", "others")):
        if category in population:
            out.append(("population", f"{code}_inside", "people", population[category]))
    custody = s.get("in_custody") or {}
    for key, code in (
        ("total", "in_custody"),
        ("out", "out_temporarily"),
        ("in_transit", "in_transit"),
    ):
        if custody.get(key) is not None:
            out.append(("population", code, "people", custody[key]))
    roll = s.get("roll") or {}
    if roll.get("unaccounted") is not None:
        out.append(("population", "unaccounted", "people", roll["unaccounted"]))

    for utility, state in (s.get("utilities") or {}).items():
        out.append((utility, f"{utility}_out", "flag", state == "out"))
    if s.get("threshold_days") is not None:
        out.append(("supplies", "runway_alert_threshold", "days", s["threshold_days"]))
    for row in s.get("supplies") or []:
        resource, unit = row["resource"], row["unit"]
        suffix = _UNIT_CODES.get(unit, unit.lower())
        out.append((resource, f"{resource}_stock_{suffix}", unit, row["stock"]))
        if row.get("daily_recent") is not None:
            out.append((resource, f"{resource}_daily_recent_{suffix}", unit, row["daily_recent"]))
        for measure in ("recent", "humane", "survival"):
            days = row.get(f"days_{measure}")
            if days is not None:
                out.append((resource, f"{resource}_days_{measure}", "days", days))

    incidents = s.get("incidents") or {}
    for key in ("last_24h", "last_72h", "attacks_72h"):
        if incidents.get(key) is not None:
            code = key.replace("last_", "incidents_") if key.startswith("last_") else key
            out.append(("incidents", code, "count", incidents[key]))
    notifications = s.get("notifications") or {}
    out.extend(
        ("notifications", f"notifications_{key}", "count", notifications[key])
        for key in ("owed", "overdue", "sent")
        if notifications.get(key) is not None
    )
    appeals = s.get("appeals") or []
    out.append(("appeals", "appeals_open", "count", len(appeals)))
    out.append(
        (
            "appeals",
            "appeals_reminder_due",
            "count",
            sum(1 for a in appeals if a.get("reminder_due")),
        )
    )
    return out


def sitrep_hxl(s: Mapping[str, Any]) -> str:
    """The aggregate figures of the situation report ``s`` as HXL-tagged CSV text."""
    facility = s.get("facility") or {}
    checkpoint = s.get("checkpoint") or {}
    place = [
        s["as_of"],
        facility.get("country") or "",
        facility.get("adm1") or "",
        facility.get("adm2") or "",
        facility.get("id") or "",
        facility.get("name_en") or "",
        facility.get("name_ar") or "",
        facility.get("lat") or "",
        facility.get("lon") or "",
    ]
    source = [s.get("origin") or "", str(checkpoint.get("size", ""))]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([name for name, _ in COLUMNS])
    writer.writerow([tag for _, tag in COLUMNS])
    for sector, code, unit, value in indicators(s):
        writer.writerow([*place, SECTORS[sector], code, unit, _value(value), *source])
    return buffer.getvalue()
