"""Shared benchmark helpers: synthetic ~300-byte entries, medians, a comparison table."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime

from amanah.ledger.entry import Actor
from amanah.ledger.log import Draft

ORIGIN = "bench.amanah.example/log"
STAMP = datetime(2026, 1, 20, 6, tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
ACTOR = Actor("al-aqtan-administration", "records-officer-1")


def draft(i: int) -> Draft:
    """A synthetic occurrence-book entry of about 300 bytes once encoded."""
    return Draft(
        stream="occurrence-book",
        type="occurrence.entry_recorded",
        actor=ACTOR,
        data={
            "time": STAMP,
            "by": "Duty officer 7",
            "source": "typed",
            "text": f"Count {i:08d} C ok",
        },
        time=STAMP,
    )


def median_of(runs: int, fn: Callable[[], float]) -> float:
    return statistics.median(fn() for _ in range(runs))


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def table(title: str, header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |"
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows
    ]
    return "\n".join([f"### {title}", "", line, sep, *body, ""])
