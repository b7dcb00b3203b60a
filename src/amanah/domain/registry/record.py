"""The person record: fields, validation and search keys (Mandela Rule 7, ICPPED art. 17(3)).

A record is a JSON object. Every category has the identity fields; a detainee's admission
record adds the commitment order, arrest, health at admission, property, family and contacts;
staff add their role, post and unit; others (medical team, visitors) their role and body.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date, datetime, tzinfo
from typing import Any

import pycountry

from amanah.domain.registry.errors import RegistryRefused
from amanah.domain.shared import clean_text, format_time, one_line, parse_time

TEXT = 200
LONG_TEXT = 2_000
MAX_ITEMS = 100

#: ISO 3166-1 alpha-2 codes, plus the two answers a register must be able to give.
NATIONALITY_WORDS = ("stateless", "unknown")
_COUNTRIES = frozenset(c.alpha_2 for c in pycountry.countries)
_BIRTH_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
# Checked against the record's own dates by the model (admission after birth); here only
# a plausibility bound that needs no clock.
_LATEST_BIRTH = date(2100, 1, 1)
# A time as the ledger keeps it (what :func:`normalise_times` makes of the input).
_UTC_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")

Check = Callable[[Any, str], Any]


def _text(required: bool = False, max_chars: int = TEXT) -> Check:
    def check(value: Any, what: str) -> Any:
        if value is None or value == "":
            if required:
                raise RegistryRefused(f"{what} is required")
            return None
        if not isinstance(value, str):
            raise RegistryRefused(f"{what} must be text")
        if max_chars > TEXT:
            return clean_text(value, what, max_chars=max_chars)
        return one_line(value, what, max_chars=max_chars)

    return check


def _count(value: Any, what: str) -> Any:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10_000:
        raise RegistryRefused(f"{what} must be a whole number from 0 to 10000")
    return value


def _object(spec: Mapping[str, Check], required: bool = False) -> Check:
    def check(value: Any, what: str) -> Any:
        if value is None or value == {}:
            if required:
                raise RegistryRefused(f"{what} is required")
            return None
        if not isinstance(value, dict):
            raise RegistryRefused(f"{what} must be an object")
        unknown = value.keys() - spec.keys()
        if unknown:
            raise RegistryRefused(f"{what} has unknown field {', '.join(sorted(unknown))}")
        cleaned = {}
        for name, inner in spec.items():
            got = inner(value.get(name), f"{what}.{name}")
            if got is not None:
                cleaned[name] = got
        return cleaned or None

    return check


def _list(item: Check) -> Check:
    def check(value: Any, what: str) -> Any:
        if value is None or value == []:
            return None
        if not isinstance(value, list):
            raise RegistryRefused(f"{what} must be a list")
        if len(value) > MAX_ITEMS:
            raise RegistryRefused(f"{what} has more than {MAX_ITEMS} items")
        cleaned = [item(v, f"{what}[{i}]") for i, v in enumerate(value)]
        return [v for v in cleaned if v is not None] or None

    return check


def _nationality(value: Any, what: str) -> Any:
    if not isinstance(value, str) or not value.strip():
        raise RegistryRefused(f"{what} is required (ISO 3166 code, 'stateless' or 'unknown')")
    text = value.strip()
    if text.lower() in NATIONALITY_WORDS:
        return text.lower()
    if text.upper() in _COUNTRIES:
        return text.upper()
    raise RegistryRefused(
        f"{what} {text!r} is not an ISO 3166 country code (such as SY, IQ, FR), "
        "'stateless' or 'unknown'"
    )


def _birth_date(value: Any, what: str) -> Any:
    if value is None or value == "":
        return None
    match = _BIRTH_DATE.match(value) if isinstance(value, str) else None
    if match is None:
        raise RegistryRefused(f"{what} {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else 1 for g in match.groups())
    try:
        born = date(year, month, day)
    except ValueError:
        raise RegistryRefused(f"{what} {value!r} is not a date") from None
    if born.year < 1900 or born > _LATEST_BIRTH:
        raise RegistryRefused(f"{what} {value!r} is not a plausible date of birth")
    return value


def _flag(value: Any, what: str) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"  # as typed in a correction
    if not isinstance(value, bool):
        raise RegistryRefused(f"{what} must be true or false")
    return value


def _aliases(value: Any, what: str) -> Any:
    if isinstance(value, str):
        value = [part for part in value.split(";") if part.strip()]
    return _list(_text())(value, what)


def _time(value: Any, what: str) -> Any:
    """A time already normalised to RFC 3339 UTC by the service (see :func:`normalise_times`)."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise RegistryRefused(f"{what} must be a time")
    return value


