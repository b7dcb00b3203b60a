"""The situation report as an A4 PDF (WeasyPrint), Arabic right to left or English.

:func:`context` turns the report into the words and formatted numbers the template shows, so
``templates/sitrep.html`` only lays them out (autoescaped). Fonts are the system's: Debian
``fonts-noto-core`` (Noto Naskh Arabic, Noto Sans), see :data:`FAMILIES`. Nothing is fetched
but local files (the stylesheet): the PDF renders offline.
"""

from __future__ import annotations

import unicodedata
import warnings
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup

from amanah.reports.chart import legend_items, legend_svg, resource_svg
from amanah.reports.labels import check_lang, digits, label, number, quantity, title
from amanah.reports.text import utility_sentence

with warnings.catch_warnings():
    # WeasyPrint 70 warns on import where Debian's libharfbuzz-subset0 is missing (it subsets
    # fonts with fontTools instead: the PDF is the same); pytest would make that an error.
    warnings.filterwarnings("ignore", "HarfBuzz-Subset", DeprecationWarning)
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

#: Debian's fonts-noto-core. Noto Naskh Arabic, not Noto Sans Arabic: with the latter,
#: WeasyPrint's text layer maps the lam-alef ligature back to "ال", so a copied or extracted
#: «لا» reads wrong; the vendored WOFF2 subsets (web/static) fare worse (dots are separate
#: glyphs, and extraction yields the wrong letters).
FAMILIES = {
    "ar": '"Noto Naskh Arabic", "Noto Sans", "DejaVu Sans", sans-serif',
    "en": '"Noto Sans", "Noto Naskh Arabic", "DejaVu Sans", sans-serif',
}
#: The page footer: «صفحة ١ من ٢» in Arabic (DESIGN.md), "Page 1 of 2" in English.
PAGE_FOOTER = {
    "ar": '"صفحة " counter(page, arabic-indic) " من " counter(pages, arabic-indic)',
    "en": '"Page " counter(page) " of " counter(pages)',
}

_T: dict[str, tuple[str, str]] = {
    "report": ("تقرير الوضع", "Situation report"),
    "as_of": ("الوضع حتى {local} بالتوقيت المحلي", "As of {local} local time"),
    "key_points": ("أهم ما في التقرير", "Key points"),
    "population": ("السكان", "Population"),
    "inside_now": ("داخل الأسوار الآن", "Inside the walls now"),
    "custody": ("في العهدة", "In custody"),
    "category": ("الفئة", "Category"),
    "count": ("العدد", "Number"),
    "roll": ("العدّ", "Roll count"),
    "roll_id": ("رقم العدّ", "Roll"),
    "roll_status": ("الحالة", "Status"),
    "roll_time": ("بدأ في (UTC)", "Opened (UTC)"),
    "expected": ("المتوقع", "Expected"),
    "counted": ("المعدود", "Counted"),
    "unaccounted": ("غير المحصَين", "Unaccounted"),
    "utilities": ("المرافق الأساسية", "Utilities"),
    "utility": ("المرفق", "Utility"),
    "state": ("الحالة", "State"),
    "supplies": ("المخزون ومدة كفايته", "Supplies runway"),
    "resource": ("المورد", "Resource"),
    "stock": ("المخزون", "Stock"),
    "daily_recent": ("الاستهلاك اليومي الأخير", "Recent daily use"),
    "days_recent": ("أيام بالاستهلاك الأخير", "Days at recent use"),
    "days_humane": ("أيام بالحد الإنساني", "Days at humane minimum"),
    "days_survival": ("أيام بحد البقاء", "Days at survival minimum"),
    "note": ("ملاحظة", "Note"),
    "capped_by_fuel": ("الضخ يتوقف بنفاد الوقود", "pumping stops when the fuel runs out"),
    "alert": ("دون حد الإنذار", "below the alert threshold"),
    "threshold_note": (
        "حد الإنذار بالأيام: {days}. الخلايا المظللة دونه.",
        "Alert threshold: {days} days. Shaded cells are below it.",
    ),
    "chart_caption": (
        "المخزون نسبةً مئوية من مخزون اليوم (عموديًا) مقابل الأيام (أفقيًا)",
        "Stock as a percentage of today's (vertical) against days (horizontal)",
    ),
    "no_supplies": ("لا توجد مخازن مسجلة.", "No stores recorded."),
    "incidents": ("الحوادث", "Incidents"),
    "last_24h": ("خلال ٢٤ ساعة", "Last 24 hours"),
    "last_72h": ("خلال ٧٢ ساعة", "Last 72 hours"),
    "attacks_72h": ("هجمات خلال ٧٢ ساعة", "Attacks, last 72 hours"),
    "time_local": ("الوقت المحلي", "Local time"),
    "id": ("الرقم", "ID"),
    "kind": ("النوع", "Kind"),
    "severity": ("الشدة", "Severity"),
    "location": ("الموقع", "Location"),
    "status": ("الحالة", "Status"),
    "summary": ("الملخص", "Summary"),
    "no_incidents": ("لا حوادث خلال ٧٢ ساعة.", "No incidents in the last 72 hours."),
    "notifications": ("الإخطارات المستحقة للأسر واللجنة الدولية", "Family and ICRC notifications"),
    "owed": ("مستحقة", "Owed"),
    "overdue": ("متأخرة", "Overdue"),
    "sent": ("أُرسلت", "Sent"),
    "appeals": ("المناشدات المفتوحة", "Open appeals"),
    "recipient": ("الجهة المخاطَبة", "Recipient"),
    "channel": ("الوسيلة", "Channel"),
    "deadline": ("المهلة (UTC)", "Deadline (UTC)"),
    "reminder": ("تذكير مستحق", "Reminder due"),
    "no_appeals": ("لا مناشدات مفتوحة.", "No open appeals."),
    "checkpoint": ("نقطة التحقق في السجل الموقَّع", "Signed log checkpoint"),
    "origin": ("السجل", "Log"),
    "size": ("الحجم (عدد القيود)", "Size (entries)"),
    "root": ("الجذر", "Root"),
    "note_sha256": ("بصمة SHA-256 للنقطة الموقعة", "SHA-256 of the signed checkpoint"),
    "verify": (
        "قُرئت كل الأرقام أعلاه عند نقطة التحقق هذه، ويمكن التحقق منها بمطابقتها مع السجل "
        "الموقَّع (amanah ledger verify).",
        "Every figure above was read at this checkpoint and can be verified against the "
        "signed log (amanah ledger verify).",
    ),
    "no_checkpoint": (
        "لم تُنشر نقطة تحقق بعد: لا يمكن التحقق من هذه الأرقام مقابل السجل الموقَّع.",
        "No checkpoint published yet: these figures cannot be verified against the signed log.",
    ),
}


