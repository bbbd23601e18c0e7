import warnings

import numpy as np
import pytest

import mlp_symmetry as ms
from mlp_symmetry.training import distinct_levels, gradient_descent, init_runs, train

XOR_X = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
XOR_Y = np.array([-1.0, 1.0, 1.0, -1.0])


def quadratic(theta):
    """0.5 |theta|^2 with gradient theta; broadcasts over leading axes."""
    return 0.5 * (theta**2).sum(-1), theta


def test_plain_gradient_descent_contracts_a_quadratic_exactly():
    result = gradient_descent(quadratic, [[2.0, -4.0]], learning_rate=0.25, n_steps=3)
    np.testing.assert_allclose(result.params, [[2.0 * 0.75**3, -4.0 * 0.75**3]], err_msg="theta <- (1 - lr) theta")
    np.testing.assert_allclose(result.losses[:, 0], 10.0 * 0.75 ** (2 * np.arange(4)))
    assert result.n_gradient_evaluations == 4


def test_momentum_matches_the_heavy_ball_recursion():
    theta, v = np.array([1.0]), np.zeros(1)
    for _ in range(5):
        v = 0.5 * v - 0.1 * theta
        theta = theta + v
    result = gradient_descent(quadratic, [[1.0]], learning_rate=0.1, momentum=0.5, n_steps=5)
    np.testing.assert_allclose(result.params[0], theta)


def test_runs_are_independent_of_the_batch_they_are_in():
    params = init_runs([2, 2, 1], 6, rng=3)
    together = train(params, XOR_X, XOR_Y, learning_rate=0.1, n_steps=50)
    alone = train(tuple(ms.Layer(W[2:3], b[2:3]) for W, b in params), XOR_X, XOR_Y, learning_rate=0.1, n_steps=50)
    np.testing.assert_allclose(together.losses[:, 2], alone.losses[:, 0], rtol=1e-12)


def test_train_matches_loss_and_gradient_and_does_not_mutate_inputs():
    params = init_runs([2, 3, 1], 4, rng=0)
    copies = [(W.copy(), b.copy()) for W, b in params]
    result = train(params, XOR_X, XOR_Y, learning_rate=0.05, n_steps=1)
    for (W, b), (W0, b0) in zip(params, copies, strict=True):
        assert np.array_equal(W, W0) and np.array_equal(b, b0), "the starting points are not modified"
    value, grad = ms.loss_and_gradient(params, XOR_X, XOR_Y)
    np.testing.assert_allclose(result.losses[0], value)
    np.testing.assert_allclose(result.grad_norms[0], np.linalg.norm(ms.flatten(grad), axis=-1))
    np.testing.assert_allclose(ms.flatten(result.params), ms.flatten(params) - 0.05 * ms.flatten(grad))


def test_noise_and_smoothing_are_reproducible_and_annealed():
    start = np.full((3, 2), 1.0)
    a = gradient_descent(quadratic, start, noise=0.5, smoothing=0.3, rng=7, n_steps=40)
    b = gradient_descent(quadratic, start, noise=0.5, smoothing=0.3, rng=7, n_steps=40)
    np.testing.assert_array_equal(a.params, b.params)
    assert a.n_gradient_evaluations == 41 + 20 * 8, "smoothing costs 8 gradients per step while it is on"
    # Antithetic smoothing of a quadratic leaves its gradient unchanged, so only the noise moves the runs apart.
    c = gradient_descent(quadratic, start, smoothing=0.3, rng=7, n_steps=40)
    plain = gradient_descent(quadratic, start, n_steps=40)
    np.testing.assert_allclose(c.params, plain.params, atol=1e-12)


def test_adam_matches_its_recursion_written_out():
    theta, m1, m2 = np.array([1.0, -2.0]), np.zeros(2), np.zeros(2)
    for t in range(1, 6):
        m1 = 0.9 * m1 + 0.1 * theta
        m2 = 0.999 * m2 + 0.001 * theta**2
        theta = theta - 0.1 * (m1 / (1 - 0.9**t)) / (np.sqrt(m2 / (1 - 0.999**t)) + 1e-8)
    result = gradient_descent(quadratic, [[1.0, -2.0]], learning_rate=0.1, method="adam", n_steps=5)
    np.testing.assert_allclose(result.params[0], theta, rtol=1e-13)
    np.testing.assert_allclose(ms.training.adam(lambda t: t, np.array([1.0, -2.0]), 5, 0.1), theta, rtol=1e-13)


def test_path_records_every_kth_point_and_the_last():
    result = gradient_descent(quadratic, [[1.0], [2.0]], learning_rate=0.5, n_steps=5, record_every=2)
    assert result.path.shape == (4, 2, 1), "steps 0, 2, 4 and the final point"
    np.testing.assert_allclose(result.path[:, :, 0], np.array([[1.0, 2.0]]) * 0.5 ** np.array([[0], [2], [4], [5]]))
    assert gradient_descent(quadratic, [[1.0]], n_steps=3).path is None


