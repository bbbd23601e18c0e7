"""Parameters and forward pass of a multi-layer perceptron.

The weight layout, used everywhere in this package
-------------------------------------------------
A network with layer sizes ``[n_0, n_1, ..., n_L]`` has ``L`` weight layers.
Its parameters are a tuple of :class:`Layer` ``(W, b)``, one per weight layer:

* ``W`` has shape ``(n_out, n_in)``: row ``i`` holds the incoming weights of
  unit ``i`` of that layer;
* ``b`` has shape ``(n_out,)``, or is ``None`` for a layer without biases.

A layer maps a batch ``X`` of shape ``(n_samples, n_in)`` to
``act(X @ W.T + b)``.  Hidden layers apply the activation; the output layer is
linear (its outputs are the *logits* that the losses take).

Hidden layers are numbered from 0: hidden layer ``l`` is the output of weight
layer ``l``, and its units are the rows of ``params[l].W`` and the columns of
``params[l + 1].W``.

Batches of parameter sets
-------------------------
Every array may carry leading batch axes: ``W`` of shape ``(..., n_out, n_in)``
and ``b`` of shape ``(..., n_out)``.  The batch axes of all layers broadcast
against each other, and :func:`forward` returns outputs of shape
``(..., n_samples, n_outputs)``.  A whole grid of parameter points is therefore
one call.  :func:`flatten` and :func:`unflatten` convert between this structure
and flat vectors of shape ``(..., n_params)``, ordered layer by layer, each
layer's ``W`` in row-major order followed by its ``b``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from scipy.special import expit

from . import _checks
from ._fast import pool as _scratch
from ._fast.pool import Scratch


class Layer(NamedTuple):
    """One weight layer: ``W`` of shape ``(..., n_out, n_in)`` and ``b`` of shape ``(..., n_out)`` or ``None``."""

    W: np.ndarray
    b: np.ndarray | None


Params = tuple[Layer, ...]
"""Parameters of an MLP: one :class:`Layer` per weight layer."""


def as_params(params) -> Params:
    """Validate parameters and return them as a tuple of :class:`Layer`.

    Parameters
    ----------
    params : sequence of (W, b) pairs
        ``W`` of shape ``(..., n_out, n_in)``, ``b`` of shape ``(..., n_out)`` or
        ``None``. Consecutive layers must chain (``n_in`` of a layer equals
        ``n_out`` of the one before) and batch axes must broadcast.

    Returns
    -------
    params : tuple of Layer
        The same values as float64 arrays. The caller's arrays are never
        modified; float64 inputs are shared, not copied.

    Raises
    ------
    TypeError
        If ``params`` is not a sequence of pairs of arrays.
    ValueError
        If shapes do not chain, batch axes do not broadcast or a value is not
        finite.

    Examples
    --------
    >>> p = as_params([([[1.0, 2.0]], [0.5])])
    >>> p[0].W.shape, p[0].b.shape
    ((1, 2), (1,))
    """
    if isinstance(params, str | np.ndarray) or not isinstance(params, Sequence) or len(params) == 0:
        raise TypeError(f"params must be a non-empty sequence of (W, b) layers; got {_checks._describe(params)}")
    layers = []
    for index, layer in enumerate(params):
        if not isinstance(layer, Sequence) or len(layer) != 2:
            raise TypeError(f"params[{index}] must be a (W, b) pair; got {_checks._describe(layer)}")
        W = _checks.as_float_array(layer[0], f"params[{index}].W", ndim_min=2)
        b = layer[1]
        if b is not None:
            b = _checks.as_float_array(b, f"params[{index}].b", ndim_min=1)
            if b.shape[-1] != W.shape[-2]:
                raise ValueError(
                    f"params[{index}].b must have {W.shape[-2]} entries (one per row of W); got shape {b.shape}"
                )
        if index > 0:
            n_prev = layers[-1].W.shape[-2]
            if W.shape[-1] != n_prev:
                raise ValueError(
                    f"params[{index}].W must have {n_prev} columns to chain with the "
                    f"{n_prev} outputs of layer {index - 1}; got shape {W.shape}"
                )
        layers.append(Layer(W, b))
    batch_shapes = [layer.W.shape[:-2] for layer in layers]
    batch_shapes += [layer.b.shape[:-1] for layer in layers if layer.b is not None]
    try:
        np.broadcast_shapes(*batch_shapes)
    except ValueError:
        raise ValueError(
            f"the leading batch axes of params must broadcast together; got batch shapes {batch_shapes}"
        ) from None
    return tuple(layers)


def layer_sizes(params) -> tuple[int, ...]:
    """Return the widths ``(n_in, n_hidden..., n_out)`` of a network.

    Examples
    --------
    >>> layer_sizes(init_params([3, 5, 2], rng=0))
    (3, 5, 2)
    """
    params = as_params(params)
    return (params[0].W.shape[-1],) + tuple(layer.W.shape[-2] for layer in params)


def batch_shape(params) -> tuple[int, ...]:
    """Return the broadcast shape of the leading batch axes of ``params``.

    Examples
    --------
    >>> theta = np.zeros((4, 7, n_params([2, 2, 1])))
    >>> batch_shape(unflatten(theta, [2, 2, 1]))
    (4, 7)
    """
    params = as_params(params)
    shapes = [layer.W.shape[:-2] for layer in params]
    shapes += [layer.b.shape[:-1] for layer in params if layer.b is not None]
    return np.broadcast_shapes(*shapes)


def init_params(layer_sizes, rng=None, *, bias: bool = True, scale: str | float = "glorot") -> Params:
    """Draw random parameters for an MLP.

    Parameters
    ----------
    layer_sizes : sequence of int
        ``[n_in, n_hidden..., n_out]``, at least two entries.
    rng : int, numpy.random.Generator or None
        Seed or generator, passed to :func:`numpy.random.default_rng`.
    bias : bool
        Whether the layers have biases (``b`` is ``None`` otherwise).
    scale : {"glorot", "he"} or float
        Standard deviation of the Gaussian weights: ``sqrt(2 / (n_in + n_out))``
        for ``"glorot"``, ``sqrt(2 / n_in)`` for ``"he"``, or the given number.
        Biases are drawn with a tenth of the weight scale.

    Returns
    -------
    params : tuple of Layer

    Examples
    --------
    >>> params = init_params([2, 3, 1], rng=0)
    >>> [layer.W.shape for layer in params]
    [(3, 2), (1, 3)]
    >>> init_params([2, 3, 1], rng=0, bias=False)[0].b is None
    True
    """
    sizes = _checks.check_layer_sizes(layer_sizes)
    if not isinstance(bias, bool):
        raise TypeError(f"bias must be True or False; got {_checks._describe(bias)}")
    if isinstance(scale, str):
        _checks.check_choice(scale, "scale", ("glorot", "he"))
    elif isinstance(scale, bool) or not isinstance(scale, int | float) or not scale > 0 or not np.isfinite(scale):
        raise ValueError(f"scale must be 'glorot', 'he' or a positive number; got {scale!r}")
    rng = np.random.default_rng(rng)
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        if scale == "glorot":
            std = np.sqrt(2.0 / (n_in + n_out))
        elif scale == "he":
            std = np.sqrt(2.0 / n_in)
        else:
            std = float(scale)
        W = rng.normal(0.0, std, size=(n_out, n_in))
        b = rng.normal(0.0, 0.1 * std, size=n_out) if bias else None
        layers.append(Layer(W, b))
    return tuple(layers)


def n_params(layer_sizes, *, bias: bool = True) -> int:
    """Return the number of scalar parameters of an MLP.

    Examples
    --------
    >>> n_params([2, 2, 1]), n_params([2, 2, 1], bias=False)
    (9, 6)
    """
    sizes = _checks.check_layer_sizes(layer_sizes)
    if not isinstance(bias, bool):
        raise TypeError(f"bias must be True or False; got {_checks._describe(bias)}")
    return sum(n_out * n_in + (n_out if bias else 0) for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True))


def flatten(params) -> np.ndarray:
    """Concatenate all parameters into one vector of shape ``(..., n_params)``.

    The order is layer by layer, each ``W`` in row-major order, then its ``b``.

    Examples
    --------
    >>> params = [([[1.0, 2.0], [3.0, 4.0]], [5.0, 6.0]), ([[7.0, 8.0]], None)]
    >>> flatten(params)
    array([1., 2., 3., 4., 5., 6., 7., 8.])
    """
    params = as_params(params)
    batch = batch_shape(params)
    pieces = []
    for layer in params:
        pieces.append(np.broadcast_to(layer.W, batch + layer.W.shape[-2:]).reshape(batch + (-1,)))
        if layer.b is not None:
            pieces.append(np.broadcast_to(layer.b, batch + layer.b.shape[-1:]))
    return np.concatenate(pieces, axis=-1)


def unflatten(theta, layer_sizes, *, bias: bool = True) -> Params:
    """Split a flat vector (or a batch of them) into MLP parameters.

    Parameters
    ----------
    theta : array_like of shape (..., n_params)
        Flat parameters in the order of :func:`flatten`.
    layer_sizes : sequence of int
        ``[n_in, n_hidden..., n_out]``.
    bias : bool
        Whether the layers have biases.

    Returns
    -------
    params : tuple of Layer
        Arrays with the leading axes of ``theta``; views into a private copy of
        ``theta``, never into the caller's array.

    Examples
    --------
    >>> params = init_params([3, 4, 2], rng=1)
    >>> back = unflatten(flatten(params), [3, 4, 2])
    >>> all(np.array_equal(a.W, b.W) and np.array_equal(a.b, b.b) for a, b in zip(params, back))
    True
    """
    sizes = _checks.check_layer_sizes(layer_sizes)
    if not isinstance(bias, bool):
        raise TypeError(f"bias must be True or False; got {_checks._describe(bias)}")
    theta = np.array(_checks.as_float_array(theta, "theta", ndim_min=1))
    expected = n_params(sizes, bias=bias)
    if theta.shape[-1] != expected:
        raise ValueError(
            f"theta must have {expected} entries on its last axis for layer_sizes={list(sizes)} "
            f"(bias={bias}); got shape {theta.shape}"
        )
    return split_flat(theta, sizes, [bias] * (len(sizes) - 1))


def split_flat(theta: np.ndarray, sizes, biases) -> Params:
    """Split ``theta`` of shape ``(..., n_params)`` into layers (no checks).

    ``biases`` says, layer by layer, whether that layer has a bias.
    """
    batch = theta.shape[:-1]
    layers = []
    start = 0
    for n_in, n_out, has_bias in zip(sizes[:-1], sizes[1:], biases, strict=True):
        W = theta[..., start : start + n_out * n_in].reshape(batch + (n_out, n_in))
        start += n_out * n_in
        b = None
        if has_bias:
            b = theta[..., start : start + n_out]
            start += n_out
        layers.append(Layer(W, b))
    return tuple(layers)


def activate(z: np.ndarray, activation: str) -> np.ndarray:
    """Apply an activation function elementwise (no input checks)."""
    if activation == "tanh":
        return np.tanh(z)
    if activation == "relu":
        return np.maximum(z, 0.0)
    if activation == "sigmoid":
        return expit(z)
    return z


def activation_derivatives(a: np.ndarray, activation: str, *, second: bool = False, block: Scratch | None = None):
    """Return the first (and second) derivative of an activation, from its output ``a = act(z)``.

    Every activation here has derivatives that are functions of its output:
    ``tanh' = 1 - a**2`` and ``tanh'' = -2 a tanh'``, ``sigmoid' = a (1 - a)``
    and ``sigmoid'' = sigmoid' (1 - 2 a)``, and for ReLU ``a > 0`` exactly where
    ``z > 0``. Reusing the stored output saves evaluating the activation again.
    For ReLU the derivative at 0 is taken as 0 and the second derivative is 0
    everywhere (it is a point mass at the kink, which has measure zero).

    Returns ``d1``, or ``(d1, d2)`` when ``second`` is true (new arrays, or
    for tanh arrays of the scratch ``block`` when one is given).
    """
    if activation == "tanh":
        d1 = np.multiply(a, a, out=_scratch.empty(block, a.shape))
        np.subtract(1.0, d1, out=d1)
        if second:
            d2 = np.multiply(a, d1, out=_scratch.empty(block, a.shape))
            d2 *= -2.0
    elif activation == "sigmoid":
        d1 = np.subtract(1.0, a)
        d1 *= a
        if second:
            d2 = np.multiply(a, -2.0)
            d2 += 1.0
            d2 *= d1
    elif activation == "relu":
        d1 = (a > 0).astype(a.dtype)
        d2 = np.zeros_like(a) if second else None
    else:
        d1 = np.ones_like(a)
        d2 = np.zeros_like(a) if second else None
    return (d1, d2) if second else d1


def matmul(a: np.ndarray, b: np.ndarray, block: Scratch | None = None) -> np.ndarray:
    """Return ``a @ b`` with broadcasting batch axes, in as few BLAS calls as possible.

    When one factor has no batch axes it is shared by the whole batch, and the
    product is one large matrix product instead of one small product per batch
    entry: ``A_i @ b`` stacks the ``A_i`` along the rows (when they are
    contiguous; otherwise numpy's own loop over the batch is faster than a
    copy), and ``a @ B_i`` (the first layer of many parameter sets on one data
    set) lays the ``B_i`` side by side along the columns. The result may then
    be a strided view of a new array. An inner dimension of 1 (a network with
    one output) is an outer product, done by broadcasting. With a scratch
    ``block`` the result lives in an array of that block.
    """
    if b.ndim == 2 and a.ndim > 2 and a.flags.c_contiguous:
        rows = a.reshape(-1, a.shape[-1])
        out = _scratch.empty(block, (rows.shape[0], b.shape[-1]))
        np.matmul(rows, b, out=out)
        return out.reshape(a.shape[:-1] + (b.shape[-1],))
    if a.ndim == 2 and b.ndim > 2:
        k, m = b.shape[-2:]
        out = _scratch.empty(block, (a.shape[0], int(np.prod(b.shape[:-2])) * m))
        np.matmul(a, np.moveaxis(b, -2, 0).reshape(k, -1), out=out)
        return np.moveaxis(out.reshape((a.shape[0],) + b.shape[:-2] + (m,)), 0, -2)
    shape = np.broadcast_shapes(a.shape[:-2], b.shape[:-2]) + (a.shape[-2], b.shape[-1])
    out = _scratch.empty(block, shape)
    if a.shape[-1] == 1:
        return np.multiply(a, b, out=out)
    return np.matmul(a, b, out=out)


def add_bias(z: np.ndarray, b: np.ndarray | None, *, units: bool = False) -> np.ndarray:
    """Add the bias ``b`` of shape ``(..., n_out)`` to the private array ``z``, in place when shapes allow.

    ``z`` has shape ``(..., n_samples, n_out)``, or ``(..., n_out, n_samples)``
    in the unit-major layout (``units=True``).
    """
    if b is None:
        return z
    b = b[..., None] if units else b[..., None, :]
    if np.broadcast_shapes(z.shape, b.shape) == z.shape:
        return np.add(z, b, out=z)
    return z + b


def affine(a: np.ndarray, layer: Layer, block: Scratch | None = None) -> np.ndarray:
    """Return ``a @ W.T + b`` (a new array, or one of the scratch ``block``), broadcasting over batch axes."""
    return add_bias(matmul(a, np.swapaxes(layer.W, -1, -2), block), layer.b)


def forward_pass(
    params: Params, X: np.ndarray, activation: str, *, pre_activations: bool = False, block: Scratch | None = None
) -> tuple[list, list[np.ndarray]]:
    """Return the pre-activations and the inputs of every layer (no checks).

    ``zs[l]`` is the pre-activation of weight layer ``l`` (the last one is the
    network output) and ``inputs[l]`` its input: ``X`` for ``l = 0``, then
    ``activate(zs[l - 1], activation)``. Unless ``pre_activations`` is true,
    the hidden entries of ``zs`` are ``None``: the activation is then applied
    in place, which saves one array per layer (the derivatives only need the
    activations, see :func:`activation_derivatives`). With a scratch ``block``
    the hidden pre-activations and activations live in arrays of that block
    (the output ``zs[-1]`` is always a new array).
    """
    zs, inputs = [], [X]
    for index, layer in enumerate(params):
        z = affine(inputs[-1], layer, None if index == len(params) - 1 else block)
        if index == len(params) - 1:
            zs.append(z)
        elif pre_activations:
            zs.append(z)
            inputs.append(activate(z, activation))
        else:
            zs.append(None)
            inputs.append(activate_in_place(z, activation))
    return zs, inputs


def matmul_units(W: np.ndarray, a: np.ndarray, block: Scratch | None = None) -> np.ndarray:
    """Return ``W @ a`` for batched ``W`` of shape ``(..., m, k)`` and ``a`` of shape ``(..., k, n)``.

    This is the product of the unit-major layout of :func:`forward_units`. A
    shared ``a`` without batch axes (the transposed data, or the data in the
    gradient of the first layer) makes one large matrix product of the stacked
    rows of every ``W``; otherwise numpy multiplies entry by entry (an inner
    dimension of 1 is an outer product, done by broadcasting along the rows,
    whose long axis is the samples). With a scratch ``block`` the result lives
    in an array of that block; it is always C-contiguous.
    """
    if a.ndim == 2 and W.ndim > 2:
        out = _scratch.empty(block, W.shape[:-1] + (a.shape[-1],))
        np.matmul(W.reshape(-1, W.shape[-1]), a, out=out.reshape(-1, a.shape[-1]))
        return out
    shape = np.broadcast_shapes(W.shape[:-2], a.shape[:-2]) + (W.shape[-2], a.shape[-1])
    out = _scratch.empty(block, shape)
    if W.shape[-1] == 1:
        return np.multiply(W, a, out=out)
    return np.matmul(W, a, out=out)


def forward_units(
    params: Params, X: np.ndarray, activation: str, *, block: Scratch | None = None, X_ones: np.ndarray | None = None
):
    """Forward pass in the unit-major layout: return the outputs and the inputs of every layer (no checks).

    The same computation as :func:`forward_pass` with every array transposed:
    layer ``l`` maps its input ``inputs[l]`` of shape ``(..., n_in, n_samples)``
    to ``W @ inputs[l] + b[:, None]``, and ``inputs[0]`` is the view ``X.T``.
    With many small networks (training runs, grid points) and one data set this
    layout puts the samples on the contiguous axis: biases, activations and
    outer products then run along long rows instead of many rows of a few units,
    and the first layer of every network is one matrix product with ``X.T``.
    The output ``(..., n_out, n_samples)`` is a new array; the hidden
    activations are arrays of the scratch ``block`` when one is given.
    With ``X_ones = with_ones(X)`` given (by callers that evaluate many
    networks on the same data), a first layer with biases takes them as one
    more column of its weights, against the row of ones, so that the first
    layer of a whole batch is a single matrix product.
    """
    inputs = [X.T]
    for index, layer in enumerate(params):
        last = index == len(params) - 1
        if index == 0 and layer.b is not None and X_ones is not None:
            batch = np.broadcast_shapes(layer.W.shape[:-2], layer.b.shape[:-1])
            rows = np.empty(batch + (layer.W.shape[-2], layer.W.shape[-1] + 1))
            rows[..., :-1] = layer.W
            rows[..., -1] = layer.b
            z = matmul_units(rows, X_ones, None if last else block)
        else:
            z = matmul_units(layer.W, inputs[-1], None if last else block)
            z = add_bias(z, layer.b, units=True)
        inputs.append(z if last else activate_in_place(z, activation))
    return inputs.pop(), inputs


def with_ones(X: np.ndarray) -> np.ndarray:
    """Return ``X.T`` with a row of ones below it: shape ``(n_in + 1, n_samples)``, C-contiguous."""
    out = np.empty((X.shape[1] + 1, X.shape[0]))
    out[:-1] = X.T
    out[-1] = 1.0
    return out


def activate_in_place(z: np.ndarray, activation: str) -> np.ndarray:
    """Apply an activation to the private array ``z``, overwriting it."""
    if activation == "tanh":
        return np.tanh(z, out=z)
    if activation == "relu":
        return np.maximum(z, 0.0, out=z)
    if activation == "sigmoid":
        return expit(z, out=z)
    return z


def forward(params, X, activation: str = "tanh") -> np.ndarray:
    """Compute the outputs of an MLP.

    Parameters
    ----------
    params : sequence of (W, b) pairs
        Network parameters in the layout of this module, optionally with
        leading batch axes.
    X : array_like of shape (n_samples, n_in)
        Inputs, one row per sample.
    activation : {"tanh", "relu", "sigmoid", "identity"}
        Activation of the hidden layers. The output layer is linear.

    Returns
    -------
    outputs : ndarray of shape (..., n_samples, n_out)
        The network outputs (logits), with the batch axes of ``params`` first.

    Raises
    ------
    ValueError
        If ``X`` does not have ``n_in`` columns, or on an unknown activation.

    Examples
    --------
    >>> params = init_params([2, 3, 1], rng=0)
    >>> forward(params, np.zeros((5, 2))).shape
    (5, 1)

    A batch of 10 parameter sets is evaluated in one call:

    >>> theta = np.random.default_rng(0).normal(size=(10, n_params([2, 3, 1])))
    >>> forward(unflatten(theta, [2, 3, 1]), np.zeros((5, 2))).shape
    (10, 5, 1)
    """
    params = as_params(params)
    activation = _checks.check_activation(activation)
    X = _checks.check_inputs(X, params[0].W.shape[-1])
    return forward_pass(params, X, activation)[0][-1]
