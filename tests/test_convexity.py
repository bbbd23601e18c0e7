import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mlp_symmetry as ms
from mlp_symmetry.convexity import (
    ROUNDING_RTOL,
    FlatLoss,
    chord_gap,
    confirm_minima,
    find_chord_violation,
    grid_local_minima,
    hessian_extreme_eigenvalues,
)


@pytest.fixture(scope="module")
def regression():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    return X, X @ [1.5, -2.0] + 0.5 + 0.3 * rng.normal(size=40)


@pytest.fixture(scope="module")
def classification():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(60, 2))
    y = (rng.random(60) < 1 / (1 + np.exp(-(X @ [1.5, -2.0] + 0.5)))).astype(float)
    return X, y


def test_flat_loss_agrees_with_the_package_loss_on_a_batch(regression):
    X, y = regression
    f = FlatLoss([2, 3, 1], X, y, "tanh", "mse")
    theta = np.random.default_rng(2).normal(size=(4, 5, f.n_params))
    expected = ms.loss(ms.unflatten(theta, [2, 3, 1]), X, y, "tanh", "mse")
    np.testing.assert_array_equal(f(theta), expected)
    assert isinstance(f(theta[0, 0]), float), "one vector gives a Python float"
    assert f.n_params == ms.n_params([2, 3, 1])


def test_flat_loss_gradient_matches_central_differences(classification):
    X, y = classification
    f = FlatLoss([2, 2, 1], X, y, "tanh", "binary_cross_entropy")
    theta = np.random.default_rng(3).normal(size=f.n_params)
    h = 1e-6
    E = np.eye(f.n_params)
    fd = (f(theta + h * E) - f(theta - h * E)) / (2 * h)
    np.testing.assert_allclose(f.gradient(theta), fd, rtol=1e-6, atol=1e-9)


def test_flat_loss_hessian_matches_the_dense_hessian_at_every_point_of_a_batch(classification):
    X, y = classification
    f = FlatLoss([2, 2, 1], X, y, "tanh", "sigmoid_mse", bias=False)
    theta = np.random.default_rng(4).normal(size=(3, f.n_params))
    H = f.hessian(theta)
    assert H.shape == (3, f.n_params, f.n_params)
    for k in range(3):
        dense = ms.hessian(ms.unflatten(theta[k], [2, 2, 1], bias=False), X, y, "tanh", "sigmoid_mse")
        np.testing.assert_allclose(H[k], dense, rtol=1e-10, atol=1e-13)


def test_flat_loss_checks_its_arguments(regression):
    X, y = regression
    with pytest.raises(ValueError, match=r"X must have shape \(n_samples, 3\)"):
        FlatLoss([3, 1], X, y)
    with pytest.raises(ValueError, match="loss must be one of"):
        FlatLoss([2, 1], X, y, loss="hinge")
    with pytest.raises(TypeError, match="bias must be True or False"):
        FlatLoss([2, 1], X, y, bias=1)
    f = FlatLoss([2, 1], X, y)
    with pytest.raises(ValueError, match="theta must have 3 entries on its last axis"):
        f(np.zeros(4))


def test_flat_loss_keeps_its_own_copy_of_the_data(regression):
    X, y = regression
    X2 = X.copy()
    f = FlatLoss([2, 1], X2, y, loss="mse")
    before = f(np.ones(3))
    X2[:] = 0.0
    assert f(np.ones(3)) == before, "changing the caller's array afterwards does not change the loss"


def test_chord_gap_of_linear_regression_has_its_closed_form(regression):
    X, y = regression
    f = FlatLoss([2, 1], X, y, loss="mse", bias=False)
    rng = np.random.default_rng(5)
    a, b = rng.normal(size=(2, 7, 2))
    t = np.linspace(0, 1, 11)
    # L is quadratic with Hessian 2/N X^T X, so the gap is t (1 - t) |X (a - b)|^2 / N.
    expected = t * (1 - t) * np.mean(((a - b) @ X.T) ** 2, axis=1)[:, None]
    gap = chord_gap(f, a, b, t)
    assert gap.shape == (7, 11)
    np.testing.assert_allclose(gap, expected, rtol=1e-9, atol=1e-12)
    assert isinstance(chord_gap(f, a[0], b[0], 0.5), float)
    assert chord_gap(f, a, b[0], 0.5).shape == (7,), "end points broadcast"


