"""Use cases of accounts and access: log in, manage accounts, decide permissions, keep the
access log.

Every permission is decided here (:meth:`AccessService.check` and :meth:`authorize`, both
over :func:`amanah.domain.access.permissions.check`); entrypoints never decide one. Account
changes go through the one write path (``accounts`` stream of the ledger, projected into
``access_users`` in the same transaction); the password hash goes only into the ``accounts``
table, in that same transaction. Views, exports, searches, denials and logins go into the
hash-chained access log, whose head is anchored in the ledger (``access-log`` stream).
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from amanah.clock import Clock
from amanah.domain.access import log as access_log
from amanah.domain.access.commands import AddUser, ChangePassword, DisableUser, SetRoles
from amanah.domain.access.events import AccessLogAnchored
from amanah.domain.access.log import AccessRecord, ChainProblem, chain_hash, verify_chain
from amanah.domain.access.model import (
    Account,
    check_password,
    check_username,
    decide_add_user,
    decide_change_password,
    decide_disable,
    decide_set_roles,
    evolve,
    normalise_password,
)
from amanah.domain.access.permissions import (
    ADMINISTRATOR,
    UNSCOPED_ROLES,
    Principal,
    check,
)
from amanah.domain.access.throttle import (
    CLIENT_POLICY,
    USER_POLICY,
    after_failure,
    locked_until,
)
from amanah.domain.shared import Actor, Event, Place, format_time
from amanah.errors import Forbidden, InvalidInput, LoginFailed, NotFound, Throttled
from amanah.services.access_ports import AccessStore, AccessViews
from amanah.services.codec import decode_event
from amanah.services.dispatch import Recorder, Session
from amanah.services.passwords import PasswordHasher
from amanah.services.ports import FacilityViews, Storage, WriteUnit

ACCOUNTS_STREAM = "accounts"
ACCESS_LOG_STREAM = "access-log"
#: The user named on anchors no principal caused (a failed login at an anchoring row).
SYSTEM_USER = "amanah"
#: Longest password even looked at: a longer one cannot be valid, and hashing megabytes
#: would be a denial of service.
MAX_LOGIN_PASSWORD = 1024
WRONG = "wrong username or password"


def operator(username: str, party: str) -> Principal:
    """The machine's operator (the command line): an administrator of every facility."""
    return Principal(username, party, (ADMINISTRATOR,), None, (), operator=True)


def user_key(name: str) -> str:
    """Throttle key of a username as typed: a hash, since it may be a mistyped password."""
    return "user:" + hashlib.sha256(name.encode("utf-8", "replace")).hexdigest()[:32]


def client_key(client: str) -> str:
    return "client:" + (client or "unknown")[:200]


def _login_name(value: object) -> str:
    return value.strip().lower()[:256] if isinstance(value, str) else ""


@dataclass(frozen=True, slots=True)
class AccessLogReport:
    """The access log's verification: its size, the largest anchored size, the anchors
    checked, and every problem found (``ok`` when none)."""

    size: int
    anchored: int
    anchors: int
    problems: list[ChainProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_bad(self) -> int | None:
        return min((p.seq for p in self.problems), default=None)

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "size": self.size,
            "anchored": self.anchored,
            "anchors": self.anchors,
            "first_bad": self.first_bad,
            "problems": [{"seq": p.seq, "what": p.what} for p in self.problems],
        }


def chain_ids(views: FacilityViews, location: str) -> list[str]:
    """A place's id and its ancestors' ids up to the facility (just the id if unknown)."""
    return [p.id for p in views.chain(location)] or [location]


def project_accounts(store: AccessStore, changes: Sequence[tuple[int, str, Event]]) -> None:
    """Apply account events ``(seq, time, event)`` to the ``access_users`` projection."""
    for seq, time, event in changes:
        name = getattr(event, "username", None)
        if name is None:
            continue
        account = evolve(store.account(name), event, time=time, seq=seq)
        if account is not None:
            store.put_account(account)


