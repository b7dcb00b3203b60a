"""``amanah serve`` as a user starts it: a real process on a real port, the demo's accounts
printed first, stopped with Ctrl+C; and ``amanah demo``'s accounts."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.e2e.conftest import Runner
from tests.support.live_server import free_port


def _get(url: str, token: str | None = None) -> tuple[int, bytes]:
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _post(url: str, body: dict[str, str]) -> tuple[int, bytes]:
    req = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _serve(home: Path, port: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, AMANAH_USER="test-operator")
    return subprocess.Popen(
        [sys.executable, "-m", "amanah", "--home", str(home), "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )


def _wait_up(base: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        try:
            if _get(f"{base}/login")[0] == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("amanah serve did not answer in 30 s")


def test_serve_answers_and_stops_on_ctrl_c(initialised: Runner, tmp_path: Path) -> None:
    home = tmp_path / "home"
    add = initialised(
        "user",
        "add",
        "ops",
        "--role",
        "administrator",
        "--password-stdin",
        stdin=b"a long enough passphrase\n",
    )
    assert add.code == 0, add.err
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = _serve(home, port)
    try:
        _wait_up(base, proc)
        status, body = _post(
            f"{base}/api/v1/session", {"username": "ops", "password": "a long enough passphrase"}
        )
        assert status == 200, body
        token = json.loads(body)["token"]
        status, body = _get(f"{base}/api/v1/me", token)
        assert json.loads(body)["roles"] == ["administrator"]
        status, body = _get(f"{base}/api/v1/openapi.json")
        assert json.loads(body)["info"]["title"] == "Amanah"
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert f"at http://127.0.0.1:{port}/" in out.decode()


def test_serve_on_a_port_in_use_says_so(initialised: Runner, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = initialised("serve", "--port", str(port))
    assert result.code == 2
    assert f"could not listen on 127.0.0.1:{port}" in result.err


def test_demo_opens_one_account_per_role_and_serve_prints_them(
    initialised: Runner, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    result = initialised("demo", "--json")
    assert result.code == 0, result.err
    loaded = json.loads(result.out)
    # The week ends under siege, as the real appeal described it: the numbers inside, no
    # water, no electricity, no fuel, food nearly gone.
    radio = loaded["sitrep"]["en"]
    assert "Inside: 1,807 (detainees 1,489, staff 312, other 6)" in radio
    assert "Water: none. Power: none. Fuel: none. Food nearly gone" in radio
    assert "المياه: لا يوجد" in loaded["sitrep"]["ar"]
    siege = initialised("sitrep", "--at", "2026-01-20T08:00", "--format", "hxl")
    assert siege.code == 0, siege.err
    assert "#indicator+code" in siege.out
    assert "D-0" not in siege.out
    runway = json.loads(initialised("supplies", "runway", "--json", "--at", "2026-01-20T08:00").out)
    food = next(r for r in runway["resources"] if r["resource"] == "food")
    assert 0 < food["days_humane"] < runway["threshold_days"]
    accounts = loaded["accounts"]
    assert {a["username"] for a in accounts} == {
        "admin",
        "records",
        "guard.a",
        "medic",
        "monitor",
        "receiving",
    }
    listing = home / "demo-accounts.txt"
    assert listing.stat().st_mode & 0o077 == 0
    password = next(
        line.split()[1]
        for line in listing.read_text().splitlines()
        if line.split()[:1] == ["medic"]
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = _serve(home, port)
    try:
        _wait_up(base, proc)
        status, body = _post(f"{base}/api/v1/session", {"username": "medic", "password": password})
        assert status == 200, body
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=30)
    assert "Demo accounts" in out.decode()
    assert password in out.decode()
