"""The fast kernels of mlp_symmetry._fast against the plain numpy reference, and their pool and threads.

Every kernel is compared with the public function that states its maths, on
random problems: 1-3 weight layers, widths from 1, every activation and loss,
biases on and off layer by layer, batch shapes none, (3,) and (2, 3) with
layers that broadcast against each other, and one or two threads. The
problems are small, so the public functions run their plain numpy bodies.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mlp_symmetry as ms
from mlp_symmetry import _checks, _fast
from mlp_symmetry._fast import blocks, layers, pool
from mlp_symmetry.teacher_student import init_students, orthonormal_teacher, population_loss

ACTIVATIONS = ("tanh", "relu", "sigmoid", "identity")
LOSSES = ("mse", "sigmoid_mse", "binary_cross_entropy", "softmax_cross_entropy")
BATCHES = [(), (3,), (2, 3)]


def assert_close(fast, reference, what):
    """Agreement to 1e-12 relative to the largest entry of the reference."""
    fast, reference = np.asarray(fast), np.asarray(reference)
    assert fast.shape == reference.shape, f"{what}: shape {fast.shape} != {reference.shape}"
    scale = max(np.abs(reference).max(initial=0.0), 1e-300)
    np.testing.assert_allclose(fast, reference, rtol=1e-12, atol=1e-12 * scale, err_msg=what)


def sub_batch(draw, batch):
    """A batch shape that broadcasts to ``batch``: leading axes dropped, others possibly 1."""
    keep = draw(st.integers(0, len(batch)))
    return tuple(n if draw(st.booleans()) else 1 for n in batch[len(batch) - keep :])


@st.composite
def problems(draw, *, batched=True):
    """Parameters (layers broadcasting to a batch), inputs, validated targets and names."""
    depth = draw(st.integers(1, 3))
    sizes = draw(st.lists(st.integers(1, 4), min_size=depth + 1, max_size=depth + 1))
    activation, loss = draw(st.sampled_from(ACTIVATIONS)), draw(st.sampled_from(LOSSES))
    if loss == "softmax_cross_entropy":
        sizes[-1] = max(sizes[-1], 2)
    batch = draw(st.sampled_from(BATCHES)) if batched else ()
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        W = rng.normal(size=sub_batch(draw, batch) + (n_out, n_in))
        b = rng.normal(size=sub_batch(draw, batch) + (n_out,)) if draw(st.booleans()) else None
        params.append((W, b))
    n = draw(st.integers(1, 6))
    X = rng.normal(size=(n, sizes[0]))
    if loss == "softmax_cross_entropy":
        y = rng.integers(0, sizes[-1], size=n)
    elif loss == "mse":
        y = rng.normal(size=(n, sizes[-1]))
    else:
        y = rng.uniform(size=(n, sizes[-1]))
    params, X, targets, activation, loss = _checks.check_problem(params, X, y, activation, loss)
    assert not _fast.pays_off(params, X), "small enough for the plain reference"
    return params, X, targets, activation, loss, rng


def assert_layers_close(fast, reference, what):
    for index, (f, r) in enumerate(zip(fast, reference, strict=True)):
        assert_close(f.W, r.W, f"{what}: dW of layer {index}")
        assert (f.b is None) == (r.b is None), f"{what}: db of layer {index} present in one only"
        if r.b is not None:
            assert_close(f.b, r.b, f"{what}: db of layer {index}")


@settings(max_examples=300, deadline=None)
@given(problem=problems())
def test_gradient_kernel_matches_the_backprop_reference(problem):
    params, X, targets, activation, loss, _ = problem
    value, grads = _fast.loss_and_gradient(params, X, targets, activation, loss)
    ref_value, ref_grads = ms.loss_and_gradient(params, X, targets, activation, loss)
    assert_close(value, ref_value, "loss")
    assert_layers_close(grads, ref_grads, "gradient")


@settings(max_examples=300, deadline=None)
@given(problem=problems(), v_batch=st.sampled_from([(), (2,)]))
def test_hessian_vector_kernel_matches_the_r_operator_reference(problem, v_batch):
    params, X, targets, activation, loss, rng = problem
    shape = ms.network.structure(params)
    batch = ms.batch_shape(params)
    v = rng.normal(size=(v_batch if not batch else batch) + (shape.n_params,))
    fast = ms.flatten(
        _fast.hessian_vector_products(params, X, targets, activation, loss, ms.network.split_flat(v, *shape))
    )
    assert_close(fast, ms.hessian_vector_product(params, X, targets, v, activation, loss), "H v")


@settings(max_examples=100, deadline=None)
@given(
    problem=problems(batched=False),
    n_points=st.integers(1, 40),
    n_threads=st.sampled_from([1, 2]),
    layout=st.sampled_from(["units", "rows"]),
    chunk=st.booleans(),
)
def test_batch_losses_kernel_matches_the_loss_at_every_point(problem, n_points, n_threads, layout, chunk):
    params, X, targets, activation, loss, rng = problem
    shape = ms.network.structure(params)
    points = ms.flatten(params) + rng.normal(size=(n_points, shape.n_params))
    chunk_size = int(rng.integers(1, n_points + 1)) if chunk else None
    with pytest.MonkeyPatch.context() as patch:
        # Blocks of a few points for several threads, or a cache so small that the row layout runs.
        patch.setattr(blocks, "default_threads", lambda: n_threads)
        patch.setattr(blocks, "CACHE_BYTES", 1000 if layout == "units" else 1)
        fast = _fast.batch_losses(lambda a, b: points[a:b], n_points, shape, X, targets, activation, loss, chunk_size)
    assert_close(fast, ms.loss(ms.network.split_flat(points, *shape), X, targets, activation, loss), "losses")


@settings(max_examples=100, deadline=None)
@given(problem=problems(batched=False), n_runs=st.integers(1, 40), n_threads=st.sampled_from([1, 2]))
def test_gradient_function_kernel_matches_backprop_run_by_run(problem, n_runs, n_threads):
    params, X, targets, activation, loss, rng = problem
    shape = ms.network.structure(params)
    theta = ms.flatten(params) + rng.normal(size=(n_runs, shape.n_params))
    with pytest.MonkeyPatch.context() as patch:
        # Blocks of at most 7 runs: several blocks, shared by the threads.
        patch.setattr(blocks, "CACHE_BYTES", 7 * 8 * X.shape[0] * max(shape.sizes[1:]))
        with _fast.gradient_function(shape, X, targets, activation, loss, n_threads) as fun:
            values, grads = fun(theta)
    ref_values, ref_grads = ms.loss_and_gradient(ms.network.split_flat(theta, *shape), X, targets, activation, loss)
    assert_close(values, ref_values, "losses of the runs")
    assert_close(grads, ms.flatten(ref_grads), "gradients of the runs")


@settings(max_examples=60, deadline=None)
@given(problem=problems(batched=False), n_runs=st.integers(1, 12), n_threads=st.sampled_from([1, 2]))
def test_gradient_function_with_sample_weights_is_the_minibatch_gradient(problem, n_runs, n_threads):
    params, X, targets, activation, loss, rng = problem
    shape, n = ms.network.structure(params), X.shape[0]
    theta = ms.flatten(params) + rng.normal(size=(n_runs, shape.n_params))
    batch_size = int(rng.integers(1, n + 1))
    rows = np.argsort(rng.random((n_runs, n)), axis=1)[:, :batch_size]
    weights = np.zeros((n_runs, n))
    np.put_along_axis(weights, rows, n / batch_size, axis=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(blocks, "CACHE_BYTES", 3 * 8 * n * max(shape.sizes[1:]))
        with _fast.gradient_function(shape, X, targets, activation, loss, n_threads) as fun:
            values, grads = fun(theta, weights)
    for run in range(n_runs):
        point = ms.network.split_flat(theta[run], *shape)
        assert_close(values[run], ms.loss(point, X, targets, activation, loss), "full-batch loss of a run")
        minibatch = ms.loss_and_gradient(point, X[rows[run]], targets[rows[run]], activation, loss)[1]
        assert_close(grads[run], ms.flatten(minibatch), "minibatch gradient of a run")


def reference_population(W, V):
    """Loss, gradient and teacher term of the teacher-student model, one pair of rows at a time."""

    def f_and_g(w, v):
        nw, nv = np.linalg.norm(w), np.linalg.norm(v)
        theta = np.arccos(np.clip(w @ v / (nw * nv), -1.0, 1.0))
        f = nw * nv / (2 * np.pi) * (np.sin(theta) + (np.pi - theta) * np.cos(theta))
        return f, (nv * np.sin(theta) * w / nw + (np.pi - theta) * v) / (2 * np.pi)

    grad = np.zeros_like(W)
    for index in np.ndindex(W.shape[:-2]):
        for i, w in enumerate(W[index]):
            grad[index + (i,)] = sum(f_and_g(w, u)[1] for u in W[index]) - sum(f_and_g(w, v)[1] for v in V)
    teacher = 0.5 * sum(f_and_g(v, u)[0] for v in V for u in V)
    return population_loss(W, V), grad, teacher


@settings(max_examples=100, deadline=None)
@given(
    n=st.integers(1, 4),
    k=st.integers(1, 4),
    batch=st.sampled_from(BATCHES),
    seed=st.integers(0, 2**32 - 1),
)
def test_population_kernel_matches_the_pairwise_reference(n, k, batch, seed):
    rng = np.random.default_rng(seed)
    V, W = rng.normal(size=(k, 3)), rng.normal(size=batch + (n, 3))
    ref_value, ref_grad, teacher = reference_population(W, V)
    value, grad = _fast.population_loss_and_gradient(W, V, teacher)
    assert_close(value, ref_value, "population loss")
    assert_close(grad, ref_grad, "population gradient")


def test_population_kernel_on_many_students_matches_the_closed_form():
    V = orthonormal_teacher(10)
    W = init_students(10, 10, 256, rng=0)
    assert_close(ms.population_loss_and_gradient(W, V)[0], population_loss(W, V), "256 students")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True, width=64), min_size=1, max_size=50))
def test_fast_tanh_is_numpys_tanh_within_a_few_ulps_of_one_and_never_warns(values):
    z = np.array(values)
    with np.errstate(all="raise"):
        fast = layers.tanh_in_place(z.copy())
    reference = np.tanh(z)
    np.testing.assert_array_equal(np.isnan(fast), np.isnan(reference))
    finite = ~np.isnan(reference)
    assert np.all(np.abs(fast[finite] - reference[finite]) <= 4.5e-16)


def test_fast_tanh_on_a_scratch_block_leaves_the_input_as_its_only_output(empty_pool):
    z = np.linspace(-30.0, 30.0, 1001).reshape(7, 143)
    with pool.scratch() as block:
        out = layers.tanh_in_place(z, block)
    assert out is z
    np.testing.assert_allclose(z, np.tanh(np.linspace(-30.0, 30.0, 1001)).reshape(7, 143), rtol=0, atol=4.5e-16)


# Which path a public call takes


def test_large_or_batched_problems_take_the_fast_kernels(monkeypatch):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(600, 3)), rng.normal(size=600)
    big = ms.init_params([3, 64, 1], rng=0)
    small = ms.init_params([3, 4, 1], rng=0)
    assert _fast.pays_off(big, X) and not _fast.pays_off(small, X[:10])
    assert _fast.pays_off(ms.init_runs([3, 4, 1], 64, rng=0), X), "64 runs of 600 samples"
    calls = []
    monkeypatch.setattr(_fast, "loss_and_gradient", lambda *args: calls.append("grad") or (0.0, ()))
    monkeypatch.setattr(_fast, "hessian_vector_products", lambda *args: calls.append("hvp") or big)
    ms.loss_and_gradient(big, X, y)
    ms.hessian_vector_product(big, X, y, np.zeros(ms.n_params([3, 64, 1])))
    ms.loss_and_gradient(small, X[:10], y[:10])
    assert calls == ["grad", "hvp"]


# The scratch pool


@pytest.fixture
def empty_pool():
    pool.clear()
    yield
    pool.clear()


def test_block_reuses_arrays_of_the_same_shape(empty_pool):
    with pool.scratch() as block:
        first = block.empty((3, 4))
    with pool.scratch() as block:
        again = block.empty((3, 4))
        other = block.empty((3, 4))
    assert again is first
    assert other is not first


def test_arrays_are_not_returned_after_an_error(empty_pool):
    with pytest.raises(RuntimeError), pool.scratch() as block:
        kept = block.empty((5,))
        raise RuntimeError("boom")
    with pool.scratch() as block:
        assert block.empty((5,)) is not kept


def test_pool_respects_its_byte_limit(empty_pool, monkeypatch):
    monkeypatch.setattr(pool, "MAX_POOL_BYTES", 8 * 10)
    with pool.scratch() as block:
        block.empty((10,))
        block.empty((10,))
    assert pool._POOL.nbytes == 80
    assert len(pool._POOL.free[(10,)]) == 1


def test_large_arrays_are_never_pooled(empty_pool, monkeypatch):
    monkeypatch.setattr(pool, "MAX_ARRAY_BYTES", 8 * 10)
    with pool.scratch() as block:
        block.empty((11,))
    assert pool._POOL.nbytes == 0


@pytest.mark.parametrize("batch", [(), (3,)])
def test_kernel_results_do_not_share_memory_with_later_calls(batch, empty_pool):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, 3)), rng.integers(0, 2, size=40)
    sizes = [3, 6, 5, 2]
    start = ms.init_params(sizes, rng=1) if not batch else ms.init_runs(sizes, batch[0], rng=1)
    args = _checks.check_problem(start, X, y, "tanh", "softmax_cross_entropy")
    params, other = args[0], ms.unflatten(ms.flatten(start) * 0.5, sizes)
    V = ms.network.split_flat(rng.normal(size=ms.n_params(sizes)), *ms.network.structure(params))
    _, grad = _fast.loss_and_gradient(*args)
    hv = _fast.hessian_vector_products(*args, V)
    snapshot, hv_copy = ms.flatten(grad).copy(), ms.flatten(hv).copy()
    # Calls with other parameters reuse the pooled arrays.
    _fast.loss_and_gradient(other, *args[1:])
    _fast.hessian_vector_products(other, *args[1:], V)
    np.testing.assert_array_equal(ms.flatten(grad), snapshot)
    np.testing.assert_array_equal(ms.flatten(hv), hv_copy)
    assert pool._POOL.nbytes > 0
    # And the pooled run agrees with a run on an empty pool.
    pool.clear()
    np.testing.assert_array_equal(ms.flatten(_fast.loss_and_gradient(*args)[1]), snapshot)


# Blocks and threads


@pytest.mark.parametrize("n_items", [1, 2, 7, 39, 40, 256, 1001])
@pytest.mark.parametrize("item_bytes", [1, 25_000, 128_000, 999_999, 5_000_000])
def test_ranges_cover_the_items_in_equal_cache_sized_blocks(n_items, item_bytes):
    cut = blocks.ranges(n_items, item_bytes)
    starts, stops = zip(*cut, strict=True)
    assert starts[0] == 0 and stops[-1] == n_items, "every item, from the first to the last"
    assert list(starts[1:]) == list(stops[:-1]), "contiguous, no overlap"
    sizes = np.subtract(stops, starts)
    assert sizes.min() >= 1 and sizes.max() - sizes.min() <= 1, f"equal sizes: {sizes}"
    assert sizes.max() <= max(1, blocks.CACHE_BYTES // item_bytes), "a block's widest array stays within the cache"
    if len(cut) > 1 and sizes.max() > 1:
        assert len(cut) % 2 == 0, "an even number of blocks shares the work of two threads"


def test_ranges_respect_a_largest_block():
    assert blocks.ranges(10, 1, max_items=3) == [(0, 2), (2, 5), (5, 8), (8, 10)]


def test_threads_for_large_items_is_one():
    assert blocks.threads_for(blocks.CACHE_BYTES + 1) == 1
    assert blocks.threads_for(1000) == blocks.default_threads()


@pytest.mark.parametrize("n_threads", [1, 2, 3])
def test_workers_run_every_block_once(n_threads):
    out = np.zeros(100, dtype=int)

    def fill(start, stop):
        out[start:stop] += 1

    with blocks.Workers(n_threads) as workers:
        workers.run(fill, blocks.ranges(100, blocks.CACHE_BYTES // 7))
        workers.run(fill, [])
    np.testing.assert_array_equal(out, 1)


def test_workers_raise_the_error_of_a_worker_thread():
    def fail(start, stop):
        if start > 0:
            raise RuntimeError(f"block {start}:{stop}")

    with blocks.Workers(2) as workers, pytest.raises(RuntimeError, match="block 5:10"):
        workers.run(fail, [(0, 5), (5, 10)])


def test_workers_apply_the_callers_numpy_error_state():
    def overflow(start, stop):
        np.exp(np.full(stop - start, 1e3))

    with blocks.Workers(2) as workers, np.errstate(over="raise"), pytest.raises(FloatingPointError):
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


def test_single_threaded_blas_is_set_within_the_block_and_restored(monkeypatch):
    from mlp_symmetry._fast import blas

    if blas.available():
        _, get_threads = blas._controls
        before = get_threads()
        with blas.single_threaded() as done:
            assert done and get_threads() == 1
        assert get_threads() == before
        # Overlapping blocks, as from two threads: the first setting comes back when the last block ends.
        outer, inner = blas.single_threaded(), blas.single_threaded()
        outer.__enter__()
        inner.__enter__()
        outer.__exit__(None, None, None)
        assert get_threads() == 1, "one block is still running"
        inner.__exit__(None, None, None)
        assert get_threads() == before
    monkeypatch.setattr(blas, "_controls", False)
    with blas.single_threaded() as done:
        assert not done, "without a known BLAS nothing is changed, and the caller is told"


@pytest.mark.parametrize("settable", [True, False])
def test_large_points_give_the_same_losses_with_or_without_single_threaded_blas(monkeypatch, settable):
    from mlp_symmetry._fast import blas

    if not settable:
        monkeypatch.setattr(blas, "_controls", False)
    monkeypatch.setattr(blocks, "default_threads", lambda: 2)
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(300, 5)), rng.integers(0, 3, size=300)
    params = ms.init_params([5, 40, 3], rng=0)  # 300 x 40 hidden values: larger than the patched cache below
    shape = ms.network.structure(params)
    points = ms.flatten(params) + 0.1 * rng.normal(size=(7, shape.n_params))
    monkeypatch.setattr(blocks, "CACHE_BYTES", 1000)
    fast = _fast.batch_losses(lambda a, b: points[a:b], 7, shape, X, y, "relu", "softmax_cross_entropy")
    expected = ms.loss(ms.network.split_flat(points, *shape), X, y, "relu", "softmax_cross_entropy")
    assert_close(fast, expected, "losses of large points")
