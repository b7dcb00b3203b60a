"""Use cases on the log itself: open it, show its checkpoint, prove, audit, export."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from amanah import __version__
from amanah.clock import Clock
from amanah.domain.log.events import LogOpened
from amanah.domain.shared import Actor
from amanah.errors import InvalidInput, NotFound, Refused
from amanah.ledger import merkle, proof, tiles
from amanah.ledger.audit import AuditReport, audit
from amanah.ledger.ports import StoredCheckpoint
from amanah.ledger.signing import Verifier
from amanah.ledger.witness import build_add_checkpoint_request
from amanah.services.dispatch import Recorder
from amanah.services.ports import Storage

LOG_STREAM = "log"


@dataclass
class LedgerService:
    storage: Storage
    recorder: Recorder
    verifier: Verifier
    vkey: str
    clock: Clock

    @property
    def origin(self) -> str:
        return self.recorder.log.origin

    def open_log(self, party: str, actor: Actor) -> StoredCheckpoint:
        """Write entry 0, which names the log and its key; refused if the log has entries."""
        with self.storage.writer() as unit:
            if unit.ledger.size() != 0:
                raise Refused("this log is already open")
            event = LogOpened(self.origin, self.vkey, party, f"amanah {__version__}")
            appended = self.recorder.record(
                unit, LOG_STREAM, [event], actor=actor, now=self.clock.now()
            )
        return appended[-1].checkpoint

    def size(self) -> int:
        with self.storage.reader() as view:
            return view.ledger.size()

    def latest_checkpoint(self) -> StoredCheckpoint:
        with self.storage.reader() as view:
            latest = view.ledger.latest_checkpoint()
        if latest is None:
            raise NotFound("the log has no checkpoint yet")
        return latest

    def checkpoint_at(self, size: int) -> StoredCheckpoint:
        with self.storage.reader() as view:
            for row in view.ledger.checkpoints():
                if row.size == size:
                    return row
                if row.size > size:
                    raise NotFound(
                        f"no checkpoint at size {size}; the next one is at size {row.size}"
                    )
        raise NotFound(f"no checkpoint at size {size}")

    def audit(self, progress: Callable[[int], None] | None = None) -> AuditReport:
        with self.storage.reader() as view:
            return audit(view.ledger, self.verifier, self.origin, progress)

    def prove(self, index: int, size: int | None = None) -> bytes:
        """A C2SP tlog-proof for entry ``index`` against the checkpoint at ``size``."""
        cp = self.latest_checkpoint() if size is None else self.checkpoint_at(size)
        if not 0 <= index < cp.size:
            raise InvalidInput(f"index {index} is not in the log of size {cp.size}")
        with self.storage.reader() as view:
            return proof.build_proof(view.ledger, index, cp.note, cp.size)

    def entry(self, index: int) -> bytes:
        with self.storage.reader() as view:
            row = view.ledger.entry(index)
        if row is None:
            raise NotFound(f"no entry {index}")
        return row.body

    def consistency(self, old: int, new: int | None = None) -> list[bytes]:
        """RFC 6962 consistency proof between two sizes (``new`` defaults to the size now)."""
        with self.storage.reader() as view:
            size = view.ledger.size()
            target = size if new is None else new
            if not 0 <= old <= target:
                raise InvalidInput(f"old size {old} must be between 0 and new size {target}")
            if target > size:
                raise InvalidInput(f"new size {target} is larger than the log ({size})")
            return merkle.consistency_proof(old, target, view.ledger)

    def witness_request(self, old: int) -> bytes:
        """A C2SP tlog-witness add-checkpoint request from size ``old`` to the latest checkpoint."""
        latest = self.latest_checkpoint()
        if not 0 <= old <= latest.size:
            raise InvalidInput(f"old size {old} must be between 0 and {latest.size}")
        with self.storage.reader() as view:
            hashes = merkle.consistency_proof(old, latest.size, view.ledger)
        return build_add_checkpoint_request(old, hashes, latest.note)

    def export_tiles(self) -> Iterator[tuple[str, bytes]]:
        """Every file of a C2SP tlog-tiles copy of the log at its latest checkpoint."""
        latest = self.latest_checkpoint()
        with self.storage.reader() as view:
            yield from tiles.export_tiles(view.ledger, latest.note, latest.size)
