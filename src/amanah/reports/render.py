"""One situation report in any of its forms, as bytes with a file name (for downloads, the
API and ``amanah sitrep --out``). WeasyPrint is loaded only for a PDF."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from amanah.reports.hxl import sitrep_hxl
from amanah.reports.text import sitrep_text

FORMS = ("text", "pdf", "hxl")
MEDIA_TYPES = {
    "text": "text/plain; charset=utf-8",
    "pdf": "application/pdf",
    "hxl": "text/csv; charset=utf-8",
}


def render_sitrep(report: Mapping[str, Any], form: str, lang: str) -> tuple[bytes, str]:
    """``report`` as bytes in ``form`` (text, pdf, hxl), and a file name for it."""
    stamp = str(report["as_of"]).replace(":", "").replace("-", "")
    name = f"sitrep-{report['facility']['id']}-{stamp}"
    if form == "pdf":
        from amanah.reports.pdf import sitrep_pdf  # noqa: PLC0415 -- loads WeasyPrint

        return sitrep_pdf(report, lang), f"{name}-{lang}.pdf"
    if form == "hxl":
        return sitrep_hxl(report).encode("utf-8"), f"{name}.hxl.csv"
    if form == "text":
        return sitrep_text(report, lang).encode("utf-8"), f"{name}-{lang}.txt"
    raise ValueError(f"no situation report form {form!r}")
