"""A witness's memory of the last checkpoint it cosigned per log, in one JSON file.

Written durably before the witness answers (C2SP tlog-witness: a witness must never cosign a
checkpoint and then forget it): write a temporary file, fsync it, rename it over the old one,
fsync the directory.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from amanah.errors import InvalidInput


class FileWitnessState:
    """``origin -> (size, root)`` kept in ``path``.

    One process at a time may run a witness over it: :meth:`exclusive` holds an advisory
    lock (``flock``) on a file beside it for the whole check-cosign-persist sequence, so two
    processes cannot both cosign from the same old size.
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.Lock()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the witness home's lock (waiting for another witness process to finish)."""
        fd = os.open(self._path.with_suffix(".lock"), os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def _load(self) -> dict[str, tuple[int, bytes]]:
        try:
            raw = json.loads(self._path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (ValueError, UnicodeDecodeError) as exc:
            raise InvalidInput(f"witness state {self._path} is corrupt: {exc}") from None
        state: dict[str, tuple[int, bytes]] = {}
        try:
            if not isinstance(raw, dict):
                raise TypeError("not an object")
            for origin, value in raw.items():
                size, root = value["size"], base64.b64decode(value["root"], validate=True)
                if not isinstance(size, int) or isinstance(size, bool) or size < 0:
                    raise TypeError(f"size of {origin} is not a count")
                if len(root) != 32:
                    raise TypeError(f"root of {origin} is not 32 bytes")
                state[origin] = (size, root)
        except (TypeError, KeyError, ValueError) as exc:
            raise InvalidInput(f"witness state {self._path} is corrupt: {exc}") from None
        return state

    def get(self, origin: str) -> tuple[int, bytes] | None:
        with self._lock:
            return self._load().get(origin)

    def put(self, origin: str, size: int, root: bytes) -> None:
        with self._lock:
            state = self._load()
            state[origin] = (size, root)
            text = json.dumps(
                {
                    o: {"size": s, "root": base64.b64encode(r).decode()}
                    for o, (s, r) in state.items()
                },
                indent=2,
                sort_keys=True,
            )
            tmp = self._path.with_suffix(f".tmp.{os.getpid()}")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self._path)
            dir_fd = os.open(self._path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
