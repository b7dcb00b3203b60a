"""``amanah witness``: a witness with its own home and key (a guarantor's or receiver's)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from amanah.bootstrap import init_witness, open_witness
from amanah.cli.context import Ctx
from amanah.cli.output import read_input, write_raw

app = typer.Typer(
    help="Run a witness: cosign a log's checkpoints, never rolling back.", no_args_is_help=True
)


@app.command("init")
def init(
    ctx: typer.Context,
    name: Annotated[str, typer.Option(help="The witness's key name, e.g. guarantor.example/w1")],
    log: Annotated[list[str], typer.Option("--log", help="vkey of a log to witness (repeat).")],
) -> None:
    """Create a witness home (at --home) with a new key; print its vkey."""
    c: Ctx = ctx.obj
    sys.stdout.write(init_witness(c.home, name, log) + "\n")


@app.command("vkey")
def vkey(ctx: typer.Context) -> None:
    """Print the witness's cosignature verifier key."""
    c: Ctx = ctx.obj
    sys.stdout.write(open_witness(c.home).vkey + "\n")


@app.command("add-checkpoint")
def add_checkpoint(
    ctx: typer.Context,
    request: Annotated[
        Path, typer.Argument(help="A tlog-witness add-checkpoint request ('-' for stdin).")
    ],
) -> None:
    """Check a checkpoint (signature, consistency with what was cosigned) and cosign it."""
    c: Ctx = ctx.obj
    body = read_input(request)
    witness = open_witness(c.home)
    with witness.state.exclusive():  # one witness process at a time over this state
        write_raw(witness.witness.add_checkpoint(body))
