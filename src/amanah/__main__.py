"""``python -m amanah`` runs the command line."""

from amanah.cli.main import main

main()
