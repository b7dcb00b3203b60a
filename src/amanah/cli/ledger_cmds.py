"""``amanah ledger`` and ``amanah projections``: the log itself."""

from __future__ import annotations

import base64
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from amanah.cli.context import Ctx
from amanah.cli.output import err, out, print_json, progress, read_input, write_raw
from amanah.errors import InvalidInput, MalformedPolicy, VerificationFailed
from amanah.ledger.policy import parse_policy
from amanah.ledger.signing import verifier_from_vkey
from amanah.ledger.tiles import verify_tiles
from amanah.services import projector
from amanah.services.access import rebuild_accounts
from amanah.services.ledger import log_only_policy, verify_receipt

app = typer.Typer(help="The signed, append-only custody ledger.", no_args_is_help=True)
projections_app = typer.Typer(help="Read models derived from the ledger.", no_args_is_help=True)

# Entry indexes and tree sizes are 63-bit in the database.
MAX_INDEX = 2**63 - 1

JsonFlag = Annotated[bool, typer.Option("--json", help="Print as JSON.")]


@app.command()
def checkpoint(ctx: typer.Context) -> None:
    """Print the latest signed checkpoint (a C2SP signed note)."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        write_raw(app_.ledger.published_checkpoint())


@app.command()
def vkey(ctx: typer.Context) -> None:
    """Print the log's verifier key (C2SP signed-note vkey)."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        sys.stdout.write(app_.ledger.vkey + "\n")


@app.command()
def verify(ctx: typer.Context, json_out: JsonFlag = False) -> None:
    """Audit the whole log: re-hash, rebuild, check every checkpoint. Exit 1 if tampered."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        size = app_.ledger.size()
        with progress("auditing", size) as update:
            report = app_.ledger.audit(update)
    if json_out:
        print_json(report.to_json())
    elif report.ok:
        out.print(
            f"intact: {report.size} entries, {report.checkpoints} checkpoints, "
            f"root {base64.b64encode(report.root).decode()}"
        )
    else:
        first = report.first_bad_index
        where = f" (first bad entry: {first})" if first is not None else ""
        err.print(f"TAMPERED{where}", markup=False)
        for p in report.problems:
            err.print(f"- {p.what}", markup=False)
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def prove(
    ctx: typer.Context,
    index: Annotated[int, typer.Argument(min=0, max=MAX_INDEX, help="Entry index (seq).")],
    size: Annotated[
        int | None, typer.Option(min=1, max=MAX_INDEX, help="Checkpoint size to prove against.")
    ] = None,
) -> None:
    """Print a C2SP tlog-proof (receipt) for one entry."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        write_raw(app_.ledger.prove(index, size))


@app.command()
def entry(ctx: typer.Context, index: Annotated[int, typer.Argument(min=0, max=MAX_INDEX)]) -> None:
    """Print one entry's exact bytes (canonical JSON)."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        write_raw(app_.ledger.entry(index) + b"\n")


@app.command()
def consistency(
    ctx: typer.Context,
    old: Annotated[int, typer.Argument(min=0, max=MAX_INDEX, help="Older tree size.")],
    new: Annotated[
        int | None, typer.Argument(min=0, max=MAX_INDEX, help="Newer size (default: now).")
    ] = None,
) -> None:
    """Print an RFC 6962 consistency proof, one base64 hash per line."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        hashes = app_.ledger.consistency(old, new)
    write_raw("".join(base64.b64encode(h).decode() + "\n" for h in hashes))


