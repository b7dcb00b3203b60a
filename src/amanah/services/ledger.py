"""Use cases on the log itself: open it, show its checkpoint, prove, audit, export.

Also the offline checks a guarantor runs with nothing but files (:func:`verify_receipt`) and
the tlog-policy a guarantor is handed for this log (:meth:`LedgerService.policy`).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from amanah import __version__
from amanah.clock import Clock
from amanah.domain.log.events import LogOpened
from amanah.domain.shared import Actor, format_time
from amanah.errors import (
    InvalidInput,
    MalformedNote,
    MalformedPolicy,
    NotFound,
    NotInitialised,
    Refused,
    VerificationFailed,
)
from amanah.ledger import merkle, proof, tiles
from amanah.ledger.audit import AuditReport, audit
from amanah.ledger.checkpoint import Checkpoint
from amanah.ledger.note import add_signature_lines, parse_note, parse_signature_line
from amanah.ledger.policy import (
    NONE,
    Policy,
    PolicyGroup,
    PolicyLog,
    PolicyWitness,
    format_policy,
    parse_policy,
)
from amanah.ledger.ports import LedgerReader, StoredCheckpoint, StoredEntry
from amanah.ledger.signing import (
    CosignatureVerifier,
    Ed25519Verifier,
    Verifier,
    cosignature_timestamp,
)
from amanah.ledger.witness import build_add_checkpoint_request
from amanah.services.dispatch import Recorder
from amanah.services.ports import Storage

LOG_STREAM = "log"
WITNESS_GROUP = "witnesses"


@dataclass(frozen=True)
class Cosigned:
    """A witness's cosignature on a checkpoint: the witness's key name, key ID (hex), and
    when it cosigned (RFC 3339 UTC; None for a plain signature that carries no time)."""

    witness: str
    key_id: str
    time: str | None


@dataclass(frozen=True)
class Published:
    """The latest checkpoint as a person reads it: size, root, the note with its
    cosignatures, and who cosigned it."""

    origin: str
    size: int
    root: bytes
    note: bytes
    signed_at: str
    cosignatures: tuple[Cosigned, ...]


@dataclass(frozen=True)
class VerifiedReceipt:
    """A receipt that verified: entry ``index`` is in ``checkpoint``'s tree."""

    index: int
    checkpoint: Checkpoint

    def to_json(self) -> dict[str, object]:
        return {
            "ok": True,
            "origin": self.checkpoint.origin,
            "index": self.index,
            "size": self.checkpoint.size,
            "root": base64.b64encode(self.checkpoint.root).decode("ascii"),
        }


def log_only_policy(vkey: str) -> Policy:
    """A tlog-policy that accepts the log's own signature and asks for no witness."""
    return parse_policy(format_policy([PolicyLog(_log_verifier(vkey))], [], [], NONE))


def witness_policy(log_vkey: str, witness_vkeys: Sequence[str], quorum: int | None) -> str:
    """A tlog-policy text: the log, the witnesses, and ``quorum`` of them (default: all).

    Each witness is named after its key name; with no witness the quorum is ``none``.
    """
    log = PolicyLog(_log_verifier(log_vkey))
    witnesses: list[PolicyWitness] = []
    for vkey in witness_vkeys:
        verifier = CosignatureVerifier.from_vkey(vkey)
        if any(w.name == verifier.name for w in witnesses):
            raise InvalidInput(f"two witness keys are named {verifier.name}")
        witnesses.append(PolicyWitness(verifier.name, verifier))
    if not witnesses:
        if quorum is not None:
            raise InvalidInput("a quorum needs at least one --witness")
        return format_policy([log], [], [], NONE)
    k = len(witnesses) if quorum is None else quorum
    if not 1 <= k <= len(witnesses):
        raise InvalidInput(f"quorum {k} is not in 1..{len(witnesses)} (the witnesses given)")
    group = PolicyGroup(WITNESS_GROUP, k, tuple(w.name for w in witnesses))
    try:
        return format_policy([log], witnesses, [group], WITNESS_GROUP)
    except MalformedPolicy as err:
        raise InvalidInput(f"cannot write the policy: {err}") from None


def _log_verifier(vkey: str) -> Ed25519Verifier:
    try:
        return Ed25519Verifier.from_vkey(vkey)
    except InvalidInput as err:
        raise InvalidInput(f"not a log verifier key: {err}") from None


