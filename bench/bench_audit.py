"""Full audit of a 1M-entry log, and how much of it is SHA-256.

Audits the log that ``bench.bench_proofs`` builds (cached under ``bench/out/``) with
``amanah.ledger.audit.audit`` inside one read transaction, then measures the hashing the audit
cannot avoid on its own: ``sha256(0x00 || body)`` for every body plus the ``n - 1`` interior
node hashes ``sha256(0x01 || left || right)`` of rebuilding the tree (timed apart from reading
the bodies), and reports hashing seconds / audit seconds. A cProfile run of the audit gives the
same share from the profiler's point of view, and where the rest of the time goes.

Run: ``.venv/bin/python -m bench.bench_audit [--size N] [--runs R] [--no-profile]``.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import pstats
import sqlite3
import statistics
import time
from pathlib import Path

from amanah.ledger.audit import audit
from bench.bench_proofs import amanah_log, open_storage, verifier
from bench.common import ORIGIN, table

TARGET_SECONDS = 10.0


def run_audit(path: Path, size: int) -> float:
    """Seconds for one full audit (opening the read transaction included); must pass."""
    storage = open_storage(path)
    check = verifier()
    start = time.perf_counter()
    with storage.reader() as unit:
        report = audit(unit.ledger, check, ORIGIN)
    seconds = time.perf_counter() - start
    storage.close()
    assert report.ok, report.problems[:5]
    assert report.size == size, report.size
    return seconds


def read_bodies(path: Path) -> list[bytes]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [bytes(r[0]) for r in conn.execute("SELECT body FROM ledger_entries ORDER BY seq")]
    finally:
        conn.close()


def hashing_seconds(bodies: list[bytes]) -> tuple[float, float, int]:
    """Seconds for every leaf hash and for the interior node hashes of the whole tree."""
    sha256 = hashlib.sha256
    start = time.perf_counter()
    leaves = [sha256(b"\x00" + body).digest() for body in bodies]
    leaf_s = time.perf_counter() - start
    nodes = 0
    start = time.perf_counter()
    level = leaves
    while len(level) > 1:  # RFC 6962's tree has n - 1 interior nodes whatever its shape
        paired = [
            sha256(b"\x01" + level[i] + level[i + 1]).digest() for i in range(0, len(level) - 1, 2)
        ]
        nodes += len(paired)
        level = paired + level[len(paired) * 2 :]
    node_s = time.perf_counter() - start
    return leaf_s, node_s, nodes


def raw_throughput() -> tuple[float, float]:
    """SHA-256 MB/s on one 64 MiB buffer, and on 300-byte messages one call each."""
    big = bytes(64 * 2**20)
    start = time.perf_counter()
    hashlib.sha256(big).digest()
    bulk = len(big) / (time.perf_counter() - start) / 1e6
    small = [bytes(300)] * 200_000
    sha256 = hashlib.sha256
    start = time.perf_counter()
    for m in small:
        sha256(m).digest()
    per_call = 300 * len(small) / (time.perf_counter() - start) / 1e6
    return bulk, per_call


def profiled(path: Path, size: int) -> tuple[float, list[tuple[str, int, float]]]:
    """One audit under cProfile: its wall time and the top functions by own time."""
    profile = cProfile.Profile()
    start = time.perf_counter()
    profile.enable()
    run_audit(path, size)
    profile.disable()
    wall = time.perf_counter() - start
    stats = pstats.Stats(profile)
    rows: list[tuple[str, int, float]] = []
    for (file, line, name), (_cc, calls, tottime, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        where = name if file == "~" else f"{Path(file).name}:{line}({name})"
        rows.append((where, calls, tottime))
    rows.sort(key=lambda r: -r[2])
    return wall, rows


def _is_hashing(name: str) -> bool:
    return "openssl_sha256" in name or "of '_hashlib.HASH' objects" in name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=1_000_000, help="entries in the log")
    parser.add_argument("--runs", type=int, default=3, help="audit runs; the median is reported")
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile run")
    args = parser.parse_args()
    size: int = args.size
    path = amanah_log(size)

    audits = [run_audit(path, size) for _ in range(args.runs)]
    audit_s = statistics.median(audits)
    bodies = read_bodies(path)
    mb = sum(len(b) for b in bodies) / 1e6
    passes = [hashing_seconds(bodies) for _ in range(3)]
    leaf_s = statistics.median(p[0] for p in passes)
    node_s = statistics.median(p[1] for p in passes)
    nodes = passes[0][2]
    del bodies
    bulk, per_call = raw_throughput()
    hashing = leaf_s + node_s
    rows = [
        [
            f"full audit (median of {args.runs}: "
            + ", ".join(f"{s:.2f}" for s in sorted(audits))
            + ")",
            f"{audit_s:.2f}",
            "100%",
            f"{size / audit_s:,.0f} entries/s",
        ],
        [
            f"leaf hashes sha256(0x00||body), {size:,} bodies, {mb:,.0f} MB",
            f"{leaf_s:.2f}",
            f"{leaf_s / audit_s:.0%}",
            f"{size / leaf_s:,.0f} /s",
        ],
        [
            f"node hashes sha256(0x01||l||r), {nodes:,} nodes",
            f"{node_s:.2f}",
            f"{node_s / audit_s:.0%}",
            f"{nodes / node_s:,.0f} /s",
        ],
        ["hashing total (pure passes)", f"{hashing:.2f}", f"{hashing / audit_s:.0%}", ""],
    ]
    print(
        table(
            f"Full audit of {size:,} entries (SQLite, one read transaction)",
            ["work", "seconds", "share of audit", "rate"],
            rows,
        )
    )
    print(
        f"SHA-256 raw throughput: {bulk:,.0f} MB/s on one 64 MiB buffer; "
        f"{per_call:,.0f} MB/s as 300-byte messages, one call each."
    )
    verdict = "met" if audit_s < TARGET_SECONDS else "NOT met"
    print(f"Target audit of {size:,} entries < {TARGET_SECONDS:.0f} s: {verdict}.")
    print()

    if args.no_profile:
        return
    wall, prof = profiled(path, size)
    total = sum(r[2] for r in prof)
    hashed = sum(r[2] for r in prof if _is_hashing(r[0]))
    top = [[name, f"{calls:,}", f"{tt:.2f}", f"{tt / total:.0%}"] for name, calls, tt in prof[:10]]
    print(
        table(
            f"cProfile of one audit (wall {wall:.1f} s under the profiler; top 10 by own time)",
            ["function", "calls", "tottime s", "share"],
            top,
        )
    )
    print(
        f"Under cProfile, SHA-256 calls (sha256() and .digest()) take {hashed:.2f} s of "
        f"{total:.2f} s profiled: {hashed / total:.0%}."
    )


if __name__ == "__main__":
    main()
