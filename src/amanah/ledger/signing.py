"""Note signing keys: C2SP signed-note Ed25519 keys and tlog-cosignature/v1 witness keys.

Specs:

- c2sp.org/signed-note (v1.0.0): key ID = ``SHA-256(name || 0x0A || type || public key)[:4]``;
  type ``0x01`` is Ed25519 over the note text.
- c2sp.org/tlog-cosignature (v1): type ``0x04`` is a timestamped Ed25519 cosignature; the
  payload after the key ID is ``u64be timestamp || ed25519 signature`` over
  ``"cosignature/v1\\ntime <timestamp>\\n" || checkpoint body``.
- Key strings follow golang.org/x/mod/sumdb/note: verifier keys ``<name>+<hexid>+<base64(type
  || public key)>`` and signer keys ``PRIVATE+KEY+<name>+<hexid>+<base64(type || 32-byte seed)>``.

Deviations, all stricter than Go's ``note`` package:

- key names must not contain ASCII control characters (they could never appear in a note);
- cosignature keys are accepted only with type ``0x04`` (transparency-dev also turns ``0x01``
  keys into cosigners; Amanah generates its witness keys with type ``0x04``);
- Ed25519 verification is libsodium's (PyNaCl), which refuses small-order public keys and
  non-canonical encodings that Go's ``crypto/ed25519`` may accept. Honest signers never produce
  those, so signatures from Go tooling verify here.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass, field
from typing import Protocol

import nacl.exceptions
import nacl.signing
import nacl.utils

from amanah.errors import InvalidInput, MalformedNote

ED25519 = 0x01
COSIGNATURE_V1 = 0x04
SEED_SIZE = 32
PUBLIC_KEY_SIZE = 32
SIGNATURE_SIZE = 64
TIMESTAMP_SIZE = 8
MAX_TIMESTAMP = 2**63 - 1
COSIGNATURE_PREFIX = b"cosignature/v1\n"
_HEX = frozenset("0123456789abcdefABCDEF")

# Unicode White_Space, as Go's unicode.IsSpace sees it (the spec forbids "Unicode spaces").
_SPACES = frozenset(
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


class Signer(Protocol):
    """Signs note text. ``sign`` returns the signature bytes placed after the 4-byte key ID."""

    @property
    def name(self) -> str: ...

    @property
    def key_id(self) -> bytes: ...

    def sign(self, message: bytes) -> bytes: ...


class Verifier(Protocol):
    """Checks one key's signatures; ``payload`` is the signature bytes after the key ID."""

    @property
    def name(self) -> str: ...

    @property
    def key_id(self) -> bytes: ...

    def verify(self, message: bytes, payload: bytes) -> bool: ...


def key_id(name: str, key_bytes: bytes) -> bytes:
    """The 4-byte key ID: ``SHA-256(name || 0x0A || key_bytes)[:4]``, key_bytes = type || key."""
    return hashlib.sha256(name.encode("utf-8") + b"\n" + key_bytes).digest()[:4]


def is_valid_key_name(name: str) -> bool:
    """True if ``name`` is a valid note key name: non-empty UTF-8, no spaces, no '+'."""
    if not name or "+" in name:
        return False
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates are not UTF-8
        return False
    return not any(ch in _SPACES or ch < " " for ch in name)


def check_key_name(name: str) -> None:
    """Raise :class:`InvalidInput` unless ``name`` is a valid note key name."""
    if not is_valid_key_name(name):
        raise InvalidInput(
            f"invalid key name {name!r}: it must be non-empty UTF-8 without spaces, "
            "control characters or '+'"
        )


def b64decode_strict(text: str) -> bytes:
    """Standard base64 with padding, as Go's ``base64.StdEncoding`` decodes it.

    Raises ``ValueError`` on anything else (spaces, newlines, missing or extra padding).
    """
    try:
        return binascii.a2b_base64(text.encode("ascii"), strict_mode=True)
    except (UnicodeEncodeError, binascii.Error) as err:
        raise ValueError(str(err)) from err


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _key_string(name: str, kid: bytes, key_bytes: bytes) -> str:
    return f"{name}+{kid.hex()}+{_b64(key_bytes)}"