def test_chord_gap_does_not_modify_its_inputs(regression):
    X, y = regression
    f = FlatLoss([2, 1], X, y, bias=False)
    a, b, t = np.ones(2), np.zeros(2), np.array([0.0, 0.5, 1.0])
    chord_gap(f, a, b, t)
    assert a.tolist() == [1.0, 1.0] and b.tolist() == [0.0, 0.0] and t.tolist() == [0.0, 0.5, 1.0]


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), dim=st.integers(1, 6))
def test_chord_gaps_of_a_convex_quadratic_are_nonnegative_and_of_its_negative_nonpositive(seed, dim):
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(dim, dim))
    Q = A @ A.T

    def convex(theta):
        return 0.5 * np.einsum("...i,ij,...j->...", theta, Q, theta)

    def concave(theta):
        return -convex(theta)

    a, b = rng.normal(size=(2, 20, dim))
    t = np.linspace(0, 1, 9)
    scale = np.abs(convex(a)) + np.abs(convex(b)) + 1.0
    assert np.all(chord_gap(convex, a, b, t) >= -ROUNDING_RTOL * scale[:, None])
    assert np.all(chord_gap(concave, a, b, t) <= ROUNDING_RTOL * scale[:, None])


def test_chord_gap_rejects_bad_arguments(regression):
    X, y = regression
    f = FlatLoss([2, 1], X, y, bias=False)
    with pytest.raises(ValueError, match=r"t must lie in \[0, 1\]"):
        chord_gap(f, np.zeros(2), np.ones(2), [0.0, 1.5])
    with pytest.raises(ValueError, match=r"theta_b must have 2 entries on its last axis; got shape \(3,\)"):
        chord_gap(f, np.zeros(2), np.ones(3), 0.5)
    with pytest.raises(ValueError, match="theta_a and theta_b must have the same length"):
        chord_gap(lambda theta: theta.sum(-1), np.zeros(2), np.ones(3), 0.5)
    with pytest.raises(ValueError, match="n_params must be 2, the length of the vectors of loss_fn; got 3"):
        find_chord_violation(f, 3)
    with pytest.raises(ValueError, match="theta_a and theta_b must broadcast"):
        chord_gap(f, np.zeros((3, 2)), np.ones((4, 2)), 0.5)
    with pytest.raises(TypeError, match="loss_fn must be callable"):
        chord_gap("mse", np.zeros(2), np.ones(2), 0.5)
    with pytest.raises(ValueError, match="loss_fn must return one value per parameter vector"):
        chord_gap(lambda theta: theta, np.zeros(2), np.ones(2), 0.5)


def test_no_chord_violation_for_linear_and_logistic_regression(regression, classification):
    for (X, y), loss in ((regression, "mse"), (classification, "binary_cross_entropy")):
        f = FlatLoss([2, 1], X, y, loss=loss)
        result = find_chord_violation(f, f.n_params, n_segments=2000, scale=5.0, rng=0)
        assert not result.found and result.n_violations == 0, f"{loss} on a network without hidden layer is convex"
        assert result.relative_gap >= -ROUNDING_RTOL


def test_chord_violations_for_sigmoid_squared_error_and_for_a_hidden_layer(regression, classification):
    X, y = classification
    sq = FlatLoss([2, 1], X, y, loss="sigmoid_mse")
    result = find_chord_violation(sq, sq.n_params, n_segments=1000, scale=3.0, rng=0)
    assert result.found and result.relative_gap < -1e-3, "a violation far beyond rounding"
    # The reported segment reproduces the reported gap.
    assert chord_gap(sq, result.theta_a, result.theta_b, result.t) == pytest.approx(result.worst_gap, rel=1e-12)
    assert 0 < result.t < 1
    X, y = regression
    hidden = FlatLoss([2, 3, 1], X, y, "tanh", "mse")
    assert find_chord_violation(hidden, hidden.n_params, n_segments=500, rng=0).found


def test_find_chord_violation_is_reproducible_and_checks_arguments(classification):
    X, y = classification
    f = FlatLoss([2, 1], X, y, loss="sigmoid_mse")
    first = find_chord_violation(f, 3, n_segments=50, rng=7)
    second = find_chord_violation(f, 3, n_segments=50, rng=np.random.default_rng(7))
    assert first.worst_gap == second.worst_gap and np.array_equal(first.theta_a, second.theta_a)
    with pytest.raises(ValueError, match="n_t must be >= 3"):
        find_chord_violation(f, 3, n_t=2)
    with pytest.raises(ValueError, match=r"scale must be a finite number > 0.0; got 0.0"):
        find_chord_violation(f, 3, scale=0.0)
    with pytest.raises(ValueError, match=r"center must have shape \(3,\)"):
        find_chord_violation(f, 3, center=np.zeros(2))
    with pytest.raises(ValueError, match=r"rtol must be a finite number >= 0.0 and < 1.0; got -1.0"):
        find_chord_violation(f, 3, rtol=-1.0)
    with pytest.raises(TypeError, match="n_segments must be an integer"):
        find_chord_violation(f, 3, n_segments=10.0)


