import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy.special import expit

import mlp_symmetry as ms

ACTIVATIONS = ("tanh", "relu", "sigmoid", "identity")
LOSSES = ("mse", "sigmoid_mse", "binary_cross_entropy", "softmax_cross_entropy")
SIZES_BY_DEPTH = {1: [3, 4, 3], 2: [3, 4, 3, 3], 3: [2, 3, 4, 3, 3]}
H_GRAD = 1e-6  # finite-difference step for gradients
H_HESS = 1e-5  # finite-difference step for Hessians (differences of exact gradients)


def relative_error(approx, exact):
    """Norm of the difference relative to the norm of ``exact`` (0 when both vanish)."""
    diff = np.linalg.norm(approx - exact)
    return diff / np.linalg.norm(exact) if diff > 0 else 0.0


def structure(params):
    return list(ms.layer_sizes(params)), params[0].b is not None


def perturbed(params, h):
    """Flat parameters moved by +h then -h along every coordinate: shape (2 n, n)."""
    theta = ms.flatten(params)
    steps = h * np.eye(theta.size)
    return np.concatenate([theta + steps, theta - steps])


def fd_gradient(params, X, y, activation, loss, h=H_GRAD):
    """Central differences of the loss, all coordinates in one batched call."""
    sizes, bias = structure(params)
    values = ms.loss(ms.unflatten(perturbed(params, h), sizes, bias=bias), X, y, activation, loss)
    n = values.size // 2
    return (values[:n] - values[n:]) / (2 * h)


def fd_hessian(params, X, y, activation, loss, h=H_HESS):
    """Central differences of the exact gradient: row j is d(gradient)/d(theta_j)."""
    sizes, bias = structure(params)
    _, grads = ms.loss_and_gradient(ms.unflatten(perturbed(params, h), sizes, bias=bias), X, y, activation, loss)
    G = ms.flatten(grads)
    n = G.shape[0] // 2
    return (G[:n] - G[n:]) / (2 * h)


def kink_shift_bound(params, X, h):
    """Upper bound on how far a step of h in one parameter moves any hidden pre-activation.

    A step in layer k moves one pre-activation of that layer by at most
    h * max(1, |input of layer k|); ReLU is 1-Lipschitz, so each later hidden
    layer j multiplies the shift by at most the spectral norm of W_j.
    """
    inputs = [np.asarray(X)]
    for W, b in params[:-1]:
        z = inputs[-1] @ W.T + (0 if b is None else b)
        inputs.append(np.maximum(z, 0))
    n_hidden = len(params) - 1
    bound = 0.0
    for k in range(n_hidden):
        gain = np.prod([np.linalg.norm(params[j].W, 2) for j in range(k + 1, n_hidden)])
        bound = max(bound, h * max(1.0, np.abs(inputs[k]).max()) * gain)
    return bound


def smooth_draws(make_problem, kink_margin, sizes, activation, loss, bias, h, n_wanted, max_draws=12):
    """The first ``n_wanted`` random problems whose loss is smooth within h of the drawn parameters.

    For ReLU, a draw is skipped when a hidden pre-activation lies closer to the
    kink than twice the largest shift a finite-difference step can cause (without
    biases, a sample whose units are all off gives exact zeros in the next layer).
    """
    draws = []
    for seed in range(max_draws):
        params, X, y = make_problem(sizes, activation, loss, seed, bias=bias)
        if kink_margin(params, X, activation) > 2 * kink_shift_bound(params, X, h):
            draws.append((params, X, y))
        if len(draws) == n_wanted:
            break
    assert len(draws) == n_wanted, f"only {len(draws)} of {max_draws} draws keep away from the ReLU kinks"
    return draws


# Gradients against finite differences


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("depth", [1, 2, 3])
@pytest.mark.parametrize("bias", [True, False])
def test_gradient_matches_central_differences(loss, activation, depth, bias, make_problem, kink_margin):
    draws = smooth_draws(make_problem, kink_margin, SIZES_BY_DEPTH[depth], activation, loss, bias, H_GRAD, 3)
    for params, X, y in draws:
        value, grad = ms.loss_and_gradient(params, X, y, activation, loss)
        assert value == ms.loss(params, X, y, activation, loss), "the value is the loss"
        g = ms.flatten(grad)
        assert np.linalg.norm(g) > 1e-3, "a non-trivial gradient, so the comparison means something"
        fd = fd_gradient(params, X, y, activation, loss)
        assert relative_error(g, fd) <= 1e-6, f"backprop gradient vs central differences: {relative_error(g, fd):.2e}"


