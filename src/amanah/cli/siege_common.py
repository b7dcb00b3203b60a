"""What the siege commands share (supplies, incidents, notifications, appeals, the situation
report): their common options, and recording one command through the guarded services."""

from __future__ import annotations

from typing import Annotated

import typer

from amanah.bootstrap import App
from amanah.cli.output import out, print_json
from amanah.services.facility import Outcome
from amanah.services.siege import SiegeCommand

JSON = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
AT = Annotated[
    str | None, typer.Option(help="When (ISO 8601; local facility time without offset).")
]
FACILITY = Annotated[
    str | None, typer.Option(help="The facility (default: the home's only facility).")
]


def facility_of(app_: App, facility: str | None) -> str:
    """The facility named, or the home's only one."""
    return facility or app_.facility.only_facility()


def record(app_: App, command: SiegeCommand, json_out: bool, what: str) -> Outcome:
    """Run ``command`` as the operator; print what it wrote (``what``, or JSON)."""
    done = app_.guarded().siege_run([command])
    if json_out:
        print_json(
            {"seq": done.first_seq, "count": done.count, "size": done.checkpoint.size}
            | ({"created": list(done.created)} if done.created else {})
        )
    else:
        out.print(f"{what}; entry {done.first_seq}; log size {done.checkpoint.size}")
    return done