def test_minibatches_are_drawn_per_run_and_reproducible():
    params = init_runs([2, 3, 1], 5, rng=1)
    a = train(params, XOR_X, XOR_Y, batch_size=1, learning_rate=0.1, n_steps=30, rng=4)
    b = train(params, XOR_X, XOR_Y, batch_size=1, learning_rate=0.1, n_steps=30, rng=4)
    np.testing.assert_array_equal(ms.flatten(a.params), ms.flatten(b.params))
    # One step on one sample is the gradient of that sample alone, for some sample; the losses are full-batch.
    step = train(params, XOR_X, XOR_Y, batch_size=1, learning_rate=0.1, n_steps=1, rng=4)
    for run in range(5):
        start = tuple(ms.Layer(W[run], b[run]) for W, b in params)
        candidates = [
            ms.flatten(start) - 0.1 * ms.flatten(ms.loss_and_gradient(start, XOR_X[i : i + 1], XOR_Y[i : i + 1])[1])
            for i in range(4)
        ]
        assert min(np.abs(ms.flatten(step.params)[run] - c).max() for c in candidates) < 1e-14
        np.testing.assert_allclose(step.losses[0, run], ms.loss(start, XOR_X, XOR_Y))
    full = train(params, XOR_X, XOR_Y, batch_size=4, learning_rate=0.1, n_steps=3)
    np.testing.assert_array_equal(
        ms.flatten(full.params), ms.flatten(train(params, XOR_X, XOR_Y, learning_rate=0.1, n_steps=3).params)
    )
    with pytest.raises(ValueError, match="batch_size must be at most the number of samples, 4; got 5"):
        train(params, XOR_X, XOR_Y, batch_size=5)


def test_divergent_runs_are_frozen_and_flagged():
    result = gradient_descent(quadratic, [[1.0], [1e-3]], learning_rate=5.0, n_steps=5, divergence_threshold=1e3)
    assert result.diverged.tolist() == [True, False]
    assert np.isinf(result.losses[-1, 0]) and np.all(np.isfinite(result.params))


def test_distinct_levels_groups_close_values():
    levels, counts, labels = distinct_levels([0.3, 0.1, 0.1 + 1e-9, 0.3 + 1e-7], tol=1e-6)
    np.testing.assert_allclose(levels, [0.1, 0.3])
    assert counts.tolist() == [2, 2] and labels.tolist() == [1, 0, 0, 1]


def test_init_runs_gives_independent_starts():
    params = init_runs([3, 4, 2], 5, rng=0, bias=False)
    assert params[0].W.shape == (5, 4, 3) and params[0].b is None
    assert not np.allclose(params[0].W[0], params[0].W[1])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"learning_rate": 0.0}, "learning_rate must be a finite number > 0"),
        ({"momentum": 1.0}, r"momentum must be a finite number >= 0.0 and < 1.0"),
        ({"n_smoothing_samples": 3}, "n_smoothing_samples must be even"),
        ({"noise": -1.0}, "noise must be a finite number >= 0"),
        ({"n_steps": 1.5}, "n_steps must be an integer"),
        ({"method": "sgd"}, "method must be one of"),
        ({"record_every": -1}, "record_every must be"),
    ],
)
def test_bad_options_are_rejected(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        gradient_descent(quadratic, [[1.0]], **kwargs)


def test_bad_shapes_are_rejected():
    with pytest.raises(ValueError, match=r"theta must have shape \(n_runs, n_params\)"):
        gradient_descent(quadratic, [1.0, 2.0])
    with pytest.raises(ValueError, match="exactly one leading run axis"):
        train(ms.init_params([2, 2, 1], rng=0), XOR_X, XOR_Y)
    with pytest.raises(ValueError, match="n_runs must be >= 1"):
        init_runs([2, 2, 1], 0)


def test_threads_do_not_change_the_results():
    # 300 runs on 400 samples of width 8 make several blocks of runs.
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(400, 2)), rng.normal(size=400)
    starts = init_runs([2, 8, 1], 300, rng=0)
    one = train(starts, X, y, learning_rate=0.5, n_steps=30, n_threads=1)
    two = train(starts, X, y, learning_rate=0.5, n_steps=30, n_threads=2)
    np.testing.assert_array_equal(ms.flatten(one.params), ms.flatten(two.params))
    np.testing.assert_array_equal(one.losses, two.losses)


def test_divergence_is_silent_on_worker_threads():
    # Inputs and weights of 1e200 overflow the first matrix product inside the
    # kernel; the error state of gradient_descent must reach the worker threads.
    X, y = np.full((400, 2), 1e200), np.zeros(400)
    starts = ms.unflatten(ms.flatten(init_runs([2, 8, 1], 300, rng=0)) * 1e200, [2, 8, 1])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = train(starts, X, y, learning_rate=0.1, n_steps=5, n_threads=2)
    assert result.diverged.all()


@pytest.mark.parametrize("n_threads", [0, 1.5])
def test_bad_thread_counts_are_rejected(n_threads):
    with pytest.raises((ValueError, TypeError), match="n_threads must be"):
        train(init_runs([2, 2, 1], 2, rng=0), XOR_X, XOR_Y, n_threads=n_threads)


def test_gradient_descent_checks_fun_and_rng():
    with pytest.raises(TypeError, match="fun must be callable"):
        gradient_descent(3, [[1.0]])
    with pytest.raises(TypeError, match="rng must be"):
        gradient_descent(quadratic, [[1.0]], rng="seed")


def test_train_adam_runs_in_a_batch_like_one_by_one():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(60, 3)), rng.integers(0, 3, size=60)
    starts = [ms.init_params([3, 8, 3], rng=s) for s in (1, 2)]
    batched = ms.unflatten(np.stack([ms.flatten(p) for p in starts]), [3, 8, 3])
    together = ms.train_adam(batched, X, y, n_epochs=3, batch_size=16, learning_rate=0.01, rng=5)
    for i, start in enumerate(starts):
        alone = ms.train_adam(start, X, y, n_epochs=3, batch_size=16, learning_rate=0.01, rng=5)
        np.testing.assert_allclose(ms.flatten(together)[i], ms.flatten(alone), rtol=1e-10, atol=1e-12)
    before = ms.loss(batched, X, y, "relu", "softmax_cross_entropy")
    after = ms.loss(together, X, y, "relu", "softmax_cross_entropy")
    assert np.all(after < before)
    with pytest.raises(ValueError, match="n_epochs must be >= 1"):
        ms.train_adam(starts[0], X, y, n_epochs=0)
