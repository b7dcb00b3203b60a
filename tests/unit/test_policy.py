"""C2SP tlog-policy: the spec's example policy, quorum success and shortfall, refusals."""

from __future__ import annotations

import pytest

from amanah.errors import MalformedPolicy, VerificationFailed
from amanah.ledger.checkpoint import Checkpoint, sign_checkpoint
from amanah.ledger.note import add_signature_lines, sign_note
from amanah.ledger.policy import (
    Policy,
    PolicyGroup,
    PolicyLog,
    PolicyWitness,
    format_policy,
    parse_policy,
)
from amanah.ledger.signing import (
    CosignatureSigner,
    CosignatureVerifier,
    Ed25519Signer,
    Ed25519Verifier,
    generate_key,
    generate_witness_key,
)

ORIGIN = "amanah.example/facility-7"
CHECKPOINT = Checkpoint(ORIGIN, 42, bytes(range(32)))
T = 1_700_000_000
NAMES = ["X1", "X2", "X3", "Y1", "Y2", "Y3"]

LOG_SKEY, LOG_VKEY = generate_key(ORIGIN, b"\x01" * 32)
WITNESS_KEYS = {
    name: generate_witness_key(f"{name.lower()}.example/w", bytes([10 + i]) * 32)
    for i, name in enumerate(NAMES)
}


def vkey(name: str) -> str:
    return WITNESS_KEYS[name][1]


def cosigner(name: str) -> CosignatureSigner:
    return CosignatureSigner.from_skey(WITNESS_KEYS[name][0])


# The example of c2sp.org/tlog-policy, with real keys in place of <vkey>.
SPEC_POLICY = f"""log {LOG_VKEY}

witness X1 {vkey("X1")}
witness X2 {vkey("X2")}
witness X3 {vkey("X3")}
group X-witnesses 2 X1 X2 X3

witness Y1 {vkey("Y1")}
witness Y2 {vkey("Y2")}
witness Y3 {vkey("Y3")}
group Y-witnesses any Y1 Y2 Y3

group X-and-Y all X-witnesses Y-witnesses
quorum X-and-Y
"""


def checkpoint_cosigned_by(*names: str) -> bytes:
    data = sign_checkpoint(CHECKPOINT, Ed25519Signer.from_skey(LOG_SKEY))
    return add_signature_lines(data, [cosigner(n).cosign(CHECKPOINT.body(), T) for n in names])


def test_spec_example_parses() -> None:
    policy = parse_policy(SPEC_POLICY)
    assert [log.verifier.name for log in policy.logs] == [ORIGIN]
    assert [w.name for w in policy.witnesses] == NAMES
    assert policy.groups == (
        PolicyGroup("X-witnesses", 2, ("X1", "X2", "X3")),
        PolicyGroup("Y-witnesses", 1, ("Y1", "Y2", "Y3")),
        PolicyGroup("X-and-Y", 2, ("X-witnesses", "Y-witnesses")),
    )
    assert policy.quorum == "X-and-Y"


def test_quorum_met() -> None:
    policy = parse_policy(SPEC_POLICY)
    assert policy.verify_checkpoint(checkpoint_cosigned_by("X1", "X3", "Y2")) == CHECKPOINT
    assert policy.verify_checkpoint(checkpoint_cosigned_by(*NAMES)) == CHECKPOINT


def test_quorum_short_names_the_group() -> None:
    policy = parse_policy(SPEC_POLICY)
    with pytest.raises(VerificationFailed, match="group X-witnesses has 1 of the 2") as err:
        policy.verify_checkpoint(checkpoint_cosigned_by("X1", "Y1", "Y2"))
    assert "group X-and-Y has 1 of the 2" in str(err.value)
    with pytest.raises(VerificationFailed, match="group Y-witnesses has 0 of the 1"):
        policy.verify_checkpoint(checkpoint_cosigned_by("X1", "X2"))
    with pytest.raises(VerificationFailed, match="quorum not met"):
        policy.verify_checkpoint(checkpoint_cosigned_by())


def test_quorum_none_and_single_witness() -> None:
    none = parse_policy(f"log {LOG_VKEY}\nquorum none\n")
    assert none.verify_checkpoint(checkpoint_cosigned_by()) == CHECKPOINT
    single = parse_policy(f"log {LOG_VKEY}\nwitness A {vkey('X1')}\nquorum A\n")
    assert single.verify_checkpoint(checkpoint_cosigned_by("X1")) == CHECKPOINT
    with pytest.raises(VerificationFailed, match="witness A has not cosigned"):
        single.verify_checkpoint(checkpoint_cosigned_by("X2"))


def test_log_signature_is_required() -> None:
    policy = parse_policy(f"log {LOG_VKEY}\nwitness A {vkey('X1')}\nquorum A\n")
    only_witness = sign_note(CHECKPOINT.body(), [cosigner("X1").at(T)])
    with pytest.raises(VerificationFailed, match="not signed by log"):
        policy.verify_checkpoint(only_witness)
    _, other_log = generate_key("other.example/log", b"\x02" * 32)
    other = parse_policy(f"log {other_log}\nquorum none\n")
    with pytest.raises(VerificationFailed, match="no log in the policy has origin"):
        other.verify_checkpoint(checkpoint_cosigned_by())


