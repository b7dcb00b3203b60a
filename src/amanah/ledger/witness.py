"""C2SP tlog-witness (c2sp.org/tlog-witness) ``add-checkpoint``, as a pure object.

A request body is ``old <size>\\n``, up to 63 base64 consistency-proof hash lines, an empty line,
then a signed checkpoint note. :meth:`Witness.add_checkpoint` runs the spec's checks in the
spec's order and answers with cosignature/v1 lines (c2sp.org/tlog-cosignature), or raises
:class:`~amanah.errors.WitnessRefusal` whose ``kind`` maps to the spec's HTTP status through
:data:`HTTP_STATUS`:

1. the body does not parse                                  -> ``bad_request``   400
2. the checkpoint's origin is not a log this witness knows  -> ``unknown_log``   404
3. no signature verifies under the log's key                -> ``bad_signature`` 403
4. the old size is larger than the checkpoint's size        -> ``bad_request``   400
5. the old size is not the size last cosigned (0 if none)   -> ``conflict``      409,
   with ``known_size`` (the HTTP layer answers ``<size>\\n`` as ``text/x.tlog.size``)
6. the consistency proof does not verify (it must be empty
   from size 0, and between equal sizes)                    -> ``bad_proof``     422
7. same size as last cosigned but a different root          -> ``fork``          409
   (no size body: resending cannot help; this is evidence of a forked log)

Only then is the new ``(size, root)`` written with ``state.put``, which must be durable when it
returns; the cosignature is returned after that and never if ``put`` raises. Together with
check 5 this means the witness never cosigns a smaller size than it stored (rollback) nor a
different root for the stored size (fork).

Deviations and choices:

- Atomicity of "check old size, then persist": one :class:`Witness` serialises its requests
  with a lock. Several processes sharing one state store need the store to serialise them
  (the spec's race is between processes too); :class:`WitnessStateStore` does not offer a
  compare-and-swap.
- A checkpoint whose known-key signature fails is refused with 403 even if another known
  signature verifies (stricter than "none verify"; see :func:`amanah.ledger.note.open_note`).
- A same-size resubmission with the same root is cosigned again (with a fresh timestamp), as
  transparency-dev/witness does, to show freshness.
- Storage failures are not refusals: whatever ``put`` raises propagates (HTTP 500).
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from amanah.errors import MalformedNote, MalformedProof, VerificationFailed, WitnessRefusal
from amanah.ledger import merkle
from amanah.ledger.checkpoint import MAX_SIZE, Checkpoint, open_checkpoint, parse_checkpoint
from amanah.ledger.hashing import EMPTY_ROOT, HASH_SIZE
from amanah.ledger.note import parse_note
from amanah.ledger.signing import CosignatureSigner, Verifier, b64decode_strict

MAX_PROOF_LINES = 63
MAX_REQUEST_BYTES = 16 * 1024  # transparency-dev/witness's limit; a checkpoint is far smaller

HTTP_STATUS: Mapping[str, int] = {
    "bad_request": 400,
    "bad_signature": 403,
    "unknown_log": 404,
    "conflict": 409,
    "fork": 409,
    "bad_proof": 422,
}
SIZE_CONTENT_TYPE = "text/x.tlog.size"


class WitnessStateStore(Protocol):
    """The witness's memory: the last cosigned ``(size, root)`` per log origin."""

    def get(self, origin: str) -> tuple[int, bytes] | None:
        """The last cosigned size and root for ``origin``, or ``None`` if never cosigned."""
        ...

    def put(self, origin: str, size: int, root: bytes) -> None:
        """Record a cosigned size and root. Must be durable before it returns."""
        ...


class MemoryWitnessState:
    """A :class:`WitnessStateStore` in a dict (tests; not durable)."""

    def __init__(self) -> None:
        self.records: dict[str, tuple[int, bytes]] = {}

    def get(self, origin: str) -> tuple[int, bytes] | None:
        return self.records.get(origin)

    def put(self, origin: str, size: int, root: bytes) -> None:
        self.records[origin] = (size, root)


def _decimal(text: str) -> int | None:
    if not (text.isascii() and text.isdigit()) or (text.startswith("0") and text != "0"):
        return None
    value = int(text)
    return value if value <= MAX_SIZE else None


