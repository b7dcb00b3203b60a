"""Events about the log itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True, slots=True)
class LogOpened:
    """``log.opened``: entry 0 of every log; names the log and the key that signs it.

    data: ``origin`` (checkpoint origin line), ``vkey`` (the note verifier key of the log),
    ``party`` (the authority keeping the log), ``software`` (Amanah version).
    """

    TYPE: ClassVar[str] = "log.opened"

    origin: str
    vkey: str
    party: str
    software: str

    def to_data(self) -> dict[str, Any]:
        return {
            "origin": self.origin,
            "vkey": self.vkey,
            "party": self.party,
            "software": self.software,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> LogOpened:
        return cls(
            str(data["origin"]), str(data["vkey"]), str(data["party"]), str(data["software"])
        )
