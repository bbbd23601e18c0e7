"""Batched kernels for the bulk drivers: gradients, Hessian-vector products, losses of many points."""

from __future__ import annotations

from contextlib import contextmanager, nullcontext

import numpy as np

from .._checks import batch_of
from ..losses import output_hessian_product, output_terms
from ..network import Layer, split_flat
from . import blas, blocks
from .layers import combine, forward_rows, forward_units, matmul, matmul_units, slope_in_place, slopes, with_ones
from .pool import scratch

MIN_BYTES = 2**16
"""Hidden values (bytes, over the whole batch) from which a single call pays for the fast kernels."""

MEMORY_BUDGET = 200_000_000
"""Bytes that the intermediate arrays of one chunk of a batched loss may use."""


def pays_off(params, X: np.ndarray) -> bool:
    """Whether the fast kernels beat the plain numpy reference: from :data:`MIN_BYTES` of hidden values on."""
    return 8 * int(np.prod(batch_of(params))) * X.shape[0] * max(W.shape[-2] for W, _ in params) >= MIN_BYTES


def loss_and_gradient(params, X, targets, activation, loss, X_ones=None, sample_weights=None):
    """Backpropagate in the unit-major layout, as :func:`mlp_symmetry.loss_and_gradient`: loss and gradient layers.

    With ``sample_weights`` (batch shape + ``(n_samples,)``), the gradient is that of the weighted mean of the
    per-sample losses (the loss returned stays the plain mean): weights ``n / b`` on ``b`` samples and 0 elsewhere give
    the minibatch gradient of those samples.

    Below a layer with one output unit, ``W.T @ g`` is an outer product, so the error is kept as ``slope * g`` with the
    factor ``W.T`` still *owed*, applied to the small ``dW`` and ``db`` of the layer below and to its weights. A batch
    of first layers with biases gets ``dW`` and ``db`` from one product with ``[X, 1]`` (``X_ones``).
    """
    if X_ones is None and params[0].W.ndim > 2:
        X_ones = with_ones(X)
    fold = X_ones is not None and params[0].b is not None
    with scratch() as block:
        z, inputs = forward_units(params, X, activation, block, X_ones)
        terms = output_terms(np.swapaxes(z, -1, -2), targets, loss)
        g = np.swapaxes(terms.grad, -1, -2)
        if sample_weights is not None:
            g = g * sample_weights[..., None, :]
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
                slope = slope_in_place(inputs[index], activation)
                Wt = np.swapaxes(W, -1, -2)
                if Wt.shape[-1] == 1 and np.broadcast_shapes(slope.shape, g.shape, Wt.shape) == slope.shape:
                    g, owed = np.multiply(slope, g, out=slope), Wt
                else:
                    g, owed = combine(matmul_units(Wt, g, block), slope, np.multiply), None
    return terms.value, tuple(reversed(grads))


def _product(x: np.ndarray, y: np.ndarray, block) -> np.ndarray:
    """Return ``x * y`` in an array of the scratch ``block``."""
    return np.multiply(x, y, out=block.empty(np.broadcast_shapes(x.shape, y.shape)))


def hessian_vector_products(params, X, targets, activation, loss, V):
    """Apply the R-operator of :func:`mlp_symmetry.hessian_vector_product` to directions ``V``, in the row layout."""
    with scratch() as block:
        z, inputs = forward_rows(params, X, activation, block)
        derivs = [slopes(a, activation, block) for a in inputs[1:]]
        # Rz_l = Ra_{l-1} W^T + a_{l-1} V^T + Vb.
        r_inputs, r_zs = [None], []
        for index, (layer, v) in enumerate(zip(params, V, strict=True)):
            rz = matmul(inputs[index], np.swapaxes(v.W, -1, -2), block)
            if r_inputs[index] is not None:
                rz = combine(rz, matmul(r_inputs[index], np.swapaxes(layer.W, -1, -2), block), np.add)
            if v.b is not None:
                rz = combine(rz, v.b[..., None, :], np.add)
            r_zs.append(rz)
            if index < len(params) - 1:
                r_inputs.append(_product(derivs[index][0], rz, block))
        terms = output_terms(z, targets, loss, curvature=True)
        g, rg = terms.grad, output_hessian_product(terms, r_zs[-1], loss)
        out = []
        for index in range(len(params) - 1, -1, -1):
            layer, v = params[index], V[index]
            r_dW = matmul(np.swapaxes(rg, -1, -2), inputs[index])
            if r_inputs[index] is not None:
                r_dW = combine(r_dW, matmul(np.swapaxes(g, -1, -2), r_inputs[index], block), np.add)
            out.append(Layer(r_dW, rg.sum(axis=-2) if layer.b is not None else None))
            if index > 0:
                back = matmul(g, layer.W, block)
                d1, d2 = derivs[index - 1]
                # Rg = (Rg W + g V) * act'(z) + (g W) * act''(z) * Rz.
                curvature = combine(_product(back, d2, block), r_zs[index - 1], np.multiply)
                rg = combine(combine(matmul(rg, layer.W, block), matmul(g, v.W, block), np.add), d1, np.multiply)
                rg = combine(rg, curvature, np.add)
                g = combine(back, d1, np.multiply)
    return tuple(reversed(out))


