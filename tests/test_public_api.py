"""The public API is what the site uses: every public name is used on the site or shows an example.

A name in ``mlp_symmetry.__all__`` earns its place by appearing in a
narrative page or a gallery script, or by a doctest in its own docstring,
which the API page shows under "Examples". A name that neither the site nor
a reader needs should not be public.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

import mlp_symmetry

ROOT = Path(__file__).resolve().parents[1]
SITE_SOURCES = sorted((ROOT / "docs").rglob("*.md")) + sorted((ROOT / "gallery").rglob("*.py"))


@pytest.fixture(scope="module")
def site_text() -> str:
    return "\n".join(path.read_text() for path in SITE_SOURCES)


def test_the_site_sources_were_found():
    assert len(SITE_SOURCES) > 40, [str(p) for p in SITE_SOURCES]


@pytest.mark.parametrize("name", mlp_symmetry.__all__)
def test_every_public_name_is_used_on_the_site_or_shows_an_example(name, site_text):
    doc = inspect.getdoc(getattr(mlp_symmetry, name)) or ""
    used = re.search(rf"\b{re.escape(name)}\b", site_text) is not None
    assert used or ">>>" in doc, f"mlp_symmetry.{name} is used on no page or example and has no doctest"


def test_all_lists_each_public_name_once_and_only_public_names():
    assert len(set(mlp_symmetry.__all__)) == len(mlp_symmetry.__all__)
    assert all(not name.startswith("_") and hasattr(mlp_symmetry, name) for name in mlp_symmetry.__all__)
