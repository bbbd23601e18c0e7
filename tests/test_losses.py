import numpy as np
import pytest

import mlp_symmetry as ms

ACTIVATIONS = ("tanh", "relu", "sigmoid", "identity")
LOSSES = ("mse", "sigmoid_mse", "binary_cross_entropy", "softmax_cross_entropy")


def reference_loss(z, y, loss):
    """Each loss written directly from its definition, one sample at a time."""
    total = 0.0
    for z_n, y_n in zip(z, y, strict=True):
        if loss == "mse":
            total += np.sum((z_n - y_n) ** 2)
        elif loss == "sigmoid_mse":
            total += np.sum((1 / (1 + np.exp(-z_n)) - y_n) ** 2)
        elif loss == "binary_cross_entropy":
            p = 1 / (1 + np.exp(-z_n))
            total += -np.sum(y_n * np.log(p) + (1 - y_n) * np.log(1 - p))
        else:
            total += -np.log(np.exp(z_n[y_n]) / np.sum(np.exp(z_n)))
    return total / len(z)


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("bias", [True, False])
def test_loss_matches_its_definition(loss, activation, bias, make_problem, reference_forward):
    params, X, y = make_problem([3, 4, 3], activation, loss, seed=5, bias=bias)
    value = ms.loss(params, X, y, activation, loss)
    assert isinstance(value, float), "one network gives a Python float"
    expected = reference_loss(reference_forward(params, X, activation)[1], y, loss)
    assert value == pytest.approx(expected, rel=1e-12), f"{loss} equals its textbook formula"


@pytest.mark.parametrize("loss", ["mse", "sigmoid_mse", "binary_cross_entropy"])
def test_single_output_targets_may_be_one_or_two_dimensional(loss, make_problem):
    params, X, y = make_problem([2, 3, 1], "tanh", loss, seed=0)
    assert ms.loss(params, X, y[:, 0], "tanh", loss) == ms.loss(params, X, y, "tanh", loss), "y (n,) = y (n, 1)"


def test_softmax_labels_may_be_bool_or_unsigned(make_problem):
    params, X, y = make_problem([2, 3, 2], "tanh", "softmax_cross_entropy", seed=0)
    value = ms.loss(params, X, y, loss="softmax_cross_entropy")
    assert ms.loss(params, X, y.astype(bool), loss="softmax_cross_entropy") == value, "bool labels are 0 and 1"
    assert ms.loss(params, X, y.astype(np.uint8), loss="softmax_cross_entropy") == value, "unsigned labels"


def test_loss_defaults_are_tanh_and_mse(make_problem):
    params, X, y = make_problem([2, 3, 1], "tanh", "mse", seed=0)
    assert ms.loss(params, X, y) == ms.loss(params, X, y, "tanh", "mse")


def test_mse_is_zero_exactly_at_the_targets_and_cross_entropies_are_positive(make_problem):
    params, X, _ = make_problem([2, 3, 2], "tanh", "mse", seed=1)
    z = ms.forward(params, X)
    assert ms.loss(params, X, z, loss="mse") == 0.0, "mse vanishes when targets are the outputs"
    for loss in ("binary_cross_entropy", "softmax_cross_entropy"):
        _, _, y = make_problem([2, 3, 2], "tanh", loss, seed=1)
        assert ms.loss(params, X, y, loss=loss) > 0, f"{loss} of hard labels is positive"


@pytest.mark.parametrize("loss", LOSSES)
def test_loss_on_a_batch_of_networks_equals_a_loop(loss, make_problem):
    sizes = [3, 4, 3]
    _, X, y = make_problem(sizes, "tanh", loss, seed=2)
    theta = np.random.default_rng(3).normal(size=(2, 5, ms.n_params(sizes)))
    values = ms.loss(ms.unflatten(theta, sizes), X, y, "tanh", loss)
    assert isinstance(values, np.ndarray) and values.shape == (2, 5), "an array of the batch shape"
    for index in np.ndindex(2, 5):
        one = ms.loss(ms.unflatten(theta[index], sizes), X, y, "tanh", loss)
        assert values[index] == pytest.approx(one, rel=1e-13), f"batched loss at {index}"


