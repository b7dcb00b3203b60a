"""C2SP tlog-cosignature/v1: the spec's example, transparency-dev's vectors, round trips."""

from __future__ import annotations

import base64

import nacl.signing
import pytest

from amanah.errors import InvalidInput, MalformedNote, VerificationFailed
from amanah.ledger.checkpoint import Checkpoint, cosignatures, open_checkpoint, sign_checkpoint
from amanah.ledger.note import add_signature_lines, open_note, parse_note, sign_note
from amanah.ledger.signing import (
    CosignatureSigner,
    CosignatureVerifier,
    Ed25519Signer,
    Ed25519Verifier,
    cosignature_timestamp,
    generate_key,
    generate_witness_key,
)

# c2sp.org/tlog-cosignature: the example checkpoint and its witness line, whose signed message
# the spec shows with "time 1679315147".
SPEC_NOTE = (
    "example.com/behind-the-sofa\n"
    "20852163\n"
    "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
    "\n"
    "— example.com/behind-the-sofa "
    "Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
    "— witness.example.com/w1 "
    "jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZ"
    "qhf5nNo0xUe+mbIUBkBIfZ+qnA==\n"
).encode()
# transparency-dev/formats note/note_cosigv1_test.go TestCosignatureTimestamp.
TD_COSIG = (
    "ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8qT7S5gxEHWWOworDcFiEB"
    "YJXORmnFBOBA=="
)
TD_NOT_COSIG = (
    "eQjRQm6eSKzFoiYalgwCPXu2y3ijtg68is9M46JKxuZB+dRfTmeQeDBoXnvxZx2ugnkyV+MUMLXpWs1hPb/W/4xkNQY="
)

ORIGIN = "amanah.example/facility-7"
WITNESS = "guarantor.example/w1"
BODY = Checkpoint(ORIGIN, 42, bytes(range(32))).body()
T = 1_700_000_000


def witness(name: str = WITNESS, seed: int = 1) -> tuple[CosignatureSigner, CosignatureVerifier]:
    skey, vkey = generate_witness_key(name, bytes([seed]) * 32)
    return CosignatureSigner.from_skey(skey), CosignatureVerifier.from_vkey(vkey)


def log() -> tuple[Ed25519Signer, Ed25519Verifier]:
    skey, vkey = generate_key(ORIGIN, b"\x07" * 32)
    return Ed25519Signer.from_skey(skey), Ed25519Verifier.from_vkey(vkey)


def test_spec_example_timestamp_and_key_id() -> None:
    note = parse_note(SPEC_NOTE)
    cosig = note.signatures[1]
    assert cosig.name == "witness.example.com/w1"
    assert cosig.key_id.hex() == "8d66cf3f"
    assert CosignatureVerifier.timestamp_of(cosig.payload) == 1679315147
    assert len(note.signatures[0].payload) == 64


def test_transparency_dev_timestamp_vectors() -> None:
    raw = base64.b64decode(TD_COSIG)
    assert cosignature_timestamp(raw[4:]) == 1727964367
    with pytest.raises(MalformedNote):
        cosignature_timestamp(base64.b64decode(TD_NOT_COSIG)[4:])


def test_signed_message_is_header_time_line_and_body() -> None:
    signer, verifier = witness()
    line = signer.cosign(BODY, T)
    name, encoded = line.removeprefix("— ").removesuffix("\n").split(" ")
    raw = base64.b64decode(encoded)
    assert name == WITNESS
    assert raw[:4] == signer.key_id
    assert raw[4:12] == T.to_bytes(8, "big")
    message = f"cosignature/v1\ntime {T}\n{BODY}".encode()
    nacl.signing.VerifyKey(verifier.public_key).verify(message, raw[12:])
    assert verifier.verify(BODY.encode(), raw[4:])
    assert not verifier.verify(BODY.encode().replace(b"42", b"43"), raw[4:])
    forged_time = (T + 1).to_bytes(8, "big") + raw[12:]
    assert not verifier.verify(BODY.encode(), forged_time)


def test_cosigned_checkpoint_round_trip() -> None:
    log_signer, log_verifier = log()
    w1, v1 = witness(seed=1)
    w2, v2 = witness("guarantor.example/w2", seed=2)
    data = sign_checkpoint(Checkpoint(ORIGIN, 42, bytes(range(32))), log_signer)
    data = add_signature_lines(data, [w1.cosign(BODY, T), w2.cosign(BODY, T + 5)])
    checkpoint, note = open_checkpoint(data, log_verifier)
    assert checkpoint.size == 42
    assert cosignatures(note, [v1, v2]) == {WITNESS: T, "guarantor.example/w2": T + 5}
    assert cosignatures(note, [v1]) == {WITNESS: T}
    # A cosignature line can also come from sign_note with a fixed time: same bytes.
    assert sign_note(BODY, [w1.at(T)]) == (BODY + "\n" + w1.cosign(BODY, T)).encode()


def test_cosignature_covers_extension_lines() -> None:
    w1, v1 = witness()
    body = Checkpoint(ORIGIN, 42, bytes(32), ("Extendo",)).body()
    data = sign_note(body, [w1.at(T)])
    open_note(data, [v1])
    with pytest.raises(VerificationFailed):
        open_note(data.replace(b"Extendo", b"Extende"), [v1])


def test_invalid_cosignatures_are_left_out() -> None:
    w1, v1 = witness()
    _, other = witness(seed=9)
    data = sign_note(BODY, [w1.at(T)])
    note = parse_note(data)
    assert cosignatures(note, [other]) == {}
    bad = parse_note(data.replace(b"\n42\n", b"\n41\n"))
    assert cosignatures(bad, [v1]) == {}


def test_ed25519_key_does_not_verify_a_cosignature() -> None:
    w1, v1 = witness()
    log_skey, _ = generate_key(WITNESS, b"\x01" * 32)
    same_key_as_log = Ed25519Signer.from_skey(log_skey).verifier()
    assert same_key_as_log.public_key == v1.public_key
    assert same_key_as_log.key_id != v1.key_id
    with pytest.raises(VerificationFailed, match="no signature from a known key"):
        open_note(sign_note(BODY, [w1.at(T)]), [same_key_as_log])


def test_timestamp_limits() -> None:
    w1, v1 = witness()
    with pytest.raises(InvalidInput):
        w1.cosign(BODY, 2**63)
    with pytest.raises(InvalidInput):
        w1.cosign(BODY, -1)
    line = w1.cosign(BODY, 2**63 - 1)
    payload = base64.b64decode(line.split(" ")[2])[4:]
    assert v1.verify(BODY.encode(), payload)
    too_late = (2**63).to_bytes(8, "big") + payload[8:]
    assert not v1.verify(BODY.encode(), too_late)
    with pytest.raises(MalformedNote):
        v1.timestamp_of(too_late)
    assert not v1.verify(BODY.encode(), payload[:-1])


def test_cosign_needs_newline_terminated_body() -> None:
    w1, _ = witness()
    with pytest.raises(MalformedNote):
        w1.cosign(BODY.rstrip("\n"), T)
