"""The Python quick start in README.md runs and prints what it shows."""

import doctest
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_quick_start_runs_as_shown():
    result = doctest.testfile(str(README), module_relative=False, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 8, "the quick start lost its examples"
    assert result.failed == 0, f"{result.failed} of {result.attempted} README examples failed"
