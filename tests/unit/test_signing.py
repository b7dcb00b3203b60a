"""Note keys: Go's golang.org/x/mod/sumdb/note test keys, key IDs, key-string manglings."""

from __future__ import annotations

import hashlib

import pytest

from amanah.errors import InvalidInput
from amanah.ledger.signing import (
    CosignatureSigner,
    CosignatureVerifier,
    Ed25519Signer,
    Ed25519Verifier,
    generate_key,
    generate_witness_key,
    is_valid_key_name,
    key_id,
    verifier_from_vkey,
)

# golang.org/x/mod/sumdb/note note_test.go
PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
# transparency-dev/formats note/note_cosigv1_test.go: a real witness's cosignature/v1 key.
REMORA_VKEY = "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2"
# Same file: a type 0x01 key that transparency-dev also accepts as a cosigner key.
TEST_ED25519_VKEY = "TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6"

SEED = bytes(range(32))


def test_go_skey_derives_go_vkey() -> None:
    signer = Ed25519Signer.from_skey(PETER_SKEY)
    assert signer.name == "PeterNeumann"
    assert signer.key_id == bytes.fromhex("c74f20a3")
    assert signer.vkey == PETER_VKEY


def test_go_vkeys_parse() -> None:
    peter = Ed25519Verifier.from_vkey(PETER_VKEY)
    enoch = Ed25519Verifier.from_vkey(ENOCH_VKEY)
    assert (peter.name, peter.key_id.hex()) == ("PeterNeumann", "c74f20a3")
    assert (enoch.name, enoch.key_id.hex()) == ("EnochRoot", "af0cfe78")
    assert peter.vkey == PETER_VKEY
    assert key_id("PeterNeumann", b"\x01" + peter.public_key) == peter.key_id


def test_key_id_is_sha256_of_name_newline_type_key() -> None:
    material = b"\x01" + bytes(32)
    assert (
        key_id("a.example/b", material) == hashlib.sha256(b"a.example/b\n" + material).digest()[:4]
    )


def test_sign_verify_round_trip_and_tamper() -> None:
    signer = Ed25519Signer.from_skey(PETER_SKEY)
    verifier = Ed25519Verifier.from_vkey(PETER_VKEY)
    signature = signer.sign(b"hi")
    assert verifier.verify(b"hi", signature)
    assert not verifier.verify(b"hj", signature)
    assert not verifier.verify(b"hi", bytes([signature[0] ^ 1]) + signature[1:])
    assert not verifier.verify(b"hi", signature[:-1])
    assert not verifier.verify(b"hi", b"")


def test_every_substring_and_byte_change_of_go_vkey_is_refused() -> None:
    # The mangling loop of Go's TestNewVerifier.
    raw = PETER_VKEY.encode()
    for i in range(len(raw) + 1):
        for j in range(i + 1, len(raw) + 1):
            if (i, j) != (0, len(raw)):
                with pytest.raises(InvalidInput):
                    Ed25519Verifier.from_vkey(raw[i:j].decode())
    for i in range(len(raw)):
        changed = raw[:i] + bytes([raw[i] + 1]) + raw[i + 1 :]
        with pytest.raises(InvalidInput):
            Ed25519Verifier.from_vkey(changed.decode())


def test_every_substring_and_byte_change_of_go_skey_is_refused() -> None:
    # The mangling loop of Go's TestNewSigner.
    raw = PETER_SKEY.encode()
    for i in range(len(raw) + 1):
        for j in range(i + 1, len(raw) + 1):
            if (i, j) != (0, len(raw)):
                with pytest.raises(InvalidInput):
                    Ed25519Signer.from_skey(raw[i:j].decode())
    for i in range(len(raw)):
        changed = raw[:i] + bytes([raw[i] + 1]) + raw[i + 1 :]
        with pytest.raises(InvalidInput):
            Ed25519Signer.from_skey(changed.decode())


