"""Hypothesis: proofs of random trees verify, and any one-bit change makes them fail."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amanah.errors import AmanahError
from amanah.ledger import merkle


def _leaves(n: int, salt: int) -> list[bytes]:
    return [hashlib.sha256(f"{salt}:{i}".encode()).digest() for i in range(n)]


def _flip(data: bytes, bit: int) -> bytes:
    bit %= len(data) * 8
    out = bytearray(data)
    out[bit // 8] ^= 1 << (bit % 8)
    return bytes(out)


def _fails(check: object) -> bool:
    assert callable(check)
    try:
        check()
    except AmanahError:
        return True
    return False


sizes = st.integers(min_value=1, max_value=300)


@settings(max_examples=150, deadline=None)
@given(n=sizes, data=st.data(), salt=st.integers(0, 1000))
def test_inclusion_verifies_and_every_bit_flip_fails(
    n: int, data: st.DataObject, salt: int
) -> None:
    leaves = _leaves(n, salt)
    _, source = merkle.build(leaves)
    root = merkle.root(n, source)
    m = data.draw(st.integers(0, n - 1), label="index")
    proof = merkle.inclusion_proof(m, n, source)
    merkle.verify_inclusion(m, n, leaves[m], proof, root)

    bit = data.draw(st.integers(0, 255), label="bit")
    assert _fails(lambda: merkle.verify_inclusion(m, n, leaves[m], proof, _flip(root, bit)))
    assert _fails(lambda: merkle.verify_inclusion(m, n, _flip(leaves[m], bit), proof, root))
    if proof:
        i = data.draw(st.integers(0, len(proof) - 1), label="which hash")
        bad = [*proof[:i], _flip(proof[i], bit), *proof[i + 1 :]]
        assert _fails(lambda: merkle.verify_inclusion(m, n, leaves[m], bad, root))
    # A one-bit change of the index or the size.
    ibit = data.draw(st.integers(0, 15), label="index bit")
    other_index = m ^ (1 << ibit)
    assert _fails(lambda: merkle.verify_inclusion(other_index, n, leaves[m], proof, root))
    other_size = n ^ (1 << ibit)
    # RFC 9162's verifier binds the size only through the shape of the path (the checkpoint
    # binds size and root together): a changed size must fail unless its path has the very
    # same shape, in which case it yields the same root by construction.
    if other_size > m:
        failed = _fails(lambda: merkle.verify_inclusion(m, other_size, leaves[m], proof, root))
        assert failed or _shape(m, other_size) == _shape(m, n)


def _shape(index: int, size: int) -> list[bool]:
    """The left/right pattern RFC 9162's verifier follows for ``index`` in ``size``."""
    fn, sn, out = index, size - 1, []
    while sn:
        right = bool(fn & 1) or fn == sn
        out.append(right)
        if right:
            while not fn & 1 and fn:
                fn >>= 1
                sn >>= 1
        fn >>= 1
        sn >>= 1
    return out


@settings(max_examples=150, deadline=None)
@given(n=sizes, data=st.data(), salt=st.integers(0, 1000))
def test_consistency_verifies_and_every_bit_flip_fails(
    n: int, data: st.DataObject, salt: int
) -> None:
    leaves = _leaves(n, salt)
    _, source = merkle.build(leaves)
    old = data.draw(st.integers(1, n), label="old size")
    proof = merkle.consistency_proof(old, n, source)
    old_root, new_root = merkle.root(old, source), merkle.root(n, source)
    merkle.verify_consistency(old, n, old_root, new_root, proof)

    bit = data.draw(st.integers(0, 255), label="bit")
    assert _fails(lambda: merkle.verify_consistency(old, n, _flip(old_root, bit), new_root, proof))
    assert _fails(lambda: merkle.verify_consistency(old, n, old_root, _flip(new_root, bit), proof))
    if proof:
        i = data.draw(st.integers(0, len(proof) - 1), label="which hash")
        bad = [*proof[:i], _flip(proof[i], bit), *proof[i + 1 :]]
        assert _fails(lambda: merkle.verify_consistency(old, n, old_root, new_root, bad))
        assert _fails(lambda: merkle.verify_consistency(old, n, old_root, new_root, proof[:-1]))
    sbit = data.draw(st.integers(0, 9), label="size bit")
    other_old = old ^ (1 << sbit)
    if 0 < other_old <= n and other_old != old:
        assert _fails(lambda: merkle.verify_consistency(other_old, n, old_root, new_root, proof))


@pytest.mark.parametrize("n", [1, 2, 3, 255, 256, 257, 1000])
def test_compact_range_matches_stored_root(n: int) -> None:
    leaves = _leaves(n, 7)
    edge, source = merkle.build(leaves)
    loaded = merkle.CompactRange.load(n, source)
    assert loaded.root() == edge.root() == merkle.root(n, source)
