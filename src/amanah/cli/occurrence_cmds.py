"""``amanah occurrence``: the daily occurrence book."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from amanah.bootstrap import operator_name
from amanah.cli.context import Ctx
from amanah.cli.output import out, print_json, progress, read_input
from amanah.services.presenters import occurrence_json

app = typer.Typer(help="The daily occurrence book.", no_args_is_help=True)


@app.command("add")
def add(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="What happened, in any language.")],
    by: Annotated[str | None, typer.Option(help="Who writes it (default: the operator).")] = None,
    at: Annotated[
        str | None,
        typer.Option(help="When it happened (ISO 8601; local facility time without offset)."),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Write one timestamped entry in the occurrence book."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        done = app_.occurrences.add(text, by or operator_name(), at, app_.actor)
    if json_out:
        print_json({"seq": done.first_seq, "size": done.checkpoint.size})
    else:
        out.print(f"recorded entry {done.first_seq}; log size {done.checkpoint.size}")


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help='JSONL file: one {"time","text","by"} per line.')],
    json_out: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Import a transcribed paper occurrence book, all entries or none."""
    c: Ctx = ctx.obj
    raw = read_input(file)
    with c.app() as app_:
        commands = app_.occurrences.parse_import(raw.splitlines())
        with progress("importing", len(commands)) as update:
            done = app_.occurrences.import_book(commands, app_.actor, update)
    if json_out:
        print_json(
            {"imported": done.count, "first_seq": done.first_seq, "size": done.checkpoint.size}
        )
    else:
        out.print(
            f"imported {done.count} entries ({done.first_seq}..{done.first_seq + done.count - 1}); "
            f"log size {done.checkpoint.size}"
        )


@app.command("list")
def list_(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="How many entries.")] = 20,
    json_out: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Show the latest entries of the occurrence book (times in the facility's time zone)."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        rows = app_.occurrences.page(limit)
        zone = app_.settings.zone
    if json_out:
        print_json([occurrence_json(r) for r in rows])  # RFC 3339 UTC, as recorded
        return
    for r in rows:
        local = datetime.fromisoformat(r.time).astimezone(zone).strftime("%Y-%m-%d %H:%M %z")
        out.print(Text.assemble((local, "bold"), f"  #{r.seq}  {r.by}"))
        out.print(f"    {r.text}", markup=False)
