"""C2SP tlog-proof (c2sp.org/tlog-proof, ``c2sp.org/tlog-proof@v1``): offline receipts.

A receipt is a sequence of newline-terminated lines::

    c2sp.org/tlog-proof@v1
    extra <base64>             (optional, opaque and NOT authenticated)
    index <decimal>
    <base64 hash>              (zero or more: the RFC 6962 §2.1.1 inclusion proof,
    ...                         from the leaf's sibling up to the root's child)
                               (an empty line)
    <checkpoint note, verbatim, with the log's signature and witness cosignatures>

:func:`verify_receipt` needs nothing but the receipt, the entry bytes and a tlog-policy: the
policy checks the log's signature and the witness quorum, then the entry's leaf hash is proven
to sit at ``index`` under the checkpoint's root.

Choices where the spec is silent: decimals must fit in 64 bits; proof hashes must be exactly 32
bytes of canonical base64; at most 64 proof lines (the longest path in a 2^64-leaf tree);
``extra`` must be valid base64 (it may be empty). The checkpoint must parse as a signed
checkpoint note, so a receipt with a mangled note is malformed rather than merely unverified.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass

from amanah.errors import MalformedNote, MalformedProof
from amanah.ledger import merkle
from amanah.ledger.checkpoint import MAX_SIZE, Checkpoint, parse_checkpoint, require_stored
from amanah.ledger.hashing import HASH_SIZE, leaf_hash
from amanah.ledger.note import parse_note
from amanah.ledger.policy import Policy
from amanah.ledger.ports import LedgerReader
from amanah.ledger.signing import b64decode_strict

HEADER = b"c2sp.org/tlog-proof@v1"
FILE_EXTENSION = ".tlog-proof"
MAX_PROOF_HASHES = 64


@dataclass(frozen=True)
class TlogProof:
    """A parsed receipt. ``checkpoint`` is the signed note's bytes, exactly as in the file."""

    index: int
    proof: tuple[bytes, ...]
    checkpoint: bytes
    extra: bytes | None = None

    def to_bytes(self) -> bytes:
        """The receipt in tlog-proof form."""
        return format_proof(self.index, self.proof, self.checkpoint, self.extra)


def _b64(data: bytes) -> bytes:
    return base64.b64encode(data)


def format_proof(
    index: int, proof: Sequence[bytes], checkpoint_note: bytes, extra: bytes | None = None
) -> bytes:
    """Write a receipt. Raises :class:`MalformedProof` for values the format cannot carry."""
    if not 0 <= index <= MAX_SIZE:
        raise MalformedProof(f"index {index} is outside 0..2^64-1")
    if len(proof) > MAX_PROOF_HASHES:
        raise MalformedProof(f"an inclusion proof has at most {MAX_PROOF_HASHES} hashes")
    for i, digest in enumerate(proof):
        if len(digest) != HASH_SIZE:
            raise MalformedProof(f"proof hash {i} is {len(digest)} bytes, not {HASH_SIZE}")
    lines = [HEADER]
    if extra is not None:
        lines.append(b"extra " + _b64(extra))
    lines.append(b"index %d" % index)
    lines += [_b64(digest) for digest in proof]
    return b"".join(line + b"\n" for line in lines) + b"\n" + checkpoint_note


def _decimal(text: str) -> int | None:
    if not (text.isascii() and text.isdigit()) or (text.startswith("0") and text != "0"):
        return None
    value = int(text)
    return value if value <= MAX_SIZE else None


def parse_proof(data: bytes) -> TlogProof:
    """Parse a receipt without verifying it. Raises :class:`MalformedProof` naming the line."""
    split = data.find(b"\n\n")
    if split < 0:
        raise MalformedProof("tlog-proof has no empty line before the checkpoint")
    head, note = data[:split], data[split + 2 :]
    try:
        lines = head.decode("ascii").split("\n")
    except UnicodeDecodeError:
        raise MalformedProof("tlog-proof header lines are not ASCII") from None
    if lines[0] != HEADER.decode():
        raise MalformedProof(f"tlog-proof must start with {HEADER.decode()!r}")
    pos = 1
    extra: bytes | None = None
    if pos < len(lines) and lines[pos].startswith("extra "):
        try:
            extra = b64decode_strict(lines[pos][len("extra ") :])
        except ValueError:
            raise MalformedProof(f"tlog-proof line {pos + 1}: extra is not base64") from None
        pos += 1
    if pos >= len(lines) or not lines[pos].startswith("index "):
        raise MalformedProof(f"tlog-proof line {pos + 1} must be 'index <decimal>'")
    index = _decimal(lines[pos][len("index ") :])
    if index is None:
        raise MalformedProof(f"tlog-proof line {pos + 1}: index is not a 64-bit decimal")
    hashes: list[bytes] = []
    for number, line in enumerate(lines[pos + 1 :], start=pos + 2):
        try:
            digest = b64decode_strict(line)
        except ValueError:
            raise MalformedProof(f"tlog-proof line {number} is not a base64 hash") from None
        if len(digest) != HASH_SIZE:
            raise MalformedProof(f"tlog-proof line {number} is not a {HASH_SIZE}-byte hash")
        hashes.append(digest)
    if len(hashes) > MAX_PROOF_HASHES:
        raise MalformedProof(f"tlog-proof has more than {MAX_PROOF_HASHES} proof hashes")
    try:
        parse_checkpoint(parse_note(note).text)
    except MalformedNote as err:
        raise MalformedProof(f"tlog-proof checkpoint: {err}") from None
    return TlogProof(index, tuple(hashes), note, extra)


def build_proof(
    reader: LedgerReader,
    index: int,
    checkpoint_note: bytes,
    size: int,
    extra: bytes | None = None,
) -> bytes:
    """A receipt for entry ``index`` in the tree of ``size`` that ``checkpoint_note`` signs.

    Raises :class:`VerificationFailed` if the note is not a checkpoint of ``size`` with the
    stored root (a receipt that could never verify), :class:`MalformedProof` if ``index`` is
    not in the tree.
    """
    require_stored(reader, reader.size(), checkpoint_note, size, "a receipt")
    hashes = merkle.inclusion_proof(index, size, reader)
    return format_proof(index, hashes, checkpoint_note, extra)


def verify_receipt(proof: bytes, entry: bytes, policy: Policy) -> Checkpoint:
    """Verify a receipt offline and return the checkpoint it proves ``entry`` is under.

    The policy verifies the checkpoint (log signature and witness quorum); then the inclusion
    proof must take ``leaf_hash(entry)`` at the receipt's index to the checkpoint's root.
    Raises :class:`MalformedProof`, :class:`MalformedNote` or :class:`VerificationFailed`.
    """
    receipt = parse_proof(proof)
    checkpoint = policy.verify_checkpoint(receipt.checkpoint)
    merkle.verify_inclusion(
        receipt.index, checkpoint.size, leaf_hash(entry), receipt.proof, checkpoint.root
    )
    return checkpoint
