"""The supplies runway as an SVG chart: one small chart per resource, laid out together.

Each chart plots the stock (as a percentage of today's, so every resource shares the vertical
axis) falling to zero at the recent rate, at the humane minimum and at the survival minimum:
three straight lines from (0, 100 %) to (days, 0). A dashed vertical line marks the alert
threshold. A line that ends beyond the chart's last day is cut at the edge.

Plain SVG 1.1 presentation attributes only (no CSS, no script), so Chromium and WeasyPrint
draw it alike. WeasyPrint lays SVG text out one letter at a time, which breaks Arabic joining;
``words=False`` leaves every word out (digits only), for the PDF to caption the chart in HTML.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Any

from amanah.reports.labels import check_lang, digits, label, number, quantity, title

SVG_NS = "http://www.w3.org/2000/svg"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MEASURES = ("recent", "humane", "survival")
FONTS = "Noto Sans Arabic, Noto Naskh Arabic, Noto Sans, DejaVu Sans, sans-serif"

#: stroke colour, dash pattern ("" for solid), width: told apart in colour and in grey print.
STYLES: dict[str, tuple[str, str, str]] = {
    "recent": ("#263238", "", "2"),
    "humane": ("#1565c0", "8 3", "2"),
    "survival": ("#c62828", "2 3", "2.2"),
    "threshold": ("#ef6c00", "4 4", "1.5"),
}

WIDTH, HEIGHT = 260, 170
GAP = 20
LEGEND_HEIGHT = 30
#: The width a legend item needs: its sample line and its longest label ("humane minimum").
LEGEND_SLOT = 125
#: The height each further line of the legend adds.
LEGEND_LINE = 20
#: Chart spans in days: the first one that holds the threshold twice over and every runway.
SPANS = (1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 15, 20, 21, 25, 28, 30)

_TEXT: dict[str, tuple[str, str]] = {
    "title": ("مدة كفاية المخزون بالأيام", "Supplies runway in days"),
    "desc": (
        "المخزون نسبةً إلى مخزون اليوم حتى نفاده، بمعدل الاستهلاك الأخير وبالحد الأدنى "
        "الإنساني وبحد البقاء، مع حد الإنذار.",
        "Stock as a percentage of today's until it runs out, at recent use, at the humane "
        "minimum and at the survival minimum, with the alert threshold.",
    ),
    "days": ("الأيام", "days"),
    "stock": ("المخزون ٪", "stock %"),
    "empty": ("نفد المخزون", "out of stock"),
    "none": ("لا توجد مخازن مسجلة", "no stores recorded"),
}


def _text(key: str, lang: str) -> str:
    ar, en = _TEXT[key]
    return ar if lang == "ar" else en


def span_days(row: Mapping[str, Any], threshold_days: float) -> int:
    """The number of days a resource's chart spans."""
    known = [float(d) for m in MEASURES if (d := row.get(f"days_{m}")) is not None]
    want = max([threshold_days * 2, *known, 1.0])
    return next((s for s in SPANS if s >= want), SPANS[-1])


def _tick_step(span: int) -> int:
    return next(step for step in (1, 2, 5, 10) if span / step <= 8)


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    node = ET.SubElement(
        parent, tag, {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}
    )
    if text is not None:
        node.text = text
    return node


def _words(
    parent: ET.Element, text: str, lang: str, *, x: float, y: float, anchor: str, **attrs: str
) -> None:
    """A line of text at (x, y); ``anchor`` is "start" (the reading start), "middle" or "end".
    Arabic runs right to left: its start is the right-hand end."""
    extra = {"direction": "rtl"} if lang == "ar" else {}
    _el(
        parent,
        "text",
        text,
        x=_fmt(x),
        y=_fmt(y),
        text_anchor=anchor,
        font_family=FONTS,
        **extra,
        **attrs,
    )


def _line(
    parent: ET.Element,
    style: str,
    start: tuple[float, float],
    end: tuple[float, float],
    **attrs: str,
) -> ET.Element:
    (x1, y1), (x2, y2) = start, end
    colour, dash, width = STYLES[style]
    extra = {"stroke_dasharray": dash} if dash else {}
    return _el(
        parent,
        "line",
        x1=_fmt(x1),
        y1=_fmt(y1),
        x2=_fmt(x2),
        y2=_fmt(y2),
        stroke=colour,
        stroke_width=width,
        stroke_linecap="butt",
        fill="none",
        **extra,
        **attrs,
    )


