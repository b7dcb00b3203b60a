"""``amanah location``, ``amanah person``, ``amanah staff``: the register."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from amanah.cli.context import Ctx
from amanah.cli.output import out, print_json, read_input
from amanah.domain.registry.commands import (
    AddLocation,
    Correct,
    SetCapacity,
    SetLocationState,
)
from amanah.errors import InvalidInput
from amanah.services import inputs
from amanah.services.facility import Outcome
from amanah.services.presenters import location_json, person_json

location_app = typer.Typer(help="Places: facility, blocks, cells, posts.", no_args_is_help=True)
person_app = typer.Typer(
    help="The register of people: admit, show, search, correct.", no_args_is_help=True
)
staff_app = typer.Typer(help="Staff on the register.", no_args_is_help=True)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print as JSON.")]
At = Annotated[
    str | None,
    typer.Option("--at", help="When (ISO 8601; facility time without an offset). Default: now."),
]
Override = Annotated[
    str | None,
    typer.Option(help="Reason for exceeding a place's maximum capacity (required to do so)."),
]


def report(done: Outcome, json_out: bool, message: str, **extra: Any) -> None:
    """Print what a write did: a line for people, or JSON."""
    if json_out:
        print_json(
            {"first_seq": done.first_seq, "entries": done.count, "size": done.checkpoint.size}
            | extra
        )
    else:
        out.print(f"{message}; log size {done.checkpoint.size}")


# -- locations ----------------------------------------------------------------------------------


@location_app.command("add")
def location_add(
    ctx: typer.Context,
    location_id: Annotated[
        str, typer.Argument(metavar="ID", help="A short unique id, e.g. A or A-01.")
    ],
    kind: Annotated[str, typer.Option(help="facility, block, wing, cell or post.")],
    name_ar: Annotated[str, typer.Option(help="Name in Arabic.")],
    name_en: Annotated[str, typer.Option(help="Name in English.")],
    parent: Annotated[
        str | None, typer.Option(help="The place it is in (not for a facility).")
    ] = None,
    certified: Annotated[int | None, typer.Option(help="Certified capacity (people).")] = None,
    working: Annotated[int | None, typer.Option(help="Working capacity (people).")] = None,
    maximum: Annotated[
        int | None, typer.Option(help="Maximum capacity: never exceeded without an override.")
    ] = None,
    adm1: Annotated[
        str | None, typer.Option(help="Facility: governorate P-code, e.g. SY11.")
    ] = None,
    adm2: Annotated[
        str | None, typer.Option(help="Facility: district P-code, e.g. SY1101.")
    ] = None,
    lat: Annotated[str | None, typer.Option(help="Facility: latitude, decimal degrees.")] = None,
    lon: Annotated[str | None, typer.Option(help="Facility: longitude, decimal degrees.")] = None,
    json_out: JsonFlag = False,
) -> None:
    """Add a place. A facility brings its reception, hospital, court, outside and transit places."""
    c: Ctx = ctx.obj
    command = AddLocation(
        location_id,
        kind,
        name_ar,
        name_en,
        parent,
        certified,
        working,
        maximum,
        adm1,
        adm2,
        lat,
        lon,
    )
    with c.app() as app_:
        done = app_.facility.run([command], app_.actor)
    report(done, json_out, f"added {kind} {location_id}", id=location_id)


@location_app.command("list")
def location_list(
    ctx: typer.Context,
    facility: Annotated[str | None, typer.Option(help="Only this facility's places.")] = None,
    json_out: JsonFlag = False,
) -> None:
    """List places with their capacities, state and the people in them now."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        rows = app_.facility.locations(facility)
    if json_out:
        print_json([location_json(r) for r in rows])
        return
    table = Table("id", "kind", "name", "people", "certified", "working", "maximum", "state")
    for r in rows:
        depth = r.path.count("/") - 2
        table.add_row(
            "  " * depth + r.id,
            r.kind,
            f"{r.name_ar} / {r.name_en}",
            str(r.population),
            *(str(v) if v is not None else "-" for v in (r.certified, r.working, r.maximum)),
            r.state,
        )
    out.print(table)


