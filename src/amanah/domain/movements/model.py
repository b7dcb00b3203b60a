"""The rules of movement: one table says, per kind, who may move, from which status, to what
kind of place, into which status, and which details are required."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from amanah.domain.movements.commands import Move
from amanah.domain.movements.errors import MovementRefused
from amanah.domain.movements.events import (
    CellMoved,
    Died,
    Escaped,
    Movement,
    Recaptured,
    Released,
    Returned,
    TransferDeparted,
    TransferReceived,
    WentOut,
)
from amanah.domain.shared import (
    HOLDING_KINDS,
    IN_CUSTODY,
    IN_TRANSIT,
    INSIDE,
    OUT,
    Place,
    check_room,
    check_usable,
    check_when,
    clean_text,
    format_time,
    one_line,
    parse_time,
)

DETAIL_CHARS = 2_000


@dataclass(frozen=True, slots=True)
class Rule:
    event: type[Movement]
    from_status: tuple[str, ...]
    to_kinds: tuple[str, ...]  # () = the person leaves custody: no destination
    status: str  # the status after the move
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    detainees_only: bool = False


KINDS: dict[str, Rule] = {
    "cell": Rule(CellMoved, (INSIDE,), HOLDING_KINDS, INSIDE, ("reason",)),
    "out": Rule(
        WentOut, (INSIDE,), ("hospital", "court", "outside"), OUT, ("purpose",), ("escort",)
    ),
    "return": Rule(Returned, (OUT,), HOLDING_KINDS, INSIDE, (), ("note",)),
    "transfer": Rule(
        TransferDeparted,
        (INSIDE, OUT),
        ("transit",),
        IN_TRANSIT,
        ("destination", "authority"),
        ("reference", "escort"),
    ),
    "receive": Rule(
        TransferReceived, (IN_TRANSIT,), (), "transferred", ("received_by", "authority"), ("note",)
    ),
    "release": Rule(
        Released, (INSIDE, OUT), (), "released", ("authority",), ("reference", "reason")
    ),
    "death": Rule(Died, IN_CUSTODY, (), "dead", ("place", "circumstances"), ("cause", "remains")),
    "escape": Rule(Escaped, IN_CUSTODY, (), "escaped", ("where",), ("last_seen",), True),
    "recapture": Rule(Recaptured, ("escaped",), HOLDING_KINDS, INSIDE, (), ("where", "note"), True),
}

EVENT_KIND = {rule.event.TYPE: kind for kind, rule in KINDS.items()}
STATUS_AFTER = {rule.event.TYPE: rule.status for rule in KINDS.values()}


@dataclass(frozen=True, slots=True)
class PersonState:
    """What the rules need of the person being moved."""

    number: str
    category: str
    status: str
    location: str | None
    facility: str
    since: str  # time of the admission or the latest movement (RFC 3339 UTC)


def _details(rule: Rule, kind: str, given: dict[str, str], zone: tzinfo) -> dict[str, str]:
    if not isinstance(given, dict):
        raise MovementRefused(f"the details of a {kind} movement must be named text fields")
    allowed = rule.required + rule.optional
    unknown = given.keys() - set(allowed)
    if unknown:
        raise MovementRefused(
            f"a {kind} movement takes {', '.join(allowed) or 'no details'}, "
            f"not {', '.join(sorted(unknown))}"
        )
    cleaned: dict[str, str] = {}
    for name in allowed:
        value = given.get(name)
        if value is not None and not isinstance(value, str):
            raise MovementRefused(f"{name.replace('_', ' ')} must be text")
        if value is None or not value.strip():
            if name in rule.required:
                raise MovementRefused(f"a {kind} movement needs {name.replace('_', ' ')}")
            continue
        if name == "last_seen":
            cleaned[name] = format_time(parse_time(value, zone))
        elif name in ("circumstances", "cause", "note", "reason", "purpose"):
            cleaned[name] = clean_text(value, name, max_chars=DETAIL_CHARS)
        else:
            cleaned[name] = one_line(value, name, max_chars=200)
    return cleaned


def decide(
    command: Move,
    person: PersonState | None,
    chain: list[Place],
    now: datetime,
    zone: tzinfo,
) -> list[Movement]:
    """Check a movement; ``chain`` is the destination and its ancestors (empty if none)."""
    rule = KINDS.get(command.kind)
    if rule is None:
        raise MovementRefused(f"movement kind must be one of {', '.join(KINDS)}")
    if person is None:
        raise MovementRefused(f"no person {command.person} on the register")
    who = person.number
    if rule.detainees_only and person.category != "detainee":
        raise MovementRefused(f"{command.kind} applies to detainees; {who} is {person.category}")
    if person.status not in rule.from_status:
        raise MovementRefused(
            f"{who} is {person.status.replace('_', ' ')}"
            + (f" at {person.location}" if person.location else "")
            + f"; a {command.kind} movement needs a person who is "
            + " or ".join(s.replace("_", " ") for s in rule.from_status)
        )
    if command.origin is not None and command.origin != person.location:
        raise MovementRefused(
            f"{who} is in {person.location or 'no location'}, not in {command.origin}"
        )
    when = check_when(command.time, now, f"the {command.kind} movement", MovementRefused)
    if when < person.since:
        raise MovementRefused(
            f"the {command.kind} movement is dated {when}, before {who}'s previous "
            f"movement at {person.since}"
        )
    details = _details(rule, command.kind, command.details, zone)
    if "last_seen" in details and not person.since <= details["last_seen"] <= when:
        raise MovementRefused("last seen must be between the previous movement and the escape")
    destination = None
    if rule.to_kinds:
        if not command.to or not chain:
            raise MovementRefused(
                f"a {command.kind} movement needs a destination"
                + (f"; location {command.to} does not exist" if command.to else "")
            )
        target = chain[0]
        if target.kind not in rule.to_kinds:
            raise MovementRefused(
                f"a {command.kind} movement goes to a {' or '.join(rule.to_kinds)}, "
                f"and {target.id} is a {target.kind}"
            )
        if target.facility != person.facility:
            raise MovementRefused(f"{target.id} is not in {who}'s facility {person.facility}")
        if target.id == person.location:
            raise MovementRefused(f"{who} is already in {target.id}")
        if target.kind in HOLDING_KINDS:
            override = check_room(chain, 1, command.override, MovementRefused)
            if override:
                details["override"] = override
        else:
            # An away place (hospital, court, outside, transit) is outside the walls: only its
            # own state counts. A facility taken out of order must still be able to record
            # the people it answers for leaving for hospital or a transfer.
            check_usable(chain[:1], MovementRefused)
        destination = target.id
    elif command.to:
        raise MovementRefused(
            f"a {command.kind} movement takes the person out of custody; no destination"
        )
    return [rule.event(who, when, person.location, destination, details)]


def status_after(event: Movement) -> str:
    return STATUS_AFTER[event.TYPE]
