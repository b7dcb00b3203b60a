"""The ledger ports in memory, with the same transaction shape as :class:`SqlStorage`.

For tests and demos. A writer holds a lock (one writer at a time, like BEGIN IMMEDIATE),
stages its changes and publishes them only when its block ends without an exception. Readers
take no lock: the committed state only ever grows, and a reader sees the sizes published when
it began (a snapshot), as a database transaction would.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from amanah.errors import Conflict
from amanah.ledger.merkle import node_key, nodes_before
from amanah.ledger.ports import AppendBatch, LedgerReader, StoredCheckpoint, StoredEntry
from amanah.storage.ledger_store import check_batch


@dataclass
class _Log:
    """Committed (or staged) rows. ``streams[name]`` is ``[(version, seq)]`` by version."""

    entries: list[StoredEntry] = field(default_factory=list)
    nodes: dict[int, bytes] = field(default_factory=dict)
    streams: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    checkpoints: list[StoredCheckpoint] = field(default_factory=list)
    cosignatures: dict[int, list[str]] = field(default_factory=dict)

    def add(self, batch: AppendBatch) -> None:
        self.entries.extend(batch.entries)
        self.nodes.update(batch.nodes)
        for e in batch.entries:
            bisect.insort(self.streams.setdefault(e.stream, []), (e.version, e.seq))
        self.checkpoints.append(batch.checkpoint)


def _node_in_tree(key: int, size: int) -> bool:
    return key < nodes_before(size)  # keys are post-order: a tree's nodes come first


class MemoryLedgerStore:
    """:class:`~amanah.ledger.ports.LedgerWriter` over a committed log plus staged batches.

    ``size`` and ``checkpoint_count`` bound what of the committed log this view sees.
    """

    def __init__(self, log: _Log, size: int, checkpoint_count: int, *, writable: bool) -> None:
        self._log = log
        self._base_size = size
        self._base_checkpoints = checkpoint_count
        self._writable = writable
        self.staged: list[AppendBatch] = []
        self._staged = _Log()

    # -- LedgerReader ------------------------------------------------------------------------

    def size(self) -> int:
        return self._base_size + len(self._staged.entries)

    def staged_cosignatures(self) -> dict[int, list[str]]:
        return self._staged.cosignatures

    def _node(self, key: int) -> bytes | None:
        if key in self._staged.nodes:
            return self._staged.nodes[key]
        if _node_in_tree(key, self._base_size):
            return self._log.nodes.get(key)
        return None

    def get_nodes(self, keys: Sequence[int]) -> Mapping[int, bytes]:
        found: dict[int, bytes] = {}
        for key in keys:
            value = self._node(key)
            if value is None:
                raise KeyError(key)
            found[key] = value
        return found

    def leaf_hashes(self, start: int, end: int) -> list[bytes]:
        out: list[bytes] = []
        for i in range(max(start, 0), min(end, self.size())):
            value = self._node(node_key(0, i))
            if value is None:
                break
            out.append(value)
        return out

    def _get(self, seq: int) -> StoredEntry:
        if seq < self._base_size:
            return self._log.entries[seq]
        return self._staged.entries[seq - self._base_size]

    def entries(self, start: int, end: int) -> Iterator[StoredEntry]:
        for seq in range(max(start, 0), min(end, self.size())):
            yield self._get(seq)

    def entry(self, seq: int) -> StoredEntry | None:
        return self._get(seq) if 0 <= seq < self.size() else None

    def _versions(self, stream: str) -> list[tuple[int, int]]:
        # list() copies in one step, so a commit running in another thread cannot shift it
        base = [vs for vs in list(self._log.streams.get(stream, ())) if vs[1] < self._base_size]
        staged = self._staged.streams.get(stream)
        return sorted(base + staged) if staged else base

    def stream(self, stream: str) -> list[StoredEntry]:
        return [self._get(seq) for _, seq in self._versions(stream)]

    def stream_version(self, stream: str) -> int:
        versions = self._versions(stream)
        return versions[-1][0] if versions else 0

    def checkpoints(self) -> Iterator[StoredCheckpoint]:
        yield from self._log.checkpoints[: self._base_checkpoints]
        yield from self._staged.checkpoints

    def latest_checkpoint(self) -> StoredCheckpoint | None:
        # Sizes only grow: each batch's checkpoint is at its end, and batches start at the end.
        if self._staged.checkpoints:
            return self._staged.checkpoints[-1]
        count = self._base_checkpoints
        return self._log.checkpoints[count - 1] if count else None

    def checkpoint(self, size: int) -> StoredCheckpoint | None:
        visible = [*self._log.checkpoints[: self._base_checkpoints], *self._staged.checkpoints]
        i = bisect.bisect_left(visible, size, key=lambda cp: cp.size)
        return visible[i] if i < len(visible) and visible[i].size == size else None

    def cosignatures(self, size: int) -> list[str]:
        return [*self._log.cosignatures.get(size, []), *self._staged.cosignatures.get(size, [])]

    # -- LedgerWriter ------------------------------------------------------------------------

    def add_cosignatures(
        self,
        size: int,
        lines: Sequence[tuple[str, str]],
        time: str,  # noqa: ARG002 -- memory keeps no times
    ) -> int:
        if not self._writable:
            raise RuntimeError("add_cosignatures in a read transaction")
        known = set(self.cosignatures(size))
        staged = self._staged.cosignatures.setdefault(size, [])
        added = 0
        for _, line in lines:
            if line not in known:
                known.add(line)
                staged.append(line)
                added += 1
        return added

    def append(self, batch: AppendBatch) -> None:
        if not self._writable:
            raise RuntimeError("append in a read transaction")
        check_batch(batch, self.size())
        seen: set[tuple[str, int]] = set()
        for e in batch.entries:
            if (e.stream, e.version) in seen:
                raise Conflict(
                    f"stream {e.stream!r} version {e.version} appears twice in one batch"
                )
            seen.add((e.stream, e.version))
            for version, seq in self._versions(e.stream):
                if version == e.version:
                    raise Conflict(
                        f"stream {e.stream!r} version {e.version} is already taken (by entry "
                        f"{seq}): someone else changed it first; reload and retry"
                    )
        for key, _ in batch.nodes:
            if self._node(key) is not None:
                raise Conflict(f"the batch at {batch.start} collides with stored node {key}")
        latest = self.latest_checkpoint()
        if latest is not None and latest.size == batch.checkpoint.size:
            raise Conflict(f"a checkpoint of size {batch.checkpoint.size} is already stored")
        self._staged.add(batch)
        self.staged.append(batch)


@dataclass(frozen=True, slots=True)
class MemoryWriteUnit:
    ledger: MemoryLedgerStore


@dataclass(frozen=True, slots=True)
class MemoryReadUnit:
    ledger: LedgerReader


class MemoryStorage:
    """In-memory storage with :class:`~amanah.storage.ledger_store.SqlStorage`'s shape."""

    def __init__(self) -> None:
        self._log = _Log()
        self._lock = threading.Lock()
        # (size, checkpoint count), replaced in one assignment when a writer commits.
        self._published = (0, 0)

    @contextmanager
    def writer(self) -> Iterator[MemoryWriteUnit]:
        """One writer at a time; its appends are published only if the block ends normally."""
        with self._lock:
            size, count = self._published
            store = MemoryLedgerStore(self._log, size, count, writable=True)
            yield MemoryWriteUnit(store)
            for batch in store.staged:
                self._log.add(batch)
            for size, lines in store.staged_cosignatures().items():
                self._log.cosignatures.setdefault(size, []).extend(lines)
            self._published = (len(self._log.entries), len(self._log.checkpoints))

    @contextmanager
    def reader(self) -> Iterator[MemoryReadUnit]:
        """A snapshot of what was committed when the block began."""
        size, count = self._published
        yield MemoryReadUnit(MemoryLedgerStore(self._log, size, count, writable=False))

    def close(self) -> None:
        """Nothing to release."""
