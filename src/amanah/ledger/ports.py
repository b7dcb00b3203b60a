"""What the ledger needs from storage: the ports every backend (memory, SQLite, PostgreSQL)
implements and one contract test suite (``tests/contract``) checks.

A store holds three append-only collections:

- entries: ``(seq, stream, version, type, time, body)`` where ``body`` is the canonical entry
  bytes (the Merkle leaf); ``seq`` is dense from 0, ``(stream, version)`` is unique;
- nodes: perfect-subtree hashes keyed by :func:`amanah.ledger.merkle.node_key`, their
  post-order position (leaves included), so that each batch's nodes extend the key range;
- checkpoints: ``(size, root, note, time)``, one per committed batch, ``size`` unique;
- cosignatures: witnesses' verified cosignature lines per checkpoint size.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class StoredEntry:
    """An entry row as stored; ``body`` is the exact leaf bytes."""

    seq: int
    stream: str
    version: int
    type: str
    time: str
    body: bytes


@dataclass(frozen=True, slots=True)
class StoredCheckpoint:
    """A signed checkpoint as stored: ``note`` is the whole signed-note text, UTF-8."""

    size: int
    root: bytes
    note: bytes
    time: str


@dataclass(frozen=True, slots=True)
class AppendBatch:
    """Everything one committed append writes, computed by :mod:`amanah.ledger.log`.

    ``entries[i].seq == start + i``; ``nodes`` are the perfect subtrees the batch completes;
    ``checkpoint`` is signed over the tree of size ``start + len(entries)``.
    """

    start: int
    entries: Sequence[StoredEntry]
    nodes: Sequence[tuple[int, bytes]]
    checkpoint: StoredCheckpoint


class LedgerReader(Protocol):
    """Read access to one log. Within a transaction, reads see the transaction's writes."""

    def size(self) -> int:
        """Number of entries (== next seq)."""
        ...

    def get_nodes(self, keys: Sequence[int]) -> Mapping[int, bytes]:
        """Stored hashes for ``keys``; raises ``KeyError`` for a key that is not stored."""
        ...

    def leaf_hashes(self, start: int, end: int) -> list[bytes]:
        """Stored leaf hashes of entries ``[start, end)`` in order (may be fewer if missing)."""
        ...

    def entries(self, start: int, end: int) -> Iterator[StoredEntry]:
        """Entries with ``start <= seq < end`` in seq order (gaps are simply absent)."""
        ...

    def entry(self, seq: int) -> StoredEntry | None:
        """One entry, or ``None``."""
        ...

    def stream(self, stream: str) -> list[StoredEntry]:
        """All entries of one stream in version order."""
        ...

    def stream_version(self, stream: str) -> int:
        """The last version of ``stream`` (0 when it has none)."""
        ...

    def checkpoints(self) -> Iterator[StoredCheckpoint]:
        """Every stored checkpoint, by increasing size."""
        ...

    def latest_checkpoint(self) -> StoredCheckpoint | None:
        """The checkpoint with the largest size, or ``None`` for a new log."""
        ...

    def checkpoint(self, size: int) -> StoredCheckpoint | None:
        """The checkpoint of exactly ``size`` entries (one indexed read), or ``None``."""
        ...

    def cosignatures(self, size: int) -> list[str]:
        """Witness cosignature lines stored for the checkpoint of ``size``, oldest first."""
        ...


class LedgerWriter(LedgerReader, Protocol):
    """A reader inside a write transaction that can also append."""

    def append(self, batch: AppendBatch) -> None:
        """Write a whole batch in the current transaction.

        Raises :class:`amanah.errors.Conflict` if ``batch.start`` is not the current size or
        a ``(stream, version)`` is already taken; the transaction then writes nothing.
        """
        ...

    def add_cosignatures(self, size: int, lines: Sequence[tuple[str, str]], time: str) -> int:
        """Store ``(witness, line)`` cosignatures of checkpoint ``size`` (already verified);
        lines already stored are skipped. Returns how many were new."""
        ...