@pytest.mark.parametrize("loss", ["mse", "softmax_cross_entropy"])
@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
@pytest.mark.parametrize("n_runs", [None, 3])
def test_gradient_through_one_unit_layers_matches_central_differences(loss, activation, n_runs, make_problem):
    # Below a one-unit layer the backward pass owes a factor W.T that it applies
    # to dW and db and folds into the next weights: two such layers in a row.
    sizes = [3, 2, 1, 1, 4, 2] if loss == "softmax_cross_entropy" else [3, 2, 1, 1, 4, 1]
    params, X, y = make_problem(sizes, activation, loss, 0)
    theta = ms.flatten(params) + np.random.default_rng(2).normal(scale=0.5, size=(n_runs or 1, ms.n_params(sizes)))
    batch = ms.unflatten(theta if n_runs else theta[0], sizes)
    _, grads = ms.loss_and_gradient(batch, X, y, activation, loss)
    G = ms.flatten(grads).reshape(theta.shape)
    for run in range(theta.shape[0]):
        one = ms.unflatten(theta[run], sizes)
        fd = fd_gradient(one, X, y, activation, loss)
        assert np.linalg.norm(fd) > 1e-3, "a non-trivial gradient"
        assert relative_error(G[run], fd) <= 1e-6, f"run {run}: {relative_error(G[run], fd):.2e}"


def rebuild(theta, template):
    """Split flat vectors (..., n) into layers shaped like ``template`` (any mix of biases)."""
    layers, start = [], 0
    for W, b in template:
        stop = start + W.size
        new_W = theta[..., start:stop].reshape(theta.shape[:-1] + W.shape)
        new_b = None
        if b is not None:
            new_b, stop = theta[..., stop : stop + b.size], stop + b.size
        layers.append((new_W, new_b))
        start = stop
    return layers


@pytest.mark.parametrize("loss", LOSSES)
def test_layers_with_and_without_biases_mixed(loss, make_problem):
    params, X, y = make_problem([3, 4, 3, 3], "tanh", loss, 4)
    params = [params[0], (params[1].W, None), params[2]]
    theta = ms.flatten(params)
    assert theta.size == 12 + 4 + 12 + 9 + 3, "the bias-free middle layer adds only its weights"
    assert np.array_equal(ms.flatten(rebuild(theta, params)), theta), "rebuild inverts flatten"
    _, grad = ms.loss_and_gradient(params, X, y, "tanh", loss)
    assert grad[1].b is None and grad[0].b is not None, "dL/db follows each layer's bias"
    steps = np.concatenate([theta + H_GRAD * np.eye(theta.size), theta - H_GRAD * np.eye(theta.size)])
    values = ms.loss(rebuild(steps, params), X, y, "tanh", loss)
    fd = (values[: theta.size] - values[theta.size :]) / (2 * H_GRAD)
    assert relative_error(ms.flatten(grad), fd) <= 1e-6, "gradient with mixed biases vs central differences"
    H = ms.hessian(params, X, y, "tanh", loss)
    steps = np.concatenate([theta + H_HESS * np.eye(theta.size), theta - H_HESS * np.eye(theta.size)])
    G = ms.flatten(ms.loss_and_gradient(rebuild(steps, params), X, y, "tanh", loss)[1])
    fd_H = (G[: theta.size] - G[theta.size :]) / (2 * H_HESS)
    assert relative_error(H, fd_H) <= 1e-5, "Hessian with mixed biases vs differences of the gradient"
    v = np.random.default_rng(0).normal(size=theta.size)
    assert relative_error(ms.hessian_vector_product(params, X, y, v, "tanh", loss), H @ v) <= 1e-10


