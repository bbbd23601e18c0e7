import copy

import numpy as np
import pytest

import mlp_symmetry as ms


@pytest.fixture(scope="module")
def problem():
    """A 3-6-4-2 tanh network on 40 samples (66 parameters) and its exact spectrum."""
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, 3)), rng.normal(size=(40, 2))
    params = ms.init_params([3, 6, 4, 2], rng=1)
    return params, X, y, np.linalg.eigvalsh(ms.hessian(params, X, y))


def test_as_many_steps_as_parameters_give_every_eigenvalue(problem):
    params, X, y, exact = problem
    rule = ms.spectral_density(params, X, y, n_probes=2, n_steps=len(exact), rng=0)
    np.testing.assert_allclose(rule.nodes, np.broadcast_to(exact, rule.nodes.shape), atol=1e-10)
    np.testing.assert_allclose(rule.weights.sum(axis=1), 1.0, rtol=1e-12)
    assert np.all(rule.weights >= 0)


def test_repeated_eigenvalues_are_all_returned():
    """Softmax outputs give exact zeros (a Krylov space runs out); the restart still finds all of them."""
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(30, 2)), rng.integers(0, 3, size=30)
    params = ms.init_params([2, 3, 3], rng=0)
    exact = np.linalg.eigvalsh(ms.hessian(params, X, y, "relu", "softmax_cross_entropy"))
    rule = ms.spectral_density(params, X, y, "relu", "softmax_cross_entropy", n_probes=1, n_steps=len(exact), rng=0)
    np.testing.assert_allclose(rule.nodes[0], exact, atol=1e-10)
    assert np.sum(np.abs(exact) < 1e-12) == 4  # the shift of all logits: 3 hidden units and the bias


def test_moments_and_extremes_match_the_exact_spectrum(problem):
    params, X, y, exact = problem
    n, n_probes = len(exact), 30
    rule = ms.spectral_density(params, X, y, n_probes=n_probes, n_steps=20, rng=1)
    # n q^T H q is Hutchinson's estimate of the trace; its mean is within three standard errors of the truth.
    traces = n * np.sum(rule.weights * rule.nodes, axis=1)
    assert abs(traces.mean() - exact.sum()) < 3 * traces.std(ddof=1) / np.sqrt(n_probes)
    # Each probe's rule integrates low powers exactly: q^T H^2 q is also unbiased for trace(H^2) / n.
    squares = n * np.sum(rule.weights * rule.nodes**2, axis=1)
    assert abs(squares.mean() - np.sum(exact**2)) < 3 * squares.std(ddof=1) / np.sqrt(n_probes)
    # Ritz values lie inside the spectrum and the extreme ones converge to the extreme eigenvalues.
    assert np.all(rule.nodes >= exact[0] - 1e-10) and np.all(rule.nodes <= exact[-1] + 1e-10)
    np.testing.assert_allclose(rule.nodes[:, -1], exact[-1], rtol=1e-8)
    np.testing.assert_allclose(rule.nodes[:, 0], exact[0], rtol=1e-6)


def test_the_same_rng_gives_the_same_rules(problem):
    params, X, y, _ = problem
    rule = ms.spectral_density(params, X, y, n_probes=3, n_steps=10, rng=5)
    again = ms.spectral_density(params, X, y, n_probes=3, n_steps=10, rng=5)
    np.testing.assert_array_equal(rule.nodes, again.nodes)
    np.testing.assert_array_equal(rule.weights, again.weights)
    other = ms.spectral_density(params, X, y, n_probes=3, n_steps=10, rng=6)
    assert not np.allclose(rule.weights, other.weights)


def test_inputs_are_not_modified(problem):
    params, X, y, _ = problem
    before = copy.deepcopy((params, X, y))
    rule = ms.spectral_density(params, X, y, n_probes=2, n_steps=5, rng=0)
    grid = np.linspace(-1, 1, 7)
    nodes, weights = rule.nodes.copy(), rule.weights.copy()
    ms.smoothed_density(rule.nodes, rule.weights, grid, 0.1)
    for a, b in zip(ms.flatten(before[0]), ms.flatten(params), strict=True):
        assert a == b
    np.testing.assert_array_equal(before[1], X)
    np.testing.assert_array_equal(before[2], y)
    np.testing.assert_array_equal(nodes, rule.nodes)
    np.testing.assert_array_equal(weights, rule.weights)


def test_smoothed_density_integrates_to_one_and_keeps_the_mean():
    nodes, weights = np.array([[-1.0, 0.5, 2.0], [0.0, 1.0, 3.0]]), np.array([[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]])
    grid = np.linspace(-4.0, 7.0, 4001)
    density = ms.smoothed_density(nodes, weights, grid, 0.2)
    step = grid[1] - grid[0]
    np.testing.assert_allclose(density.sum(axis=1) * step, 1.0, rtol=1e-9)
    np.testing.assert_allclose((density * grid).sum(axis=1) * step, np.sum(nodes * weights, axis=1), atol=1e-9)
    np.testing.assert_allclose(ms.smoothed_density(nodes[0], weights[0], grid, 0.2), density[0])


def test_bad_arguments_are_refused(problem):
    params, X, y, exact = problem
    with pytest.raises(ValueError, match="n_steps"):
        ms.spectral_density(params, X, y, n_steps=len(exact) + 1)
    with pytest.raises(ValueError, match="params"):
        ms.spectral_density(ms.init_runs([3, 6, 4, 2], 2, rng=0), X, y)
    with pytest.raises(ValueError, match="weights"):
        ms.smoothed_density([[0.0, 1.0]], [[1.0]], [0.0], 0.1)
    with pytest.raises(ValueError, match="width"):
        ms.smoothed_density([0.0], [1.0], [0.0], 0.0)


def test_too_many_lanczos_vectors_are_refused_before_any_work():
    params = ms.init_params([100, 200, 1], rng=0)  # 20,401 parameters
    X, y = np.ones((2, 100)), np.ones(2)
    with pytest.raises(ValueError, match="n_probes \\* n_steps"):
        ms.spectral_density(params, X, y, n_probes=100, n_steps=100)
