"""The web server under load: the dashboard, a register search and a person's page, each
under ``--connections`` concurrent clients, beside a static file served by the same server
(the ceiling: what the server does when Amanah does nothing).

The load comes from ``wrk`` (Debian's package) on loopback, in its own process, against one
``amanah serve`` process over a data home built by ``bench.bench_facility`` (50,000 people,
1,000,000 entries by default). Every request is authenticated (a bearer token) and every
search and person page is a real one: a view written to the access log, as in the field.
Paths are drawn at random by wrk's Lua script from people and name fragments read from the
register first. Names are synthetic.

Run: ``.venv/bin/python -m bench.bench_web --home /tmp/benchhome`` (build the home first with
``.venv/bin/python -m bench.bench_facility --home /tmp/benchhome``).
"""

from __future__ import annotations

import argparse
import json
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from amanah.bootstrap import open_app
from amanah.domain.access.commands import AddUser
from amanah.errors import NotFound
from bench.common import table

USER = "bench.web"
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


@dataclass(frozen=True)
class Load:
    """What wrk measured for one target."""

    name: str
    requests_per_s: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    requests: int
    errors: int


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _account(home: Path) -> str:
    """A fresh password for the benchmark's administrator account (made if missing)."""
    password = secrets.token_urlsafe(18)
    app = open_app(home)
    try:
        try:
            app.access.account(app.operator, USER)
        except NotFound:
            command = AddUser(USER, password, ("administrator",), None, (), "Benchmark")
            app.access.add_user(app.operator, command)
        else:
            app.access.change_password(app.operator, USER, password)
    finally:
        app.close()
    return password


def _request(url: str, *, body: dict[str, str] | None = None, token: str | None = None) -> bytes:
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, data=data, headers=headers)
    with urllib.request.urlopen(req, timeout=60) as response:
        return bytes(response.read())


def _wait(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode}")
        try:
            _request(f"{base}/login")
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise SystemExit("the server did not start in 60 s")


def _lua(paths: list[str], token: str) -> str:
    listed = ",\n".join(json.dumps(p) for p in paths)
    return f"""
local paths = {{
{listed}
}}
wrk.headers["Authorization"] = "Bearer {token}"
math.randomseed(2026)
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
"""


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if match is None:
        raise ValueError(f"unreadable latency {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def _wrk(name: str, base: str, paths: list[str], token: str, args: argparse.Namespace) -> Load:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_lua(paths, token))
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--latency",
        "--timeout",
        "30s",
        "-s",
        script.name,
        base,
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    Path(script.name).unlink()
    percentiles = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)\s*$", out, re.MULTILINE))
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    errors = int(bad.group(1)) if bad else 0
    if socket_errors:
        errors += sum(int(g) for g in socket_errors.groups())
    if rate is None or total is None or set(percentiles) != {"50", "90", "99"}:
        raise SystemExit(f"unreadable wrk output:\n{out}")
    return Load(
        name,
        float(rate.group(1)),
        _ms(percentiles["50"]),
        _ms(percentiles["90"]),
        _ms(percentiles["99"]),
        int(total.group(1)),
        errors,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--home", type=Path, required=True, help="a home built by bench_facility")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--duration", type=int, default=20, help="seconds per target")
    parser.add_argument("--sample", type=int, default=500, help="people drawn from")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    if not (args.home / "amanah.toml").exists():
        raise SystemExit(f"{args.home} is no data home: build it with bench.bench_facility")

    password = _account(args.home)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "amanah", "--home", str(args.home), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait(base, server)
        login = json.loads(
            _request(f"{base}/api/v1/session", body={"username": USER, "password": password})
        )
        token = login["token"]
        people = json.loads(
            _request(f"{base}/api/v1/people?category=detainee&limit={args.sample}", token=token)
        )
        numbers = [p["number"] for p in people]
        fragments: list[str] = []
        for p in people[:100]:
            for name in (p["record"].get("name_ar"), p["record"].get("name_latin")):
                if name:
                    last = name.split()[-1]
                    fragments.append(last[: max(3, len(last) - 2)])
        targets = [
            ("static file (ceiling)", ["/static/amanah.css"]),
            ("dashboard", ["/"]),
            ("search page", [f"/people?q={quote(f)}" for f in fragments]),
            ("person page", [f"/people/{n}" for n in numbers]),
            ("API: roll status", ["/api/v1/roll-status"]),
            ("API: search", [f"/api/v1/people?q={quote(f)}" for f in fragments]),
            ("API: person", [f"/api/v1/people/{n}" for n in numbers]),
        ]
        loads = []
        for name, paths in targets:
            print(f"{name}: {args.connections} clients for {args.duration} s…", flush=True)
            loads.append(_wrk(name, base, paths, token, args))
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    ceiling = loads[0]
    rows = [
        [
            load.name,
            f"{load.requests_per_s:,.0f}",
            f"{load.p50_ms:.1f}",
            f"{load.p90_ms:.1f}",
            f"{load.p99_ms:.1f}",
            f"{load.requests:,}",
            str(load.errors),
            f"{load.p50_ms / ceiling.p50_ms:.1f}x",
        ]
        for load in loads
    ]
    print()
    print(
        table(
            f"{args.connections} concurrent clients, {args.duration} s each, one server process "
            "(wrk on loopback)",
            [
                "target",
                "requests/s",
                "p50 ms",
                "p90 ms",
                "p99 ms",
                "requests",
                "errors",
                "p50 vs static",
            ],
            rows,
        )
    )


if __name__ == "__main__":
    main()
