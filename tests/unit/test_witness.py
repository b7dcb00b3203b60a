"""C2SP tlog-witness add-checkpoint: acceptance, each refusal with its status, persistence."""

from __future__ import annotations

import pytest

from amanah.errors import WitnessRefusal
from amanah.ledger import merkle
from amanah.ledger.checkpoint import Checkpoint, cosignatures, sign_checkpoint
from amanah.ledger.note import add_signature_lines, open_note, parse_note
from amanah.ledger.signing import (
    CosignatureSigner,
    Ed25519Signer,
    Ed25519Verifier,
    generate_key,
    generate_witness_key,
)
from amanah.ledger.witness import (
    HTTP_STATUS,
    MemoryWitnessState,
    Witness,
    build_add_checkpoint_request,
    parse_add_checkpoint_request,
)
from tests.support.memlog import MemoryLog, entry_body

ORIGIN = "amanah.example/facility-7"
LOG_SKEY, LOG_VKEY = generate_key(ORIGIN, b"\x01" * 32)
LOG_SIGNER = Ed25519Signer.from_skey(LOG_SKEY)
LOG_VERIFIER = Ed25519Verifier.from_vkey(LOG_VKEY)
W_SKEY, W_VKEY = generate_witness_key("icrc.example/witness", b"\x02" * 32)
COSIGNER = CosignatureSigner.from_skey(W_SKEY)
NOW = 1_768_900_000


class Setup:
    def __init__(self) -> None:
        self.log = MemoryLog(ORIGIN, LOG_SIGNER)
        self.state = MemoryWitnessState()
        self.witness = Witness(COSIGNER, {ORIGIN: LOG_VERIFIER}, self.state, lambda: NOW)

    def grow(self, n: int) -> bytes:
        self.log.extend(entry_body(self.log.size() + i) for i in range(n))
        return self.log.commit()

    def request(self, old: int, note: bytes) -> bytes:
        proof = merkle.consistency_proof(old, self.log.size(), self.log) if old else []
        return build_add_checkpoint_request(old, proof, note)


def refusal(witness: Witness, body: bytes) -> WitnessRefusal:
    with pytest.raises(WitnessRefusal) as info:
        witness.add_checkpoint(body)
    return info.value


def test_first_checkpoint_is_accepted_and_cosigned() -> None:
    s = Setup()
    note = s.grow(5)
    reply = s.witness.add_checkpoint(s.request(0, note))
    assert reply.startswith("— icrc.example/witness ".encode())
    assert reply.endswith(b"\n")
    assert reply.count(b"\n") == 1
    cosigned = add_signature_lines(note, [reply.decode()])
    parsed, _ = open_note(cosigned, [LOG_VERIFIER, COSIGNER.verifier()])
    assert cosignatures(parsed, [COSIGNER.verifier()]) == {"icrc.example/witness": NOW}
    assert s.state.get(ORIGIN) == (5, s.log.root())


def test_growth_with_a_valid_proof_is_accepted() -> None:
    s = Setup()
    s.witness.add_checkpoint(s.request(0, s.grow(5)))
    for add in (1, 250, 3):
        old = s.log.size()
        note = s.grow(add)
        s.witness.add_checkpoint(s.request(old, note))
        assert s.state.get(ORIGIN) == (s.log.size(), s.log.root())


def test_same_checkpoint_again_is_cosigned() -> None:
    s = Setup()
    note = s.grow(7)
    s.witness.add_checkpoint(s.request(0, note))
    assert s.witness.add_checkpoint(build_add_checkpoint_request(7, [], note))


def test_rollback_is_a_conflict_with_the_known_size() -> None:
    s = Setup()
    small = s.grow(3)
    s.witness.add_checkpoint(s.request(0, s.grow(5)))
    # The log (or an attacker) now offers the older, smaller checkpoint.
    err = refusal(s.witness, build_add_checkpoint_request(3, [], small))
    assert (err.kind, err.known_size, HTTP_STATUS[err.kind]) == ("conflict", 8, 409)
    err = refusal(s.witness, build_add_checkpoint_request(0, [], small))
    assert (err.kind, err.known_size) == ("conflict", 8)
    # Claiming the witness's size with a smaller checkpoint is a bad request (old > size).
    err = refusal(s.witness, build_add_checkpoint_request(8, [], small))
    assert (err.kind, HTTP_STATUS[err.kind]) == ("bad_request", 400)
    assert s.state.get(ORIGIN) == (8, s.log.root())


def test_stale_old_size_is_a_conflict() -> None:
    s = Setup()
    s.witness.add_checkpoint(s.request(0, s.grow(4)))
    note = s.grow(4)
    err = refusal(s.witness, s.request(2, note))
    assert (err.kind, err.known_size) == ("conflict", 4)


def test_fork_same_size_different_root_is_refused() -> None:
    s = Setup()
    note = s.grow(6)
    s.witness.add_checkpoint(s.request(0, note))
    forked = sign_checkpoint(Checkpoint(ORIGIN, 6, b"\x42" * 32), LOG_SIGNER)
    err = refusal(s.witness, build_add_checkpoint_request(6, [], forked))
    assert (err.kind, HTTP_STATUS[err.kind]) == ("fork", 409)
    assert err.known_size is None
    assert s.state.get(ORIGIN) == (6, s.log.root())


