"""One exception hierarchy for all of Amanah.

Every error a user can cause or meet derives from :class:`AmanahError`; entrypoints map
the branches below to exit codes (CLI) and status codes (API) in one place each.

::

    AmanahError                  something a person must be told, in one clear line
    ├── InvalidInput             the input is malformed: fix it and retry      (exit 2)
    │   ├── EntryRejected        a ledger entry breaks the format rules
    │   ├── MalformedNote        a signed note, checkpoint or cosignature does not parse
    │   ├── MalformedProof       a proof or receipt does not parse
    │   └── MalformedPolicy      a tlog-policy does not parse
    ├── Refused                  well-formed, but the rules forbid it          (exit 2)
    ├── NotFound                 the thing named does not exist                (exit 2)
    ├── NotInitialised           no data home / database yet: run `init`       (exit 2)
    ├── Forbidden                the user's roles do not allow it    (exit 2, HTTP 403)
    │   └── CsrfRejected         a browser's change came without its session's CSRF token
    ├── LoginFailed              wrong username or password, or a disabled account
    │   │                                                              (exit 2, HTTP 401)
    │   └── Throttled            too many failed logins: retry after ``retry_after`` (HTTP 429)
    ├── VerificationFailed       a signature, proof or audit check failed      (exit 1)
    │   └── WitnessRefusal       a witness refused a checkpoint; `.kind` says why
    ├── StorageUnavailable       the database is locked or unreachable: retry  (exit 3)
    └── Conflict                 someone else changed the data first: reload, retry
"""

from __future__ import annotations

from datetime import datetime


class AmanahError(Exception):
    """Base class. ``str(err)`` is the one line shown to the user."""


class InvalidInput(AmanahError):
    """The input is malformed. Nothing was written; correct the input and try again."""


class EntryRejected(InvalidInput):
    """A ledger entry breaks the format rules (size, floats, fields). Nothing was written."""


class MalformedNote(InvalidInput):
    """A signed note, checkpoint or cosignature line does not parse."""


class MalformedProof(InvalidInput):
    """A Merkle proof or tlog-proof receipt does not parse (wrong length, bad base64...)."""


class MalformedPolicy(InvalidInput):
    """A C2SP tlog-policy text does not parse."""


class Refused(AmanahError):
    """The request is well-formed but the rules forbid it. Nothing was written."""


class NotFound(AmanahError):
    """The record, entry or file named does not exist."""


class NotInitialised(AmanahError):
    """There is no data home or database yet; run ``amanah init`` first."""


class Forbidden(AmanahError):
    """The user's roles, facility or blocks do not allow this action. Nothing was done or
    shown; ask an administrator for the role, or act within your facility and blocks."""


class CsrfRejected(Forbidden):
    """A request that changes something came from a browser session without that session's
    CSRF token (another site's form, or a stale page). Nothing was done; reload the page."""


class LoginFailed(AmanahError):
    """Wrong username or password (never saying which), or a disabled account. Nothing was
    granted; the attempt is in the access log and counts towards throttling."""


class Throttled(LoginFailed):
    """Too many failed logins for this username or client address: wait until
    ``retry_after`` (an aware UTC datetime), then try again."""

    def __init__(self, message: str, retry_after: datetime) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class VerificationFailed(AmanahError):
    """A signature, proof or audit check failed: the data cannot be trusted as it is."""


class WitnessRefusal(VerificationFailed):
    """A witness refused to cosign. ``kind`` is one of the tlog-witness error kinds.

    The caller should act on ``kind``: ``conflict`` (send the witness's size again with a
    proof from there), ``unknown_log``, ``bad_signature``, ``bad_proof``, ``bad_request``.
    """

    def __init__(self, kind: str, message: str, *, known_size: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.known_size = known_size


class Conflict(AmanahError):
    """Someone else changed the data first. Reload and retry."""


class StorageUnavailable(AmanahError):
    """The database is busy (another writer holds it too long) or cannot be reached.

    Nothing was written; retry later, or check the database URL and server.
    """


def first_line(exc: BaseException) -> str:
    """One line describing ``exc`` (a driver's own message when it wraps one)."""
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
