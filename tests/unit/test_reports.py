"""The situation report renderers: radio text, runway chart, PDF and HXL, in Arabic and English.

The fixture is the contract with :mod:`amanah.services.sitrep`: a siege day at al-Aqtan
(synthetic figures), with water, power and fuel gone and food nearly gone.
"""

from __future__ import annotations

import copy
import csv
import io
import os
import shutil
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import hxl
import pytest

from amanah.domain.appeals.model import CHANNELS, KINDS, STATUSES
from amanah.domain.supplies.units import RESOURCES
from amanah.reports import label, runway_svg, sitrep_hxl, sitrep_text
from amanah.reports.chart import resource_svg
from amanah.reports.hxl import COLUMNS
from amanah.reports.labels import WORDS, digits, number
from amanah.reports.pdf import sitrep_html, sitrep_pdf
from amanah.reports.text import LIMIT

SITREP: dict[str, Any] = {
    "facility": {
        "id": "AQ",
        "name_ar": "سجن الأقطان",
        "name_en": "al-Aqtan prison",
        "adm1": "SY11",
        "adm2": "SY1101",
        "country": "SY",
        "lat": "35.9500",
        "lon": "39.0100",
    },
    "origin": "amanah.example/sy11/al-aqtan",
    "as_of": "2026-01-24T06:00:00Z",
    "local_time": "2026-01-24 09:00",
    "checkpoint": {
        "size": 12345,
        "root": "q1Zx8fJ0bq3yV2m8Xw3Jv1mJ3v6YkZc9f0l0b7m2n4s=",
        "note_sha256": "3b2f7c9e1d4a6b8c0e2f4a6b8c0d2e4f6a8b0c2d4e6f8a0b2c4d6e8f0a2b4c6d",
    },
    "population": {"detainee": 1500, "staff": 312, "other": 3, "total": 1815},
    "in_custody": {"inside": 1815, "out": 2, "in_transit": 0, "total": 1817},
    "roll": {
        "id": "R-0012",
        "status": "cleared",
        "time": "2026-01-24T05:00:00Z",
        "expected": 1815,
        "counted": 1815,
        "unaccounted": 0,
    },
    "utilities": {"water": "out", "power": "out", "fuel": "out", "food": "low"},
    "threshold_days": 3,
    "supplies": [
        {
            "resource": "water",
            "unit": "L",
            "stock": 1200,
            "daily_recent": 9000,
            "daily_humane": 27225,
            "daily_survival": 5445,
            "days_recent": 0.13,
            "days_humane": 0.04,
            "days_survival": 0.22,
            "capped_by": "fuel",
            "alert": True,
        },
        {
            "resource": "fuel",
            "unit": "L",
            "stock": 0,
            "daily_recent": 180,
            "daily_humane": 11.2,
            "daily_survival": 2.24,
            "days_recent": 0.0,
            "days_humane": 0.0,
            "days_survival": 0.0,
            "capped_by": None,
            "alert": True,
        },
        {
            "resource": "food",
            "unit": "kcal",
            "stock": 10519740,
            "daily_recent": 3000000,
            "daily_humane": 5009400,
            "daily_survival": 4356000,
            "days_recent": 3.51,
            "days_humane": 2.1,
            "days_survival": 2.42,
            "capped_by": None,
            "alert": True,
        },
        {
            "resource": "medicine",
            "unit": "doses",
            "stock": 640,
            "daily_recent": 40,
            "daily_humane": None,
            "daily_survival": None,
            "days_recent": 16.0,
            "days_humane": None,
            "days_survival": None,
            "capped_by": None,
            "alert": False,
        },
    ],
    "alerts": [
        {"resource": "water", "measure": "recent", "days": 0.13},
        {"resource": "water", "measure": "humane", "days": 0.04},
        {"resource": "water", "measure": "survival", "days": 0.22},
        {"resource": "fuel", "measure": "recent", "days": 0.0},
        {"resource": "fuel", "measure": "humane", "days": 0.0},
        {"resource": "fuel", "measure": "survival", "days": 0.0},
        {"resource": "food", "measure": "humane", "days": 2.1},
        {"resource": "food", "measure": "survival", "days": 2.42},
    ],
    "incidents": {
        "last_24h": 2,
        "last_72h": 6,
        "attacks_72h": 4,
        "list": [
            {
                "id": "I-0006",
                "kind": "attack",
                "severity": "serious",
                "time": "2026-01-23T19:10:00Z",
                "local_time": "2026-01-23 22:10",
                "location": "AQ:perimeter-north",
                "summary": "Mortar fire on the north wall; D-0042 hurt by debris.",
                "status": "open",
            },
            {
                "id": "I-0005",
                "kind": "water_loss",
                "severity": "critical",
                "time": "2026-01-23T08:00:00Z",
                "local_time": "2026-01-23 11:00",
                "location": None,
                "summary": "Pumps stopped: generator out of fuel.",
                "status": "open",
            },
            {
                "id": "I-0004",
                "kind": "breach_attempt",
                "severity": "serious",
                "time": "2026-01-22T23:40:00Z",
                "local_time": "2026-01-23 02:40",
                "location": "AQ:gate-east",
                "summary": "Vehicle rammed the east gate.",
                "status": "under_review",
            },
            {
                "id": "I-0003",
                "kind": "attack",
                "severity": "moderate",
                "time": "2026-01-22T15:05:00Z",
                "local_time": "2026-01-22 18:05",
                "location": "AQ:perimeter-north",
                "summary": "Small-arms fire at the watchtower.",
                "status": "closed",
            },
            {
                "id": "I-0002",
                "kind": "attack",
                "severity": "serious",
                "time": "2026-01-21T21:30:00Z",
                "local_time": "2026-01-22 00:30",
                "location": "AQ:perimeter-west",
                "summary": "Rocket strike near the west tower.",
                "status": "open",
            },
            {
                "id": "I-0001",
                "kind": "power_loss",
                "severity": "critical",
                "time": "2026-01-21T09:00:00Z",
                "local_time": "2026-01-21 12:00",
                "location": None,
                "summary": "Grid line cut; generator on its last fuel.",
                "status": "open",
            },
        ],
    },
    "notifications": {"owed": 5, "overdue": 2, "sent": 1},
    "appeals": [
        {
            "id": "AP-0001",
            "kind": "protection",
            "recipient": "International coalition liaison",
            "channel": "radio",
            "status": "acknowledged",
            "time": "2026-01-20T10:00:00Z",
            "local_time": "2026-01-20 13:00",
            "deadline": "2026-01-25T10:00:00Z",
            "reminder_due": False,
        },
        {
            "id": "AP-0002",
            "kind": "safe_corridor",
            "recipient": "ICRC delegation",
            "channel": "phone",
            "status": "sent",
            "time": "2026-01-22T07:00:00Z",
            "local_time": "2026-01-22 10:00",
            "deadline": None,
            "reminder_due": True,
        },
    ],
}

