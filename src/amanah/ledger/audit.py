"""Full audit of a stored log: trust nothing the store says that can be recomputed.

The audit streams every entry once, in ``seq`` order, and

1. checks that ``seq`` is dense from 0 and that each body is a canonical entry naming its own
   ``seq`` (so an entry cannot be moved);
2. re-hashes every body and compares it with the stored leaf hash;
3. rebuilds the RFC 6962 tree and records its root at every checkpointed size;
4. checks every stored checkpoint's signature (the log's key), that its size and root are the
   ones the row claims, and that its root equals the rebuilt root at that size. All roots then
   lie on one tree, so every pair of checkpoints is consistent;
5. checks that the tree the store serves proofs from (its stored node hashes) yields the same
   root as the rebuilt one, and that no entry lies beyond the latest checkpoint and no
   checkpoint beyond the last entry (a truncated log).

It names the first bad entry by index where the evidence allows (a changed body, a missing
row); when only a signed root disagrees, it names the range since the last good checkpoint.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from amanah.errors import AmanahError
from amanah.ledger import merkle
from amanah.ledger.checkpoint import open_checkpoint
from amanah.ledger.hashing import EMPTY_ROOT, node_hash
from amanah.ledger.ports import LedgerReader, StoredCheckpoint
from amanah.ledger.signing import Verifier

CHUNK = 4096


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing the audit found wrong; ``index`` is the first entry it concerns, if known."""

    what: str
    index: int | None = None


@dataclass
class AuditReport:
    """The outcome of :func:`audit`. ``ok`` only when there is no problem at all."""

    origin: str
    size: int = 0
    checkpoints: int = 0
    root: bytes = b""
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_bad_index(self) -> int | None:
        indexes = [p.index for p in self.problems if p.index is not None]
        return min(indexes) if indexes else None

    def add(self, what: str, index: int | None = None) -> None:
        self.problems.append(Problem(what, index))

    def to_json(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "origin": self.origin,
            "size": self.size,
            "checkpoints": self.checkpoints,
            "root": base64.b64encode(self.root).decode("ascii"),
            "first_bad_index": self.first_bad_index,
            "problems": [{"what": p.what, "index": p.index} for p in self.problems],
        }


_MAX_PROBLEMS = 100


def audit(
    reader: LedgerReader,
    verifier: Verifier,
    origin: str,
    progress: Callable[[int], None] | None = None,
) -> AuditReport:
    """Audit everything ``reader`` holds; ``progress(n)`` is called as entries are checked."""
    report = AuditReport(origin=origin)
    checkpoints = list(reader.checkpoints())
    report.checkpoints = len(checkpoints)
    size = reader.size()
    claimed = max([size] + [cp.size for cp in checkpoints])
    wanted = sorted({cp.size for cp in checkpoints})
    roots: dict[int, bytes] = {}
    if wanted and wanted[0] == 0:
        roots[0] = merkle.root(0, merkle.DictHashSource())
    next_wanted = 0
    while next_wanted < len(wanted) and wanted[next_wanted] == 0:
        next_wanted += 1
    target = wanted[next_wanted] if next_wanted < len(wanted) else -1

    # The hot loop runs once per entry, so it is written out flat: the tree is rebuilt as its
    # right edge (``edge[j]``: the perfect subtree for the j-th set bit of ``built``, largest
    # first, as merkle.CompactRange keeps it), with the RFC 6962 hashes inlined.
    sha256 = hashlib.sha256
    problems = report.problems
    edge: list[bytes] = []
    built = 0
    expected = 0
    broken = False  # once an entry is missing, later roots cannot be rebuilt
    for start in range(0, claimed, CHUNK):
        end = min(start + CHUNK, claimed)
        stored_leaves = reader.leaf_hashes(start, end)
        stored = len(stored_leaves)
        for row in reader.entries(start, end):
            seq = row.seq
            if seq != expected:
                report.add(f"entry {expected} is missing (next stored entry is {seq})", expected)
                broken = True
                break
            body = row.body
            computed = sha256(b"\x00" + body).digest()
            offset = seq - start
            if offset >= stored or stored_leaves[offset] != computed:
                report.add(f"entry {seq}: its bytes do not match its stored leaf hash", seq)
            _check_body(report, seq, body)
            if problems and offset % 64 == 0 and len(problems) > _MAX_PROBLEMS:
                report.add("too many problems; audit stopped")
                return report
            node, n = computed, built
            while n & 1:
                node = sha256(b"\x01" + edge.pop() + node).digest()
                n >>= 1
            edge.append(node)
            built += 1
            expected += 1
            if built == target:
                roots[built] = _edge_root(edge)
                next_wanted += 1
                target = wanted[next_wanted] if next_wanted < len(wanted) else -1
        if broken:
            break
        if expected < end:
            report.add(f"entry {expected} is missing", expected)
            broken = True
            break
        if progress is not None:
            progress(end)
    report.size = size
    report.root = _edge_root(edge)
    if size < claimed:
        report.add(
            f"log truncated: a checkpoint covers {claimed} entries but only {size} are stored",
            size,
        )
    _check_checkpoints(report, checkpoints, roots, verifier, origin)
    if checkpoints and not broken:
        latest = checkpoints[-1]
        if latest.size < size:
            report.add(
                f"entries {latest.size}..{size - 1} are not covered by any checkpoint", latest.size
            )
        elif latest.size == size:
            try:
                served = merkle.root(size, reader)
            except KeyError:
                report.add("stored tree nodes are missing for the current size")
            else:
                if served != report.root:
                    report.add("stored tree nodes give a different root than the entries")
    elif size > 0 and not checkpoints:
        report.add("the log has entries but no signed checkpoint", 0)
    return report


