"""C2SP tlog-checkpoint: body format, the spec's example, refusals, signing and opening."""

from __future__ import annotations

import base64

import pytest

from amanah.errors import MalformedNote, VerificationFailed
from amanah.ledger.checkpoint import Checkpoint, open_checkpoint, parse_checkpoint, sign_checkpoint
from amanah.ledger.hashing import EMPTY_ROOT
from amanah.ledger.note import sign_note
from amanah.ledger.signing import Ed25519Signer, Ed25519Verifier, generate_key

# c2sp.org/tlog-checkpoint, the example at the top of the spec.
SPEC_BODY = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
ORIGIN = "amanah.example/facility-7"
ROOT = bytes(range(32))


def log_keys(name: str = ORIGIN) -> tuple[Ed25519Signer, Ed25519Verifier]:
    skey, vkey = generate_key(name, b"\x07" * 32)
    return Ed25519Signer.from_skey(skey), Ed25519Verifier.from_vkey(vkey)


def test_spec_example_body_parses_and_round_trips() -> None:
    checkpoint = parse_checkpoint(SPEC_BODY)
    assert checkpoint.origin == "example.com/behind-the-sofa"
    assert checkpoint.size == 20852163
    assert checkpoint.root == base64.b64decode("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")
    assert checkpoint.extensions == ()
    assert checkpoint.body() == SPEC_BODY


def test_body_with_extensions_and_empty_tree() -> None:
    checkpoint = Checkpoint(ORIGIN, 0, EMPTY_ROOT, ("ext one", "ext two"))
    body = checkpoint.body()
    assert body == f"{ORIGIN}\n0\n{base64.b64encode(EMPTY_ROOT).decode()}\next one\next two\n"
    assert parse_checkpoint(body) == checkpoint


@pytest.mark.parametrize(
    "text",
    [
        "",
        SPEC_BODY[:-1],
        "example.com/x\n5\n",
        "\n5\n" + base64.b64encode(ROOT).decode() + "\n",
        "o\n05\n" + base64.b64encode(ROOT).decode() + "\n",
        "o\n+5\n" + base64.b64encode(ROOT).decode() + "\n",
        "o\n-5\n" + base64.b64encode(ROOT).decode() + "\n",
        "o\n 5\n" + base64.b64encode(ROOT).decode() + "\n",
        "o\n\n" + base64.b64encode(ROOT).decode() + "\n",
        "o\n٥\n" + base64.b64encode(ROOT).decode() + "\n",  # an Arabic-Indic five
        "o\n1_0\n" + base64.b64encode(ROOT).decode() + "\n",
        f"o\n{2**64}\n" + base64.b64encode(ROOT).decode() + "\n",
        "o\n5\n" + base64.b64encode(ROOT[:31]).decode() + "\n",
        "o\n5\n" + base64.b64encode(ROOT + b"\x00").decode() + "\n",
        "o\n5\n" + base64.b64encode(ROOT).decode().rstrip("=") + "\n",
        "o\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n",  # non-canonical last bits
        "o\n5\n" + base64.b64encode(ROOT).decode() + "\n\n",
        "o\n5\n" + base64.b64encode(ROOT).decode() + "\next\n\nmore\n",
    ],
)
def test_malformed_checkpoints_are_refused(text: str) -> None:
    with pytest.raises(MalformedNote):
        parse_checkpoint(text)


def test_largest_size_is_accepted() -> None:
    text = f"o\n{2**64 - 1}\n" + base64.b64encode(ROOT).decode() + "\n"
    assert parse_checkpoint(text).size == 2**64 - 1


@pytest.mark.parametrize(
    ("origin", "size", "root", "extensions"),
    [
        ("", 1, ROOT, ()),
        ("a\nb", 1, ROOT, ()),
        ("o", -1, ROOT, ()),
        ("o", 1, ROOT[:5], ()),
        ("o", 1, ROOT, ("",)),
        ("o", 1, ROOT, ("a\nb",)),
    ],
)
def test_invalid_checkpoints_cannot_be_built(
    origin: str, size: int, root: bytes, extensions: tuple[str, ...]
) -> None:
    with pytest.raises(MalformedNote):
        Checkpoint(origin, size, root, extensions)


def test_sign_and_open_round_trip() -> None:
    signer, verifier = log_keys()
    checkpoint = Checkpoint(ORIGIN, 42, ROOT)
    data = sign_checkpoint(checkpoint, signer)
    assert data.startswith(checkpoint.body().encode() + b"\n\xe2\x80\x94 " + ORIGIN.encode() + b" ")
    opened, note = open_checkpoint(data, verifier)
    assert opened == checkpoint
    assert note.text == checkpoint.body()


def test_open_checks_origin() -> None:
    signer, verifier = log_keys("another.example/log")
    data = sign_checkpoint(Checkpoint(ORIGIN, 1, ROOT), signer)
    with pytest.raises(VerificationFailed, match="origin"):
        open_checkpoint(data, verifier)
    checkpoint, _ = open_checkpoint(data, verifier, origin=ORIGIN)
    assert checkpoint.size == 1
    with pytest.raises(VerificationFailed, match="origin"):
        open_checkpoint(data, verifier, origin="elsewhere")


def test_open_refuses_other_key_and_tampering() -> None:
    signer, verifier = log_keys()
    data = sign_checkpoint(Checkpoint(ORIGIN, 42, ROOT), signer)
    _, stranger = generate_key(ORIGIN, b"\x08" * 32)
    with pytest.raises(VerificationFailed, match="no signature from a known key"):
        open_checkpoint(data, Ed25519Verifier.from_vkey(stranger))
    with pytest.raises(VerificationFailed, match="invalid signature"):
        open_checkpoint(data.replace(b"\n42\n", b"\n43\n"), verifier)


def test_open_refuses_signed_text_that_is_not_a_checkpoint() -> None:
    signer, verifier = log_keys()
    with pytest.raises(MalformedNote):
        open_checkpoint(sign_note(f"{ORIGIN}\nnot a size\n", [signer]), verifier)
