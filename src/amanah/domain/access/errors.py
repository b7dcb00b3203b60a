"""Why account management refuses a change. (A denied action is
:class:`amanah.errors.Forbidden`; a failed login :class:`amanah.errors.LoginFailed`.)"""

from __future__ import annotations

from amanah.errors import Refused


class AccessRefused(Refused):
    """The change breaks a rule of accounts (duplicate username, weak password, a guard
    without blocks...). Nothing was written."""
