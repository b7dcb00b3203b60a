"""The CLI surface that outside checks call, end to end in real processes."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from amanah.ledger import merkle
from amanah.ledger.checkpoint import open_checkpoint, parse_checkpoint
from amanah.ledger.hashing import leaf_hash
from amanah.ledger.signing import Ed25519Verifier
from tests.e2e.conftest import ORIGIN, Runner, make_witness


def _book(path: Path, n: int) -> Path:
    lines = [
        json.dumps(
            {
                "time": f"2026-01-{18 + i % 7:02d}T{i % 24:02d}:15:00+03:00",
                "text": f"تعداد المهجع {i}: مطابق",
                "by": "ضابط المناوبة",
            },
            ensure_ascii=False,
        )
        for i in range(n)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_init_prints_vkey_and_opens_the_log(amanah: Runner) -> None:
    result = amanah("init", "--origin", ORIGIN)
    assert result.code == 0, result.err
    vkey = result.out.strip()
    assert vkey.startswith(ORIGIN + "+")
    Ed25519Verifier.from_vkey(vkey)
    assert amanah("ledger", "vkey").out.strip() == vkey
    note = amanah("ledger", "checkpoint").raw
    cp, _ = open_checkpoint(note, Ed25519Verifier.from_vkey(vkey), ORIGIN)
    assert cp.size == 1  # entry 0 names the log and its key
    again = amanah("init", "--origin", ORIGIN)
    assert again.code == 2
    assert "already" in again.err


def test_add_import_verify_prove_consistency(initialised: Runner, tmp_path: Path) -> None:
    amanah = initialised
    vkey = amanah("ledger", "vkey").out.strip()
    verifier = Ed25519Verifier.from_vkey(vkey)
    added = amanah(
        "occurrence", "add", "انقطاع الكهرباء", "--by", "الضابط", "--at", "2026-01-20T08:15"
    )
    assert added.code == 0, added.err
    imported = amanah("occurrence", "import", str(_book(tmp_path / "b.jsonl", 50)), "--json")
    assert imported.code == 0, imported.err
    assert json.loads(imported.out) == {"imported": 50, "first_seq": 2, "size": 52}

    listing = json.loads(amanah("occurrence", "list", "--limit", "3", "--json").out)
    assert len(listing) == 3
    assert all("مطابق" in row["text"] or "الكهرباء" in row["text"] for row in listing)

    verify = amanah("ledger", "verify", "--json")
    assert verify.code == 0, verify.err
    assert json.loads(verify.out)["ok"] is True
    assert json.loads(verify.out)["size"] == 52

    cp, _ = open_checkpoint(amanah("ledger", "checkpoint").raw, verifier, ORIGIN)
    assert cp.size == 52
    receipt = amanah("ledger", "prove", "1")
    assert receipt.code == 0, receipt.err
    assert receipt.out.startswith("c2sp.org/tlog-proof@v1")

    entry = amanah("ledger", "entry", "1").raw.rstrip(b"\n")
    assert json.loads(entry)["data"]["text"] == "انقطاع الكهرباء"
    assert json.loads(entry)["data"]["time"] == "2026-01-20T05:15:00Z"  # Damascus is UTC+3

    # Consistency from the size after the single add (2) to now (52).
    old_note = amanah("ledger", "prove", "0", "--size", "2")
    assert old_note.code == 0, old_note.err
    lines = amanah("ledger", "consistency", "2").out.split()
    proof = [base64.b64decode(x) for x in lines]
    body = old_note.out.split("\n\n", 1)[1]
    old_cp = parse_checkpoint(body.split("\n\n")[0] + "\n")
    merkle.verify_consistency(2, 52, old_cp.root, cp.root, proof)
    assert leaf_hash(entry)  # the entry bytes are what the tree commits to


def test_bad_input_is_one_line_exit_2_and_writes_nothing(
    initialised: Runner, tmp_path: Path
) -> None:
    amanah = initialised
    before = amanah("ledger", "checkpoint").out
    bad = tmp_path / "bad.jsonl"
    good_then_bad = _book(tmp_path / "g.jsonl", 5).read_text(encoding="utf-8")
    cases = {
        "line 6": good_then_bad + '{"time": "yesterday", "text": "x", "by": "y"}\n',
        "line 1": "{not json\n",
        "missing by": '{"time": "2026-01-20T08:00", "text": "x"}\n',
        "unknown field": '{"time": "2026-01-20T08:00", "text": "x", "by": "y", "z": 1}\n',
        "empty": '{"time": "2026-01-20T08:00", "text": "  ", "by": "y"}\n',
        "after the current time": '{"time": "2099-01-01T00:00", "text": "x", "by": "y"}\n',
    }
    for expected, content in cases.items():
        bad.write_text(content, encoding="utf-8")
        result = amanah("occurrence", "import", str(bad))
        assert result.code == 2, (expected, result.err)
        assert expected in result.err, result.err
        assert len(result.err.strip().splitlines()) == 1, result.err
        assert "Traceback" not in result.err
    for args in (
        ("occurrence", "add", ""),
        ("occurrence", "add", "x", "--at", "not-a-time"),
        ("occurrence", "import", str(tmp_path / "missing.jsonl")),
        ("ledger", "prove", "999"),
        ("ledger", "prove", "0", "--size", "999"),
        ("ledger", "consistency", "5", "2"),
        ("ledger", "nonsense"),
        ("ledger", "prove", "minus-one"),
    ):
        result = amanah(*args)
        assert result.code == 2, (args, result.err)
        assert len(result.err.strip().splitlines()) == 1, (args, result.err)
        assert "Traceback" not in result.err
    assert amanah("ledger", "checkpoint").out == before


def test_uninitialised_home_is_a_clear_error(amanah: Runner) -> None:
    result = amanah("ledger", "checkpoint")
    assert result.code == 2
    assert "amanah init" in result.err


def test_tiles_export_and_offline_verify(initialised: Runner, tmp_path: Path) -> None:
    amanah = initialised
    assert amanah("occurrence", "import", str(_book(tmp_path / "b.jsonl", 300))).code == 0
    vkey = amanah("ledger", "vkey").out.strip()
    out_dir = tmp_path / "usb"
    exported = amanah("ledger", "export-tiles", str(out_dir))
    assert exported.code == 0, exported.err
    assert (out_dir / "checkpoint").exists()
    assert (out_dir / "tile" / "entries" / "000").exists()
    ok = amanah("ledger", "verify-tiles", str(out_dir), "--vkey", vkey)
    assert ok.code == 0, ok.err
    bundle = out_dir / "tile" / "entries" / "000"
    data = bytearray(bundle.read_bytes())
    data[100] ^= 1
    bundle.write_bytes(bytes(data))
    bad = amanah("ledger", "verify-tiles", str(out_dir), "--vkey", vkey)
    assert bad.code == 1, bad.err


def test_witness_cosigns_and_refuses_rollback(initialised: Runner, tmp_path: Path) -> None:
    amanah = initialised
    whome = tmp_path / "witness"
    witness_vkey = make_witness(amanah, whome)
    assert amanah("witness", "vkey", home_dir=whome).out.strip() == witness_vkey
    assert amanah("occurrence", "add", "first").code == 0
    req = amanah("ledger", "witness-request", "--old", "0").raw
    cosig = amanah("witness", "add-checkpoint", "-", stdin=req, home_dir=whome)
    assert cosig.code == 0, cosig.err
    assert cosig.out.startswith("— guarantor.example/w1 ")
    assert amanah("occurrence", "add", "second").code == 0
    # Claiming the witness last saw size 0 again is a conflict: it knows size 2.
    stale = amanah("ledger", "witness-request", "--old", "0").raw
    refused = amanah("witness", "add-checkpoint", "-", stdin=stale, home_dir=whome)
    assert refused.code == 1
    assert "2" in refused.err
    fresh = amanah("ledger", "witness-request", "--old", "2").raw
    assert amanah("witness", "add-checkpoint", "-", stdin=fresh, home_dir=whome).code == 0


def test_log_key_is_private_and_a_readable_key_is_refused(
    initialised: Runner, tmp_path: Path
) -> None:
    key = tmp_path / "home" / "keys" / "log.key"
    assert key.stat().st_mode & 0o777 == 0o600
    assert key.read_text(encoding="utf-8").startswith("PRIVATE+KEY+")
    key.chmod(0o644)
    result = initialised("ledger", "checkpoint")
    assert result.code == 2
    assert "readable by others" in result.err


def test_malformed_witness_request_is_bad_input(initialised: Runner, tmp_path: Path) -> None:
    whome = tmp_path / "witness"
    make_witness(initialised, whome, "w.example/1")
    result = initialised("witness", "add-checkpoint", "-", stdin=b"old zero\n\n", home_dir=whome)
    assert result.code == 2, result.err
    assert len(result.err.strip().splitlines()) == 1


def test_list_shows_the_facility_time_it_was_entered_in(initialised: Runner) -> None:
    assert initialised("occurrence", "add", "عدّ الصباح", "--at", "2026-01-20T08:15").code == 0
    listing = initialised("occurrence", "list", "--limit", "1")
    assert listing.out.startswith("2026-01-20 08:15 +0300"), listing.out
    rows = json.loads(initialised("occurrence", "list", "--limit", "1", "--json").out)
    assert rows[0]["time"] == "2026-01-20T05:15:00Z"
