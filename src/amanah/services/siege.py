"""Use cases of a facility under siege: supplies and their runway, incidents, the
notifications owed, and appeals to guarantors.

Every write runs as the facility's do (:mod:`amanah.services.facility`): one transaction,
the state read from the projections (the case files, which include what was decided
earlier in the same series), decided by the area, appended and projected at once.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from amanah.clock import Clock
from amanah.domain.appeals import commands as appeal_commands
from amanah.domain.appeals import model as appeals
from amanah.domain.incidents import commands as incident_commands
from amanah.domain.incidents import model as incidents
from amanah.domain.notifications import commands as notification_commands
from amanah.domain.notifications import model as notifications
from amanah.domain.shared import INSIDE, Actor, Event, format_time, parse_time
from amanah.domain.standards import Minimums
from amanah.domain.supplies import model as supply
from amanah.domain.supplies.commands import (
    CountStock,
    InstallGenerator,
    InstallPump,
    Issue,
    Lose,
    OpenStore,
    Receive,
    SetGenerator,
)
from amanah.domain.supplies.errors import SuppliesRefused
from amanah.domain.supplies.runway import (
    Alert,
    Plant,
    RationPlan,
    Runway,
    alerts,
    ration_plan,
    runways,
)
from amanah.domain.supplies.units import check_unit, to_base
from amanah.errors import AmanahError, InvalidInput, NotFound
from amanah.ledger.ports import StoredEntry
from amanah.services.cases import NUMBERING, load, next_id
from amanah.services.codec import decode_event
from amanah.services.dispatch import Recorder, Session
from amanah.services.facility import Outcome
from amanah.services.owed import owe
from amanah.services.ports import CaseFiles, FacilityViews, ReadUnit, Storage

SupplyCommand = (
    OpenStore | Receive | Issue | Lose | CountStock | InstallGenerator | SetGenerator | InstallPump
)
AppealCommand = (
    appeal_commands.SendAppeal
    | appeal_commands.Acknowledge
    | (appeal_commands.Promise | appeal_commands.Remind | appeal_commands.Close)
)
IncidentCommand = (
    incident_commands.ReportIncident
    | incident_commands.AddAddendum
    | (incident_commands.ChangeStatus)
)
NotificationCommand = notification_commands.MarkSent | notification_commands.Acknowledge
SiegeCommand = SupplyCommand | AppealCommand | IncidentCommand | NotificationCommand


def supplies_stream(ident: str) -> str:
    return f"supplies/{ident}"


#: The stream prefix of each area's cases.
STREAMS = {area: stream for area, (stream, _, _) in NUMBERING.items()}


def appeal_stream(ident: str) -> str:
    return f"appeal/{ident}"


def stream_of(command: SiegeCommand) -> str:
    """The stream a command writes to."""
    match command:
        case (
            appeal_commands.SendAppeal()
            | appeal_commands.Acknowledge()
            | appeal_commands.Promise()
            | appeal_commands.Remind()
            | appeal_commands.Close()
        ):
            return appeal_stream(command.id)
        case (
            incident_commands.ReportIncident()
            | incident_commands.AddAddendum()
            | incident_commands.ChangeStatus()
        ):
            return f"{STREAMS['incidents']}/{command.id}"
        case notification_commands.MarkSent() | notification_commands.Acknowledge():
            return f"{STREAMS['notifications']}/{command.id}"
        case Receive() | Issue() | Lose() | CountStock():
            return supplies_stream(command.store)
        case OpenStore() | InstallGenerator() | SetGenerator() | InstallPump():
            return supplies_stream(command.id)
    raise TypeError(f"not a siege command: {command!r}")


#: The action each command needs.
ACTIONS: dict[type, str] = {
    OpenStore: "supplies.record",
    Receive: "supplies.record",
    Issue: "supplies.record",
    Lose: "supplies.record",
    CountStock: "supplies.record",
    InstallGenerator: "supplies.record",
    SetGenerator: "supplies.record",
    InstallPump: "supplies.record",
    appeal_commands.SendAppeal: "appeal.record",
    appeal_commands.Acknowledge: "appeal.record",
    appeal_commands.Promise: "appeal.record",
    appeal_commands.Remind: "appeal.record",
    appeal_commands.Close: "appeal.record",
    incident_commands.ReportIncident: "incident.report",
    incident_commands.AddAddendum: "incident.report",
    incident_commands.ChangeStatus: "incident.review",
    notification_commands.MarkSent: "notification.record",
    notification_commands.Acknowledge: "notification.record",
}

#: Roles whose link to an incident is a movement on the register, by movement kind.
MOVEMENT_ROLES = {"deceased": "death", "escapee": "escape"}


@dataclass
class _Run:
    cases: CaseFiles
    facility: FacilityViews
    session: Session
    now: datetime
    created: list[str]

    def state(self, stream: str) -> Any:
        return load(self.cases.get(stream))

    def add(self, stream: str, events: Sequence[Event]) -> list[StoredEntry]:
        return self.session.add([(stream, ev) for ev in events])

    def supplies(self, c: SupplyCommand) -> None:
        now = self.now
        match c:
            case OpenStore():
                self._facility(c.facility)
                stream = supplies_stream(c.id)
                self.add(stream, supply.decide_open(c, self.state(stream), now))
                self.created.append(c.id)
            case Receive():
                self.add(
                    supplies_stream(c.store), supply.decide_receive(c, self._store(c.store), now)
                )
            case Issue():
                self.add(
                    supplies_stream(c.store), supply.decide_issue(c, self._store(c.store), now)
                )
            case Lose():
                self.add(supplies_stream(c.store), supply.decide_lose(c, self._store(c.store), now))
            case CountStock():
                self.add(
                    supplies_stream(c.store), supply.decide_count(c, self._store(c.store), now)
                )
            case InstallGenerator():
                self._facility(c.facility)
                stream = supplies_stream(c.id)
                fuel = self.state(supplies_stream(c.fuel_store))
                self.add(stream, supply.decide_install_generator(c, self.state(stream), fuel, now))
                self.created.append(c.id)
            case SetGenerator():
                stream = supplies_stream(c.id)
                self.add(stream, supply.decide_set_generator(c, self.state(stream), now))
            case InstallPump():
                self._facility(c.facility)
                stream = supplies_stream(c.id)
                self.add(
                    stream,
                    supply.decide_install_pump(
                        c,
                        self.state(stream),
                        self.state(supplies_stream(c.generator)),
                        self.state(supplies_stream(c.water_store)),
                        now,
                    ),
                )
                self.created.append(c.id)

    def _store(self, ident: str) -> supply.Store | None:
        found = self.state(supplies_stream(ident))
        if found is not None and not isinstance(found, supply.Store):
            raise InvalidInput(f"{ident} is a {found.kind}, not a store")
        return found if isinstance(found, supply.Store) else None

    def _facility(self, facility: str) -> None:
        place = self.facility.location(facility)
        if place is None or place.kind != "facility":
            raise NotFound(f"no facility {facility}")

    def new_id(self, area: str) -> str:
        return next_id(self.cases, area)

    def _linked(
        self, facility: str, people: Sequence[incident_commands.LinkedPerson]
    ) -> tuple[incident_commands.LinkedPerson, ...]:
        """The people linked, checked against the register; a death or an escape is linked
        to the person's movement (its ledger seq), found on their history."""
        found: list[incident_commands.LinkedPerson] = []
        for link in people:
            person = self.facility.person(link.person) if isinstance(link.person, str) else None
            if person is None:
                raise NotFound(f"no person {link.person} on the register")
            if person.facility != facility:
                raise InvalidInput(f"{link.person} is not on the register of {facility}")
            kind = MOVEMENT_ROLES.get(link.role)
            movement = link.movement
            if kind is not None and movement is None:
                moves = [m for m in self.facility.history(link.person) if m.kind == kind]
                movement = moves[-1].seq if moves else None
            found.append(replace(link, movement=movement))
        return tuple(found)

    def incident(self, c: IncidentCommand) -> None:
        before: incidents.Incident | None
        if isinstance(c, incident_commands.ReportIncident):
            self._facility(c.facility)
            if not c.id:
                c = replace(c, id=self.new_id("incidents"))
            c = replace(c, people=self._linked(c.facility, c.people))
            self.created.append(c.id)
            before = None
        else:
            before = self.state(f"{STREAMS['incidents']}/{c.id}")
            if isinstance(c, incident_commands.AddAddendum) and before is not None:
                c = replace(c, people=self._linked(before.facility, c.people))
        stream = f"{STREAMS['incidents']}/{c.id}"
        rows = self.add(stream, incidents.decide(before, c, self.now))
        after = self.state(stream)
        if not rows or not isinstance(after, incidents.Incident):
            return
        owed = [(p, "serious_injury") for p in incidents.newly_seriously_injured(before, after)]
        if (
            isinstance(c, incident_commands.ReportIncident)
            and c.kind == "medical_emergency"
            and (after.serious)
        ):
            owed += [
                (p.person, "serious_illness")
                for p in after.people
                if p.role in ("victim", "injured")
                and p.outcome in ("injured", "hospitalised", "unknown")
            ]
        for person, cause in owed:
            owe(
                self.session,
                self.cases,
                facility=after.facility,
                person=person,
                cause=cause,
                entry=rows[-1],
                time=after.latest,
                now=self.now,
            )

    def notification(self, c: NotificationCommand) -> None:
        stream = f"{STREAMS['notifications']}/{c.id}"
        self.add(stream, notifications.decide(self.state(stream), c, self.now))

    def appeal(self, c: AppealCommand) -> None:
        if isinstance(c, appeal_commands.SendAppeal):
            self._facility(c.facility)
            if not c.id:
                c = replace(c, id=self.new_id("appeals"))
            self.created.append(c.id)
        stream = appeal_stream(c.id)
        self.add(stream, appeals.decide(self.state(stream), c, self.now))

    def execute(self, c: SiegeCommand) -> None:
        if isinstance(c, AppealCommand):
            self.appeal(c)
        elif isinstance(c, IncidentCommand):
            self.incident(c)
        elif isinstance(c, NotificationCommand):
            self.notification(c)
        else:
            self.supplies(c)