# Stability at huge logits


def test_binary_cross_entropy_is_exact_at_logits_of_plus_minus_1e4():
    # One linear output with weight 1e4: the logits are +1e4 and -1e4.
    params = [(np.array([[1e4]]), np.array([0.0]))]
    X = np.array([[1.0], [-1.0], [1.0], [-1.0]])
    y = np.array([0.0, 1.0, 0.3, 0.8])
    z = np.array([1e4, -1e4, 1e4, -1e4])
    # log(1 + e^z) - y z tends to (1 - y) z for z -> +inf and to -y z for z -> -inf;
    # the neglected term log(1 + e^{-|z|}) is below 1e-4000.
    exact = np.mean(np.where(z > 0, (1 - y) * z, -y * z))
    value, grad = ms.loss_and_gradient(params, X, y, loss="binary_cross_entropy")
    assert np.isfinite(value) and value == pytest.approx(exact, rel=1e-15), "BCE equals its asymptote"
    assert value == ms.loss(params, X, y, loss="binary_cross_entropy")
    # dL/dz_n = (sigmoid(z_n) - y_n) / N with sigmoid(+-1e4) = 1 or 0.
    g = (np.where(z > 0, 1.0, 0.0) - y) / 4
    assert np.all(np.isfinite(ms.flatten(grad))), "the gradient is finite"
    np.testing.assert_allclose(grad[0].W, [[g @ X[:, 0]]], rtol=1e-15, err_msg="dL/dW")
    np.testing.assert_allclose(grad[0].b, [g.sum()], rtol=1e-15, atol=1e-16, err_msg="dL/db")


def test_binary_cross_entropy_of_correct_confident_labels_is_zero():
    params = [(np.array([[1e4]]), None)]
    X = np.array([[1.0], [-1.0]])
    value, grad = ms.loss_and_gradient(params, X, [1.0, 0.0], loss="binary_cross_entropy")
    # The exact value log(1 + e^{-1e4}) underflows to 0 in float64.
    assert value == 0.0 and np.all(grad[0].W == 0.0), "confident correct predictions cost nothing"


def test_softmax_cross_entropy_is_exact_at_logits_of_plus_minus_1e4():
    # Logits (1e4, -1e4, 0) for x = 1 and (-1e4, 1e4, 0) for x = -1.
    W = np.array([[1e4], [-1e4], [0.0]])
    params = [(W, np.zeros(3))]
    X = np.array([[1.0], [-1.0], [1.0], [-1.0]])
    labels = np.array([0, 0, 2, 1])
    Z = X @ W.T
    # logsumexp(z) tends to max(z); the neglected terms are below e^{-1e4}.
    exact = np.mean(Z.max(axis=1) - Z[np.arange(4), labels])
    assert exact == 7500.0, "samples cost 0, 2e4, 1e4 and 0"
    value, grad = ms.loss_and_gradient(params, X, labels, loss="softmax_cross_entropy")
    assert value == pytest.approx(exact, rel=1e-15), "softmax cross-entropy equals its asymptote"
    assert value == ms.loss(params, X, labels, loss="softmax_cross_entropy")
    # dL/dz = (p - onehot) / N with p the one-hot vector of the largest logit.
    P = np.eye(3)[Z.argmax(axis=1)]
    G = (P - np.eye(3)[labels]) / 4
    assert np.all(np.isfinite(ms.flatten(grad))), "the gradient is finite"
    np.testing.assert_allclose(grad[0].W, G.T @ X, rtol=1e-15, atol=1e-16, err_msg="dL/dW")
    np.testing.assert_allclose(grad[0].b, G.sum(axis=0), rtol=1e-15, atol=1e-16, err_msg="dL/db")


