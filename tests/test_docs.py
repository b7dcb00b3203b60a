"""Docs that cannot rot: every CLI command and every event type is documented.

`docs/cli.md` has one section per command, headed ``## `amanah …` ``, holding the usage line
that `--help` prints and every option the command takes. `docs/ledger.md` names every ledger
entry type in its "Event types" section.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from amanah.cli.main import app
from amanah.services.codec import EVENT_TYPES

DOCS = Path(__file__).resolve().parent.parent / "docs"
_HEADING = re.compile(r"^## `(amanah[^`]*)`\s*$", re.MULTILINE)


def _commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        if not getattr(sub, "hidden", False):
            yield from _commands(sub, (*path, name))


COMMANDS = list(_commands(typer.main.get_command(app)))


def _sections(text: str) -> dict[str, str]:
    matches = list(_HEADING.finditer(text))
    ends = [m.start() for m in matches[1:]] + [len(text)]
    return {m.group(1): text[m.end() : end] for m, end in zip(matches, ends, strict=True)}


@pytest.fixture(scope="module")
def cli_sections() -> dict[str, str]:
    return _sections((DOCS / "cli.md").read_text(encoding="utf-8"))


def _usage(path: tuple[str, ...]) -> str:
    result = CliRunner().invoke(
        app, [*path, "--help"], env={"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
    )
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.output.splitlines()]
    usage = next(line for line in lines if line.startswith("Usage:"))
    return " ".join(usage.split())


def test_the_command_tree_is_walked() -> None:
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"", "init", "ledger verify-receipt", "ledger policy", "witness add-checkpoint"} <= names


@pytest.mark.parametrize(
    ("path", "command"), COMMANDS, ids=[" ".join(("amanah", *p)) for p, _ in COMMANDS]
)
def test_every_command_is_documented(
    path: tuple[str, ...], command: Any, cli_sections: dict[str, str]
) -> None:
    title = " ".join(("amanah", *path))
    assert title in cli_sections, f"docs/cli.md has no section '## `{title}`'"
    section = cli_sections[title]
    usage = _usage(path)
    assert usage in section, f"docs/cli.md section {title} lacks the usage line {usage!r}"
    for param in command.params:
        if getattr(param, "param_type_name", None) != "option" or param.hidden:
            continue
        for flag in param.opts:
            if flag.startswith("--") and flag != "--help":
                assert f"`{flag}" in section, f"docs/cli.md section {title} lacks {flag}"


def test_no_section_documents_a_command_that_does_not_exist(
    cli_sections: dict[str, str],
) -> None:
    real = {" ".join(("amanah", *path)) for path, _ in COMMANDS}
    assert set(cli_sections) <= real


def test_every_event_type_is_documented() -> None:
    text = (DOCS / "ledger.md").read_text(encoding="utf-8")
    start = text.find("\n## Event types\n")
    assert start >= 0, "docs/ledger.md has no '## Event types' section"
    end = text.find("\n## ", start + 1)
    section = text[start : end if end >= 0 else len(text)]
    for type_ in EVENT_TYPES:
        assert f"`{type_}`" in section, f"event type {type_} is not in docs/ledger.md"
