import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mlp_symmetry as ms

ACTIVATIONS = ("tanh", "relu", "sigmoid", "identity")

SIZES = [[3, 1], [3, 4, 2], [2, 5, 3, 1], [4, 3, 6, 2, 3]]


# Forward pass against an independent reference


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("sizes", SIZES, ids=str)
@pytest.mark.parametrize("bias", [True, False])
def test_forward_matches_the_reference_implementation(activation, sizes, bias, reference_forward):
    rng = np.random.default_rng(len(sizes))
    params = ms.init_params(sizes, rng=rng, bias=bias, scale=1.0)
    X = rng.normal(size=(6, sizes[0]))
    out = ms.forward(params, X, activation)
    assert out.shape == (6, sizes[-1]), "one row of outputs per sample"
    np.testing.assert_allclose(
        out, reference_forward(params, X, activation)[1], rtol=1e-12, atol=1e-13, err_msg="forward = W @ x + b chain"
    )


def test_forward_uses_the_stated_weight_layout():
    # One hidden tanh unit: W has shape (n_out, n_in) and a layer computes act(X @ W.T + b).
    W1, b1 = np.array([[1.0, -2.0]]), np.array([0.5])
    W2, b2 = np.array([[3.0], [-1.0]]), np.array([0.0, 2.0])
    X = np.array([[1.0, 1.0], [0.0, 2.0]])
    h = np.tanh(X @ W1.T + b1)
    expected = h @ W2.T + b2
    got = ms.forward([(W1, b1), (W2, b2)], X, "tanh")
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-15, err_msg="layout act(X @ W.T + b)")


def test_forward_default_activation_is_tanh():
    params = ms.init_params([2, 3, 1], rng=0)
    X = np.random.default_rng(1).normal(size=(4, 2))
    assert np.array_equal(ms.forward(params, X), ms.forward(params, X, "tanh")), "default activation is tanh"


# Batches of parameter sets


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("bias", [True, False])
def test_forward_on_a_grid_of_flat_vectors_equals_a_loop(activation, bias):
    sizes = [3, 4, 2, 2]
    rng = np.random.default_rng(7)
    theta = rng.normal(size=(4, 5, ms.n_params(sizes, bias=bias)))
    X = rng.normal(size=(6, 3))
    out = ms.forward(ms.unflatten(theta, sizes, bias=bias), X, activation)
    assert out.shape == (4, 5, 6, 2), "batch axes of the grid come first"
    for i in range(4):
        for j in range(5):
            one = ms.forward(ms.unflatten(theta[i, j], sizes, bias=bias), X, activation)
            np.testing.assert_allclose(out[i, j], one, rtol=1e-13, atol=1e-14, err_msg=f"grid point ({i}, {j})")


