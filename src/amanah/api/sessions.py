"""Log-in sessions for the browser and the API: who is behind a cookie, and its CSRF token.

Sessions live in the server's memory, keyed by the SHA-256 of a random 256-bit token that
only the client's cookie holds (``HttpOnly``, ``SameSite=Strict``, ``Secure`` behind TLS).
A restart logs everyone out, which a field laptop's users can afford; nothing they entered
is in a session. Every log-in starts a new token (no session fixation: a token a client
brings to the log-in is ended, never promoted), and logging out, disabling an account or
changing its password ends its sessions. Each session has its own CSRF token, which every
request that changes something must carry (form field ``csrf_token`` or header
``X-CSRF-Token``).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from amanah.clock import Clock

COOKIE = "amanah_session"
LOGIN_COOKIE = "amanah_login"  # the CSRF token of the log-in form (before any session)
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"

IDLE = timedelta(hours=8)  # a shift
ABSOLUTE = timedelta(hours=16)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def same(a: str | None, b: str | None) -> bool:
    """Constant-time comparison of two tokens (False if either is missing)."""
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


@dataclass(frozen=True)
class Session:
    username: str
    csrf: str
    lang: str
    started: datetime
    seen: datetime


class SessionStore:
    """The live sessions of one server process."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._sessions: dict[str, Session] = {}
        self._flashes: dict[str, list[tuple[str, str]]] = {}
        self._lock = threading.Lock()

    def start(self, username: str, lang: str) -> tuple[str, Session]:
        """A new session for ``username``: its token (for the cookie) and the session."""
        token = new_token()
        now = self._clock.now()
        session = Session(username, new_token(), lang, now, now)
        with self._lock:
            self._expire(now)
            self._sessions[_digest(token)] = session
        return token, session

    def get(self, token: str | None) -> Session | None:
        """The live session behind ``token`` (its idle time restarts), or None."""
        if not token:
            return None
        now = self._clock.now()
        key = _digest(token)
        with self._lock:
            session = self._sessions.get(key)
            if session is None:
                return None
            if now - session.seen > IDLE or now - session.started > ABSOLUTE:
                del self._sessions[key]
                return None
            session = replace(session, seen=now)
            self._sessions[key] = session
            return session

    def set_language(self, token: str, lang: str) -> None:
        key = _digest(token)
        with self._lock:
            if key in self._sessions:
                self._sessions[key] = replace(self._sessions[key], lang=lang)

    def flash(self, token: str, kind: str, text: str) -> None:
        """Keep a message (``notice`` or ``error``) for the session's next page."""
        key = _digest(token)
        with self._lock:
            if key in self._sessions:
                kept = self._flashes.setdefault(key, [])
                kept.append((kind, text))
                del kept[:-10]  # a few at most

    def take_flashes(self, token: str) -> list[tuple[str, str]]:
        """The messages kept for the session, once."""
        with self._lock:
            return self._flashes.pop(_digest(token), [])

    def end(self, token: str | None) -> None:
        if token:
            with self._lock:
                key = _digest(token)
                self._sessions.pop(key, None)
                self._flashes.pop(key, None)

    def end_user(self, username: str) -> int:
        """End every session of ``username`` (disabled, or a new password); how many."""
        with self._lock:
            ended = [k for k, s in self._sessions.items() if s.username == username]
            for key in ended:
                del self._sessions[key]
                self._flashes.pop(key, None)
        return len(ended)

    def _expire(self, now: datetime) -> None:
        for key, s in list(self._sessions.items()):
            if now - s.seen > IDLE or now - s.started > ABSOLUTE:
                del self._sessions[key]
                self._flashes.pop(key, None)
