"""Time every kernel against its baselines and print one table.

``python -m benchmarks [KERNEL ...]`` runs each kernel in each implementation
in a fresh subprocess (``--worker KERNEL IMPL``): one warm-up call, then
repeated timed calls (at least 3, more while they fit in ``--budget`` seconds;
exactly 3 after a shorter warm-up for the long kernels),
of which the median is reported, together with the peak resident set size
(``ru_maxrss``) of that subprocess. The table is printed and written as
Markdown to ``benchmarks/results.md``.

Ratios are our time divided by the baseline's: below 1 we are faster. For
the kernels with a ``floor`` implementation (see :mod:`benchmarks.kernels`) a
note gives its time, the naive time over it (the largest speed-up over the
naive loop that numpy's own kernels allow on this machine), whether the
target lies within that bound, and our time over the floor.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).with_name("results.md")

# (kernel, baseline): the largest acceptable ratio ours / baseline.
RATIO_TARGETS = {
    ("gradient", "torch"): 1.2,
    ("plane_small", "torch"): 1.0,
    ("plane_digits", "torch"): 1.0,
    ("hessian", "torch"): 1.0,
    ("hvp", "torch"): 1.0,
    ("training", "torch"): 1.0,
    ("population", "torch"): 1.0,
    ("plane_small", "naive"): 0.1,
    ("plane_digits", "naive"): 0.1,
    ("training", "naive"): 0.1,
}
SECONDS_TARGETS = {"matching": 1.0}
MEMORY_TARGETS_MIB = {"plane_memory": 1024.0}


def worker(name: str, impl: str, budget: float) -> dict:
    """Set up one kernel in one implementation, time it and measure peak memory."""
    from benchmarks.kernels import KERNELS

    case = KERNELS[name].setup(impl)
    if case is None:
        return {"skipped": "no counterpart"}
    times = []
    if name == "plane_memory":
        repeats = 1
    elif case.warmup is not None:
        case.warmup()
        repeats = 3
    else:
        start = time.perf_counter()
        case.run()
        warm = time.perf_counter() - start
        repeats = max(3, min(15, int(budget / max(warm, 1e-9))))
    for _ in range(repeats):
        start = time.perf_counter()
        case.run()
        times.append((time.perf_counter() - start) * case.scale)
    return {
        "median": statistics.median(times),
        "times": times,
        "note": case.note,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_worker(name: str, impl: str, budget: float) -> dict:
    """Run :func:`worker` in a fresh interpreter and return its result."""
    if impl == "torch":
        try:
            import importlib.util

            if importlib.util.find_spec("torch") is None:
                return {"skipped": "torch not installed"}
        except ImportError:
            return {"skipped": "torch not installed"}
    command = [sys.executable, "-m", "benchmarks", "--worker", name, impl, "--budget", str(budget)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=Path(__file__).parent.parent, check=False)
    if done.returncode != 0:
        return {
            "skipped": f"failed: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode}"
        }
    return json.loads(done.stdout.strip().splitlines()[-1])


def machine() -> list[str]:
    """Lines describing the machine: CPU, cores, BLAS, versions."""
    import numpy as np

    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    config = np.show_config(mode="dicts") if "mode" in np.show_config.__code__.co_varnames else {}
    blas = config.get("Build Dependencies", {}).get("blas", {})
    try:
        import torch

        torch_version = torch.__version__
    except ImportError:
        torch_version = "not installed"
    from benchmarks.kernels import blas_threads

    return [
        f"CPU: {model}, {os.cpu_count()} logical cores ({platform.machine()})",
        f"numpy {np.__version__}, BLAS {blas.get('name', '?')} {blas.get('version', '?')}, "
        f"{blas_threads()} BLAS threads; torch {torch_version}",
        f"Python {platform.python_version()}, {datetime.datetime.now().isoformat(timespec='minutes')}",
    ]


def fmt_time(result) -> str:
    """Format a median time, or say why there is none."""
    if "median" not in result:
        return result.get("skipped", "")
    return f"{result['median']:.4g} s"


def fmt_rss(result) -> str:
    """Format a peak RSS in MiB."""
    return f"{result['peak_rss_mib']:.0f}" if "peak_rss_mib" in result else ""


def fmt_ratio(name, ours, base, impl) -> str:
    """Format our time over the baseline's, checked against its target."""
    if "median" not in ours or "median" not in base:
        return ""
    ratio = ours["median"] / base["median"]
    target = RATIO_TARGETS.get((name, impl))
    if target is None:
        return f"{ratio:.3g}"
    return f"{ratio:.3g} ({'ok' if ratio <= target else 'MISSED'} <= {target:g})"


