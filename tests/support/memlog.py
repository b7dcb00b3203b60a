"""An in-memory :class:`~amanah.ledger.ports.LedgerReader` for unit tests of the ledger formats.

Built with the real :class:`~amanah.ledger.merkle.CompactRange` and
:func:`~amanah.ledger.hashing.leaf_hash`, so its node table holds exactly what a store holds:
every perfect subtree under :func:`~amanah.ledger.merkle.node_key`. Entry bodies are whatever
bytes the test passes (the tile and proof formats do not care about the entry format).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

from amanah.ledger.checkpoint import Checkpoint, sign_checkpoint
from amanah.ledger.hashing import leaf_hash
from amanah.ledger.merkle import CompactRange, node_key
from amanah.ledger.ports import StoredCheckpoint, StoredEntry
from amanah.ledger.signing import Signer

TIME = "2026-01-20T06:00:00Z"


class MemoryLog:
    """A log in lists and dicts: ``append`` bodies, ``commit`` a signed checkpoint."""

    def __init__(self, origin: str, signer: Signer | None = None) -> None:
        self.origin = origin
        self.signer = signer
        self.bodies: list[bytes] = []
        self.nodes: dict[int, bytes] = {}
        self.range = CompactRange()
        self._checkpoints: list[StoredCheckpoint] = []

    def append(self, body: bytes) -> int:
        """Add one entry; returns its index."""
        self.range.append(leaf_hash(body), self.nodes.__setitem__)
        self.bodies.append(body)
        return len(self.bodies) - 1

    def extend(self, bodies: Iterable[bytes]) -> None:
        for body in bodies:
            self.append(body)

    def commit(self) -> bytes:
        """Sign a checkpoint over the current tree, store it and return the note."""
        if self.signer is None:
            raise ValueError("this MemoryLog has no signer")
        note = sign_checkpoint(self.current_checkpoint(), self.signer)
        self._checkpoints.append(StoredCheckpoint(self.range.size, self.range.root(), note, TIME))
        return note

    def current_checkpoint(self) -> Checkpoint:
        """The (unsigned) checkpoint of the current tree."""
        return Checkpoint(self.origin, self.range.size, self.range.root())

    def root(self) -> bytes:
        return self.range.root()

    # --- LedgerReader ------------------------------------------------------------------

    def size(self) -> int:
        return len(self.bodies)

    def get_nodes(self, keys: Sequence[int]) -> Mapping[int, bytes]:
        return {key: self.nodes[key] for key in keys}

    def cosignatures(self, size: int) -> list[str]:
        return []

    def leaf_hashes(self, start: int, end: int) -> list[bytes]:
        last = min(end, len(self.bodies))
        return [self.nodes[node_key(0, i)] for i in range(max(start, 0), last)]

    def _row(self, seq: int) -> StoredEntry:
        return StoredEntry(
            seq, f"s{seq % 7}", seq // 7 + 1, "test.appended", TIME, self.bodies[seq]
        )

    def entries(self, start: int, end: int) -> Iterator[StoredEntry]:
        for seq in range(max(start, 0), min(end, len(self.bodies))):
            yield self._row(seq)

    def entry(self, seq: int) -> StoredEntry | None:
        return self._row(seq) if 0 <= seq < len(self.bodies) else None

    def stream(self, stream: str) -> list[StoredEntry]:
        return [r for r in self.entries(0, len(self.bodies)) if r.stream == stream]

    def stream_version(self, stream: str) -> int:
        rows = self.stream(stream)
        return rows[-1].version if rows else 0

    def checkpoints(self) -> Iterator[StoredCheckpoint]:
        yield from self._checkpoints

    def latest_checkpoint(self) -> StoredCheckpoint | None:
        return self._checkpoints[-1] if self._checkpoints else None

    def checkpoint(self, size: int) -> StoredCheckpoint | None:
        return next((cp for cp in self._checkpoints if cp.size == size), None)


def entry_body(i: int) -> bytes:
    """A distinct, variable-length test entry."""
    return b'{"seq":%d,"pad":"%s"}' % (i, b"x" * (i % 13))
