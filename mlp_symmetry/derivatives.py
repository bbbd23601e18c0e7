"""Exact gradients and Hessians of the loss, by backpropagation.

:func:`loss_and_gradient` is reverse-mode differentiation (backprop).
:func:`hessian_vector_product` is Pearlmutter's R-operator: a forward pass of
directional derivatives followed by a backward pass of their derivatives, so
``H @ v`` costs about two gradients and involves no finite difference.
:func:`hessian` assembles the dense Hessian from the products with the unit
vectors, many columns per vectorised call.
"""

from __future__ import annotations

import numpy as np

from . import _checks
from ._fast.pool import scratch
from .losses import _scalar_or_array, output_hessian_product, output_terms, prepare
from .network import (
    Layer,
    activation_derivatives,
    batch_shape,
    flatten,
    forward_pass,
    forward_units,
    matmul,
    matmul_units,
    split_flat,
    with_ones,
)


def loss_and_gradient(params, X, y, activation: str = "tanh", loss: str = "mse"):
    """Evaluate the loss and its gradient with respect to every parameter.

    Parameters
    ----------
    params : sequence of (W, b) pairs
        Network parameters, optionally with leading batch axes (for example
        many training runs at once).
    X : array_like of shape (n_samples, n_in)
        Inputs.
    y : array_like
        Targets, as for :func:`~mlp_symmetry.loss`.
    activation : {"tanh", "relu", "sigmoid", "identity"}
        Activation of the hidden layers.
    loss : {"mse", "sigmoid_mse", "binary_cross_entropy", "softmax_cross_entropy"}
        Loss on the outputs.

    Returns
    -------
    value : float or ndarray
        The loss, an array of the batch shape when ``params`` is batched.
    gradient : tuple of Layer
        ``dL/dW`` and ``dL/db`` in the layout of ``params`` (``None`` where a
        layer has no bias); :func:`~mlp_symmetry.flatten` gives one vector.

    Raises
    ------
    ValueError
        On shapes that do not fit, labels out of range or an unknown name.

    See Also
    --------
    hessian_vector_product, hessian

    Examples
    --------
    The gradient agrees with a central finite difference:

    >>> from mlp_symmetry import init_params, flatten, unflatten, loss
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.normal(size=(20, 3)), rng.normal(size=20)
    >>> params = init_params([3, 4, 1], rng=0)
    >>> value, grad = loss_and_gradient(params, X, y)
    >>> theta, e, h = flatten(params), np.eye(21)[5], 1e-6
    >>> fd = (loss(unflatten(theta + h * e, [3, 4, 1]), X, y)
    ...       - loss(unflatten(theta - h * e, [3, 4, 1]), X, y)) / (2 * h)
    >>> bool(abs(fd - flatten(grad)[5]) < 1e-8)
    True
    """
    params, X, targets, activation, loss = prepare(params, X, y, activation, loss)
    value, grads = _loss_and_gradient(params, X, targets, activation, loss)
    return _scalar_or_array(value), grads


def _loss_and_gradient(params, X, targets, activation, loss, X_ones=None):
    """Backpropagation for validated inputs: the loss array and the gradient layers.

    The passes run in the unit-major layout of :func:`~mlp_symmetry.network.forward_units`
    (arrays of shape ``(..., n_units, n_samples)``). Two savings keep the
    number of passes over the hidden values low for batches of small networks:

    * Below a layer with one output unit, ``W.T @ g`` is an outer product, so
      the back-propagated error is kept as ``slope * g`` with the factor
      ``W.T`` still owed, row by row; it is applied to the small ``dW`` and
      ``db`` of the layer below and folded into that layer's weights on the
      way down, and never to the large array itself.
    * The first layer of a batch of networks with biases gets ``dW`` and ``db``
      from one matrix product with ``[X, 1]`` (``X_ones``, the transposed
      data with a row of ones, made here for batched parameters when not given).
    """
    if X_ones is None and params[0].W.ndim > 2:
        X_ones = with_ones(X)
    fold = X_ones is not None and params[0].b is not None
    with scratch() as block:
        z, inputs = forward_units(params, X, activation, block=block, X_ones=X_ones)
        terms = output_terms(np.swapaxes(z, -1, -2), targets, loss)
        g = np.swapaxes(terms.grad, -1, -2)
        owed = None  # factor (..., units, 1) by which g must still be multiplied
        grads = []
        for index in range(len(params) - 1, -1, -1):
            layer = params[index]
            if index == 0 and fold:
                both = matmul_units(g, np.swapaxes(X_ones, -1, -2))
                dW, db = both[..., :-1], both[..., -1]
            else:
                dW = matmul_units(g, np.swapaxes(inputs[index], -1, -2))
                db = g.sum(axis=-1) if layer.b is not None else None
            if owed is not None:
                dW = dW * owed
                db = None if db is None else db * owed[..., 0]
            grads.append(Layer(dW, db))
            if index > 0:
                W = layer.W if owed is None else layer.W * owed
                # inputs[index] is a private activation, no longer needed: overwrite it with act'(z).
                slope = _slope_in_place(inputs[index], activation)
                Wt = np.swapaxes(W, -1, -2)
                if Wt.shape[-1] == 1 and np.broadcast_shapes(slope.shape, g.shape, Wt.shape) == slope.shape:
                    g, owed = np.multiply(slope, g, out=slope), Wt
                else:
                    g, owed = _combine(matmul_units(Wt, g, block), slope, np.multiply), None
    return terms.value, tuple(reversed(grads))


