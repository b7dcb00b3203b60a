"""C2SP tlog-policy (c2sp.org/tlog-policy): which logs and witness quorum make a checkpoint valid.

Grammar, one item per line, fields split by runs of ASCII space or tab only::

    log <vkey> [<url>]
    witness <name> <vkey> [<url>]
    group <name> all|any|<k> <name>...
    quorum <name>            # exactly one; the predefined name ``none`` needs no cosignature

Blank lines and lines whose first non-blank character is ``#`` are ignored. A group or the quorum
may only name witnesses and groups defined on earlier lines; each name is defined once and may be
listed as a group member at most once in the whole file; ``1 <= k <= n``. Octets allowed: tab,
newline, 0x20-0x7E and anything non-ASCII (names are compared as exact strings). Logs must use
Ed25519 note keys (type 0x01) named after their origin; witnesses cosignature/v1 keys (0x04).
Two log (or two witness) lines wrapping the same public key are duplicates and refused.

Deviations: ``#`` starts a comment only at the start of a line (as the spec says; sigsum-go
also strips trailing comments); the file must end in a newline, so a truncated file is refused
instead of silently changing a group; :meth:`Policy.to_text` writes thresholds as ``all`` when
k = n and ``any`` when k = 1 < n, which means the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypeVar

from amanah.errors import InvalidInput, MalformedPolicy, VerificationFailed
from amanah.ledger.checkpoint import Checkpoint, parse_checkpoint
from amanah.ledger.note import open_note, parse_note
from amanah.ledger.signing import (
    CosignatureVerifier,
    Ed25519Verifier,
    Verifier,
    verifier_from_vkey,
)

NONE = "none"
_FIELDS = re.compile(r"[ \t]+")


@dataclass(frozen=True)
class PolicyLog:
    """A log the policy accepts; its key name is its origin."""

    verifier: Ed25519Verifier
    url: str | None = None


@dataclass(frozen=True)
class PolicyWitness:
    """A witness, named for use in groups and the quorum (the name is local to the policy)."""

    name: str
    verifier: CosignatureVerifier
    url: str | None = None


@dataclass(frozen=True)
class PolicyGroup:
    """Witnessed when at least ``threshold`` of its ``members`` (witnesses or groups) are."""

    name: str
    threshold: int
    members: tuple[str, ...]


@dataclass(frozen=True)
class Policy:
    """A parsed tlog-policy. Build one with :func:`parse_policy` or directly; both are checked."""

    logs: tuple[PolicyLog, ...]
    witnesses: tuple[PolicyWitness, ...]
    groups: tuple[PolicyGroup, ...]
    quorum: str

    def __post_init__(self) -> None:
        _Builder().check(self)

    def to_text(self) -> str:
        """The policy in tlog-policy form (logs, witnesses, groups, quorum)."""
        out = [_join("log", log.verifier.vkey, log.url) for log in self.logs]
        out += [_join("witness", w.name, w.verifier.vkey, w.url) for w in self.witnesses]
        for group in self.groups:
            n, k = len(group.members), group.threshold
            spelled = "all" if k == n else "any" if k == 1 else str(k)
            out.append(_join("group", group.name, spelled, *group.members))
        out.append(_join("quorum", self.quorum))
        return "".join(line + "\n" for line in out)

    def witnessed(self, name: str, cosigned: frozenset[str]) -> bool:
        """Whether witness or group ``name`` has witnessed, given the witnesses that cosigned."""
        if name == NONE:
            return True
        groups = {group.name: group for group in self.groups}
        group = groups.get(name)
        if group is None:
            return name in cosigned
        count = sum(self.witnessed(member, cosigned) for member in group.members)
        return count >= group.threshold

    def verify_checkpoint(self, note_bytes: bytes) -> Checkpoint:
        """Verify a cosigned checkpoint note against this policy and return the checkpoint.

        Needs a valid signature from a listed log whose key name is the origin, and valid
        cosignatures satisfying the quorum. A failing signature from any listed key rejects the
        note. Raises :class:`MalformedNote` or :class:`VerificationFailed`.
        """
        checkpoint = parse_checkpoint(parse_note(note_bytes).text)
        logs = [log.verifier for log in self.logs if log.verifier.name == checkpoint.origin]
        if not logs:
            raise VerificationFailed(f"no log in the policy has origin {checkpoint.origin!r}")
        keys: list[Verifier] = [*logs, *(w.verifier for w in self.witnesses)]
        _, verified = open_note(note_bytes, keys)
        signed = {(sig.name, sig.key_id) for sig in verified}
        if not any((log.name, log.key_id) in signed for log in logs):
            raise VerificationFailed(f"checkpoint is not signed by log {checkpoint.origin}")
        cosigned = frozenset(
            w.name for w in self.witnesses if (w.verifier.name, w.verifier.key_id) in signed
        )
        if not self.witnessed(self.quorum, cosigned):
            raise VerificationFailed(self._shortfall(self.quorum, cosigned))
        return checkpoint

    def _shortfall(self, name: str, cosigned: frozenset[str]) -> str:
        """Why ``name`` has not witnessed, naming the innermost groups that fell short."""
        groups = {group.name: group for group in self.groups}
        group = groups.get(name)
        if group is None:
            return f"quorum not met: witness {name} has not cosigned"
        reasons: list[str] = []

        def walk(group: PolicyGroup) -> None:
            have = [m for m in group.members if self.witnessed(m, cosigned)]
            short_children = [groups[m] for m in group.members if m in groups and m not in have]
            reasons.append(
                f"group {group.name} has {len(have)} of the {group.threshold} it needs"
                f" ({', '.join(have) or 'none'} of {', '.join(group.members)})"
            )
            for child in short_children:
                walk(child)

        walk(group)
        return "quorum not met: " + "; ".join(reasons)


def _join(*fields: str | None) -> str:
    return " ".join(f for f in fields if f is not None)


class _Builder:
    """Checks definitions in order, as the spec requires of a policy file."""

    def __init__(self) -> None:
        self.defined: set[str] = {NONE}
        self.used_as_member: set[str] = set()
        self.log_keys: set[bytes] = set()
        self.witness_keys: set[bytes] = set()
        self.groups: dict[str, PolicyGroup] = {}

    def _define(self, name: str) -> None:
        if not name:
            raise MalformedPolicy("empty name")
        if name in self.defined:
            raise MalformedPolicy(f"name {name!r} is already defined")
        self.defined.add(name)

    def log(self, log: PolicyLog) -> None:
        if log.verifier.public_key in self.log_keys:
            raise MalformedPolicy(f"duplicate log key for {log.verifier.name}")
        self.log_keys.add(log.verifier.public_key)

    def witness(self, witness: PolicyWitness) -> None:
        if witness.verifier.public_key in self.witness_keys:
            raise MalformedPolicy(f"witness {witness.name} duplicates another witness's key")
        self._define(witness.name)
        self.witness_keys.add(witness.verifier.public_key)

    def group(self, group: PolicyGroup) -> None:
        if not group.members:
            raise MalformedPolicy(f"group {group.name} has no members")
        if not 1 <= group.threshold <= len(group.members):
            n = len(group.members)
            raise MalformedPolicy(
                f"group {group.name}: threshold {group.threshold} is not in 1..{n}"
            )
        for member in group.members:
            if member == NONE:
                raise MalformedPolicy(f"group {group.name}: 'none' cannot be a member")
            if member not in self.defined:
                raise MalformedPolicy(f"group {group.name}: {member!r} is not defined above")
            if member in self.used_as_member:
                raise MalformedPolicy(f"group {group.name}: {member!r} is already a member")
            self.used_as_member.add(member)
        self._define(group.name)

    def quorum(self, name: str) -> None:
        if name not in self.defined:
            raise MalformedPolicy(f"quorum {name!r} is not defined above")

    def check(self, policy: Policy) -> None:
        for log in policy.logs:
            self.log(log)
        for witness in policy.witnesses:
            self.witness(witness)
        for group in policy.groups:
            self.group(group)
        self.quorum(policy.quorum)


_V = TypeVar("_V", Ed25519Verifier, CosignatureVerifier)


def _verifier(vkey: str, want: type[_V]) -> _V:
    try:
        verifier = verifier_from_vkey(vkey)
    except InvalidInput as err:
        raise MalformedPolicy(str(err)) from None
    if not isinstance(verifier, want):
        raise MalformedPolicy(
            f"key {verifier.name} has the wrong type: logs need Ed25519 (0x01) keys, "
            "witnesses cosignature/v1 (0x04) keys"
        )
    return verifier


def _threshold(group: str, spelled: str, n: int) -> int:
    if spelled == "all":
        return n
    if spelled == "any":
        return 1
    if not (spelled.isascii() and spelled.isdigit()):
        raise MalformedPolicy(f"group {group}: threshold {spelled!r} is not all, any or a number")
    return int(spelled)


def parse_policy(text: str) -> Policy:
    """Parse a tlog-policy text. Raises :class:`MalformedPolicy` naming the bad line."""
    for ch in text:
        if (ch < " " and ch not in "\t\n") or ch == "\x7f":
            raise MalformedPolicy(f"policy contains the forbidden character {ch!r}")
    if text and not text.endswith("\n"):
        raise MalformedPolicy("policy does not end in a newline (is it truncated?)")
    builder = _Builder()
    logs: list[PolicyLog] = []
    witnesses: list[PolicyWitness] = []
    groups: list[PolicyGroup] = []
    quorum: str | None = None
    for number, raw in enumerate(text.split("\n")[:-1], start=1):
        line = raw.strip(" \t")
        if not line or line.startswith("#"):
            continue
        keyword, *args = _FIELDS.split(line)
        try:
            if keyword == "log" and len(args) in (1, 2):
                log = PolicyLog(
                    _verifier(args[0], Ed25519Verifier), args[1] if len(args) == 2 else None
                )
                builder.log(log)
                logs.append(log)
            elif keyword == "witness" and len(args) in (2, 3):
                cosigner = _verifier(args[1], CosignatureVerifier)
                witness = PolicyWitness(args[0], cosigner, args[2] if len(args) == 3 else None)
                builder.witness(witness)
                witnesses.append(witness)
            elif keyword == "group" and len(args) >= 3:
                members = tuple(args[2:])
                group = PolicyGroup(args[0], _threshold(args[0], args[1], len(members)), members)
                builder.group(group)
                groups.append(group)
            elif keyword == "quorum" and len(args) == 1:
                if quorum is not None:
                    raise MalformedPolicy("a policy has exactly one quorum line")
                builder.quorum(args[0])
                quorum = args[0]
            elif keyword in ("log", "witness", "group", "quorum"):
                raise MalformedPolicy(f"wrong number of fields for {keyword}")
            else:
                raise MalformedPolicy(f"unknown keyword {keyword!r}")
        except MalformedPolicy as err:
            raise MalformedPolicy(f"policy line {number}: {err}") from None
    if quorum is None:
        raise MalformedPolicy("policy has no quorum line")
    return Policy(tuple(logs), tuple(witnesses), tuple(groups), quorum)


def format_policy(
    logs: list[PolicyLog],
    witnesses: list[PolicyWitness],
    groups: list[PolicyGroup],
    quorum: str,
) -> str:
    """Check and write a policy in tlog-policy form."""
    return Policy(tuple(logs), tuple(witnesses), tuple(groups), quorum).to_text()