LANGS = ("ar", "en")
SVG = "{http://www.w3.org/2000/svg}"
IN_CI = bool(os.environ.get("CI"))

# --- labels ---------------------------------------------------------------------------

INCIDENT_KINDS = (
    "attack",
    "breach_attempt",
    "breach",
    "escape",
    "riot",
    "hostage",
    "fire",
    "injury",
    "death",
    "water_loss",
    "power_loss",
    "fuel_loss",
    "communications_loss",
    "medical_emergency",
    "food_refusal",
)
VOCABULARY = (
    *INCIDENT_KINDS,
    *("water", "power", "fuel", "food", "medicine"),
    *("L", "kcal", "doses", "days"),
    *("out", "low", "ok"),
    *("minor", "moderate", "serious", "critical"),
    *("protection", "safe_corridor", "resupply", "medical_evacuation"),
    *("sent", "acknowledged", "promised", "fulfilled", "refused", "withdrawn"),
    *("radio", "phone", "letter", "in_person", "email"),
    *("detainee", "staff", "other"),
    *("recent", "humane", "survival"),
    *("open", "under_review", "reopened", "closed"),
)


def _is_arabic(text: str) -> bool:
    """Whether ``text`` has an Arabic letter (Arabic-Indic digits are not letters)."""
    return any(unicodedata.bidirectional(char) == "AL" for char in text)


@pytest.mark.parametrize("word", VOCABULARY)
def test_every_word_has_an_arabic_and_an_english_label(word: str) -> None:
    assert word in WORDS
    assert _is_arabic(label(word, "ar"))
    assert label(word, "en")
    assert not _is_arabic(label(word, "en"))


def test_the_domain_vocabulary_is_labelled() -> None:
    for word in (*CHANNELS, *KINDS, *STATUSES, *RESOURCES, *(u for _, u in RESOURCES.values())):
        assert word in WORDS, word


