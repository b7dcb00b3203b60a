"""Child process for the crash test: append batches forever, acknowledging each commit.

Usage: ``python -m tests.integration.crash_writer HOME BATCH``. After each committed batch it
prints ``ack <size>`` and flushes: from then on the entries are promised to survive.
"""

from __future__ import annotations

import sys
from pathlib import Path

from amanah.bootstrap import open_app
from amanah.domain.occurrence.commands import RecordOccurrence


def main() -> None:
    home, batch = Path(sys.argv[1]), int(sys.argv[2])
    app = open_app(home)
    n = 0
    while True:
        now = app.clock.now()
        commands = [
            RecordOccurrence(now, f"crash-test entry {n + i} — دخول", "crash-writer")
            for i in range(batch)
        ]
        done = app.occurrences.import_book(commands, app.actor)
        n += batch
        sys.stdout.write(f"ack {done.checkpoint.size}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
