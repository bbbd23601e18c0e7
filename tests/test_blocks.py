"""Blocks of networks for the cache, and the threads that run them."""

import numpy as np
import pytest

import mlp_symmetry as ms
from mlp_symmetry._fast import blocks as _blocks


@pytest.mark.parametrize("n_items", [1, 2, 7, 39, 40, 256, 1001])
@pytest.mark.parametrize("item_bytes", [1, 25_000, 128_000, 999_999, 5_000_000])
def test_ranges_cover_the_items_in_equal_cache_sized_blocks(n_items, item_bytes):
    blocks = _blocks.ranges(n_items, item_bytes)
    starts, stops = zip(*blocks, strict=True)
    assert starts[0] == 0 and stops[-1] == n_items, "every item, from the first to the last"
    assert list(starts[1:]) == list(stops[:-1]), "contiguous, no overlap"
    sizes = np.subtract(stops, starts)
    assert sizes.min() >= 1 and sizes.max() - sizes.min() <= 1, f"equal sizes: {sizes}"
    limit = max(1, _blocks.CACHE_BYTES // item_bytes)
    assert sizes.max() <= limit, "a block's widest array stays within the cache budget"
    if len(blocks) > 1 and sizes.max() > 1:
        assert len(blocks) % 2 == 0, "an even number of blocks shares the work of two threads"


def test_ranges_respect_a_largest_block():
    assert _blocks.ranges(10, 1, max_items=3) == [(0, 2), (2, 5), (5, 8), (8, 10)]


def test_threads_for_large_items_is_one():
    assert _blocks.threads_for(_blocks.CACHE_BYTES + 1) == 1
    assert _blocks.threads_for(1000) == _blocks.default_threads()


@pytest.mark.parametrize("n_threads", [1, 2, 3])
def test_workers_run_every_block_once(n_threads):
    out = np.zeros(100, dtype=int)

    def fill(start, stop):
        out[start:stop] += 1

    with _blocks.Workers(n_threads) as workers:
        workers.run(fill, _blocks.ranges(100, _blocks.CACHE_BYTES // 7))
        workers.run(fill, [])
    np.testing.assert_array_equal(out, 1)


def test_workers_raise_the_error_of_a_worker_thread():
    def fail(start, stop):
        if start > 0:
            raise RuntimeError(f"block {start}:{stop}")

    with _blocks.Workers(2) as workers, pytest.raises(RuntimeError, match="block 5:10"):
        workers.run(fail, [(0, 5), (5, 10)])


def test_workers_apply_the_callers_numpy_error_state():
    def overflow(start, stop):
        np.exp(np.full(stop - start, 1e3))

    with _blocks.Workers(2) as workers, np.errstate(over="raise"), pytest.raises(FloatingPointError):
        workers.run(overflow, [(0, 5), (5, 10)])


@pytest.mark.parametrize("width", [16, 700])
def test_loss_plane_of_small_and_large_networks_matches_pointwise_losses(width):
    # 200 samples x 700 units exceed the cache budget: that plane takes the row layout on one thread.
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(200, 2)), rng.normal(size=200)
    sizes = [2, width, 1]
    params = ms.init_params(sizes, rng=0)
    d1, d2 = ms.random_direction(params, rng=1), ms.random_direction(params, rng=2)
    alphas, betas = np.linspace(-1, 1, 9), np.linspace(-0.5, 0.5, 8)
    grid = ms.loss_plane(params, X, y, d1, d2, alphas, betas)
    theta, u, v = ms.flatten(params), ms.flatten(d1), ms.flatten(d2)
    expected = [[ms.loss(ms.unflatten(theta + a * u + b * v, sizes), X, y) for a in alphas] for b in betas]
    np.testing.assert_allclose(grid, expected, rtol=1e-13)
