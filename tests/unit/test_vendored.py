"""Vendored front-end files are exactly the published ones (see their README)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

import amanah

VENDOR = Path(amanah.__file__).parent / "web" / "static" / "vendor"

PINNED = {
    "htmx/htmx.min.js": "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717",
    "fonts/noto-sans-arabic-arabic-400-normal.woff2": (
        "4e2ca0745c908761dc5c5db951662873887c59366fa1a5693ad22c0864abf1bd"
    ),
    "fonts/noto-sans-arabic-arabic-700-normal.woff2": (
        "d2bf5ac762d07f769e4e644a1f919649317cb5b62e20ab9ae02918862627b723"
    ),
    "fonts/noto-sans-latin-400-normal.woff2": (
        "09aee8065d25508f23a4c3d92cd777ac869c52d93fd868a88f025d888a7937d6"
    ),
    "fonts/noto-sans-latin-700-normal.woff2": (
        "e77bfe1db912f687b0319b60de158cfada67f89c8ee4f8e2bd6020f970accbfb"
    ),
}


@pytest.mark.parametrize(("name", "digest"), sorted(PINNED.items()))
def test_a_vendored_file_is_the_published_one(name: str, digest: str) -> None:
    assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest


def test_every_vendored_file_is_pinned_and_licensed() -> None:
    shipped = {
        str(p.relative_to(VENDOR))
        for p in VENDOR.rglob("*")
        if p.is_file() and p.suffix in (".js", ".woff2", ".css")
    }
    assert shipped == set(PINNED)
    for folder in {Path(name).parent for name in PINNED}:
        assert any((VENDOR / folder).glob("LICENSE*")), f"{folder} has no licence file"
