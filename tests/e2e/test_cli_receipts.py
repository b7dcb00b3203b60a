"""Offline receipts: `ledger verify-receipt` and `ledger policy`, as a guarantor uses them."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from amanah.ledger.note import add_signature_lines
from amanah.ledger.policy import parse_policy
from amanah.ledger.proof import format_proof, parse_proof
from amanah.ledger.signing import generate_key, generate_witness_key
from tests.e2e.conftest import ORIGIN, Result, Runner, make_witness, run_cli


@dataclass(frozen=True)
class Log:
    """A log of 7 entries, built once for the module; its files are copied per test."""

    home: Path
    vkey: str
    receipt: bytes  # for entry 3
    entry: bytes  # entry 3, as `ledger entry` prints it (with a final newline)
    other_entry: bytes  # entry 4


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> Log:
    home = tmp_path_factory.mktemp("receipts") / "home"
    assert run_cli(home, "init", "--origin", ORIGIN).code == 0
    assert run_cli(home, "occurrence", "add", "انقطاع المياه").code == 0
    book = home.parent / "book.jsonl"
    rows = [
        {"time": f"2026-01-20T{8 + i:02d}:00", "text": f"تعداد المهجع {i}: مطابق", "by": "ضابط"}
        for i in range(5)
    ]
    book.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    assert run_cli(home, "occurrence", "import", str(book)).code == 0
    proved = run_cli(home, "ledger", "prove", "3")
    assert proved.code == 0, proved.err
    return Log(
        home,
        run_cli(home, "ledger", "vkey").out.strip(),
        proved.raw,
        run_cli(home, "ledger", "entry", "3").raw,
        run_cli(home, "ledger", "entry", "4").raw,
    )


@pytest.fixture
def receipt_files(amanah: Runner, log: Log, tmp_path: Path) -> tuple[Runner, str, Path, Path]:
    """The runner (on the module's log), its vkey, and entry 3's receipt and bytes as files."""
    receipt = tmp_path / "3.tlog-proof"
    entry = tmp_path / "3.json"
    receipt.write_bytes(log.receipt)
    entry.write_bytes(log.entry)

    def run(
        *args: str, stdin: bytes | None = None, home_dir: Path | None = None, db: str | None = None
    ) -> Result:
        return amanah(*args, stdin=stdin, home_dir=home_dir or log.home, db=db)

    return run, log.vkey, receipt, entry


def test_a_receipt_verifies_offline_with_the_log_key(
    receipt_files: tuple[Runner, str, Path, Path], tmp_path: Path
) -> None:
    amanah, vkey, receipt, entry = receipt_files
    # No data home at all: the check needs nothing but the files and the key.
    nowhere = tmp_path / "no-home"
    args = ("ledger", "verify-receipt", str(receipt), "--entry", str(entry), "--vkey", vkey)
    ok = amanah(*args, home_dir=nowhere)
    assert ok.code == 0, ok.err
    assert "entry 3" in ok.out
    assert "size 7" in ok.out
    assert not nowhere.exists()
    as_json = amanah(*args, "--json")
    assert as_json.code == 0, as_json.err
    report = json.loads(as_json.out)
    assert (report["ok"], report["index"], report["size"], report["origin"]) == (
        True,
        3,
        7,
        ORIGIN,
    )
    assert len(base64.b64decode(report["root"])) == 32
    # The entry without its final newline is the same entry.
    entry.write_bytes(entry.read_bytes().rstrip(b"\n"))
    assert amanah(*args).code == 0


def test_a_tampered_entry_fails(receipt_files: tuple[Runner, str, Path, Path]) -> None:
    amanah, vkey, receipt, entry = receipt_files
    data = bytearray(entry.read_bytes())
    data[20] ^= 1
    entry.write_bytes(bytes(data))
    bad = amanah("ledger", "verify-receipt", str(receipt), "--entry", str(entry), "--vkey", vkey)
    assert bad.code == 1, bad.err
    assert "inclusion proof" in bad.err
    assert len(bad.err.strip().splitlines()) == 1


def test_another_entry_of_the_same_log_fails(
    receipt_files: tuple[Runner, str, Path, Path], log: Log, tmp_path: Path
) -> None:
    amanah, vkey, receipt, _ = receipt_files
    other = tmp_path / "4.json"
    other.write_bytes(log.other_entry)
    bad = amanah("ledger", "verify-receipt", str(receipt), "--entry", str(other), "--vkey", vkey)
    assert bad.code == 1, bad.err


def test_a_tampered_proof_hash_fails(receipt_files: tuple[Runner, str, Path, Path]) -> None:
    amanah, vkey, receipt, entry = receipt_files
    parsed = parse_proof(receipt.read_bytes())
    flipped = bytes([parsed.proof[0][0] ^ 1]) + parsed.proof[0][1:]
    receipt.write_bytes(format_proof(parsed.index, (flipped, *parsed.proof[1:]), parsed.checkpoint))
    bad = amanah("ledger", "verify-receipt", str(receipt), "--entry", str(entry), "--vkey", vkey)
    assert bad.code == 1, bad.err


def test_the_wrong_key_fails(receipt_files: tuple[Runner, str, Path, Path]) -> None:
    amanah, _, receipt, entry = receipt_files
    _, same_origin_other_key = generate_key(ORIGIN)
    _, other_origin = generate_key("amanah.example/sy11/elsewhere")
    for vkey in (same_origin_other_key, other_origin):
        bad = amanah(
            "ledger", "verify-receipt", str(receipt), "--entry", str(entry), "--vkey", vkey
        )
        assert bad.code == 1, (vkey, bad.err)
        assert len(bad.err.strip().splitlines()) == 1, bad.err
        assert "Traceback" not in bad.err


def test_malformed_input_is_exit_2(
    receipt_files: tuple[Runner, str, Path, Path], tmp_path: Path
) -> None:
    amanah, vkey, receipt, entry = receipt_files
    garbage = tmp_path / "garbage"
    garbage.write_bytes(b"\x00\xffnot a receipt at all\n")
    truncated = tmp_path / "truncated"
    truncated.write_bytes(receipt.read_bytes()[:40])
    mangled_note = tmp_path / "mangled"
    mangled_note.write_bytes(receipt.read_bytes().replace(b"\n\n", b"\n\nnot a checkpoint\n", 1))
    bad_policy = tmp_path / "bad.policy"
    bad_policy.write_text("log not-a-key\nquorum none\n", encoding="utf-8")
    _, witness_vkey = generate_witness_key("guarantor.example/w1")
    verify = ("ledger", "verify-receipt")
    cases: list[tuple[str, ...]] = [
        (*verify, str(garbage), "--entry", str(entry), "--vkey", vkey),
        (*verify, str(truncated), "--entry", str(entry), "--vkey", vkey),
        (*verify, str(mangled_note), "--entry", str(entry), "--vkey", vkey),
        (*verify, str(tmp_path / "missing"), "--entry", str(entry), "--vkey", vkey),
        (*verify, str(receipt), "--entry", str(tmp_path / "missing"), "--vkey", vkey),
        (*verify, str(receipt), "--entry", str(entry), "--vkey", "not-a-vkey"),
        (*verify, str(receipt), "--entry", str(entry), "--vkey", witness_vkey),
        (*verify, str(receipt), "--entry", str(entry)),
        (*verify, str(receipt), "--entry", str(entry), "--vkey", vkey, "--policy", str(entry)),
        (*verify, str(receipt), "--entry", str(entry), "--policy", str(bad_policy)),
        (*verify, str(receipt), "--entry", str(entry), "--policy", str(tmp_path / "missing")),
        (*verify, str(receipt), "--vkey", vkey),
    ]
    for args in cases:
        result = amanah(*args)
        assert result.code == 2, (args, result.err)
        assert len(result.err.strip().splitlines()) == 1, (args, result.err)
        assert "Traceback" not in result.err


def test_policy_command(initialised: Runner, tmp_path: Path) -> None:
    amanah = initialised
    vkey = amanah("ledger", "vkey").out.strip()
    alone = amanah("ledger", "policy")
    assert alone.code == 0, alone.err
    assert alone.out == f"log {vkey}\nquorum none\n"
    w1 = generate_witness_key("guarantor.example/w1")[1]
    w2 = generate_witness_key("receiver.example/w1")[1]
    two = amanah("ledger", "policy", "--witness", w1, "--witness", w2, "--quorum", "1")
    assert two.code == 0, two.err
    policy = parse_policy(two.out)
    assert [log.verifier.vkey for log in policy.logs] == [vkey]
    assert [w.verifier.vkey for w in policy.witnesses] == [w1, w2]
    assert [(g.threshold, len(g.members)) for g in policy.groups] == [(1, 2)]
    assert policy.quorum == policy.groups[0].name
    every = parse_policy(amanah("ledger", "policy", "--witness", w1, "--witness", w2).out)
    assert every.groups[0].threshold == 2
    for args in (
        ("--witness", w1, "--quorum", "2"),
        ("--quorum", "1"),
        ("--witness", vkey),
        ("--witness", w1, "--witness", w1),
        ("--witness", "garbage"),
    ):
        result = amanah("ledger", "policy", *args)
        assert result.code == 2, (args, result.err)
        assert len(result.err.strip().splitlines()) == 1, (args, result.err)


def test_a_witness_cosigned_receipt_satisfies_a_guarantors_policy(
    initialised: Runner, tmp_path: Path
) -> None:
    amanah = initialised
    vkey = amanah("ledger", "vkey").out.strip()
    whome = tmp_path / "witness"
    witness_vkey = make_witness(amanah, whome)
    for text in ("نقل ثلاثة محتجزين إلى المستشفى", "عودة المحتجزين الثلاثة"):
        assert amanah("occurrence", "add", text).code == 0
    request = amanah("ledger", "witness-request", "--old", "0").raw
    cosigned = amanah("witness", "add-checkpoint", "-", stdin=request, home_dir=whome)
    assert cosigned.code == 0, cosigned.err
    cosignature = cosigned.out.splitlines()

    policy = tmp_path / "guarantor.policy"
    made = amanah("ledger", "policy", "--witness", witness_vkey, "--quorum", "1")
    assert made.code == 0, made.err
    policy.write_text(made.out, encoding="utf-8")
    entry = tmp_path / "2.json"
    entry.write_bytes(amanah("ledger", "entry", "2").raw)
    receipt = tmp_path / "2.tlog-proof"
    receipt.write_bytes(amanah("ledger", "prove", "2").raw)
    verify = ("ledger", "verify-receipt", str(receipt), "--entry", str(entry))

    # The log's signature alone does not meet the guarantor's quorum.
    short = amanah(*verify, "--policy", str(policy))
    assert short.code == 1, short.err
    assert "quorum" in short.err

    # The same receipt with the witness's cosignature added to its checkpoint does.
    parsed = parse_proof(receipt.read_bytes())
    note = add_signature_lines(parsed.checkpoint, cosignature)
    receipt.write_bytes(format_proof(parsed.index, parsed.proof, note, parsed.extra))
    ok = amanah(*verify, "--policy", str(policy))
    assert ok.code == 0, ok.err
    assert "entry 2" in ok.out
    assert "size 3" in ok.out
    assert amanah(*verify, "--vkey", vkey).code == 0  # the log-only check ignores cosignatures

    # A forged cosignature from a key the policy names rejects the receipt.
    line = cosignature[0]
    name, sig = line.rsplit(" ", 1)
    raw = bytearray(base64.b64decode(sig))
    raw[-1] ^= 1
    forged = add_signature_lines(parsed.checkpoint, [f"{name} {base64.b64encode(raw).decode()}"])
    receipt.write_bytes(format_proof(parsed.index, parsed.proof, forged, parsed.extra))
    bad = amanah(*verify, "--policy", str(policy))
    assert bad.code == 1, bad.err


def test_stored_cosignatures_make_receipts_meet_a_witness_policy(
    amanah: Runner, tmp_path: Path
) -> None:
    assert amanah("init", "--origin", "amanah.example/cosign").code == 0
    assert amanah("occurrence", "add", "witnessed entry").code == 0
    vkey = amanah("ledger", "vkey").out.strip()
    whome = tmp_path / "guarantor"
    wvkey = make_witness(amanah, whome)
    request = amanah("ledger", "witness-request").raw
    cosig = amanah("witness", "add-checkpoint", "-", stdin=request, home_dir=whome)
    assert cosig.code == 0, cosig.err

    forged = (
        cosig.raw.replace(b"AAAA", b"BBBB") if b"AAAA" in cosig.raw else cosig.raw[:-6] + b"AAAA=\n"
    )
    bad = amanah("ledger", "cosign", "-", "--witness", wvkey, stdin=forged)
    assert bad.code in (1, 2), bad.err
    stranger = amanah("ledger", "cosign", "-", "--witness", vkey, stdin=cosig.raw)
    assert stranger.code == 2, stranger.err
    assert "guarantor.example/w1" not in amanah("ledger", "checkpoint").out

    stored = amanah("ledger", "cosign", "-", "--witness", wvkey, stdin=cosig.raw)
    assert stored.code == 0, stored.err
    again = amanah("ledger", "cosign", "-", "--witness", wvkey, stdin=cosig.raw)
    assert "stored 0 new" in again.out
    assert cosig.out in amanah("ledger", "checkpoint").out

    policy = tmp_path / "policy.txt"
    policy.write_bytes(amanah("ledger", "policy", "--witness", wvkey, "--quorum", "1").raw)
    receipt = tmp_path / "r.tlog-proof"
    receipt.write_bytes(amanah("ledger", "prove", "1").raw)
    entry = tmp_path / "entry.json"
    entry.write_bytes(amanah("ledger", "entry", "1").raw)
    ok = amanah(
        "ledger", "verify-receipt", str(receipt), "--entry", str(entry), "--policy", str(policy)
    )
    assert ok.code == 0, ok.err
