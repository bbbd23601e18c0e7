"""The two array layouts of the fast kernels, and their BLAS-friendly products.

*Row layout* (as in :func:`~mlp_symmetry.forward`): a layer's values have shape ``(..., n_samples, n_units)``.
*Unit-major layout*: ``(..., n_units, n_samples)``, the long samples axis contiguous; with many small networks and
one data set it lets biases, activations and outer products sweep long rows, and makes the first layer of every
network one product with ``X.T``. Every function takes an optional scratch ``block`` (:mod:`.pool`); the arrays it
returns from a block are private to the calling kernel.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

from ..network import ACTIVATIONS
from .pool import Scratch, empty


def matmul(a: np.ndarray, b: np.ndarray, block: Scratch | None = None) -> np.ndarray:
    """Return ``a @ b`` with broadcasting batch axes, in as few BLAS calls as possible.

    A factor without batch axes is shared: ``A_i @ b`` stacks the contiguous ``A_i`` along the rows, and ``a @ B_i``
    (the first layer of many parameter sets) lays the ``B_i`` side by side along the columns, one large product each
    (the result may then be a strided view). An inner dimension of 1 is an outer product, done by broadcasting.
    """
    if b.ndim == 2 and a.ndim > 2 and a.flags.c_contiguous:
        out = empty(block, (a.size // a.shape[-1], b.shape[-1]))
        np.matmul(a.reshape(-1, a.shape[-1]), b, out=out)
        return out.reshape(a.shape[:-1] + (b.shape[-1],))
    if a.ndim == 2 and b.ndim > 2:
        k, m = b.shape[-2:]
        out = empty(block, (a.shape[0], int(np.prod(b.shape[:-2])) * m))
        np.matmul(a, np.moveaxis(b, -2, 0).reshape(k, -1), out=out)
        return np.moveaxis(out.reshape((a.shape[0],) + b.shape[:-2] + (m,)), 0, -2)
    out = empty(block, np.broadcast_shapes(a.shape[:-2], b.shape[:-2]) + (a.shape[-2], b.shape[-1]))
    return np.multiply(a, b, out=out) if a.shape[-1] == 1 else np.matmul(a, b, out=out)


def matmul_units(W: np.ndarray, a: np.ndarray, block: Scratch | None = None) -> np.ndarray:
    """Return ``W @ a`` in the unit-major layout, C-contiguous; a shared ``a`` (the data) takes one product."""
    if a.ndim == 2 and W.ndim > 2:
        out = empty(block, W.shape[:-1] + (a.shape[-1],))
        np.matmul(W.reshape(-1, W.shape[-1]), a, out=out.reshape(-1, a.shape[-1]))
        return out
    out = empty(block, np.broadcast_shapes(W.shape[:-2], a.shape[:-2]) + (W.shape[-2], a.shape[-1]))
    return np.multiply(W, a, out=out) if W.shape[-1] == 1 else np.matmul(W, a, out=out)


def add_bias(z: np.ndarray, b: np.ndarray | None, *, units: bool = False) -> np.ndarray:
    """Add ``b`` of shape ``(..., n_out)`` to the private ``z``, in place when the shapes allow."""
    if b is None:
        return z
    b = b[..., None] if units else b[..., None, :]
    return np.add(z, b, out=z) if np.broadcast_shapes(z.shape, b.shape) == z.shape else z + b


def combine(x: np.ndarray, y: np.ndarray, op) -> np.ndarray:
    """``op(x, y)``, written into the private ``x`` when the broadcast shape allows."""
    return op(x, y, out=x) if np.broadcast_shapes(x.shape, y.shape) == x.shape else op(x, y)


def tanh_in_place(z: np.ndarray, block: Scratch | None = None) -> np.ndarray:
    """Overwrite the private ``z`` with ``tanh(z) = 2 / (1 + exp(-2 z)) - 1``; the absolute error is a few 1e-16.

    Where numpy's own ``tanh`` of float64 is a scalar loop (CPUs without AVX-512) this is faster: one ``exp`` and cheap
    passes. Where ``exp`` overflows (``z < -354``), ``2 / (1 + inf) - 1`` is the correct -1; numpy warns of nothing.
    """
    with np.errstate(over="ignore", under="ignore"):
        e = np.multiply(z, -2.0, out=empty(block, z.shape))
        np.exp(e, out=e)
    e += 1.0
    np.divide(2.0, e, out=e)
    return np.subtract(e, 1.0, out=z)


def activate_in_place(z: np.ndarray, activation: str, block: Scratch | None = None) -> np.ndarray:
    """Overwrite the private ``z`` with ``act(z)``."""
    if activation == "tanh":
        return tanh_in_place(z, block)
    if activation == "relu":
        return np.maximum(z, 0.0, out=z)
    return expit(z, out=z) if activation == "sigmoid" else z


def slope_in_place(a: np.ndarray, activation: str) -> np.ndarray:
    """Overwrite the private activation ``a = act(z)`` with ``act'(z)`` (the formulas of ``ACTIVATIONS``)."""
    if activation == "tanh":
        np.multiply(a, a, out=a)
        return np.subtract(1.0, a, out=a)
    if activation == "sigmoid":
        return np.multiply(a, np.subtract(1.0, a), out=a)
    if activation == "relu":
        return np.greater(a, 0.0, out=a)
    return np.ones_like(a)


def slopes(a: np.ndarray, activation: str, block: Scratch) -> tuple[np.ndarray, np.ndarray]:
    """``act'(z)`` and ``act''(z)`` from ``a = act(z)``; for tanh, arrays of the scratch ``block``."""
    if activation != "tanh":
        return ACTIVATIONS[activation][1](a), ACTIVATIONS[activation][2](a)
    d1 = np.multiply(a, a, out=block.empty(a.shape))
    np.subtract(1.0, d1, out=d1)
    d2 = np.multiply(a, d1, out=block.empty(a.shape))
    d2 *= -2.0
    return d1, d2


def forward_rows(params, X: np.ndarray, activation: str, block: Scratch | None = None):
    """Row layout: the output (a new array) and the input of every layer (hidden ones in ``block``)."""
    inputs = [X]
    for index, layer in enumerate(params):
        last = index == len(params) - 1
        z = add_bias(matmul(inputs[-1], np.swapaxes(layer.W, -1, -2), None if last else block), layer.b)
        inputs.append(z if last else activate_in_place(z, activation, block))
    return inputs.pop(), inputs


def with_ones(X: np.ndarray) -> np.ndarray:
    """``X.T`` with a row of ones below it: shape ``(n_in + 1, n_samples)``, C-contiguous."""
    out = np.empty((X.shape[1] + 1, X.shape[0]))
    out[:-1] = X.T
    out[-1] = 1.0
    return out


def forward_units(params, X: np.ndarray, activation: str, block: Scratch | None = None, X_ones=None):
    """Unit-major layout: the output ``(..., n_out, n_samples)`` and each layer's input, the first the view ``X.T``.

    With ``X_ones = with_ones(X)`` a first layer with biases takes them as one more column of its weights: the first
    layer of a whole batch is then one matrix product.
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
            z = add_bias(matmul_units(layer.W, inputs[-1], None if last else block), layer.b, units=True)
        inputs.append(z if last else activate_in_place(z, activation, block))
    return inputs.pop(), inputs
