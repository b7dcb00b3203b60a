"""C2SP signed-note: Go's sumdb/note vectors byte-for-byte, the spec's example, refusals."""

from __future__ import annotations

import base64

import pytest

from amanah.errors import MalformedNote, VerificationFailed
from amanah.ledger.note import (
    Note,
    NoteSignature,
    add_signature_lines,
    open_note,
    parse_note,
    sign_note,
)
from amanah.ledger.signing import Ed25519Signer, Ed25519Verifier, generate_key

# golang.org/x/mod/sumdb/note note.go / note_test.go
PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
PETER_B64 = (
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM="
)
PETER_SIG = f"— PeterNeumann {PETER_B64}\n"
ENOCH_SIG = (
    "— EnochRoot "
    "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"
)

# c2sp.org/signed-note, the example at the top of the spec (its key is not published).
SPEC_EXAMPLE = (
    "Ognuno sta solo sul cuor della terra\n"
    "trafitto da un raggio di sole:\n"
    "\n"
    "ed è subito sera.\n"
    "\n"
    "— quasimodo.example/salvatore "
    "NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n"
).encode()


def peter() -> Ed25519Verifier:
    return Ed25519Verifier.from_vkey(PETER_VKEY)


def enoch() -> Ed25519Verifier:
    return Ed25519Verifier.from_vkey(ENOCH_VKEY)


def test_go_sign_output_byte_for_byte() -> None:
    signer = Ed25519Signer.from_skey(PETER_SKEY)
    assert sign_note(TEXT, [signer]) == (TEXT + "\n" + PETER_SIG).encode()


def test_go_open_one_known_one_unknown() -> None:
    note, verified = open_note((TEXT + "\n" + PETER_SIG + ENOCH_SIG).encode(), [peter()])
    assert note.text == TEXT
    assert [s.name for s in verified] == ["PeterNeumann"]
    assert verified[0].key_id == bytes.fromhex("c74f20a3")
    assert [s.name for s in note.signatures] == ["PeterNeumann", "EnochRoot"]


def test_go_open_both_known() -> None:
    _, verified = open_note((TEXT + "\n" + PETER_SIG + ENOCH_SIG).encode(), [peter(), enoch()])
    assert [s.key() for s in verified] == ["PeterNeumann+c74f20a3", "EnochRoot+af0cfe78"]


def test_no_known_signature_is_refused() -> None:
    with pytest.raises(VerificationFailed, match="no signature from a known key"):
        open_note((TEXT + "\n" + PETER_SIG + ENOCH_SIG).encode(), [])


def test_go_doubly_signed_example_from_add_signature_lines() -> None:
    single = (TEXT + "\n" + PETER_SIG).encode()
    double = add_signature_lines(single, [ENOCH_SIG])
    assert double == (TEXT + "\n" + PETER_SIG + ENOCH_SIG).encode()
    assert add_signature_lines(double, [ENOCH_SIG, PETER_SIG.rstrip("\n")]) == double


def test_invalid_signature_from_known_key_rejects_note() -> None:
    bad = PETER_SIG[:60] + "ABCD" + PETER_SIG[60:]
    with pytest.raises(VerificationFailed, match=r"PeterNeumann\+c74f20a3"):
        open_note((TEXT + "\n" + bad).encode(), [peter()])
    # ...even next to a good signature from the same key.
    with pytest.raises(VerificationFailed, match=r"PeterNeumann\+c74f20a3"):
        open_note((TEXT + "\n" + PETER_SIG + bad).encode(), [peter()])


def test_duplicates_dropped_and_bad_unknown_signature_ignored() -> None:
    # Go's "Duplicated verified and unverified signatures" case.
    enoch_abcd = ENOCH_SIG[:60] + "ABCD" + ENOCH_SIG[60:]
    data = TEXT + "\n" + PETER_SIG + PETER_SIG + ENOCH_SIG + ENOCH_SIG + enoch_abcd
    note, verified = open_note(data.encode(), [peter()])
    assert len(verified) == 1
    assert [s.line() for s in note.signatures] == [PETER_SIG, ENOCH_SIG, enoch_abcd]


def test_same_name_other_id_or_same_id_other_name_is_unknown() -> None:
    misnamed = PETER_SIG.replace("PeterNeumann", "CarmenSandiego")
    wrong_id = PETER_SIG.replace("x08g", "xxxx")
    for sig in (misnamed, wrong_id):
        with pytest.raises(VerificationFailed, match="no signature from a known key"):
            open_note((TEXT + "\n" + sig).encode(), [peter()])


def test_ambiguous_verifiers_are_refused_when_used() -> None:
    # A colliding key: same name and key ID as Enoch's, different public key.
    class Impostor:
        name = "EnochRoot"
        key_id = bytes.fromhex("af0cfe78")

        def verify(self, message: bytes, payload: bytes) -> bool:
            return True

    data = (TEXT + "\n" + ENOCH_SIG).encode()
    with pytest.raises(VerificationFailed, match=r"ambiguous key EnochRoot\+af0cfe78"):
        open_note(data, [enoch(), peter(), Impostor()])
    open_note((TEXT + "\n" + PETER_SIG).encode(), [enoch(), peter(), Impostor()])
    _, verified = open_note(data, [enoch(), enoch()])
    assert len(verified) == 1


