"""``amanah move``: every movement of a person, checked against where they are."""

from __future__ import annotations

from typing import Annotated

import typer

from amanah.cli.context import Ctx
from amanah.cli.registry_cmds import At, JsonFlag, Override, report
from amanah.services import inputs

app = typer.Typer(
    help="Movements: cell, out, return, transfer, receive, release, death, escape, recapture.",
    no_args_is_help=True,
)

Number = Annotated[str, typer.Argument(help="The person's facility number.")]
From = Annotated[
    str | None,
    typer.Option("--from", help="Where the person is now; refused if the register disagrees."),
]


def _move(
    ctx: typer.Context,
    kind: str,
    number: str,
    *,
    to: str | None,
    origin: str | None,
    at: str | None,
    details: dict[str, str | None],
    override: str | None,
    json_out: bool,
) -> None:
    c: Ctx = ctx.obj
    with c.app() as app_:
        service = app_.facility
        command = inputs.move(
            service, kind, number, to=to, origin=origin, at=at, details=details, override=override
        )
        done = service.run([command], app_.actor)
    report(done, json_out, f"recorded {kind} of {number}", seq=done.first_seq)


@app.command("cell")
def cell(
    ctx: typer.Context,
    number: Number,
    to: Annotated[str, typer.Option(help="The cell, post or reception they move to.")],
    reason: Annotated[str, typer.Option(help="Why (required).")],
    origin: From = None,
    at: At = None,
    override: Override = None,
    json_out: JsonFlag = False,
) -> None:
    """Move a person to another cell (or post, or reception)."""
    _move(
        ctx,
        "cell",
        number,
        to=to,
        origin=origin,
        at=at,
        details={"reason": reason},
        override=override,
        json_out=json_out,
    )


@app.command("out")
def out_(
    ctx: typer.Context,
    number: Number,
    to: Annotated[str, typer.Option(help="hospital, court, outside (or the place's id).")],
    purpose: Annotated[str, typer.Option(help="Why they go (required).")],
    escort: Annotated[str | None, typer.Option(help="Who escorts them.")] = None,
    origin: From = None,
    at: At = None,
    json_out: JsonFlag = False,
) -> None:
    """A temporary absence: hospital, court or outside. They stay in the facility's custody."""
    _move(
        ctx,
        "out",
        number,
        to=to,
        origin=origin,
        at=at,
        details={"purpose": purpose, "escort": escort},
        override=None,
        json_out=json_out,
    )


@app.command("return")
def return_(
    ctx: typer.Context,
    number: Number,
    to: Annotated[str, typer.Option(help="The cell, post or reception they return to.")],
    note: Annotated[str | None, typer.Option(help="A note.")] = None,
    origin: From = None,
    at: At = None,
    override: Override = None,
    json_out: JsonFlag = False,
) -> None:
    """Back from a temporary absence."""
    _move(
        ctx,
        "return",
        number,
        to=to,
        origin=origin,
        at=at,
        details={"note": note},
        override=override,
        json_out=json_out,
    )


@app.command("transfer")
def transfer(
    ctx: typer.Context,
    number: Number,
    destination: Annotated[str, typer.Option(help="The place of detention they go to.")],
    authority: Annotated[str, typer.Option(help="The authority responsible for the transfer.")],
    reference: Annotated[str | None, typer.Option(help="The transfer order's reference.")] = None,
    escort: Annotated[str | None, typer.Option(help="Who escorts them.")] = None,
    origin: From = None,
    at: At = None,
    json_out: JsonFlag = False,
) -> None:
    """Transfer out, first phase: departed, in transit (still this facility's responsibility)."""
    details = {
        "destination": destination,
        "authority": authority,
        "reference": reference,
        "escort": escort,
    }
    _move(
        ctx,
        "transfer",
        number,
        to=None,
        origin=origin,
        at=at,
        details=details,
        override=None,
        json_out=json_out,
    )


@app.command("receive")
def receive(
    ctx: typer.Context,
    number: Number,
    received_by: Annotated[str, typer.Option(help="Who received the person at the destination.")],
    authority: Annotated[str, typer.Option(help="The authority now responsible for them.")],
    note: Annotated[str | None, typer.Option(help="A note.")] = None,
    at: At = None,
    json_out: JsonFlag = False,
) -> None:
    """Transfer out, second phase: received by the named destination and authority."""
    details = {"received_by": received_by, "authority": authority, "note": note}
    _move(
        ctx,
        "receive",
        number,
        to=None,
        origin=None,
        at=at,
        details=details,
        override=None,
        json_out=json_out,
    )


@app.command("release")
def release(
    ctx: typer.Context,
    number: Number,
    authority: Annotated[str, typer.Option(help="The authority that ordered the release.")],
    reference: Annotated[str | None, typer.Option(help="The release order's reference.")] = None,
    reason: Annotated[str | None, typer.Option(help="Why.")] = None,
    origin: From = None,
    at: At = None,
    json_out: JsonFlag = False,
) -> None:
    """Release from custody."""
    details = {"authority": authority, "reference": reference, "reason": reason}
    _move(
        ctx,
        "release",
        number,
        to=None,
        origin=origin,
        at=at,
        details=details,
        override=None,
        json_out=json_out,
    )


@app.command("death")
def death(
    ctx: typer.Context,
    number: Number,
    place: Annotated[str, typer.Option(help="Where the person died.")],
    circumstances: Annotated[str, typer.Option(help="The circumstances (Mandela Rule 71).")],
    cause: Annotated[str | None, typer.Option(help="The cause, when known.")] = None,
    remains: Annotated[
        str | None, typer.Option(help="Destination of the remains (Rule 72).")
    ] = None,
    origin: From = None,
    at: At = None,
    json_out: JsonFlag = False,
) -> None:
    """Record a death in custody."""
    details = {"place": place, "circumstances": circumstances, "cause": cause, "remains": remains}
    _move(
        ctx,
        "death",
        number,
        to=None,
        origin=origin,
        at=at,
        details=details,
        override=None,
        json_out=json_out,
    )


@app.command("escape")
def escape(
    ctx: typer.Context,
    number: Number,
    where: Annotated[str, typer.Option(help="Where the escape happened.")],
    last_seen: Annotated[str | None, typer.Option(help="When last seen (ISO 8601).")] = None,
    origin: From = None,
    at: At = None,
    json_out: JsonFlag = False,
) -> None:
    """Record an escape (detainees)."""
    details = {"where": where, "last_seen": last_seen}
    _move(
        ctx,
        "escape",
        number,
        to=None,
        origin=origin,
        at=at,
        details=details,
        override=None,
        json_out=json_out,
    )


@app.command("recapture")
def recapture(
    ctx: typer.Context,
    number: Number,
    to: Annotated[
        str | None, typer.Option(help="The cell or reception (default: reception).")
    ] = None,
    where: Annotated[str | None, typer.Option(help="Where they were found.")] = None,
    note: Annotated[str | None, typer.Option(help="A note.")] = None,
    at: At = None,
    override: Override = None,
    json_out: JsonFlag = False,
) -> None:
    """Back in custody after an escape."""
    _move(
        ctx,
        "recapture",
        number,
        to=to,
        origin=None,
        at=at,
        details={"where": where, "note": note},
        override=override,
        json_out=json_out,
    )