@pytest.mark.parametrize("loss", ["binary_cross_entropy", "softmax_cross_entropy", "sigmoid_mse"])
def test_huge_logits_in_a_deep_network_give_finite_curvature(loss):
    # Saturated tanh units feeding an output layer with huge weights.
    params = [(np.full((3, 2), 50.0), np.zeros(3)), (np.array([[1e4, -1e4, 0], [-1e4, 0, 1e4]]), None)]
    X = np.array([[1.0, 0.5], [-1.0, -0.5], [0.2, 0.3]])
    y = [0, 1, 1] if loss == "softmax_cross_entropy" else [[0.0, 1.0], [1.0, 0.0], [0.5, 0.5]]
    value, grad = ms.loss_and_gradient(params, X, y, loss=loss)
    H = ms.hessian(params, X, y, loss=loss)
    assert np.isfinite(value) and np.all(np.isfinite(ms.flatten(grad))), "finite loss and gradient"
    assert np.all(np.isfinite(H)), "finite Hessian"


# Caller arrays are never modified


@pytest.mark.parametrize("loss", LOSSES)
def test_loss_leaves_its_arguments_unchanged(loss, make_problem, call_without_mutation):
    params, X, y = make_problem([3, 4, 2], "tanh", loss, seed=0)
    params = [tuple(layer) for layer in params]
    for activation in ACTIVATIONS:
        call_without_mutation(ms.loss, params, X, y, activation, loss)
    for array in (X, y, *[a for layer in params for a in layer]):
        array.flags.writeable = False
    ms.loss(params, X, y, "relu", loss)  # would raise on a write into a read-only array


# Bad input


@pytest.fixture
def net():
    return ms.init_params([2, 3, 2], rng=0), np.zeros((4, 2))


@pytest.mark.parametrize(
    ("loss", "y", "error", "match"),
    [
        ("mse", np.zeros((4, 3)), ValueError, r"y must have shape \(4, 2\) for loss='mse'; got \(4, 3\)"),
        ("mse", np.zeros(4), ValueError, r"y must have shape \(4, 2\) for loss='mse'; got \(4,\)"),
        ("mse", np.zeros((5, 2)), ValueError, r"y must have shape \(4, 2\).*got \(5, 2\)"),
        ("mse", np.full((4, 2), np.nan), ValueError, r"y must contain only finite values"),
        ("sigmoid_mse", np.full((4, 2), -np.inf), ValueError, r"y must contain only finite values"),
        ("mse", "abcd", TypeError, r"y must be an array of real numbers"),
        ("sigmoid_mse", np.zeros((4, 2, 1)), ValueError, r"y must have shape \(4, 2\) for loss='sigmoid_mse'"),
        (
            "binary_cross_entropy",
            np.full((4, 2), 1.5),
            ValueError,
            r"y must hold labels in \[0, 1\] for loss='binary_cross_entropy'; got values from 1.5 to 1.5",
        ),
        (
            "binary_cross_entropy",
            np.array([[0.0, 1.0], [-0.1, 0.0], [1.0, 1.0], [0.0, 0.0]]),
            ValueError,
            r"y must hold labels in \[0, 1\].*got values from -0.1 to 1.0",
        ),
        (
            "softmax_cross_entropy",
            np.array([0, 1, 2, 0]),
            ValueError,
            r"y must hold class labels in range\(2\); got values from 0 to 2",
        ),
        (
            "softmax_cross_entropy",
            np.array([0, -1, 1, 0]),
            ValueError,
            r"y must hold class labels in range\(2\); got values from -1 to 1",
        ),
        (
            "softmax_cross_entropy",
            np.array([0.0, 1.0, 1.0, 0.0]),
            TypeError,
            r"y must hold integer class labels for loss='softmax_cross_entropy'; got array of shape \(4,\) and dtype "
            r"float64",
        ),
        ("softmax_cross_entropy", [0, 0.5, 1, 0], TypeError, r"y must hold integer class labels"),
        ("softmax_cross_entropy", ["a", "b", "a", "b"], TypeError, r"y must hold integer class labels"),
        ("softmax_cross_entropy", [[0, 1], [1], 0, 1], TypeError, r"y must hold integer class labels.*got list"),
        ("mse", [[0, 1], [1], 0, 1], TypeError, r"y must be an array of real numbers; got list"),
        (
            "softmax_cross_entropy",
            np.eye(2, dtype=int)[[0, 1, 1, 0]],
            ValueError,
            r"y must have shape \(4,\) for loss='softmax_cross_entropy'; got \(4, 2\)",
        ),
        ("softmax_cross_entropy", np.array([0, 1, 1]), ValueError, r"y must have shape \(4,\).*got \(3,\)"),
    ],
)
def test_bad_targets_are_rejected_with_y_named(net, loss, y, error, match):
    params, X = net
    for func in (ms.loss, ms.loss_and_gradient, ms.hessian):
        with pytest.raises(error, match=match):
            func(params, X, y, "tanh", loss)
    with pytest.raises(error, match=match):
        ms.hessian_vector_product(params, X, y, np.zeros(ms.n_params([2, 3, 2])), "tanh", loss)


