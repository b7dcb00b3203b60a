"""Accounts, password hashes, failed-login strikes and the access log in SQL
(the tables of migration 0004)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from amanah.domain.access.log import GENESIS, AccessRecord
from amanah.domain.access.model import Account
from amanah.domain.access.throttle import Strikes
from amanah.domain.shared import format_time
from amanah.storage.tables import access_log, access_throttle, access_users, accounts

_CHUNK = 1000


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _record(r: Row[Any]) -> AccessRecord:
    return AccessRecord(
        r.seq, r.time, r.kind, r.user, r.party, r.facility, r.subject, r.client, r.detail
    )


class SqlAccessStore:
    """:class:`~amanah.services.access_ports.AccessStore` on one connection."""

    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    # -- accounts (projection) -------------------------------------------------------------

    @staticmethod
    def _account(r: Row[Any]) -> Account:
        return Account(
            r.username,
            r.party,
            r.name,
            tuple(json.loads(r.roles)),
            r.facility,
            tuple(json.loads(r.blocks)),
            bool(r.disabled),
            r.created_at,
            r.password_set_at,
            r.seq,
        )

    def account(self, username: str) -> Account | None:
        query = sa.select(access_users).where(access_users.c.username == username)
        found = self._conn.execute(query).first()
        return None if found is None else self._account(found)

    def accounts(self) -> list[Account]:
        query = sa.select(access_users).order_by(access_users.c.username)
        return [self._account(r) for r in self._conn.execute(query)]

    def put_account(self, account: Account) -> None:
        row = {
            "party": account.party,
            "name": account.name,
            "roles": json.dumps(list(account.roles)),
            "facility": account.facility,
            "blocks": json.dumps(list(account.blocks)),
            "disabled": account.disabled,
            "created_at": account.created_at,
            "password_set_at": account.password_set_at,
            "seq": account.seq,
        }
        key = access_users.c.username == account.username
        if self._conn.execute(access_users.update().where(key).values(row)).rowcount == 0:
            self._conn.execute(access_users.insert().values(username=account.username, **row))

    def clear_accounts(self) -> None:
        self._conn.execute(access_users.delete())

    # -- password hashes -------------------------------------------------------------------

    def password_hash(self, username: str) -> str | None:
        query = sa.select(accounts.c.password_hash).where(accounts.c.username == username)
        value = self._conn.execute(query).scalar_one_or_none()
        return None if value is None else str(value)

    def set_password_hash(self, username: str, password_hash: str, time: str) -> None:
        key = accounts.c.username == username
        values = {"password_hash": password_hash, "set_at": time}
        if self._conn.execute(accounts.update().where(key).values(values)).rowcount == 0:
            self._conn.execute(accounts.insert().values(username=username, **values))

    # -- failed-login strikes --------------------------------------------------------------

    def strikes(self, key: str) -> Strikes:
        query = sa.select(access_throttle).where(access_throttle.c.key == key)
        r = self._conn.execute(query).first()
        if r is None:
            return Strikes()
        return Strikes(r.failures, _time(r.last_failure), _time(r.locked_until))

    def set_strikes(self, key: str, strikes: Strikes) -> None:
        assert strikes.last_failure is not None  # strikes are stored after a failure
        values = {
            "failures": strikes.failures,
            "last_failure": format_time(strikes.last_failure),
            "locked_until": format_time(strikes.locked_until) if strikes.locked_until else None,
        }
        where = access_throttle.c.key == key
        if self._conn.execute(access_throttle.update().where(where).values(values)).rowcount == 0:
            self._conn.execute(access_throttle.insert().values(key=key, **values))

    def clear_strikes(self, key: str) -> None:
        self._conn.execute(access_throttle.delete().where(access_throttle.c.key == key))

    def forget_strikes(self, before: datetime) -> None:
        cutoff = format_time(before)
        self._conn.execute(
            access_throttle.delete().where(
                access_throttle.c.last_failure < cutoff,
                sa.or_(
                    access_throttle.c.locked_until.is_(None),
                    access_throttle.c.locked_until < cutoff,
                ),
            )
        )

    # -- the access log --------------------------------------------------------------------

    def log_head(self) -> tuple[int, bytes]:
        query = (
            sa.select(access_log.c.seq, access_log.c.hash).order_by(access_log.c.seq.desc())
        ).limit(1)
        last = self._conn.execute(query).first()
        return (0, GENESIS) if last is None else (int(last.seq) + 1, bytes(last.hash))

    def append_log(self, record: AccessRecord, hash_: bytes) -> None:
        self._conn.execute(
            access_log.insert().values(
                seq=record.seq,
                time=record.time,
                kind=record.kind,
                user=record.user,
                party=record.party,
                facility=record.facility,
                subject=record.subject,
                client=record.client,
                detail=record.detail,
                hash=hash_,
            )
        )

    def log_rows(self, start: int, end: int) -> Iterator[tuple[AccessRecord, bytes]]:
        at = start
        while at < end:
            query = (
                sa.select(access_log)
                .where(access_log.c.seq >= at, access_log.c.seq < end)
                .order_by(access_log.c.seq)
                .limit(_CHUNK)
            )
            rows = self._conn.execute(query).all()
            if not rows:
                return
            for r in rows:
                value = r.hash
                yield _record(r), value.encode() if isinstance(value, str) else bytes(value)
            at = int(rows[-1].seq) + 1

    def log_page(
        self, *, limit: int, offset: int = 0, facility: str | None = None
    ) -> list[AccessRecord]:
        query = sa.select(access_log).order_by(access_log.c.seq.desc()).limit(limit)
        if facility is not None:
            query = query.where(
                sa.or_(access_log.c.facility == facility, access_log.c.facility.is_(None))
            )
        return [_record(r) for r in self._conn.execute(query.offset(offset))]