@settings(max_examples=40, deadline=None)
@given(
    sizes=st.integers(1, 3).flatmap(lambda n: st.lists(st.integers(1, 6), min_size=n + 2, max_size=n + 2)),
    batch=st.lists(st.integers(1, 3), max_size=2).map(tuple),
    activation=st.sampled_from(ACTIVATIONS),
    bias=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_property_batched_forward_and_flat_round_trip(sizes, batch, activation, bias, seed):
    rng = np.random.default_rng(seed)
    theta = rng.normal(size=batch + (ms.n_params(sizes, bias=bias),))
    X = rng.normal(size=(3, sizes[0]))
    params = ms.unflatten(theta, sizes, bias=bias)
    assert np.array_equal(ms.flatten(params), theta), "flatten inverts unflatten"
    out = ms.forward(params, X, activation)
    assert out.shape == batch + (3, sizes[-1]), "outputs carry the batch axes of theta"
    for index in np.ndindex(batch):
        one = ms.forward(ms.unflatten(theta[index], sizes, bias=bias), X, activation)
        np.testing.assert_allclose(out[index], one, rtol=1e-13, atol=1e-14, err_msg=f"batch point {index}")


def test_batch_axes_of_different_layers_broadcast_against_each_other():
    rng = np.random.default_rng(3)
    W1 = rng.normal(size=(4, 1, 3, 2))  # batch (4, 1)
    b1 = rng.normal(size=(3,))  # no batch
    W2 = rng.normal(size=(5, 1, 3))  # batch (5,)
    b2 = rng.normal(size=(4, 1, 1))  # batch (4, 1)
    X = rng.normal(size=(6, 2))
    params = [(W1, b1), (W2, b2)]
    assert ms.batch_shape(params) == (4, 5), "batch shapes (4, 1), (5,) and (4, 1) broadcast to (4, 5)"
    out = ms.forward(params, X)
    assert out.shape == (4, 5, 6, 1)
    for i in range(4):
        for j in range(5):
            one = ms.forward([(W1[i, 0], b1), (W2[j], b2[i, 0])], X)
            np.testing.assert_allclose(out[i, j], one, rtol=1e-13, atol=1e-14, err_msg=f"broadcast point ({i}, {j})")


# Flat vectors


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("batch", [(), (3,), (2, 4)], ids=str)
def test_flatten_unflatten_round_trip(bias, batch):
    sizes = [3, 4, 2, 2]
    theta = np.random.default_rng(0).normal(size=batch + (ms.n_params(sizes, bias=bias),))
    params = ms.unflatten(theta, sizes, bias=bias)
    assert ms.layer_sizes(params) == tuple(sizes), "unflatten gives the requested widths"
    assert ms.batch_shape(params) == batch, "unflatten keeps the leading axes"
    assert all((layer.b is None) == (not bias) for layer in params), "b is None exactly when bias=False"
    assert np.array_equal(ms.flatten(params), theta), "flatten inverts unflatten"
    again = ms.unflatten(ms.flatten(params), sizes, bias=bias)
    for a, b in zip(params, again, strict=True):
        assert np.array_equal(a.W, b.W) and (a.b is None or np.array_equal(a.b, b.b)), "unflatten inverts flatten"


def test_flatten_order_is_layer_by_layer_W_row_major_then_b():
    params = [(np.array([[1, 2, 3], [4, 5, 6]]), np.array([7, 8])), (np.array([[9, 10]]), np.array([11]))]
    assert ms.flatten(params).tolist() == list(range(1, 12)), "W1 rows, b1, W2 rows, b2"
    no_bias = [(np.array([[1, 2], [3, 4]]), None), (np.array([[5, 6]]), np.array([7]))]
    assert ms.flatten(no_bias).tolist() == list(range(1, 8)), "a missing bias contributes nothing"


def test_flatten_broadcasts_unbatched_layers_to_the_batch_shape():
    W1, W2 = np.ones((3, 2, 2)), np.full((1, 2), 2.0)
    flat = ms.flatten([(W1, None), (W2, None)])
    assert flat.shape == (3, 6), "an unbatched layer is repeated along the batch axis"
    assert np.array_equal(flat[:, 4:], np.full((3, 2), 2.0))


def test_unflatten_returns_no_views_of_the_callers_array():
    theta = np.arange(9.0)
    params = ms.unflatten(theta, [2, 2, 1])
    assert not any(np.shares_memory(theta, a) for layer in params for a in layer if a is not None), (
        "unflatten copies theta once, so writing to the layers cannot change it"
    )


@pytest.mark.parametrize("sizes", SIZES, ids=str)
def test_n_params_counts_weights_and_biases(sizes):
    weights = sum(a * b for a, b in zip(sizes[:-1], sizes[1:], strict=False))
    assert ms.n_params(sizes, bias=False) == weights, "without biases: sum of n_in * n_out"
    assert ms.n_params(sizes) == weights + sum(sizes[1:]), "biases add one number per non-input unit"
    assert ms.n_params(sizes) == ms.flatten(ms.init_params(sizes, rng=0)).size, "matches the flat length"
    assert ms.n_params(sizes, bias=False) == ms.flatten(ms.init_params(sizes, rng=0, bias=False)).size


# Initialisation


def test_init_params_is_reproducible_for_a_seed_and_distinct_across_seeds():
    a, b = ms.flatten(ms.init_params([3, 5, 2], rng=11)), ms.flatten(ms.init_params([3, 5, 2], rng=11))
    assert np.array_equal(a, b), "the same integer seed gives the same parameters"
    c = ms.flatten(ms.init_params([3, 5, 2], rng=np.random.default_rng(11)))
    assert np.array_equal(a, c), "a Generator seeded alike gives the same parameters"
    d = ms.flatten(ms.init_params([3, 5, 2], rng=12))
    assert not np.any(a == d), "a different seed changes every parameter"


def test_init_params_advances_a_shared_generator():
    rng = np.random.default_rng(0)
    first, second = ms.init_params([2, 2], rng=rng), ms.init_params([2, 2], rng=rng)
    assert not np.array_equal(ms.flatten(first), ms.flatten(second)), "a passed Generator is consumed, not reset"


@pytest.mark.parametrize(
    ("scale", "std_w"),
    [("glorot", np.sqrt(2 / (300 + 200))), ("he", np.sqrt(2 / 300)), (0.3, 0.3)],
)
def test_init_params_scale_sets_the_weight_and_bias_spread(scale, std_w):
    (layer,) = ms.init_params([300, 200], rng=0, scale=scale)
    # 60 000 Gaussian weights: the sample std is within 1 % of the target with overwhelming probability.
    assert abs(layer.W.std() / std_w - 1) < 0.01, f"weight std for scale={scale!r}"
    assert abs(layer.W.mean()) < 0.02 * std_w, "weights are centred (5 standard errors)"
    assert 0.07 * std_w < layer.b.std() < 0.13 * std_w, "biases have a tenth of the weight scale"


def test_init_params_without_bias_and_shapes():
    params = ms.init_params([4, 3, 2], rng=0, bias=False)
    assert [layer.W.shape for layer in params] == [(3, 4), (2, 3)], "W has shape (n_out, n_in)"
    assert all(layer.b is None for layer in params), "bias=False gives b = None"
    assert all(isinstance(layer, ms.Layer) for layer in params), "layers are Layer named tuples"


# as_params, layer_sizes, batch_shape


def test_as_params_converts_to_float64_layers_and_copies_float64_arrays():
    W = np.array([[1.0, 2.0]])
    params = ms.as_params([(W, [3])])
    assert np.array_equal(params[0].W, W) and not np.shares_memory(params[0].W, W), "a copy, never the caller's array"
    assert params[0].b.dtype == np.float64 and params[0].b.tolist() == [3.0], "lists become float64 arrays"
    int_params = ms.as_params([(np.array([[1, 2]]), None)])
    assert int_params[0].W.dtype == np.float64, "integer arrays are converted"


def test_layer_sizes_and_batch_shape():
    params = ms.unflatten(np.zeros((2, 3, ms.n_params([5, 4, 1]))), [5, 4, 1])
    assert ms.layer_sizes(params) == (5, 4, 1)
    assert ms.batch_shape(params) == (2, 3)
    assert ms.batch_shape(ms.init_params([5, 4, 1], rng=0)) == (), "one network has no batch axes"


# Caller arrays are never modified


def _read_only(params):
    out = []
    for W, b in params:
        W = W.copy()
        W.flags.writeable = False
        if b is not None:
            b = b.copy()
            b.flags.writeable = False
        out.append((W, b))
    return out


@pytest.mark.parametrize("bias", [True, False])
def test_network_functions_leave_their_arguments_unchanged(bias, call_without_mutation):
    sizes = [3, 4, 2]
    params = [tuple(layer) for layer in ms.init_params(sizes, rng=0, bias=bias)]
    X = np.random.default_rng(1).normal(size=(5, 3))
    theta = ms.flatten(params)
    call_without_mutation(ms.as_params, params)
    call_without_mutation(ms.layer_sizes, params)
    call_without_mutation(ms.batch_shape, params)
    call_without_mutation(ms.flatten, params)
    call_without_mutation(ms.unflatten, theta, sizes, bias=bias)
    call_without_mutation(ms.n_params, sizes, bias=bias)
    call_without_mutation(ms.init_params, sizes, rng=0, bias=bias)
    for activation in ACTIVATIONS:
        call_without_mutation(ms.forward, params, X, activation)


def test_network_functions_accept_read_only_arrays():
    params = _read_only(ms.init_params([3, 4, 2], rng=0))
    X = np.random.default_rng(1).normal(size=(5, 3))
    X.flags.writeable = False
    theta = ms.flatten(params)
    theta.flags.writeable = False
    # A write into any of these arrays would raise here.
    ms.forward(params, X, "relu")
    ms.unflatten(theta, [3, 4, 2])
    ms.flatten(params)


# Bad input


@pytest.fixture
def small():
    return ms.init_params([3, 4, 2], rng=0), np.zeros((5, 3))


@pytest.mark.parametrize(
    ("X", "match"),
    [
        (np.zeros((5, 2)), r"X must have shape \(n_samples, 3\).*got shape \(5, 2\)"),
        (np.zeros(3), r"X must have shape \(n_samples, 3\).*got shape \(3,\)"),
        (np.zeros((2, 5, 3)), r"X must have shape \(n_samples, 3\).*got shape \(2, 5, 3\)"),
        (np.zeros((0, 3)), r"X must contain at least one sample"),
        (np.array([[0.0, np.nan, 1.0]]), r"X must contain only finite values"),
        (np.array([[0.0, np.inf, 1.0]]), r"X must contain only finite values"),
    ],
    ids=["columns", "1d", "3d", "empty", "nan", "inf"],
)
def test_forward_rejects_bad_X(small, X, match):
    params, _ = small
    with pytest.raises(ValueError, match=match):
        ms.forward(params, X)


@pytest.mark.parametrize(
    ("X", "match"),
    [("abc", r"X must be an array of real numbers"), (np.array([[1j, 0, 0]]), r"X must be an array of real")],
    ids=["string", "complex"],
)
def test_forward_rejects_non_real_X(small, X, match):
    with pytest.raises(TypeError, match=match):
        ms.forward(small[0], X)


@pytest.mark.parametrize(
    ("params", "error", "match"),
    [
        (np.zeros((2, 3)), TypeError, r"params must be a non-empty sequence of \(W, b\) layers; got array"),
        ([], TypeError, r"params must be a non-empty sequence.*got list \[\]"),
        (None, TypeError, r"params must be a non-empty sequence.*got NoneType"),
        ("Wb", TypeError, r"params must be a non-empty sequence.*got str"),
        ({"W": 1, "b": 2}, TypeError, r"params must be a non-empty sequence.*got dict"),
        ([np.zeros((2, 3))], TypeError, r"params\[0\] must be a \(W, b\) pair; got array of shape \(2, 3\)"),
        ([(np.zeros((2, 3)),)], TypeError, r"params\[0\] must be a \(W, b\) pair"),
        ([(np.zeros((2, 3)), None, None)], TypeError, r"params\[0\] must be a \(W, b\) pair"),
        ([(np.zeros((2, 3)), None), 5], TypeError, r"params\[1\] must be a \(W, b\) pair; got int 5"),
        ([("a", None)], TypeError, r"params\[0\]\.W must be an array of real numbers"),
        ([(np.zeros(3), None)], ValueError, r"params\[0\]\.W must have at least 2 dimension\(s\); got shape \(3,\)"),
        ([(np.zeros((2, 3)), 1.0)], ValueError, r"params\[0\]\.b must have at least 1 dimension"),
        ([(np.zeros((2, 3)), np.zeros(3))], ValueError, r"params\[0\]\.b must have 2 entries.*got shape \(3,\)"),
        (
            [(np.zeros((4, 3)), None), (np.zeros((2, 5)), None)],
            ValueError,
            r"params\[1\]\.W must have 4 columns to chain with the 4 outputs of layer 0; got shape \(2, 5\)",
        ),
        (
            [(np.zeros((3, 4, 3)), None), (np.zeros((2, 2, 4)), None)],
            ValueError,
            r"leading batch axes of params must broadcast together; got batch shapes \[\(3,\), \(2,\)\]",
        ),
        ([(np.array([[np.nan, 0.0]]), None)], ValueError, r"params\[0\]\.W must contain only finite values"),
        ([(np.zeros((1, 2)), [np.inf])], ValueError, r"params\[0\]\.b must contain only finite values"),
        ([(np.zeros((1, 2), dtype=complex), None)], TypeError, r"params\[0\]\.W must be an array of real numbers"),
    ],
)
def test_bad_params_are_rejected_with_the_argument_named(params, error, match):
    X = np.zeros((5, 3))
    for func in (ms.as_params, ms.flatten, ms.layer_sizes, ms.batch_shape):
        with pytest.raises(error, match=match):
            func(params)
    with pytest.raises(error, match=match):
        ms.forward(params, X)


@pytest.mark.parametrize(
    ("sizes", "error", "match"),
    [
        ([3], ValueError, r"layer_sizes must have at least 2 entries \(inputs and outputs\); got \[3\]"),
        ([3, 0, 1], ValueError, r"layer_sizes must contain positive integers; got \[3, 0, 1\]"),
        ([3, 2.0, 1], ValueError, r"layer_sizes must contain positive integers; got \[3, 2.0, 1\]"),
        ([3, True, 1], ValueError, r"layer_sizes must contain positive integers"),
        ("31", TypeError, r"layer_sizes must be a sequence of positive integers; got str"),
        (3, TypeError, r"layer_sizes must be a sequence of positive integers; got int 3"),
    ],
)
def test_bad_layer_sizes_are_rejected(sizes, error, match):
    with pytest.raises(error, match=match):
        ms.init_params(sizes, rng=0)
    with pytest.raises(error, match=match):
        ms.n_params(sizes)
    with pytest.raises(error, match=match):
        ms.unflatten(np.zeros(4), sizes)


def test_layer_sizes_may_be_a_numpy_array():
    assert ms.n_params(np.array([3, 4, 2])) == ms.n_params([3, 4, 2]), "numpy integer widths are accepted"


@pytest.mark.parametrize("bias", [1, "yes", None, np.bool_(True)])
def test_bias_must_be_a_bool(bias):
    with pytest.raises(TypeError, match=r"bias must be True or False; got"):
        ms.init_params([2, 1], rng=0, bias=bias)
    with pytest.raises(TypeError, match=r"bias must be True or False; got"):
        ms.unflatten(np.zeros(3), [2, 1], bias=bias)
    with pytest.raises(TypeError, match=r"bias must be True or False; got"):
        ms.n_params([2, 1], bias=bias)


@pytest.mark.parametrize("scale", ["xavier", -1.0, 0, np.inf, True, "1.0", None])
def test_init_params_rejects_a_bad_scale(scale):
    with pytest.raises((TypeError, ValueError), match=r"scale must be"):
        ms.init_params([2, 1], rng=0, scale=scale)


@pytest.mark.parametrize(
    ("theta", "error", "match"),
    [
        (np.zeros(8), ValueError, r"theta must have 9 entries on its last axis for layer_sizes=\[2, 2, 1\].*\(8,\)"),
        (np.zeros((3, 10)), ValueError, r"theta must have 9 entries.*got shape \(3, 10\)"),
        (np.float64(1.0), ValueError, r"theta must have at least 1 dimension"),
        (np.full(9, np.nan), ValueError, r"theta must contain only finite values"),
        (["a"] * 9, TypeError, r"theta must be an array of real numbers"),
    ],
)
def test_unflatten_rejects_a_bad_theta(theta, error, match):
    with pytest.raises(error, match=match):
        ms.unflatten(theta, [2, 2, 1])


@pytest.mark.parametrize(
    ("activation", "error", "match"),
    [
        (
            "softplus",
            ValueError,
            r"activation must be one of \['tanh', 'relu', 'sigmoid', 'identity'\]; got 'softplus'",
        ),
        ("Tanh", ValueError, r"activation must be one of .*got 'Tanh'"),
        (None, TypeError, r"activation must be a string, one of .*got NoneType None"),
        (np.tanh, TypeError, r"activation must be a string"),
    ],
)
def test_forward_rejects_an_unknown_activation(small, activation, error, match):
    params, X = small
    with pytest.raises(error, match=match):
        ms.forward(params, X, activation)


@pytest.mark.parametrize(
    ("params", "match"),
    [
        (
            [(np.zeros((0, 3)), None), (np.zeros((2, 0)), None)],
            r"params\[0\]\.W must have at least one row and one column",
        ),
        ([(np.zeros((0, 2, 3)), None)], r"leading batch axes of params must not be empty; got batch shape \(0,\)"),
    ],
    ids=["zero_width", "empty_batch"],
)
def test_empty_layers_and_batches_are_rejected(params, match):
    for func in (ms.as_params, ms.flatten, ms.layer_sizes, ms.batch_shape):
        with pytest.raises(ValueError, match=match):
            func(params)


@pytest.mark.parametrize("activation", ["identity", "relu"])
def test_forward_refuses_to_overflow_silently(activation):
    params = [(np.full((2, 2), 1e200), None), (np.full((1, 2), 1e200), None)]
    with pytest.raises(ValueError, match="params and X must keep the result within float64"):
        ms.forward(params, np.ones((3, 2)), activation)


@pytest.mark.parametrize("rng", ["seed", 1.5, -1, True, [1, 2]])
def test_init_params_rejects_a_bad_rng(rng):
    with pytest.raises((TypeError, ValueError), match="rng must be"):
        ms.init_params([2, 1], rng=rng)