def _parse_key_string(kind: str, parts: list[str]) -> tuple[str, bytes, int, bytes]:
    """Common checks for ``name+hexid+base64`` tails; returns (name, id, type, key material)."""
    name, hexid, key64 = parts
    if not is_valid_key_name(name):
        raise InvalidInput(f"malformed {kind}: invalid key name {name!r}")
    if len(hexid) != 8 or not set(hexid) <= _HEX:
        raise InvalidInput(f"malformed {kind} for {name}: key ID must be 8 hex digits")
    try:
        raw = b64decode_strict(key64)
    except ValueError:
        raise InvalidInput(f"malformed {kind} for {name}: key is not valid base64") from None
    if not raw:
        raise InvalidInput(f"malformed {kind} for {name}: empty key")
    return name, bytes.fromhex(hexid), raw[0], raw[1:]


def parse_vkey(vkey: str) -> tuple[str, bytes, int, bytes]:
    """Split a verifier key into (name, key ID, type byte, public key), checking the key ID."""
    parts = vkey.split("+", 2)
    if len(parts) != 3:
        raise InvalidInput("malformed verifier key: expected <name>+<hexid>+<base64 key>")
    name, kid, key_type, public = _parse_key_string("verifier key", parts)
    if key_id(name, bytes([key_type]) + public) != kid:
        raise InvalidInput(f"verifier key for {name}: key ID does not match the key")
    return name, kid, key_type, public


def _parse_skey(skey: str, want_type: int) -> tuple[str, bytes, bytes]:
    """Split a signer key into (name, key ID, 32-byte seed)."""
    parts = skey.split("+", 4)
    if len(parts) != 5 or parts[0] != "PRIVATE" or parts[1] != "KEY":
        raise InvalidInput("malformed signer key: expected PRIVATE+KEY+<name>+<hexid>+<base64 key>")
    name, kid, key_type, seed = _parse_key_string("signer key", parts[2:])
    if key_type != want_type:
        raise InvalidInput(
            f"signer key for {name}: key type 0x{key_type:02x}, expected 0x{want_type:02x}"
        )
    if len(seed) != SEED_SIZE:
        raise InvalidInput(f"signer key for {name}: seed must be {SEED_SIZE} bytes")
    return name, kid, seed


def _generate(name: str, key_type: int, seed: bytes | None) -> tuple[str, str]:
    check_key_name(name)
    if seed is None:
        seed = nacl.utils.random(SEED_SIZE)
    if len(seed) != SEED_SIZE:
        raise InvalidInput(f"an Ed25519 seed is {SEED_SIZE} bytes, not {len(seed)}")
    public = bytes(nacl.signing.SigningKey(seed).verify_key)
    kid = key_id(name, bytes([key_type]) + public)
    skey = f"PRIVATE+KEY+{name}+{kid.hex()}+{_b64(bytes([key_type]) + seed)}"
    return skey, _key_string(name, kid, bytes([key_type]) + public)


def _signing_key(name: str, kid: bytes, key_type: int, seed: bytes) -> nacl.signing.SigningKey:
    key = nacl.signing.SigningKey(seed)
    if key_id(name, bytes([key_type]) + bytes(key.verify_key)) != kid:
        raise InvalidInput(f"signer key for {name}: key ID does not match the key")
    return key


def _ed25519_ok(key: nacl.signing.VerifyKey, message: bytes, signature: bytes) -> bool:
    if len(signature) != SIGNATURE_SIZE:
        return False
    try:
        key.verify(message, signature)
    except nacl.exceptions.BadSignatureError:
        return False
    return True


# --- Ed25519 (type 0x01) -------------------------------------------------------------------


def generate_key(name: str, seed: bytes | None = None) -> tuple[str, str]:
    """A new Ed25519 note key pair ``(skey, vkey)``; ``seed`` (32 bytes) makes it reproducible."""
    return _generate(name, ED25519, seed)


