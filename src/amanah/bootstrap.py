"""Composition root: settings -> engine -> storage -> signer -> services.

The only place that knows which concrete store, key and clock the services run with.
"""

from __future__ import annotations

import getpass
import os
import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path

from amanah.clock import Clock, SystemClock
from amanah.domain.access.permissions import Principal
from amanah.domain.shared import Actor
from amanah.domain.standards import Minimums
from amanah.errors import InvalidInput, NotInitialised, Refused
from amanah.ledger.log import Log
from amanah.ledger.signing import (
    CosignatureSigner,
    Ed25519Signer,
    Ed25519Verifier,
    generate_key,
    generate_witness_key,
)
from amanah.ledger.witness import Witness
from amanah.services.access import AccessService, operator
from amanah.services.dispatch import Recorder
from amanah.services.facility import FacilityService
from amanah.services.guarded import Guarded
from amanah.services.ledger import LedgerService
from amanah.services.occurrence import OccurrenceService
from amanah.services.passwords import Argon2Hasher, PasswordHasher
from amanah.services.ports import Storage
from amanah.services.siege import SiegeService
from amanah.settings import (
    DB_FILE,
    DEFAULT_ZONE,
    SETTINGS_FILE,
    Settings,
    check_origin,
    check_party,
    check_zone,
    load,
    read_secret,
    sqlite_url_for,
    toml_str,
    write,
    write_secret,
)
from amanah.storage.units import open_storage
from amanah.storage.witness_state import FileWitnessState


@dataclass
class App:
    """Everything an entrypoint needs, wired together."""

    settings: Settings
    storage: Storage
    clock: Clock
    actor: Actor
    ledger: LedgerService
    occurrences: OccurrenceService
    facility: FacilityService
    access: AccessService
    siege: SiegeService

    @property
    def operator(self) -> Principal:
        """The machine's operator, as the command line acts: an administrator of the home's
        party over every facility (it holds the log key on disk)."""
        return operator(self.actor.user, self.actor.party)

    def guarded(self, principal: Principal | None = None, client: str | None = None) -> Guarded:
        """The services as ``principal`` (default: the operator) may use them."""
        return Guarded(
            principal or self.operator,
            self.access,
            self.facility,
            self.occurrences,
            self.ledger,
            client,
            self.siege,
        )

    def close(self) -> None:
        self.storage.close()


def operator_name() -> str:
    """Who is at the keyboard: ``$AMANAH_USER``, else the login name."""
    name = os.environ.get("AMANAH_USER")
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "operator"


def build(
    settings: Settings,
    clock: Clock | None = None,
    *,
    create: bool = False,
    hasher: PasswordHasher | None = None,
) -> App:
    clock = clock or SystemClock()
    skey = read_secret(settings.key_path)
    signer = Ed25519Signer.from_skey(skey)
    vkey = settings.vkey_path.read_text(encoding="utf-8").strip()
    verifier = Ed25519Verifier.from_vkey(vkey)
    if signer.name != settings.origin or verifier.key_id != signer.key_id:
        raise InvalidInput("the log key does not belong to this home's origin")
    storage = open_storage(settings.database_url, migrate_schema=True, create=create)
    recorder = Recorder(Log(settings.origin, signer))
    actor = Actor(settings.party, operator_name())
    app = App(
        settings=settings,
        storage=storage,
        clock=clock,
        actor=actor,
        ledger=LedgerService(storage, recorder, verifier, vkey, clock),
        occurrences=OccurrenceService(storage, recorder, clock, settings.zone),
        facility=FacilityService(storage, recorder, clock, settings.zone),
        access=AccessService(storage, recorder, clock, hasher or Argon2Hasher(), settings.party),
        siege=SiegeService(
            storage,
            recorder,
            clock,
            settings.zone,
            Minimums(**dict(settings.standards)),
            tuple(name for name, _ in settings.standards),
        ),
    )
    if not create:
        try:
            app.ledger.check_is_own_log()
        except BaseException:
            app.close()
            raise
    return app