def test_labels_have_context_forms_and_plain_fallbacks() -> None:
    assert label("water", "ar") == "المياه"
    assert label("power", "ar") == "الكهرباء"
    assert label("fuel", "ar") == "الوقود"
    assert label("food", "ar") == "الغذاء"
    assert label("open", "ar", "roll") == "جارٍ"
    assert label("open", "ar") == "مفتوح"
    assert label("open", "ar", "nothing-specific") == "مفتوح"
    assert label(None, "ar") == "غير محدد"
    assert label(None, "en") == "—"
    assert label("a_new_word", "en") == "a new word"
    with pytest.raises(ValueError, match="language"):
        label("water", "fr")


def test_arabic_numbers_use_arabic_indic_digits_and_separators() -> None:
    assert digits("2026-01-24 09:00", "ar") == "٢٠٢٦-٠١-٢٤ ٠٩:٠٠"
    assert digits("2026", "en") == "2026"
    assert number(1815, "ar") == "١٬٨١٥"
    assert number(1815, "en") == "1,815"
    assert number(2.1, "ar") == "٢٫١"
    assert number(0.04, "en", 2) == "0.04"
    assert number(None, "ar") == "غير محدد"
    assert number(float("inf"), "en") == "—"


# --- text -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_text_says_how_many_are_inside_and_what_is_gone(lang: str) -> None:
    text = sitrep_text(SITREP, lang)
    assert len(text) <= LIMIT
    for figure in (1815, 1500, 312, 3):
        assert number(figure, lang) in text
    assert "12345" in text
    assert SITREP["checkpoint"]["root"][:8] in text
    if lang == "en":
        assert text.startswith("SITREP al-Aqtan prison 2026-01-24 09:00.")
        for gone in ("Water: none", "Power: none", "Fuel: none"):
            assert gone in text
        assert "Food nearly gone: 2.1 days at humane minimum" in text
        assert "Attacks 72h: 4" in text
        assert "Incidents 24h: 2" in text
        assert "Notifications overdue: 2" in text
        assert "Open appeals: 2 (protection, safe corridor)" in text
    else:
        assert "سجن الأقطان" in text
        assert "٢٠٢٦-٠١-٢٤ ٠٩:٠٠" in text
        for gone in ("المياه: لا يوجد", "الكهرباء: لا يوجد", "الوقود: لا يوجد"):
            assert gone in text
        assert "الغذاء على وشك النفاد: ٢٫١ يوم" in text
        assert "هجمات خلال ٧٢ ساعة: ٤" in text
        assert "مناشدات مفتوحة: ٢ (الحماية، ممر آمن)" in text
        assert "D-0" not in text


@pytest.mark.parametrize("lang", LANGS)
def test_text_keeps_what_matters_when_it_is_too_long(lang: str) -> None:
    s = copy.deepcopy(SITREP)
    s["facility"]["name_en"] = "Prison " + "very long name " * 8
    s["facility"]["name_ar"] = "سجن " + "اسم طويل جدا " * 8
    s["roll"]["unaccounted"] = 3
    text = sitrep_text(s, lang)
    assert len(text) <= LIMIT + 40  # the parts that are never dropped may overrun a little
    assert number(1815, lang) in text
    assert ("UNACCOUNTED: 3" if lang == "en" else "مفقودون في العدّ: ٣") in text
    assert ("Water: none" if lang == "en" else "المياه: لا يوجد") in text
    assert ("Medicine" if lang == "en" else "الأدوية") not in text


@pytest.mark.parametrize("lang", LANGS)
def test_text_copes_with_a_report_without_figures(lang: str) -> None:
    s = copy.deepcopy(SITREP)
    s["checkpoint"] = None
    s["supplies"] = []
    s["appeals"] = []
    s["utilities"] = {"water": "ok", "power": "ok", "fuel": "ok", "food": "ok"}
    s["notifications"]["overdue"] = 0
    text = sitrep_text(s, lang)
    assert ("Food: ok" if lang == "en" else "الغذاء: الوضع طبيعي") in text
    assert "none" not in text
    assert "لا يوجد" not in text


# --- chart ----------------------------------------------------------------------------


def _runway_lines(group: ET.Element) -> dict[str, ET.Element]:
    return {
        line.get("data-measure", ""): line
        for line in group.iter(f"{SVG}line")
        if line.get("class") == "runway-line"
    }