@dataclass(frozen=True)
class Ed25519Verifier:
    """Verifies signed-note Ed25519 signatures (type 0x01) over the note text."""

    name: str
    key_id: bytes
    public_key: bytes
    _key: nacl.signing.VerifyKey = field(repr=False, compare=False)

    @classmethod
    def from_vkey(cls, vkey: str) -> Ed25519Verifier:
        """Parse a ``name+hexid+base64(0x01 || pubkey)`` verifier key."""
        name, kid, key_type, public = parse_vkey(vkey)
        if key_type != ED25519:
            raise InvalidInput(f"verifier key for {name}: type 0x{key_type:02x} is not Ed25519")
        if len(public) != PUBLIC_KEY_SIZE:
            raise InvalidInput(f"verifier key for {name}: Ed25519 keys are 32 bytes")
        return cls(name, kid, public, nacl.signing.VerifyKey(public))

    @property
    def vkey(self) -> str:
        """The verifier key string."""
        return _key_string(self.name, self.key_id, bytes([ED25519]) + self.public_key)

    def verify(self, message: bytes, payload: bytes) -> bool:
        """True if ``payload`` is this key's Ed25519 signature of ``message``."""
        return _ed25519_ok(self._key, message, payload)


@dataclass(frozen=True)
class Ed25519Signer:
    """Signs note text with Ed25519 (type 0x01). Holds the private key: do not log it."""

    name: str
    key_id: bytes
    _key: nacl.signing.SigningKey = field(repr=False, compare=False)

    @classmethod
    def from_skey(cls, skey: str) -> Ed25519Signer:
        """Parse a ``PRIVATE+KEY+name+hexid+base64(0x01 || seed)`` signer key."""
        name, kid, seed = _parse_skey(skey, ED25519)
        return cls(name, kid, _signing_key(name, kid, ED25519, seed))

    @property
    def vkey(self) -> str:
        """The matching verifier key string."""
        return _key_string(self.name, self.key_id, bytes([ED25519]) + bytes(self._key.verify_key))

    def verifier(self) -> Ed25519Verifier:
        """The matching verifier."""
        return Ed25519Verifier.from_vkey(self.vkey)

    def sign(self, message: bytes) -> bytes:
        """The 64-byte Ed25519 signature of ``message``."""
        return self._key.sign(message).signature


# --- tlog-cosignature/v1 (type 0x04) ---------------------------------------------------------


def generate_witness_key(name: str, seed: bytes | None = None) -> tuple[str, str]:
    """A new cosignature/v1 key pair ``(skey, vkey)`` (type 0x04)."""
    return _generate(name, COSIGNATURE_V1, seed)


def cosigned_message(body: bytes, timestamp: int) -> bytes:
    """The message a cosignature/v1 signs: header line, time line, checkpoint body."""
    return COSIGNATURE_PREFIX + b"time %d\n" % timestamp + body


def cosignature_timestamp(payload: bytes) -> int:
    """The POSIX timestamp in a cosignature payload (the bytes after the key ID)."""
    if len(payload) != TIMESTAMP_SIZE + SIGNATURE_SIZE:
        raise MalformedNote(
            f"a cosignature/v1 is {TIMESTAMP_SIZE + SIGNATURE_SIZE} bytes after the key ID, "
            f"not {len(payload)}"
        )
    timestamp = int.from_bytes(payload[:TIMESTAMP_SIZE], "big")
    if timestamp > MAX_TIMESTAMP:
        raise MalformedNote("cosignature timestamp exceeds 2^63-1")
    return timestamp