def open_app(home: Path, db_url: str | None = None, clock: Clock | None = None) -> App:
    return build(load(home, db_url), clock)


def init_home(
    home: Path,
    origin: str,
    *,
    party: str | None = None,
    timezone: str = DEFAULT_ZONE,
    db_url: str | None = None,
    clock: Clock | None = None,
) -> App:
    """Create a data home, its database and log key, and write the log's entry 0.

    Everything is checked before anything is written; if opening the log still fails, the
    files this call created are removed, so that ``init`` can simply be run again.
    """
    check_origin(origin)
    check_zone(timezone)
    party = check_party(party or origin)
    if (home / SETTINGS_FILE).exists():
        raise Refused(f"{home} is already an Amanah data home")
    if db_url is not None:
        open_storage(db_url, create=True).close()  # a bad or unreachable URL fails here
    created_home = not home.exists()
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    home.chmod(0o700)  # a register of detained persons: no one else may even list it
    settings = Settings(
        home=home,
        origin=origin,
        party=party,
        timezone=timezone,
        database_url=db_url or sqlite_url_for(home),
    )
    made = [settings.key_path, settings.vkey_path, home / SETTINGS_FILE]
    if db_url is None:
        made += [home / DB_FILE, home / f"{DB_FILE}-wal", home / f"{DB_FILE}-shm"]
    try:
        skey, vkey = generate_key(origin)
        write_secret(settings.key_path, skey + "\n")
        settings.vkey_path.write_text(vkey + "\n", encoding="utf-8")
        write(settings, store_url=db_url is not None)
        previous = os.umask(0o077)  # the SQLite file and its WAL: owner only
        try:
            app = build(settings, clock, create=True)
        finally:
            os.umask(previous)
        try:
            app.ledger.open_log(settings.party, app.actor)
        except BaseException:
            app.close()
            raise
    except BaseException:
        for path in made:
            path.unlink(missing_ok=True)
        if created_home:
            shutil.rmtree(home, ignore_errors=True)
        raise
    return app


WITNESS_SETTINGS = "witness.toml"
WITNESS_KEY = "keys/witness.key"
WITNESS_VKEY = "keys/witness.vkey"
WITNESS_STATE = "witness-state.json"


@dataclass
class WitnessHome:
    """A witness with its own home: name, key, the logs it watches, its state."""

    home: Path
    witness: Witness
    vkey: str
    state: FileWitnessState


def init_witness(home: Path, name: str, log_vkeys: list[str]) -> str:
    """Create a witness home with a new cosigning key; return its vkey."""
    if (home / WITNESS_SETTINGS).exists():
        raise Refused(f"{home} is already a witness home")
    for vkey in log_vkeys:
        Ed25519Verifier.from_vkey(vkey)
    skey, vkey = generate_witness_key(name)  # refuses names that are not valid key names
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    write_secret(home / WITNESS_KEY, skey + "\n")
    (home / WITNESS_VKEY).write_text(vkey + "\n", encoding="utf-8")
    lines = [
        f"name = {toml_str(name)}",
        f"logs = [{', '.join(toml_str(v) for v in log_vkeys)}]",
    ]
    (home / WITNESS_SETTINGS).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return vkey


def open_witness(home: Path, clock: Clock | None = None) -> WitnessHome:
    path = home / WITNESS_SETTINGS
    if not path.exists():
        raise NotInitialised(f"no witness home at {home}; run `amanah witness init`")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path} is not valid TOML: {exc}") from None
    signer = CosignatureSigner.from_skey(read_secret(home / WITNESS_KEY))
    logs = {}
    for vkey in raw.get("logs", []):
        verifier = Ed25519Verifier.from_vkey(str(vkey))
        logs[verifier.name] = verifier
    the_clock = clock or SystemClock()
    state = FileWitnessState(home / WITNESS_STATE)
    witness = Witness(signer, logs, state, lambda: int(the_clock.now().timestamp()))
    vkey = (home / WITNESS_VKEY).read_text(encoding="utf-8").strip()
    return WitnessHome(home, witness, vkey, state)
