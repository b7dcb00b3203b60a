"""C2SP tlog-tiles: path encoding, full and partial tiles, export -> verify, tamper detection."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from amanah.errors import EntryRejected, VerificationFailed
from amanah.ledger import merkle
from amanah.ledger.hashing import HASH_SIZE, leaf_hash
from amanah.ledger.signing import Ed25519Signer, Ed25519Verifier, generate_key
from amanah.ledger.tiles import (
    TILE_WIDTH,
    TilesMismatch,
    decode_bundle,
    encode_bundle,
    encode_index,
    entries_path,
    export_tiles,
    level_widths,
    tile_path,
    verify_tiles,
)
from tests.support.memlog import MemoryLog, entry_body

ORIGIN = "amanah.example/tiles"
SKEY, VKEY = generate_key(ORIGIN, b"\x07" * 32)
SIGNER = Ed25519Signer.from_skey(SKEY)
VERIFIER = Ed25519Verifier.from_vkey(VKEY)

_LOGS: dict[int, MemoryLog] = {}


def log_of(size: int) -> MemoryLog:
    if size not in _LOGS:
        log = MemoryLog(ORIGIN, SIGNER)
        log.extend(entry_body(i) for i in range(size))
        log.commit()
        _LOGS[size] = log
    return _LOGS[size]


def export(size: int) -> dict[str, bytes]:
    log = log_of(size)
    cp = log.latest_checkpoint()
    assert cp is not None
    files = dict(export_tiles(log, cp.note, size))
    assert len(files) == len(list(export_tiles(log, cp.note, size)))  # no path twice
    return files


def reader(files: dict[str, bytes]) -> Callable[[str], bytes]:
    return files.__getitem__


@pytest.mark.parametrize(
    ("index", "encoded"),
    [
        (0, "000"),
        (5, "005"),
        (999, "999"),
        (1000, "x001/000"),
        (1234067, "x001/x234/067"),
        (1_000_000, "x001/x000/000"),
    ],
)
def test_index_encoding(index: int, encoded: str) -> None:
    assert encode_index(index) == encoded


def test_paths() -> None:
    assert tile_path(0, 1234067) == "tile/0/x001/x234/067"
    assert tile_path(1, 3, 17) == "tile/1/003.p/17"
    assert tile_path(2, 0, 256) == "tile/2/000"
    assert entries_path(1234067) == "tile/entries/x001/x234/067"
    assert entries_path(273, 112) == "tile/entries/273.p/112"
    with pytest.raises(ValueError, match="width"):
        tile_path(0, 0, 0)
    with pytest.raises(ValueError, match="level"):
        tile_path(64, 0)
    with pytest.raises(ValueError, match="negative"):
        encode_index(-1)


def test_spec_example_widths_for_70000() -> None:
    # "273 full level 0 tiles, one partial level 0 tile of width 112, one full level 1
    # tile, one partial level 1 tile of width 17, and one partial level 2 tile of width 1"
    assert level_widths(70000, 0) == (273, 112)
    assert level_widths(70000, 1) == (1, 17)
    assert level_widths(70000, 2) == (0, 1)
    assert level_widths(70000, 3) == (0, 0)
    assert level_widths(256, 1) == (0, 1)


def test_bundle_round_trip_and_limits() -> None:
    entries = [b"", b"a", b"x" * 0xFFFF]
    data = encode_bundle(entries)
    assert data[:4] == b"\x00\x00\x00\x01"
    assert decode_bundle(data) == entries
    with pytest.raises(EntryRejected):
        encode_bundle([b"x" * 0x10000])
    with pytest.raises(ValueError, match="truncated"):
        decode_bundle(data[:-1])
    with pytest.raises(ValueError, match="truncated"):
        decode_bundle(b"\x00")


def test_export_size_0_is_only_the_checkpoint() -> None:
    files = export(0)
    assert list(files) == ["checkpoint"]
    report = verify_tiles(reader(files), VERIFIER)
    assert (report.size, report.entry_bundles, report.hash_tiles) == (0, 0, 0)


def test_export_256_has_full_tile_and_level1_partial() -> None:
    files = export(256)
    assert sorted(files) == ["checkpoint", "tile/0/000", "tile/1/000.p/1", "tile/entries/000"]
    assert len(files["tile/0/000"]) == 256 * HASH_SIZE
    log = log_of(256)
    assert files["tile/1/000.p/1"] == log.root()
    assert files["tile/0/000"][:HASH_SIZE] == leaf_hash(entry_body(0))
    assert decode_bundle(files["tile/entries/000"]) == log.bodies


def test_export_257_has_partials() -> None:
    files = export(257)
    assert sorted(files) == [
        "checkpoint",
        "tile/0/000",
        "tile/0/001.p/1",
        "tile/1/000.p/1",
        "tile/entries/000",
        "tile/entries/001.p/1",
    ]
    assert files["tile/0/001.p/1"] == leaf_hash(entry_body(256))


def test_export_70000_matches_the_spec_layout() -> None:
    files = export(70000)
    hash_tiles = [p for p in files if p.startswith("tile/") and not p.startswith("tile/entries")]
    assert len(hash_tiles) == 273 + 1 + 1 + 1 + 1
    assert "tile/0/273.p/112" in files
    assert "tile/1/000" in files
    assert "tile/1/001.p/17" in files
    assert "tile/2/000.p/1" in files
    assert "tile/entries/273.p/112" in files
    log = log_of(70000)
    # Level-1 hashes are the MTH of 256 consecutive leaves.
    first = merkle.root(256, log)
    assert files["tile/1/000"][:HASH_SIZE] == first


@pytest.mark.parametrize("size", [0, 1, 255, 256, 257, 70000])
def test_round_trip(size: int) -> None:
    files = export(size)
    report = verify_tiles(reader(files), VERIFIER, ORIGIN)
    assert report.size == size
    assert report.root == log_of(size).root()
    assert report.to_json()["ok"] is True


def test_export_refuses_wrong_size_or_root() -> None:
    log = log_of(257)
    cp = log.latest_checkpoint()
    assert cp is not None
    with pytest.raises(VerificationFailed, match="size 257, not 256"):
        list(export_tiles(log, cp.note, 256))
    other = MemoryLog(ORIGIN, SIGNER)
    other.extend(b"other %d" % i for i in range(257))
    with pytest.raises(VerificationFailed, match="another root"):
        list(export_tiles(log, other.commit(), 257))


def flip(data: bytes, pos: int) -> bytes:
    return data[:pos] + bytes([data[pos] ^ 0x01]) + data[pos + 1 :]


def test_tampered_entry_is_named_by_index() -> None:
    files = export(70000)
    bundle = entries_path(100)
    entries = decode_bundle(files[bundle])
    # Change one byte inside entry 100*256 + 37, keeping the length prefixes intact.
    offset = sum(2 + len(e) for e in entries[:37]) + 2 + 3
    files[bundle] = flip(files[bundle], offset)
    with pytest.raises(TilesMismatch, match=f"entry {100 * 256 + 37} ") as info:
        verify_tiles(reader(files), VERIFIER)
    assert info.value.index == 100 * TILE_WIDTH + 37


def test_tampered_length_prefix_is_named() -> None:
    files = export(300)
    bundle = entries_path(0)
    entries = decode_bundle(files[bundle])
    offset = sum(2 + len(e) for e in entries[:5]) + 1  # low byte of entry 5's length
    files[bundle] = flip(files[bundle], offset)
    with pytest.raises(TilesMismatch) as info:
        verify_tiles(reader(files), VERIFIER)
    assert info.value.index == 5
    assert info.value.path == bundle


@pytest.mark.parametrize(
    "path", ["tile/0/123", "tile/0/273.p/112", "tile/1/000", "tile/1/001.p/17", "tile/2/000.p/1"]
)
def test_tampered_hash_tile_is_named_by_path(path: str) -> None:
    files = export(70000)
    files[path] = flip(files[path], len(files[path]) - 1)
    with pytest.raises(TilesMismatch, match=path.replace(".", r"\.")) as info:
        verify_tiles(reader(files), VERIFIER)
    assert info.value.path == path
    assert info.value.index is None


def test_truncated_tile_is_refused() -> None:
    files = export(257)
    files["tile/0/000"] = files["tile/0/000"][:-1]
    with pytest.raises(TilesMismatch) as info:
        verify_tiles(reader(files), VERIFIER)
    assert info.value.path == "tile/0/000"


def test_missing_file_is_named() -> None:
    files = export(257)
    del files["tile/entries/000"]
    with pytest.raises(TilesMismatch, match="tile/entries/000"):
        verify_tiles(reader(files), VERIFIER)


def test_bad_checkpoint_signature_and_origin() -> None:
    files = export(257)
    _, other_vkey = generate_key(ORIGIN, b"\x08" * 32)
    with pytest.raises(TilesMismatch, match="checkpoint"):
        verify_tiles(reader(files), Ed25519Verifier.from_vkey(other_vkey))
    with pytest.raises(TilesMismatch, match="origin"):
        verify_tiles(reader(files), VERIFIER, origin="elsewhere.example/log")


def test_entries_and_tiles_changed_together_still_fail_on_the_root() -> None:
    files = export(10)
    entries = decode_bundle(files["tile/entries/000.p/10"])
    entries[3] = b"forged"
    files["tile/entries/000.p/10"] = encode_bundle(entries)
    files["tile/0/000.p/10"] = b"".join(leaf_hash(e) for e in entries)
    with pytest.raises(TilesMismatch, match="root"):
        verify_tiles(reader(files), VERIFIER)


def test_partial_tile_falls_back_to_the_full_one() -> None:
    # A copy taken at 512 entries, checked against the checkpoint of size 300: the partial
    # tiles for 300 were deleted once the full ones existed (tlog-tiles allows that).
    big = export(512)
    small = export(300)
    files = {k: v for k, v in big.items() if k != "checkpoint"}
    files["checkpoint"] = small["checkpoint"]
    files["tile/1/000.p/1"] = small["tile/1/000.p/1"]  # no full level-1 tile exists yet
    assert "tile/0/001.p/44" not in files
    report = verify_tiles(reader(files), VERIFIER)
    assert report.size == 300
