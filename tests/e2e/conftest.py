"""Run the real ``amanah`` command in a subprocess, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.web_world import WebWorld, make_web_world


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str
    raw: bytes


Runner = Callable[..., Result]


def run_cli(home: Path, *args: str, stdin: bytes | None = None, db: str | None = None) -> Result:
    """Run ``amanah --home HOME [--db URL] ARGS...`` in a subprocess, as a user would."""
    env = dict(os.environ, AMANAH_USER="test-operator", COLUMNS="200")
    env.pop("AMANAH_HOME", None)
    prefix = ["--home", str(home)] + (["--db", db] if db else [])
    proc = subprocess.run(
        [sys.executable, "-m", "amanah", *prefix, *args],
        input=stdin,
        capture_output=True,
        env=env,
        timeout=300,
        check=False,
    )
    return Result(proc.returncode, proc.stdout.decode(), proc.stderr.decode(), proc.stdout)


@pytest.fixture
def amanah(tmp_path: Path) -> Runner:
    """``amanah(*args)`` against a fresh home in ``tmp_path / "home"``."""
    home = tmp_path / "home"

    def run(
        *args: str, stdin: bytes | None = None, home_dir: Path | None = None, db: str | None = None
    ) -> Result:
        return run_cli(home_dir or home, *args, stdin=stdin, db=db)

    return run


ORIGIN = "amanah.example/sy11/al-aqtan"


@pytest.fixture
def initialised(amanah: Runner) -> Runner:
    result = amanah("init", "--origin", ORIGIN)
    assert result.code == 0, result.err
    return amanah


WITNESS = "guarantor.example/w1"


def make_witness(run: Runner, home: Path, name: str = WITNESS) -> str:
    """Create a witness home at ``home`` that watches ``run``'s log; return its vkey."""
    log_vkey = run("ledger", "vkey").out.strip()
    init = run("witness", "init", "--name", name, "--log", log_vkey, home_dir=home)
    assert init.code == 0, init.err
    return init.out.strip()


@pytest.fixture
def web(tmp_path: Path) -> Iterator[WebWorld]:
    """The ASGI app over a fresh home with the access world's facility and accounts."""
    world = make_web_world(tmp_path / "web-home")
    yield world
    world.close()
