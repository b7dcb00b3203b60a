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