@pytest.mark.parametrize(
    "data",
    [
        # Go's TestOpen badMsgs.
        TEXT.encode(),
        (TEXT + "\n").encode(),
        (TEXT + "\n" + PETER_SIG[:-1]).encode(),
        ("\x01" + TEXT + "\n" + PETER_SIG).encode(),
        b"\xff" + (TEXT + "\n" + PETER_SIG).encode(),
        (TEXT + "\n— Bad Name " + PETER_B64).encode(),
        (TEXT + "\n" + PETER_SIG + "Unexpected line.\n").encode(),
        # More: lines without the em dash, bad base64, short signatures, control characters.
        (TEXT + "\n" + PETER_SIG.replace("— ", "- ")).encode(),
        (TEXT + "\n" + PETER_SIG.replace("— ", "—")).encode(),
        (TEXT + "\n" + PETER_SIG.replace("— ", "— ", 1).replace("Neumann ", "Neumann  ")).encode(),
        (TEXT + "\n" + PETER_SIG.replace("AM=", "AM")).encode(),
        (TEXT + "\n" + PETER_SIG.replace("AM=", "AM==")).encode(),
        (TEXT + "\n" + PETER_SIG.replace("x08go", "x08g_")).encode(),
        (TEXT + "\n— PeterNeumann\n").encode(),
        (TEXT + "\n— PeterNeumann \n").encode(),
        (TEXT + "\n—  " + PETER_B64 + "\n").encode(),
        (TEXT + "\n— Peter+Neumann " + PETER_B64 + "\n").encode(),
        (
            TEXT + "\n— PeterNeumann " + base64.b64encode(b"\xc7\x4f\x20\xa3").decode() + "\n"
        ).encode(),
        (TEXT + "\n— PeterNeumann AAAA\n").encode(),
        (TEXT + "\n" + PETER_SIG + "\n").encode(),
        (TEXT.replace(" ", "\t", 1) + "\n" + PETER_SIG).encode(),
        (TEXT + "\n" + PETER_SIG.replace("\n", "\r\n")).encode(),
        b"\xed\xa0\x80\n\n" + PETER_SIG.encode(),  # an encoded surrogate is not UTF-8
        b"",
    ],
)
def test_malformed_notes_are_refused(data: bytes) -> None:
    with pytest.raises(MalformedNote):
        parse_note(data)
    with pytest.raises(MalformedNote):
        open_note(data, [peter()])


def test_more_than_100_signatures_refused_even_duplicates() -> None:
    with pytest.raises(MalformedNote, match="100"):
        parse_note((TEXT + "\n" + PETER_SIG * 101).encode())
    note, verified = open_note((TEXT + "\n" + PETER_SIG * 100).encode(), [peter()])
    assert len(note.signatures) == len(verified) == 1


def test_sixteen_signatures_accepted() -> None:
    signers = [
        Ed25519Signer.from_skey(generate_key(f"k{i}", bytes([i]) * 32)[0]) for i in range(16)
    ]
    data = sign_note(TEXT, signers)
    _, verified = open_note(data, [s.verifier() for s in signers])
    assert [s.name for s in verified] == [f"k{i}" for i in range(16)]


def test_spec_example_parses_with_text_split_at_last_blank_line() -> None:
    note = parse_note(SPEC_EXAMPLE)
    assert note.text == (
        "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n"
        "\ned è subito sera.\n"
    )
    (sig,) = note.signatures
    assert sig.name == "quasimodo.example/salvatore"
    assert sig.key_id.hex() == "367ba04b"
    assert len(sig.payload) == 64
    assert note.to_bytes() == SPEC_EXAMPLE
    # A key with the same name but another ID is unknown, so nothing verifies.
    _, vkey = generate_key("quasimodo.example/salvatore", bytes(32))
    with pytest.raises(VerificationFailed, match="no signature from a known key"):
        open_note(SPEC_EXAMPLE, [Ed25519Verifier.from_vkey(vkey)])


def test_round_trip_with_blank_lines_and_unicode_in_text() -> None:
    skey, vkey = generate_key("amanah.example/log", bytes(32))
    text = "قيد\n\n\nend with blank lines inside\n"
    data = sign_note(text, [Ed25519Signer.from_skey(skey)])
    note, verified = open_note(data, [Ed25519Verifier.from_vkey(vkey)])
    assert note.text == text
    assert len(verified) == 1
    tampered = data.replace(b"end", b"End")
    with pytest.raises(VerificationFailed, match="invalid signature"):
        open_note(tampered, [Ed25519Verifier.from_vkey(vkey)])


@pytest.mark.parametrize("text", ["no newline", "tab\there\n", "cr\r\n", "\ud800\n"])
def test_sign_refuses_bad_text(text: str) -> None:
    with pytest.raises(MalformedNote):
        sign_note(text, [Ed25519Signer.from_skey(PETER_SKEY)])


def test_sign_needs_a_signer_and_note_needs_a_signature() -> None:
    with pytest.raises(MalformedNote):
        sign_note(TEXT, [])
    with pytest.raises(MalformedNote):
        Note(TEXT, ()).to_bytes()


def test_add_signature_lines_refuses_malformed_lines_and_too_many() -> None:
    single = (TEXT + "\n" + PETER_SIG).encode()
    with pytest.raises(MalformedNote):
        add_signature_lines(single, ["not a signature line"])
    many = [NoteSignature(f"k{i}", bytes(4), b"x").line() for i in range(100)]
    with pytest.raises(MalformedNote, match="100"):
        add_signature_lines(single, many)
