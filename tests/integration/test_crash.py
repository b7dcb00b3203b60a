"""Durability: a writer killed with SIGKILL at random moments loses nothing it acknowledged."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from amanah.bootstrap import init_home, open_app
from amanah.services.projector import rebuild

ROUNDS = 8


@pytest.mark.slow
def test_sigkill_never_loses_an_acknowledged_entry(tmp_path: Path) -> None:
    home = tmp_path / "home"
    init_home(home, "amanah.example/crash-test").close()
    rng = random.Random(1234)
    acked = 0
    for round_ in range(ROUNDS):
        batch = rng.choice([1, 7, 100, 1000])
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.integration.crash_writer", str(home), str(batch)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=dict(os.environ, AMANAH_USER="crash"),
        )
        assert proc.stdout is not None
        deadline = time.monotonic() + rng.uniform(0.6, 2.5)
        os.set_blocking(proc.stdout.fileno(), False)
        buffer = b""
        while time.monotonic() < deadline and proc.poll() is None:
            chunk = proc.stdout.read() or b""
            buffer += chunk
            time.sleep(0.005)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        buffer += proc.stdout.read() or b""
        assert proc.stderr is not None
        errors = proc.stderr.read()
        proc.stdout.close()
        proc.stderr.close()
        lines = [ln for ln in buffer.decode().splitlines() if ln.startswith("ack ")]
        assert proc.returncode == -signal.SIGKILL, errors.decode()
        if lines:
            acked = max(acked, int(lines[-1].split()[1]))

        app = open_app(home)
        try:
            size = app.ledger.size()
            assert size >= acked, f"round {round_}: {acked} acknowledged, {size} survived"
            report = app.ledger.audit()
            assert report.ok, report.problems
            assert app.ledger.latest_checkpoint().size == size
        finally:
            app.close()
    assert acked > 100  # the writer really did work between the kills


def _kill_at_random(
    home: Path, module: str, batch: int, rng: random.Random
) -> tuple[list[str], bytes, int]:
    """Run ``module HOME BATCH`` until its first acknowledgement (however loaded the machine),
    then for a random while longer; SIGKILL it and return its ack lines."""
    proc = subprocess.Popen(
        [sys.executable, "-m", module, str(home), str(batch)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(os.environ, AMANAH_USER="crash"),
    )
    assert proc.stdout is not None
    assert proc.stderr is not None
    os.set_blocking(proc.stdout.fileno(), False)
    buffer = b""
    started = time.monotonic()
    while b"ack " not in buffer and proc.poll() is None and time.monotonic() < started + 60:
        buffer += proc.stdout.read() or b""
        time.sleep(0.005)
    deadline = time.monotonic() + rng.uniform(0.0, 1.5)
    while time.monotonic() < deadline and proc.poll() is None:
        buffer += proc.stdout.read() or b""
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    buffer += proc.stdout.read() or b""
    errors = proc.stderr.read()
    proc.stdout.close()
    proc.stderr.close()
    lines = [ln for ln in buffer.decode().splitlines() if ln.startswith("ack ")]
    return lines, errors, proc.returncode


@pytest.mark.slow
def test_sigkill_never_loses_an_acknowledged_admission_or_movement(tmp_path: Path) -> None:
    home = tmp_path / "home"
    init_home(home, "amanah.example/crash-facility").close()
    rng = random.Random(4321)
    acked_size = acked_people = 0
    for round_ in range(5):
        batch = rng.choice([1, 20, 300])
        lines, errors, code = _kill_at_random(
            home, "tests.integration.crash_facility_writer", batch, rng
        )
        assert code == -signal.SIGKILL, errors.decode()
        if lines:
            _, size, people = lines[-1].split()
            acked_size, acked_people = max(acked_size, int(size)), max(acked_people, int(people))
        app = open_app(home)
        try:
            assert app.ledger.size() >= acked_size, f"round {round_}: lost acknowledged entries"
            assert app.ledger.audit().ok
            live = app.facility.roll_status()
            with app.storage.reader() as view:
                admitted = view.facility.count_people()
            assert admitted >= acked_people
            # Every admitted person was moved in the same transaction: none is left in C1.
            cells = {r.id: r.population for r in app.facility.locations() if r.kind == "cell"}
            assert cells.get("C1", 0) == 0
            assert cells.get("C2", 0) == admitted
            rebuild(app.storage)
            after = app.facility.roll_status()
            assert after | {"as_of": ""} == live | {"as_of": ""}
        finally:
            app.close()
    assert acked_people > 50
