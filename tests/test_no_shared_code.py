"""Every experiment once: no block of code stands both on a page and in an example.

A narrative page (``docs/**/*.md``, its ``{code-cell}`` blocks) and a gallery
script (``gallery/**/*.py``) that share a block of code run the same
computation twice, and sooner or later with different settings. This test
normalises the code of both (white space folded, blank lines, comments and
import lines dropped; the cells of a page read as one stream) and fails on any
run of :data:`MIN_LINES` consecutive lines that stands in both.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MIN_LINES = 6
CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)


def normalise(lines) -> list[str]:
    """Fold white space; drop blank lines, comments, cell options and imports."""
    out = []
    for line in lines:
        text = " ".join(line.split())
        if not text or text.startswith(("#", ":")) or re.match(r"(import|from) \S+", text):
            continue
        out.append(text)
    return out


def page_code(path: Path) -> list[str]:
    """The code lines of every ``{code-cell}`` of a MyST page, in order."""
    return normalise(line for cell in CELL.findall(path.read_text()) for line in cell.splitlines())


def script_code(path: Path) -> list[str]:
    """The code lines of a gallery script, without its docstrings and text cells."""
    text = re.sub(r'^(?:r?""".*?"""|r?\'\'\'.*?\'\'\')', "", path.read_text(), flags=re.MULTILINE | re.DOTALL)
    return normalise(text.splitlines())


def windows(lines: list[str], size: int = MIN_LINES) -> dict[tuple[str, ...], int]:
    """Every run of ``size`` consecutive lines, mapped to the index of its first line."""
    return {tuple(lines[i : i + size]): i for i in range(len(lines) - size + 1)}


def shared_blocks(page_lines: list[str], script_lines: list[str]) -> list[tuple[str, ...]]:
    script_windows = windows(script_lines)
    return [block for block in windows(page_lines) if block in script_windows]


PAGES = sorted((ROOT / "docs").glob("part*/*.md")) + [ROOT / "docs" / "index.md"]
SCRIPTS = sorted((ROOT / "gallery").rglob("*.py"))


def test_the_normalisation_finds_a_planted_block():
    code = [f"x{i} = f({i})" for i in range(MIN_LINES)]
    page = ["import numpy as np", "# comment", *code, "y = 1"]
    script = ["", "z = 2", *["    " + line for line in code]]
    assert shared_blocks(normalise(page), normalise(script)) == [tuple(code)]
    assert shared_blocks(normalise(page[:-2]), normalise(script)) == [], "five shared lines are not a block"


def test_sources_were_found():
    assert len(PAGES) > 20 and len(SCRIPTS) > 20, (len(PAGES), len(SCRIPTS))
    assert all(page_code(page) for page in PAGES if "part" in page.parent.name and page.name != "index.md")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_page_shares_a_block_with_an_example(page):
    lines = page_code(page)
    found = []
    for script in SCRIPTS:
        for block in shared_blocks(lines, script_code(script)):
            found.append(f"{script.relative_to(ROOT)}: {block[0]!r} ... {block[-1]!r}")
    assert not found, f"{page.relative_to(ROOT)} repeats {len(found)} block(s) of a gallery script:\n" + "\n".join(
        found[:10]
    )