def _words(lang: str) -> dict[str, str]:
    index = 0 if lang == "ar" else 1
    return {key: pair[index] for key, pair in _T.items()}


_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("amanah.reports", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def text_direction(text: str, lang: str) -> str:
    """The direction of free text (a summary, a name) from its first strong character, as
    ``dir="auto"`` would find it (WeasyPrint does not implement ``auto``)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "rtl" if lang == "ar" else "ltr"


def _days_cell(days: float | None, threshold: float, lang: str) -> dict[str, Any]:
    return {"text": number(days, lang, 2), "low": days is not None and days < threshold}


def _supplies(
    rows: Sequence[Mapping[str, Any]], lang: str, threshold: float
) -> list[dict[str, Any]]:
    words = _words(lang)
    out = []
    for row in rows:
        notes = []
        if row.get("capped_by") == "fuel":
            notes.append(words["capped_by_fuel"])
        if row.get("alert"):
            notes.append(words["alert"])
        unit = row.get("unit", "")
        out.append(
            {
                "resource": row["resource"],
                "name": title(label(row["resource"], lang)),
                "stock": quantity(row.get("stock"), unit, lang, 0),
                "daily_recent": quantity(row.get("daily_recent"), unit, lang, 0),
                "days": [
                    _days_cell(row.get(f"days_{m}"), threshold, lang)
                    for m in ("recent", "humane", "survival")
                ],
                "note": "؛ ".join(notes) if lang == "ar" else "; ".join(notes),
                "alert": bool(row.get("alert")),
                "chart": Markup(resource_svg(row, lang, threshold, words=False)),  # noqa: S704 — built by ElementTree, which escapes
            }
        )
    return out


def context(s: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """The words and formatted figures of the report ``s`` that the template lays out."""
    check_lang(lang)
    words = _words(lang)
    facility = s["facility"]
    population = s.get("population") or {}
    custody = s.get("in_custody") or {}
    roll = s.get("roll") or {}
    threshold = float(s.get("threshold_days") or 0)
    utilities = s.get("utilities") or {}
    rows = {r["resource"]: r for r in s.get("supplies") or []}
    incidents = s.get("incidents") or {}
    notifications = s.get("notifications") or {}
    checkpoint = s.get("checkpoint")

    key_points = [
        utility_sentence(u, utilities.get(u), rows.get(u), lang)
        for u in ("water", "power", "fuel", "food")
        if utilities.get(u) in ("out", "low")
    ]
    if roll.get("unaccounted"):
        key_points.insert(0, f"{words['unaccounted']}: {number(roll['unaccounted'], lang)}")

    categories = [c for c in ("detainee", "staff", "other") if c in population]
    return {
        "lang": lang,
        "dir": "rtl" if lang == "ar" else "ltr",
        "w": words,
        "name": facility["name_ar"] if lang == "ar" else facility["name_en"],
        "other_name": facility["name_en"] if lang == "ar" else facility["name_ar"],
        "as_of": words["as_of"].format(local=digits(s["local_time"], lang)),
        "as_of_utc": s["as_of"],
        "place": " · ".join(str(v) for v in (facility.get("adm1"), facility.get("adm2")) if v),
        "geo": f"{facility['lat']}, {facility['lon']}" if facility.get("lat") else "",
        "key_points": key_points,
        "population": [(title(label(c, lang)), number(population[c], lang)) for c in categories],
        "label_total": title(label("total", lang)),
        "population_total": number(population.get("total"), lang),
        "custody": [
            (title(label(key, lang, "custody")), number(custody.get(key), lang))
            for key in ("inside", "out", "in_transit")
            if key in custody
        ],
        "custody_total": number(custody.get("total"), lang),
        "roll": {
            "id": roll.get("id") or label(None, lang),
            "status": label(roll.get("status") or "none", lang, "roll"),
            "time": roll.get("time") or label(None, lang),
            "expected": number(roll.get("expected"), lang),
            "counted": number(roll.get("counted"), lang),
            "unaccounted": number(roll.get("unaccounted"), lang),
            "alert": bool(roll.get("unaccounted")),
        },
        "utilities": [
            {"name": title(label(u, lang)), "state": label(state, lang), "level": state}
            for u, state in utilities.items()
        ],
        "threshold_note": words["threshold_note"].format(days=number(threshold, lang, 0)),
        "supplies": _supplies(s.get("supplies") or [], lang, threshold),
        "legend": [(Markup(legend_svg(style)), text) for style, text in legend_items(lang)],  # noqa: S704 — built by ElementTree
        "incident_counts": [
            (words["last_24h"], number(incidents.get("last_24h"), lang)),
            (words["last_72h"], number(incidents.get("last_72h"), lang)),
            (words["attacks_72h"], number(incidents.get("attacks_72h"), lang)),
        ],
        "incidents": [
            {
                "time": digits(i.get("local_time") or i["time"], lang),
                "id": i["id"],
                "kind": label(i["kind"], lang),
                "severity": label(i.get("severity"), lang),
                "level": i.get("severity") or "",
                "location": i.get("location") or label(None, lang),
                "status": label(i.get("status"), lang),
                "summary": i.get("summary") or "",
                "summary_dir": text_direction(i.get("summary") or "", lang),
            }
            for i in incidents.get("list") or []
        ],
        "notifications": [
            (words[k], number(notifications.get(k), lang)) for k in ("owed", "overdue", "sent")
        ],
        "notifications_overdue": bool(notifications.get("overdue")),
        "appeals": [
            {
                "id": a["id"],
                "kind": label(a["kind"], lang),
                "recipient": a.get("recipient") or "",
                "recipient_dir": text_direction(a.get("recipient") or "", lang),
                "channel": label(a.get("channel"), lang),
                "status": label(a.get("status"), lang),
                "time": digits(a.get("local_time") or a["time"], lang),
                "deadline": a.get("deadline") or label(None, lang),
                "reminder": label("yes" if a.get("reminder_due") else "no", lang),
                "reminder_due": bool(a.get("reminder_due")),
            }
            for a in s.get("appeals") or []
        ],
        "checkpoint": {
            "origin": s.get("origin") or label(None, lang),
            "size": str(checkpoint["size"]),
            "root": checkpoint["root"],
            "note_sha256": checkpoint.get("note_sha256") or label(None, lang),
        }
        if checkpoint
        else None,
    }


def sitrep_html(s: Mapping[str, Any], lang: str) -> str:
    """The report ``s`` as the HTML page the PDF is printed from."""
    return _ENV.get_template("sitrep.html").render(context(s, lang))


def page_css(lang: str) -> str:
    """The language-dependent part of the stylesheet: page footer and font stack."""
    return (
        f"@page {{ @bottom-center {{ content: {PAGE_FOOTER[lang]}; }} }}\n"
        f"html {{ font-family: {FAMILIES[lang]}; }}"
    )


def sitrep_pdf(s: Mapping[str, Any], lang: str) -> bytes:
    """The situation report ``s`` (the shape of :mod:`amanah.services.sitrep`) as PDF bytes,
    in ``lang`` (``ar``: right to left, Arabic-Indic digits; ``en``)."""
    check_lang(lang)
    html = sitrep_html(s, lang)
    css = resources.files("amanah.reports") / "templates" / "sitrep.css"
    with resources.as_file(css) as css_path:
        fetcher = URLFetcher(allowed_protocols=("file", "data"))
        fonts = FontConfiguration()
        stylesheets = [
            weasyprint.CSS(filename=str(css_path), font_config=fonts, url_fetcher=fetcher),
            weasyprint.CSS(string=page_css(lang), font_config=fonts, url_fetcher=fetcher),
        ]
        document = weasyprint.HTML(string=html, url_fetcher=fetcher, base_url=str(css_path))
        pdf: bytes = document.write_pdf(stylesheets=stylesheets, font_config=fonts, pdf_tags=True)
    return pdf
