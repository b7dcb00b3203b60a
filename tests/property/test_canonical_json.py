"""Entry bytes are RFC 8785: `canonical_json` agrees with the `rfc8785` reference package.

`canonical_json` takes a fast path through the standard library and falls back to `rfc8785`
only when a key holds a character outside the Basic Multilingual Plane (where UTF-16 and code
point order differ). The strategies lean on exactly those characters, and on the last BMP block
(U+E000-U+FFFF) that sorts after surrogate pairs in UTF-16 but before them by code point.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import rfc8785
from hypothesis import given
from hypothesis import strategies as st

from amanah.errors import EntryRejected
from amanah.ledger.entry import canonical_json

MAX_EXACT = 2**53 - 1

# Every Unicode scalar value (no surrogates), with extra weight where the sort orders differ.
chars = st.one_of(
    st.characters(codec="utf-8"),
    st.characters(min_codepoint=0xE000, max_codepoint=0xFFFF, codec="utf-8"),
    st.characters(min_codepoint=0x10000),
    st.sampled_from(["a", "é", "ع", "\u0000", '"', "\\", "\u2028", "\U0001f600"]),
)
texts = st.text(chars, max_size=8)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-MAX_EXACT, MAX_EXACT), texts)
values: st.SearchStrategy[Any] = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(texts, inner, max_size=4)),
    max_leaves=20,
)
objects = st.dictionaries(texts, values, max_size=6)
surrogates = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)


@given(objects)
def test_canonical_json_is_rfc8785(value: dict[str, Any]) -> None:
    encoded = canonical_json(value)
    assert encoded == bytes(rfc8785.dumps(value))
    assert json.loads(encoded) == value


@given(st.dictionaries(st.text(st.characters(min_codepoint=0x10000), min_size=1), values))
def test_astral_keys_sort_by_utf16_code_units(value: dict[str, Any]) -> None:
    mixed = {**value, "\uffff": 1, "\ue000": 2}
    assert canonical_json(mixed) == bytes(rfc8785.dumps(mixed))


@st.composite
def with_lone_surrogate(draw: st.DrawFn) -> dict[str, Any]:
    """A JSON object with one lone surrogate somewhere: a key or a value, maybe nested."""
    base = draw(objects)
    bad = draw(texts) + draw(surrogates) + draw(texts)
    key = draw(texts)
    places: list[dict[str, Any]] = [
        {bad: 0},
        {key: bad},
        {key: [None, bad]},
        {key: {bad: True}},
        {key: {"\U0001f600": bad}},  # an astral key too: the rfc8785 path
        {"\U0001f600": 1, bad: 1},
    ]
    placed = draw(st.sampled_from(places))
    return {**base, **placed}


@given(with_lone_surrogate())
def test_lone_surrogates_are_rejected(value: dict[str, Any]) -> None:
    with pytest.raises(EntryRejected):
        canonical_json(value)