@location_app.command("capacity")
def location_capacity(
    ctx: typer.Context,
    location_id: Annotated[str, typer.Argument(metavar="ID", help="The place.")],
    reason: Annotated[str, typer.Option(help="Why the capacity changes (recorded).")],
    certified: Annotated[int | None, typer.Option(help="Certified capacity.")] = None,
    working: Annotated[int | None, typer.Option(help="Working capacity.")] = None,
    maximum: Annotated[int | None, typer.Option(help="Maximum capacity.")] = None,
    json_out: JsonFlag = False,
) -> None:
    """Set a place's certified, working and maximum capacity (unset ones are cleared)."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        done = app_.facility.run(
            [SetCapacity(location_id, certified, working, maximum, reason)], app_.actor
        )
    report(done, json_out, f"capacity of {location_id} set")


@location_app.command("state")
def location_state(
    ctx: typer.Context,
    location_id: Annotated[str, typer.Argument(metavar="ID", help="The place.")],
    state: Annotated[str, typer.Option(help="active or out_of_order.")],
    reason: Annotated[str, typer.Option(help="Why (recorded).")],
    json_out: JsonFlag = False,
) -> None:
    """Take a place out of order (it must be empty) or back into use."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        done = app_.facility.run([SetLocationState(location_id, state, reason)], app_.actor)
    report(done, json_out, f"{location_id} is now {state}")


# -- people -------------------------------------------------------------------------------------


