"""The benchmark harness: its table, its verdicts against the floors, and one real run of a cheap kernel."""

import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.__main__ import bound_note, fmt_ratio

ROOT = Path(__file__).resolve().parent.parent


def test_ratio_is_checked_against_its_target():
    assert fmt_ratio("gradient", {"median": 1.0}, {"median": 2.0}, "torch") == "0.5 (ok <= 1.2)"
    assert fmt_ratio("training", {"median": 3.0}, {"median": 10.0}, "naive") == "0.3 (MISSED <= 0.1)"
    assert fmt_ratio("gradient", {"median": 1.0}, {"skipped": "torch not installed"}, "torch") == ""


@pytest.mark.parametrize(
    ("naive", "verdict"), [(5.0, "the 10x target is beyond what the floor allows"), (30.0, "within")]
)
def test_floor_note_says_whether_the_target_is_reachable(naive, verdict):
    res = {"ours": {"median": 2.0}, "naive": {"median": naive}, "floor": {"median": 1.0}}
    note = bound_note("plane_small", res)
    assert f"naive / floor = {naive:.2g}" in note
    assert verdict in note
    assert "ours is 2x the floor" in note


def test_a_benchmark_run_prints_and_writes_its_table(tmp_path):
    output = tmp_path / "results.md"
    command = [sys.executable, "-m", "benchmarks", "population", "--budget", "0.05", "--output", str(output)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    row = next(line for line in output.read_text().splitlines() if line.startswith("| (7)"))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[1].endswith(" s") and float(cells[1][:-2]) > 0, f"our time: {cells[1]}"
    assert cells[3].endswith(" s") and float(cells[3][:-2]) > 0, f"naive time: {cells[3]}"
    assert float(cells[4]) < 1, "the batched closed form beats the loop over runs and pairs"
    assert row in done.stdout, "the table is printed too"