@pytest.mark.parametrize("bias", [True, False])
def test_gradient_has_the_layout_of_params(bias, make_problem):
    params, X, y = make_problem([3, 4, 2], "tanh", "mse", 0, bias=bias)
    _, grad = ms.loss_and_gradient(params, X, y)
    assert all(isinstance(layer, ms.Layer) for layer in grad), "one Layer per weight layer"
    for p, g in zip(params, grad, strict=True):
        assert g.W.shape == p.W.shape, "dL/dW has the shape of W"
        assert (g.b is None) == (p.b is None), "dL/db is None exactly where the layer has no bias"
        assert g.b is None or g.b.shape == p.b.shape, "dL/db has the shape of b"


# Hessians


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("depth", [1, 2, 3])
@pytest.mark.parametrize("bias", [True, False])
def test_hessian_is_symmetric_and_matches_differences_of_the_gradient(
    loss, activation, depth, bias, make_problem, kink_margin
):
    draws = smooth_draws(make_problem, kink_margin, SIZES_BY_DEPTH[depth], activation, loss, bias, H_HESS, 2)
    for params, X, y in draws:
        H = ms.hessian(params, X, y, activation, loss)
        n = ms.flatten(params).size
        assert H.shape == (n, n), "one row and column per parameter"
        assert np.linalg.norm(H - H.T) <= 1e-12 * np.linalg.norm(H), "the R-operator Hessian is symmetric"
        fd = fd_hessian(params, X, y, activation, loss)
        err = relative_error(H, fd)
        assert err <= 1e-5, f"exact Hessian vs central differences of the gradient: {err:.2e}"


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_hessian_vector_product_matches_the_dense_hessian(loss, activation, make_problem):
    params, X, y = make_problem([3, 4, 3, 3], activation, loss, 1)
    H = ms.hessian(params, X, y, activation, loss)
    V = np.random.default_rng(0).normal(size=(6, H.shape[0]))
    for v in V:
        Hv = ms.hessian_vector_product(params, X, y, v, activation, loss)
        assert Hv.shape == v.shape
        assert relative_error(Hv, H @ v) <= 1e-10, "H v by the R-operator equals the dense product"
    batched = ms.hessian_vector_product(params, X, y, V, activation, loss)
    assert batched.shape == V.shape, "one product per row of v"
    one_at_a_time = np.stack([ms.hessian_vector_product(params, X, y, v, activation, loss) for v in V])
    np.testing.assert_allclose(batched, one_at_a_time, rtol=1e-12, atol=1e-14, err_msg="many directions at once")


def test_hessian_vector_product_with_a_grid_of_directions():
    params = ms.init_params([2, 3, 2], rng=0)
    X, y = np.random.default_rng(1).normal(size=(5, 2)), np.random.default_rng(2).normal(size=(5, 2))
    V = np.random.default_rng(3).normal(size=(2, 3, ms.n_params([2, 3, 2])))
    out = ms.hessian_vector_product(params, X, y, V)
    assert out.shape == V.shape, "leading axes of v are kept"
    H = ms.hessian(params, X, y)
    np.testing.assert_allclose(out, V @ H.T, rtol=1e-10, atol=1e-13, err_msg="every direction of the grid")


@pytest.mark.parametrize("chunk_size", [1, 4, 1000])
def test_hessian_does_not_depend_on_the_chunk_size(chunk_size, make_problem):
    params, X, y = make_problem([3, 4, 3, 3], "tanh", "softmax_cross_entropy", 0)
    H = ms.hessian(params, X, y, loss="softmax_cross_entropy")
    chunked = ms.hessian(params, X, y, loss="softmax_cross_entropy", chunk_size=chunk_size)
    np.testing.assert_allclose(chunked, H, rtol=1e-13, atol=1e-14, err_msg=f"chunk_size={chunk_size}")