def _resource_group(
    row: Mapping[str, Any], lang: str, threshold_days: float, words: bool
) -> ET.Element:
    """One resource's chart as a <g> spanning (0, 0)–(WIDTH, HEIGHT)."""
    resource = row["resource"]
    group = ET.Element("g", {"class": "runway", "data-resource": resource})
    # Without words the chart is printed small beside an HTML caption: bigger digits.
    font = 9.0 if words else 16.0
    top = 26.0 if words else 12.0
    left, right, bottom = font * 3 + 6, WIDTH - 10.0, HEIGHT - font * 1.5 - 8
    span = span_days(row, threshold_days)

    def x_at(days: float) -> float:
        return left + (right - left) * days / span

    def y_at(percent: float) -> float:
        return bottom - (bottom - top) * percent / 100

    name = title(label(resource, lang))
    stock = row.get("stock") or 0
    _el(group, "title", f"{name}: {quantity(stock, row.get('unit', ''), lang, 0)}")
    if words:
        heading = f"{name} · {quantity(stock, row.get('unit', ''), lang, 0)}"
        start = right if lang == "ar" else left  # the reading start of the line
        _words(
            group, heading, lang, x=start, y=15, anchor="start", font_size="12", font_weight="700"
        )

    # grid and axes
    for percent in (0, 50, 100):
        y = y_at(percent)
        if percent:
            _el(
                group,
                "line",
                x1=_fmt(left),
                y1=_fmt(y),
                x2=_fmt(right),
                y2=_fmt(y),
                stroke="#dddddd",
                stroke_width="1",
            )
        _el(
            group,
            "text",
            digits(str(percent), lang),
            x=_fmt(left - 4),
            y=_fmt(y + font * 0.35),
            text_anchor="end",
            font_family=FONTS,
            font_size=_fmt(font),
            fill="#555555",
        )
    step = _tick_step(span)
    for day in range(0, span + 1, step):
        x = x_at(day)
        _el(
            group,
            "line",
            x1=_fmt(x),
            y1=_fmt(bottom),
            x2=_fmt(x),
            y2=_fmt(bottom + 4),
            stroke="#555555",
            stroke_width="1",
        )
        _el(
            group,
            "text",
            digits(str(day), lang),
            x=_fmt(x),
            y=_fmt(bottom + 5 + font),
            text_anchor="middle",
            font_family=FONTS,
            font_size=_fmt(font),
            fill="#555555",
        )
    _el(
        group,
        "line",
        x1=_fmt(left),
        y1=_fmt(top),
        x2=_fmt(left),
        y2=_fmt(bottom),
        stroke="#555555",
        stroke_width="1",
    )
    _el(
        group,
        "line",
        x1=_fmt(left),
        y1=_fmt(bottom),
        x2=_fmt(right),
        y2=_fmt(bottom),
        stroke="#555555",
        stroke_width="1",
    )
    if words:
        _words(
            group,
            _text("days", lang),
            lang,
            x=right,
            y=bottom - 4,
            anchor="end" if lang == "en" else "start",
            font_size="9",
            fill="#555555",
        )

    if threshold_days <= span:
        _line(
            group,
            "threshold",
            (x_at(threshold_days), top),
            (x_at(threshold_days), bottom),
            **{"class": "threshold"},
        )

    for measure in MEASURES:
        days = row.get(f"days_{measure}")
        if days is None or not math.isfinite(days):
            continue
        days = max(float(days), 0.0)
        end_day = min(days, float(span))
        end_percent = 0.0 if days <= span else 100 * (1 - span / days)
        line = _line(
            group,
            measure,
            (x_at(0), y_at(100)),
            (x_at(end_day), y_at(end_percent)),
            **{"class": "runway-line", "data-measure": measure, "data-days": _fmt(days)},
        )
        _el(line, "title", f"{label(measure, lang)}: {number(days, lang, 1)} {label('days', lang)}")
    if stock <= 0 and words:
        _words(
            group,
            _text("empty", lang),
            lang,
            x=right - 4,  # flush right, clear of the threshold line (twice as far in)
            y=top + 14,
            anchor="start" if lang == "ar" else "end",
            font_size="11",
            fill="#c62828",
        )
    return group


def _svg_root(width: float, height: float, lang: str, heading: str, description: str) -> ET.Element:
    root = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "width": _fmt(width),
            "height": _fmt(height),
            "viewBox": f"0 0 {_fmt(width)} {_fmt(height)}",
            "role": "img",
            XML_LANG: lang,
        },
    )
    _el(root, "title", heading)
    _el(root, "desc", description)
    return root


