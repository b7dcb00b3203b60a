"""The services as one principal may use them: every call is authorized first, and every
view of a person's record, search, roster and export is written to the access log.

The JSON API and the web UI call only this facade (and :class:`~amanah.services.access.
AccessService` for logging in and managing accounts), with the principal of the request:
they never decide a permission themselves. The command line uses it with the machine's
operator (an administrator), so that its views and exports are logged too.

What each call needs is in :data:`amanah.domain.access.permissions.PERMISSIONS`. The facility
a call touches is read from the thing it names (the person, place or roll); calls over the
whole log (the ledger, the occurrence book) touch "the log's facility": its only facility, so
that a principal scoped to a facility reaches them only on a log that is its own facility's.

Writes are checked, then run: the check and the write are two transactions. A move is
pinned to the place the person was in when it was checked (``Move.origin``), so if they were
moved in between, the write is refused rather than applied somewhere the check did not see.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from amanah.domain.access import log as access_log
from amanah.domain.access.permissions import FACILITY as FACILITY_SCOPE
from amanah.domain.access.permissions import PERMISSIONS, Principal, allows, move_action
from amanah.domain.movements.commands import Move
from amanah.domain.occurrence.commands import RecordOccurrence
from amanah.domain.registry.commands import (
    AddLocation,
    Admit,
    Correct,
    SetCapacity,
    SetLocationState,
)
from amanah.domain.rollcount.commands import OpenRoll, RecordCount, Resolve
from amanah.domain.rollcount.model import Roll
from amanah.domain.shared import CATEGORIES, HOLDING_KINDS, Actor, Event
from amanah.domain.supplies.model import State as SupplyState
from amanah.domain.supplies.runway import RationPlan
from amanah.errors import Forbidden, InvalidInput, NotFound
from amanah.ledger.audit import AuditReport
from amanah.ledger.ports import StoredCheckpoint, StoredEntry
from amanah.services import sitrep
from amanah.services.access import AccessService, chain_ids
from amanah.services.facility import Command_, FacilityService, Outcome, ResolveWith
from amanah.services.ledger import LedgerService, Published
from amanah.services.occurrence import OccurrenceService, Recorded
from amanah.services.ports import (
    FacilityViews,
    LocationRow,
    MovementRow,
    OccurrenceRow,
    PersonRow,
    ReadUnit,
)
from amanah.services.siege import ACTIONS as SIEGE_ACTIONS
from amanah.services.siege import RunwayReport, SiegeCommand, SiegeService, supplies_stream


@dataclass(frozen=True, slots=True)
class RosterRow:
    """A person as the roster shows them: who and where, not the admission record."""

    number: str
    category: str
    status: str
    location: str | None
    facility: str
    name_ar: str | None
    name_latin: str | None

    @classmethod
    def of(cls, p: PersonRow) -> RosterRow:
        name_ar, name_latin = p.record.get("name_ar"), p.record.get("name_latin")
        return cls(
            p.number,
            p.category,
            p.status,
            p.location,
            p.facility,
            name_ar if isinstance(name_ar, str) else None,
            name_latin if isinstance(name_latin, str) else None,
        )


#: The action that reads each area's cases.
CASE_READ = {
    "incidents": "incident.read",
    "notifications": "notification.read",
    "appeals": "appeal.read",
}

#: Every action a movement may need (which one depends on its kind and places).
MOVE_ACTIONS = ("movement.cell", "movement.record", "medical.record")


#: The actions a command may need (a move's depends on its places), checked before any
#: read: whether a person or place exists is not for those who may not act on it.
_ACTIONS: dict[type, tuple[str, ...]] = {
    AddLocation: ("location.manage",),
    SetCapacity: ("location.manage",),
    SetLocationState: ("location.manage",),
    Admit: ("register.admit",),
    Correct: ("register.correct",),
    Move: MOVE_ACTIONS,
    OpenRoll: ("roll.open",),
    RecordCount: ("roll.count",),
    Resolve: ("roll.resolve",),
    ResolveWith: ("roll.resolve",),
}


@dataclass(frozen=True, slots=True)
class _Scope:
    """What one command needs: the action, the facility, the places' chains, the subject
    named in a denial, and the command to run (a move pinned to its origin)."""

    action: str
    facility: str | None
    places: list[list[str]]
    subject: str
    command: Command_ | ResolveWith


@dataclass
class Guarded:
    principal: Principal
    access: AccessService
    facility: FacilityService
    occurrences: OccurrenceService
    ledger: LedgerService
    client: str | None
    siege: SiegeService

    @property
    def actor(self) -> Actor:
        return Actor(self.principal.party, self.principal.username)

    def _views(self) -> AbstractContextManager[ReadUnit]:
        return self.facility.storage.reader()

    def _check(
        self,
        action: str,
        facility: str | None,
        places: Sequence[Sequence[str]] = (),
        subject: str | None = None,
    ) -> None:
        self.access.check(
            self.principal,
            action,
            facility=facility,
            places=places,
            subject=subject,
            client=self.client,
        )

    def _log(
        self, kind: str, facility: str | None, subject: str | None, detail: str | None = None
    ) -> None:
        self.access.record(
            self.principal,
            kind,
            facility=facility,
            subject=subject,
            client=self.client,
            detail=detail,
            anchor=kind == access_log.EXPORTED,
        )

    def _facility(self, facility: str | None) -> str | None:
        """Where an unscoped call lands: the facility named, the principal's, else the
        home's only one (none if it has several: only unscoped principals pass then)."""
        if facility is not None or self.principal.facility is not None:
            return facility or self.principal.facility
        return self._log_facility()

    def _log_facility(self) -> str | None:
        with self._views() as view:
            facilities = [p.id for p in view.facility.locations(kinds=("facility",))]
        return facilities[0] if len(facilities) == 1 else None

    def _within(self, found: str | None) -> str | None:
        """The facility of a thing named, or (when it does not exist, and the command will be
        refused for it) the principal's own, so that the refusal is the service's."""
        return found if found is not None else self.principal.facility

    # -- writing the facility ----------------------------------------------------------------

    def run(
        self,
        commands: Sequence[Command_ | ResolveWith],
        progress: Callable[[int], None] | None = None,
    ) -> Outcome:
        """:meth:`FacilityService.run` after checking every command (all or none run)."""
        for c in commands:
            actions = _ACTIONS.get(type(c), ())
            if actions and not any(self.principal.may(a) for a in actions):
                self._check(actions[0], self.principal.facility, (), type(c).__name__)
        with self._views() as view:
            scopes = [self._scope(view.facility, c) for c in commands]
        for s in scopes:
            self._check(s.action, s.facility, s.places, s.subject)
        return self.facility.run([s.command for s in scopes], self.actor, progress)

    def _scope(self, views: FacilityViews, command: Command_ | ResolveWith) -> _Scope:
        def located(location_id: str | None) -> str | None:
            row = views.location(location_id) if location_id else None
            return self._within(row.facility if row else None)

        def chains(*places: str | None) -> list[list[str]]:
            return [chain_ids(views, p) for p in places if p]

        match command:
            case AddLocation():
                where = command.id if command.kind == "facility" else located(command.parent)
                return _Scope("location.manage", where, [], command.id, command)
            case SetCapacity() | SetLocationState():
                where = located(command.location)
                return _Scope("location.manage", where, [], command.location, command)
            case Admit():
                where = located(command.location)
                places = chains(command.location)
                return _Scope("register.admit", where, places, command.location, command)
            case Correct():
                person = views.person(command.number)
                where = self._within(person.facility if person else None)
                return _Scope("register.correct", where, [], command.number, command)
            case Move():
                return self._move_scope(views, command)
            case OpenRoll():
                where = located(command.scope)
                return _Scope("roll.open", where, chains(command.scope), command.scope, command)
            case RecordCount():
                roll = views.roll(command.roll)
                where = self._within(roll.facility if roll else None)
                places = chains(command.location)
                return _Scope("roll.count", where, places, command.location, command)
            case ResolveWith() | Resolve():
                resolve = command.resolve if isinstance(command, ResolveWith) else command
                roll = views.roll(resolve.roll)
                where = self._within(roll.facility if roll else None)
                places = chains(resolve.location, resolve.found_in)
                return _Scope("roll.resolve", where, places, resolve.person, command)
        raise InvalidInput(f"unknown command {type(command).__name__}")

    def _move_scope(self, views: FacilityViews, command: Move) -> _Scope:
        person = views.person(command.person)
        if (person is None or person.location is None) and not self._everywhere(MOVE_ACTIONS):
            # Whether a number exists is the register's: a guard learns nothing from it.
            raise self._denied(
                "movement.cell", f"{self.principal.username} may move only people in their blocks"
            )
        origin = person.location if person else None
        here = views.location(origin) if origin else None
        there = views.location(command.to) if command.to else None
        action = move_action(
            command.kind, here.kind if here else None, there.kind if there else None
        )
        places = [chain_ids(views, p) for p in (origin, command.to) if p]
        if person is not None and command.origin is None:
            command = replace(command, origin=person.location)
        where = self._within(person.facility if person else None)
        return _Scope(action, where, places, command.person, command)

    # -- reading the register ----------------------------------------------------------------

    def person(self, number: str) -> tuple[PersonRow, list[MovementRow]]:
        """A person's record and history (``register.read``); the view is logged first."""
        self._check_may("register.read", number)
        with self._views() as view:
            found = view.facility.person(number)
        if found is None:
            raise NotFound(f"no person {number} on the register")
        self._check("register.read", found.facility, (), number)
        self._log(access_log.PERSON_VIEWED, found.facility, number)
        return self.facility.person(number)

    def require(self, *actions: str) -> None:
        """Deny at once (logged) unless some role grants one of ``actions``: for an
        entrypoint about to read places or people to build a command for them."""
        if not any(self.principal.may(a) for a in actions):
            self._check(actions[0], self.principal.facility, (), actions[0])

    def can(self, action: str, location: str | None = None, facility: str | None = None) -> bool:
        """Whether the principal may take ``action`` (at ``location``), for what a page
        offers; nothing is logged, and the call itself is checked again when made."""
        with self._views() as view:
            chains = [chain_ids(view.facility, location)] if location else []
            if facility is None:
                place = view.facility.location(location) if location else None
                facility = place.facility if place else self._facility(None)
        return allows(self.principal, action, facility=facility, places=chains)

    def _everywhere(self, actions: Sequence[str]) -> bool:
        """Whether a role grants one of ``actions`` facility-wide (not only in blocks)."""
        return any(
            PERMISSIONS.get(role, {}).get(a) == FACILITY_SCOPE
            for role in self.principal.roles
            for a in actions
        )

    def _denied(self, action: str, message: str) -> Forbidden:
        self.access.record(
            self.principal,
            access_log.DENIED,
            facility=self.principal.facility,
            subject=action,
            client=self.client,
            detail=f"{action}: {message}",
        )
        return Forbidden(message)

    def _check_may(self, action: str, subject: str | None = None) -> None:
        """Deny at once (logged) when no role grants ``action`` at all, before anything is
        read: whether a person or place exists is not for those who may not see it."""
        if not self.principal.may(action):
            self._check(action, self.principal.facility, (), subject)

    def search(self, text: str, limit: int = 20, category: str | None = None) -> list[PersonRow]:
        """People by part of a name or number (``register.read``); the search is logged."""
        self._check_may("register.read", text)
        where = self._facility(None)
        self._check("register.read", where, (), text)
        found = self.facility.search(text, limit, category)
        mine = [p for p in found if self.principal.facility in (None, p.facility)]
        self._log(access_log.REGISTER_SEARCHED, where, text, f"{len(mine)} found")
        return mine

    def people(
        self, category: str, *, in_custody_only: bool = True, limit: int = 100, offset: int = 0
    ) -> list[PersonRow]:
        """A page of the register with records (``register.read``); logged as a roster view."""
        self._check_may("register.read", category)
        where = self._facility(None)
        self._check("register.read", where, (), category)
        rows = self.facility.people(
            category, in_custody_only=in_custody_only, limit=limit, offset=offset
        )
        mine = [p for p in rows if self.principal.facility in (None, p.facility)]
        self._log(access_log.ROSTER_VIEWED, where, f"register: {category}", f"{len(mine)} rows")
        return mine

    def roster(
        self, *, facility: str | None = None, location: str | None = None
    ) -> list[RosterRow]:
        """Everyone in custody in a facility, or at a place and everything under it
        (``roster.read``; a guard names a place in their blocks). Names and places only."""
        self._check_may("roster.read", location or facility)
        with self._views() as view:
            if location is not None:
                place = view.facility.location(location)
                where = self._within(place.facility if place else None)
                self._check("roster.read", where, [chain_ids(view.facility, location)], location)
                if place is None:
                    raise NotFound(f"no location {location}")
                people = self._people_under(view.facility, place)
            else:
                where = self._facility(facility)
                self._check("roster.read", where, (), where)
                if where is None or view.facility.location(where) is None:
                    raise NotFound(f"no facility {facility or ''}".strip())
                people = [
                    p
                    for category in CATEGORIES
                    for p in view.facility.people(
                        category=category, in_custody_only=True, limit=1_000_000
                    )
                    if p.facility == where
                ]
        rows = sorted((RosterRow.of(p) for p in people), key=lambda r: r.number)
        self._log(access_log.ROSTER_VIEWED, where, location or where, f"{len(rows)} people")
        return rows

    @staticmethod
    def _people_under(views: FacilityViews, place: LocationRow) -> list[PersonRow]:
        if place.kind not in ("facility", "block", "wing"):
            return views.people_at(place.id)
        under = [
            p
            for p in views.locations(place.facility, HOLDING_KINDS)
            if p.path.startswith(place.path)
        ]
        return [person for p in under for person in views.people_at(p.id)]

    def facilities(self) -> list[LocationRow]:
        """The facilities the principal reaches (its own, or every one): names only matter
        here, so that a page can offer a choice; nothing is logged."""
        with self._views() as view:
            found = view.facility.locations(kinds=("facility",))
        return [f for f in found if self.principal.facility in (None, f.id)]

    def locations(self, facility: str | None = None) -> list[LocationRow]:
        """Places with capacities and occupancy (``location.read``)."""
        where = self._facility(facility)
        self._check("location.read", where, (), where)
        return self.facility.locations(where)

    def roll_status(self, facility: str | None = None, level: str = "block") -> dict[str, Any]:
        """Headline figures (``roll.read``)."""
        where = self._facility(facility)
        self._check("roll.read", where, (), where)
        return self.facility.roll_status(where, level)

    def recent_movements(self, facility: str | None = None, limit: int = 20) -> list[MovementRow]:
        """The facility's latest movements, newest first (``register.read``: they name
        people and where they went)."""
        self._check_may("register.read", "recent movements")
        where = self._facility(facility)
        self._check("register.read", where, (), "recent movements")
        if where is None:
            raise NotFound("name the facility")
        return self.facility.recent_movements(where, limit)

    def rolls(self, facility: str | None = None, limit: int = 20) -> list[Roll]:
        """The facility's roll calls, newest first (``roll.read``)."""
        where = self._facility(facility)
        self._check("roll.read", where, (), "roll calls")
        if where is None:
            raise NotFound("name the facility")
        return self.facility.rolls(where, limit)

    def roll_places(self, roll_id: str) -> dict[str, Any]:
        """A roll's places and tallies, for the roll sheet (``roll.read``)."""
        self._check_may("roll.read", roll_id)
        with self._views() as view:
            roll = view.facility.roll(roll_id)
        if roll is None:
            raise NotFound(f"no roll call {roll_id}")
        self._check("roll.read", roll.facility, (), roll_id)
        found = self.facility.roll_places(roll_id)
        # Counts are blind for those who count but may not read the register: a place's
        # number is theirs to find, not to be told, until it is counted right or resolved.
        found["blind"] = not self.principal.may("register.read")
        return found

    # -- under siege: supplies, incidents, notifications, appeals -----------------------------

    def siege_run(self, commands: Sequence[SiegeCommand]) -> Outcome:
        """:meth:`SiegeService.run` after checking every command (all or none run)."""
        for c in commands:
            action = SIEGE_ACTIONS[type(c)]
            self._check_may(action, type(c).__name__)
            self._check(action, self._within(self.siege.facility_of(c)), (), type(c).__name__)
        return self.siege.run(commands, self.actor)

    def quantity(self, ident: str, amount: str | int, unit: str) -> int:
        """``amount`` ``unit`` in store ``ident``'s base units, for a command about to be
        built (``supplies.record``: only those who record may probe a store)."""
        self._check_may("supplies.record", ident)
        with self._views() as view:
            row = view.cases.get(supplies_stream(ident))
        self._check("supplies.record", self._within(row.facility if row else None), (), ident)
        return self.siege.quantity(ident, amount, unit)

    def siege_facility(self) -> str:
        """The facility a siege record lands in when none is named: the principal's, or
        the home's only one."""
        where = self._facility(None)
        if where is None:
            raise InvalidInput("name the facility")
        return where

    def _siege_read(self, action: str, facility: str | None, subject: str) -> str:
        self._check_may(action, subject)
        where = self._facility(facility)
        self._check(action, where, (), subject)
        if where is None:
            raise NotFound("name the facility")
        return where

    def runway(self, facility: str | None = None, at: datetime | None = None) -> RunwayReport:
        """Every resource's runway (``supplies.read``), now or as of ``at`` ("recent"
        consumption is that of the week before it)."""
        return self.siege.runway(self._siege_read("supplies.read", facility, "supplies"), at)

    def ration_plan(
        self, until: datetime, facility: str | None = None
    ) -> tuple[RunwayReport, list[RationPlan]]:
        """The daily rations that reach ``until`` (``supplies.read``)."""
        return self.siege.plan(self._siege_read("supplies.read", facility, "supplies"), until)

    def supplies(self, facility: str | None = None) -> list[SupplyState]:
        """Stores, generators and pumps (``supplies.read``)."""
        return self.siege.supplies(self._siege_read("supplies.read", facility, "supplies"))

    def store(self, ident: str) -> SupplyState:
        """One store, generator or pump (``supplies.read``)."""
        self._check_may("supplies.read", ident)
        found = self.siege.store(ident)
        self._check("supplies.read", found.facility, (), ident)
        return found

    def store_entries(self, ident: str) -> tuple[SupplyState, list[tuple[int, Event]]]:
        """One store, generator or pump and its entries, oldest first (``supplies.read``)."""
        return self.store(ident), self.siege.store_history(ident)

    def sitrep_exported(self, report: dict[str, Any], form: str) -> None:
        """Log the export of a situation report (aggregate figures: ``sitrep.read`` is the
        right to take it, unlike the register's exports)."""
        where = self._siege_read("sitrep.read", report["facility"]["id"], "situation report")
        self._log(access_log.EXPORTED, where, f"sitrep.{form}", f"as of {report['as_of']}")

    def sitrep(self, facility: str | None = None, at: datetime | None = None) -> dict[str, Any]:
        """The situation report (``sitrep.read``): aggregate figures, as of ``at`` or now,
        pinned to the latest signed checkpoint."""
        where = self._siege_read("sitrep.read", facility, "situation report")
        published = self.ledger.published() if self.ledger.size() else None
        now = at or self.siege.clock.now()
        return sitrep.build(where, self.facility, self.siege, published, now)

    def cases(
        self,
        area: str,
        facility: str | None = None,
        *,
        statuses: Sequence[str] | None = None,
        since: str | None = None,
    ) -> list[Any]:
        """The incidents, notifications or appeals of a facility, by time."""
        action = CASE_READ[area]
        where = self._siege_read(action, facility, area)
        return self.siege.cases(area, where, statuses=statuses, since=since)

    def case(self, area: str, ident: str) -> Any:
        """One incident, notification or appeal."""
        action = CASE_READ[area]
        self._check_may(action, ident)
        found = self.siege.case(area, ident)
        self._check(action, found.facility, (), ident)
        return found

    # -- the occurrence book -----------------------------------------------------------------

    def occurrence_page(self, limit: int, offset: int = 0) -> list[OccurrenceRow]:
        self._check("occurrence.read", self._log_facility(), (), "occurrence book")
        return self.occurrences.page(limit, offset)

    def add_occurrence(self, text: str, by: str, at: str | None = None) -> Recorded:
        self._check("occurrence.record", self._log_facility(), (), "occurrence book")
        return self.occurrences.add(text, by, at, self.actor)

    def import_occurrences(
        self, commands: list[RecordOccurrence], progress: Callable[[int], None] | None = None
    ) -> Recorded:
        self._check("occurrence.record", self._log_facility(), (), "occurrence book")
        return self.occurrences.import_book(commands, self.actor, progress)

    # -- the ledger --------------------------------------------------------------------------

    def _ledger(self, action: str, subject: str) -> None:
        self._check(action, self._log_facility(), (), subject)

    def checkpoint(self) -> bytes:
        """The latest checkpoint with its cosignatures (``ledger.read``)."""
        self._ledger("ledger.read", "checkpoint")
        return self.ledger.published_checkpoint()

    def published(self) -> Published:
        """The latest checkpoint and its witnesses (``ledger.read``)."""
        self._ledger("ledger.read", "checkpoint")
        return self.ledger.published()

    def latest_entries(self, limit: int = 20) -> list[StoredEntry]:
        self._ledger("ledger.read", "latest entries")
        return self.ledger.latest_entries(limit)

    def entry(self, index: int) -> bytes:
        self._ledger("ledger.read", f"entry {index}")
        return self.ledger.entry(index)

    def prove(self, index: int, size: int | None = None) -> bytes:
        self._ledger("ledger.read", f"proof of entry {index}")
        return self.ledger.prove(index, size)

    def consistency(self, old: int, new: int | None = None) -> list[bytes]:
        self._ledger("ledger.read", f"consistency {old}")
        return self.ledger.consistency(old, new)

    def audit(self, progress: Callable[[int], None] | None = None) -> AuditReport:
        self._ledger("ledger.read", "audit")
        return self.ledger.audit(progress)

    def export_tiles(self) -> tuple[StoredCheckpoint, Iterator[tuple[str, bytes]]]:
        """A tlog-tiles copy of the log (``ledger.export``). The export is logged and the
        access log anchored first, so the copy itself carries the record of its making."""
        self._ledger("ledger.export", "ledger tiles")
        self._log(access_log.EXPORTED, self._log_facility(), "ledger tiles")
        latest = self.ledger.latest_checkpoint()
        return latest, self.ledger.export_tiles()

    def exported(self, what: str, detail: str | None = None) -> None:
        """Authorize and log an export made elsewhere (a PDF roll, a CSV): call before
        handing the file over. ``what`` names it (``roll R-0003 pdf``)."""
        self._ledger("ledger.export", what)
        self._log(access_log.EXPORTED, self._log_facility(), what, detail)

    def witness_request(self, old: int) -> bytes:
        self._ledger("ledger.cosign", "witness request")
        return self.ledger.witness_request(old)

    def add_cosignatures(
        self, data: bytes, witness_vkeys: Sequence[str], size: int | None = None
    ) -> tuple[int, int]:
        self._ledger("ledger.cosign", "cosignatures")
        return self.ledger.add_cosignatures(data, witness_vkeys, size)