def test_bad_cosignature_from_listed_witness_rejects() -> None:
    policy = parse_policy(SPEC_POLICY)
    wrong_body = Checkpoint(ORIGIN, 43, bytes(range(32))).body()
    data = add_signature_lines(
        checkpoint_cosigned_by("X1", "X2", "Y1"), [cosigner("X3").cosign(wrong_body, T)]
    )
    with pytest.raises(VerificationFailed, match=r"invalid signature for key x3\.example/w"):
        policy.verify_checkpoint(data)


def test_comments_whitespace_and_urls() -> None:
    text = (
        "# a policy\n"
        "   # indented comment\n"
        "\t\n"
        f"  log\t{LOG_VKEY}   https://log.example/  \n"
        f"witness\tA \t{vkey('X1')} https://w.example/a\n"
        "quorum A\n"
    )
    policy = parse_policy(text)
    assert policy.logs[0].url == "https://log.example/"
    assert policy.witnesses[0].url == "https://w.example/a"


def test_to_text_round_trips() -> None:
    policy = parse_policy(SPEC_POLICY)
    assert parse_policy(policy.to_text()) == policy
    assert "group X-and-Y all X-witnesses Y-witnesses\n" in policy.to_text()
    assert "group Y-witnesses any Y1 Y2 Y3\n" in policy.to_text()


def test_format_policy_checks_and_writes() -> None:
    log = PolicyLog(Ed25519Verifier.from_vkey(LOG_VKEY), "https://log.example/")
    witnesses = [PolicyWitness(n, CosignatureVerifier.from_vkey(vkey(n))) for n in ("X1", "X2")]
    text = format_policy([log], witnesses, [PolicyGroup("G", 1, ("X1", "X2"))], "G")
    assert text == (
        f"log {LOG_VKEY} https://log.example/\n"
        f"witness X1 {vkey('X1')}\nwitness X2 {vkey('X2')}\ngroup G any X1 X2\nquorum G\n"
    )
    with pytest.raises(MalformedPolicy):
        format_policy([log], witnesses, [PolicyGroup("G", 3, ("X1", "X2"))], "G")
    with pytest.raises(MalformedPolicy):
        Policy((log,), tuple(witnesses), (), "nobody")


W1 = f"witness A {vkey('X1')}\n"
W2 = f"witness B {vkey('X2')}\n"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "no quorum"),
        ("# only a comment\n", "no quorum"),
        (W1 + "quorum A", "newline"),
        (W1 + "quorum A\r\n", "forbidden character"),
        (W1 + "quorum A\x7f\n", "forbidden character"),
        (W1 + "quorum A\nquorum A\n", "exactly one quorum"),
        (W1 + "quorum B\n", "not defined"),
        ("quorum A\n" + W1, "not defined"),
        (W1 + "group G 1 A\ngroup H 1 A\nquorum G\n", "already a member"),
        (W1 + "group G 2 A A\nquorum G\n", "already a member"),
        (W1 + "group G 1 none\nquorum G\n", "'none' cannot be a member"),
        (W1 + "group G 1 B\n" + W2 + "quorum G\n", "not defined"),
        (W1 + W2 + "group G 0 A B\nquorum G\n", "not in 1..2"),
        (W1 + W2 + "group G 3 A B\nquorum G\n", "not in 1..2"),
        (W1 + W2 + "group G two A B\nquorum G\n", "threshold"),
        (W1 + W2 + "group G 2\nquorum G\n", "wrong number of fields"),
        (W1 + W2 + "group A any B\nquorum A\n", "already defined"),
        (f"witness none {vkey('X1')}\nquorum none\n", "already defined"),
        (W1 + f"witness A {vkey('X2')}\nquorum A\n", "already defined"),
        (W1 + f"witness B {vkey('X1')}\nquorum A\n", "duplicates"),
        (f"log {LOG_VKEY}\nlog {LOG_VKEY}\nquorum none\n", "duplicate log key"),
        (f"log {vkey('X1')}\nquorum none\n", "wrong type"),
        (f"witness A {LOG_VKEY}\nquorum A\n", "wrong type"),
        (f"witness A {vkey('X1')[:-2]}\nquorum A\n", "policy line 1"),
        (f"log {LOG_VKEY} url extra\nquorum none\n", "wrong number of fields"),
        (f"witness A {vkey('X1')} url extra\nquorum A\n", "wrong number of fields"),
        ("quorum\n", "wrong number of fields"),
        ("quorum none extra\n", "wrong number of fields"),
        ("witnesses A B\nquorum none\n", "unknown keyword"),
        (f"log {LOG_VKEY} # trailing comments are not comments\nquorum none\n", "fields"),
    ],
)
def test_malformed_policies_are_refused(text: str, reason: str) -> None:
    with pytest.raises(MalformedPolicy, match=reason):
        parse_policy(text)


def test_names_are_opaque_strings() -> None:
    text = f"witness K {vkey('X1')}\nwitness \u212a {vkey('X2')}\ngroup G all K \u212a\nquorum G\n"
    assert [w.name for w in parse_policy(text).witnesses] == ["K", "\u212a"]
