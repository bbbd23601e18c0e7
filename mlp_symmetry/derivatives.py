"""Exact gradients and Hessians of the loss, by backpropagation.

:func:`loss_and_gradient` is reverse-mode differentiation (backprop). :func:`hessian_vector_product` is Pearlmutter's
R-operator: a forward pass of directional derivatives, then a backward pass of their derivatives, so ``H @ v`` costs
about two gradients and involves no finite difference. :func:`hessian` stacks the products with the unit vectors. Both
recursions are written here in plain numpy, the way one derives them; the fast kernels of ``mlp_symmetry._fast`` run
them for large problems and are tested against these to 1e-12.
"""

from __future__ import annotations

import numpy as np

from . import _checks, _fast
from .losses import output_hessian_product, output_terms
from .network import ACTIVATIONS, Layer, batch_shape, flatten, split_flat, structure


@_checks.overflow_raises
def loss_and_gradient(params, X, y, activation: str = "tanh", loss: str = "mse"):
    """Evaluate the loss and its gradient with respect to every parameter, by backpropagation.

    Arguments as for :func:`~mlp_symmetry.loss` (``params`` optionally batched, for example many training runs). From 64
    KiB of hidden values on, one call of the fast kernel ``mlp_symmetry._fast.loss_and_gradient`` runs the recursion.

    Returns
    -------
    value : float or ndarray
        The loss, of the batch shape of ``params``.
    gradient : Params
        ``dL/dW`` and ``dL/db`` in the layout of ``params``; :func:`~mlp_symmetry.flatten` gives one vector.

    Examples
    --------
    The gradient agrees with a central finite difference:

    >>> from mlp_symmetry import flatten, init_params, loss, unflatten
    >>> X, y = np.random.default_rng(0).normal(size=(20, 3)), np.ones(20)
    >>> params, e = init_params([3, 4, 1], rng=0), 1e-6 * np.eye(21)[5]
    >>> at = lambda theta: loss(unflatten(theta, [3, 4, 1]), X, y)
    >>> fd = (at(flatten(params) + e) - at(flatten(params) - e)) / 2e-6
    >>> bool(abs(fd - flatten(loss_and_gradient(params, X, y)[1])[5]) < 1e-8)
    True
    """
    params, X, targets, activation, loss = _checks.check_problem(params, X, y, activation, loss)
    if _fast.pays_off(params, X):
        return _finite(*_fast.loss_and_gradient(params, X, targets, activation, loss))
    act, d_act, _ = ACTIVATIONS[activation]
    inputs = [X]  # the input of every layer: X, then the hidden activations
    for W, b in params[:-1]:
        inputs.append(act(inputs[-1] @ W.mT + (0.0 if b is None else b[..., None, :])))
    W, b = params[-1]
    terms = output_terms(inputs[-1] @ W.mT + (0.0 if b is None else b[..., None, :]), targets, loss)
    g, grads = terms.grad, []  # g = dL/dz at the output, one row per sample
    for index in reversed(range(len(params))):
        W, b = params[index]
        # z = a_in W^T + b, so dL/dW = g^T a_in (the product sums over samples) and dL/db = sum of g.
        grads.insert(0, Layer(g.mT @ inputs[index], None if b is None else g.sum(axis=-2)))
        if index > 0:
            # dL/da_in = g W, and a_in = act(z) of the layer below: its g is (g W) * act'(z).
            g = (g @ W) * d_act(inputs[index])
    return _finite(terms.value, tuple(grads))


def _finite(value, grads):
    """Return the loss (a float for one network) and its gradient, or raise if they overflowed."""
    grads = _checks.check_finite_result(grads, "params, X and y")
    return _checks.scalar_or_array(_checks.check_finite_result(value, "params, X and y")), grads


