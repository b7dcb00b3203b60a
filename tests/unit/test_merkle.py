"""RFC 6962 Merkle tree: reference roots, the §2.1.3 proof examples, verifier edge cases."""

from __future__ import annotations

import hashlib

import pytest

from amanah.errors import MalformedProof, VerificationFailed
from amanah.ledger import merkle
from amanah.ledger.hashing import EMPTY_ROOT, leaf_hash, node_hash

# The standard leaves of the RFC 6962 reference tests (Certificate Transparency's
# merkle_tree_test.cc), with the root of each prefix of them.
LEAVES = [
    b"",
    bytes.fromhex("00"),
    bytes.fromhex("10"),
    bytes.fromhex("2021"),
    bytes.fromhex("3031"),
    bytes.fromhex("40414243"),
    bytes.fromhex("5051525354555657"),
    bytes.fromhex("606162636465666768696a6b6c6d6e6f"),
]
ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def _tree(n: int) -> merkle.DictHashSource:
    _, source = merkle.build(leaf_hash(x) for x in LEAVES[:n])
    return source


def test_empty_tree_root_is_sha256_of_nothing() -> None:
    assert EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert merkle.root(0, merkle.DictHashSource()) == EMPTY_ROOT
    assert merkle.CompactRange().root() == EMPTY_ROOT


@pytest.mark.parametrize("n", range(1, 9))
def test_reference_roots(n: int) -> None:
    source = _tree(8)
    assert merkle.root(n, source).hex() == ROOTS[n - 1]
    edge, _ = merkle.build(leaf_hash(x) for x in LEAVES[:n])
    assert edge.root().hex() == ROOTS[n - 1]


class _Rfc7:
    """The 7-leaf tree drawn in RFC 6962 §2.1.3 with its node names."""

    def __init__(self) -> None:
        d = [leaf_hash(x) for x in LEAVES[:7]]
        self.a, self.b, self.c, self.d, self.e, self.f = d[:6]
        self.d6 = d[6]
        self.g = node_hash(self.a, self.b)
        self.h = node_hash(self.c, self.d)
        self.i = node_hash(self.e, self.f)
        self.j = self.d6
        self.k = node_hash(self.g, self.h)
        self.l = node_hash(self.i, self.j)
        self.source = _tree(7)


def test_rfc6962_audit_path_examples() -> None:
    t = _Rfc7()
    assert merkle.inclusion_proof(0, 7, t.source) == [t.b, t.h, t.l]
    assert merkle.inclusion_proof(3, 7, t.source) == [t.c, t.g, t.l]
    assert merkle.inclusion_proof(4, 7, t.source) == [t.f, t.j, t.k]
    assert merkle.inclusion_proof(6, 7, t.source) == [t.i, t.k]


def test_rfc6962_consistency_examples() -> None:
    t = _Rfc7()
    assert merkle.consistency_proof(3, 7, t.source) == [t.c, t.d, t.g, t.l]
    assert merkle.consistency_proof(4, 7, t.source) == [t.l]
    assert merkle.consistency_proof(6, 7, t.source) == [t.i, t.j, t.k]


def test_every_proof_in_small_trees_verifies() -> None:
    for n in range(1, 40):
        leaves = [leaf_hash(i.to_bytes(2, "big")) for i in range(n)]
        _, source = merkle.build(leaves)
        r = merkle.root(n, source)
        for m in range(n):
            merkle.verify_inclusion(m, n, leaves[m], merkle.inclusion_proof(m, n, source), r)
        for old in range(n + 1):
            proof = merkle.consistency_proof(old, n, source)
            merkle.verify_consistency(old, n, merkle.root(old, source), r, proof)


def test_size_zero_is_explicit() -> None:
    with pytest.raises(VerificationFailed):
        merkle.verify_inclusion(0, 0, EMPTY_ROOT, [], EMPTY_ROOT)
    merkle.verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])
    source = _tree(3)
    merkle.verify_consistency(0, 3, EMPTY_ROOT, merkle.root(3, source), [])
    with pytest.raises(VerificationFailed):
        merkle.verify_consistency(0, 3, EMPTY_ROOT, merkle.root(3, source), [EMPTY_ROOT])
    with pytest.raises(VerificationFailed):
        merkle.verify_consistency(0, 3, leaf_hash(b"x"), merkle.root(3, source), [])
    with pytest.raises(MalformedProof):
        merkle.inclusion_proof(0, 0, source)


@pytest.mark.parametrize("bad", [b"", b"\x00" * 31, b"\x00" * 33])
def test_hashes_that_are_not_32_bytes_are_refused(bad: bytes) -> None:
    source = _tree(4)
    r = merkle.root(4, source)
    proof = merkle.inclusion_proof(1, 4, source)
    leaf = leaf_hash(LEAVES[1])
    with pytest.raises(MalformedProof):
        merkle.verify_inclusion(1, 4, bad, proof, r)
    with pytest.raises(MalformedProof):
        merkle.verify_inclusion(1, 4, leaf, [bad, *proof[1:]], r)
    with pytest.raises(MalformedProof):
        merkle.verify_inclusion(1, 4, leaf, proof, bad)
    with pytest.raises(MalformedProof):
        merkle.verify_consistency(2, 4, bad, r, merkle.consistency_proof(2, 4, source))


def test_consistency_refuses_equal_sizes_with_different_roots_and_shrinking() -> None:
    source = _tree(5)
    with pytest.raises(VerificationFailed):
        merkle.verify_consistency(5, 5, merkle.root(5, source), merkle.root(4, source), [])
    with pytest.raises(VerificationFailed):
        merkle.verify_consistency(5, 4, merkle.root(5, source), merkle.root(4, source), [])
    with pytest.raises(VerificationFailed):
        merkle.verify_consistency(3, 5, merkle.root(3, source), merkle.root(5, source), [])


def test_proofs_read_few_stored_hashes() -> None:
    """Roots and proofs are O(log n) reads of stored hashes, batched in one call."""

    class Counting(merkle.DictHashSource):
        calls = 0
        keys = 0

        def get_nodes(self, keys: object) -> dict[int, bytes]:
            assert isinstance(keys, list)
            Counting.calls += 1
            Counting.keys += len(keys)
            return {k: self.nodes[k] for k in keys}

    n = 100_003
    edge = merkle.CompactRange()
    source = Counting()
    for i in range(n):
        edge.append(hashlib.sha256(i.to_bytes(4, "big")).digest(), source.add)
    for call in (
        lambda: merkle.root(n, source),
        lambda: merkle.inclusion_proof(77_777, n, source),
        lambda: merkle.consistency_proof(65_537, n, source),
    ):
        Counting.calls = Counting.keys = 0
        call()
        assert Counting.calls == 1
        assert Counting.keys <= 2 * n.bit_length()
    assert merkle.root(n, source) == edge.root()