@pytest.mark.parametrize(
    "vkey",
    [
        # Go's TestNewVerifier: wrong key length and unknown algorithm, both with adjusted IDs.
        "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
        "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        # transparency-dev's TestCoSigV1NewVerifier failures.
        "bananas.sigstore.dev+12344556",
        "rekor.sigstore.dev+12345678+THIS_IS_NOT_BASE64!",
        "rekor.sigstore.dev+12345678+AwEB",
        "PeterNeumann+0xc74f20+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+C74F20A4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "",
    ],
)
def test_bad_vkeys_are_refused(vkey: str) -> None:
    with pytest.raises(InvalidInput):
        verifier_from_vkey(vkey)


def test_hex_key_id_case_is_accepted_like_go() -> None:
    assert Ed25519Verifier.from_vkey(PETER_VKEY.replace("c74f20a3", "C74F20A3")).vkey == PETER_VKEY


def test_generate_key_is_go_format_and_reproducible() -> None:
    skey, vkey = generate_key("log.example/amanah", SEED)
    assert skey.startswith("PRIVATE+KEY+log.example/amanah+")
    assert (skey, vkey) == generate_key("log.example/amanah", SEED)
    signer = Ed25519Signer.from_skey(skey)
    assert signer.vkey == vkey
    assert Ed25519Verifier.from_vkey(vkey).verify(b"m\n", signer.sign(b"m\n"))
    assert generate_key("x")[0] != generate_key("x")[0]


@pytest.mark.parametrize(
    "name", ["", "a b", "a+b", "a\tb", "a\u00a0b", "a\u2028b", "a\u3000b", "a\x01b", "\ud800"]
)
def test_bad_key_names_are_refused(name: str) -> None:
    assert not is_valid_key_name(name)
    with pytest.raises(InvalidInput, match="key name"):
        generate_key(name, SEED)


def test_unicode_names_are_allowed() -> None:
    name = "سجل.example/أمانة"
    _, vkey = generate_key(name, SEED)
    assert Ed25519Verifier.from_vkey(vkey).name == name


def test_bad_seed_length_is_refused() -> None:
    with pytest.raises(InvalidInput, match="32 bytes"):
        generate_key("a", b"short")


def test_key_types_do_not_mix() -> None:
    skey, vkey = generate_witness_key("witness.example/w1", SEED)
    with pytest.raises(InvalidInput, match="0x04"):
        Ed25519Signer.from_skey(skey)
    with pytest.raises(InvalidInput, match="not Ed25519"):
        Ed25519Verifier.from_vkey(vkey)
    with pytest.raises(InvalidInput, match="0x01"):
        CosignatureSigner.from_skey(PETER_SKEY)
    with pytest.raises(InvalidInput, match="not a cosignature"):
        CosignatureVerifier.from_vkey(PETER_VKEY)
    # Same seed and name, different type byte: different key ID.
    _, log_vkey = generate_key("witness.example/w1", SEED)
    assert verifier_from_vkey(log_vkey).key_id != verifier_from_vkey(vkey).key_id


def test_verifier_from_vkey_dispatches_on_type() -> None:
    assert isinstance(verifier_from_vkey(PETER_VKEY), Ed25519Verifier)
    remora = verifier_from_vkey(REMORA_VKEY)
    assert isinstance(remora, CosignatureVerifier)
    assert (remora.name, remora.key_id.hex()) == ("remora.n621.de", "da77ade7")
    assert isinstance(verifier_from_vkey(TEST_ED25519_VKEY), Ed25519Verifier)


def test_witness_key_round_trip() -> None:
    skey, vkey = generate_witness_key("witness.example/w1", SEED)
    signer = CosignatureSigner.from_skey(skey)
    assert signer.vkey == vkey
    assert signer.verifier() == CosignatureVerifier.from_vkey(vkey)


def test_private_key_is_not_in_repr() -> None:
    signer = Ed25519Signer.from_skey(PETER_SKEY)
    assert "AYEKFALV" not in repr(signer)
    assert "_key" not in repr(signer)
