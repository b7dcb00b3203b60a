"""Pages: the Jinja2 environment and what every template is given.

Templates are autoescaped; user text reaches them only as data. Every page gets the
reader's language (``lang``, ``_``, ``ngettext``), the account (``user``) and what its roles
allow (``may``), the session's CSRF token, the navigation, the flash messages, and helpers
for URLs, times in the facility's zone, and the register's vocabulary (``label``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import cache
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from amanah import __version__
from amanah.api.context import Caller, server_of
from amanah.api.sessions import LOGIN_COOKIE
from amanah.web.i18n import LANGUAGES, NAMES, Language, choose, language
from amanah.web.labels import LABELS, N_

LANG_COOKIE = "amanah_lang"

#: The navigation: (route name, label, the actions any of which shows it).
NAV: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("dashboard", N_("Dashboard"), ("roll.read", "roster.read")),
    ("people", N_("People"), ("register.read",)),
    ("roster", N_("Roster"), ("roster.read",)),
    ("rolls", N_("Roll call"), ("roll.read",)),
    ("movements", N_("Movements"), ("movement.cell", "movement.record", "medical.record")),
    # under siege: the stores, what happened, who is owed word, the guarantors, the report
    ("supplies", N_("Supplies"), ("supplies.read",)),
    ("incidents", N_("Incidents"), ("incident.read",)),
    ("notifications", N_("Notifications"), ("notification.read",)),
    ("appeals", N_("Appeals"), ("appeal.read",)),
    ("sitrep", N_("Situation report"), ("sitrep.read",)),
    ("ledger", N_("Ledger"), ("ledger.read",)),
    ("access_log", N_("Access log"), ("access_log.read",)),
    ("users", N_("Accounts"), ("user.manage",)),
)


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("amanah.web", "templates"),
        autoescape=select_autoescape(("html",), default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["version"] = __version__
    return env


def request_language(request: Request, caller: Caller | None) -> Language:
    if caller is not None:
        return language(choose(caller.session.lang))
    return language(choose(request.cookies.get(LANG_COOKIE)))


#: Left-to-right isolate: a date inside Arabic text keeps its order (2026-01-20 08:15),
#: instead of being reordered by the bidi algorithm into 08:15 20-01-2026.
LRI, PDI = "\u2066", "\u2069"


def local_time(value: str | None, zone: Any, with_seconds: bool = False) -> str:
    """An RFC 3339 UTC time in the facility's zone, as ``2026-01-20 08:15``."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(zone)
    except ValueError:
        return value
    text = moment.strftime("%Y-%m-%d %H:%M:%S" if with_seconds else "%Y-%m-%d %H:%M")
    return f"{LRI}{text}{PDI}"


def page(
    request: Request,
    caller: Caller | None,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status: int = 200,
    here: str | None = None,
) -> HTMLResponse:
    """Render ``template`` for the request (a full page, or a fragment for htmx)."""
    return HTMLResponse(render(request, caller, template, context, here=here), status_code=status)


def render(
    request: Request,
    caller: Caller | None,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    here: str | None = None,
) -> str:
    server = server_of(request)
    lang = request_language(request, caller)
    zone = server.app.settings.zone
    principal = caller.principal if caller else None

    paths: Mapping[str, str] = request.app.state.page_paths

    def url(name: str, **params: Any) -> str:
        # A page's path from its route's template: Starlette's url_path_for walks every
        # route each time, and a register page builds a link per row (60 % of its time).
        return paths[name].format_map({k: quote(str(v), safe="") for k, v in params.items()})

    def label(group: str, code: str | None) -> str:
        if code is None:
            return ""
        message = LABELS.get(group, {}).get(code)
        return lang.gettext(message) if message else code

    def may(action: str) -> bool:
        return principal is not None and principal.may(action)

    def name(place_ar: str | None, place_en: str | None) -> str:
        """A place's or person's name in the reader's language, the other as fallback."""
        first, second = (place_ar, place_en) if lang.code == "ar" else (place_en, place_ar)
        return first or second or ""

    values: dict[str, Any] = {
        "request_path": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
        "lang": lang,
        "_": lang.gettext,
        "ngettext": lang.ngettext,
        "languages": [(code, NAMES[code]) for code in LANGUAGES],
        "user": principal,
        "role_names": " · ".join(label("role", r) for r in principal.roles) if principal else "",
        "may": may,
        "csrf_token": caller.session.csrf if caller else None,
        "login_csrf": request.cookies.get(LOGIN_COOKIE, ""),
        "nav": [(n, lang.gettext(text)) for n, text, acts in NAV if any(map(may, acts))],
        "here": here,
        # Called by full pages only, so that an htmx fragment never swallows a message.
        "flashes": lambda: server.sessions.take_flashes(caller.token) if caller else [],
        "url": url,
        "static": lambda path: f"/static/{path}?v={__version__}",
        "label": label,
        "name": name,
        "local_time": lambda value, seconds=False: local_time(value, zone, seconds),
        "zone": server.app.settings.timezone,
        "back": "→" if lang.dir == "rtl" else "←",  # points the way the page reads back
        "origin": server.app.settings.origin,
        "party": server.app.settings.party,
    }
    return environment().get_template(template).render(values | dict(context or {}))
