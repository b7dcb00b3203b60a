"""Why an appeal, or a step in one, is refused."""

from __future__ import annotations

from amanah.errors import Refused


class AppealRefused(Refused):
    """The step breaks a rule of appeals (unknown appeal, wrong status, a time out of order,
    a missing recipient...). Nothing was written; correct the request and try again."""
