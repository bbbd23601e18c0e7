"""Benchmarks of the package's kernels against naive numpy loops and PyTorch.

Run them with ``make bench`` (or ``python -m benchmarks``). Every kernel and
implementation is timed in its own subprocess, so that the peak resident
memory reported for it is its own; see :mod:`benchmarks.kernels` for what is
measured and :mod:`benchmarks.__main__` for how.
"""
