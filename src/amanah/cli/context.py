"""What the root command passes to its subcommands."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from amanah.bootstrap import App, open_app


@dataclass(frozen=True)
class Ctx:
    home: Path
    db: str | None

    @contextmanager
    def app(self) -> Iterator[App]:
        app = open_app(self.home, self.db)
        try:
            yield app
        finally:
            app.close()
