"""Root and inclusion-proof latency at 1M entries: Amanah's stored-node tree vs pymerkle.

Both trees hold the same entries (the same ~300-byte bodies, byte for byte) in SQLite files.
Amanah's log is built through its real append path (``Log.append_encoded`` in batches of
1000, each inside ``SqlStorage.writer()``); pymerkle 7.0.0's ``SqliteTree`` gets the bodies
read back from that log. Both files are cached under ``bench/out/`` (keyed by size), so only
the first run pays for building them.

Amanah reads ``O(log n)`` stored perfect-subtree hashes per root or proof. pymerkle stores only
leaf hashes and recomputes subtree roots, keeping those of 128+ leaves in an in-process LRU
cache: it is measured "cold" (cache cleared before each call: what a fresh process pays) and
"warm" (cache filled by earlier calls). Every Amanah proof is checked with
``merkle.verify_inclusion`` against the root, every pymerkle proof with pymerkle's verifier,
and both roots (and the latest signed checkpoint's) must be equal.

Run: ``.venv/bin/python -m bench.bench_proofs [--size N] [--proofs K] [--budget SECONDS]``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sqlite3
import statistics
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pymerkle

from amanah.ledger import entry as fmt
from amanah.ledger import merkle
from amanah.ledger.hashing import leaf_hash
from amanah.ledger.log import Log
from amanah.ledger.ports import StoredEntry
from amanah.ledger.signing import Ed25519Signer, Ed25519Verifier, generate_key
from amanah.storage import ledger_store, migrate
from amanah.storage.engine import make_engine, sqlite_url
from amanah.storage.ledger_store import SqlStorage
from bench.common import ORIGIN, STAMP, draft, table

OUT = Path(__file__).resolve().parent / "out"
BATCH = 1000
SEED = b"\x07" * 32


def signer() -> Ed25519Signer:
    skey, _ = generate_key(ORIGIN, seed=SEED)
    return Ed25519Signer.from_skey(skey)


def verifier() -> Ed25519Verifier:
    return signer().verifier()


def _encoded(start: int, end: int) -> list[StoredEntry]:
    """Entries ``[start, end)`` encoded exactly as ``Log.encode`` would (one stream)."""
    rows = []
    for i in range(start, end):
        d = draft(i)
        e = fmt.Entry(i, d.time, d.stream, i + 1, d.type, d.actor, dict(d.data))
        rows.append(StoredEntry(i, d.stream, i + 1, d.type, d.time, fmt.encode(e)))
    return rows


def _remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _say(msg: str) -> None:
    print(msg, flush=True)


def schema_fingerprint() -> str:
    """A short hash of the schema sources (migrations, tables) and of the entry encoding."""
    src = Path(ledger_store.__file__).parent
    digest = hashlib.sha256()
    for f in [*sorted((src / "migrations" / "versions").glob("*.py")), src / "tables.py"]:
        digest.update(f.read_bytes())
    digest.update(_encoded(0, 1)[0].body)
    return digest.hexdigest()[:10]


def _usable(path: Path, size: int) -> bool:
    """Whether a cached log still reads right with the current code (node keys may change)."""
    storage = open_storage(path)
    try:
        with storage.reader() as unit:
            ledger = unit.ledger
            latest = ledger.latest_checkpoint()
            root = merkle.root(size, ledger)
            if ledger.size() != size or latest is None or latest.root != root:
                return False
            for i in (0, size // 3, size - 1):
                entry = ledger.entry(i)
                assert entry is not None
                proof = merkle.inclusion_proof(i, size, ledger)
                merkle.verify_inclusion(i, size, leaf_hash(entry.body), proof, root)
            return True
    except Exception:  # any failure means: rebuild
        return False
    finally:
        storage.close()


def amanah_log(size: int) -> Path:
    """The cached Amanah SQLite log of ``size`` entries, built on first use.

    Keyed by size and :func:`schema_fingerprint`; rebuilt if it no longer reads right.
    """
    OUT.mkdir(exist_ok=True)
    path = OUT / f"amanah-{size}-{schema_fingerprint()}.db"
    for stale in OUT.glob(f"amanah-{size}-*[0-9a-f].db"):
        if stale != path:
            _remove_db(stale)
    if path.exists() and _usable(path, size):
        return path
    _remove_db(path)
    tmp = OUT / f"amanah-{size}.building.db"
    _remove_db(tmp)
    _say(f"building {path.name}: {size:,} entries via Log.append_encoded, batches of {BATCH}…")
    start = time.perf_counter()
    engine = make_engine(sqlite_url(tmp))
    migrate.upgrade(engine)
    storage, log = SqlStorage(engine), Log(ORIGIN, signer())
    for lo in range(0, size, BATCH):
        rows = _encoded(lo, min(lo + BATCH, size))
        with storage.writer() as unit:
            log.append_encoded(unit.ledger, rows, STAMP)
    storage.close()  # the last connection to close checkpoints and removes the WAL
    tmp.rename(path)
    _say(f"  built in {time.perf_counter() - start:.0f} s")
    return path


def _bodies(path: Path) -> Iterator[bytes]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        last = -1
        while True:
            rows = conn.execute(
                "SELECT seq, body FROM ledger_entries WHERE seq > ? ORDER BY seq LIMIT 10000",
                (last,),
            ).fetchall()
            if not rows:
                return
            for _, body in rows:
                yield bytes(body)
            last = rows[-1][0]
    finally:
        conn.close()


def pymerkle_tree(size: int, source: Path) -> Path:
    """The cached pymerkle ``SqliteTree`` file holding the bodies of ``source``."""
    path = OUT / f"pymerkle-{size}-{hashlib.sha256(_encoded(0, 1)[0].body).hexdigest()[:10]}.db"
    if path.exists():
        return path
    tmp = OUT / f"pymerkle-{size}.building.db"
    _remove_db(tmp)
    _say(f"building {path.name}: the same {size:,} bodies via SqliteTree.append_entries…")
    start = time.perf_counter()
    tree = pymerkle.SqliteTree(str(tmp))
    tree.append_entries(_bodies(source))
    tree.close()
    tmp.rename(path)
    _say(f"  built in {time.perf_counter() - start:.0f} s")
    return path


def open_storage(path: Path) -> SqlStorage:
    return SqlStorage(make_engine(sqlite_url(path)))


# -- measuring ---------------------------------------------------------------------------------


class Stats:
    """Per-call latencies (seconds) of one measured operation."""

    def __init__(self, label: str, samples: list[float], note: str = "") -> None:
        self.label, self.samples, self.note = label, samples, note

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p99(self) -> float:
        if len(self.samples) < 100:
            return max(self.samples)  # too few calls for a p99: report the worst
        return statistics.quantiles(self.samples, n=100, method="inclusive")[98]

    def row(self) -> list[str]:
        p99 = _ms(self.p99) + ("" if len(self.samples) >= 100 else " (max)")
        return [self.label, f"{len(self.samples):,}", _ms(self.median), p99, self.note]


def _ms(seconds: float) -> str:
    ms = seconds * 1000
    return f"{ms:,.3f}" if ms < 10 else f"{ms:,.0f}"


def sample(calls: int, fn: Callable[[int], Any], check: Callable[[int, Any], None]) -> list[float]:
    """Time ``fn(k)`` for ``k`` in ``range(calls)``; ``check`` (untimed) validates each result."""
    out: list[float] = []
    clock = time.perf_counter
    for k in range(calls):
        t0 = clock()
        result = fn(k)
        out.append(clock() - t0)
        check(k, result)
    return out


def measure_amanah(path: Path, size: int, indexes: list[int]) -> tuple[bytes, list[Stats]]:
    """Root and proof latency, inside one open reader and each in its own read transaction."""
    storage = open_storage(path)
    stats: list[Stats] = []
    with storage.reader() as unit:
        ledger = unit.ledger
        assert ledger.size() == size
        root = merkle.root(size, ledger)
        latest = ledger.latest_checkpoint()
        assert latest is not None
        assert (latest.size, latest.root) == (size, root)
        leaves = {i: leaf_hash(e.body) for i in indexes if (e := ledger.entry(i)) is not None}
        assert len(leaves) == len(set(indexes))

    def check_root(_k: int, value: Any) -> None:
        assert value == root

    def check_proof(k: int, proof: Any) -> None:
        i = indexes[k]
        merkle.verify_inclusion(i, size, leaves[i], proof, root)

    def root_per_request(_k: int) -> bytes:
        with storage.reader() as unit:
            return merkle.root(unit.ledger.size(), unit.ledger)

    def proof_per_request(k: int) -> list[bytes]:
        with storage.reader() as unit:
            return merkle.inclusion_proof(indexes[k], unit.ledger.size(), unit.ledger)

    def in_reader() -> tuple[list[float], list[float]]:
        with storage.reader() as unit:
            ledger = unit.ledger
            roots = sample(n, lambda _k: merkle.root(size, ledger), check_root)
            proofs = sample(
                n, lambda k: merkle.inclusion_proof(indexes[k], size, ledger), check_proof
            )
        return roots, proofs

    n = len(indexes)
    for _ in range(2):  # warm SQLite's and the OS's page caches; keep the second pass
        in_root, in_proof = in_reader()
        req_root = sample(n, root_per_request, check_root)
        req_proof = sample(n, proof_per_request, check_proof)
    storage.close()
    stats += [
        Stats("amanah root, inside an open reader", in_root),
        Stats("amanah root, reader() + size() + root", req_root),
        Stats("amanah proof, inside an open reader", in_proof, "each verified"),
        Stats("amanah proof, reader() + size() + proof", req_proof, "each verified"),
    ]
    return root, stats


def measure_pymerkle(
    path: Path, size: int, indexes: list[int], root: bytes, amanah_path: Path, deadline: float
) -> list[Stats]:
    """pymerkle's ``get_root`` and ``prove_inclusion``, cold (cache cleared) and warm."""
    tree = pymerkle.SqliteTree(str(path))
    assert tree.get_size() == size
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        assert tree.get_state() == root  # get_state: deprecated alias of get_root in 7.0.0
    storage = open_storage(amanah_path)
    with storage.reader() as unit:
        amanah_proofs = {i: merkle.inclusion_proof(i, size, unit.ledger) for i in indexes[:50]}
    storage.close()

    def check_root(_k: int, value: Any) -> None:
        assert value == root

    def check_proof(k: int, proof: Any) -> None:
        i = indexes[k]
        base = tree.get_leaf(i + 1)
        pymerkle.verify_inclusion(base, root, proof)
        if i in amanah_proofs:  # same RFC 6962 audit path, after pymerkle's base leaf
            assert list(proof.path[1:]) == amanah_proofs[i]

    def cold(fn: Callable[[int], Any]) -> Callable[[int], Any]:
        def run(k: int) -> Any:
            tree.cache_clear()
            return fn(k)

        return run

    def root_call(_k: int) -> bytes:
        return bytes(tree.get_root())

    def proof_call(k: int) -> Any:
        return tree.prove_inclusion(indexes[k] + 1)

    # Cold calls: a full rescan of the leaf hashes each. Take as many as the budget allows
    # (at least 3, at most 20), so that a slow machine still finishes.
    t0 = time.perf_counter()
    cold_root = sample(1, cold(root_call), check_root)
    one = time.perf_counter() - t0
    spare = max(deadline - time.perf_counter(), 0.0)
    reps = max(3, min(20, int(spare / 4 / max(one, 1e-3))))
    cold_root += sample(reps - 1, cold(root_call), check_root)
    cold_proof = sample(reps, cold(proof_call), check_proof)

    # Warm: fill the subroot cache with one pass over the indexes, then measure the next pass.
    tree.cache_clear()
    sample(len(indexes), proof_call, check_proof)
    warm_root = sample(len(indexes), root_call, check_root)
    warm_proof = sample(len(indexes), proof_call, check_proof)
    info = tree.get_cache_info()
    tree.close()
    note = f"{reps} calls only: each is a full rescan"
    warm = f"LRU cache: {info.size / 2**20:.1f} MiB after {3 * len(indexes):,} calls"
    return [
        Stats("pymerkle get_root, cold (cache cleared)", cold_root, note),
        Stats("pymerkle get_root, warm", warm_root, warm),
        Stats("pymerkle prove_inclusion, cold (cache cleared)", cold_proof, note + ", verified"),
        Stats("pymerkle prove_inclusion, warm", warm_proof, "each verified"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=1_000_000, help="entries in the log")
    parser.add_argument("--proofs", type=int, default=2000, help="random indexes (and roots)")
    parser.add_argument("--budget", type=float, default=480, help="seconds for measuring")
    args = parser.parse_args()
    size: int = args.size
    started = time.perf_counter()

    amanah_path = amanah_log(size)
    pm_path = pymerkle_tree(size, amanah_path)
    deadline = time.perf_counter() + args.budget
    rng = random.Random(20260120)
    indexes = [rng.randrange(size) for _ in range(args.proofs)]

    root, amanah = measure_amanah(amanah_path, size, indexes)
    pm = measure_pymerkle(pm_path, size, indexes, root, amanah_path, deadline)
    by = {s.label: s for s in amanah + pm}
    print(
        table(
            f"Root and inclusion proof at {size:,} entries (SQLite; latencies in ms)",
            ["operation", "calls", "median ms", "p99 ms", "note"],
            [s.row() for s in amanah + pm],
        )
    )
    base_root = by["amanah root, reader() + size() + root"].median
    base_proof = by["amanah proof, reader() + size() + proof"].median
    ratios = [
        [label, _ms(by[label].median), _ms(base), f"{by[label].median / base:,.1f}x"]
        for label, base in [
            ("pymerkle get_root, cold (cache cleared)", base_root),
            ("pymerkle get_root, warm", base_root),
            ("pymerkle prove_inclusion, cold (cache cleared)", base_proof),
            ("pymerkle prove_inclusion, warm", base_proof),
        ]
    ]
    print(
        table(
            "Ratio of medians: pymerkle / amanah (each in its own read transaction)",
            ["pymerkle operation", "pymerkle ms", "amanah ms", "pymerkle / amanah"],
            ratios,
        )
    )
    met = max(by["amanah root, reader() + size() + root"].median, base_proof) < 1e-3
    print(
        f"Target root and proof < 1 ms median at {size:,}: {'met' if met else 'NOT met'}. "
        f"Root {root.hex()[:16]}… is the same in Amanah, its latest signed checkpoint and "
        "pymerkle; every proof above was verified against it."
    )
    print(
        f"SQLite {sqlite3.sqlite_version}; pymerkle {pymerkle.__version__}; "
        f"{os.cpu_count()} CPUs; total {time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
