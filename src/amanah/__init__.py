"""Amanah (أمانة): a detention facility's custody record, kept as a verifiable log."""

__version__ = "0.1.0"
