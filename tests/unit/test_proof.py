"""C2SP tlog-proof receipts: format round trip, offline verification and its failures."""

from __future__ import annotations

import base64

import pytest

from amanah.errors import MalformedProof, VerificationFailed
from amanah.ledger.checkpoint import Checkpoint
from amanah.ledger.merkle import inclusion_proof
from amanah.ledger.note import add_signature_lines
from amanah.ledger.policy import Policy, parse_policy
from amanah.ledger.proof import TlogProof, build_proof, format_proof, parse_proof, verify_receipt
from amanah.ledger.signing import (
    CosignatureSigner,
    Ed25519Signer,
    generate_key,
    generate_witness_key,
)
from tests.support.memlog import MemoryLog, entry_body

ORIGIN = "amanah.example/facility-7"
LOG_SKEY, LOG_VKEY = generate_key(ORIGIN, b"\x01" * 32)
WITNESSES = {
    name: generate_witness_key(f"{name}.example/w", bytes([20 + i]) * 32)
    for i, name in enumerate(["icrc", "coalition", "receiver"])
}
T = 1_768_900_000
SIZE = 1000


def cosigner(name: str) -> CosignatureSigner:
    return CosignatureSigner.from_skey(WITNESSES[name][0])


POLICY: Policy = parse_policy(
    f"log {LOG_VKEY}\n"
    + "".join(f"witness {name} {keys[1]}\n" for name, keys in WITNESSES.items())
    + "group guarantors 2 icrc coalition receiver\n"
    + "quorum guarantors\n"
)


def make_log() -> tuple[MemoryLog, bytes]:
    log = MemoryLog(ORIGIN, Ed25519Signer.from_skey(LOG_SKEY))
    log.extend(entry_body(i) for i in range(SIZE))
    note = log.commit()
    return log, note


LOG, NOTE = make_log()


def cosign(note: bytes, *names: str) -> bytes:
    body = LOG.current_checkpoint().body()
    return add_signature_lines(note, [cosigner(n).cosign(body, T) for n in names])


COSIGNED = cosign(NOTE, "icrc", "receiver")


def test_format_matches_the_spec_layout() -> None:
    receipt = build_proof(LOG, 737, COSIGNED, SIZE, extra=b"context")
    lines = receipt.split(b"\n")
    assert lines[0] == b"c2sp.org/tlog-proof@v1"
    assert lines[1] == b"extra " + base64.b64encode(b"context")
    assert lines[2] == b"index 737"
    hashes = inclusion_proof(737, SIZE, LOG)
    assert lines[3 : 3 + len(hashes)] == [base64.b64encode(h) for h in hashes]
    assert lines[3 + len(hashes)] == b""
    assert receipt.endswith(b"\n\n" + COSIGNED)


@pytest.mark.parametrize("extra", [None, b"", b"\x00vrf"])
def test_round_trip(extra: bytes | None) -> None:
    receipt = build_proof(LOG, 5, COSIGNED, SIZE, extra=extra)
    parsed = parse_proof(receipt)
    assert parsed == TlogProof(5, tuple(inclusion_proof(5, SIZE, LOG)), COSIGNED, extra)
    assert parsed.to_bytes() == receipt
    checkpoint = verify_receipt(receipt, entry_body(5), POLICY)
    assert checkpoint == Checkpoint(ORIGIN, SIZE, LOG.root())


@pytest.mark.parametrize("index", [0, 1, 511, 512, SIZE - 1])
def test_every_position_verifies(index: int) -> None:
    receipt = build_proof(LOG, index, COSIGNED, SIZE)
    assert verify_receipt(receipt, entry_body(index), POLICY).size == SIZE


def test_single_entry_tree_has_no_proof_hashes() -> None:
    log = MemoryLog(ORIGIN, Ed25519Signer.from_skey(LOG_SKEY))
    log.append(b"only")
    note = log.commit()
    body = log.current_checkpoint().body()
    note = add_signature_lines(note, [cosigner(n).cosign(body, T) for n in ("icrc", "coalition")])
    receipt = build_proof(log, 0, note, 1)
    assert parse_proof(receipt).proof == ()
    assert verify_receipt(receipt, b"only", POLICY).size == 1


def test_wrong_entry_is_refused() -> None:
    receipt = build_proof(LOG, 42, COSIGNED, SIZE)
    with pytest.raises(VerificationFailed, match="index 42"):
        verify_receipt(receipt, entry_body(43), POLICY)


