"""C2SP signed-note (c2sp.org/signed-note v1.0.0): text signed by one or more keys.

A note is UTF-8 text ending in a newline, a blank line, then one or more lines
``— <key name> base64(4-byte key ID || signature)``. The text is split from the signatures at
the *last* blank line, and the whole note must contain no ASCII control character but newline.

Parsing follows golang.org/x/mod/sumdb/note ``Open``: more than 100 signature lines are refused
(the spec asks to accept at least 16), identical signatures are kept once, signatures from
unknown keys (name and ID not both known) are ignored, and a signature from a known key that
fails to verify rejects the whole note. Deviations from Go:

- every distinct signature from a known key is verified (Go verifies the first one per key and
  drops the rest unverified); the spec says a failing known signature SHOULD reject the note;
- when serialising, signatures are re-encoded as canonical base64 (Go copies the input text);
- the same key listed twice among the verifiers is not "ambiguous"; two different keys sharing
  a name and key ID are, and a signature under them is refused, as in Go.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from dataclasses import dataclass

from amanah.errors import MalformedNote, VerificationFailed
from amanah.ledger.signing import Signer, Verifier, b64decode_strict, is_valid_key_name

SIG_PREFIX = "— "
MAX_SIGNATURES = 100
KEY_ID_SIZE = 4


@dataclass(frozen=True)
class NoteSignature:
    """One signature line: key name, 4-byte key ID and the signature bytes after the ID."""

    name: str
    key_id: bytes
    payload: bytes

    def line(self) -> str:
        """The signature line, including the final newline."""
        encoded = base64.b64encode(self.key_id + self.payload).decode("ascii")
        return f"{SIG_PREFIX}{self.name} {encoded}\n"

    def key(self) -> str:
        """``name+hexid``: how messages name the key."""
        return f"{self.name}+{self.key_id.hex()}"


@dataclass(frozen=True)
class Note:
    """A note's text (with its final newline) and its distinct signatures, in order."""

    text: str
    signatures: tuple[NoteSignature, ...]

    def to_bytes(self) -> bytes:
        """The encoded signed note."""
        _check_text(self.text)
        if not self.signatures:
            raise MalformedNote("a signed note needs at least one signature")
        if len(self.signatures) > MAX_SIGNATURES:
            raise MalformedNote(f"a note may carry at most {MAX_SIGNATURES} signatures")
        lines = "".join(sig.line() for sig in self.signatures)
        return (self.text + "\n" + lines).encode("utf-8")


# Control characters other than newline (C0 controls; the spec forbids them in notes).
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f]")


def _check_text(text: str) -> None:
    if not text.endswith("\n"):
        raise MalformedNote("note text must end in a newline")
    if _CONTROL.search(text):
        raise MalformedNote("note text contains a control character other than newline")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise MalformedNote("note text is not valid UTF-8") from None


def parse_signature_line(line: str) -> NoteSignature:
    """Parse one ``— name base64`` line (without its newline)."""
    if not line.startswith(SIG_PREFIX):
        raise MalformedNote("signature line does not start with an em dash and a space")
    name, sep, encoded = line[len(SIG_PREFIX) :].partition(" ")
    if not is_valid_key_name(name):
        raise MalformedNote(f"signature line has an invalid key name {name!r}")
    if not sep or not encoded:
        raise MalformedNote(f"signature line for {name} has no signature")
    try:
        raw = b64decode_strict(encoded)
    except ValueError:
        raise MalformedNote(f"signature from {name} is not valid base64") from None
    if len(raw) < KEY_ID_SIZE + 1:
        raise MalformedNote(f"signature from {name} is shorter than 5 bytes")
    return NoteSignature(name, raw[:KEY_ID_SIZE], raw[KEY_ID_SIZE:])


def _dedup(signatures: Sequence[NoteSignature]) -> tuple[NoteSignature, ...]:
    return tuple(dict.fromkeys(signatures))


def parse_note(data: bytes) -> Note:
    """Parse a signed note without verifying it. Raises :class:`MalformedNote`."""
    try:
        message = data.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedNote("note is not valid UTF-8") from None
    if _CONTROL.search(message):
        raise MalformedNote("note contains a control character other than newline")
    split = message.rfind("\n\n")
    if split < 0:
        raise MalformedNote("note has no blank line before its signatures")
    text, block = message[: split + 1], message[split + 2 :]
    if not block.endswith("\n"):
        raise MalformedNote("note does not end with a newline-terminated signature line")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise MalformedNote(f"note has more than {MAX_SIGNATURES} signatures")
    return Note(text, _dedup([parse_signature_line(line) for line in lines]))


def sign_note(text: str, signers: Sequence[Signer]) -> bytes:
    """Sign ``text`` (which must end in a newline) with every signer, in order."""
    _check_text(text)
    if not signers:
        raise MalformedNote("signing a note needs at least one signer")
    message = text.encode("utf-8")
    signatures: list[NoteSignature] = []
    for signer in signers:
        if not is_valid_key_name(signer.name) or len(signer.key_id) != KEY_ID_SIZE:
            raise MalformedNote(f"invalid signer {signer.name!r}")
        signatures.append(NoteSignature(signer.name, signer.key_id, signer.sign(message)))
    return Note(text, _dedup(signatures)).to_bytes()


def add_signature_lines(note: bytes, lines: Sequence[str]) -> bytes:
    """Append signature lines (e.g. cosignatures) to a note, dropping duplicates.

    Each line is one ``— name base64`` line, with or without its final newline.
    """
    parsed = parse_note(note)
    extra = [parse_signature_line(line.removesuffix("\n")) for line in lines]
    return Note(parsed.text, _dedup([*parsed.signatures, *extra])).to_bytes()


def open_note(data: bytes, verifiers: Sequence[Verifier]) -> tuple[Note, list[NoteSignature]]:
    """Parse ``data`` and verify it; returns the note and its verified signatures.

    Signatures from unknown keys are ignored. Raises :class:`VerificationFailed` if a signature
    from a known key does not verify, or if no known key signed the note.
    """
    note = parse_note(data)
    known: dict[tuple[str, bytes], Verifier | None] = {}
    for verifier in verifiers:
        slot = (verifier.name, bytes(verifier.key_id))
        # Two different keys under one name and ID: refuse to guess, as Go does (Go also
        # refuses the same key listed twice; an equal verifier here is simply the same key).
        known[slot] = verifier if known.get(slot, verifier) == verifier else None
    message = note.text.encode("utf-8")
    verified: list[NoteSignature] = []
    for sig in note.signatures:
        slot = (sig.name, sig.key_id)
        if slot not in known:
            continue
        match = known[slot]
        if match is None:
            raise VerificationFailed(f"ambiguous key {sig.key()}: two verifiers share it")
        if not match.verify(message, sig.payload):
            raise VerificationFailed(f"invalid signature for key {sig.key()}")
        verified.append(sig)
    if not verified:
        raise VerificationFailed("no signature from a known key")
    return note, verified
