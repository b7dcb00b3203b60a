"""The ``amanah`` command line (Typer + Rich). Thin: parse, call a service, render."""