def _slope_in_place(a: np.ndarray, activation: str) -> np.ndarray:
    """Overwrite the private activation ``a = act(z)`` with ``act'(z)`` (see :func:`activation_derivatives`)."""
    if activation == "tanh":
        np.multiply(a, a, out=a)
        return np.subtract(1.0, a, out=a)
    if activation == "sigmoid":
        return np.multiply(a, np.subtract(1.0, a), out=a)
    if activation == "relu":
        return np.greater(a, 0.0, out=a)
    return activation_derivatives(a, activation)


def _combine(x: np.ndarray, y: np.ndarray, op) -> np.ndarray:
    """Return ``op(x, y)``, written into the private array ``x`` when the broadcast shape allows."""
    if np.broadcast_shapes(x.shape, y.shape) == x.shape:
        return op(x, y, out=x)
    return op(x, y)


def _product(x: np.ndarray, y: np.ndarray, block) -> np.ndarray:
    """Return ``x * y`` in an array of the scratch ``block``."""
    return np.multiply(x, y, out=block.empty(np.broadcast_shapes(x.shape, y.shape)))


def _hvp(params, X, targets, activation, loss, V):
    """R-operator: ``H v`` as layers, for validated inputs and layered ``V``."""
    with scratch() as block:
        zs, inputs = forward_pass(params, X, activation, block=block)
        derivs = [activation_derivatives(a, activation, second=True, block=block) for a in inputs[1:]]
        # Forward pass of directional derivatives: Rz_l = Ra_{l-1} W^T + a_{l-1} V^T + Vb.
        r_inputs = [None]
        r_zs = []
        for index, (layer, v) in enumerate(zip(params, V, strict=True)):
            rz = matmul(inputs[index], np.swapaxes(v.W, -1, -2), block)
            if r_inputs[index] is not None:
                rz = _combine(rz, matmul(r_inputs[index], np.swapaxes(layer.W, -1, -2), block), np.add)
            if v.b is not None:
                rz = _combine(rz, v.b[..., None, :], np.add)
            r_zs.append(rz)
            if index < len(params) - 1:
                r_inputs.append(_product(derivs[index][0], rz, block))
        # Backward pass of the gradient g and its directional derivative Rg.
        terms = output_terms(zs[-1], targets, loss, curvature=True)
        g = terms.grad
        rg = output_hessian_product(terms, r_zs[-1], loss)
        out = []
        for index in range(len(params) - 1, -1, -1):
            layer, v = params[index], V[index]
            r_dW = matmul(np.swapaxes(rg, -1, -2), inputs[index])
            if r_inputs[index] is not None:
                r_dW = _combine(r_dW, matmul(np.swapaxes(g, -1, -2), r_inputs[index], block), np.add)
            r_db = rg.sum(axis=-2) if layer.b is not None else None
            out.append(Layer(r_dW, r_db))
            if index > 0:
                back = matmul(g, layer.W, block)
                d1, d2 = derivs[index - 1]
                # Rg = (Rg W + g V) * act'(z) + (g W) * act''(z) * Rz.
                curvature = _combine(_product(back, d2, block), r_zs[index - 1], np.multiply)
                rg = _combine(_combine(matmul(rg, layer.W, block), matmul(g, v.W, block), np.add), d1, np.multiply)
                rg = _combine(rg, curvature, np.add)
                g = _combine(back, d1, np.multiply)
    return tuple(reversed(out))


def _structure(params):
    sizes = (params[0].W.shape[-1],) + tuple(layer.W.shape[-2] for layer in params)
    biases = [layer.b is not None for layer in params]
    return sizes, biases