@pytest.mark.parametrize("lang", LANGS)
def test_chart_is_an_svg_image_with_three_lines_per_resource(lang: str) -> None:
    root = ET.fromstring(runway_svg(SITREP["supplies"], lang, SITREP["threshold_days"]))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root[0].tag == f"{SVG}title"
    assert (root[0].text or "").strip()
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
    groups = {g.get("data-resource"): g for g in root.iter(f"{SVG}g") if g.get("data-resource")}
    assert list(groups) == ["water", "fuel", "food", "medicine"]
    for resource in ("water", "fuel", "food"):
        lines = _runway_lines(groups[resource])
        assert set(lines) == {"recent", "humane", "survival"}
        for line in lines.values():  # from (0, 100 %) down
            assert float(line.get("y1", "0")) < float(line.get("y2", "0"))
        thresholds = [
            g for g in groups[resource].iter(f"{SVG}line") if g.get("class") == "threshold"
        ]
        assert len(thresholds) == 1
        assert thresholds[0].get("stroke-dasharray")
    # medicine has no per-person minimum: only the recent line
    assert set(_runway_lines(groups["medicine"])) == {"recent"}
    texts = [t for t in root.iter(f"{SVG}text") if _is_arabic(t.text or "")]
    if lang == "ar":
        assert texts
        assert all(t.get("direction") == "rtl" for t in texts)
        assert any(t.text == "الاستهلاك الأخير" for t in texts)
    else:
        assert not texts
        assert any(t.text == "humane minimum" for t in root.iter(f"{SVG}text"))


def test_chart_lines_end_where_the_stock_runs_out() -> None:
    food = SITREP["supplies"][2]
    root = ET.fromstring(resource_svg(food, "en", 3))
    lines = _runway_lines(root)
    # the chart spans 6 days (twice the threshold) and the humane line ends at 2.1 days
    x0 = float(lines["humane"].get("x1", "0"))
    x_recent = float(lines["recent"].get("x2", "0"))
    x_humane = float(lines["humane"].get("x2", "0"))
    assert x0 < x_humane < x_recent
    assert (x_humane - x0) / (x_recent - x0) == pytest.approx(2.1 / 3.51, rel=0.02)


def test_chart_without_words_has_only_digits() -> None:
    for row in SITREP["supplies"]:
        root = ET.fromstring(resource_svg(row, "ar", 3, words=False))
        for node in root.iter(f"{SVG}text"):
            assert (node.text or "").strip("٠١٢٣٤٥٦٧٨٩") == ""


def test_chart_of_no_supplies_still_parses() -> None:
    root = ET.fromstring(runway_svg([], "ar", 3))
    assert any(t.text == "لا توجد مخازن مسجلة" for t in root.iter(f"{SVG}text"))


# --- HXL ------------------------------------------------------------------------------


def _validate(text: str) -> tuple[bool, list[Any]]:
    issues: list[Any] = []
    rows = list(csv.reader(io.StringIO(text)))
    ok = hxl.schema(callback=issues.append).validate(hxl.data(rows))
    return bool(ok), issues


def _hxl_rows(text: str) -> list[dict[str, str]]:
    rows = list(csv.reader(io.StringIO(text)))
    return [dict(zip(rows[1], row, strict=True)) for row in rows[2:]]


def test_hxl_is_valid_under_libhxl_default_schema() -> None:
    text = sitrep_hxl(SITREP)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [name for name, _ in COLUMNS]
    assert rows[1] == [tag for _, tag in COLUMNS]
    ok, issues = _validate(text)
    assert ok, [str(i) for i in issues]
    assert issues == []


@pytest.mark.parametrize(
    ("tag", "bad"), [("#value", "lots"), ("#value", "1,815"), ("#date", "2026-13-45")]
)
def test_hxl_validation_fails_on_a_broken_file(tag: str, bad: str) -> None:
    rows = list(csv.reader(io.StringIO(sitrep_hxl(SITREP))))
    rows[3][rows[1].index(tag)] = bad
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    ok, issues = _validate(buffer.getvalue())
    assert not ok
    assert any(i.rule.severity == "error" for i in issues)


def test_hxl_carries_the_aggregate_figures() -> None:
    values = {r["#indicator+code"]: r["#value"] for r in _hxl_rows(sitrep_hxl(SITREP))}
    expected = {
        "population_inside": "1815",
        "detainees_inside": "1500",
        "staff_inside": "312",
        "others_inside": "3",
        "unaccounted": "0",
        "water_stock_l": "1200",
        "water_days_humane": "0.04",
        "food_days_humane": "2.1",
        "fuel_stock_l": "0",
        "fuel_days_recent": "0",
        "water_out": "1",
        "food_out": "0",
        "incidents_24h": "2",
        "incidents_72h": "6",
        "attacks_72h": "4",
        "notifications_overdue": "2",
        "appeals_open": "2",
    }
    assert {k: values.get(k) for k in expected} == expected
    assert "medicine_days_humane" not in values  # not computable: no row rather than a guess
    for row in _hxl_rows(sitrep_hxl(SITREP)):
        assert row["#adm1+code"] == "SY11"
        assert row["#adm2+code"] == "SY1101"
        assert row["#date"] == "2026-01-24T06:00:00Z"


