"""``amanah``: the command line. Errors are mapped to exit codes in :func:`main` only.

Exit codes: 0 success; 1 a check failed (tampered log, bad proof); 2 bad input, refused,
not found, not initialised (one line on stderr, nothing written); 3 the database is busy or
unreachable (retry); 70 an internal error (a bug: one line, no traceback).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.exc import SQLAlchemyError
from typer.exceptions import TyperException

from amanah.cli import (
    access_cmds,
    appeal_cmds,
    incident_cmds,
    ledger_cmds,
    movement_cmds,
    occurrence_cmds,
    registry_cmds,
    roll_cmds,
    serve_cmds,
    sitrep_cmds,
    supplies_cmds,
    witness_cmds,
)
from amanah.cli.context import Ctx
from amanah.cli.output import err
from amanah.errors import (
    AmanahError,
    Conflict,
    StorageUnavailable,
    VerificationFailed,
    WitnessRefusal,
    first_line,
)
from amanah.settings import DEFAULT_ZONE, default_home

app = typer.Typer(
    name="amanah",
    help="Amanah (أمانة): a detention facility's custody record, kept as a verifiable log.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(registry_cmds.person_app, name="person")
app.add_typer(registry_cmds.staff_app, name="staff")
app.add_typer(registry_cmds.location_app, name="location")
app.add_typer(movement_cmds.app, name="move")
app.add_typer(roll_cmds.app, name="roll")
app.command("demo")(roll_cmds.demo)
app.command("serve")(serve_cmds.serve)
app.add_typer(occurrence_cmds.app, name="occurrence")
app.add_typer(supplies_cmds.app, name="supplies")
app.add_typer(appeal_cmds.app, name="appeal")
app.add_typer(incident_cmds.app, name="incident")
app.add_typer(incident_cmds.notification_app, name="notification")
app.command("sitrep")(sitrep_cmds.sitrep)
app.add_typer(ledger_cmds.app, name="ledger")
app.add_typer(witness_cmds.app, name="witness")
app.add_typer(ledger_cmds.projections_app, name="projections")
app.add_typer(access_cmds.user_app, name="user")
app.add_typer(access_cmds.access_app, name="access")


@app.callback()
def root(
    ctx: typer.Context,
    home: Annotated[
        Path | None,
        typer.Option("--home", help="Data home (default: $AMANAH_HOME, else the user data dir)."),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Database URL (postgresql+psycopg://...) instead of SQLite."),
    ] = None,
) -> None:
    """Amanah command line."""
    ctx.obj = Ctx(home=home or default_home(), db=db)


@app.command()
def init(
    ctx: typer.Context,
    origin: Annotated[
        str, typer.Option(help="The log's origin, e.g. amanah.example/sy11/al-aqtan")
    ],
    party: Annotated[str | None, typer.Option(help="The authority keeping the log.")] = None,
    timezone: Annotated[str, typer.Option(help="Facility time zone (IANA).")] = DEFAULT_ZONE,
) -> None:
    """Create the data home, database and log key; print the log's verifier key."""
    from amanah.bootstrap import init_home

    c: Ctx = ctx.obj
    app_ = init_home(c.home, origin, party=party, timezone=timezone, db_url=c.db)
    try:
        sys.stdout.write(app_.ledger.vkey + "\n")
    finally:
        app_.close()


def _command_path(exc: Exception) -> str:
    ctx = getattr(exc, "ctx", None)
    path = getattr(ctx, "command_path", None)
    return f" (see: {path} --help)" if path else ""


def _exit_code(exc: AmanahError) -> int:
    if isinstance(exc, StorageUnavailable):
        return 3
    if isinstance(exc, WitnessRefusal) and exc.kind == "bad_request":
        return 2  # a malformed request is bad input, not a failed check
    return 1 if isinstance(exc, VerificationFailed | Conflict) else 2


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app, map every error to one line on stderr and an exit code."""
    command = typer.main.get_command(app)
    try:
        result = command.main(args=argv, prog_name="amanah", standalone_mode=False)
    except typer.Abort:
        err.print("aborted", markup=False)
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except TyperException as exc:
        # Usage errors (unknown command, missing or malformed option): one line, exit 2.
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        if message:  # empty when a group was called bare and its help was shown
            err.print(f"error: {message}{_command_path(exc)}", markup=False)
        sys.exit(2)
    except AmanahError as exc:
        err.print(f"error: {exc}", markup=False)
        sys.exit(_exit_code(exc))
    except OSError as exc:
        err.print(f"error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), markup=False)
        sys.exit(2)
    except KeyboardInterrupt:
        err.print("interrupted", markup=False)
        sys.exit(130)
    except SQLAlchemyError as exc:
        # A busy (locked) or unreachable database: nothing was written; retry later.
        err.print(f"error: the database is busy or unreachable: {first_line(exc)}", markup=False)
        sys.exit(3)
    except Exception as exc:
        err.print(f"internal error ({type(exc).__name__}): {first_line(exc)}", markup=False)
        sys.exit(70)
    if isinstance(result, int) and result != 0:
        sys.exit(result)