def hessian_vector_product(params, X, y, v, activation: str = "tanh", loss: str = "mse") -> np.ndarray:
    """Multiply the exact Hessian of the loss by a vector, without forming it.

    Parameters
    ----------
    params : sequence of (W, b) pairs
        Network parameters, optionally with leading batch axes.
    X : array_like of shape (n_samples, n_in)
        Inputs.
    y : array_like
        Targets, as for :func:`~mlp_symmetry.loss`.
    v : array_like of shape (..., n_params)
        Direction(s) in the flat order of :func:`~mlp_symmetry.flatten`; leading
        axes broadcast against those of ``params``.
    activation, loss : str
        As for :func:`loss_and_gradient`.

    Returns
    -------
    Hv : ndarray of shape (..., n_params)

    Raises
    ------
    ValueError
        If ``v`` does not have ``n_params`` entries on its last axis, or as for
        :func:`loss_and_gradient`.

    See Also
    --------
    hessian

    Examples
    --------
    >>> from mlp_symmetry import init_params
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.normal(size=(30, 2)), rng.normal(size=30)
    >>> params = init_params([2, 3, 1], rng=0)
    >>> v = rng.normal(size=13)
    >>> H = hessian(params, X, y)
    >>> bool(np.allclose(hessian_vector_product(params, X, y, v), H @ v, rtol=1e-12, atol=1e-14))
    True
    """
    params, X, targets, activation, loss = prepare(params, X, y, activation, loss)
    sizes, biases = _structure(params)
    n = sum(o * i + (o if has_b else 0) for i, o, has_b in zip(sizes[:-1], sizes[1:], biases, strict=True))
    v = _checks.as_float_array(v, "v", ndim_min=1)
    if v.shape[-1] != n:
        raise ValueError(f"v must have {n} entries on its last axis (the number of parameters); got shape {v.shape}")
    try:
        np.broadcast_shapes(v.shape[:-1], batch_shape(params))
    except ValueError:
        raise ValueError(
            f"the leading axes of v must broadcast against the batch shape {batch_shape(params)} of params; "
            f"got v of shape {v.shape}"
        ) from None
    return flatten(_hvp(params, X, targets, activation, loss, split_flat(v, sizes, biases)))


def hessian(params, X, y, activation: str = "tanh", loss: str = "mse", *, chunk_size: int | None = None) -> np.ndarray:
    """Compute the exact Hessian of the loss with respect to the flat parameters.

    Column ``j`` is the Hessian-vector product with the ``j``-th unit vector
    (Pearlmutter's R-operator); blocks of columns are evaluated in one
    vectorised call.

    Parameters
    ----------
    params : sequence of (W, b) pairs
        Parameters of one network (no batch axes).
    X : array_like of shape (n_samples, n_in)
        Inputs.
    y : array_like
        Targets, as for :func:`~mlp_symmetry.loss`.
    activation, loss : str
        As for :func:`loss_and_gradient`.
    chunk_size : int, optional
        Number of columns per vectorised call; by default chosen so that the
        intermediate arrays hold about 2 million numbers.

    Returns
    -------
    H : ndarray of shape (n_params, n_params)
        Symmetric to rounding, in the order of :func:`~mlp_symmetry.flatten`.

    Raises
    ------
    ValueError
        If ``params`` carries batch axes, or as for :func:`loss_and_gradient`.

    Examples
    --------
    Linear regression, a network without hidden layers, has the Hessian
    ``2/N X^T X``:

    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.normal(size=(50, 3)), rng.normal(size=50)
    >>> H = hessian([(np.zeros((1, 3)), None)], X, y, loss="mse")
    >>> bool(np.allclose(H, 2 / 50 * X.T @ X))
    True
    """
    params, X, targets, activation, loss = prepare(params, X, y, activation, loss)
    if batch_shape(params) != ():
        raise ValueError(f"params must describe one network for hessian; got batch shape {batch_shape(params)}")
    sizes, biases = _structure(params)
    n = flatten(params).shape[-1]
    if chunk_size is None:
        per_column = X.shape[0] * sum(sizes[1:]) * 4 + n
        chunk_size = max(1, min(n, 2_000_000 // per_column))
    else:
        chunk_size = _checks.check_int(chunk_size, "chunk_size", minimum=1)
    H = np.empty((n, n))
    for start in range(0, n, chunk_size):
        stop = min(n, start + chunk_size)
        E = np.zeros((stop - start, n))
        E[np.arange(stop - start), np.arange(start, stop)] = 1.0
        H[start:stop] = flatten(_hvp(params, X, targets, activation, loss, split_flat(E, sizes, biases)))
    return H
