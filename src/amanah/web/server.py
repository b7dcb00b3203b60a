"""The HTTP server: the JSON API under ``/api/v1``, the web pages, and the static files, in
one ASGI application over one :class:`~amanah.bootstrap.App`.

Every response says not to cache (the pages and the API carry personal data), not to be
framed, and where scripts, styles and fonts may come from: this server only (CSP), as the
field has no internet and a page must not reach out of the facility's LAN.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from amanah import __version__
from amanah.api import (
    admin_routes,
    ledger_routes,
    register_routes,
    roll_routes,
    session_routes,
    siege_routes,
)
from amanah.api.context import Server, identify
from amanah.api.errors import install
from amanah.api.sessions import SessionStore
from amanah.bootstrap import App
from amanah.web import (
    auth_pages,
    incident_pages,
    ledger_pages,
    register_pages,
    roll_pages,
    siege_pages,
)
from amanah.web.deps import LoginRequired, login_url
from amanah.web.labels import N_
from amanah.web.render import page, request_language

STATIC_DIR = Path(__file__).with_name("static")
API_PREFIX = "/api/v1"

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
        "base-uri 'none'; object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}

ERROR_TITLES = {
    401: N_("Log in"),
    403: N_("Not allowed"),
    404: N_("Not found"),
    409: N_("Refused"),
    422: N_("Check what was entered"),
    429: N_("Too many attempts"),
    500: N_("Something went wrong"),
    503: N_("The database is busy"),
}


class SecurityHeaders:
    """Pure ASGI middleware adding :data:`SECURITY_HEADERS` to every response, and
    ``Cache-Control: no-store`` to all but the static files (a BaseHTTPMiddleware would
    cost a task and a queue per request)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if not static:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


def api_router() -> APIRouter:
    router = APIRouter(prefix=API_PREFIX)
    for routes in (
        session_routes.router,
        register_routes.router,
        roll_routes.router,
        ledger_routes.router,
        admin_routes.router,
        siege_routes.router,
    ):
        for route in routes.routes:
            # "api.login", not "login": the pages' url() must never resolve to an API route.
            if isinstance(route, APIRoute) and not route.name.startswith("api."):
                route.name = f"api.{route.name}"
        router.include_router(routes)
    return router


def _error_page(request: Request, status: int, code: str, message: str) -> Response:
    if status == 401 and code in ("login_failed", "login_required"):
        return RedirectResponse(login_url(request.url.path), status_code=303)
    caller = identify(request)
    lang = request_language(request, caller)
    title = lang.gettext(ERROR_TITLES.get(status, ERROR_TITLES[500]))
    return page(request, caller, "error.html", {"title": title, "message": message}, status=status)


def create_app(app: App, *, secure_cookies: bool = False) -> FastAPI:
    """The ASGI application serving ``app`` (one process: sessions live in its memory)."""
    web = FastAPI(
        title="Amanah",
        version=__version__,
        description="A detention facility's custody record: register, movements, roll calls "
        "and the signed ledger. Every error has one shape: "
        '`{"error": {"status", "code", "message", "details"}}`.',
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # Swagger UI would load from a CDN; the field has no internet
        redoc_url=None,
    )
    web.state.server = Server(app, SessionStore(app.clock), secure_cookies)
    web.include_router(api_router())
    page_paths: dict[str, str] = {}
    for pages in (
        auth_pages.router,
        register_pages.router,
        roll_pages.router,
        siege_pages.router,
        incident_pages.router,
        ledger_pages.router,
    ):
        web.include_router(pages, include_in_schema=False)
        for route in pages.routes:
            if isinstance(route, APIRoute):
                page_paths.setdefault(route.name, route.path_format)
    web.state.page_paths = page_paths  # for render's url(): name -> "/people/{number}"
    web.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    install(web, html=_error_page)
    web.add_middleware(SecurityHeaders)

    @web.exception_handler(LoginRequired)
    def login_required(request: Request, exc: LoginRequired) -> Response:
        if request.headers.get("HX-Request"):
            return HTMLResponse("", headers={"HX-Redirect": login_url(exc.next_path)})
        return RedirectResponse(login_url(exc.next_path), status_code=303)

    return web