def test_softmax_needs_at_least_two_outputs():
    params = ms.init_params([2, 3, 1], rng=0)
    with pytest.raises(ValueError, match=r"loss='softmax_cross_entropy' needs at least 2 outputs; the network has 1"):
        ms.loss(params, np.zeros((4, 2)), [0, 0, 0, 0], loss="softmax_cross_entropy")


@pytest.mark.parametrize(
    ("loss", "error", "match"),
    [
        ("hinge", ValueError, r"loss must be one of \['mse', 'sigmoid_mse', 'binary_cross_entropy', "),
        ("MSE", ValueError, r"loss must be one of .*got 'MSE'"),
        ("cross_entropy", ValueError, r"loss must be one of .*got 'cross_entropy'"),
        (None, TypeError, r"loss must be a string, one of .*got NoneType None"),
    ],
)
def test_unknown_loss_names_are_rejected(net, loss, error, match):
    params, X = net
    for func in (ms.loss, ms.loss_and_gradient, ms.hessian):
        with pytest.raises(error, match=match):
            func(params, X, np.zeros((4, 2)), "tanh", loss)


@pytest.mark.parametrize(
    ("X", "match"),
    [
        (np.zeros((4, 3)), r"X must have shape \(n_samples, 2\).*got shape \(4, 3\)"),
        (np.full((4, 2), np.nan), r"X must contain only finite values"),
    ],
)
def test_bad_X_is_rejected_by_every_loss_function(net, X, match):
    params, _ = net
    y = np.zeros((4, 2))
    for func in (ms.loss, ms.loss_and_gradient, ms.hessian):
        with pytest.raises(ValueError, match=match):
            func(params, X, y)
    with pytest.raises(ValueError, match=match):
        ms.hessian_vector_product(params, X, y, np.zeros(ms.n_params([2, 3, 2])))


def test_unknown_activation_is_rejected_by_every_loss_function(net):
    params, X = net
    for func in (ms.loss, ms.loss_and_gradient, ms.hessian):
        with pytest.raises(ValueError, match=r"activation must be one of .*got 'gelu'"):
            func(params, X, np.zeros((4, 2)), "gelu")


def test_params_that_do_not_chain_are_rejected_by_every_loss_function():
    params = [(np.zeros((3, 2)), None), (np.zeros((2, 4)), None)]
    X, y = np.zeros((4, 2)), np.zeros((4, 2))
    match = r"params\[1\]\.W must have 3 columns to chain with the 3 outputs of layer 0; got shape \(2, 4\)"
    for func in (ms.loss, ms.loss_and_gradient, ms.hessian):
        with pytest.raises(ValueError, match=match):
            func(params, X, y)
