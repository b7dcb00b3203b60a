"""Child process for the facility crash test: admit and move people forever, acknowledging
each committed series with ``ack <log size> <people admitted>``.

Usage: ``python -m tests.integration.crash_facility_writer HOME BATCH``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from amanah.bootstrap import open_app
from amanah.domain.movements.commands import Move
from amanah.domain.registry.commands import AddLocation, Admit

RECORD = {
    "name_ar": "سامر الحسن",
    "name_latin": "Samer al-Hassan",
    "gender": "male",
    "nationality": "SY",
    "commitment": {
        "order_ref": "CO-CRASH",
        "grounds": "synthetic crash-test grounds",
        "ordering_authority": "Test court",
        "responsible_authority": "Test administration",
    },
    "arrest": {"time": "2026-01-01T10:00", "place": "Raqqa", "authority": "Test police"},
}


def main() -> None:
    home, batch = Path(sys.argv[1]), int(sys.argv[2])
    app = open_app(home)
    service = app.facility
    if not service.locations():
        service.run(
            [
                AddLocation("CF", "facility", "منشأة", "Crash facility"),
                AddLocation("B", "block", "جناح", "Block", parent="CF"),
                AddLocation("C1", "cell", "زنزانة 1", "Cell 1", parent="B"),
                AddLocation("C2", "cell", "زنزانة 2", "Cell 2", parent="B"),
            ],
            app.actor,
        )
    with app.storage.reader() as view:
        n = view.facility.count_people()
    while True:
        now = app.clock.now()
        commands: list[Admit | Move] = []
        for i in range(n, n + batch):
            commands.append(Admit(f"D-{i:07d}", "detainee", RECORD, "C1", now))
            commands.append(Move("cell", f"D-{i:07d}", now, "C2", "C1", {"reason": "crash test"}))
        done = service.run(commands, app.actor)
        n += batch
        sys.stdout.write(f"ack {done.checkpoint.size} {n}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
