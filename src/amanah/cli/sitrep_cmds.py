"""``amanah sitrep``: the situation report from live data, in Arabic or English."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Literal

import typer

from amanah.cli.context import Ctx
from amanah.cli.output import err, print_json, write_raw
from amanah.cli.siege_common import FACILITY
from amanah.errors import InvalidInput
from amanah.reports.render import render_sitrep


def sitrep(
    ctx: typer.Context,
    lang: Annotated[str, typer.Option(help="ar (default) or en.")] = "ar",
    form: Annotated[
        str, typer.Option("--format", help="text (radio, SMS), pdf, or hxl (aggregate CSV).")
    ] = "text",
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Write it to this file (a PDF needs one).")
    ] = None,
    at: Annotated[
        str | None, typer.Option(help="As of this time (ISO 8601; default: now).")
    ] = None,
    facility: FACILITY = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """The situation report: population, roll, supplies runway, utilities, incidents of the
    last 24 and 72 hours, notifications owed and open appeals, pinned to the checkpoint."""
    if lang not in ("ar", "en"):
        raise InvalidInput("--lang must be ar or en")
    if form not in ("text", "pdf", "hxl"):
        raise InvalidInput("--format must be text, pdf or hxl")
    if form == "pdf" and out_file is None and not json_out and sys.stdout.isatty():
        raise InvalidInput("a PDF goes to a file: give --out FILE")
    c: Ctx = ctx.obj
    with c.app() as app_:
        g = app_.guarded()
        report = g.sitrep(facility, app_.siege.time(at) if at else None)
        if json_out:
            print_json(report)
            return
        chosen: Literal["text", "pdf", "hxl"] = form  # type: ignore[assignment]
        body, _ = render_sitrep(report, chosen, lang)
        if out_file is not None or form != "text":
            g.sitrep_exported(report, form)
    if out_file is None:
        write_raw(body if form == "pdf" else body.decode("utf-8").rstrip("\n") + "\n")
        return
    try:
        out_file.write_bytes(body)
    except OSError as exc:
        raise InvalidInput(f"cannot write {out_file}: {exc.strerror}") from None
    err.print(
        f"wrote {out_file} ({len(body):,} bytes, sha256 pinned by `amanah appeal send --sitrep`)"
    )
