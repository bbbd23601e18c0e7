"""Losses on the network outputs (logits), averaged over samples.

With outputs ``z`` of shape ``(n_samples, n_out)`` and targets ``y``:

* ``"mse"``: the mean over samples of ``sum_k (z_k - y_k)**2``, so that linear regression has the Hessian
  ``2/N X^T X``;
* ``"sigmoid_mse"``: the same squared error on ``sigmoid(z)``, the classic non-convex choice for a logistic unit;
* ``"binary_cross_entropy"``: the mean of ``log(1 + exp(z)) - y z`` summed over outputs, labels in ``[0, 1]``;
* ``"softmax_cross_entropy"``: the mean of ``logsumexp(z) - z[y]``, integer labels.

The cross-entropies use ``logaddexp``, a log-sum-exp shifted by the largest logit, and :func:`scipy.special.expit`,
so logits of any size give finite values and gradients. Every function broadcasts over leading batch axes of ``z``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy.special import expit

from . import _checks
from .network import forward


class OutputTerms(NamedTuple):
    """A loss at the outputs: its value, ``grad = dL/dz`` (divided by the number of samples) and curvature.

    ``curvature`` is the elementwise second derivative, or the softmax probabilities for softmax cross-entropy.
    """

    value: np.ndarray
    grad: np.ndarray
    curvature: np.ndarray


def output_terms(z: np.ndarray, targets: np.ndarray, loss: str, *, curvature: bool = False) -> OutputTerms:
    """Return the value, gradient and (optionally) curvature of ``loss`` at outputs ``z``, for checked ``targets``."""
    n = z.shape[-2]
    c = None
    if loss == "mse":
        r = z - targets
        value = np.einsum("...nk,...nk->...", r, r) / n
        grad = (2.0 / n) * r
        if curvature:
            c = np.full_like(z, 2.0 / n)
    elif loss == "sigmoid_mse":
        s = expit(z)
        r = s - targets
        ds = s * (1.0 - s)
        value = np.einsum("...nk,...nk->...", r, r) / n
        grad = (2.0 / n) * r * ds
        if curvature:
            c = (2.0 / n) * (ds * ds + r * ds * (1.0 - 2.0 * s))
    elif loss == "binary_cross_entropy":
        value = (np.logaddexp(0.0, z) - targets * z).sum(axis=(-1, -2)) / n
        s = expit(z)
        grad = (s - targets) / n
        if curvature:
            c = s * (1.0 - s) / n
    else:
        m = z.max(axis=-1, keepdims=True)  # log sum exp(z), shifted by the largest logit so exp cannot overflow
        lse = m + np.log(np.exp(z - m).sum(axis=-1, keepdims=True))
        rows = np.arange(n)
        value = (lse[..., 0] - z[..., rows, targets]).sum(axis=-1) / n
        p = np.exp(z - lse)
        grad = p.copy()
        grad[..., rows, targets] -= 1.0
        grad /= n
        if curvature:
            c = p
    return OutputTerms(value, grad, c)


def output_hessian_product(terms: OutputTerms, rz: np.ndarray, loss: str) -> np.ndarray:
    """Apply the Hessian of the loss with respect to the outputs to ``rz``."""
    if loss == "softmax_cross_entropy":
        p = terms.curvature
        n = p.shape[-2]
        return p * (rz - np.sum(p * rz, axis=-1, keepdims=True)) / n
    return terms.curvature * rz


@_checks.overflow_raises
def loss(params, X, y, activation: str = "tanh", loss: str = "mse"):
    """Evaluate the training loss of an MLP.

    Parameters
    ----------
    params : Params
        The network (see :mod:`mlp_symmetry.network`), optionally batched.
    X : array_like of shape (n_samples, n_in)
        Inputs.
    y : array_like
        Targets of shape ``(n_samples, n_out)``, or ``(n_samples,)`` for one output; for
        ``"softmax_cross_entropy"``, integer labels of shape ``(n_samples,)``.
    activation : {"tanh", "relu", "sigmoid", "identity"}
        Activation of the hidden layers.
    loss : {"mse", "sigmoid_mse", "binary_cross_entropy", "softmax_cross_entropy"}
        Loss on the outputs (see :mod:`mlp_symmetry.losses`), averaged over samples.

    Returns
    -------
    float or ndarray
        An array of the batch shape of ``params`` when it is batched.

    Examples
    --------
    Cross-entropy stays finite at huge logits:

    >>> loss([([[1e4]], [0.0])], [[1.0], [-1.0]], [0, 1], loss="binary_cross_entropy")
    10000.0
    """
    params, X, targets, activation, loss_name = _checks.check_problem(params, X, y, activation, loss)
    value = output_terms(forward(params, X, activation), targets, loss_name).value
    return _checks.scalar_or_array(_checks.check_finite_result(value, "params, X and y"))
