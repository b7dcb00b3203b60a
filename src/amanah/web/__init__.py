"""The web UI: server-rendered pages (Jinja2, htmx), Arabic first; and the HTTP server."""
