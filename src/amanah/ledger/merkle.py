"""RFC 6962 / RFC 9162 Merkle tree: roots and proofs from stored subtree hashes, and verifiers.

Storage model: every *perfect* subtree (``2**level`` leaves starting at ``index * 2**level``)
is stored once, under the integer key :func:`node_key` (its post-order position). Any range
hash the RFC's recursive definitions need is a fold of at most ``log2(n)`` perfect subtrees,
so a root, an inclusion proof or a consistency proof is computed from one batched read of
``O(log n)`` stored hashes (the same idea as transparency-dev's "ephemeral nodes"; nothing
is rescanned).

Verifiers follow RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency) exactly; hashes that
are not 32 bytes are refused and size 0 is handled explicitly (nothing is included in the
empty tree; every tree is consistent with it only through an empty proof).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from amanah.errors import MalformedProof, VerificationFailed
from amanah.ledger.hashing import EMPTY_ROOT, HASH_SIZE, node_hash


def node_key(level: int, index: int) -> int:
    """The storage key of the perfect subtree at ``level`` (0 = leaves) and ``index``.

    Keys number the nodes in the order an append-only tree completes them (post-order, as in
    a Merkle mountain range): leaf 0, leaf 1, their parent, leaf 2, ... So the nodes one
    batch completes always have consecutive keys following every earlier key, and a store
    can write them as one run at the end of its index.
    """
    last_leaf = ((index + 1) << level) - 1
    return nodes_before(last_leaf) + level


def nodes_before(leaves: int) -> int:
    """How many nodes a tree of ``leaves`` leaves has completed (the next free key)."""
    return 2 * leaves - leaves.bit_count()


class HashSource(Protocol):
    """Where stored perfect-subtree hashes are read from (a node table, tiles, memory)."""

    def get_nodes(self, keys: Sequence[int]) -> Mapping[int, bytes]:
        """Return the hash of every key asked for; a missing key is a storage fault."""
        ...


def perfect_pieces(lo: int, hi: int) -> list[tuple[int, int]]:
    """Decompose ``[lo, hi)`` into maximal aligned perfect subtrees, left to right."""
    pieces: list[tuple[int, int]] = []
    while lo < hi:
        level = (lo & -lo).bit_length() - 1 if lo else (hi - lo).bit_length() - 1
        while (1 << level) > hi - lo:
            level -= 1
        pieces.append((level, lo >> level))
        lo += 1 << level
    return pieces


def _largest_power_of_two_below(n: int) -> int:
    return 1 << ((n - 1).bit_length() - 1)


# A proof is planned as a list of ranges whose hashes it needs; each range hash is a fold of
# perfect pieces, all read in one batch.
_Range = tuple[int, int]


def _inclusion_ranges(index: int, lo: int, hi: int, out: list[_Range]) -> None:
    while hi - lo > 1:
        k = _largest_power_of_two_below(hi - lo)
        if index - lo < k:
            out.append((lo + k, hi))
            hi = lo + k
        else:
            out.append((lo, lo + k))
            lo = lo + k
    out.reverse()  # the RFC lists the deepest sibling first


def _consistency_ranges(old: int, lo: int, hi: int, complete: bool, out: list[_Range]) -> None:
    # RFC 6962 §2.1.2 SUBPROOF, unrolled; collected outermost-first, then reversed.
    acc: list[_Range] = []
    while True:
        n = hi - lo
        if old == n:
            if not complete:
                acc.append((lo, hi))
            break
        k = _largest_power_of_two_below(n)
        if old <= k:
            acc.append((lo + k, hi))
            hi = lo + k
        else:
            acc.append((lo, lo + k))
            old -= k
            lo = lo + k
            complete = False
    acc.reverse()
    out.extend(acc)


def _range_hashes(ranges: Sequence[_Range], source: HashSource) -> list[bytes]:
    plans = [perfect_pieces(lo, hi) for lo, hi in ranges]
    keys = sorted({node_key(level, idx) for plan in plans for level, idx in plan})
    found = source.get_nodes(keys)
    out: list[bytes] = []
    for plan in plans:
        hashes = [found[node_key(level, idx)] for level, idx in plan]
        acc = hashes[-1]
        for h in reversed(hashes[:-1]):
            acc = node_hash(h, acc)
        out.append(acc)
    return out


def root(size: int, source: HashSource) -> bytes:
    """The RFC 6962 Merkle Tree Hash of the first ``size`` leaves."""
    if size == 0:
        return EMPTY_ROOT
    return _range_hashes([(0, size)], source)[0]


def inclusion_proof(index: int, size: int, source: HashSource) -> list[bytes]:
    """RFC 6962 §2.1.1 audit path of leaf ``index`` in the tree of ``size`` leaves."""
    if not 0 <= index < size:
        raise MalformedProof(f"index {index} is not in a tree of size {size}")
    ranges: list[_Range] = []
    _inclusion_ranges(index, 0, size, ranges)
    return _range_hashes(ranges, source)


def consistency_proof(old: int, new: int, source: HashSource) -> list[bytes]:
    """RFC 6962 §2.1.2 proof that the tree of size ``old`` is a prefix of size ``new``."""
    if not 0 <= old <= new:
        raise MalformedProof(f"cannot prove size {old} against size {new}")
    if old in (0, new):
        return []
    ranges: list[_Range] = []
    _consistency_ranges(old, 0, new, True, ranges)
    return _range_hashes(ranges, source)


def _check_hash(name: str, value: bytes) -> None:
    if len(value) != HASH_SIZE:
        raise MalformedProof(f"{name} is {len(value)} bytes, not {HASH_SIZE}")


def root_from_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes:
    """RFC 9162 §2.1.3.2: the root implied by an inclusion proof (raises if malformed)."""
    _check_hash("leaf hash", leaf)
    for i, p in enumerate(proof):
        _check_hash(f"proof hash {i}", p)
    if index >= size or index < 0:
        raise VerificationFailed(f"index {index} is not in a tree of size {size}")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise VerificationFailed("inclusion proof is too long")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise VerificationFailed("inclusion proof is too short")
    return r


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], root_hash: bytes
) -> None:
    """Raise :class:`VerificationFailed` unless ``leaf`` is at ``index`` under ``root_hash``."""
    _check_hash("root", root_hash)
    if root_from_inclusion(index, size, leaf, proof) != root_hash:
        raise VerificationFailed(f"inclusion proof for index {index} does not match the root")


def verify_consistency(
    old: int, new: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """RFC 9162 §2.1.4.2: raise unless the size-``old`` tree is a prefix of size ``new``."""
    _check_hash("old root", old_root)
    _check_hash("new root", new_root)
    for i, p in enumerate(proof):
        _check_hash(f"proof hash {i}", p)
    if old < 0 or old > new:
        raise VerificationFailed(f"old size {old} is larger than new size {new}")
    if old == new:
        if proof:
            raise VerificationFailed("a proof between equal sizes must be empty")
        if old_root != new_root:
            raise VerificationFailed(f"two different roots for size {old}")
        return
    if old == 0:
        if proof:
            raise VerificationFailed("a proof from the empty tree must be empty")
        if old_root != EMPTY_ROOT:
            raise VerificationFailed("the root of size 0 is not the empty-tree hash")
        return
    if not proof:
        raise VerificationFailed("consistency proof is empty")
    path = list(proof)
    if old & (old - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old - 1, new - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise VerificationFailed("consistency proof is too long")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise VerificationFailed("consistency proof is too short")
    if fr != old_root:
        raise VerificationFailed(f"consistency proof does not match the root of size {old}")
    if sr != new_root:
        raise VerificationFailed(f"consistency proof does not match the root of size {new}")


@dataclass
class CompactRange:
    """The perfect subtrees covering ``[0, size)``: enough to append leaves and get the root.

    Appending returns the newly completed perfect subtrees so that a store can save them.
    """

    size: int = 0
    pieces: list[tuple[int, bytes]] = field(default_factory=list)  # (level, hash), left to right

    @classmethod
    def load(cls, size: int, source: HashSource) -> CompactRange:
        """Rebuild the range for ``size`` from stored hashes (``O(log n)`` reads)."""
        plan = perfect_pieces(0, size)
        found = source.get_nodes([node_key(level, idx) for level, idx in plan])
        return cls(size, [(level, found[node_key(level, idx)]) for level, idx in plan])

    def append(self, leaf: bytes, new_nodes: Callable[[int, bytes], None]) -> None:
        """Add one leaf hash; call ``new_nodes(key, hash)`` for each completed subtree."""
        index = self.size
        new_nodes(node_key(0, index), leaf)
        level, h = 0, leaf
        pieces = self.pieces
        while pieces and pieces[-1][0] == level:
            _, left = pieces.pop()
            h = node_hash(left, h)
            level += 1
            index >>= 1
            new_nodes(node_key(level, index), h)
        pieces.append((level, h))
        self.size += 1

    def root(self) -> bytes:
        """The Merkle Tree Hash of the leaves appended so far."""
        if not self.pieces:
            return EMPTY_ROOT
        acc = self.pieces[-1][1]
        for _, h in reversed(self.pieces[:-1]):
            acc = node_hash(h, acc)
        return acc

    def copy(self) -> CompactRange:
        return CompactRange(self.size, list(self.pieces))


class DictHashSource:
    """A :class:`HashSource` over a plain mapping (tests, memory store, tile verifier)."""

    def __init__(self, nodes: Mapping[int, bytes] | None = None) -> None:
        self.nodes: dict[int, bytes] = dict(nodes or {})

    def get_nodes(self, keys: Sequence[int]) -> Mapping[int, bytes]:
        return {k: self.nodes[k] for k in keys}

    def add(self, key: int, value: bytes) -> None:
        self.nodes[key] = value


def build(leaves: Iterable[bytes]) -> tuple[CompactRange, DictHashSource]:
    """Build a whole tree in memory from leaf hashes (tests, verifiers of exported copies)."""
    source = DictHashSource()
    cr = CompactRange()
    for leaf in leaves:
        cr.append(leaf, source.add)
    return cr, source
