import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mlp_symmetry as ms
from mlp_symmetry import landscape as ls


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(25, 3))
    y = rng.normal(size=(25, 2))
    return X, y


T = np.linspace(0.0, 1.0, 51)


def same_params(p, q, **tol):
    p, q = ms.as_params(p), ms.as_params(q)
    pairs = zip(p, q, strict=True)
    return all(np.allclose(a.W, b.W, **tol) and (a.b is None or np.allclose(a.b, b.b, **tol)) for a, b in pairs)


def test_interpolate_includes_both_ends_in_both_forms():
    a, b = ms.init_params([3, 4, 2], rng=0), ms.init_params([3, 4, 2], rng=1)
    path = ls.interpolate(a, b, np.linspace(0, 1, 5))
    assert ms.batch_shape(path) == (5,), "one network per position"
    assert same_params([(layer.W[0], layer.b[0]) for layer in path], a, rtol=0, atol=0), "t = 0 is theta_a exactly"
    assert same_params([(layer.W[-1], layer.b[-1]) for layer in path], b, rtol=0, atol=1e-15), "t = 1 is theta_b"
    flat = ls.interpolate(ms.flatten(a), ms.flatten(b), np.linspace(0, 1, 5))
    np.testing.assert_array_equal(flat, ms.flatten(path), err_msg="flat and parameter forms agree")
    mixed = ls.interpolate(a, ms.flatten(b), 0.25)
    assert ms.batch_shape(mixed) == (), "a scalar t gives one network"


def test_bezier_curve_ends_and_midpoint():
    rng = np.random.default_rng(0)
    a, m, b = rng.normal(size=(3, 7))
    curve = ls.bezier_curve(a, m, b, [0.0, 0.5, 1.0])
    np.testing.assert_allclose(curve[0], a, err_msg="starts at theta_a")
    np.testing.assert_allclose(curve[2], b, err_msg="ends at theta_b")
    np.testing.assert_allclose(curve[1], (a + 2 * m + b) / 4, err_msg="t = 1/2 is (a + 2m + b) / 4")


def test_path_losses_match_the_loss_point_by_point(data):
    X, y = data
    a, b = ms.init_params([3, 5, 2], rng=2), ms.init_params([3, 5, 2], rng=3)
    m = ms.init_params([3, 5, 2], rng=4)
    t = np.linspace(0, 1, 7)
    straight = ls.path_losses(a, b, X, y, t)
    curved = ls.path_losses(a, b, X, y, t, control=m)
    for i, s in enumerate(t):
        assert np.isclose(straight[i], ms.loss(ls.interpolate(a, b, s), X, y), rtol=1e-13)
        assert np.isclose(curved[i], ms.loss(ls.bezier_curve(a, m, b, s), X, y), rtol=1e-13)


def test_barrier_of_identical_ends_is_zero(data):
    X, y = data
    a = ms.init_params([3, 5, 2], rng=2)
    barrier = ls.barrier_height(ls.path_losses(a, a, X, y, T))
    assert barrier == pytest.approx(0.0, abs=1e-14), "a constant path has no barrier"


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_a_convex_loss_stays_below_the_chord(seed):
    """Linear regression is convex: the path never rises above max(L(a), L(b)), so barrier <= |L(a) - L(b)| / 2."""
    rng = np.random.default_rng(seed)
    X, y = rng.normal(size=(15, 3)), rng.normal(size=15)
    a, b = ms.init_params([3, 1], rng=rng, scale=3.0), ms.init_params([3, 1], rng=rng, scale=3.0)
    gap = abs(ms.loss(a, X, y, "identity") - ms.loss(b, X, y, "identity"))
    assert ls.barrier_height(ls.path_losses(a, b, X, y, T, "identity")) <= gap / 2 + 1e-12


def test_permuted_twin_has_a_positive_barrier():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 2))
    a = ms.init_params([2, 4, 1], rng=1, scale=2.0)
    y = ms.forward(a, X)
    b = ms.permute_hidden_units(a, 0, [3, 2, 1, 0])
    barrier = ls.barrier_height(ls.path_losses(a, b, X, y, T))
    assert barrier > 0.01, "the function is the same at both ends but not in between"


def test_barrier_height():
    assert ls.barrier_height([0.0, 1.0, 0.0]) == 1.0
    assert ls.barrier_height([2.0, 1.0, 0.0]) == 1.0, "the mean of the ends is 1"
    assert ls.barrier_height([1.0, 0.5, 1.0]) == 0.0, "a dip is no barrier"
    with pytest.raises(ValueError, match="at least 2 values"):
        ls.barrier_height([1.0])