# Batches of parameter sets (many runs at once)


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("bias", [True, False])
def test_batched_params_in_loss_and_gradient_equal_per_run_calls(loss, bias, make_problem):
    sizes = [3, 4, 3, 3]
    _, X, y = make_problem(sizes, "tanh", loss, 0)
    theta = np.random.default_rng(1).normal(size=(3, 4, ms.n_params(sizes, bias=bias)))
    values, grads = ms.loss_and_gradient(ms.unflatten(theta, sizes, bias=bias), X, y, "tanh", loss)
    assert values.shape == (3, 4), "one loss per run"
    G = ms.flatten(grads)
    assert G.shape == theta.shape, "one gradient per run"
    for index in np.ndindex(3, 4):
        value, grad = ms.loss_and_gradient(ms.unflatten(theta[index], sizes, bias=bias), X, y, "tanh", loss)
        assert values[index] == pytest.approx(value, rel=1e-13), f"loss of run {index}"
        np.testing.assert_allclose(G[index], ms.flatten(grad), rtol=1e-12, atol=1e-14, err_msg=f"run {index}")


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_gradient_of_layers_whose_batch_axes_broadcast_equals_per_point_calls(activation):
    # The first layer of a batch is one matrix product with its biases as an
    # extra column; here W and b of that layer have different batch axes.
    rng = np.random.default_rng(4)
    params = [
        (rng.normal(size=(4, 1, 3, 2)), rng.normal(size=(5, 3))),  # batch (4, 1) and (5,)
        (rng.normal(size=(3, 3)), rng.normal(size=(4, 1, 3))),  # no batch and (4, 1)
        (rng.normal(size=(5, 1, 3)), None),  # batch (5,)
    ]
    X, y = rng.normal(size=(7, 2)), rng.normal(size=7)
    values, grads = ms.loss_and_gradient(params, X, y, activation, "mse")
    assert values.shape == (4, 5), "batch shapes (4, 1), (5,) and (4, 1) broadcast to (4, 5)"
    for i, j in np.ndindex(4, 5):
        one = [(params[0][0][i, 0], params[0][1][j]), (params[1][0], params[1][1][i, 0]), (params[2][0][j], None)]
        value, grad = ms.loss_and_gradient(one, X, y, activation, "mse")
        assert values[i, j] == pytest.approx(value, rel=1e-13), f"loss of point ({i}, {j})"
        for layer, (batched, single) in enumerate(zip(grads, grad, strict=True)):
            np.testing.assert_allclose(batched.W[i, j], single.W, rtol=1e-12, atol=1e-14, err_msg=f"dW{layer}")
            if single.b is not None:
                np.testing.assert_allclose(batched.b[i, j], single.b, rtol=1e-12, atol=1e-14, err_msg=f"db{layer}")


@pytest.mark.parametrize("loss", LOSSES)
def test_batched_params_in_hessian_vector_product_equal_per_run_calls(loss, make_problem):
    sizes = [2, 3, 3]
    _, X, y = make_problem(sizes, "sigmoid", loss, 0)
    n = ms.n_params(sizes)
    theta = np.random.default_rng(1).normal(size=(4, n))
    V = np.random.default_rng(2).normal(size=(3, 1, n))  # broadcasts against the 4 runs
    out = ms.hessian_vector_product(ms.unflatten(theta, sizes), X, y, V, "sigmoid", loss)
    assert out.shape == (3, 4, n), "v axes (3, 1) broadcast against the run axis (4,)"
    for i in range(3):
        for r in range(4):
            H = ms.hessian(ms.unflatten(theta[r], sizes), X, y, "sigmoid", loss)
            assert relative_error(out[i, r], H @ V[i, 0]) <= 1e-10, f"direction {i}, run {r}"


# Closed forms


@pytest.mark.parametrize("bias", [True, False])
def test_linear_regression_hessian_is_two_over_n_XtX(bias):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(30, 4)), rng.normal(size=30)
    Xa = np.hstack([X, np.ones((30, 1))]) if bias else X
    expected = 2 / 30 * Xa.T @ Xa
    for seed in range(3):
        # The loss is quadratic: its Hessian is the same at every point.
        params = ms.init_params([4, 1], rng=seed, bias=bias, scale=3.0)
        H = ms.hessian(params, X, y, "tanh", "mse")
        np.testing.assert_allclose(H, expected, rtol=1e-13, atol=1e-15, err_msg="H = 2/N X^T X (augmented by 1s)")


@pytest.mark.parametrize("bias", [True, False])
def test_logistic_regression_hessian_is_Xt_diag_p_one_minus_p_X_over_n(bias):
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(40, 3)), rng.integers(0, 2, size=40).astype(float)
    params = ms.init_params([3, 1], rng=2, bias=bias, scale=1.5)
    W, b = params[0]
    p = expit(X @ W[0] + (b[0] if bias else 0.0))
    Xa = np.hstack([X, np.ones((40, 1))]) if bias else X
    expected = (Xa.T * (p * (1 - p))) @ Xa / 40
    H = ms.hessian(params, X, y, "relu", "binary_cross_entropy")
    np.testing.assert_allclose(H, expected, rtol=1e-12, atol=1e-15, err_msg="H = X^T diag(p (1 - p)) X / N")
    _, grad = ms.loss_and_gradient(params, X, y, "relu", "binary_cross_entropy")
    np.testing.assert_allclose(ms.flatten(grad), Xa.T @ (p - y) / 40, rtol=1e-12, err_msg="gradient X^T (p - y) / N")