@dataclass(frozen=True, slots=True)
class RunwayReport:
    """Every resource's runway for the people inside now, and what falls under the line."""

    facility: str
    as_of: datetime
    population: int
    runways: list[Runway]
    alerts: list[Alert]
    minimums: Minimums
    overridden: tuple[str, ...]
    plant: Plant  # the generators and pumps as they stood then


def _events(view: ReadUnit, stream: str) -> list[tuple[int, Event]]:
    """A stream's entries as (seq, event), oldest first, read from the ledger."""
    return [
        (e.seq, decode_event(e.type, json.loads(e.body)["data"]))
        for e in view.ledger.stream(stream)
    ]


@dataclass
class SiegeService:
    storage: Storage
    recorder: Recorder
    clock: Clock
    zone: tzinfo
    minimums: Minimums = field(default_factory=Minimums)
    overridden: tuple[str, ...] = ()

    # -- writing ----------------------------------------------------------------------------

    def run(self, commands: Sequence[SiegeCommand], actor: Actor) -> Outcome:
        """Run ``commands`` in order in one transaction: all are recorded, or none."""
        if not commands:
            raise InvalidInput("nothing to record")
        now = self.clock.now()
        with self.storage.writer() as unit:
            session = self.recorder.session(unit, actor=actor, now=now)
            start = unit.ledger.size()
            run = _Run(unit.cases, unit.facility, session, now, [])
            for number, command in enumerate(commands, start=1):
                try:
                    run.execute(command)
                except AmanahError as exc:
                    if len(commands) == 1:
                        raise
                    raise type(exc)(f"command {number}: {exc}") from None
            appended = session.close()
        return Outcome(start, session.added, appended[-1].checkpoint, tuple(run.created))

    def time(self, at: str | None) -> datetime:
        return parse_time(at, self.zone) if at else self.clock.now()

    def facility_of(self, command: SiegeCommand) -> str | None:
        """The facility a command acts in: the one it names, or that of the store,
        generator, incident or appeal it refers to (``None`` if that does not exist)."""
        named = getattr(command, "facility", None)
        if isinstance(named, str):
            return named
        with self.storage.reader() as view:
            row = view.cases.get(stream_of(command))
        return row.facility if row else None

    # -- reading ----------------------------------------------------------------------------

    def supplies(self, facility: str) -> list[supply.State]:
        """Every store, generator and pump of ``facility``."""
        with self.storage.reader() as view:
            return [load(r) for r in view.cases.list("supplies", facility)]

    def cases(
        self,
        area: str,
        facility: str,
        *,
        statuses: Sequence[str] | None = None,
        since: str | None = None,
    ) -> list[Any]:
        """The states of ``area``'s cases in ``facility`` by time."""
        with self.storage.reader() as view:
            rows = view.cases.list(area, facility, statuses=statuses, since=since)
        return [load(r) for r in rows]

    def case(self, area: str, ident: str) -> Any:
        """One case of ``area`` (``AP-0001``, ``I-0003``...)."""
        with self.storage.reader() as view:
            found = view.cases.get(f"{STREAMS[area]}/{ident}")
        if found is None or found.area != area:
            raise NotFound(f"no {area.rstrip('s')} {ident}")
        return load(found)

    def store(self, ident: str) -> supply.State:
        with self.storage.reader() as view:
            found = load(view.cases.get(supplies_stream(ident)))
        if found is None:
            raise NotFound(f"no store, generator or pump {ident}")
        return found  # type: ignore[no-any-return]

    def store_history(self, ident: str) -> list[tuple[int, Event]]:
        """A store's entries, oldest first: (seq, event)."""
        with self.storage.reader() as view:
            found = _events(view, supplies_stream(ident))
        if not found:
            raise NotFound(f"no store, generator or pump {ident}")
        return found

    def quantity(self, ident: str, amount: str | int, unit: str) -> int:
        """``amount`` ``unit`` in the base units of store ``ident``, refused when the unit
        is not of the store's dimension (kg into a water tank)."""
        found = self.store(ident)
        if not isinstance(found, supply.Store):
            raise InvalidInput(f"{ident} is a {found.kind}, not a store")
        dimension, base, _ = check_unit(unit)
        if base != found.base:
            raise SuppliesRefused(
                f"store {ident} ({found.resource}) is counted in {found.unit}, "
                f"not {unit} ({dimension})"
            )
        return to_base(amount, unit)

    def inside(self, view: ReadUnit, facility: str) -> int:
        """How many people are inside the walls now (the roll's "inside"): the people the
        stores must feed and water."""
        return sum(
            n for (_, status), n in view.facility.population(facility).items() if status == INSIDE
        )

    def _supplies_at(self, view: ReadUnit, facility: str, at: str) -> list[supply.State]:
        """The stores, generators and pumps as they stood at ``at``: each stream's events
        dated up to then, folded again (streams are small: a few entries a day)."""
        found: list[supply.State] = []
        for row in view.cases.list("supplies", facility):
            state: supply.State | None = None
            for _, event in _events(view, row.stream):
                if getattr(event, "time", at) <= at:
                    state = supply.evolve(state, event)
            if state is not None:
                found.append(state)
        return found

    def runway(self, facility: str, now: datetime | None = None) -> RunwayReport:
        """The runway now, or as of ``now`` if given (stock as it stood then, and the
        consumption of the week before)."""
        as_of = now is not None
        now = now or self.clock.now()
        with self.storage.reader() as view:
            place = view.facility.location(facility)
            if place is None or place.kind != "facility":
                raise NotFound(f"no facility {facility}")
            if as_of:
                states = self._supplies_at(view, facility, format_time(now))
            else:
                states = [load(r) for r in view.cases.list("supplies", facility)]
            population = self.inside(view, facility)
        stores = [s for s in states if isinstance(s, supply.Store)]
        plant = Plant(
            [s for s in states if isinstance(s, supply.Generator)],
            [s for s in states if isinstance(s, supply.Pump)],
        )
        # Daily consumption is kept by UTC day (``Store.daily``): the window is counted so too.
        found = runways(stores, plant, population, self.minimums, now.astimezone(UTC).date())
        return RunwayReport(
            facility,
            now,
            population,
            found,
            alerts(found, self.minimums.alert_days),
            self.minimums,
            self.overridden,
            plant,
        )

    def plan(self, facility: str, until: datetime) -> tuple[RunwayReport, list[RationPlan]]:
        """The daily ration per person that makes each stock last until ``until``."""
        report = self.runway(facility)
        days = (until - report.as_of) / timedelta(days=1)
        if days <= 0:
            raise InvalidInput(f"the target date {format_time(until)} is not in the future")
        plans = [ration_plan(r, days, report.population, self.minimums) for r in report.runways]
        return report, plans
