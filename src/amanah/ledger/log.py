"""The log's append lifecycle: drafts -> canonical entries -> leaves -> nodes -> signed checkpoint.

One call to :meth:`Log.append` turns a batch of drafts into an :class:`AppendBatch` and writes it
through a :class:`LedgerWriter` inside the caller's transaction, so that entries, tree nodes and
the checkpoint over the new tree commit (or vanish) together. The checkpoint is signed before the
commit but published only after it: a signature over a tree that was rolled back never leaves
the process, so the log never publishes two inconsistent checkpoints (compare tessera's
``append_lifecycle.go``, which integrates, then signs, then publishes).

The compact range (the right edge of the tree) is cached between batches and trusted only when
the latest stored checkpoint has the same size and root; otherwise it is re-read, ``O(log n)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from amanah.errors import EntryRejected
from amanah.ledger import entry as entry_format
from amanah.ledger.checkpoint import Checkpoint, sign_checkpoint
from amanah.ledger.hashing import leaf_hash
from amanah.ledger.merkle import CompactRange
from amanah.ledger.ports import (
    AppendBatch,
    LedgerReader,
    LedgerWriter,
    StoredCheckpoint,
    StoredEntry,
)
from amanah.ledger.signing import Signer


@dataclass(frozen=True, slots=True)
class Draft:
    """An entry to append: everything but ``seq`` and ``version``, which the log assigns."""

    stream: str
    type: str
    actor: entry_format.Actor
    data: Mapping[str, Any]
    time: str


@dataclass(frozen=True, slots=True)
class Appended:
    """What a committed append produced: the new entries and the signed checkpoint."""

    entries: Sequence[StoredEntry]
    checkpoint: StoredCheckpoint

    @property
    def size(self) -> int:
        return self.checkpoint.size


@dataclass
class Log:
    """Appends to one log, named by ``origin`` and signed by ``signer``."""

    origin: str
    signer: Signer
    _edge: CompactRange | None = field(default=None, repr=False)

    def _right_edge(self, writer: LedgerWriter, size: int) -> CompactRange:
        edge = self._edge
        if edge is not None and edge.size == size:
            latest = writer.latest_checkpoint()
            if latest is not None and latest.size == size and latest.root == edge.root():
                return edge.copy()
        return CompactRange.load(size, writer)

    def append(self, writer: LedgerWriter, drafts: Sequence[Draft], now: str) -> Appended:
        """Append ``drafts`` as one batch with one checkpoint, in ``writer``'s transaction."""
        return self.append_encoded(writer, self.encode(writer, drafts), now)

    def encode(self, writer: LedgerWriter, drafts: Sequence[Draft]) -> list[StoredEntry]:
        """Assign ``seq`` and per-stream ``version`` and encode each draft canonically."""
        if not drafts:
            raise EntryRejected("nothing to append")
        return Encoder(writer).encode(drafts)

    def append_encoded(
        self, writer: LedgerWriter, rows: Sequence[StoredEntry], now: str
    ) -> Appended:
        """Hash encoded entries into the tree, sign the new checkpoint, write the batch.

        ``rows`` must continue the log (``rows[0].seq == writer.size()``, dense); the
        store refuses a batch that does not (:class:`amanah.errors.Conflict`).
        """
        if not rows:
            raise EntryRejected("nothing to append")
        start = writer.size()
        edge = self._right_edge(writer, start)
        nodes: list[tuple[int, bytes]] = []

        def add_node(key: int, value: bytes) -> None:
            nodes.append((key, value))

        for row in rows:
            edge.append(leaf_hash(row.body), add_node)
        root = edge.root()
        note = sign_checkpoint(Checkpoint(self.origin, edge.size, root), self.signer)
        checkpoint = StoredCheckpoint(edge.size, root, note, now)
        writer.append(AppendBatch(start, rows, nodes, checkpoint))
        self._edge = edge
        return Appended(rows, checkpoint)


class Encoder:
    """Numbers and encodes drafts that continue ``writer``'s log, across several calls.

    For a long series appended in one transaction: each call continues where the last one
    stopped (``seq`` and each stream's ``version``), before anything is written, so that the
    caller can project entries as it goes and append them in batches.
    """

    def __init__(self, reader: LedgerReader) -> None:
        self._reader = reader
        self.next_seq = reader.size()
        self._versions: dict[str, int] = {}

    def encode(self, drafts: Sequence[Draft]) -> list[StoredEntry]:
        rows: list[StoredEntry] = []
        for draft in drafts:
            version = self._versions.get(draft.stream)
            if version is None:
                version = self._reader.stream_version(draft.stream)
            version += 1
            self._versions[draft.stream] = version
            entry = entry_format.Entry(
                seq=self.next_seq,
                time=draft.time,
                stream=draft.stream,
                version=version,
                type=draft.type,
                actor=draft.actor,
                data=dict(draft.data),
            )
            body = entry_format.encode(entry)
            rows.append(StoredEntry(entry.seq, entry.stream, version, entry.type, entry.time, body))
            self.next_seq += 1
        return rows