def test_wrong_index_is_refused() -> None:
    receipt = build_proof(LOG, 42, COSIGNED, SIZE)
    moved = receipt.replace(b"index 42\n", b"index 43\n")
    with pytest.raises(VerificationFailed):
        verify_receipt(moved, entry_body(42), POLICY)
    beyond = receipt.replace(b"index 42\n", b"index 1000\n")
    with pytest.raises(VerificationFailed, match="not in a tree"):
        verify_receipt(beyond, entry_body(42), POLICY)


def test_tampered_proof_hash_is_refused() -> None:
    parsed = parse_proof(build_proof(LOG, 42, COSIGNED, SIZE))
    hashes = list(parsed.proof)
    hashes[3] = bytes([hashes[3][0] ^ 1]) + hashes[3][1:]
    tampered = format_proof(parsed.index, hashes, parsed.checkpoint)
    with pytest.raises(VerificationFailed, match="does not match the root"):
        verify_receipt(tampered, entry_body(42), POLICY)
    shortened = format_proof(parsed.index, hashes[:-1], parsed.checkpoint)
    with pytest.raises(VerificationFailed, match="too short"):
        verify_receipt(shortened, entry_body(42), POLICY)


def test_quorum_not_met_is_refused() -> None:
    receipt = build_proof(LOG, 42, cosign(NOTE, "coalition"), SIZE)
    with pytest.raises(VerificationFailed, match="quorum not met"):
        verify_receipt(receipt, entry_body(42), POLICY)
    bare = build_proof(LOG, 42, NOTE, SIZE)
    with pytest.raises(VerificationFailed, match="quorum not met"):
        verify_receipt(bare, entry_body(42), POLICY)


def test_tampered_checkpoint_is_refused() -> None:
    receipt = build_proof(LOG, 42, COSIGNED, SIZE)
    forged = receipt.replace(b"\n1000\n", b"\n1001\n")
    with pytest.raises(VerificationFailed):
        verify_receipt(forged, entry_body(42), POLICY)


def test_build_refuses_a_checkpoint_of_another_size_or_tree() -> None:
    with pytest.raises(VerificationFailed, match="size 1000, not 999"):
        build_proof(LOG, 1, NOTE, 999)
    other = MemoryLog(ORIGIN, Ed25519Signer.from_skey(LOG_SKEY))
    other.extend(b"other %d" % i for i in range(SIZE))
    with pytest.raises(VerificationFailed, match="has another root"):
        build_proof(LOG, 1, other.commit(), SIZE)
    with pytest.raises(MalformedProof):
        build_proof(LOG, SIZE, NOTE, SIZE)


GOOD = build_proof(LOG, 42, COSIGNED, SIZE)
HASH = base64.b64encode(bytes(32))


@pytest.mark.parametrize(
    "data",
    [
        b"",
        GOOD.replace(b"\n\n", b"\n", 1),  # no empty line
        GOOD.replace(b"c2sp.org/tlog-proof@v1", b"c2sp.org/tlog-proof@v2"),
        GOOD.replace(b"index 42\n", b"index 042\n"),
        GOOD.replace(b"index 42\n", b"index -1\n"),
        GOOD.replace(b"index 42\n", b"index 18446744073709551616\n"),
        GOOD.replace(b"index 42\n", b"index  42\n"),
        GOOD.replace(b"index 42\n", b""),
        GOOD.replace(b"index 42\n", b"extra !!\nindex 42\n"),
        GOOD.replace(b"index 42\n", b"index 42\nAAAA\n"),
        GOOD.replace(b"index 42\n", b"index 42\n" + HASH[:-1] + b"\n"),
        GOOD.replace(b"index 42\n", b"index 42\n" + (HASH + b"\n") * 60),
        GOOD.split(b"\n\n")[0] + b"\n\nnot a checkpoint\n",
        GOOD.replace(b"index 42\n", "index ٤٢\n".encode()),
    ],
)
def test_malformed_receipts(data: bytes) -> None:
    with pytest.raises(MalformedProof):
        parse_proof(data)


def test_format_refuses_bad_values() -> None:
    with pytest.raises(MalformedProof):
        format_proof(-1, [], NOTE)
    with pytest.raises(MalformedProof):
        format_proof(0, [b"short"], NOTE)
