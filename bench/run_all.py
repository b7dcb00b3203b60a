"""Run every benchmark with its default sizes, one after the other, and print their tables.

Each runs in its own Python process (so one's memory and caches do not colour the next);
their output is passed through as it comes. The exit status is the first failure's, if any.
Run: ``.venv/bin/python -m bench.run_all``.
"""

from __future__ import annotations

import subprocess
import sys
import time

BENCHMARKS = (
    "bench.bench_append",
    "bench.bench_proofs",
    "bench.bench_audit",
    "bench.bench_facility",
)


def main() -> int:
    status = 0
    for module in BENCHMARKS:
        print(f"## {module}\n", flush=True)
        start = time.perf_counter()
        code = subprocess.run([sys.executable, "-m", module], check=False).returncode
        print(f"({module}: {time.perf_counter() - start:.0f} s, exit {code})\n", flush=True)
        status = status or code
    return status


if __name__ == "__main__":
    sys.exit(main())