def _edge_root(edge: list[bytes]) -> bytes:
    """The root over a right edge of perfect-subtree hashes (as merkle.CompactRange.root)."""
    if not edge:
        return EMPTY_ROOT
    acc = edge[-1]
    for h in reversed(edge[:-1]):
        acc = node_hash(h, acc)
    return acc


_raw_decode = json.JSONDecoder().raw_decode  # json.loads's own default decoder settings


def _loads(body: bytes) -> Any:
    """``json.loads(body)``, with a fast path for the usual case of strict UTF-8.

    When the bytes decode as UTF-8 and the text parses, ``json.loads`` would have picked
    UTF-8 too (valid JSON text never starts with a BOM or has NUL in its first two bytes,
    the only cases in which it guesses another encoding) and read the same text. Anything
    else goes to ``json.loads`` itself, so the outcome, value or error, is always its own.
    """
    try:
        text = body.decode("utf-8")
        # JSONDecoder.decode(text) is raw_decode at the first non-space, then a check that
        # only spaces follow; a body with neither leading nor trailing spaces (every
        # canonical entry) is fully read by one raw_decode from 0. Anything else: json.loads.
        obj, end = _raw_decode(text)
        if end == len(text):
            return obj
    except ValueError:
        pass
    return json.loads(body)


def _check_body(report: AuditReport, seq: int, body: bytes) -> None:
    # A cheap structural check; full canonical-form checks are done on read by entry.decode.
    try:
        obj = _loads(body)
    except ValueError:
        report.add(f"entry {seq}: not valid JSON", seq)
        return
    if not isinstance(obj, dict) or obj.get("seq") != seq:
        report.add(f"entry {seq}: its body does not name seq {seq}", seq)


def _check_checkpoints(
    report: AuditReport,
    checkpoints: list[StoredCheckpoint],
    roots: dict[int, bytes],
    verifier: Verifier,
    origin: str,
) -> None:
    good_size = 0
    for row in checkpoints:
        try:
            cp, _ = open_checkpoint(row.note, verifier, origin)
        except AmanahError as exc:
            report.add(f"checkpoint at size {row.size}: {exc}", good_size)
            continue
        if cp.size != row.size or cp.root != row.root:
            report.add(
                f"checkpoint at size {row.size}: the signed note says size {cp.size}", good_size
            )
            continue
        rebuilt = roots.get(row.size)
        if rebuilt is None:
            continue  # its entries are missing; already reported
        if rebuilt != row.root:
            # Name the range only when no entry inside it was already named precisely.
            named = any(
                p.index is not None and good_size <= p.index < row.size for p in report.problems
            )
            report.add(
                f"checkpoint at size {row.size}: entries {good_size}..{row.size - 1} do not "
                "match its signed root",
                None if named else good_size,
            )
            continue
        good_size = row.size