def _load_record(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    raw = read_input(path, "record")
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise InvalidInput(f"the record file {path} is not valid UTF-8 JSON: {exc}") from None
    if not isinstance(value, dict):
        raise InvalidInput(f"the record file {path} must hold a JSON object")
    return value


@person_app.command("admit")
def person_admit(
    ctx: typer.Context,
    number: Annotated[
        str | None, typer.Option(help="Facility number (default: the next D-nnnnnn).")
    ] = None,
    category: Annotated[
        str, typer.Option(help="detainee or other (staff: `amanah staff add`).")
    ] = "detainee",
    record: Annotated[
        Path | None, typer.Option(help="JSON file with the record's fields (options override it).")
    ] = None,
    name_ar: Annotated[str | None, typer.Option(help="Name in Arabic script.")] = None,
    name_latin: Annotated[str | None, typer.Option(help="Name in Latin letters.")] = None,
    alias: Annotated[
        list[str] | None, typer.Option(help="Another name the person is known by (repeatable).")
    ] = None,
    gender: Annotated[str | None, typer.Option(help="Gender, as the person states it.")] = None,
    nationality: Annotated[
        str | None, typer.Option(help="ISO 3166 code (SY, IQ...), 'stateless' or 'unknown'.")
    ] = None,
    birth_date: Annotated[str | None, typer.Option(help="YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    commitment_order: Annotated[
        str | None, typer.Option(help="Detainee: reference of the commitment order (required).")
    ] = None,
    grounds: Annotated[str | None, typer.Option(help="Detainee: reasons for commitment.")] = None,
    ordering_authority: Annotated[
        str | None, typer.Option(help="Detainee: authority that ordered the detention.")
    ] = None,
    responsible_authority: Annotated[
        str | None, typer.Option(help="Detainee: authority responsible for the place.")
    ] = None,
    arrest_time: Annotated[
        str | None, typer.Option(help="Detainee: when arrested (ISO 8601).")
    ] = None,
    arrest_place: Annotated[str | None, typer.Option(help="Detainee: where arrested.")] = None,
    arrest_authority: Annotated[str | None, typer.Option(help="Detainee: who arrested.")] = None,
    injuries: Annotated[str | None, typer.Option(help="Visible injuries at admission.")] = None,
    complaints: Annotated[
        str | None, typer.Option(help="Complaints of prior ill-treatment.")
    ] = None,
    next_of_kin: Annotated[str | None, typer.Option(help="'name;relation;contact'.")] = None,
    role: Annotated[
        str | None, typer.Option(help="Other: role (medical team, visitor...).")
    ] = None,
    organisation: Annotated[str | None, typer.Option(help="Other: organisation.")] = None,
    location: Annotated[
        str | None, typer.Option(help="Cell, post or reception (default: reception).")
    ] = None,
    at: At = None,
    override: Override = None,
    json_out: JsonFlag = False,
) -> None:
    """Admit a detainee (a commitment order is required) or register another person."""
    c: Ctx = ctx.obj
    fields = _load_record(record)
    for path, value in (
        ("name_ar", name_ar),
        ("name_latin", name_latin),
        ("aliases", alias or None),
        ("gender", gender),
        ("nationality", nationality),
        ("birth_date", birth_date),
        ("commitment.order_ref", commitment_order),
        ("commitment.grounds", grounds),
        ("commitment.ordering_authority", ordering_authority),
        ("commitment.responsible_authority", responsible_authority),
        ("arrest.time", arrest_time),
        ("arrest.place", arrest_place),
        ("arrest.authority", arrest_authority),
        ("health.visible_injuries", injuries),
        ("health.ill_treatment_complaints", complaints),
        ("next_of_kin", inputs.contact(next_of_kin, "--next-of-kin")),
        ("other.role", role),
        ("other.organisation", organisation),
    ):
        inputs.set_field(fields, path, value)
    if category == "staff":
        raise InvalidInput("register staff with `amanah staff add`")
    _admit(c, number or "", category, fields, location, at, override, json_out)


def _admit(
    c: Ctx,
    number: str,
    category: str,
    fields: dict[str, Any],
    location: str | None,
    at: str | None,
    override: str | None,
    json_out: bool,
) -> None:
    with c.app() as app_:
        command = inputs.admit(
            app_.facility,
            category=category,
            record=fields,
            number=number,
            location=location,
            at=at,
            override=override,
        )
        done = app_.facility.run([command], app_.actor)
    admitted = done.created[0]
    report(
        done, json_out, f"admitted {category} {admitted} into {command.location}", number=admitted
    )


@person_app.command("show")
def person_show(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="The person's facility number.")],
    json_out: JsonFlag = False,
) -> None:
    """Show a person's record and full movement history."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        person, history = app_.guarded(client="cli").person(number)  # logged as a view
        zone = app_.settings.zone
    if json_out:
        print_json(person_json(person, history))
        return

    def local(moment: str) -> str:
        return datetime.fromisoformat(moment).astimezone(zone).strftime("%Y-%m-%d %H:%M")

    r = person.record
    out.print(f"{person.number}  {r.get('name_ar', '')}  {r.get('name_latin', '')}")
    out.print(
        f"  {person.category}, {person.status.replace('_', ' ')}"
        + (f" at {person.location}" if person.location else "")
        + f" since {local(person.since)}"
    )
    out.print(json.dumps(dict(r), ensure_ascii=False, indent=2, sort_keys=True))
    out.print("history:")
    for m in history:
        where = " -> ".join(x for x in (m.origin, m.destination) if x)
        details = ", ".join(f"{k}: {v}" for k, v in sorted(m.details.items()))
        out.print(f"  {local(m.time)}  #{m.seq}  {m.kind}  {where}  {details}".rstrip())


@person_app.command("search")
def person_search(
    ctx: typer.Context,
    text: Annotated[
        str, typer.Argument(help="Part of a name (Arabic or Latin script) or a number.")
    ],
    category: Annotated[str | None, typer.Option(help="detainee, staff or other.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="At most this many.")] = 20,
    json_out: JsonFlag = False,
) -> None:
    """Find people by part of a name in either script, ignoring case, vowel marks and hyphens."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        found = app_.facility.search(text, limit, category)
    if json_out:
        print_json([person_json(p) for p in found])
        return
    if not found:
        out.print("no one found")
    for p in found:
        out.print(
            f"{p.number}  {p.record.get('name_ar', '')}  {p.record.get('name_latin', '')}  "
            f"{p.category}, {p.status.replace('_', ' ')}"
            + (f" at {p.location}" if p.location else "")
        )