def test_hessian_extreme_eigenvalues(regression, classification):
    X, y = regression
    lin = FlatLoss([2, 1], X, y, loss="mse")
    Xb = np.column_stack([X, np.ones(len(X))])
    eig = np.linalg.eigvalsh(2 / len(X) * Xb.T @ Xb)
    lo, hi = hessian_extreme_eigenvalues(lin, np.random.default_rng(0).normal(size=(10, 3)))
    np.testing.assert_allclose(lo, eig[0], rtol=1e-12)
    np.testing.assert_allclose(hi, eig[-1], rtol=1e-12)
    X, y = classification
    ce = FlatLoss([2, 1], X, y, loss="binary_cross_entropy")
    points = 3.0 * np.random.default_rng(1).normal(size=(300, 3))
    lo, hi = hessian_extreme_eigenvalues(ce, points)
    assert np.all(lo >= -ROUNDING_RTOL * np.abs(hi)), "cross-entropy Hessians are positive semi-definite"
    sq = FlatLoss([2, 1], X, y, loss="sigmoid_mse")
    lo, hi = hessian_extreme_eigenvalues(sq, points)
    assert lo.min() < -1e-3 * np.abs(hi[np.argmin(lo)]), "squared error on a sigmoid has negative curvature"
    single = hessian_extreme_eigenvalues(sq, points[0])
    assert isinstance(single.smallest, float) and single.smallest == pytest.approx(lo[0], rel=1e-12)
    with pytest.raises(TypeError, match="loss_fn must be a FlatLoss"):
        hessian_extreme_eigenvalues(lambda t: t, points)


def test_grid_local_minima():
    w = np.linspace(-2, 2, 401)
    f = (w**2 - 1) ** 2
    np.testing.assert_array_equal(w[grid_local_minima(f)], [-1.0, 1.0])
    assert grid_local_minima(f[:, None] + f[None, :]).sum() == 4, "separable sums multiply the counts"
    assert not grid_local_minima(w).any(), "a monotone function has no interior minimum"
    assert not grid_local_minima(np.ones(10)).any(), "plateaus are not strict minima"
    edge = np.array([0.0, 1.0, 2.0, 1.0, 2.0])
    assert grid_local_minima(edge).tolist() == [False, False, False, True, False], "the boundary is never marked"
    with pytest.raises(ValueError, match="at least 3 points along every axis"):
        grid_local_minima(np.zeros((5, 2)))


def test_confirm_minima_accepts_minima_and_rejects_maxima():
    # One neuron, two examples: a single minimum, near w = -1.95.
    f = FlatLoss([1, 1], [[1.0], [0.1]], [0.0, 1.0], loss="sigmoid_mse", bias=False)
    check = confirm_minima(f, [[-2.5], [-1.5]])
    assert check.is_minimum.all() and np.allclose(check.theta, check.theta[0]), "both starts reach one minimum"
    assert abs(f.gradient(check.theta[0])[0]) < 1e-12
    concave = FlatLoss([1, 1], [[1.0]], [0.5], loss="mse", bias=False)
    assert confirm_minima(concave, [[0.5]]).is_minimum.tolist() == [True], "0.5 minimises (w - 0.5)^2"
    # The top of the squared error on a sigmoid between two steps is a maximum.
    X, y = [[1.0], [0.1], [0.01]], [0.0, 1.0, 0.0]
    g = FlatLoss([1, 1], X, y, loss="sigmoid_mse", bias=False)
    w = np.concatenate([-np.logspace(3, -2, 400), np.logspace(-2, 3, 400)])
    top = w[grid_local_minima(-g(w[:, None]))]
    assert len(top) >= 1
    assert not confirm_minima(g, top[:, None]).is_minimum.any(), "maxima fail the curvature test"
    assert confirm_minima(g, np.zeros((0, 1))).theta.shape == (0, 1)
    with pytest.raises(ValueError, match=r"theta must have shape \(m, 1\)"):
        confirm_minima(g, np.zeros(3))
    with pytest.raises(TypeError, match="loss_fn must be a FlatLoss"):
        confirm_minima(lambda t: t, np.zeros((1, 1)))