def test_fork_at_size_zero_is_refused() -> None:
    s = Setup()
    forked = sign_checkpoint(Checkpoint(ORIGIN, 0, b"\x42" * 32), LOG_SIGNER)
    assert refusal(s.witness, build_add_checkpoint_request(0, [], forked)).kind == "fork"


def test_bad_proof_is_422() -> None:
    s = Setup()
    s.witness.add_checkpoint(s.request(0, s.grow(5)))
    note = s.grow(9)
    proof = merkle.consistency_proof(5, 14, s.log)
    proof[0] = bytes(32)
    err = refusal(s.witness, build_add_checkpoint_request(5, proof, note))
    assert (err.kind, HTTP_STATUS[err.kind]) == ("bad_proof", 422)
    # An empty proof where one is needed, and a proof from size 0, are bad proofs too.
    assert refusal(s.witness, build_add_checkpoint_request(5, [], note)).kind == "bad_proof"
    assert s.state.get(ORIGIN) == (5, merkle.root(5, s.log))


def test_proof_from_zero_must_be_empty() -> None:
    s = Setup()
    note = s.grow(4)
    err = refusal(s.witness, build_add_checkpoint_request(0, [bytes(32)], note))
    assert err.kind == "bad_proof"
    assert s.state.get(ORIGIN) is None


def test_unknown_origin_is_404() -> None:
    skey, _ = generate_key("elsewhere.example/log", b"\x03" * 32)
    note = sign_checkpoint(
        Checkpoint("elsewhere.example/log", 1, bytes(32)), Ed25519Signer.from_skey(skey)
    )
    err = refusal(Setup().witness, build_add_checkpoint_request(0, [], note))
    assert (err.kind, HTTP_STATUS[err.kind]) == ("unknown_log", 404)


def test_bad_log_signature_is_403() -> None:
    s = Setup()
    # Signed by a different key that claims the same name: unknown key, so no valid signature.
    impostor = Ed25519Signer.from_skey(generate_key(ORIGIN, b"\x04" * 32)[0])
    s.grow(2)
    note = sign_checkpoint(s.log.current_checkpoint(), impostor)
    err = refusal(s.witness, build_add_checkpoint_request(0, [], note))
    assert (err.kind, HTTP_STATUS[err.kind]) == ("bad_signature", 403)
    # The right key, but the signed text was altered.
    good = s.log.commit()
    altered = good.replace(b"\n2\n", b"\n3\n", 1)
    assert parse_note(altered).text.startswith(f"{ORIGIN}\n3\n")
    assert refusal(s.witness, build_add_checkpoint_request(0, [], altered)).kind == (
        "bad_signature"
    )
    assert s.state.get(ORIGIN) is None


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"old 0\n",  # no blank line
        b"0\n\nx",
        b"old 01\n\n",
        b"old -1\n\n",
        b"old  1\n\n",
        b"old 1 \n\n",
        b"new 1\n\n",
        b"old 18446744073709551616\n\n",
        b"old 1\nnot-base64!\n\n",
        b"old 1\nAAAA\n\n",  # base64, but not 32 bytes
        b"old 0\n\nnot a note",
        b"old 0\n" + b"A" * 43 + b"=\n" * 64 + b"\n",
    ],
)
def test_malformed_request_is_400(body: bytes) -> None:
    err = refusal(Setup().witness, body)
    assert (err.kind, HTTP_STATUS[err.kind]) == ("bad_request", 400)


def test_request_round_trip() -> None:
    s = Setup()
    s.grow(3)
    note = s.grow(10)
    proof = merkle.consistency_proof(3, 13, s.log)
    body = build_add_checkpoint_request(3, proof, note)
    assert body.startswith(b"old 3\n")
    assert parse_add_checkpoint_request(body) == (3, proof, note)
    with pytest.raises(ValueError, match="old size"):
        build_add_checkpoint_request(-1, [], note)


class FailingState(MemoryWitnessState):
    def put(self, origin: str, size: int, root: bytes) -> None:
        raise OSError("disk full")


def test_no_cosignature_unless_the_state_was_persisted() -> None:
    s = Setup()
    state = FailingState()
    witness = Witness(COSIGNER, {ORIGIN: LOG_VERIFIER}, state, lambda: NOW)
    with pytest.raises(OSError, match="disk full"):
        witness.add_checkpoint(s.request(0, s.grow(3)))
    assert state.get(ORIGIN) is None


class RecordingState(MemoryWitnessState):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[str] = []

    def put(self, origin: str, size: int, root: bytes) -> None:
        self.events.append(f"put {size}")
        super().put(origin, size, root)


def test_state_is_put_before_the_reply() -> None:
    s = Setup()
    state = RecordingState()
    witness = Witness(COSIGNER, {ORIGIN: LOG_VERIFIER}, state, lambda: NOW)
    witness.add_checkpoint(s.request(0, s.grow(3)))
    assert state.events == ["put 3"]
