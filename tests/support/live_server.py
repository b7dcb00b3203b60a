"""The real server (uvicorn) on a free loopback port, in a thread of the test process, and
Debian's Chromium driven by Playwright (DESIGN.md, "Testing and CI facts").

Without ``/usr/bin/chromium`` the browser tests are skipped, except in CI (``$CI`` set),
where they fail: CI must never silently drop them.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn

CHROMIUM = Path(os.environ.get("AMANAH_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Screenshots of every page, in Arabic and English, kept as test artefacts (gitignored).
ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artefacts" / "screenshots"


def require_chromium() -> None:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} not found (install Debian's chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; the browser tests must run in CI", pytrace=False)
        pytest.skip(reason)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(asgi: Any) -> Iterator[str]:
    """Serve ``asgi`` on 127.0.0.1 until the block ends; yields the base URL."""
    port = free_port()
    config = uvicorn.Config(
        asgi, host="127.0.0.1", port=port, log_level="warning", access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