def test_filter_normalized_direction_has_unit_norms_of_the_network():
    params = ms.init_params([4, 6, 3], rng=0)
    d = ls.random_direction(params, rng=1)
    for layer, direction in zip(params, d, strict=True):
        np.testing.assert_allclose(np.linalg.norm(direction.W, axis=1), np.linalg.norm(layer.W, axis=1))
        np.testing.assert_array_equal(direction.b, 0.0)
    model = ls.random_direction(params, rng=1, normalization="model")
    assert np.isclose(sum(np.sum(x.W**2) for x in model), sum(np.sum(x.W**2) for x in params))
    raw = ls.random_direction(params, rng=1, normalization="none")
    np.testing.assert_allclose(raw[0].W, np.random.default_rng(1).normal(size=(6, 4)))


def test_loss_plane_matches_pointwise_losses_and_chunking(data):
    X, y = data
    params = ms.init_params([3, 5, 2], rng=0)
    d1, d2 = ls.random_direction(params, rng=1), ls.random_direction(params, rng=2)
    alphas, betas = np.linspace(-1, 1, 4), np.linspace(-0.5, 0.5, 3)
    grid = ls.loss_plane(params, X, y, d1, d2, alphas, betas)
    theta, u, v = ms.flatten(params), ms.flatten(d1), ms.flatten(d2)
    expected = [[ms.loss(ms.unflatten(theta + a * u + b * v, [3, 5, 2]), X, y) for a in alphas] for b in betas]
    np.testing.assert_allclose(grid, expected, rtol=1e-13)
    np.testing.assert_allclose(ls.loss_plane(params, X, y, d1, d2, alphas, betas, chunk_size=1), grid, rtol=1e-14)


def test_filter_normalization_makes_planes_invariant_to_layer_rescaling(data):
    """Scaling a ReLU layer by a and the next by 1/a changes the weights, not the function."""
    X, y = data
    params = ms.init_params([3, 6, 5, 2], rng=0)
    scaled = ms.rescale_units(params, 0, np.full(6, 4.0), activation="relu")
    alphas = np.linspace(-1, 1, 5)
    grids = {}
    for norm in ("filter", "none"):
        grids[norm] = [
            ls.loss_plane(p, X, y, ls.random_direction(p, 1, normalization=norm),
                          ls.random_direction(p, 2, normalization=norm), alphas, alphas, "relu")
            for p in (params, scaled)
        ]  # fmt: skip
    np.testing.assert_allclose(grids["filter"][0], grids["filter"][1], rtol=1e-12)
    assert np.max(np.abs(grids["none"][0] - grids["none"][1])) > 0.1, "raw directions see the rescaling"


def test_loss_plane_memory_stays_bounded():
    """A 64-256-256-10 network on a 21 x 21 grid: chunks keep the peak below the memory budget."""
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(300, 64)), rng.integers(0, 10, size=300)
    params = ms.init_params([64, 256, 256, 10], rng=0)
    d1, d2 = ls.random_direction(params, rng=1), ls.random_direction(params, rng=2)
    alphas = np.linspace(-1, 1, 21)
    tracemalloc.start()
    ls.loss_plane(params, X, y, d1, d2, alphas, alphas, "relu", "softmax_cross_entropy")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 300e6, f"peak {peak / 1e6:.0f} MB, for a grid whose parameters alone take 300 MB"


