"""The teacher-student population loss and gradient of many students in one pass."""

from __future__ import annotations

import numpy as np

from .pool import scratch

EPS = 1e-12


def population_loss_and_gradient(W: np.ndarray, V: np.ndarray, teacher: float):
    """Return the teacher-student loss and gradient in one pass over the pairs (rows of ``W``) x (rows of ``[W; V]``).

    ``teacher`` is the constant ``1/2 sum_jj' f(v_j, v_j')``; the arrays of pairs come from the scratch pool.
    """
    n, k = W.shape[-2], V.shape[0]
    batch, pairs = W.shape[:-2], W.shape[:-1] + (n + k,)
    sign = np.concatenate([np.ones(n), -np.ones(k)])
    with scratch() as block:
        U = block.empty(batch + (n + k, W.shape[-1]))
        U[..., :n, :] = W
        U[..., n:, :] = V
        nb = np.sqrt(np.einsum("...ij,...ij->...i", U, U))
        na = nb[..., :n]
        ub = np.divide(U, np.maximum(nb, EPS)[..., None], out=block.empty(U.shape))
        cos = np.matmul(ub[..., :n, :], np.swapaxes(ub, -1, -2), out=block.empty(pairs))
        np.clip(cos, -1.0, 1.0, out=cos)
        # sin(arccos(c)) = sqrt((1 - c)(1 + c)), without numpy's slow sin.
        sin = np.subtract(1.0, cos, out=block.empty(pairs))
        sin *= np.add(1.0, cos, out=(kern := block.empty(pairs)))
        np.sqrt(sin, out=sin)
        # pi - theta, then the kernel sin + (pi - theta) cos; f(a, b) = |a| |b| kernel / (2 pi).
        rest = np.arccos(cos, out=block.empty(pairs))
        np.subtract(np.pi, rest, out=rest)
        np.multiply(rest, cos, out=kern)
        kern += sin
        # 1/2 sum_ii' f(w_i, w_i') - sum_ij f(w_i, v_j): weights 1/2 on students, -1 on the teacher.
        weights = nb * np.concatenate([np.full(n, 0.5), -np.ones(k)])
        value = np.sum(na * (kern @ weights[..., None])[..., 0], axis=-1) / (2 * np.pi) + teacher
        # Gradient: (sum_j sign_j |u_j| sin_ij) w_i / |w_i| + sum_j sign_j (pi - theta_ij) u_j.
        ua = ub[..., :n, :]  # w_i / |w_i|; ub is not needed any more
        ua *= sin @ (nb * sign)[..., None]
        rest *= sign
        grad = np.matmul(rest, U)
        grad += ua
    grad /= 2 * np.pi
    return np.maximum(value, 0.0), grad
