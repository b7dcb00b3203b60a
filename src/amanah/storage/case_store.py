"""The case-file projection: one row per supplies, incidents, notifications or appeals stream,
holding the area's folded state as canonical JSON (rebuilt from the ledger at will)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from amanah.services.ports import CaseRow
from amanah.storage.tables import case_files

_dialect_upsert: dict[str, Any] = {}


def _upsert(dialect: str) -> Any:
    if dialect not in _dialect_upsert:
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = insert(case_files)
        _dialect_upsert[dialect] = stmt.on_conflict_do_update(
            index_elements=[case_files.c.stream],
            set_={c.name: stmt.excluded[c.name] for c in case_files.c if c.name != "stream"},
        )
    return _dialect_upsert[dialect]


def _row(r: Any) -> CaseRow:
    return CaseRow(
        r.stream, r.area, r.facility, r.kind, r.status, r.time, r.seq, json.loads(r.state)
    )


class SqlCaseFiles:
    """Case files in the ``case_files`` table, on the unit's connection."""

    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def get(self, stream: str) -> CaseRow | None:
        found = self._conn.execute(
            sa.select(case_files).where(case_files.c.stream == stream)
        ).first()
        return _row(found) if found else None

    def put(self, row: CaseRow) -> None:
        state = json.dumps(row.state, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        self._conn.execute(
            _upsert(self._conn.dialect.name),
            {
                "stream": row.stream,
                "area": row.area,
                "facility": row.facility,
                "kind": row.kind,
                "status": row.status,
                "time": row.time,
                "seq": row.seq,
                "state": state,
            },
        )

    def list(
        self,
        area: str,
        facility: str | None = None,
        *,
        statuses: Sequence[str] | None = None,
        since: str | None = None,
    ) -> list[CaseRow]:
        query = sa.select(case_files).where(case_files.c.area == area)
        if facility is not None:
            query = query.where(case_files.c.facility == facility)
        if statuses is not None:
            query = query.where(case_files.c.status.in_(list(statuses)))
        if since is not None:
            query = query.where(case_files.c.time >= since)
        query = query.order_by(case_files.c.time, case_files.c.stream)
        return [_row(r) for r in self._conn.execute(query)]

    def count(self, area: str) -> int:
        return int(
            self._conn.execute(
                sa.select(sa.func.count()).select_from(case_files).where(case_files.c.area == area)
            ).scalar_one()
        )

    def clear(self) -> None:
        self._conn.execute(case_files.delete())
