"""Blocks of independent networks, sized for the CPU cache and run on several threads.

Many small networks evaluated together (training runs, the points of a loss plane) are cut into blocks along their
batch axis, each block's widest array near :data:`CACHE_BYTES`: elementwise work runs several times faster on arrays
that stay in the cache. Numpy releases the GIL in its loops and BLAS calls, so a few threads evaluate blocks at
once. The cut does not depend on the number of threads, so results do not either; an even number of equal blocks
shares the work evenly between two threads, the common case.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

CACHE_BYTES = 1_000_000
"""Bytes of a block's widest array."""


def default_threads() -> int:
    """Return the number of CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def threads_for(item_bytes: int) -> int:
    """Return the threads for items whose widest array has ``item_bytes``: one above the cache (BLAS uses every CPU)."""
    return default_threads() if item_bytes <= CACHE_BYTES else 1


def ranges(n_items: int, item_bytes: int, max_items: int | None = None) -> list[tuple[int, int]]:
    """Cut ``n_items`` items of ``item_bytes`` into ``(start, stop)`` blocks within the cache and ``max_items``."""
    per_block = max(1, CACHE_BYTES // max(1, item_bytes))
    if max_items is not None:
        per_block = min(per_block, max_items)
    n_blocks = -(-n_items // per_block)
    if n_blocks > 1:
        n_blocks += n_blocks % 2
    bounds = np.linspace(0, n_items, n_blocks + 1).round().astype(int)
    return [(int(lo), int(hi)) for lo, hi in zip(bounds[:-1], bounds[1:], strict=True) if hi > lo]


class Workers:
    """Threads that share the blocks of ``run``: the caller's and ``n_threads - 1`` more, under its ``np.errstate``."""

    def __init__(self, n_threads: int) -> None:
        self.n_threads = n_threads
        self._pool = ThreadPoolExecutor(n_threads - 1, thread_name_prefix="mlp_symmetry") if n_threads > 1 else None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown()

    def run(self, fn, blocks) -> None:
        """Call ``fn(start, stop)`` for every block; an error in any thread is raised here."""
        if not blocks:
            return
        shares = [blocks[i :: self.n_threads] for i in range(min(self.n_threads, len(blocks)))]
        errors = np.geterr()

        def run_share(share):
            with np.errstate(**errors):
                for start, stop in share:
                    fn(start, stop)

        futures = [self._pool.submit(run_share, share) for share in shares[1:]]
        try:
            run_share(shares[0])
        finally:
            for future in futures:
                future.result()