CONTACT = _object({"name": _text(True), "relation": _text(), "contact": _text()})

IDENTITY: dict[str, Check] = {
    "name_ar": _text(),
    "name_latin": _text(),
    "aliases": _aliases,
    "gender": _text(True, 40),
    "nationality": _nationality,
    "birth_date": _birth_date,
    "birth_date_approximate": _flag,
}

DETAINEE: dict[str, Check] = {
    "commitment": _object(
        {
            "order_ref": _text(True),
            "grounds": _text(True, LONG_TEXT),
            "ordering_authority": _text(True),
            "responsible_authority": _text(True),
        },
        required=True,
    ),
    "arrest": _object(
        {"time": _time, "place": _text(True), "authority": _text(True)}, required=True
    ),
    "health": _object(
        {
            "state": _text(False, LONG_TEXT),
            "visible_injuries": _text(False, LONG_TEXT),
            "ill_treatment_complaints": _text(False, LONG_TEXT),
        }
    ),
    "property": _list(_object({"item": _text(True), "quantity": _count})),
    "family": _list(
        _object(
            {
                "name": _text(True),
                "relation": _text(True),
                "age": _count,
                "location": _text(),
                "custody": _text(),
            }
        )
    ),
    "next_of_kin": CONTACT,
    "emergency_contact": CONTACT,
}

STAFF: dict[str, Check] = {
    "staff": _object(
        {"role": _text(True), "post": _text(), "unit": _text(), "rank": _text()}, required=True
    )
}

OTHER: dict[str, Check] = {
    "other": _object({"role": _text(True), "organisation": _text()}, required=True)
}

SPECS: dict[str, dict[str, Check]] = {
    "detainee": IDENTITY | DETAINEE,
    "staff": IDENTITY | STAFF,
    "other": IDENTITY | OTHER,
}

#: Fields a correction may change (dotted paths of text fields, and the aliases list).
CORRECTABLE = tuple(
    sorted(
        set(IDENTITY)
        | {
            f"{group}.{name}"
            for group, names in {
                "commitment": (
                    "order_ref",
                    "grounds",
                    "ordering_authority",
                    "responsible_authority",
                ),
                "arrest": ("time", "place", "authority"),
                "health": ("state", "visible_injuries", "ill_treatment_complaints"),
                "staff": ("role", "post", "unit", "rank"),
                "other": ("role", "organisation"),
                "next_of_kin": ("name", "relation", "contact"),
                "emergency_contact": ("name", "relation", "contact"),
            }.items()
            for name in names
        }
    )
)


def normalise_times(raw: dict[str, Any], zone: tzinfo) -> dict[str, Any]:
    """The record with ``arrest.time`` parsed (local facility time if no offset) to UTC."""
    arrest = raw.get("arrest")
    if isinstance(arrest, dict) and isinstance(arrest.get("time"), str) and arrest["time"]:
        return raw | {"arrest": arrest | {"time": format_time(parse_time(arrest["time"], zone))}}
    return raw