@app.command("witness-request")
def witness_request(
    ctx: typer.Context,
    old: Annotated[
        int, typer.Option(min=0, max=MAX_INDEX, help="The size the witness last cosigned.")
    ] = 0,
) -> None:
    """Print a C2SP tlog-witness add-checkpoint request for the latest checkpoint."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        write_raw(app_.ledger.witness_request(old))


@app.command()
def cosign(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Cosignature lines from a witness ('-': stdin).")],
    witness: Annotated[
        list[str], typer.Option("--witness", help="vkey of a witness to accept (repeat).")
    ],
    size: Annotated[
        int | None, typer.Option(min=1, max=MAX_INDEX, help="Checkpoint size (default: latest).")
    ] = None,
) -> None:
    """Verify and store witness cosignatures, so checkpoints and receipts carry them."""
    c: Ctx = ctx.obj
    data = read_input(file)
    with c.app() as app_:
        cosigned, added = app_.ledger.add_cosignatures(data, witness, size)
    out.print(f"stored {added} new cosignature(s) on the checkpoint of size {cosigned}")


@app.command("export-tiles")
def export_tiles(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help="Empty or new directory to write to.")],
) -> None:
    """Write a C2SP tlog-tiles copy of the log (for a USB stick)."""
    c: Ctx = ctx.obj
    if directory.exists() and any(directory.iterdir()):
        raise InvalidInput(f"{directory} is not empty")
    with c.app() as app_:
        latest, files = app_.guarded(client="cli").export_tiles()  # logged as an export
        size = latest.size
        count = 0
        with progress("exporting", None):
            for rel, data in files:
                target = directory / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                with open(target, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                count += 1
    out.print(f"exported {size} entries as {count} files to {directory}")


@app.command("verify-tiles")
def verify_tiles_cmd(
    directory: Annotated[Path, typer.Argument(help="A tlog-tiles copy.")],
    vkey: Annotated[str, typer.Option("--vkey", help="The log's verifier key.")],
    json_out: JsonFlag = False,
) -> None:
    """Verify a tlog-tiles copy offline: signature, every entry, every tile. Exit 1 if bad."""
    verifier = verifier_from_vkey(vkey)
    root = directory.resolve()
    if not root.is_dir():
        raise InvalidInput(f"{directory} is not a directory")

    def read(rel: str) -> bytes:
        target = (root / rel).resolve()
        if root not in target.parents:
            raise InvalidInput(f"refusing path outside the copy: {rel}")
        try:
            return target.read_bytes()
        except FileNotFoundError:
            raise VerificationFailed(f"missing file in the copy: {rel}") from None

    report = verify_tiles(read, verifier)
    if json_out:
        print_json(report.to_json())
    else:
        out.print(f"intact: {report.size} entries, root {base64.b64encode(report.root).decode()}")


@app.command("verify-receipt")
def verify_receipt_cmd(
    receipt: Annotated[Path, typer.Argument(help="A C2SP tlog-proof file (amanah ledger prove).")],
    entry_file: Annotated[
        Path,
        typer.Option("--entry", help="The entry's exact bytes (amanah ledger entry INDEX)."),
    ],
    policy: Annotated[
        Path | None,
        typer.Option("--policy", help="A C2SP tlog-policy file (log key and witness quorum)."),
    ] = None,
    vkey: Annotated[
        str | None,
        typer.Option("--vkey", help="The log's verifier key, when no witness is required."),
    ] = None,
    json_out: JsonFlag = False,
) -> None:
    """Verify a receipt offline: signatures, witness quorum, inclusion. Exit 1 if bad.

    A single final newline in the entry file (as `amanah ledger entry` prints) is not part
    of the entry.
    """
    if policy is not None and vkey is None:
        try:
            text = read_input(policy, "policy").decode("utf-8")
        except UnicodeDecodeError:
            raise MalformedPolicy(f"{policy} is not UTF-8 text") from None
        rules = parse_policy(text)
    elif vkey is not None and policy is None:
        rules = log_only_policy(vkey)
    else:
        raise InvalidInput("give exactly one of --policy FILE or --vkey VKEY")
    body = read_input(entry_file, "entry").removesuffix(b"\n")
    verified = verify_receipt(read_input(receipt, "receipt"), body, rules)
    if json_out:
        print_json(verified.to_json())
    else:
        cp = verified.checkpoint
        out.print(
            f"valid: entry {verified.index} is in {cp.origin} at size {cp.size}, "
            f"root {base64.b64encode(cp.root).decode()}",
            markup=False,
        )


@app.command("policy")
def policy_cmd(
    ctx: typer.Context,
    witness: Annotated[
        list[str] | None,
        typer.Option("--witness", help="A witness's cosignature vkey (repeat)."),
    ] = None,
    quorum: Annotated[
        int | None,
        typer.Option(
            min=1, max=MAX_INDEX, help="How many witnesses must cosign (default: all of them)."
        ),
    ] = None,
) -> None:
    """Print a C2SP tlog-policy for this log: its key and a k-of-n witness group."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        write_raw(app_.ledger.policy(witness or [], quorum))


@projections_app.command("rebuild")
def rebuild(ctx: typer.Context) -> None:
    """Rebuild every projection from the ledger."""
    c: Ctx = ctx.obj
    with c.app() as app_, progress("rebuilding", None) as update:
        size = projector.rebuild(app_.storage, update)
        accounts = rebuild_accounts(app_.storage)
    out.print(f"rebuilt projections from {size} entries ({accounts} accounts)")
