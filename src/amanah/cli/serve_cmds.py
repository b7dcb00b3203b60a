"""``amanah serve``: the web UI and the JSON API for the facility's LAN."""

from __future__ import annotations

from typing import Annotated

import typer

from amanah.cli.context import Ctx
from amanah.cli.output import err, out
from amanah.errors import InvalidInput


def serve(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option(help="Address to listen on (0.0.0.0: every interface of the LAN).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    secure_cookies: Annotated[
        bool,
        typer.Option(help="Send cookies over HTTPS only (behind a TLS-terminating proxy)."),
    ] = False,
) -> None:
    """Serve the web UI (Arabic first) and the JSON API (/api/v1) until interrupted."""
    import uvicorn

    from amanah.bootstrap import open_app
    from amanah.demo.accounts import FILE
    from amanah.web.server import create_app

    c: Ctx = ctx.obj
    if not host.strip():
        raise InvalidInput("--host must not be empty")
    app_ = open_app(c.home, c.db)
    try:
        accounts = app_.settings.home / FILE
        if accounts.exists():  # a demo home: its accounts, as `amanah demo` drew them
            out.print(accounts.read_text(encoding="utf-8"), markup=False, end="")
        shown = f"[{host}]" if ":" in host else host
        out.print(f"Amanah for {app_.settings.origin} at http://{shown}:{port}/", markup=False)
        out.print(f"API: http://{shown}:{port}/api/v1/openapi.json · Ctrl+C stops", markup=False)
        # No access log: request lines would put searched names and record numbers in the
        # terminal's scrollback; Amanah's own access log records every view.
        config = uvicorn.Config(
            create_app(app_, secure_cookies=secure_cookies),
            host=host,
            port=port,
            access_log=False,
            log_level="warning",
            workers=1,
        )
        server = uvicorn.Server(config)
        try:
            server.run()
        except KeyboardInterrupt:  # uvicorn stops cleanly, then passes Ctrl+C on
            out.print("stopped", markup=False)
            return
        except SystemExit:  # uvicorn's way of saying it could not start
            if server.started:
                raise
        if not server.started:
            err.print(
                f"error: could not listen on {host}:{port} (in use, or not this machine's)",
                markup=False,
            )
            raise typer.Exit(2)
    finally:
        app_.close()
