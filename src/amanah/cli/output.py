"""Rendering helpers shared by the CLI commands: JSON, errors, progress bars."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from amanah.errors import InvalidInput

# Markup off: user text (names, entries, paths) may contain [brackets] and must print as is.
out = Console(highlight=False, soft_wrap=True, markup=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


def write_raw(text: str | bytes) -> None:
    """Write exact bytes (notes, proofs) with no styling or wrapping."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    sys.stdout.buffer.write(data)
    sys.stdout.flush()


@contextmanager
def progress(label: str, total: int | None) -> Iterator[Any]:
    """A progress bar on stderr (hidden when stderr is not a terminal). Yields ``update(n)``."""
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )
    with bar:
        task = bar.add_task(label, total=total)

        def update(done: int, total_now: int | None = None) -> None:
            if total_now is not None:
                bar.update(task, total=total_now)
            bar.update(task, completed=done)

        yield update


def read_input(path: Path, what: str = "") -> bytes:
    """The bytes of ``path``, or of standard input for ``-``; a clear error if missing.

    ``what`` names the kind of file in messages ("receipt", "policy").
    """
    if str(path) == "-":
        return sys.stdin.buffer.read()
    kind = f"{what} file" if what else "file"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"no such {kind}: {path}") from None
    except IsADirectoryError:
        raise InvalidInput(f"{path} is a directory, not a {kind}") from None