def batch_losses(make_points, n_points, structure, X, targets, activation, loss, chunk_size=None) -> np.ndarray:
    """Evaluate the loss at ``n_points`` flat points, made chunk by chunk by ``make_points(start, stop)``.

    By default chunks fit the CPU cache (:mod:`.blocks`) and :data:`MEMORY_BUDGET`; small networks run in the unit-major
    layout on several threads, large ones in the row layout (a little faster in OpenBLAS), one chunk per CPU with
    single-threaded products where :mod:`.blas` can set them, else one chunk at a time.
    """
    point_bytes = 8 * X.shape[0] * max(structure.sizes[1:])
    if chunk_size is None:
        # Per point: the flat parameters and their split copy, and four arrays per layer and sample.
        per_point = 8 * (2 * structure.n_params + 4 * X.shape[0] * sum(structure.sizes[1:]))
        chunks = blocks.ranges(n_points, point_bytes, max(1, MEMORY_BUDGET // per_point))
    else:
        chunks = [(start, min(n_points, start + chunk_size)) for start in range(0, n_points, chunk_size)]
    out = np.empty(n_points)
    small = point_bytes <= blocks.CACHE_BYTES
    X_ones = with_ones(X) if small else None

    def run_chunk(start, stop):
        params = split_flat(make_points(start, stop), *structure)
        with scratch() as block:
            if small:
                z = np.swapaxes(forward_units(params, X, activation, block, X_ones)[0], -1, -2)
            else:
                z = forward_rows(params, X, activation, block)[0]
        out[start:stop] = output_terms(z, targets, loss).value

    # Large points: one point per CPU at a time, each with single-threaded products (see .blas), when possible.
    spread = not small and blocks.default_threads() > 1 and len(chunks) > 1
    with blas.single_threaded() if spread else nullcontext(False) as each_cpu:
        with blocks.Workers(blocks.default_threads() if each_cpu else blocks.threads_for(point_bytes)) as workers:
            workers.run(run_chunk, chunks)
    return out


@contextmanager
def gradient_function(structure, X, targets, activation, loss, n_threads=None):
    """Yield ``fun(theta, sample_weights=None) -> (values, grads)`` over flat points, in blocks of runs on threads.

    Blocks are cache-sized, run on ``n_threads``; ``sample_weights`` (one row per point) are as for
    :func:`loss_and_gradient`.
    """
    run_bytes = 8 * X.shape[0] * max(structure.sizes[1:])
    X_ones = with_ones(X)

    def fun(theta, sample_weights=None):
        flat = theta.reshape(-1, theta.shape[-1])
        values, grads = np.empty(flat.shape[0]), np.empty_like(flat)
        weights = None if sample_weights is None else sample_weights.reshape(flat.shape[0], X.shape[0])

        def run_block(start, stop):
            value, grad = loss_and_gradient(
                split_flat(flat[start:stop], *structure),
                X,
                targets,
                activation,
                loss,
                X_ones,
                None if weights is None else weights[start:stop],
            )
            values[start:stop] = value
            # Each layer's gradient into its columns, without a concatenated temporary.
            column = 0
            for part in (part for layer in grad for part in layer if part is not None):
                width = part[0].size
                grads[start:stop, column : column + width] = part.reshape(part.shape[0], width)
                column += width

        workers.run(run_block, blocks.ranges(flat.shape[0], run_bytes))
        return values.reshape(theta.shape[:-1]), grads.reshape(theta.shape)

    with blocks.Workers(n_threads or blocks.threads_for(run_bytes)) as workers:
        yield fun
