"""Numerical tests of convexity: chords, Hessian eigenvalues, grid minima.

A function ``f`` is convex when every chord lies on or above its graph, ``f((1 - t) a + t b) <= (1 - t) f(a) + t f(b)``
for all ``a``, ``b`` and ``t`` in ``[0, 1]``. The *chord gap* ``(1 - t) f(a) + t f(b) - f((1 - t) a + t b)`` is
therefore never negative for a convex function, and one negative gap proves that ``f`` is not convex. For a
twice-differentiable ``f`` the equivalent local test is a positive semi-definite Hessian everywhere: one negative
eigenvalue also proves non-convexity. The functions here take flat parameter vectors with leading batch axes, so that
thousands of segments are one call; :class:`FlatLoss` turns a network's training loss into such a function.

Rounding tolerance
------------------
Rounding makes a gap of exactly zero come out as a tiny number of either sign. A gap counts as a violation only
below ``-rtol * scale``, ``scale`` the largest absolute loss on the segment and ``rtol = 1e-9`` by default: millions
of times the float64 roundoff (``2.2e-16``), and far below any violation on this site. Hessian eigenvalues are
judged likewise, relative to the largest absolute eigenvalue at the same point.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import _checks
from .derivatives import hessian_vector_product, loss_and_gradient
from .losses import loss as _loss
from .network import flatten, n_params, unflatten

ROUNDING_RTOL = 1e-9
"""Default relative tolerance that separates rounding from a real violation."""


class FlatLoss:
    """The training loss of a network as a function of flat parameter vectors, checked once and vectorised.

    Calling it on ``theta`` of shape ``(..., n_params)`` returns the losses of all those networks. Linear and logistic
    regression are ``FlatLoss([d, 1], X, y, loss="mse")`` and ``loss="binary_cross_entropy"``: the same code, no hidden
    layer. ``n_params`` is the length of the vectors.

    Parameters
    ----------
    layer_sizes : sequence of int
    X, y, activation, loss
        As for :func:`~mlp_symmetry.loss`.
    bias : bool
        Whether every layer has biases.

    Examples
    --------
    >>> f = FlatLoss([2, 1], np.eye(2), np.ones(2), loss="mse", bias=False)
    >>> f.n_params, f(np.zeros((4, 3, 2))).shape, f(np.zeros(2))
    (2, (4, 3), 1.0)
    """

    def __init__(self, layer_sizes, X, y, activation: str = "tanh", loss: str = "mse", *, bias: bool = True):
        self.layer_sizes = _checks.check_layer_sizes(layer_sizes)
        self.bias = _checks.check_bool(bias, "bias")
        self.n_params = n_params(self.layer_sizes, bias=self.bias)
        template = unflatten(np.zeros(self.n_params), self.layer_sizes, bias=self.bias)
        _, X, y, self.activation, self.loss = _checks.check_problem(template, X, y, activation, loss)
        self.X, self.y = X.copy(), y.copy()

    def __repr__(self) -> str:
        # Without hidden layers the activation plays no part and is not shown.
        activation = f"activation={self.activation!r}, " if len(self.layer_sizes) > 2 else ""
        return (
            f"FlatLoss(layer_sizes={list(self.layer_sizes)}, n_samples={self.X.shape[0]}, "
            f"{activation}loss={self.loss!r}, bias={self.bias})"
        )

    def params(self, theta):
        """Return ``theta`` of shape ``(..., n_params)``, at least one vector, as network parameters."""
        return unflatten(_as_points(theta, "theta", self.n_params), self.layer_sizes, bias=self.bias)

    def __call__(self, theta):
        """Return the loss at each vector of ``theta``: a float or an array of shape ``theta.shape[:-1]``."""
        return _loss(self.params(theta), self.X, self.y, self.activation, self.loss)

    def gradient(self, theta) -> np.ndarray:
        """Return the exact gradient at each vector of ``theta``, shape ``(..., n_params)``."""
        return flatten(loss_and_gradient(self.params(theta), self.X, self.y, self.activation, self.loss)[1])

    def hessian(self, theta) -> np.ndarray:
        """Return the exact Hessian at each vector of ``theta``, from products with all unit vectors in one call."""
        params = self.params(_as_points(theta, "theta", self.n_params)[..., None, :])
        H = hessian_vector_product(params, self.X, self.y, np.eye(self.n_params), self.activation, self.loss)
        return 0.5 * (H + np.swapaxes(H, -1, -2))


def _as_points(theta, name: str, n_params: int | None = None) -> np.ndarray:
    """Check parameter vectors of shape ``(..., n_params)``: finite real numbers, at least one vector."""
    theta = _checks.as_float_array(theta, name, ndim_min=1)
    if theta.size == 0:
        raise ValueError(f"{name} must hold at least one vector of at least one entry; got shape {theta.shape}")
    if n_params is not None and theta.shape[-1] != n_params:
        raise ValueError(f"{name} must have {n_params} entries on its last axis; got shape {theta.shape}")
    return theta


def _length(loss_fn) -> int | None:
    """Return the length of the vectors that ``loss_fn`` takes, when it is known (a FlatLoss)."""
    return loss_fn.n_params if isinstance(loss_fn, FlatLoss) else None


def _check_flat_loss(loss_fn) -> FlatLoss:
    """Check that ``loss_fn`` is a FlatLoss small enough for its dense Hessian."""
    if not isinstance(loss_fn, FlatLoss):
        raise TypeError(f"loss_fn must be a FlatLoss (its exact Hessian is needed); got {_checks._describe(loss_fn)}")
    _checks.check_hessian_size(loss_fn.n_params, "loss_fn")
    return loss_fn


def _evaluate(loss_fn, theta) -> np.ndarray:
    """Call ``loss_fn`` on a batch and check that it returns one finite value per vector."""
    values = _checks.as_float_array(loss_fn(theta), "the values of loss_fn")
    if values.shape != theta.shape[:-1]:
        raise ValueError(
            f"loss_fn must return one value per parameter vector, shape {theta.shape[:-1]}; got shape {values.shape}"
        )
    return values


def chord_gap(loss_fn, theta_a, theta_b, t):
    """Return the height ``(1 - t) L(a) + t L(b) - L((1 - t) a + t b)`` of the chord above the loss.

    Never negative for a convex ``L``: a negative value beyond rounding (see :mod:`mlp_symmetry.convexity`) proves
    non-convexity. ``loss_fn`` maps ``theta`` of shape ``(..., n_params)`` to losses, for example a :class:`FlatLoss`;
    the ends ``theta_a`` and ``theta_b`` broadcast (many segments at once), and ``t`` is a position or a 1-D array of
    them in ``[0, 1]``. The result has one gap per segment and position.

    Examples
    --------
    Linear regression is convex; its gaps are ``t (1 - t) |X (a - b)|^2 / N``:

    >>> X, t = np.random.default_rng(0).normal(size=(30, 2)), np.linspace(0, 1, 5)
    >>> f, a, b = FlatLoss([2, 1], X, np.ones(30), bias=False), np.array([1.0, 0.0]), np.array([0.0, 1.0])
    >>> bool(np.allclose(chord_gap(f, a, b, t), t * (1 - t) * np.mean((X @ (a - b)) ** 2)))
    True
    """
    loss_fn = _checks.check_callable(loss_fn, "loss_fn")
    a, b = _as_points(theta_a, "theta_a", _length(loss_fn)), _as_points(theta_b, "theta_b", _length(loss_fn))
    if a.shape[-1] != b.shape[-1]:
        raise ValueError(f"theta_a and theta_b must have the same length; got shapes {a.shape} and {b.shape}")
    try:
        batch = np.broadcast_shapes(a.shape[:-1], b.shape[:-1])
    except ValueError:
        raise ValueError(f"theta_a and theta_b must broadcast; got shapes {a.shape} and {b.shape}") from None
    t_arr = _checks.check_positions(t)
    if np.any((t_arr < 0) | (t_arr > 1)):
        raise ValueError(f"t must lie in [0, 1]; got values from {t_arr.min()} to {t_arr.max()}")
    a = np.broadcast_to(a, batch + a.shape[-1:])
    b = np.broadcast_to(b, batch + b.shape[-1:])
    ts = np.atleast_1d(t_arr)[:, None]
    points = (1.0 - ts) * a[..., None, :] + ts * b[..., None, :]
    chord = (1.0 - ts[:, 0]) * _evaluate(loss_fn, a)[..., None] + ts[:, 0] * _evaluate(loss_fn, b)[..., None]
    gap = chord - _evaluate(loss_fn, points)
    if t_arr.ndim == 0:
        gap = gap[..., 0]
    return float(gap) if gap.ndim == 0 else gap


class ChordSearch(NamedTuple):
    """The result of :func:`find_chord_violation`.

    Attributes
    ----------
    found : bool
        Whether some gap is below ``-rtol * scale``.
    worst_gap, relative_gap : float
        The most negative gap (the smallest, if none is), and divided by the loss scale of its segment.
    theta_a, theta_b, t : ndarray of shape (n_params,), float
        The segment and position of ``worst_gap``.
    n_violations, n_segments : int
        Segments with a violation, and segments tested.

    Examples
    --------
    >>> f = FlatLoss([1, 1], [[1.0], [2.0]], [1.0, 2.0], loss="mse", bias=False)
    >>> find_chord_violation(f, 1, n_segments=10, rng=0)[-2:]
    (0, 10)
    """

    found: bool
    worst_gap: float
    relative_gap: float
    theta_a: np.ndarray
    theta_b: np.ndarray
    t: float
    n_violations: int
    n_segments: int


def find_chord_violation(
    loss_fn,
    n_params: int,
    *,
    n_segments: int = 1000,
    n_t: int = 21,
    scale: float = 1.0,
    center=None,
    rng=None,
    rtol: float = ROUNDING_RTOL,
) -> ChordSearch:
    """Search ``n_segments`` random segments of vectors of ``n_params`` for a chord that dips below the loss.

    The end points are ``center + scale * N(0, I)`` (``center`` zero by default, ``rng`` the source); the chord gap is
    evaluated at ``n_t >= 3`` evenly spaced positions, ends included, in one call of ``loss_fn`` (as for
    :func:`chord_gap`) on ``(n_segments, n_t, n_params)`` points, and judged with the rounding tolerance ``rtol`` of
    :mod:`mlp_symmetry.convexity`.

    Examples
    --------
    Squared error on a sigmoid is not convex; cross-entropy is:

    >>> X = np.random.default_rng(0).normal(size=(40, 2))
    >>> y = (X[:, 0] + np.random.default_rng(1).normal(size=40) > 0).astype(float)
    >>> [find_chord_violation(FlatLoss([2, 1], X, y, loss=name), 3, n_segments=500, scale=5.0, rng=0).found
    ...  for name in ("sigmoid_mse", "binary_cross_entropy")]
    [True, False]
    """
    n_params = _checks.check_int(n_params, "n_params", minimum=1)
    if _length(loss_fn) not in (None, n_params):
        raise ValueError(f"n_params must be {_length(loss_fn)}, the length of the vectors of loss_fn; got {n_params}")
    n_segments = _checks.check_int(n_segments, "n_segments", minimum=1)
    n_t = _checks.check_int(n_t, "n_t", minimum=3)
    loss_fn, scale = _checks.check_callable(loss_fn, "loss_fn"), _checks.check_real(scale, "scale", strict=True)
    rtol, rng = _checks.check_real(rtol, "rtol", below=1.0), _checks.check_rng(rng)
    center = np.zeros(n_params) if center is None else _checks.as_float_array(center, "center")
    if center.shape != (n_params,):
        raise ValueError(f"center must have shape ({n_params},); got shape {center.shape}")
    ends = center + scale * rng.standard_normal((2, n_segments, n_params))
    ts = np.linspace(0.0, 1.0, n_t)
    points = (1.0 - ts[:, None]) * ends[0][:, None, :] + ts[:, None] * ends[1][:, None, :]
    values = _evaluate(loss_fn, points)
    # The end points of `points` are exactly theta_a (t = 0) and theta_b (t = 1).
    chord = (1.0 - ts) * values[:, :1] + ts * values[:, -1:]
    gaps = chord - values
    loss_scale = np.maximum(np.max(np.abs(values), axis=1, keepdims=True), np.finfo(float).tiny)
    relative = gaps / loss_scale
    violated = relative < -rtol
    segment, position = np.unravel_index(np.argmin(relative), relative.shape)
    return ChordSearch(
        found=bool(violated.any()),
        worst_gap=float(gaps[segment, position]),
        relative_gap=float(relative[segment, position]),
        theta_a=ends[0, segment].copy(),
        theta_b=ends[1, segment].copy(),
        t=float(ts[position]),
        n_violations=int(violated.any(axis=1).sum()),
        n_segments=n_segments,
    )


class EigenvalueRange(NamedTuple):
    """Smallest and largest Hessian eigenvalue (floats, or arrays of the batch shape).

    >>> f = FlatLoss([1, 1], [[1.0], [2.0]], [1.0, 2.0], loss="mse", bias=False)  # ((w-1)**2 + (2w-2)**2) / 2
    >>> hessian_extreme_eigenvalues(f, [0.0])
    EigenvalueRange(smallest=5.0, largest=5.0)
    """

    smallest: float | np.ndarray
    largest: float | np.ndarray


def hessian_extreme_eigenvalues(loss_fn: FlatLoss, theta) -> EigenvalueRange:
    """Return the smallest and largest eigenvalue of the exact Hessian of a :class:`FlatLoss` at each point ``theta``.

    A convex loss has ``smallest >= 0`` everywhere, to rounding ``smallest >= -rtol * max(|smallest|, |largest|)`` (see
    :mod:`mlp_symmetry.convexity`). The values are floats for one point, arrays of shape ``theta.shape[:-1]`` for many.

    Examples
    --------
    Linear regression has the constant Hessian ``2/N X^T X``:

    >>> X = np.random.default_rng(0).normal(size=(30, 2))
    >>> lo, hi = hessian_extreme_eigenvalues(FlatLoss([2, 1], X, np.ones(30), bias=False), np.ones((5, 2)))
    >>> bool(np.allclose([lo, hi], np.linalg.eigvalsh(2 / 30 * X.T @ X)[[0, -1], None]))
    True
    """
    _check_flat_loss(loss_fn)
    eigenvalues = np.linalg.eigvalsh(loss_fn.hessian(theta))
    return EigenvalueRange(_checks.scalar_or_array(eigenvalues[..., 0]), _checks.scalar_or_array(eigenvalues[..., -1]))


def grid_local_minima(values) -> np.ndarray:
    """Mark the strict local minima of a function sampled on a regular grid (every axis at least 3 long).

    A point is marked when its value is strictly below its ``2 * ndim`` neighbours along the axes; the boundary (a
    minimum there may lie outside) and plateaus are never marked. A mark says that a minimum lies within one grid step:
    confirm it with the gradient and Hessian (:func:`confirm_minima`).

    Examples
    --------
    >>> w = np.linspace(-2, 2, 401)
    >>> f = (w**2 - 1) ** 2
    >>> w[grid_local_minima(f)], int(grid_local_minima(f[:, None] + f[None, :]).sum())
    (array([-1.,  1.]), 4)
    """
    values = _checks.as_float_array(values, "values", ndim_min=1)
    if min(values.shape) < 3:
        raise ValueError(f"values must have at least 3 points along every axis; got shape {values.shape}")
    inner = (slice(1, -1),) * values.ndim
    mask = np.zeros(values.shape, dtype=bool)
    mask[inner] = True
    for axis in range(values.ndim):
        for shift in (slice(None, -2), slice(2, None)):  # the neighbours below and above along ``axis``
            mask[inner] &= values[inner] < values[inner[:axis] + (shift,) + inner[axis + 1 :]]
    return mask


class MinimaCheck(NamedTuple):
    """The result of :func:`confirm_minima`, one entry per starting point.

    Attributes
    ----------
    theta, loss : ndarray of shape (m, n_params) and (m,)
        The points after the Newton steps, and the loss there.
    relative_gradient : ndarray of shape (m,)
        ``max_i |theta_i * dL/dtheta_i|``: the change of the loss for a relative change of each coordinate.
    relative_curvature : ndarray of shape (m,)
        Smallest eigenvalue of ``D H D``, ``D = diag(theta)``: the curvature in relative units.
    is_minimum : ndarray of bool, shape (m,)
        ``relative_gradient <= rtol * s`` and ``relative_curvature > rtol * s``, with ``s = max(1, |loss|)``.

    Examples
    --------
    >>> f = FlatLoss([1, 1], [[1.0], [2.0]], [1.0, 2.0], loss="mse", bias=False)
    >>> confirm_minima(f, [[0.5]], n_steps=1)[:2]  # one Newton step reaches the minimum of a quadratic
    (array([[1.]]), array([0.]))
    """

    theta: np.ndarray
    loss: np.ndarray
    relative_gradient: np.ndarray
    relative_curvature: np.ndarray
    is_minimum: np.ndarray


def confirm_minima(loss_fn: FlatLoss, theta, *, n_steps: int = 30, rtol: float = ROUNDING_RTOL) -> MinimaCheck:
    """Polish candidate minima with Newton steps and confirm them by gradient and curvature, in relative units.

    ``n_steps`` Newton steps ``theta -= pinv(H) g`` run on all candidates ``theta`` of shape ``(m, n_params)`` at once
    (grid points marked by :func:`grid_local_minima`, say). Newton's method is invariant to rescaling the coordinates,
    and the tests are relative, with tolerance ``rtol`` times ``max(1, |loss|)``: this suits minima at very different
    scales (``w = 2e6`` as well as ``w = 2``). The coordinates must be non-zero for the curvature test to pass.

    Examples
    --------
    One sigmoid neuron without bias, two examples: one minimum, near ``w = -2``.

    >>> f = FlatLoss([1, 1], [[1.0], [0.1]], [0.0, 1.0], loss="sigmoid_mse", bias=False)
    >>> check = confirm_minima(f, [[-2.5]])
    >>> bool(check.is_minimum[0]), round(float(check.theta[0, 0]), 3)
    (True, -1.95)
    """
    _check_flat_loss(loss_fn)
    n_steps = _checks.check_int(n_steps, "n_steps", minimum=0)
    rtol = _checks.check_real(rtol, "rtol", below=1.0)
    theta = np.array(_checks.as_float_array(theta, "theta"))
    if theta.ndim != 2 or theta.shape[1] != loss_fn.n_params:
        raise ValueError(f"theta must have shape (m, {loss_fn.n_params}); got shape {theta.shape}")
    if theta.shape[0] == 0:  # no candidates
        empty = np.zeros(0)
        return MinimaCheck(theta, empty, empty, empty, np.zeros(0, dtype=bool))
    for _ in range(n_steps):
        theta = theta - (np.linalg.pinv(loss_fn.hessian(theta)) @ loss_fn.gradient(theta)[..., None])[..., 0]
    values = np.asarray(loss_fn(theta), dtype=float).reshape(theta.shape[0])
    relative_gradient = np.max(np.abs(theta * loss_fn.gradient(theta)), axis=-1)
    scaled = theta[:, :, None] * loss_fn.hessian(theta) * theta[:, None, :]
    relative_curvature = np.linalg.eigvalsh(scaled)[:, 0]
    scale = np.maximum(1.0, np.abs(values))
    is_minimum = (relative_gradient <= rtol * scale) & (relative_curvature > rtol * scale)
    return MinimaCheck(theta, values, relative_gradient, relative_curvature, is_minimum)