def _describe(row: Mapping[str, Any], lang: str) -> str:
    days = "، ".join if lang == "ar" else ", ".join
    parts = [f"{label(m, lang)} {number(row.get(f'days_{m}'), lang, 1)}" for m in MEASURES]
    return f"{title(label(row['resource'], lang))}: {days(parts)}"


def resource_svg(
    row: Mapping[str, Any], lang: str, threshold_days: float, *, words: bool = True
) -> str:
    """One resource's runway chart (a supplies row of the situation report) as SVG text."""
    check_lang(lang)
    heading = f"{_text('title', lang)}: {title(label(row['resource'], lang))}"
    root = _svg_root(WIDTH, HEIGHT, lang, heading, _describe(row, lang))
    root.append(_resource_group(row, lang, threshold_days, words))
    return ET.tostring(root, encoding="unicode")


def legend_items(lang: str) -> list[tuple[str, str]]:
    """(style, label) of each line the charts draw, for a caption outside the SVG."""
    return [(m, label(m, lang)) for m in MEASURES] + [("threshold", label("threshold", lang))]


def legend_svg(style: str, width: int = 28, height: int = 10) -> str:
    """A sample of one line's style, to stand beside its label in an HTML legend."""
    root = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "width": str(width),
            "height": str(height),
            "viewBox": f"0 0 {width} {height}",
            "aria-hidden": "true",
        },
    )
    _line(root, style, (1, height / 2), (width - 1, height / 2))
    return ET.tostring(root, encoding="unicode")


def legend_columns(width: float) -> int:
    """How many legend items fit on a line of ``width``: four above two charts, two above
    one (a single chart is too narrow for four labels side by side)."""
    return max(1, min(4, int(width // LEGEND_SLOT)))


def legend_height(width: float) -> int:
    """The height of the legend above charts ``width`` wide, on as many lines as it needs."""
    lines = math.ceil(len((*MEASURES, "threshold")) / legend_columns(width))
    return LEGEND_HEIGHT + (lines - 1) * LEGEND_LINE


def _legend(parent: ET.Element, lang: str, width: float) -> None:
    columns = legend_columns(width)
    slot = width / columns
    for i, (style, text) in enumerate(legend_items(lang)):
        column, row = i % columns, i // columns
        y = row * LEGEND_LINE
        if lang == "ar":  # right to left: the sample on the right, its words to its left
            x0 = width - column * slot
            _line(parent, style, (x0 - 26, y + 15), (x0 - 4, y + 15))
            _words(parent, text, lang, x=x0 - 30, y=y + 19, anchor="start", font_size="10")
        else:
            x0 = column * slot
            _line(parent, style, (x0 + 4, y + 15), (x0 + 26, y + 15))
            _words(parent, text, lang, x=x0 + 30, y=y + 19, anchor="start", font_size="10")


def runway_svg(
    supplies: Sequence[Mapping[str, Any]],
    lang: str,
    threshold_days: float,
    *,
    words: bool = True,
    columns: int = 2,
) -> str:
    """Every resource's runway chart, ``columns`` to a row (the first at the reading start:
    top left in English, top right in Arabic), under a legend, as one SVG."""
    check_lang(lang)
    rows = list(supplies)
    columns = max(1, min(columns, len(rows) or 1))
    width = columns * WIDTH + (columns - 1) * GAP
    lines = math.ceil(len(rows) / columns)
    legend = legend_height(width) if words else 0
    height = legend + max(lines, 1) * HEIGHT + max(lines - 1, 0) * GAP // 2
    description = " ".join([_text("desc", lang)] + [_describe(r, lang) + "." for r in rows])
    root = _svg_root(width, height, lang, _text("title", lang), description)
    if words:
        _legend(root, lang, width)
    if not rows and words:
        _words(
            root,
            _text("none", lang),
            lang,
            x=width / 2,
            y=legend + HEIGHT / 2,
            anchor="middle",
            font_size="12",
        )
    for i, row in enumerate(rows):
        column, line = i % columns, i // columns
        if lang == "ar":
            column = columns - 1 - column
        x = column * (WIDTH + GAP)
        y = legend + line * (HEIGHT + GAP // 2)
        group = ET.SubElement(root, "g", {"transform": f"translate({x} {y})"})
        group.append(_resource_group(row, lang, threshold_days, words))
    return ET.tostring(root, encoding="unicode")