def parse_add_checkpoint_request(body: bytes) -> tuple[int, list[bytes], bytes]:
    """Split a request into ``(old size, proof hashes, checkpoint note bytes)``.

    Raises :class:`WitnessRefusal` ``bad_request`` if it does not follow the spec's grammar.
    """

    def bad(why: str) -> WitnessRefusal:
        return WitnessRefusal("bad_request", f"malformed add-checkpoint request: {why}")

    if len(body) > MAX_REQUEST_BYTES:
        raise bad(f"larger than {MAX_REQUEST_BYTES} bytes")
    lines: list[bytes] = []
    pos = 0
    while True:
        end = body.find(b"\n", pos)
        if end < 0:
            raise bad("no empty line before the checkpoint")
        line = body[pos:end]
        pos = end + 1
        if not line:
            break
        lines.append(line)
    if not lines:
        raise bad("no old size line")
    first, *proof_lines = lines
    try:
        first_text = first.decode("ascii")
    except UnicodeDecodeError:
        raise bad("the old size line is not ASCII") from None
    keyword, space, number = first_text.partition(" ")
    old = _decimal(number)
    if keyword != "old" or not space or old is None:
        raise bad("the first line must be 'old <size>' with a decimal size")
    if len(proof_lines) > MAX_PROOF_LINES:
        raise bad(f"more than {MAX_PROOF_LINES} consistency proof lines")
    proof: list[bytes] = []
    for i, line in enumerate(proof_lines):
        try:
            digest = b64decode_strict(line.decode("ascii"))
        except (UnicodeDecodeError, ValueError):
            raise bad(f"proof line {i + 1} is not base64") from None
        if len(digest) != HASH_SIZE:
            raise bad(f"proof line {i + 1} is {len(digest)} bytes, not a SHA-256 hash")
        proof.append(digest)
    return old, proof, body[pos:]


def build_add_checkpoint_request(old_size: int, proof: Sequence[bytes], note: bytes) -> bytes:
    """The ``add-checkpoint`` request body: old size, proof hashes, empty line, note."""
    if not 0 <= old_size <= MAX_SIZE:
        raise ValueError(f"old size {old_size} is outside 0..2^64-1")
    if len(proof) > MAX_PROOF_LINES:
        raise ValueError(f"a consistency proof has at most {MAX_PROOF_LINES} hashes")
    lines = [b"old %d\n" % old_size]
    lines += [base64.b64encode(h) + b"\n" for h in proof]
    return b"".join(lines) + b"\n" + note


class Witness:
    """A witness for a set of logs: verifies, remembers and cosigns their checkpoints.

    ``logs`` maps each origin to the log's note key; ``clock`` returns POSIX seconds for the
    cosignature timestamps.
    """

    def __init__(
        self,
        signer: CosignatureSigner,
        logs: Mapping[str, Verifier],
        state: WitnessStateStore,
        clock: Callable[[], int],
    ) -> None:
        self.signer = signer
        self.logs = dict(logs)
        self.state = state
        self.clock = clock
        self._lock = threading.Lock()

    def add_checkpoint(self, request: bytes) -> bytes:
        """Handle one ``add-checkpoint`` request body; return the cosignature line(s).

        Raises :class:`WitnessRefusal` (see the module docstring for the kinds, in order).
        """
        old, proof, note_bytes = parse_add_checkpoint_request(request)
        try:
            checkpoint = parse_checkpoint(parse_note(note_bytes).text)
        except MalformedNote as err:
            raise WitnessRefusal("bad_request", f"malformed checkpoint: {err}") from None
        verifier = self.logs.get(checkpoint.origin)
        if verifier is None:
            raise WitnessRefusal("unknown_log", f"unknown log {checkpoint.origin!r}")
        try:
            _, note = open_checkpoint(note_bytes, verifier, checkpoint.origin)
        except (MalformedNote, VerificationFailed) as err:
            raise WitnessRefusal(
                "bad_signature", f"checkpoint of {checkpoint.origin}: {err}"
            ) from None
        if old > checkpoint.size:
            raise WitnessRefusal(
                "bad_request", f"old size {old} is larger than the checkpoint's {checkpoint.size}"
            )
        with self._lock:
            self._check_against_state(old, proof, checkpoint)
            line = self.signer.cosign(note.text, self.clock())
            self.state.put(checkpoint.origin, checkpoint.size, checkpoint.root)
        return line.encode("utf-8")

    def _check_against_state(self, old: int, proof: list[bytes], checkpoint: Checkpoint) -> None:
        known_size, known_root = self.state.get(checkpoint.origin) or (0, EMPTY_ROOT)
        if old != known_size:
            raise WitnessRefusal(
                "conflict",
                f"old size {old} is not the size last cosigned for {checkpoint.origin}, "
                f"{known_size}",
                known_size=known_size,
            )
        if old == checkpoint.size:
            if proof:
                raise WitnessRefusal("bad_proof", "a proof between equal sizes must be empty")
            if known_root != checkpoint.root:
                raise WitnessRefusal(
                    "fork",
                    f"{checkpoint.origin} signed two different roots for size {old}: "
                    "the log is forked",
                )
            return
        try:
            merkle.verify_consistency(old, checkpoint.size, known_root, checkpoint.root, proof)
        except (MalformedProof, VerificationFailed) as err:
            raise WitnessRefusal(
                "bad_proof", f"consistency proof from {old} to {checkpoint.size}: {err}"
            ) from None
