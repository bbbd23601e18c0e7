"""Parameters and forward pass of a multi-layer perceptron.

The weight layout, used everywhere in this package
-------------------------------------------------
A network with layer sizes ``[n_0, n_1, ..., n_L]`` is a tuple of ``L`` :class:`Layer` ``(W, b)``: ``W`` has shape
``(n_out, n_in)``, row ``i`` holding the incoming weights of unit ``i``; ``b`` has shape ``(n_out,)``, or is ``None``
for a layer without biases. A layer maps its input ``a`` (first the inputs ``X``, of shape ``(n_samples, n_in)``) to
``act(a @ W.T + b)``; the output layer is linear, its outputs are the *logits* that the losses take. Hidden layers are
numbered from 0: the units of hidden layer ``l`` are the rows of ``params[l].W`` and the columns of ``params[l + 1].W``.

Every array may carry leading batch axes, ``W`` of shape ``(..., n_out, n_in)`` and ``b`` of shape ``(..., n_out)``,
that broadcast across layers; :func:`forward` then returns ``(..., n_samples, n_out)``, so a whole grid of
parameter points is one call. :func:`flatten` and :func:`unflatten` convert to flat vectors ``(..., n_params)``:
layer by layer, each ``W`` in row-major order, then its ``b``.

Conventions of the whole package
--------------------------------
An argument ``params`` is a network in this layout (any sequence of ``(W, b)`` pairs), optionally with batch axes
unless a function asks for one network; ``X``, ``y``, ``activation`` and ``loss`` are as for
:func:`~mlp_symmetry.loss`; ``rng`` is a seed, a :class:`numpy.random.Generator` or ``None``. Every function checks
its arguments and raises a ``TypeError`` or ``ValueError`` that names the one at fault, also when finite inputs
overflow float64. Results are new arrays: the caller's arrays are never modified and never shared.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy.special import expit

from . import _checks


class Layer(NamedTuple):
    """One weight layer: ``W`` of shape ``(..., n_out, n_in)`` and ``b`` of shape ``(..., n_out)`` or ``None``."""

    W: np.ndarray
    b: np.ndarray | None


Params = tuple[Layer, ...]
"""Parameters of an MLP: one :class:`Layer` per weight layer."""


class Structure(NamedTuple):
    """What a flat vector needs to become parameters again: the layer sizes and which layers have biases."""

    sizes: tuple[int, ...]
    biases: tuple[bool, ...]

    @property
    def n_params(self) -> int:
        """The number of scalar parameters."""
        layers = zip(self.sizes[:-1], self.sizes[1:], self.biases, strict=True)
        return sum(n_out * (n_in + has_bias) for n_in, n_out, has_bias in layers)


def _uniform(layer_sizes, bias) -> Structure:
    """Return the checked :class:`Structure` of layers of ``layer_sizes`` that all have biases or none."""
    sizes = _checks.check_layer_sizes(layer_sizes)
    return Structure(sizes, (_checks.check_bool(bias, "bias"),) * (len(sizes) - 1))


# Each activation with its first and second derivatives, written as functions of
# its output a = act(z): the derivatives reuse the stored activations. For ReLU
# the derivative at the kink is taken as 0 and the second derivative as 0
# everywhere (a point mass at the kink, which has measure zero).
ACTIVATIONS = {
    "tanh": (np.tanh, lambda a: 1.0 - a * a, lambda a: -2.0 * a * (1.0 - a * a)),
    "sigmoid": (expit, lambda a: a * (1.0 - a), lambda a: a * (1.0 - a) * (1.0 - 2.0 * a)),
    "relu": (lambda z: np.maximum(z, 0.0), lambda a: (a > 0).astype(float), np.zeros_like),
    "identity": (lambda z: z, np.ones_like, np.zeros_like),
}


def as_params(params) -> Params:
    """Validate parameters and return them as a tuple of :class:`Layer` of new float64 arrays.

    Raises a ``TypeError`` or ``ValueError`` unless ``params`` is a sequence of ``(W, b)`` pairs of finite arrays whose
    shapes chain (``n_in`` of a layer is ``n_out`` of the one before) and whose batch axes broadcast.

    Examples
    --------
    >>> p = as_params([([[1.0, 2.0]], [0.5])])
    >>> p[0].W.shape, p[0].b.shape
    ((1, 2), (1,))
    """
    return tuple(Layer(np.array(W), None if b is None else np.array(b)) for W, b in _checks.check_params(params))


def structure(params) -> Structure:
    """Return the layer sizes of a network and which of its layers have biases.

    Examples
    --------
    >>> structure([(np.zeros((3, 2)), None), (np.zeros((1, 3)), np.zeros(1))])
    Structure(sizes=(2, 3, 1), biases=(False, True))
    """
    params = _checks.check_params(params)
    sizes = (params[0].W.shape[-1],) + tuple(W.shape[-2] for W, _ in params)
    return Structure(sizes, tuple(b is not None for _, b in params))


def layer_sizes(params) -> tuple[int, ...]:
    """Return the widths ``(n_in, n_hidden..., n_out)`` of a network.

    Examples
    --------
    >>> layer_sizes(init_params([3, 5, 2], rng=0))
    (3, 5, 2)
    """
    return structure(params).sizes


def batch_shape(params) -> tuple[int, ...]:
    """Return the broadcast shape of the leading batch axes of ``params``.

    Examples
    --------
    >>> theta = np.zeros((4, 7, n_params([2, 2, 1])))
    >>> batch_shape(unflatten(theta, [2, 2, 1]))
    (4, 7)
    """
    return _checks.batch_of(_checks.check_params(params))


def init_params(layer_sizes, rng=None, *, bias: bool = True, scale: str | float = "glorot") -> Params:
    """Draw random parameters for an MLP: Gaussian weights, and biases with a tenth of their scale.

    Parameters
    ----------
    layer_sizes : sequence of int
        ``[n_in, n_hidden..., n_out]``.
    rng : int, numpy.random.Generator or None
    bias : bool
        Whether the layers have biases (``b`` is ``None`` otherwise).
    scale : {"glorot", "he"} or float
        Standard deviation of the weights: ``sqrt(2 / (n_in + n_out))`` (Glorot), ``sqrt(2 / n_in)`` (He) or a number.

    Examples
    --------
    >>> [layer.W.shape for layer in init_params([2, 3, 1], rng=0)]
    [(3, 2), (1, 3)]
    """
    sizes = _checks.check_layer_sizes(layer_sizes)
    bias = _checks.check_bool(bias, "bias")
    if isinstance(scale, str):
        _checks.check_choice(scale, "scale", ("glorot", "he"))
    else:
        scale = _checks.check_real(scale, "scale", strict=True)
    rng = _checks.check_rng(rng)
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        std = {"glorot": np.sqrt(2.0 / (n_in + n_out)), "he": np.sqrt(2.0 / n_in)}.get(scale, scale)
        W = rng.normal(0.0, std, size=(n_out, n_in))
        layers.append(Layer(W, rng.normal(0.0, 0.1 * std, size=n_out) if bias else None))
    return tuple(layers)


def n_params(layer_sizes, *, bias: bool = True) -> int:
    """Return the number of scalar parameters of an MLP.

    Examples
    --------
    >>> n_params([2, 2, 1]), n_params([2, 2, 1], bias=False)
    (9, 6)
    """
    return _uniform(layer_sizes, bias).n_params


def flatten(params) -> np.ndarray:
    """Concatenate all parameters into vectors ``(..., n_params)``, in the order stated in :mod:`mlp_symmetry.network`.

    Examples
    --------
    >>> flatten([([[1.0, 2.0], [3.0, 4.0]], [5.0, 6.0]), ([[7.0, 8.0]], None)])
    array([1., 2., 3., 4., 5., 6., 7., 8.])
    """
    params = _checks.check_params(params)
    batch = _checks.batch_of(params)
    pieces = []
    for W, b in params:
        pieces.append(np.broadcast_to(W, batch + W.shape[-2:]).reshape(batch + (-1,)))
        if b is not None:
            pieces.append(np.broadcast_to(b, batch + b.shape[-1:]))
    return np.concatenate(pieces, axis=-1)


def unflatten(theta, layer_sizes, *, bias: bool = True) -> Params:
    """Split flat vectors ``theta`` into parameters of ``layer_sizes``: the inverse of :func:`flatten`.

    ``theta`` has shape ``(..., n_params)``; the layers are views into a private copy of it, with its leading axes.
    ``bias`` says whether they have biases.

    Examples
    --------
    >>> params = init_params([3, 4, 2], rng=1)
    >>> back = unflatten(flatten(params), [3, 4, 2])
    >>> all(np.array_equal(a.W, b.W) and np.array_equal(a.b, b.b) for a, b in zip(params, back))
    True
    """
    shape = _uniform(layer_sizes, bias)
    theta = np.array(_checks.as_float_array(theta, "theta", ndim_min=1))
    if theta.shape[-1] != shape.n_params:
        raise ValueError(
            f"theta must have {shape.n_params} entries on its last axis for layer_sizes={list(shape.sizes)} "
            f"(bias={bias}); got shape {theta.shape}"
        )
    return split_flat(theta, *shape)


def split_flat(theta: np.ndarray, sizes, biases) -> Params:
    """Split ``theta`` of shape ``(..., n_params)`` into layers of the given :class:`Structure` (no checks)."""
    layers, start = [], 0
    for n_in, n_out, has_bias in zip(sizes[:-1], sizes[1:], biases, strict=True):
        W = theta[..., start : start + n_out * n_in].reshape(theta.shape[:-1] + (n_out, n_in))
        start += n_out * n_in
        layers.append(Layer(W, theta[..., start : start + n_out] if has_bias else None))
        start += n_out if has_bias else 0
    return tuple(layers)


@_checks.overflow_raises
def forward(params, X, activation: str = "tanh") -> np.ndarray:
    """Compute the outputs (logits) of an MLP.

    Parameters
    ----------
    params : Params
    X : array_like of shape (n_samples, n_in)
    activation : {"tanh", "relu", "sigmoid", "identity"}
        Activation of the hidden layers; the output layer is linear.

    Returns
    -------
    ndarray of shape (..., n_samples, n_out)
        The batch axes of ``params`` first.

    Examples
    --------
    A batch of 10 networks is one call:

    >>> theta = np.random.default_rng(0).normal(size=(10, n_params([2, 3, 1])))
    >>> forward(unflatten(theta, [2, 3, 1]), np.zeros((5, 2))).shape
    (10, 5, 1)
    """
    params, X, activation = _checks.check_network(params, X, activation)
    act = ACTIVATIONS[activation][0]
    a = X
    for index, (W, b) in enumerate(params):
        z = a @ W.mT  # one row per sample; the batch axes of W broadcast against those of a
        if b is not None:
            z = z + b[..., None, :]
        a = z if index == len(params) - 1 else act(z)
    return _checks.check_finite_result(a, "params and X")
