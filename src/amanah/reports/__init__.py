"""Situation report renderers: short text (radio/SMS), runway chart (SVG), PDF and HXL CSV.

Each takes the plain situation report built by :mod:`amanah.services.sitrep` and renders it in
Arabic (default, RTL, Arabic-Indic digits) or English. The PDF renderer lives in
:mod:`amanah.reports.pdf` and is imported from there, so that importing this package does not
load WeasyPrint (and its system libraries) for callers that only need text, SVG or HXL.
"""

from __future__ import annotations

from amanah.reports.chart import resource_svg, runway_svg
from amanah.reports.hxl import sitrep_hxl
from amanah.reports.labels import digits, label, number
from amanah.reports.text import sitrep_text

__all__ = [
    "digits",
    "label",
    "number",
    "resource_svg",
    "runway_svg",
    "sitrep_hxl",
    "sitrep_text",
]
