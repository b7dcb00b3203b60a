"""The situation report at scale: building its figures and rendering them as radio text,
PDF (Arabic and English) and HXL, on a data home of 50,000 people and 1,000,000 entries.

The home is one built by ``bench.bench_facility``; the first run adds a siege to it (four
stores with 30 days of deliveries and consumption, a generator and a pump, 300 incidents
over the month, 5 appeals) through ``SiegeService.run``. Side by side in one process:

- the figures (``Guarded.sitrep``): roll status, the runway as of now (each supplies stream
  folded again from the ledger), the incidents of 72 hours, notifications and appeals;
- the roll status alone, computed afresh (``FacilityService.roll_status(cached=False)``), the
  part of the figures the register costs: the other rows are what the siege areas add;
- each rendering of the same figures: text, HXL, the runway chart, PDF in each language.

Medians of ``--runs`` runs (the first, warm-up, is dropped). Run:
``.venv/bin/python -m bench.bench_sitrep --home /tmp/benchhome``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from amanah.bootstrap import App, open_app
from amanah.domain.appeals import commands as ac
from amanah.domain.incidents import commands as ic
from amanah.domain.incidents.model import SEVERITIES
from amanah.domain.supplies import commands as sc
from amanah.reports import runway_svg, sitrep_hxl, sitrep_text
from amanah.reports.pdf import sitrep_pdf
from bench.common import table

DAYS = 30
#: Incident kinds that link no one necessarily (an escape or a death links its movement).
PLAIN_KINDS = ("attack", "breach_attempt", "fire", "water_loss")
INCIDENTS = 300


def add_siege(app: App, facility: str) -> int:
    """The month of siege the benchmark reads; returns the entries written (0 if there)."""
    with app.storage.reader() as view:
        if view.cases.get("supplies/water-tank") is not None:
            return 0
    now = app.clock.now()
    start = now - timedelta(days=DAYS)
    commands: list[Any] = [
        sc.OpenStore("water-tank", facility, "water", "Tank", "L", start),
        sc.OpenStore("food-store", facility, "food", "Store", "kg", start, 3_500),
        sc.OpenStore("diesel", facility, "fuel", "Diesel", "L", start),
        sc.OpenStore("pharmacy", facility, "medicine", "Pharmacy", "doses", start),
        sc.Receive("water-tank", 5_000_000_000, start, "opening"),
        sc.Receive("food-store", 500_000_000, start, "opening"),
        sc.Receive("diesel", 40_000_000, start, "opening"),
        sc.Receive("pharmacy", 100_000, start, "opening"),
        sc.InstallGenerator("generator-1", facility, 200, "diesel", 75, 20, start),
        sc.InstallPump("pump-1", facility, "generator-1", "water-tank", 5_000, 40, 50, 90, start),
    ]
    for day in range(DAYS):
        when = start + timedelta(days=day, hours=8)
        commands += [
            sc.Issue("water-tank", 120_000_000, when, "blocks"),
            sc.Issue("food-store", 14_000_000, when, "kitchen"),
            sc.Issue("diesel", 1_000_000, when, "generator-1"),
            sc.Issue("pharmacy", 500, when, "clinic"),
        ]
    for n in range(INCIDENTS):
        when = start + timedelta(hours=n * DAYS * 24 / INCIDENTS)
        commands.append(
            ic.ReportIncident(
                "",
                facility,
                PLAIN_KINDS[n % 4],
                SEVERITIES[n % 4],
                when,
                "perimeter",
                f"Synthetic incident {n}",
            )
        )
    for _ in range(5):
        commands.append(
            ac.SendAppeal("", facility, "protection", "Guarantor", "radio", "Appeal", now)
        )
    return app.siege.run(commands, app.actor).count


def median_ms(runs: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    app = open_app(args.home)
    try:
        facility = app.facility.only_facility()
        added = add_siege(app, facility)
        with app.storage.reader() as view:
            size, people = view.ledger.size(), view.facility.count_people()
        g = app.guarded()
        report = g.sitrep(facility)
        rows: list[list[str]] = []

        def row(what: str, ms: float, base: float | None = None) -> None:
            rows.append([what, f"{ms:,.1f}", f"{ms / base:,.2f}" if base else ""])

        roll = median_ms(args.runs, lambda: app.facility.roll_status(facility, cached=False))
        figures = median_ms(args.runs, lambda: g.sitrep(facility))
        row("roll status alone, afresh (baseline)", roll, roll)
        row("sitrep figures (roll status kept)", figures, roll)
        row(
            "sitrep figures, roll status afresh",
            median_ms(
                args.runs,
                lambda: (app.facility.roll_status(facility, cached=False), g.sitrep(facility)),
            ),
            roll,
        )
        row(
            "runway as of now (streams refolded)",
            median_ms(args.runs, lambda: app.siege.runway(facility, datetime.now(UTC))),
            roll,
        )
        for lang in ("ar", "en"):
            row(
                f"text ({lang})",
                median_ms(args.runs, partial(sitrep_text, report, lang)),
                roll,
            )
        row("HXL", median_ms(args.runs, lambda: sitrep_hxl(report)), roll)
        row(
            "runway chart SVG (ar)",
            median_ms(
                args.runs, lambda: runway_svg(report["supplies"], "ar", report["threshold_days"])
            ),
            roll,
        )
        for lang in ("ar", "en"):
            row(
                f"PDF ({lang})",
                median_ms(args.runs, partial(sitrep_pdf, report, lang)),
                roll,
            )
        row(
            "figures + PDF (ar), end to end",
            median_ms(args.runs, lambda: sitrep_pdf(g.sitrep(facility), "ar")),
            roll,
        )
        title = f"{people:,} people, {size:,} entries ({added:,} added now), {args.runs} runs"
        print(table(title, ["step", "median ms", "× roll status"], rows))
        print(f"\nPDF size (ar): {len(sitrep_pdf(report, 'ar')):,} bytes")
    finally:
        app.close()


if __name__ == "__main__":
    main()
