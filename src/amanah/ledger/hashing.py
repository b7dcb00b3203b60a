"""RFC 6962 §2.1 / RFC 9162 §2.1.1 hashing: SHA-256 with domain-separation prefixes.

A leaf hash is ``SHA-256(0x00 || entry)``, an interior node ``SHA-256(0x01 || left || right)``,
and the root of the empty tree is ``SHA-256("")``.
"""

from __future__ import annotations

import hashlib

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

_sha256 = hashlib.sha256


def leaf_hash(entry: bytes) -> bytes:
    """The RFC 6962 hash of a leaf holding ``entry``."""
    return _sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """The RFC 6962 hash of an interior node over two child hashes."""
    return _sha256(b"\x01" + left + right).digest()
