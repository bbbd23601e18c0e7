"""Find critical points of the loss and certify what they are.

A critical point is where the gradient vanishes; its kind follows from the eigenvalues of the exact Hessian there.
All positive: a strict local minimum; some negative: a saddle (its *index* is the fraction of negative eigenvalues);
none negative but more zeros than the continuous symmetries of the network explain: a degenerate point that
second-order information cannot classify. All functions here take one network and build its dense Hessian, so they
refuse networks of more than 10,000 parameters (an 800 MB matrix).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy.optimize import least_squares
from scipy.optimize import minimize as _scipy_minimize

from . import _checks
from .derivatives import hessian, loss_and_gradient
from .network import Params, flatten, split_flat, structure


class CriticalPoint(NamedTuple):
    """The verdict of :func:`classify_critical_point`.

    Attributes
    ----------
    kind : str
        ``"not critical"``, ``"saddle"``, ``"degenerate"``, ``"minimum"``, or, given a global loss, ``"global minimum"``
        or ``"spurious minimum"``.
    loss, grad_norm : float
    eigenvalues : ndarray
        All Hessian eigenvalues, ascending.
    n_negative, n_zero, n_positive : int
        Eigenvalues below ``-tol``, within ``tol`` of zero and above ``tol``, ``tol = zero_tol * max|eigenvalue|``.
    index : float
        ``n_negative / n_params``: the fraction of descent directions.

    Examples
    --------
    >>> classify_critical_point([([[1.0]], None)], [[1.0], [2.0]], [1.0, 2.0])[:2]  # a linear model, an exact fit
    ('minimum', 0.0)
    """

    kind: str
    loss: float
    grad_norm: float
    eigenvalues: np.ndarray
    n_negative: int
    n_zero: int
    n_positive: int
    index: float


def _problem(params, X, y, activation, loss):
    """Check one network small enough for a dense Hessian; return it flat, its structure, and its flat objective."""
    params, X, _, activation, loss = _checks.check_problem(params, X, y, activation, loss)
    shape = structure(_checks.check_one_network(params))
    _checks.check_hessian_size(shape.n_params, "params")

    def fun(theta):
        value, grad = loss_and_gradient(split_flat(theta, *shape), X, y, activation, loss)
        return value, flatten(grad)

    def hess(theta):
        return hessian(split_flat(theta, *shape), X, y, activation, loss)

    return flatten(params), shape, fun, hess


def newton_refine(
    params, X, y, activation="tanh", loss="mse", *, max_iter: int = 200, grad_tol: float = 1e-10
) -> Params:
    """Converge to a nearby critical point of any kind (minimum or saddle) by Newton steps on the gradient.

    Solves ``gradient(theta) = 0`` by Levenberg-Marquardt with the exact Hessian as the Jacobian
    (:func:`scipy.optimize.least_squares`): Newton steps near a non-degenerate critical point, so quadratic convergence
    there. It stops after ``max_iter`` gradient evaluations or below the gradient norm ``grad_tol``; from far away it
    may stall, so check the gradient norm of the result (:func:`classify_critical_point` does). ``params`` is the start;
    all arguments but the last two are as for :func:`~mlp_symmetry.loss`.

    Examples
    --------
    >>> import mlp_symmetry as ms
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.normal(size=(20, 2)), rng.normal(size=20)
    >>> p = newton_refine(ms.init_params([2, 3, 1], rng=1), X, y)
    >>> bool(np.linalg.norm(ms.flatten(ms.loss_and_gradient(p, X, y)[1])) < 1e-10)
    True
    """
    theta, shape, fun, hess = _problem(params, X, y, activation, loss)
    max_iter = _checks.check_int(max_iter, "max_iter", minimum=0)
    grad_tol = _checks.check_real(grad_tol, "grad_tol")
    if max_iter > 0 and np.linalg.norm(fun(theta)[1]) >= grad_tol:
        theta = least_squares(
            lambda t: fun(t)[1], theta, jac=hess, method="lm", xtol=1e-15, ftol=1e-15, gtol=1e-15, max_nfev=max_iter
        ).x
    return split_flat(theta, *shape)


def minimize(params, X, y, activation="tanh", loss="mse", *, max_iter: int = 500, grad_tol: float = 1e-10):
    """Descend to a local minimum with a trust-region Newton method, then polish with :func:`newton_refine`.

    Uses :func:`scipy.optimize.minimize` with ``method="trust-exact"`` on the exact gradient and Hessian, so the
    gradient norm typically ends below ``grad_tol``. Meant for networks of up to a few hundred parameters. Arguments as
    for :func:`newton_refine`, ``max_iter`` counting trust-region iterations.

    Examples
    --------
    Data made by a teacher network of the same shape can be fitted exactly:

    >>> import mlp_symmetry as ms
    >>> X = np.random.default_rng(0).normal(size=(40, 2))
    >>> y = ms.forward(ms.init_params([2, 3, 1], rng=42, scale=1.5), X)[:, 0]
    >>> classify_critical_point(minimize(ms.init_params([2, 3, 1], rng=0), X, y), X, y).kind
    'minimum'
    """
    theta, shape, fun, hess = _problem(params, X, y, activation, loss)
    max_iter = _checks.check_int(max_iter, "max_iter", minimum=1)
    grad_tol = _checks.check_real(grad_tol, "grad_tol")
    result = _scipy_minimize(
        fun, theta, jac=True, hess=hess, method="trust-exact", options={"gtol": grad_tol, "maxiter": max_iter}
    )
    return newton_refine(split_flat(result.x, *shape), X, y, activation, loss, grad_tol=grad_tol)


def default_symmetry_zeros(layer_sizes, activation: str) -> int:
    """Count the zero Hessian eigenvalues that continuous symmetries force at a critical point.

    ReLU: one per hidden unit (rescaling its incoming and outgoing weights). Identity: ``n**2`` per hidden layer of
    width ``n`` (any invertible mixing of the units). tanh and sigmoid have no continuous symmetry: 0.

    Examples
    --------
    >>> default_symmetry_zeros([2, 3, 4, 1], "relu"), default_symmetry_zeros([2, 3, 1], "tanh")
    (7, 0)
    """
    sizes = _checks.check_layer_sizes(layer_sizes)
    activation = _checks.check_activation(activation)
    hidden = sizes[1:-1]
    if activation == "relu":
        return sum(hidden)
    if activation == "identity":
        return sum(n * n for n in hidden)
    return 0


def classify_critical_point(
    params,
    X,
    y,
    activation="tanh",
    loss="mse",
    *,
    grad_tol: float = 1e-6,
    zero_tol: float = 1e-6,
    n_symmetry_zeros: int | None = None,
    global_loss: float | None = None,
    loss_tol: float = 1e-6,
) -> CriticalPoint:
    """Classify a point by its gradient norm and Hessian eigenvalues.

    The rules, in order: gradient norm above ``grad_tol``: ``"not critical"``; an eigenvalue below
    ``-zero_tol * max|eigenvalue|``: ``"saddle"``; more eigenvalues within that tolerance of zero than
    ``n_symmetry_zeros`` (by default :func:`default_symmetry_zeros`): ``"degenerate"``; otherwise ``"minimum"``, or,
    given the best known ``global_loss``, ``"global minimum"`` when ``loss <= global_loss + loss_tol`` and
    ``"spurious minimum"`` otherwise. The other arguments are as for :func:`~mlp_symmetry.loss`.

    Examples
    --------
    All-zero weights without biases are a critical point (every hidden unit is off); when the data correlate with the
    inputs, a saddle with one descent direction per hidden unit:

    >>> X = np.random.default_rng(0).normal(size=(30, 2))
    >>> point = classify_critical_point([(np.zeros((2, 2)), None), (np.zeros((1, 2)), None)], X, X @ [1.0, -2.0])
    >>> point.kind, point.n_negative
    ('saddle', 2)
    """
    theta, shape, fun, hess = _problem(params, X, y, activation, loss)
    grad_tol, zero_tol = _checks.check_real(grad_tol, "grad_tol"), _checks.check_real(zero_tol, "zero_tol")
    loss_tol = _checks.check_real(loss_tol, "loss_tol")
    if global_loss is not None:
        global_loss = _checks.check_real(global_loss, "global_loss", minimum=-np.inf)
    if n_symmetry_zeros is None:
        n_symmetry_zeros = default_symmetry_zeros(shape.sizes, activation)
    n_symmetry_zeros = _checks.check_int(n_symmetry_zeros, "n_symmetry_zeros", minimum=0)
    value, grad = fun(theta)
    grad_norm = float(np.linalg.norm(grad))
    eigenvalues = np.linalg.eigvalsh(hess(theta))
    tol = zero_tol * max(float(np.max(np.abs(eigenvalues))), np.finfo(float).tiny)
    n_negative = int(np.sum(eigenvalues < -tol))
    n_positive = int(np.sum(eigenvalues > tol))
    n_zero = eigenvalues.size - n_negative - n_positive
    if grad_norm > grad_tol:
        kind = "not critical"
    elif n_negative > 0:
        kind = "saddle"
    elif n_zero > n_symmetry_zeros:
        kind = "degenerate"
    elif global_loss is None:
        kind = "minimum"
    else:
        kind = "global minimum" if value <= global_loss + loss_tol else "spurious minimum"
    return CriticalPoint(
        kind, value, grad_norm, eigenvalues, n_negative, n_zero, n_positive, n_negative / eigenvalues.size
    )


def certify_critical_point(params, X, y, activation="tanh", loss="mse", *, max_iter: int = 200, **classify_options):
    """Refine a point to a nearby critical point (:func:`newton_refine`), then classify it.

    Arguments as for :func:`newton_refine`; ``classify_options`` go to :func:`classify_critical_point`. Returns the
    refined ``params`` and its :class:`CriticalPoint`.

    Examples
    --------
    From a random start, Newton steps on the gradient often end at a saddle:

    >>> import mlp_symmetry as ms
    >>> X = np.random.default_rng(0).normal(size=(40, 2))
    >>> y = ms.forward(ms.init_params([2, 3, 1], rng=42, scale=1.5), X)[:, 0]
    >>> p, verdict = certify_critical_point(ms.init_params([2, 3, 1], rng=1), X, y)
    >>> verdict.grad_norm < 1e-8, verdict.kind
    (True, 'saddle')
    """
    refined = newton_refine(params, X, y, activation, loss, max_iter=max_iter)
    return refined, classify_critical_point(refined, X, y, activation, loss, **classify_options)