def test_hxl_has_no_personal_data_or_free_text() -> None:
    text = sitrep_hxl(SITREP)
    assert "D-0" not in text
    for incident in SITREP["incidents"]["list"]:
        assert incident["summary"] not in text
        assert incident["id"] not in text
    for appeal in SITREP["appeals"]:
        assert appeal["recipient"] not in text
        assert appeal["id"] not in text


# --- PDF ------------------------------------------------------------------------------

PDFTOTEXT = shutil.which("pdftotext")
needs_pdftotext = pytest.mark.skipif(
    not PDFTOTEXT and not IN_CI, reason="pdftotext (poppler-utils) is not installed"
)
_MARKS = "".join(chr(c) for c in range(0x064B, 0x0653))


def _clean(text: str) -> str:
    """pdftotext's text without its bidi controls (category Cf) and the spaces it puts
    before Arabic vowel marks (DESIGN.md)."""
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    out: list[str] = []
    for char in text:
        if char in _MARKS:
            while out and out[-1].isspace():
                out.pop()
        out.append(char)
    return "".join(out)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("sitrep")
    out = {}
    for lang in LANGS:
        path = folder / f"sitrep-{lang}.pdf"
        path.write_bytes(sitrep_pdf(SITREP, lang))
        out[lang] = path
    return out


def _pdf_text(path: Path) -> tuple[str, int]:
    assert PDFTOTEXT, "CI must install poppler-utils (pdftotext)"
    done = subprocess.run(
        [PDFTOTEXT, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    text = done.stdout.decode("utf-8")
    pages = text.count("\f") or 1
    return " ".join(_clean(text).split()), pages


@needs_pdftotext
def test_pdf_is_a4_with_the_fonts_embedded(pdfs: dict[str, Path]) -> None:
    for lang, path in pdfs.items():
        assert path.read_bytes().startswith(b"%PDF-")
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
        assert "(A4)" in info.stdout
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
        if lang == "ar":
            assert "Noto-Naskh-Arabic" in fonts.stdout


@needs_pdftotext
def test_arabic_pdf_reads_in_arabic_with_page_numbers(pdfs: dict[str, Path]) -> None:
    text, pages = _pdf_text(pdfs["ar"])
    squashed = text.replace(" ", "")
    for words in (
        "تقرير الوضع",
        "سجن الأقطان",
        "المياه",
        "الكهرباء",
        "الوقود",
        "الغذاء على وشك النفاد",
        "لا يوجد",
        "المحتجزون",
        "الموظفون",
        "نقطة التحقق في السجل",
        "هجوم",
        "محاولة اختراق",
        "ممر آمن",
    ):
        assert words in text, words
    for figure in ("١٬٨١٥", "١٬٥٠٠", "٣١٢", "١٬٨١٧", "٢٫١٠"):
        assert figure in text, figure
    assert "12345" in text
    # pdftotext's own bidi pass moves the root's closing "=" to the far side of the RTL line
    assert SITREP["checkpoint"]["root"].rstrip("=") in text
    assert pages >= 2
    for page in range(1, pages + 1):
        assert f"صفحة{digits(str(page), 'ar')}من{digits(str(pages), 'ar')}" in squashed


@needs_pdftotext
def test_english_pdf_has_the_figures_and_page_numbers(pdfs: dict[str, Path]) -> None:
    text, pages = _pdf_text(pdfs["en"])
    for words in (
        "Situation report: al-Aqtan prison",
        "Water",
        "none",
        "Food nearly gone: 2.1 days at humane minimum",
        "Detainees",
        "1,815",
        "1,500",
        "312",
        "Signed log checkpoint",
        "can be verified against the",
        "breach attempt",
        "safe corridor",
        "AP-0002",
        "12345",
        SITREP["checkpoint"]["root"],
    ):
        assert words in text, words
    for page in range(1, pages + 1):
        assert f"Page {page} of {pages}" in text


def test_pdf_html_escapes_what_it_is_given() -> None:
    s = copy.deepcopy(SITREP)
    s["incidents"]["list"][0]["summary"] = "<script>alert(1)</script> & more"
    html = sitrep_html(s, "en")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    ar = sitrep_html(s, "ar")
    assert '<html lang="ar" dir="rtl">' in ar
