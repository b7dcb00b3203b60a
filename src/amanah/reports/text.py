"""The situation report as one short message for a radio operator or an SMS.

It says first how many people are inside, then which of water, power, fuel and food are gone,
then the attacks, incidents, overdue notifications and open appeals, and last the log size and
root it was read at (so a listener can ask for the signed checkpoint). When the figures do not
fit in :data:`LIMIT` characters the least urgent parts are dropped first; what a commander must
say (people inside, utilities gone, anyone unaccounted) is never dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from amanah.reports.labels import check_lang, digits, label, number, title

#: Aim for a message that fits a few SMS segments or ~30 s of voice.
LIMIT = 480

#: The figure quoted for each resource: the first measure that could be computed.
HEADLINE_MEASURES = {
    "water": ("humane", "recent", "survival"),
    "food": ("humane", "recent", "survival"),
    "fuel": ("recent", "humane", "survival"),
    "medicine": ("recent",),
}

_PHRASES: dict[str, tuple[str, str]] = {
    "sitrep": ("تقرير الوضع:", "SITREP"),
    "inside": ("في الداخل", "Inside"),
    "unaccounted": ("مفقودون في العدّ", "UNACCOUNTED"),
    "roll_open": ("العدّ جارٍ", "Roll open"),
    "out_in_transit": (
        "خارج المنشأة {out}، قيد النقل {transit}",
        "Out {out}, in transit {transit}",
    ),
    "gone": ("{what}: لا يوجد", "{what}: none"),
    "low": (
        "{what} على وشك النفاد: {days} يوم {measure}",
        "{what} nearly gone: {days} days {measure}",
    ),
    "low_days_unknown": ("{what}: مستوى منخفض", "{what}: low"),
    "ok": ("{what}: {days} يوم {measure}", "{what}: {days} days {measure}"),
    "ok_plain": ("{what}: الوضع طبيعي", "{what}: ok"),
    "unrecorded": ("{what}: غير مسجَّل", "{what}: not recorded"),
    "food_gone": ("الغذاء: نفد", "Food: none"),
    "attacks": ("هجمات خلال ٧٢ ساعة: {n}", "Attacks 72h: {n}"),
    "incidents": ("حوادث خلال ٢٤ ساعة: {n}", "Incidents 24h: {n}"),
    "overdue": ("إخطارات متأخرة: {n}", "Notifications overdue: {n}"),
    "appeals": ("مناشدات مفتوحة: {n}", "Open appeals: {n}"),
    "log": ("السجل {size} {root}", "Log {size} {root}"),
}

_SEP = {"ar": "، ", "en": ", "}


def phrase(key: str, lang: str, **values: str) -> str:
    """The sentence template ``key`` in ``lang`` filled with ``values``."""
    ar, en = _PHRASES[key]
    return (ar if check_lang(lang) == "ar" else en).format(**values)


def headline_days(row: Mapping[str, Any]) -> tuple[str, float] | None:
    """The (measure, days) a message quotes for a supplies row, or ``None``."""
    for measure in HEADLINE_MEASURES.get(row["resource"], ("recent", "humane", "survival")):
        days = row.get(f"days_{measure}")
        if days is not None:
            return measure, float(days)
    return None


def utility_sentence(
    resource: str, state: str | None, row: Mapping[str, Any] | None, lang: str
) -> str:
    what = title(label(resource, lang))
    if state == "out":
        return phrase("food_gone" if resource == "food" else "gone", lang, what=what)
    if state == "unknown":
        return phrase("unrecorded", lang, what=what)
    found = headline_days(row) if row else None
    if found is None:
        key = "low_days_unknown" if state == "low" else "ok_plain"
        return phrase(key, lang, what=what)
    measure, days = found
    values = {"what": what, "days": number(days, lang, 1), "measure": label(measure, lang, "at")}
    if state == "low":
        return phrase("low", lang, **values)
    return phrase("ok", lang, **values)


def _ltr(text: str, lang: str) -> str:
    """``text`` in a left-to-right isolate (LRI ... PDI) in Arabic; as is in English."""
    return f"\u2066{text}\u2069" if lang == "ar" else text


def sitrep_text(s: Mapping[str, Any], lang: str) -> str:
    """The situation report ``s`` (the shape of :mod:`amanah.services.sitrep`) as a short
    message in ``lang`` (``ar`` or ``en``)."""
    check_lang(lang)
    sep = _SEP[lang]
    facility = s["facility"]
    name = facility["name_ar"] if lang == "ar" else facility["name_en"]
    population = s["population"]
    categories = [c for c in ("detainee", "staff", "other") if c in population]
    breakdown = sep.join(f"{label(c, lang)} {number(population[c], lang)}" for c in categories)
    inside = f"{phrase('inside', lang)}: {number(population['total'], lang)}"
    if breakdown:
        inside += f" ({breakdown})"

    # (text, priority): 0 is never dropped; higher numbers go first when over LIMIT.
    parts: list[tuple[str, int]] = [
        # The date isolated left to right: Arabic-Indic digits joined by hyphens would
        # otherwise be reordered by the bidi algorithm inside an Arabic sentence.
        (f"{phrase('sitrep', lang)} {name} {_ltr(digits(s['local_time'], lang), lang)}", 0),
        (inside, 0),
    ]
    roll = s.get("roll") or {}
    unaccounted = roll.get("unaccounted") or 0
    if unaccounted:
        parts.append((f"{phrase('unaccounted', lang)}: {number(unaccounted, lang)}", 0))
    elif roll.get("status") == "open":
        parts.append((phrase("roll_open", lang), 4))
    custody = s.get("in_custody") or {}
    if custody.get("out") or custody.get("in_transit"):
        out = number(custody.get("out", 0), lang)
        transit = number(custody.get("in_transit", 0), lang)
        parts.append((phrase("out_in_transit", lang, out=out, transit=transit), 5))

    utilities = s.get("utilities") or {}
    rows = {r["resource"]: r for r in s.get("supplies") or []}
    for resource in ("water", "power", "fuel", "food"):
        state = utilities.get(resource)
        urgent = state in ("out", "low")
        parts.append(
            (utility_sentence(resource, state, rows.get(resource), lang), 0 if urgent else 3)
        )
    if "medicine" in rows:
        parts.append((utility_sentence("medicine", None, rows["medicine"], lang), 6))

    incidents = s.get("incidents") or {}
    parts.append((phrase("attacks", lang, n=number(incidents.get("attacks_72h", 0), lang)), 1))
    parts.append((phrase("incidents", lang, n=number(incidents.get("last_24h", 0), lang)), 2))
    notifications = s.get("notifications") or {}
    if notifications.get("overdue"):
        overdue = number(notifications["overdue"], lang)
        parts.append((phrase("overdue", lang, n=overdue), 2))
    appeals = s.get("appeals") or []
    if appeals:
        kinds = list(dict.fromkeys(a["kind"] for a in appeals))
        kinds_text = sep.join(label(k, lang) for k in kinds)
        parts.append((f"{phrase('appeals', lang, n=number(len(appeals), lang))} ({kinds_text})", 1))
    checkpoint = s.get("checkpoint")
    if checkpoint:
        # The size is a log coordinate and the root an identifier: both stay in Latin digits.
        log = phrase("log", lang, size=str(checkpoint["size"]), root=checkpoint["root"][:8])
        parts.append((log, 1))

    message = _join(parts)
    for level in (6, 5, 4, 3, 2, 1):
        if len(message) <= LIMIT:
            break
        parts = [p for p in parts if p[1] < level]
        message = _join(parts)
    return message


def _join(parts: list[tuple[str, int]]) -> str:
    return ". ".join(text for text, _ in parts) + "."
