"""The web UI's catalogues: every message the code and templates use is in both, the Arabic
one translates all of them with their placeholders intact, and Arabic's six plural forms
are used."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from amanah.web.i18n import LANGUAGES, catalogue_path, choose, language
from amanah.web.labels import LABELS

WEB = Path(__file__).resolve().parents[2] / "src" / "amanah" / "web"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]


def used() -> set[str | tuple[str, str]]:
    found: set[str | tuple[str, str]] = set()
    for _, _, message, _, _ in extract_from_dir(
        str(WEB), METHODS, keywords=KEYWORDS, comment_tags=()
    ):
        found.add(message if isinstance(message, str) else (message[0], message[1]))
    return found


def catalogue(code: str) -> dict[str | tuple[str, str], object]:
    with catalogue_path(code).open("rb") as handle:
        cat = read_po(handle, locale=code)
    return {(m.id if isinstance(m.id, str) else (m.id[0], m.id[1])): m.string for m in cat if m.id}


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_message_used_is_in_the_catalogue(code: str) -> None:
    messages = used()
    assert len(messages) > 300
    missing = messages - catalogue(code).keys()
    assert not missing, f"run `make messages`: {sorted(map(str, missing))[:10]}"


def test_no_message_in_the_catalogues_is_unused() -> None:
    stale = catalogue("ar").keys() - used()
    assert not stale, sorted(map(str, stale))[:10]


def test_arabic_translates_everything_with_its_placeholders() -> None:
    for msgid, translated in catalogue("ar").items():
        ids = (msgid,) if isinstance(msgid, str) else msgid
        strings = (translated,) if isinstance(translated, str) else tuple(translated)  # type: ignore[arg-type]
        want = set(PLACEHOLDER.findall(" ".join(ids)))
        assert all(s.strip() for s in strings), f"untranslated: {msgid}"
        for number, text in enumerate(strings):
            got = set(PLACEHOLDER.findall(text))
            assert got <= want, (msgid, text)
            if isinstance(msgid, str) or number >= 3:
                assert got == want, (msgid, text)


def test_arabic_uses_its_six_plural_forms() -> None:
    ar = language("ar")
    forms = {n: ar.ngettext("%(num)d person", "%(num)d people", n) for n in (0, 1, 2, 3, 11, 100)}
    assert len(set(forms.values())) == 6
    assert (forms[3] % {"num": 3}).startswith("3")
    assert language("en").ngettext("%(num)d person", "%(num)d people", 1) == "%(num)d person"


def test_every_label_is_translated() -> None:
    ar = language("ar")
    for group in LABELS.values():
        for message in group.values():
            assert ar.gettext(message) != message, message


def test_unknown_languages_fall_back_to_arabic() -> None:
    assert choose("fr") == "ar"
    assert choose(None) == "ar"
    assert language("xx").code == "ar"
