"""Shared helpers for the tests of the network, losses and derivatives.

The helpers are session-scoped fixtures returning plain functions, so that
hypothesis tests can use them too.  ``reference_forward`` is written
independently of the package (its own activation formulas, one layer at a time)
and serves as the reference the package is compared against.
"""

import copy

import numpy as np
import pytest

import mlp_symmetry as ms

_REFERENCE_ACTIVATIONS = {
    "tanh": lambda z: (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z)),
    "relu": lambda z: np.where(z > 0, z, 0.0),
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "identity": lambda z: z,
}


def _reference_forward(params, X, activation):
    """Return the hidden pre-activations and the outputs, layer by layer.

    Works for one network only; ``params`` is a sequence of ``(W, b)`` with
    ``W`` of shape ``(n_out, n_in)``, so each sample maps to ``W @ x + b``.
    """
    act = _REFERENCE_ACTIVATIONS[activation]
    a = np.asarray(X, dtype=float)
    hidden = []
    for index, (W, b) in enumerate(params):
        z = np.stack([W @ x for x in a])
        if b is not None:
            z = z + b
        if index == len(params) - 1:
            return hidden, z
        hidden.append(z)
        a = act(z)
    raise AssertionError("params must hold at least one layer")


def _make_targets(rng, loss, n_samples, n_out):
    """Random targets of the kind ``loss`` expects."""
    if loss == "mse":
        return rng.normal(size=(n_samples, n_out))
    if loss == "sigmoid_mse":
        return rng.uniform(0.0, 1.0, size=(n_samples, n_out))
    if loss == "binary_cross_entropy":
        # Hard and soft labels alike.
        y = rng.uniform(0.0, 1.0, size=(n_samples, n_out))
        y[: n_samples // 2] = np.round(y[: n_samples // 2])
        return y
    return rng.integers(0, n_out, size=n_samples)


def _make_problem(sizes, activation, loss, seed, *, bias=True, n_samples=7, scale=1.0):
    """Random parameters, inputs and targets for one network.

    Weights have standard deviation ``scale`` (larger than Glorot) so that
    every term of the loss matters and derivatives are far from zero.
    """
    sizes = list(sizes)
    if loss == "softmax_cross_entropy" and sizes[-1] < 2:
        sizes[-1] = 2
    rng = np.random.default_rng(seed)
    params = ms.init_params(sizes, rng=rng, bias=bias, scale=scale)
    if bias:
        # Biases as large as the weights, so that they shift pre-activations visibly.
        params = tuple(ms.Layer(W, rng.normal(0.0, scale, size=W.shape[0])) for W, _ in params)
    X = rng.normal(size=(n_samples, sizes[0]))
    y = _make_targets(rng, loss, n_samples, sizes[-1])
    return params, X, y


def _kink_margin(params, X, activation):
    """Smallest distance of a hidden pre-activation to the ReLU kink (inf otherwise)."""
    if activation != "relu":
        return np.inf
    hidden, _ = _reference_forward(params, X, activation)
    return min((np.abs(z).min() for z in hidden), default=np.inf)


def _snapshot(value):
    """Deep copy of a nested structure of arrays, lists and tuples."""
    return copy.deepcopy(value)


def _assert_same(before, after, where):
    if isinstance(before, np.ndarray):
        assert isinstance(after, np.ndarray) and before.shape == after.shape, f"{where} changed type or shape"
        assert np.array_equal(before, after), f"{where} was modified in place"
    elif isinstance(before, list | tuple):
        assert len(before) == len(after), f"{where} changed length"
        for index, (b, a) in enumerate(zip(before, after, strict=True)):
            _assert_same(b, a, f"{where}[{index}]")
    else:
        assert before is after or before == after, f"{where} was replaced"


def _call_without_mutation(func, *args, **kwargs):
    """Call ``func`` and assert that none of its arguments changed."""
    before_args, before_kwargs = _snapshot(args), _snapshot(kwargs)
    result = func(*args, **kwargs)
    _assert_same(before_args, args, f"{func.__name__} argument")
    for key, value in kwargs.items():
        _assert_same(before_kwargs[key], value, f"{func.__name__} keyword {key}")
    return result


@pytest.fixture(scope="session")
def reference_forward():
    return _reference_forward


@pytest.fixture(scope="session")
def make_problem():
    return _make_problem


@pytest.fixture(scope="session")
def kink_margin():
    return _kink_margin


@pytest.fixture(scope="session")
def call_without_mutation():
    return _call_without_mutation