@pytest.mark.parametrize(
    ("activation", "loss", "sizes"), [("tanh", "mse", [3, 4, 2]), ("relu", "softmax_cross_entropy", [3, 5, 3])]
)
def test_lanczos_matches_the_dense_spectrum(activation, loss, sizes):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    y = rng.normal(size=(40, 2)) if loss == "mse" else rng.integers(0, 3, size=40)
    params = ms.init_params(sizes, rng=1)
    dense = np.linalg.eigvalsh(ms.hessian(params, X, y, activation, loss))
    top = ls.lanczos_eigenvalues(params, X, y, activation, loss, k=3, rng=0)
    bottom = ls.lanczos_eigenvalues(params, X, y, activation, loss, k=3, which="smallest", rng=0)
    np.testing.assert_allclose(top, dense[-3:], rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(bottom, dense[:3], rtol=1e-8, atol=1e-10)


def test_bezier_gradient_matches_finite_differences(data):
    X, y = data
    a, m, b = (ms.init_params([3, 4, 2], rng=s) for s in range(3))
    t = np.array([0.1, 0.4, 0.8])
    _, grad = ls.bezier_loss_and_gradient(a, m, b, X, y, t)
    theta, h = ms.flatten(m), 1e-6
    for i in (0, 7, 20, 25):
        e = np.zeros_like(theta)
        e[i] = h
        fd = (ls.bezier_loss_and_gradient(a, theta + e, b, X, y, t)[0]
              - ls.bezier_loss_and_gradient(a, theta - e, b, X, y, t)[0]) / (2 * h)  # fmt: skip
        assert abs(fd - grad[i]) < 1e-8, f"component {i}: {fd} vs {grad[i]}"


def test_fit_bezier_control_lowers_the_curve(data):
    X, y = data
    a, b = ms.init_params([3, 6, 2], rng=5), ms.init_params([3, 6, 2], rng=6)
    fit = ls.fit_bezier_control(a, b, X, y, n_steps=150, learning_rate=0.02, rng=0)
    t = np.linspace(0, 1, 21)
    assert ls.path_losses(a, b, X, y, t, control=fit.control).mean() < ls.path_losses(a, b, X, y, t).mean()
    assert ms.layer_sizes(fit.control) == (3, 6, 2)


def test_bad_inputs_name_the_argument(data):
    X, y = data
    a, b = ms.init_params([3, 4, 2], rng=0), ms.init_params([3, 5, 2], rng=0)
    with pytest.raises(ValueError, match="theta_b must have layer sizes"):
        ls.interpolate(a, b, 0.5)
    with pytest.raises(ValueError, match="t must be a number or a 1-D array"):
        ls.interpolate(a, a, np.zeros((2, 2)))
    with pytest.raises(ValueError, match="theta_b must have 26 entries"):
        ls.interpolate(a, np.zeros(5), 0.5)
    with pytest.raises(TypeError, match="must be given as parameters"):
        ls.path_losses(np.zeros(3), np.zeros(3), X, y, [0.0, 1.0])
    with pytest.raises(ValueError, match="normalization must be one of"):
        ls.random_direction(a, normalization="layer")
    with pytest.raises(ValueError, match="alphas must be a non-empty 1-D array"):
        ls.loss_plane(a, X, y, a, a, np.zeros((2, 2)), [0.0])
    with pytest.raises(ValueError, match="k must be smaller than the number of parameters"):
        ls.lanczos_eigenvalues(a, X, y, k=26)
    with pytest.raises(ValueError, match="which must be one of"):
        ls.lanczos_eigenvalues(a, X, y, which="both")
    with pytest.raises(ValueError, match="learning_rate must be a finite number > 0"):
        ls.fit_bezier_control(a, a, X, y, learning_rate=0)
    batched = ms.unflatten(np.zeros((2, 26)), [3, 4, 2])
    with pytest.raises(ValueError, match="params must describe one network"):
        ls.random_direction(batched)


def test_inputs_are_not_modified(data):
    X, y = data
    a, b = ms.init_params([3, 4, 2], rng=0), ms.init_params([3, 4, 2], rng=1)
    copies = [layer.W.copy() for layer in a + b]
    ls.path_losses(a, b, X, y, [0.0, 0.5, 1.0])
    ls.fit_bezier_control(a, b, X, y, n_steps=3)
    ls.loss_plane(a, X, y, b, b, [0.0, 1.0], [0.0])
    assert all(np.array_equal(layer.W, c) for layer, c in zip(a + b, copies, strict=True))


def test_barrier_height_of_huge_losses_does_not_overflow():
    assert ls.barrier_height([1e308, 1e308]) == 0.0, "the mean of the ends is taken in halves"
    assert ls.barrier_height([1e308, 1.5e308, 1e308]) == 0.5e308


def test_path_plane_recovers_a_path_that_lies_in_a_plane():
    rng = np.random.default_rng(0)
    basis = np.linalg.qr(rng.normal(size=(9, 2)))[0].T  # two orthonormal directions in 9 dimensions
    origin = rng.normal(size=9)
    t = np.linspace(0, 1, 20)[:, None]
    points = origin + np.hstack([np.cos(3 * t), t**2]) @ basis
    before = points.copy()
    plane = ms.path_plane(points, origin)
    np.testing.assert_array_equal(points, before)
    np.testing.assert_allclose(plane.explained.sum(), 1.0)
    assert plane.explained[0] >= plane.explained[1]
    np.testing.assert_allclose(np.stack([plane.d1, plane.d2]) @ np.stack([plane.d1, plane.d2]).T, np.eye(2), atol=1e-12)
    rebuilt = origin + plane.coordinates[:, :1] * plane.d1 + plane.coordinates[:, 1:] * plane.d2
    np.testing.assert_allclose(rebuilt, points, atol=1e-12)
    with pytest.raises(ValueError, match="points must span two dimensions from origin"):
        ms.path_plane(origin + t * basis[0], origin)
    with pytest.raises(ValueError, match="origin must have 9 entries"):
        ms.path_plane(points, np.zeros(3))