def bound_note(name: str, res: dict) -> str:
    """Say how far numpy's own kernels let any implementation beat the naive loop, against the target."""
    naive, floor = res.get("naive", {}), res.get("floor", {})
    if "median" not in naive or "median" not in floor:
        return ""
    bound = naive["median"] / floor["median"]
    text = f"; naive / floor = {bound:.2g}"
    target = RATIO_TARGETS.get((name, "naive"))
    if target is not None:
        speedup = 1 / target
        reach = "within" if bound >= speedup else "beyond"
        text += f": the {speedup:g}x target is {reach} what the floor allows"
        if "median" in res.get("ours", {}):
            text += f"; ours is {res['ours']['median'] / floor['median']:.2g}x the floor"
    return text


def table(results: dict, load: tuple[float, float]) -> str:
    """Return the Markdown table of all results."""
    from benchmarks.kernels import KERNELS

    header = [
        "kernel",
        "ours",
        "RSS MiB",
        "naive numpy",
        "ours / naive",
        "RSS MiB",
        "torch",
        "ours / torch",
        "RSS MiB",
    ]
    lines = [
        "# Benchmarks",
        "",
        *[f"- {line}" for line in machine()],
        f"- load average (1 min) before and after: {load[0]:.2f}, {load[1]:.2f}",
        "- times: median after a warm-up; ratio = our time / the baseline's (below 1: we are faster);",
        "  RSS: peak resident memory of the subprocess that ran the kernel (imports included)",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    notes = []
    for name, res in results.items():
        ours, naive, torch = res.get("ours", {}), res.get("naive", {}), res.get("torch", {})
        our_time = fmt_time(ours)
        if name in SECONDS_TARGETS and "median" in ours:
            ok = ours["median"] <= SECONDS_TARGETS[name]
            our_time += f" ({'ok' if ok else 'MISSED'} <= {SECONDS_TARGETS[name]:g} s)"
        our_rss = fmt_rss(ours)
        if name in MEMORY_TARGETS_MIB and "peak_rss_mib" in ours:
            ok = ours["peak_rss_mib"] <= MEMORY_TARGETS_MIB[name]
            our_rss += f" ({'ok' if ok else 'MISSED'} <= {MEMORY_TARGETS_MIB[name]:g})"
        row = [
            KERNELS[name].title,
            our_time,
            our_rss,
            fmt_time(naive),
            fmt_ratio(name, ours, naive, "naive"),
            fmt_rss(naive),
            fmt_time(torch),
            fmt_ratio(name, ours, torch, "torch"),
            fmt_rss(torch),
        ]
        lines.append("| " + " | ".join(row) + " |")
        for impl, result in res.items():
            if impl == "floor":
                continue
            if result.get("note"):
                notes.append(f"- {KERNELS[name].title}, {impl}: {result['note']}")
        floor = res.get("floor", {})
        if "median" in floor:
            notes.append(f"- {KERNELS[name].title}, floor: {fmt_time(floor)}, {floor['note']}{bound_note(name, res)}")
    return "\n".join(lines + ["", *notes, ""])


def main(argv=None) -> int:
    """Run the workers (or, with ``--worker``, be one) and print the table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("kernels", nargs="*", help="kernels to run (default: all)")
    parser.add_argument("--budget", type=float, default=3.0, help="seconds of timed repeats per kernel and baseline")
    parser.add_argument("--worker", nargs=2, metavar=("KERNEL", "IMPL"), help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, default=RESULTS, help="Markdown file for the table")
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(*args.worker, args.budget)))
        return 0

    from benchmarks.kernels import KERNELS

    names = args.kernels or list(KERNELS)
    unknown = [name for name in names if name not in KERNELS]
    if unknown:
        parser.error(f"unknown kernels {unknown}; choose from {list(KERNELS)}")
    load_before = os.getloadavg()[0]
    results = {}
    for name in names:
        results[name] = {}
        for impl in KERNELS[name].impls:
            print(f"{name:>13} {impl:>6} ...", end=" ", flush=True, file=sys.stderr)
            results[name][impl] = run_worker(name, impl, args.budget)
            print(fmt_time(results[name][impl]), file=sys.stderr)
    text = table(results, (load_before, os.getloadavg()[0]))
    print(text)
    args.output.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
