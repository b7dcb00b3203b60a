"""Demo accounts: one per role, for trying the web UI on the synthetic al-Aqtan scenario.

Passwords are drawn fresh for every demo home (never written in the repository) and kept in
the home's ``demo-accounts.txt`` (mode 0600), which ``amanah serve`` prints at start-up.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from amanah.domain.access.commands import AddUser

FILE = "demo-accounts.txt"


@dataclass(frozen=True, slots=True)
class DemoAccount:
    username: str
    roles: tuple[str, ...]
    blocks: tuple[str, ...]
    name: str
    party: str | None  # None: the home's party


ACCOUNTS: Sequence[DemoAccount] = (
    DemoAccount("admin", ("administrator",), (), "Demo administrator", None),
    DemoAccount("records", ("records_officer",), (), "Demo records officer", None),
    DemoAccount("guard.a", ("guard",), ("A",), "Demo guard, block A", None),
    DemoAccount("medic", ("medic",), (), "Demo medic", None),
    DemoAccount(
        "monitor", ("monitor",), (), "Demo monitor", "Guarantor (synthetic, ICRC-like body)"
    ),
    DemoAccount(
        "receiving", ("receiving_officer",), (), "Demo receiving officer", "Receiving authority"
    ),
)


def commands(facility: str) -> list[AddUser]:
    """An :class:`AddUser` for each demo account, each with a new random password."""
    found = []
    for a in ACCOUNTS:
        scoped = None if a.roles == ("monitor",) else facility
        found.append(
            AddUser(
                a.username, secrets.token_urlsafe(12), a.roles, scoped, a.blocks, a.name, a.party
            )
        )
    return found


def listing(added: Sequence[AddUser]) -> str:
    """The accounts as a short text: username, password, role."""
    width = max(len(a.username) for a in added)
    lines = ["Demo accounts (synthetic data; passwords drawn for this home only):"]
    for a in added:
        blocks = f" (blocks {', '.join(a.blocks)})" if a.blocks else ""
        lines.append(f"  {a.username:<{width}}  {a.password}  {', '.join(a.roles)}{blocks}")
    return "\n".join(lines) + "\n"
