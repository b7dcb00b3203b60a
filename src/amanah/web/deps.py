"""What a page handler is given: the logged-in caller, and a posted form checked for its
CSRF token.

Pages need a session: without one (or when it has ended) the browser is sent to the log-in
page, and back to where it was going afterwards (htmx requests get ``HX-Redirect``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import Depends, Request

from amanah.api.context import CSRF_FIELD, Caller, check_csrf, identify

#: Form fields are short; a field longer than this is not a person's input.
MAX_FIELD = 20_000


class LoginRequired(Exception):
    """No live session: the page sends the browser to log in, then back to ``next``."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def login_url(next_path: str) -> str:
    return "/login?next=" + quote(next_path, safe="/")


def safe_next(value: str | None) -> str:
    """A path on this server to go back to after logging in (never another site)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    if any(ord(ch) < 0x20 for ch in value):
        return "/"
    return value


def back_to(request: Request) -> str:
    """Where to return after logging in: this page for a GET; for a form posted after the
    session ended, the page the form was on (htmx says which; else the referring page of
    this server), since the post itself cannot be replayed."""
    if request.method == "GET":
        return request.url.path + (f"?{request.url.query}" if request.url.query else "")
    for header in ("HX-Current-URL", "Referer"):
        found = urlsplit(request.headers.get(header, ""))
        if found.netloc == request.url.netloc and found.path:
            return safe_next(found.path + (f"?{found.query}" if found.query else ""))
    return "/"


def page_caller(request: Request) -> Caller:
    caller = identify(request)
    if caller is None:
        raise LoginRequired(back_to(request))
    return caller


async def form_of(request: Request) -> dict[str, str]:
    """The posted form's text fields (files ignored; repeated fields keep the first)."""
    form = await request.form()
    fields: dict[str, str] = {}
    for key, value in form.multi_items():
        if isinstance(value, str) and key not in fields:
            fields[key] = value[:MAX_FIELD]
    return fields


async def form_lists(request: Request) -> dict[str, list[str]]:
    """Every value of each text field (for repeated fields such as counters)."""
    form = await request.form()
    lists: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if isinstance(value, str):
            lists.setdefault(key, []).append(value[:MAX_FIELD])
    return lists


@dataclass
class Posted:
    """A form a logged-in caller posted with the right CSRF token."""

    caller: Caller
    form: dict[str, str]
    lists: dict[str, list[str]]

    def get(self, name: str) -> str | None:
        value = self.form.get(name)
        return value if value is not None and value.strip() else None


def posted(
    request: Request,
    caller: Annotated[Caller, Depends(page_caller)],
    form: Annotated[dict[str, str], Depends(form_of)],
    lists: Annotated[dict[str, list[str]], Depends(form_lists)],
) -> Posted:
    check_csrf(request, caller, form.get(CSRF_FIELD))
    return Posted(caller, form, lists)


PageCaller = Annotated[Caller, Depends(page_caller)]
PostedForm = Annotated[Posted, Depends(posted)]