def verify_receipt(receipt: bytes, entry: bytes, policy: Policy) -> VerifiedReceipt:
    """Verify a tlog-proof receipt offline (see :func:`amanah.ledger.proof.verify_receipt`).

    Raises :class:`MalformedProof`/:class:`MalformedNote` for a file that does not parse and
    :class:`VerificationFailed` when the signatures, quorum or inclusion proof do not hold.
    """
    checkpoint = proof.verify_receipt(receipt, entry, policy)
    return VerifiedReceipt(proof.parse_proof(receipt).index, checkpoint)


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

    def check_is_own_log(self) -> None:
        """Refuse a database that does not hold this home's log (entry 0 names its key).

        Guards against a missing, swapped or mistyped database becoming a new log signed by
        the same key: that would be a fork, the one thing a log must never sign.
        """
        with self.storage.reader() as view:
            first = view.ledger.entry(0)
        if first is None:
            raise NotInitialised(
                "the database holds no log; if the data home was moved, point --db at its "
                "database, or create a new home with `amanah init`"
            )
        try:
            data = json.loads(first.body)["data"]
            opened = first.type == LogOpened.TYPE and data["vkey"] == self.vkey
        except (ValueError, KeyError, TypeError):
            opened = False
        if not opened:
            raise VerificationFailed(
                "the database holds another log than this home's (its entry 0 does not name "
                "this home's key); refusing to sign anything on it"
            )

    def size(self) -> int:
        with self.storage.reader() as view:
            return view.ledger.size()

    def latest_checkpoint(self) -> StoredCheckpoint:
        with self.storage.reader() as view:
            latest = view.ledger.latest_checkpoint()
        if latest is None:
            raise NotFound("the log has no checkpoint yet")
        return latest

    def published_checkpoint(self) -> bytes:
        """The latest checkpoint note with every witness cosignature stored for it."""
        latest = self.latest_checkpoint()
        with self.storage.reader() as view:
            return _cosigned(view.ledger, latest)

    def published(self) -> Published:
        """The latest checkpoint with its cosignatures, and the witnesses named in them."""
        latest = self.latest_checkpoint()
        with self.storage.reader() as view:
            note = _cosigned(view.ledger, latest)
        own = (self.verifier.name, self.verifier.key_id)
        witnesses = []
        for sig in parse_note(note).signatures:
            if (sig.name, sig.key_id) == own:
                continue
            try:
                moment: str | None = format_time(
                    datetime.fromtimestamp(cosignature_timestamp(sig.payload), UTC)
                )
            except (MalformedNote, OverflowError, ValueError, OSError):
                moment = None
            witnesses.append(Cosigned(sig.name, sig.key_id.hex(), moment))
        return Published(self.origin, latest.size, latest.root, note, latest.time, tuple(witnesses))

    def add_cosignatures(
        self, data: bytes, witness_vkeys: Sequence[str], size: int | None = None
    ) -> tuple[int, int]:
        """Verify witness cosignature lines over the checkpoint of ``size`` (default: the
        latest) and store them, so that checkpoints and receipts carry them.

        Returns ``(size, how many were new)``. Every line must verify under one of
        ``witness_vkeys``: nothing is stored unless all do.
        """
        verifiers: dict[tuple[str, bytes], CosignatureVerifier] = {}
        for vkey in witness_vkeys:
            witness = CosignatureVerifier.from_vkey(vkey)
            verifiers[(witness.name, witness.key_id)] = witness
        if not verifiers:
            raise InvalidInput("name the witness key(s) the cosignatures are from (--witness)")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInput("the cosignature file is not UTF-8 text") from None
        lines = [line for line in text.splitlines() if line.strip()]
        if not lines:
            raise InvalidInput("the cosignature file holds no cosignature line")
        cp = self.latest_checkpoint() if size is None else self.checkpoint_at(size)
        body = parse_note(cp.note).text.encode("utf-8")
        checked: list[tuple[str, str]] = []
        for number, line in enumerate(lines, start=1):
            sig = parse_signature_line(line)
            found = verifiers.get((sig.name, sig.key_id))
            if found is None:
                raise InvalidInput(f"line {number}: a signature by {sig.name}, not a given witness")
            if not found.verify(body, sig.payload):
                raise VerificationFailed(
                    f"line {number}: {sig.name}'s cosignature does not verify over the "
                    f"checkpoint of size {cp.size}"
                )
            checked.append((sig.name, sig.line()))
        with self.storage.writer() as unit:
            added = unit.ledger.add_cosignatures(cp.size, checked, format_time(self.clock.now()))
        return cp.size, added

    def checkpoint_at(self, size: int) -> StoredCheckpoint:
        with self.storage.reader() as view:
            row = view.ledger.checkpoint(size)
        if row is None:
            raise NotFound(
                f"no checkpoint at size {size}: checkpoints are made after each committed "
                "batch (`amanah ledger checkpoint` shows the latest)"
            )
        return row

    def audit(self, progress: Callable[[int], None] | None = None) -> AuditReport:
        with self.storage.reader() as view:
            return audit(view.ledger, self.verifier, self.origin, progress)

    def prove(self, index: int, size: int | None = None) -> bytes:
        """A C2SP tlog-proof for entry ``index`` against the checkpoint at ``size``."""
        cp = self.latest_checkpoint() if size is None else self.checkpoint_at(size)
        if not 0 <= index < cp.size:
            raise InvalidInput(f"index {index} is not in the log of size {cp.size}")
        with self.storage.reader() as view:
            return proof.build_proof(view.ledger, index, _cosigned(view.ledger, cp), cp.size)

    def latest_entries(self, limit: int) -> list[StoredEntry]:
        """The newest ``limit`` entries, newest first."""
        with self.storage.reader() as view:
            size = view.ledger.size()
            found = list(view.ledger.entries(max(0, size - limit), size))
        return found[::-1]

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

    def policy(self, witness_vkeys: Sequence[str], quorum: int | None = None) -> str:
        """A tlog-policy for this log and the given witnesses (see :func:`witness_policy`)."""
        return witness_policy(self.vkey, witness_vkeys, quorum)

    def export_tiles(self) -> Iterator[tuple[str, bytes]]:
        """Every file of a C2SP tlog-tiles copy of the log at its latest checkpoint."""
        latest = self.latest_checkpoint()
        with self.storage.reader() as view:
            yield from tiles.export_tiles(view.ledger, latest.note, latest.size)


def _cosigned(ledger: LedgerReader, checkpoint: StoredCheckpoint) -> bytes:
    """The checkpoint's note with the witness cosignatures stored for it."""
    return add_signature_lines(checkpoint.note, ledger.cosignatures(checkpoint.size))