def rebuild_accounts(storage: Storage) -> int:
    """Rebuild ``access_users`` from the ledger's ``accounts`` stream; password hashes (not
    in the ledger) stay as they are. Returns the number of accounts."""
    with storage.writer() as unit:
        unit.access.clear_accounts()
        found: dict[str, Account] = {}
        for entry in unit.ledger.stream(ACCOUNTS_STREAM):
            event = decode_event(entry.type, json.loads(entry.body)["data"])
            name = getattr(event, "username", "")
            account = evolve(found.get(name), event, time=entry.time, seq=entry.seq)
            if account is not None:
                found[name] = account
        for account in found.values():
            unit.access.put_account(account)
        return len(found)


@dataclass
class AccessService:
    storage: Storage
    recorder: Recorder
    clock: Clock
    hasher: PasswordHasher
    party: str  # the home's party: the default for new accounts

    # -- logging in --------------------------------------------------------------------------

    def authenticate(self, username: str, password: str, client: str) -> Principal:
        """The principal of the account, if ``password`` is its password and neither the
        username nor the client is locked out; else :class:`LoginFailed` (or
        :class:`Throttled`). Every outcome is in the access log; a success anchors it."""
        now = self.clock.now()
        account, stored, text = self._verify(username, password, client, now)
        principal = account.principal()
        with self.storage.writer() as unit:
            unit.access.clear_strikes(user_key(account.username))
            if self.hasher.needs_rehash(stored):
                hashed = self.hasher.hash(text)
                unit.access.set_password_hash(account.username, hashed, format_time(now))
            self._append(
                unit,
                now,
                principal,
                access_log.LOGIN_SUCCEEDED,
                facility=account.facility,
                client=client,
                anchor=True,
            )
        return principal

    def _verify(
        self, username: object, password: object, client: str, now: datetime
    ) -> tuple[Account, str, str]:
        """The account, its stored hash and the normalised password, if the password is
        right and nothing is locked; a failure is logged (and struck) before it is raised."""
        name = _login_name(username)
        with self.storage.reader() as view:
            locks = [
                locked_until(view.access.strikes(k), now)
                for k in (user_key(name), client_key(client))
            ]
            account = view.access.account(name) if name else None
            stored = view.access.password_hash(name) if account else None
        lock = max((t for t in locks if t is not None), default=None)
        if lock is not None:
            self._failed(now, name, account, client, f"locked until {format_time(lock)}")
            raise Throttled(f"too many failed logins: try again after {format_time(lock)}", lock)
        valid = isinstance(password, str) and len(password) <= MAX_LOGIN_PASSWORD
        text = normalise_password(password) if isinstance(password, str) and valid else ""
        # An unknown name still costs one verification, so timing does not tell it apart.
        matched = valid and self.hasher.verify(stored or self.hasher.dummy_hash(), text)
        if not matched or stored is None or account is None:
            self._failed(now, name, account, client, WRONG, strike=True)
            raise LoginFailed(WRONG)
        if account.disabled:
            self._failed(now, name, account, client, "account disabled")
            raise LoginFailed("this account is disabled")
        return account, stored, text

    def _failed(
        self,
        now: datetime,
        name: str,
        account: Account | None,
        client: str,
        detail: str,
        *,
        strike: bool = False,
    ) -> None:
        with self.storage.writer() as unit:
            if strike:
                for key, policy in (
                    (user_key(name), USER_POLICY),
                    (client_key(client), CLIENT_POLICY),
                ):
                    unit.access.set_strikes(
                        key, after_failure(unit.access.strikes(key), now, policy)
                    )
                unit.access.forget_strikes(now - max(USER_POLICY.forget, CLIENT_POLICY.forget))
            self._append(
                unit,
                now,
                None,
                access_log.LOGIN_FAILED,
                facility=account.facility if account else None,
                subject=account.username if account else None,
                client=client,
                detail=detail,
            )

    def principal(self, username: str, *, authenticated_at: datetime) -> Principal:
        """The principal of a session begun at ``authenticated_at``, as the account stands
        now (roles changed since apply at once); :class:`LoginFailed` if the account has
        been disabled or its password changed since. The web layer calls this per request."""
        with self.storage.reader() as view:
            account = view.access.account(username)
        if account is None or account.disabled:
            raise LoginFailed("the session has ended: log in again")
        if datetime.fromisoformat(account.password_set_at) > authenticated_at:
            raise LoginFailed("the password has changed: log in again")
        return account.principal()

    def logout(self, principal: Principal, client: str | None = None) -> None:
        self.record(principal, access_log.LOGOUT, facility=principal.facility, client=client)

    # -- deciding permissions ----------------------------------------------------------------

    def check(
        self,
        principal: Principal,
        action: str,
        *,
        facility: str | None,
        places: Sequence[Sequence[str]] = (),
        subject: str | None = None,
        client: str | None = None,
    ) -> None:
        """:func:`~amanah.domain.access.permissions.check`, with a denial logged before
        :class:`Forbidden` is raised. ``places`` are chains (see :func:`chain_ids`)."""
        try:
            check(principal, action, facility=facility, places=places)
        except Forbidden as exc:
            self.record(
                principal,
                access_log.DENIED,
                facility=facility,
                subject=subject or action,
                client=client,
                detail=f"{action}: {exc}",
            )
            raise

    def authorize(
        self,
        principal: Principal,
        action: str,
        *,
        facility: str | None = None,
        location: str | None = None,
        locations: Sequence[str] = (),
        subject: str | None = None,
        client: str | None = None,
    ) -> None:
        """Raise :class:`Forbidden` unless ``principal`` may take ``action`` in ``facility``
        at ``location`` (and each of ``locations``); the facility defaults to the first
        place's. For entrypoints guarding something the :class:`~amanah.services.guarded.
        Guarded` facade does not cover."""
        wanted = [p for p in (location, *locations) if p]
        with self.storage.reader() as view:
            chains = [chain_ids(view.facility, p) for p in wanted]
            if facility is None and wanted:
                found = view.facility.location(wanted[0])
                facility = found.facility if found else None
        self.check(
            principal, action, facility=facility, places=chains, subject=subject, client=client
        )

    # -- the access log ----------------------------------------------------------------------

    def record(
        self,
        principal: Principal | None,
        kind: str,
        *,
        facility: str | None = None,
        subject: str | None = None,
        client: str | None = None,
        detail: str | None = None,
        anchor: bool = False,
    ) -> AccessRecord:
        """Append one record to the access log (and anchor its head if ``anchor`` or due)."""
        now = self.clock.now()
        with self.storage.writer() as unit:
            return self._append(
                unit,
                now,
                principal,
                kind,
                facility=facility,
                subject=subject,
                client=client,
                detail=detail,
                anchor=anchor,
            )

    def _append(
        self,
        unit: WriteUnit,
        now: datetime,
        principal: Principal | None,
        kind: str,
        *,
        facility: str | None = None,
        subject: str | None = None,
        client: str | None = None,
        detail: str | None = None,
        anchor: bool = False,
    ) -> AccessRecord:
        size, head = unit.access.log_head()
        record = access_log.clean(
            AccessRecord(
                size,
                format_time(now),
                kind,
                principal.username if principal else None,
                principal.party if principal else None,
                facility,
                subject,
                client,
                detail,
            )
        )
        hashed = chain_hash(head, record)
        unit.access.append_log(record, hashed)
        if anchor or (size + 1) % access_log.ANCHOR_EVERY == 0:
            actor = (
                Actor(principal.party, principal.username)
                if principal
                else Actor(self.party, SYSTEM_USER)
            )
            session = self.recorder.session(unit, actor=actor, now=now)
            head64 = base64.b64encode(hashed).decode("ascii")
            session.add([(ACCESS_LOG_STREAM, AccessLogAnchored(size + 1, head64))])
            session.close()
        return record

    def access_log(
        self, by: Principal, *, limit: int = 100, offset: int = 0, client: str | None = None
    ) -> list[AccessRecord]:
        """The newest records first: all of them, or for a principal scoped to a facility,
        that facility's and those of no facility (failed logins of unknown names)."""
        if not 1 <= limit <= 100_000 or offset < 0:
            raise InvalidInput("limit must be 1-100000 and offset 0 or more")
        self.check(by, "access_log.read", facility=by.facility, client=client)
        with self.storage.reader() as view:
            return view.access.log_page(limit=limit, offset=offset, facility=by.facility)

    def verify_log(self, by: Principal, client: str | None = None) -> AccessLogReport:
        """Re-hash the whole access log and compare it with every anchor in the ledger."""
        self.check(by, "access_log.read", facility=by.facility, client=client)
        with self.storage.reader() as view:
            size, _ = view.access.log_head()
            anchors: dict[int, str] = {}
            for entry in view.ledger.stream(ACCESS_LOG_STREAM):
                event = decode_event(entry.type, json.loads(entry.body)["data"])
                if isinstance(event, AccessLogAnchored):
                    anchors[event.size] = event.head
            stored: dict[int, bytes] = {}
            problems = list(verify_chain(self._rows(view.access, size, anchors, stored)))
        for anchored_size, head in sorted(anchors.items()):
            if anchored_size > size:
                problems.append(
                    ChainProblem(
                        size,
                        f"the ledger anchors {anchored_size} records; the table holds {size}",
                    )
                )
            elif base64.b64encode(stored.get(anchored_size - 1, b"")).decode() != head:
                problems.append(
                    ChainProblem(
                        anchored_size - 1,
                        f"records before {anchored_size} differ from the ledger's anchor",
                    )
                )
        problems.sort(key=lambda p: p.seq)
        return AccessLogReport(size, max(anchors, default=0), len(anchors), problems)

    @staticmethod
    def _rows(
        views: AccessViews, size: int, anchors: dict[int, str], stored: dict[int, bytes]
    ) -> Iterator[tuple[AccessRecord, bytes]]:
        """The stored rows, keeping aside the hashes the anchors name."""
        for record, hashed in views.log_rows(0, size):
            if record.seq + 1 in anchors:
                stored[record.seq] = hashed
            yield record, hashed

    # -- managing accounts -------------------------------------------------------------------

    def users(self, by: Principal, client: str | None = None) -> list[Account]:
        """Every account (of the principal's facility, if it has one)."""
        self.check(by, "user.manage", facility=by.facility, client=client)
        with self.storage.reader() as view:
            found = view.access.accounts()
        return [a for a in found if by.facility is None or a.facility == by.facility]

    def account(self, by: Principal, username: str, client: str | None = None) -> Account:
        name = check_username(username)
        if not by.may("user.manage"):  # whether an account exists is not for everyone
            self.check(by, "user.manage", facility=by.facility, subject=name, client=client)
        with self.storage.reader() as view:
            found = view.access.account(name)
        if found is None:
            raise NotFound(f"no user {name}")
        self.check(by, "user.manage", facility=found.facility, subject=name, client=client)
        return found

    def _default_facility(self, views: FacilityViews, roles: Sequence[str]) -> str | None:
        """The home's only facility, for an account whose roles need one."""
        if all(r in UNSCOPED_ROLES for r in roles):
            return None
        facilities = [p.id for p in views.locations(kinds=("facility",))]
        return facilities[0] if len(facilities) == 1 else None

    @staticmethod
    def _places(
        views: FacilityViews, facility: str | None, blocks: Sequence[str]
    ) -> tuple[Place | None, dict[str, Place | None]]:
        found = views.location(facility) if facility else None
        places: dict[str, Place | None] = {}
        for block in blocks if not isinstance(blocks, str) else ():
            row = views.location(block)
            places[block] = row.place() if row else None
        return (found.place() if found else None), places

    def _commit(self, unit: WriteUnit, session: Session, events: Sequence[Event]) -> None:
        rows = session.add([(ACCOUNTS_STREAM, ev) for ev in events])
        project_accounts(
            unit.access, [(r.seq, r.time, ev) for r, ev in zip(rows, events, strict=True)]
        )

    def add_user(self, by: Principal, command: AddUser, client: str | None = None) -> Account:
        """Open an account (its password vetted and hashed; the hash never in the ledger)."""
        name = check_username(command.username)
        if command.facility is None:
            with self.storage.reader() as view:
                command = replace(
                    command, facility=self._default_facility(view.facility, command.roles)
                )
        self.check(by, "user.manage", facility=command.facility, subject=name, client=client)
        password = check_password(command.password, name)
        hashed = self.hasher.hash(password)
        now = self.clock.now()
        with self.storage.writer() as unit:
            facility_place, block_places = self._places(
                unit.facility, command.facility, command.blocks
            )
            events = decide_add_user(
                command,
                unit.access.account(name),
                home_party=self.party,
                facility_place=facility_place,
                block_places=block_places,
            )
            session = self.recorder.session(unit, actor=Actor(by.party, by.username), now=now)
            self._commit(unit, session, events)
            unit.access.set_password_hash(name, hashed, format_time(now))
            session.close()
            added = unit.access.account(name)
        assert added is not None
        return added

    def set_roles(self, by: Principal, command: SetRoles, client: str | None = None) -> Account:
        """Replace an account's roles, facility and blocks (``user.manage`` in both the
        facility it had and the one it gets)."""
        found = self.account(by, command.username, client)
        if command.facility is None:
            with self.storage.reader() as view:
                command = replace(
                    command, facility=self._default_facility(view.facility, command.roles)
                )
        self.check(
            by, "user.manage", facility=command.facility, subject=found.username, client=client
        )
        now = self.clock.now()
        with self.storage.writer() as unit:
            current = unit.access.account(found.username)
            if current is not None:
                check(by, "user.manage", facility=current.facility)  # changed meanwhile?
            facility_place, block_places = self._places(
                unit.facility, command.facility, command.blocks
            )
            events = decide_set_roles(
                command, current, facility_place=facility_place, block_places=block_places
            )
            session = self.recorder.session(unit, actor=Actor(by.party, by.username), now=now)
            self._commit(unit, session, events)
            session.close()
            changed = unit.access.account(found.username)
        assert changed is not None
        return changed

    def disable(self, by: Principal, command: DisableUser, client: str | None = None) -> Account:
        """Close an account: it cannot log in again, and its sessions end."""
        found = self.account(by, command.username, client)
        now = self.clock.now()
        with self.storage.writer() as unit:
            current = unit.access.account(found.username)
            if current is not None:
                check(by, "user.manage", facility=current.facility)
            events = decide_disable(command, current, by)
            session = self.recorder.session(unit, actor=Actor(by.party, by.username), now=now)
            self._commit(unit, session, events)
            session.close()
            closed = unit.access.account(found.username)
        assert closed is not None
        return closed

    def change_password(
        self,
        by: Principal,
        username: str,
        password: str,
        *,
        current_password: str | None = None,
        client: str | None = None,
    ) -> None:
        """Set an account's password. Users change their own by giving the current one
        (checked, and throttled, like a login); administrators (``user.manage``) reset
        others' without it. Sessions begun before the change end."""
        name = check_username(username)
        own = name == by.username and not by.operator
        if own:
            self._check_current(name, current_password, client or "")
        else:
            self.account(by, name, client)
        text = check_password(password, name)
        hashed = self.hasher.hash(text)
        now = self.clock.now()
        with self.storage.writer() as unit:
            current = unit.access.account(name)
            if not own and current is not None:
                check(by, "user.manage", facility=current.facility)
            events = decide_change_password(ChangePassword(name, text, reset=not own), current)
            session = self.recorder.session(unit, actor=Actor(by.party, by.username), now=now)
            self._commit(unit, session, events)
            unit.access.set_password_hash(name, hashed, format_time(now))
            session.close()

    def _check_current(self, name: str, password: str | None, client: str) -> None:
        """The current password of the principal's own account, checked (and throttled)
        as a login is."""
        try:
            account, _, _ = self._verify(name, password or "", client, self.clock.now())
        except Throttled:
            raise
        except LoginFailed:
            raise LoginFailed("the current password is wrong") from None
        with self.storage.writer() as unit:
            unit.access.clear_strikes(user_key(account.username))
