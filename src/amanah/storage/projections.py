"""The occurrence book projection (a read model, rebuilt from the ledger at will)."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from amanah.services.ports import OccurrenceRow
from amanah.storage.tables import occurrence_book


class SqlOccurrenceBook:
    """The occurrence book in the ``occurrence_book`` table."""

    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def add(self, rows: Sequence[OccurrenceRow]) -> None:
        self._conn.execute(
            occurrence_book.insert(),
            [
                {
                    "seq": r.seq,
                    "time": r.time,
                    "by": r.by,
                    "text": r.text,
                    "source": r.source,
                    "recorded_at": r.recorded_at,
                }
                for r in rows
            ],
        )

    def clear(self) -> None:
        self._conn.execute(occurrence_book.delete())

    def count(self) -> int:
        return int(
            self._conn.execute(sa.select(sa.func.count()).select_from(occurrence_book)).scalar_one()
        )

    def latest_time(self) -> str | None:
        value = self._conn.execute(sa.select(sa.func.max(occurrence_book.c.time))).scalar_one()
        return None if value is None else str(value)

    def page(
        self, *, limit: int, offset: int = 0, newest_first: bool = True
    ) -> list[OccurrenceRow]:
        order = (
            (occurrence_book.c.time.desc(), occurrence_book.c.seq.desc())
            if newest_first
            else (occurrence_book.c.time.asc(), occurrence_book.c.seq.asc())
        )
        query = sa.select(occurrence_book).order_by(*order).limit(limit).offset(offset)
        return [
            OccurrenceRow(r.seq, r.time, r.by, r.text, r.source, r.recorded_at)
            for r in self._conn.execute(query)
        ]