# hypothesis: random shapes and seeds


@st.composite
def problems(draw):
    n_hidden = draw(st.integers(1, 3))
    sizes = draw(st.lists(st.integers(1, 6), min_size=n_hidden + 2, max_size=n_hidden + 2))
    return (
        sizes,
        draw(st.sampled_from(ACTIVATIONS)),
        draw(st.sampled_from(LOSSES)),
        draw(st.integers(0, 2**32 - 1)),
        draw(st.booleans()),
    )


FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])


@FAST
@given(problems())
def test_property_gradient_matches_central_differences(make_problem, kink_margin, problem):
    sizes, activation, loss, seed, bias = problem
    params, X, y = make_problem(sizes, activation, loss, seed, bias=bias)
    assume(kink_margin(params, X, activation) > 2 * kink_shift_bound(params, X, H_GRAD))
    g = ms.flatten(ms.loss_and_gradient(params, X, y, activation, loss)[1])
    # Central differences carry a rounding error of about eps * loss / h ~ 1e-10, which is
    # not small relative to a gradient that saturated sigmoids have made tiny.
    assume(np.linalg.norm(g) > 1e-3)
    fd = fd_gradient(params, X, y, activation, loss)
    assert relative_error(g, fd) <= 1e-6, f"gradient vs central differences for {sizes}, {activation}, {loss}"


@FAST
@given(problems(), st.integers(1, 3))
def test_property_batched_calls_equal_per_run_calls(make_problem, problem, n_runs):
    sizes, activation, loss, seed, bias = problem
    params, X, y = make_problem(sizes, activation, loss, seed, bias=bias)
    sizes, _ = structure(params)
    rng = np.random.default_rng(seed)
    theta = rng.normal(size=(n_runs, ms.n_params(sizes, bias=bias)))
    v = rng.normal(size=theta.shape)
    batch = ms.unflatten(theta, sizes, bias=bias)
    values, grads = ms.loss_and_gradient(batch, X, y, activation, loss)
    Hv = ms.hessian_vector_product(batch, X, y, v, activation, loss)
    for r in range(n_runs):
        one = ms.unflatten(theta[r], sizes, bias=bias)
        value, grad = ms.loss_and_gradient(one, X, y, activation, loss)
        assert values[r] == pytest.approx(value, rel=1e-12, abs=1e-14), "batched loss = per-run loss"
        np.testing.assert_allclose(ms.flatten(grads)[r], ms.flatten(grad), rtol=1e-11, atol=1e-13)
        Hv_one = ms.hessian_vector_product(one, X, y, v[r], activation, loss)
        np.testing.assert_allclose(Hv[r], Hv_one, rtol=1e-11, atol=1e-13, err_msg="batched H v = per-run H v")


# Caller arrays are never modified


@pytest.mark.parametrize("loss", LOSSES)
def test_derivatives_leave_their_arguments_unchanged(loss, make_problem, call_without_mutation):
    params, X, y = make_problem([3, 4, 3], "tanh", loss, 0)
    params = [tuple(layer) for layer in params]
    v = np.random.default_rng(0).normal(size=(2, ms.n_params([3, 4, 3])))
    for activation in ACTIVATIONS:
        call_without_mutation(ms.loss_and_gradient, params, X, y, activation, loss)
        call_without_mutation(ms.hessian_vector_product, params, X, y, v, activation, loss)
        call_without_mutation(ms.hessian, params, X, y, activation, loss, chunk_size=5)
    for array in (X, y, v, *[a for layer in params for a in layer]):
        array.flags.writeable = False
    # Any write into a read-only argument would raise here.
    ms.loss_and_gradient(params, X, y, "relu", loss)
    ms.hessian_vector_product(params, X, y, v, "relu", loss)
    ms.hessian(params, X, y, "relu", loss)


