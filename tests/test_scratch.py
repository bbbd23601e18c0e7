"""The pool of scratch arrays: results never alias pooled memory, and the pool stays bounded."""

import numpy as np
import pytest

import mlp_symmetry as ms
from mlp_symmetry._fast import pool as _scratch


@pytest.fixture(autouse=True)
def empty_pool():
    _scratch.clear()
    yield
    _scratch.clear()


def test_block_reuses_arrays_of_the_same_shape():
    with _scratch.scratch() as block:
        first = block.empty((3, 4))
    with _scratch.scratch() as block:
        again = block.empty((3, 4))
        other = block.empty((3, 4))
    assert again is first
    assert other is not first


def test_arrays_are_not_returned_after_an_error():
    with pytest.raises(RuntimeError), _scratch.scratch() as block:
        kept = block.empty((5,))
        raise RuntimeError("boom")
    with _scratch.scratch() as block:
        assert block.empty((5,)) is not kept


def test_pool_respects_its_byte_limit(monkeypatch):
    monkeypatch.setattr(_scratch, "MAX_POOL_BYTES", 8 * 10)
    with _scratch.scratch() as block:
        block.empty((10,))
        block.empty((10,))
    assert _scratch._POOL.nbytes == 80
    assert len(_scratch._POOL.free[(10,)]) == 1


def test_large_arrays_are_never_pooled(monkeypatch):
    monkeypatch.setattr(_scratch, "MAX_ARRAY_BYTES", 8 * 10)
    with _scratch.scratch() as block:
        block.empty((11,))
    assert _scratch._POOL.nbytes == 0


@pytest.mark.parametrize("batch", [(), (3,)])
def test_results_do_not_share_memory_with_later_calls(batch):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, 3)), rng.integers(0, 2, size=40)
    sizes = [3, 6, 5, 2]
    params = ms.init_params(sizes, rng=1) if not batch else ms.init_runs(sizes, batch[0], rng=1)
    other = ms.unflatten(ms.flatten(params) * 0.5, sizes)
    value, grad = ms.loss_and_gradient(params, X, y, "tanh", "softmax_cross_entropy")
    snapshot = ms.flatten(grad).copy()
    v = rng.normal(size=ms.n_params(sizes))
    hv = ms.hessian_vector_product(params, X, y, v, "tanh", "softmax_cross_entropy")
    hv_copy = hv.copy()
    # Calls with other parameters reuse the pooled arrays.
    ms.loss_and_gradient(other, X, y, "tanh", "softmax_cross_entropy")
    ms.hessian_vector_product(other, X, y, v, "tanh", "softmax_cross_entropy")
    np.testing.assert_array_equal(ms.flatten(grad), snapshot)
    np.testing.assert_array_equal(hv, hv_copy)
    assert _scratch._POOL.nbytes > 0
    # And the pooled run agrees with a run on an empty pool.
    _scratch.clear()
    np.testing.assert_array_equal(
        ms.flatten(ms.loss_and_gradient(params, X, y, "tanh", "softmax_cross_entropy")[1]), snapshot
    )