def validate(category: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    """A cleaned record for ``category``; refuses unknown, missing or malformed fields."""
    spec = SPECS.get(category) if isinstance(category, str) else None
    if spec is None:
        raise RegistryRefused(f"category must be one of {', '.join(SPECS)}")
    if not isinstance(raw, Mapping):
        raise RegistryRefused("the record must be an object of named fields")
    unknown = raw.keys() - spec.keys()
    if unknown:
        raise RegistryRefused(f"unknown field {', '.join(sorted(unknown))} for a {category}")
    record: dict[str, Any] = {}
    for name, check in spec.items():
        value = check(raw.get(name), name)
        if value is not None:
            record[name] = value
    if not record.get("name_ar") and not record.get("name_latin"):
        raise RegistryRefused("a name is required, in Arabic script or in Latin letters")
    if record.get("name_ar") and not _ARABIC.search(record["name_ar"]):
        raise RegistryRefused("name_ar must be written in Arabic script")
    if record.get("name_latin") and _ARABIC.search(record["name_latin"]):
        raise RegistryRefused("name_latin must be written in Latin letters")
    birth = record.get("birth_date")
    if birth and len(birth) < 10:
        record["birth_date_approximate"] = True  # a year or a month is approximate by nature
    elif not birth:
        record.pop("birth_date_approximate", None)
    return record


def check_arrest_before(record: Mapping[str, Any], admitted: str) -> None:
    """Refuse an arrest dated after the admission, or not dated as the ledger keeps times
    (RFC 3339 UTC, as :func:`normalise_times` makes it): times are compared as text."""
    arrest_time = (record.get("arrest") or {}).get("time")
    if arrest_time and not _is_utc_time(arrest_time):
        raise RegistryRefused(
            f"arrest.time {arrest_time!r} is not a UTC time such as 2026-01-20T05:15:00Z"
        )
    if arrest_time and arrest_time > admitted:
        raise RegistryRefused(
            f"the arrest ({arrest_time}) is dated after the admission ({admitted})"
        )


def _is_utc_time(value: str) -> bool:
    if not _UTC_TIME.fullmatch(value):
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def get_field(record: Mapping[str, Any], path: str) -> Any:
    group, _, name = path.partition(".")
    if not name:
        return record.get(group)
    return (record.get(group) or {}).get(name)


def with_field(record: Mapping[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of ``record`` with ``path`` set (``None`` removes it)."""
    result = dict(record)
    group, _, name = path.partition(".")
    if not name:
        if value is None:
            result.pop(group, None)
        else:
            result[group] = value
        return result
    inner = dict(result.get(group) or {})
    if value is None:
        inner.pop(name, None)
    else:
        inner[name] = value
    if inner:
        result[group] = inner
    else:
        result.pop(group, None)
    return result


# --- Search: one folded string per person, matched by substring in either script ---------

_ARABIC_FOLD = str.maketrans(
    {
        # hamza carriers and wasla -> bare alef, ya or waw; alef maqsura -> ya; ta marbuta -> ha
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ئ": "ي",
        "ؤ": "و",
        "ة": "ه",
        # Persian-keyboard ya and kaf, as typed on many tablets
        "ی": "ي",
        "ک": "ك",
        # tatweel (kashida) only stretches a word
        "ـ": None,
    }
    # Arabic-Indic and Persian digits, as an Arabic keyboard types a facility number
    | {chr(0x0660 + d): str(d) for d in range(10)}
    | {chr(0x06F0 + d): str(d) for d in range(10)}
)
_MARKS = re.compile(r"[\u064B-\u065F\u0670\u06D6-\u06ED]")
#: What may stand between the parts of a name, or not: "al-Hassan", "Al Hassan", "Alhassan",
#: "عبد الله" and "عبدالله" are one name. Apostrophes and the ayn/hamza marks of
#: transliteration (ʿ ʾ ʻ ʼ ' ’ ‘ ` ´ ′) are dropped with them.
_JOINERS = frozenset("_'’‘‛`´′ʹʻʼʽʾʿˈ.,·،")


def _joiner(ch: str) -> bool:
    # Spaces, dashes of every kind (U+2011 non-breaking hyphen...), format characters (bidi
    # marks and zero-width joiners, common in pasted Arabic), and control characters and lone
    # surrogates, which no stored name holds and no index can be asked for.
    return ch.isspace() or ch in _JOINERS or unicodedata.category(ch) in ("Pd", "Cf", "Cc", "Cs")


def fold(text: str) -> str:
    """Fold for search: case, Latin accents, Arabic vowel marks, alef/ya/ta-marbuta forms,
    Arabic-Indic digits; and the separators between name parts are dropped, in the stored
    key and in the query alike, so that "alhassan", "al-Ḥassan", "Al Hassan" all fold to
    ``alhassan``. Other punctuation (``%``, ``/``) is kept: it is matched literally."""
    text = _MARKS.sub("", unicodedata.normalize("NFKC", text)).translate(_ARABIC_FOLD)
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(
        ch
        for ch in decomposed
        if not (unicodedata.combining(ch) and not _ARABIC.match(unicodedata.normalize("NFC", ch)))
    )
    folded = unicodedata.normalize("NFC", stripped).casefold()
    return "".join(ch for ch in folded if not _joiner(ch))


def search_key(number: str, record: Mapping[str, Any]) -> str:
    """The folded text a search matches against: number, names and aliases, each folded
    (so without spaces) and kept apart by `` | ``, which no folded query can span."""
    parts = [number, record.get("name_ar") or "", record.get("name_latin") or ""]
    parts += record.get("aliases") or []
    return " | ".join(folded for folded in (fold(p) for p in parts if p) if folded)


def display_name(record: Mapping[str, Any]) -> str:
    """Arabic name, then the Latin one, as one line."""
    names = [record.get("name_ar"), record.get("name_latin")]
    return " / ".join(n for n in names if n)