# Bad input


@pytest.fixture
def net():
    return ms.init_params([2, 3, 1], rng=0), np.zeros((4, 2)), np.zeros(4)


@pytest.mark.parametrize(
    ("v", "error", "match"),
    [
        (np.zeros(12), ValueError, r"v must have 13 entries on its last axis \(the number of parameters\); got shape"),
        (np.zeros((3, 14)), ValueError, r"v must have 13 entries on its last axis.*got shape \(3, 14\)"),
        (np.zeros((13, 1)), ValueError, r"v must have 13 entries on its last axis.*got shape \(13, 1\)"),
        (0.0, ValueError, r"v must have at least 1 dimension"),
        (np.full(13, np.nan), ValueError, r"v must contain only finite values"),
        (["x"] * 13, TypeError, r"v must be an array of real numbers"),
        (np.zeros(13, dtype=complex), TypeError, r"v must be an array of real numbers"),
    ],
)
def test_hessian_vector_product_rejects_a_bad_v(net, v, error, match):
    params, X, y = net
    with pytest.raises(error, match=match):
        ms.hessian_vector_product(params, X, y, v)


def test_hessian_vector_product_rejects_v_that_does_not_broadcast_against_params(net):
    _, X, y = net
    runs = ms.unflatten(np.zeros((4, 13)), [2, 3, 1])
    with pytest.raises(ValueError, match=r"leading axes of v must broadcast against the batch shape \(4,\) of params"):
        ms.hessian_vector_product(runs, X, y, np.zeros((3, 13)))


def test_hessian_rejects_batched_params(net):
    _, X, y = net
    runs = ms.unflatten(np.zeros((2, 5, 13)), [2, 3, 1])
    with pytest.raises(ValueError, match=r"params must describe one network for hessian; got batch shape \(2, 5\)"):
        ms.hessian(runs, X, y)


@pytest.mark.parametrize(
    ("chunk_size", "error", "match"),
    [
        (0, ValueError, r"chunk_size must be >= 1; got 0"),
        (2.5, TypeError, r"chunk_size must be an integer; got float 2.5"),
        (True, TypeError, r"chunk_size must be an integer; got bool True"),
    ],
)
def test_hessian_rejects_a_bad_chunk_size(net, chunk_size, error, match):
    params, X, y = net
    with pytest.raises(error, match=match):
        ms.hessian(params, X, y, chunk_size=chunk_size)


@pytest.mark.parametrize(
    ("params", "error", "match"),
    [
        (np.zeros(13), TypeError, r"params must be a non-empty sequence of \(W, b\) layers"),
        ([(np.zeros((3, 2)), None, 0)], TypeError, r"params\[0\] must be a \(W, b\) pair"),
        ([(np.zeros((3, 2)), np.zeros(3)), (np.zeros((1, 2)), None)], ValueError, r"params\[1\]\.W must have 3"),
        ([(np.full((3, 2), np.inf), None), (np.zeros((1, 3)), None)], ValueError, r"params\[0\]\.W must contain only"),
    ],
)
def test_derivatives_reject_bad_params(net, params, error, match):
    _, X, y = net
    for func in (ms.loss_and_gradient, ms.hessian):
        with pytest.raises(error, match=match):
            func(params, X, y)
    with pytest.raises(error, match=match):
        ms.hessian_vector_product(params, X, y, np.zeros(13))


def test_dense_hessian_of_too_many_parameters_is_refused_at_once():
    params = [(np.zeros((200, 60)), None), (np.zeros((1, 200)), None)]  # 12,200 parameters
    with pytest.raises(ValueError, match="params has 12200 parameters, too many for a dense Hessian"):
        ms.hessian(params, np.zeros((2, 60)), np.zeros(2))


def test_overflowing_derivatives_raise_instead_of_returning_inf():
    params = [(np.full((2, 2), 1e200), None), (np.full((1, 2), 1e200), None)]
    X, y = np.ones((3, 2)), np.zeros(3)
    with pytest.raises(ValueError, match="must keep the result within float64"):
        ms.loss_and_gradient(params, X, y, "relu")
    with pytest.raises(ValueError, match="must keep the result within float64"):
        ms.hessian_vector_product(params, X, y, np.ones(6), "relu")
