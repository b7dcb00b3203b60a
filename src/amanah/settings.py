"""The data home: where a facility's database, keys and settings live.

Layout of a home (created by ``amanah init``)::

    HOME/amanah.toml      settings (origin, party, time zone, database URL if not SQLite)
    HOME/amanah.db        the SQLite database (default backend)
    HOME/keys/log.key     the log's signed-note private key, mode 0600
    HOME/keys/log.vkey    its verifier key (public)

The home is ``--home``, else ``$AMANAH_HOME``, else ``amanah`` in the user's data directory.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs

from amanah.errors import InvalidInput, NotInitialised
from amanah.storage.engine import sqlite_url

SETTINGS_FILE = "amanah.toml"
DB_FILE = "amanah.db"
KEY_FILE = "keys/log.key"
VKEY_FILE = "keys/log.vkey"
DEFAULT_ZONE = "Asia/Damascus"

# C2SP signed-note key names (our origin doubles as the key name): no spaces, no '+'.
_ORIGIN_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~:/-]{0,199}$")


def default_home() -> Path:
    env = os.environ.get("AMANAH_HOME")
    if env:
        return Path(env)
    return Path(platformdirs.user_data_dir("amanah", appauthor=False))


def check_origin(origin: str) -> str:
    """An origin is a schema-less URL-like name, e.g. ``amanah.example/sy11/al-aqtan``."""
    if not _ORIGIN_RE.match(origin):
        raise InvalidInput(
            f"origin {origin!r} must be 1-200 characters of letters, digits and . _ ~ : / -, "
            "such as amanah.example/sy11/al-aqtan"
        )
    return origin


def check_zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"unknown time zone {name!r} (use an IANA name)") from None


@dataclass(frozen=True, slots=True)
class Settings:
    """What a home's ``amanah.toml`` says, with the database URL resolved."""

    home: Path
    origin: str
    party: str
    timezone: str
    database_url: str
    #: Overrides of the humane minimums (``[standards]`` in amanah.toml), by
    #: :class:`amanah.domain.standards.Minimums` field name; reports name each one used.
    standards: tuple[tuple[str, int], ...] = ()

    @property
    def zone(self) -> ZoneInfo:
        return check_zone(self.timezone)

    @property
    def key_path(self) -> Path:
        return self.home / KEY_FILE

    @property
    def vkey_path(self) -> Path:
        return self.home / VKEY_FILE


def sqlite_url_for(home: Path) -> str:
    """The home's SQLite URL."""
    return sqlite_url((home / DB_FILE).resolve())


def check_party(party: str) -> str:
    """The authority keeping the log: one line of printable text."""
    cleaned = party.strip()
    if not cleaned or len(cleaned) > 200:
        raise InvalidInput("the party must be 1-200 characters")
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in cleaned):
        raise InvalidInput("the party must not contain control characters")
    return cleaned


def load(home: Path, db_override: str | None = None) -> Settings:
    path = home / SETTINGS_FILE
    if not path.exists():
        raise NotInitialised(f"no Amanah data home at {home}; run `amanah init --origin ORIGIN`")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path} is not valid TOML: {exc}") from None
    try:
        origin = check_origin(str(raw["origin"]))
        party = str(raw["party"])
        timezone = str(raw.get("timezone", DEFAULT_ZONE))
    except KeyError as exc:
        raise InvalidInput(f"{path} lacks the setting {exc.args[0]}") from None
    check_zone(timezone)
    url = db_override or str(raw.get("database_url") or "") or sqlite_url_for(home)
    return Settings(home, origin, party, timezone, url, _standards(path, raw.get("standards")))


#: The minimums a home may override, with the range each must fall in.
STANDARD_RANGES = {
    "water_humane_ml": (1_000, 100_000),
    "water_survival_ml": (500, 20_000),
    "food_humane_kcal": (1_000, 5_000),
    "food_survival_kcal": (500, 5_000),
    "mean_temperature_c": (-50, 50),
    "alert_days": (1, 90),
}


def _standards(path: Path, raw: object) -> tuple[tuple[str, int], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise InvalidInput(f"{path}: [standards] must be a table")
    found: list[tuple[str, int]] = []
    for name, value in sorted(raw.items()):
        if name not in STANDARD_RANGES:
            raise InvalidInput(
                f"{path}: [standards] {name} is not one of {', '.join(STANDARD_RANGES)}"
            )
        low, high = STANDARD_RANGES[name]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise InvalidInput(
                f"{path}: [standards] {name} must be a whole number from {low} to {high}"
            )
        found.append((name, value))
    chosen = dict(found)
    for resource, unit in (("water", "ml"), ("food", "kcal")):
        survival = chosen.get(f"{resource}_survival_{unit}")
        humane = chosen.get(f"{resource}_humane_{unit}")
        if survival is not None and humane is not None and survival > humane:
            raise InvalidInput(
                f"{path}: [standards] {resource}_survival_{unit} is above {resource}_humane_{unit}"
            )
    return tuple(found)


def write(settings: Settings, *, store_url: bool) -> None:
    """Write ``amanah.toml`` (the database URL only when it is not the home's SQLite file)."""
    lines = [
        "# Amanah data home settings",
        f"origin = {toml_str(settings.origin)}",
        f"party = {toml_str(settings.party)}",
        f"timezone = {toml_str(settings.timezone)}",
    ]
    if store_url:
        lines.append(f"database_url = {toml_str(settings.database_url)}")
    if settings.standards:
        lines.append("\n[standards]")
        lines.extend(f"{name} = {value}" for name, value in settings.standards)
    (settings.home / SETTINGS_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")


def toml_str(value: str) -> str:
    """``value`` as a TOML basic string: JSON's escaping, plus DEL, which TOML forbids raw."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def write_secret(path: Path, text: str) -> None:
    """Create ``path`` with mode 0600 (never overwriting) and write ``text`` durably."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def read_secret(path: Path) -> str:
    """Read a key file, refusing one that others can read."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise NotInitialised(f"the key file {path} is missing") from None
    if mode & 0o077:
        raise InvalidInput(f"the key file {path} is readable by others; run chmod 600 on it")
    return path.read_text(encoding="utf-8").strip()
