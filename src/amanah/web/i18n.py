"""The web's languages: Arabic (the default, right to left) and English.

Messages live in Babel catalogues, ``locale/<lang>/LC_MESSAGES/messages.po``, read once at
start-up and compiled in memory (no ``.mo`` files to fall out of step). Arabic has six plural
forms; ``ngettext`` picks the right one from the catalogue's ``Plural-Forms``.
``tests/unit/test_web_i18n.py`` checks that every message the code and templates use is in
both catalogues, translated, with its placeholders intact.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALE_DIR = Path(__file__).with_name("locale")
LANGUAGES = ("ar", "en")
DEFAULT_LANGUAGE = "ar"
NAMES = {"ar": "العربية", "en": "English"}


@dataclass(frozen=True)
class Language:
    """One language as a page needs it: its code, direction and message functions."""

    code: str
    translations: Translations

    @property
    def dir(self) -> str:
        return "rtl" if self.code == "ar" else "ltr"

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)


def catalogue_path(code: str) -> Path:
    return LOCALE_DIR / code / "LC_MESSAGES" / "messages.po"


@cache
def language(code: str) -> Language:
    """The language ``code`` (one of :data:`LANGUAGES`), its catalogue compiled once."""
    if code not in LANGUAGES:
        code = DEFAULT_LANGUAGE
    with catalogue_path(code).open("rb") as po:
        catalogue = read_po(po, locale=code)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return Language(code, Translations(compiled))


def choose(requested: str | None) -> str:
    """The language to use: the one asked for if known, else Arabic. (The browser's own
    language is not asked: a borrowed laptop's browser in English still serves Arabic.)"""
    return requested if requested in LANGUAGES else DEFAULT_LANGUAGE