@person_app.command("correct")
def person_correct(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="The person's facility number.")],
    field: Annotated[
        str, typer.Option(help="Dotted field, e.g. name_latin or commitment.grounds.")
    ],
    value: Annotated[str, typer.Option(help="The corrected value ('' clears it; aliases: 'a;b').")],
    reason: Annotated[str, typer.Option(help="Why the record is corrected (recorded).")],
    json_out: JsonFlag = False,
) -> None:
    """Correct one field of a record; the old value stays in the ledger."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        done = app_.facility.run([Correct(number, field, value, reason)], app_.actor)
    report(done, json_out, f"corrected {field} of {number}")


# -- staff --------------------------------------------------------------------------------------


@staff_app.command("add")
def staff_add(
    ctx: typer.Context,
    role: Annotated[str, typer.Option(help="Guard, officer, medic, cook...")],
    number: Annotated[
        str | None, typer.Option(help="Staff number (default: the next S-nnnnnn).")
    ] = None,
    name_ar: Annotated[str | None, typer.Option(help="Name in Arabic script.")] = None,
    name_latin: Annotated[str | None, typer.Option(help="Name in Latin letters.")] = None,
    gender: Annotated[str | None, typer.Option(help="Gender.")] = None,
    nationality: Annotated[
        str | None, typer.Option(help="ISO 3166 code, 'stateless' or 'unknown'.")
    ] = None,
    birth_date: Annotated[str | None, typer.Option(help="YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    post: Annotated[str | None, typer.Option(help="Their post (duty), as text.")] = None,
    unit: Annotated[str | None, typer.Option(help="Their unit.")] = None,
    rank: Annotated[str | None, typer.Option(help="Their rank.")] = None,
    location: Annotated[
        str | None, typer.Option(help="The post (place) they are at (default: reception).")
    ] = None,
    at: At = None,
    override: Override = None,
    json_out: JsonFlag = False,
) -> None:
    """Put a member of staff on the register (they are counted like everyone inside)."""
    c: Ctx = ctx.obj
    fields: dict[str, Any] = {}
    for path, value in (
        ("name_ar", name_ar),
        ("name_latin", name_latin),
        ("gender", gender),
        ("nationality", nationality),
        ("birth_date", birth_date),
        ("staff.role", role),
        ("staff.post", post),
        ("staff.unit", unit),
        ("staff.rank", rank),
    ):
        inputs.set_field(fields, path, value)
    _admit(c, number or "", "staff", fields, location, at, override, json_out)


@staff_app.command("list")
def staff_list(
    ctx: typer.Context,
    all_: Annotated[bool, typer.Option("--all", help="Include staff who have left.")] = False,
    limit: Annotated[int, typer.Option(min=1, max=100_000, help="At most this many.")] = 1000,
    json_out: JsonFlag = False,
) -> None:
    """List staff: number, name, role, post, unit, where they are now."""
    c: Ctx = ctx.obj
    with c.app() as app_:
        rows = app_.facility.people("staff", in_custody_only=not all_, limit=limit)
    if json_out:
        print_json([person_json(p) for p in rows])
        return
    table = Table("number", "name", "role", "post", "unit", "where")
    for p in rows:
        staff = p.record.get("staff") or {}
        table.add_row(
            p.number,
            " / ".join(n for n in (p.record.get("name_ar"), p.record.get("name_latin")) if n),
            staff.get("role", ""),
            staff.get("post", ""),
            staff.get("unit", ""),
            p.location or p.status,
        )
    out.print(table)