@dataclass(frozen=True)
class CosignatureVerifier:
    """Verifies cosignature/v1 lines inside a note; the timestamp comes from the payload."""

    name: str
    key_id: bytes
    public_key: bytes
    _key: nacl.signing.VerifyKey = field(repr=False, compare=False)

    @classmethod
    def from_vkey(cls, vkey: str) -> CosignatureVerifier:
        """Parse a ``name+hexid+base64(0x04 || pubkey)`` verifier key."""
        name, kid, key_type, public = parse_vkey(vkey)
        if key_type != COSIGNATURE_V1:
            raise InvalidInput(
                f"verifier key for {name}: type 0x{key_type:02x} is not a cosignature/v1 key"
            )
        if len(public) != PUBLIC_KEY_SIZE:
            raise InvalidInput(f"verifier key for {name}: Ed25519 keys are 32 bytes")
        return cls(name, kid, public, nacl.signing.VerifyKey(public))

    @property
    def vkey(self) -> str:
        """The verifier key string."""
        return _key_string(self.name, self.key_id, bytes([COSIGNATURE_V1]) + self.public_key)

    @staticmethod
    def timestamp_of(payload: bytes) -> int:
        """The timestamp a cosignature payload carries; :class:`MalformedNote` if malformed."""
        return cosignature_timestamp(payload)

    def verify(self, message: bytes, payload: bytes) -> bool:
        """True if ``payload`` cosigns the note text ``message`` at its embedded time."""
        try:
            timestamp = cosignature_timestamp(payload)
        except MalformedNote:
            return False
        signed = cosigned_message(message, timestamp)
        return _ed25519_ok(self._key, signed, payload[TIMESTAMP_SIZE:])


@dataclass(frozen=True)
class _CosignerAt:
    """A :class:`Signer` view of a cosigner with its timestamp fixed (for ``sign_note``)."""

    name: str
    key_id: bytes
    cosigner: CosignatureSigner
    timestamp: int

    def sign(self, message: bytes) -> bytes:
        return self.cosigner.sign_payload(message, self.timestamp)


@dataclass(frozen=True)
class CosignatureSigner:
    """A witness key producing cosignature/v1 lines. Holds the private key: do not log it."""

    name: str
    key_id: bytes
    _key: nacl.signing.SigningKey = field(repr=False, compare=False)

    @classmethod
    def from_skey(cls, skey: str) -> CosignatureSigner:
        """Parse a ``PRIVATE+KEY+name+hexid+base64(0x04 || seed)`` signer key."""
        name, kid, seed = _parse_skey(skey, COSIGNATURE_V1)
        return cls(name, kid, _signing_key(name, kid, COSIGNATURE_V1, seed))

    @property
    def vkey(self) -> str:
        """The matching verifier key string."""
        public = bytes(self._key.verify_key)
        return _key_string(self.name, self.key_id, bytes([COSIGNATURE_V1]) + public)

    def verifier(self) -> CosignatureVerifier:
        """The matching verifier."""
        return CosignatureVerifier.from_vkey(self.vkey)

    def sign_payload(self, body: bytes, timestamp: int) -> bytes:
        """``u64be timestamp || signature`` over the cosigned message for ``body``."""
        if not 0 <= timestamp <= MAX_TIMESTAMP:
            raise InvalidInput(f"cosignature timestamp {timestamp} is outside 0..2^63-1")
        if not body.endswith(b"\n"):
            raise MalformedNote("a cosigned checkpoint body must end in a newline")
        signature = self._key.sign(cosigned_message(body, timestamp)).signature
        return timestamp.to_bytes(TIMESTAMP_SIZE, "big") + signature

    def at(self, timestamp: int) -> Signer:
        """This cosigner as a :class:`Signer` that stamps every signature with ``timestamp``."""
        return _CosignerAt(self.name, self.key_id, self, timestamp)

    def cosign(self, checkpoint_body: str, timestamp: int) -> str:
        """One complete signature line ``— name base64(id || time || sig)\\n`` for the body."""
        payload = self.sign_payload(checkpoint_body.encode("utf-8"), timestamp)
        return f"— {self.name} {_b64(self.key_id + payload)}\n"


def verifier_from_vkey(vkey: str) -> Ed25519Verifier | CosignatureVerifier:
    """The verifier for a vkey, chosen by its type byte (0x01 Ed25519, 0x04 cosignature/v1)."""
    name, _kid, key_type, _public = parse_vkey(vkey)
    if key_type == ED25519:
        return Ed25519Verifier.from_vkey(vkey)
    if key_type == COSIGNATURE_V1:
        return CosignatureVerifier.from_vkey(vkey)
    raise InvalidInput(f"verifier key for {name}: unsupported key type 0x{key_type:02x}")
