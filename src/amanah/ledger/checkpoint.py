"""C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint v1.0.0): a log's signed tree head.

The note text is at least three non-empty lines: origin, tree size (ASCII decimal, no leading
zeroes), base64 RFC 6962 root hash, then optional non-empty extension lines. It is signed as a
C2SP signed-note; witnesses add tlog-cosignature/v1 lines to the same note.

Deviations, both stricter than the spec's text and matching what every known producer emits:
the size must fit in 64 bits (as transparency-dev/formats requires), and the root hash must be
exactly 32 bytes in *canonical* base64, so one tree head has exactly one body.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass

from amanah.errors import MalformedNote, VerificationFailed
from amanah.ledger import merkle
from amanah.ledger.hashing import HASH_SIZE
from amanah.ledger.merkle import HashSource
from amanah.ledger.note import Note, open_note, parse_note, sign_note
from amanah.ledger.signing import CosignatureVerifier, Signer, Verifier, b64decode_strict

MAX_SIZE = 2**64 - 1


def _check_line(what: str, line: str) -> None:
    if not line:
        raise MalformedNote(f"checkpoint {what} line is empty")
    if any(ch < " " for ch in line):
        raise MalformedNote(f"checkpoint {what} line contains a control character")


@dataclass(frozen=True)
class Checkpoint:
    """A tree head: the log's origin line, its size and root, and any extension lines."""

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_line("origin", self.origin)
        if not 0 <= self.size <= MAX_SIZE:
            raise MalformedNote(f"checkpoint size {self.size} is outside 0..2^64-1")
        if len(self.root) != HASH_SIZE:
            raise MalformedNote(f"checkpoint root must be {HASH_SIZE} bytes")
        for line in self.extensions:
            _check_line("extension", line)

    def body(self) -> str:
        """The note text: origin, size, base64 root and extension lines, each newline-ended."""
        root = base64.b64encode(self.root).decode("ascii")
        lines = [self.origin, str(self.size), root, *self.extensions]
        return "".join(line + "\n" for line in lines)


def parse_checkpoint(text: str) -> Checkpoint:
    """Parse a checkpoint note text (not the signatures). Raises :class:`MalformedNote`."""
    if not text.endswith("\n"):
        raise MalformedNote("checkpoint text must end in a newline")
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        raise MalformedNote("checkpoint needs origin, size and root hash lines")
    origin, size_line, root_line, *extensions = lines
    if not (size_line.isascii() and size_line.isdigit()) or (
        size_line.startswith("0") and size_line != "0"
    ):
        raise MalformedNote(f"checkpoint size {size_line!r} is not a decimal without leading zeros")
    try:
        root = b64decode_strict(root_line)
    except ValueError:
        raise MalformedNote("checkpoint root hash is not valid base64") from None
    if len(root) != HASH_SIZE or base64.b64encode(root).decode("ascii") != root_line:
        raise MalformedNote(f"checkpoint root hash is not {HASH_SIZE} bytes of canonical base64")
    return Checkpoint(origin, int(size_line), root, tuple(extensions))


def sign_checkpoint(checkpoint: Checkpoint, signer: Signer) -> bytes:
    """The checkpoint as a signed note, signed by the log's key."""
    return sign_note(checkpoint.body(), [signer])


def open_checkpoint(
    data: bytes, log_verifier: Verifier, origin: str | None = None
) -> tuple[Checkpoint, Note]:
    """Verify the log's signature on a checkpoint note and parse it.

    The origin line must equal ``origin`` if given, else the log key's name.
    Raises :class:`MalformedNote` or :class:`VerificationFailed`.
    """
    note, _ = open_note(data, [log_verifier])
    checkpoint = parse_checkpoint(note.text)
    expected = log_verifier.name if origin is None else origin
    if checkpoint.origin != expected:
        raise VerificationFailed(
            f"checkpoint origin {checkpoint.origin!r} is not the expected {expected!r}"
        )
    return checkpoint, note


def cosignatures(note: Note, verifiers: Sequence[CosignatureVerifier]) -> dict[str, int]:
    """Witness key name → timestamp for each cosignature on ``note`` that verifies.

    Lines from unknown keys and lines that fail to verify are left out; if one witness name
    has several valid cosignatures, the latest time is kept.
    """
    by_key = {(v.name, bytes(v.key_id)): v for v in verifiers}
    message = note.text.encode("utf-8")
    found: dict[str, int] = {}
    for sig in note.signatures:
        verifier = by_key.get((sig.name, sig.key_id))
        if verifier is None or not verifier.verify(message, sig.payload):
            continue
        timestamp = verifier.timestamp_of(sig.payload)
        found[sig.name] = max(timestamp, found.get(sig.name, timestamp))
    return found


def require_stored(reader: HashSource, stored_size: int, note: bytes, size: int, what: str) -> None:
    """Refuse to publish ``note`` unless it is for ``size`` and the stored tree has its root.

    ``what`` names the publication (``"a receipt"``, ``"the tiles"``) in the error. Raises
    :class:`VerificationFailed`: a checkpoint that disagrees with the store would give
    outside parties something that can never verify.
    """
    try:
        checkpoint = parse_checkpoint(parse_note(note).text)
    except MalformedNote as err:
        raise VerificationFailed(
            f"cannot build {what}: the checkpoint does not parse: {err}"
        ) from None
    if checkpoint.size != size:
        raise VerificationFailed(
            f"cannot build {what}: the checkpoint is for size {checkpoint.size}, not {size}"
        )
    if not 0 <= size <= stored_size:
        raise VerificationFailed(f"cannot build {what} for size {size}: the log has {stored_size}")
    if merkle.root(size, reader) != checkpoint.root:
        raise VerificationFailed(
            f"cannot build {what}: the stored tree of size {size} has another root"
        )