@_checks.overflow_raises
def hessian_vector_product(params, X, y, v, activation: str = "tanh", loss: str = "mse") -> np.ndarray:
    """Multiply the exact Hessian of the loss by directions ``v``, without forming it (Pearlmutter's R-operator).

    ``v`` has shape ``(..., n_params)``, in the order of :func:`~mlp_symmetry.flatten`, its leading axes broadcasting
    with those of ``params``; the other arguments are as for :func:`~mlp_symmetry.loss`. Returns ``H v``, of the
    broadcast shape. From 64 KiB of hidden values on, the fast kernel ``mlp_symmetry._fast.hessian_vector_products``
    runs the R-operator.

    Examples
    --------
    >>> from mlp_symmetry import init_params
    >>> rng = np.random.default_rng(0)
    >>> X, y, v = rng.normal(size=(30, 2)), rng.normal(size=30), rng.normal(size=13)
    >>> params = init_params([2, 3, 1], rng=0)
    >>> bool(np.allclose(hessian_vector_product(params, X, y, v), hessian(params, X, y) @ v, rtol=1e-12, atol=1e-14))
    True
    """
    params, X, targets, activation, loss = _checks.check_problem(params, X, y, activation, loss)
    shape = structure(params)
    V = split_flat(_checks.check_directions(v, shape.n_params, batch_shape(params)), *shape)
    if _fast.pays_off(params, X):
        return _flat_finite(_fast.hessian_vector_products(params, X, targets, activation, loss, V))
    _, d1, d2 = ACTIVATIONS[activation]
    inputs, r_inputs, r_zs, z = _r_forward(params, V, X, activation)
    terms = output_terms(z, targets, loss, curvature=True)
    # At the output, g = dL/dz and R{g} = (d2L/dz2) R{z}.
    g, rg, out = terms.grad, output_hessian_product(terms, r_zs[-1], loss), []
    for index in reversed(range(len(params))):
        (W, b), a, ra = params[index], inputs[index], r_inputs[index]
        # dW = g^T a, so R{dW} = R{g}^T a + g^T R{a}; R{db} = the sum of R{g} over samples.
        out.insert(0, Layer(rg.mT @ a + g.mT @ ra, None if b is None else rg.sum(axis=-2)))
        if index > 0:
            # The layer below has g = (g W) * act'(z), so R{g} = (R{g} W + g V_W) * act'(z) + (g W) * act''(z) R{z}.
            rg = (rg @ W + g @ V[index].W) * d1(a) + (g @ W) * d2(a) * r_zs[index - 1]
            g = (g @ W) * d1(a)
    return _flat_finite(tuple(out))


def _flat_finite(layers, culprits: str = "params, X, y and v"):
    """Return the flat vector of ``H v`` given in layers, or raise if it overflowed."""
    return flatten(_checks.check_finite_result(layers, culprits))


def _r_forward(params, V, X, activation):
    """Differentiate the forward pass along ``V``: ``a``, ``R{a}`` and ``R{z}`` of each layer, and the output ``z``."""
    act, d1, _ = ACTIVATIONS[activation]
    a, ra = X, np.zeros_like(X)  # the data do not move: R{X} = 0
    inputs, r_inputs, r_zs = [], [], []
    for index, ((W, b), (VW, Vb)) in enumerate(zip(params, V, strict=True)):
        inputs.append(a)
        r_inputs.append(ra)
        z = a @ W.mT + (0.0 if b is None else b[..., None, :])
        # z = a W^T + b, so R{z} = R{a} W^T + a V_W^T + V_b.
        r_zs.append(ra @ W.mT + a @ VW.mT + (0.0 if Vb is None else Vb[..., None, :]))
        if index < len(params) - 1:
            # a = act(z), so R{a} = act'(z) R{z}.
            a = act(z)
            ra = d1(a) * r_zs[-1]
    return inputs, r_inputs, r_zs, z


@_checks.overflow_raises
def hessian(params, X, y, activation: str = "tanh", loss: str = "mse", *, chunk_size: int | None = None) -> np.ndarray:
    """Compute the exact Hessian of the loss of one network, column ``j`` the product with the ``j``-th unit vector.

    Blocks of ``chunk_size`` columns (by default about 2 million intermediate numbers) are each one call of the fast
    kernel ``mlp_symmetry._fast.hessian_vector_products``; networks of more than 10,000 parameters are refused (use
    :func:`hessian_vector_product`). Arguments as for :func:`~mlp_symmetry.loss`; the result is symmetric to rounding,
    in the order of :func:`~mlp_symmetry.flatten`.

    Examples
    --------
    Linear regression (no hidden layer) has the Hessian ``2/N X^T X``:

    >>> X, y = np.random.default_rng(0).normal(size=(50, 3)), np.ones(50)
    >>> bool(np.allclose(hessian([(np.zeros((1, 3)), None)], X, y), 2 / 50 * X.T @ X))
    True
    """
    params, X, targets, activation, loss = _checks.check_problem(params, X, y, activation, loss)
    shape = structure(_checks.check_one_network(params, purpose=" for hessian"))
    n = _checks.check_hessian_size(shape.n_params, "params")
    if chunk_size is None:
        chunk_size = max(1, min(n, 2_000_000 // (X.shape[0] * sum(shape.sizes[1:]) * 4 + n)))
    chunk_size = _checks.check_int(chunk_size, "chunk_size", minimum=1)
    H = np.empty((n, n))
    for start in range(0, n, chunk_size):
        # Column j of H is H e_j: a chunk of unit vectors at once, in the fast R-operator.
        E = np.eye(min(chunk_size, n - start), n, k=start)
        H[start : start + E.shape[0]] = _flat_finite(
            _fast.hessian_vector_products(params, X, targets, activation, loss, split_flat(E, *shape)),
            "params, X and y",
        )
    return H
