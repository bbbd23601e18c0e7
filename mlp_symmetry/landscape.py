"""Look at the loss landscape along lines, curves and planes in parameter space.

A network has far too many parameters to plot its loss, so one looks at slices: the segment
``(1 - t) theta_a + t theta_b`` between two networks (Goodfellow, Vinyals & Saxe 2015), a quadratic Bezier curve
through a trained control point (Garipov et al. 2018), or the plane ``theta + alpha d1 + beta d2`` spanned by two
random directions (Li et al. 2018), each evaluated as a batch of networks in chunks of bounded memory. Points and
directions are single networks of one architecture, as parameters or as flat vectors in the order of
:func:`~mlp_symmetry.flatten` (at least one as parameters where a loss is evaluated); curves come back as
parameters if any input is one. Positions ``t`` run from 0 (``theta_a``) to 1 (``theta_b``).
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from scipy.sparse.linalg import LinearOperator, eigsh

from . import _checks, _fast
from .derivatives import loss_and_gradient
from .network import Layer, Params, flatten, split_flat, structure
from .training import adam


def _is_flat(value) -> bool:
    """Whether ``value`` is a flat vector (an array or a list of numbers), not parameters."""
    if isinstance(value, np.ndarray):
        return True
    return (
        isinstance(value, Sequence)
        and len(value) > 0
        and all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in value)
    )


def _as_flat(value, name: str, shape=None):
    """Return one network or flat vector as a flat vector, and its structure (``None`` if flat); check ``shape``."""
    if _is_flat(value):
        theta = _checks.as_float_array(value, name, ndim_min=1)
        if theta.ndim != 1:
            raise ValueError(f"{name} must be a flat vector of shape (n_params,); got shape {theta.shape}")
        if shape is not None and theta.shape[0] != shape.n_params:
            raise ValueError(f"{name} must have {shape.n_params} entries to match the network; got {theta.shape[0]}")
        return theta, None
    try:
        params = _checks.check_params(value)
    except (TypeError, ValueError) as error:
        raise type(error)(f"{name}: {error}") from None
    own = structure(_checks.check_one_network(params, name))
    if shape is not None and own != shape:
        raise ValueError(
            f"{name} must have layer sizes {list(shape.sizes)} and biases {list(shape.biases)}; "
            f"got {list(own.sizes)} and {list(own.biases)}"
        )
    return flatten(params), own


def _common_flat(named_values):
    """Flatten points or directions of one network; return them and the structure of the first given as parameters."""
    shape = next((_as_flat(v, name)[1] for name, v in named_values if not _is_flat(v)), None)
    flats = [_as_flat(value, name, shape)[0] for name, value in named_values]
    if len({f.shape[0] for f in flats}) > 1:
        names = ", ".join(name for name, _ in named_values)
        raise ValueError(f"{names} must have the same number of parameters; got sizes {[f.shape[0] for f in flats]}")
    return flats, shape


def _with_data(named_values, X, y, activation, loss):
    """Flatten points of one network (one given as parameters) and validate the data for it."""
    flats, shape = _common_flat(named_values)
    if shape is None:
        names = ", ".join(name for name, _ in named_values)
        raise TypeError(f"one of {names} must be given as parameters (a sequence of (W, b) layers) to fix the shape")
    _, X, targets, activation, loss = _checks.check_problem(split_flat(flats[0], *shape), X, y, activation, loss)
    return flats, shape, (X, targets, activation, loss)


def _bezier(a, mid, b, t):
    """Points ``(1 - t)^2 a + 2 t (1 - t) mid + t^2 b`` of the quadratic Bezier curve, for ``t`` of shape (n_t, 1)."""
    return (1.0 - t) ** 2 * a + 2.0 * t * (1.0 - t) * mid + t**2 * b


def interpolate(theta_a, theta_b, t):
    """Return points ``(1 - t) theta_a + t theta_b`` on the segment between two networks.

    Parameters
    ----------
    theta_a, theta_b : Params or array_like of shape (n_params,)
    t : float or array_like of shape (n_t,)

    Returns
    -------
    Params or ndarray
        With a leading axis of length ``n_t`` (none for a scalar ``t``).

    Examples
    --------
    >>> interpolate(np.array([0.0, 2.0]), np.array([1.0, 0.0]), [0.5])
    array([[0.5, 1. ]])
    """
    (a, b), shape = _common_flat([("theta_a", theta_a), ("theta_b", theta_b)])
    t = _checks.check_positions(t)[..., None]
    path = (1.0 - t) * a + t * b
    return path if shape is None else split_flat(path, *shape)


def bezier_curve(theta_a, theta_mid, theta_b, t):
    """Return points ``(1 - t)^2 theta_a + 2 t (1 - t) theta_mid + t^2 theta_b`` of a quadratic Bezier curve.

    The curve is pulled towards the control point ``theta_mid``: at ``t = 1/2`` it passes through
    ``(theta_a + 2 theta_mid + theta_b) / 4``. Arguments and result as for :func:`interpolate`.

    Examples
    --------
    With the control point at the midpoint the curve is the straight segment:

    >>> a, b, t = np.array([0.0, 0.0]), np.array([2.0, 4.0]), np.linspace(0, 1, 5)
    >>> bool(np.allclose(bezier_curve(a, (a + b) / 2, b, t), interpolate(a, b, t)))
    True
    """
    (a, m, b), shape = _common_flat([("theta_a", theta_a), ("theta_mid", theta_mid), ("theta_b", theta_b)])
    curve = _bezier(a, m, b, _checks.check_positions(t)[..., None])
    return curve if shape is None else split_flat(curve, *shape)


@_checks.overflow_raises
def path_losses(theta_a, theta_b, X, y, t, activation="tanh", loss="mse", *, control=None):
    """Evaluate the loss at positions ``t`` on the segment between two networks (or Bezier curve through ``control``).

    All points are one call of the fast kernel ``mlp_symmetry._fast.batch_losses``, in chunks as for :func:`loss_plane`;
    ``t`` is a 1-D array, for example ``np.linspace(0, 1, 51)``, the other arguments as for :func:`~mlp_symmetry.loss`.

    Examples
    --------
    >>> from mlp_symmetry import init_params, loss
    >>> X, y, a, b = np.eye(2), np.ones(2), init_params([2, 3, 1], rng=1), init_params([2, 3, 1], rng=2)
    >>> bool(np.isclose(path_losses(a, b, X, y, np.linspace(0, 1, 11))[-1], loss(b, X, y)))
    True
    """
    named = [("theta_a", theta_a), ("theta_b", theta_b)] + ([("control", control)] if control is not None else [])
    flats, shape, data = _with_data(named, X, y, activation, loss)
    t = _checks.check_positions(t, points=True)

    def make_points(start, stop):
        s = t[start:stop, None]
        return (1.0 - s) * flats[0] + s * flats[1] if control is None else _bezier(flats[0], flats[2], flats[1], s)

    return _checks.check_finite_result(_fast.batch_losses(make_points, t.shape[0], shape, *data), "the path, X and y")


def barrier_height(losses) -> float:
    """Return the loss barrier ``max_t L(t) - (L(0) + L(1)) / 2`` of a path sampled from end to end.

    Two minima with a barrier near zero are *linearly mode connected*. Between a network and its permuted twin (equal
    losses) this is the height of the loss above its chord, the barrier of Entezari et al. (2022), which a convex loss
    does not have; in general a convex loss keeps it below ``|L(0) - L(1)| / 2``.

    Examples
    --------
    >>> barrier_height([1.0, 3.0, 2.0, 0.0])  # losses along a path, for example from path_losses
    2.5
    """
    losses = _checks.as_float_array(losses, "losses")
    if losses.ndim != 1 or losses.shape[0] < 2:
        raise ValueError(f"losses must be a 1-D array of at least 2 values; got shape {losses.shape}")
    # Halves first: the mean of two huge losses does not overflow.
    return float(losses.max() - (0.5 * losses[0] + 0.5 * losses[-1]))


@_checks.overflow_raises
def random_direction(params, rng=None, *, normalization: str = "filter") -> Params:
    """Draw a random direction in parameter space from one network ``params``, normalised unit by unit.

    Entries are standard Gaussian, then rescaled. ``normalization="filter"`` (Li et al. 2018): each row of every ``W``
    (a unit's incoming weights) gets the norm of that row in ``params``, so that the direction follows the network when
    a layer is scaled; ``"model"``: the whole direction gets the norm of all weights; ``"none"``: the raw draw. Biases
    get a zero direction (our choice): the plane moves weights only.

    Examples
    --------
    >>> from mlp_symmetry import init_params
    >>> params = init_params([3, 4, 2], rng=0)
    >>> d = random_direction(params, rng=1)
    >>> bool(np.allclose(np.linalg.norm(d[0].W, axis=1), np.linalg.norm(params[0].W, axis=1)))
    True
    """
    _as_flat(params, "params")
    params = _checks.check_params(params)
    normalization = _checks.check_choice(normalization, "normalization", ("filter", "model", "none"))
    rng = _checks.check_rng(rng)
    raw = [rng.normal(size=W.shape) for W, _ in params]
    if normalization == "filter":
        raw = [
            d * np.linalg.norm(W, axis=1, keepdims=True) / np.linalg.norm(d, axis=1, keepdims=True)
            for d, (W, _) in zip(raw, params, strict=True)
        ]
    elif normalization == "model":
        scale = np.sqrt(sum(np.sum(W**2) for W, _ in params) / sum(np.sum(d**2) for d in raw))
        raw = [d * scale for d in raw]
    direction = tuple(Layer(d, None if b is None else np.zeros_like(b)) for d, (_, b) in zip(raw, params, strict=True))
    return _checks.check_finite_result(direction, "params")


@_checks.overflow_raises
def loss_plane(params, X, y, d1, d2, alphas, betas, activation="tanh", loss="mse", *, chunk_size=None) -> np.ndarray:
    """Evaluate the loss on the plane ``params + alpha d1 + beta d2`` around one network.

    The grid is one call of the fast kernel ``mlp_symmetry._fast.batch_losses``, in chunks of ``chunk_size`` points (by
    default within about 200 MB; for small networks sized for the CPU cache, one per CPU at a time). The values do not
    depend on the number of CPUs.

    Parameters
    ----------
    params, X, y, activation, loss
        As for :func:`~mlp_symmetry.loss`.
    d1, d2 : Params or array_like of shape (n_params,)
        The directions (see :func:`random_direction`).
    alphas, betas : array_like of shape (n_alpha,) and (n_beta,)
        Coordinates along ``d1`` and ``d2``.

    Returns
    -------
    ndarray of shape (n_beta, n_alpha)
        ``losses[i, j]`` at ``alphas[j], betas[i]``: the layout of ``contour(alphas, betas, losses)``.

    Examples
    --------
    >>> from mlp_symmetry import init_params
    >>> params = init_params([2, 3, 1], rng=0)
    >>> d1, d2 = random_direction(params, rng=1), random_direction(params, rng=2)
    >>> loss_plane(params, np.eye(2), np.ones(2), d1, d2, np.linspace(-1, 1, 5), [0.0, 1.0]).shape
    (2, 5)
    """
    (theta, u, v), shape, data = _with_data([("params", params), ("d1", d1), ("d2", d2)], X, y, activation, loss)
    alphas, betas = _checks.as_float_array(alphas, "alphas"), _checks.as_float_array(betas, "betas")
    for name, values in (("alphas", alphas), ("betas", betas)):
        if values.ndim != 1 or values.shape[0] == 0:
            raise ValueError(f"{name} must be a non-empty 1-D array of coordinates; got shape {values.shape}")
    chunk_size = None if chunk_size is None else _checks.check_int(chunk_size, "chunk_size", minimum=1)
    a_grid, b_grid = np.tile(alphas, betas.shape[0]), np.repeat(betas, alphas.shape[0])

    def make_points(start, stop):
        return theta + a_grid[start:stop, None] * u + b_grid[start:stop, None] * v

    losses = _fast.batch_losses(make_points, a_grid.shape[0], shape, *data, chunk_size)
    return _checks.check_finite_result(losses.reshape(betas.shape[0], alphas.shape[0]), "the plane, X and y")


class PathPlane(NamedTuple):
    """What :func:`path_plane` returns.

    Attributes
    ----------
    d1, d2 : ndarray of shape (n_params,)
        Orthonormal directions: the first two singular directions of the points' offsets from ``origin``.
    coordinates : ndarray of shape (n_points, 2)
        Each point's offset from ``origin`` projected on ``d1`` and ``d2``.
    explained : ndarray of shape (2,)
        The fraction of the offsets' summed squared norm along ``d1`` and along ``d2``.
    """

    d1: np.ndarray
    d2: np.ndarray
    coordinates: np.ndarray
    explained: np.ndarray


def path_plane(points, origin) -> PathPlane:
    """Find the plane through ``origin`` that best fits points of parameter space, such as training trajectories.

    Li et al. (2018) draw a trajectory on the plane of the first two principal components of its points' offsets
    ``theta_i - origin`` from the final point. Here the offsets are not centred: ``d1`` and ``d2`` are their top two
    right singular vectors, so the plane passes through ``origin`` and is the one nearest to the points in the least
    squares sense, and a drawn point is the point of the plane nearest to the true one. Pass the points of several
    paths at once to draw them on one plane, with their common start as ``origin``; their loss surface is
    :func:`loss_plane` around ``origin`` with directions ``d1`` and ``d2``.

    Parameters
    ----------
    points : array_like of shape (n_points, n_params)
        Flat points (:func:`~mlp_symmetry.flatten`), at least two, not all on one line through ``origin``.
    origin : Params or array_like of shape (n_params,)

    Returns
    -------
    PathPlane
        ``explained`` is the fraction of the offsets' summed squared norm that each direction carries.

    Examples
    --------
    Points of a plane through the origin lie in it entirely:

    >>> points = [[1.0, 0.0, 0.0], [0.0, 2.0, 0.0], [1.0, 1.0, 0.0]]
    >>> plane = path_plane(points, origin=[0.0, 0.0, 0.0])
    >>> plane.explained.sum().round(12), np.abs(plane.d1[2]), np.abs(plane.d2[2])
    (np.float64(1.0), np.float64(0.0), np.float64(0.0))
    """
    points = _checks.as_float_array(points, "points")
    if points.ndim != 2 or points.shape[0] < 2:
        raise ValueError(f"points must have shape (n_points, n_params) with n_points >= 2; got shape {points.shape}")
    origin = _as_flat(origin, "origin")[0]
    if origin.shape[0] != points.shape[1]:
        raise ValueError(f"origin must have {points.shape[1]} entries, one per column of points; got {origin.shape[0]}")
    offsets = points - origin
    _, singular, axes = np.linalg.svd(offsets, full_matrices=False)
    if singular.shape[0] < 2 or singular[1] <= 1e-12 * singular[0]:
        raise ValueError("points must span two dimensions from origin; they lie on a line through it")
    d1, d2 = axes[0].copy(), axes[1].copy()
    return PathPlane(d1, d2, offsets @ np.stack([d1, d2]).T, singular[:2] ** 2 / np.sum(singular**2))


@_checks.overflow_raises
def lanczos_eigenvalues(
    params, X, y, activation="tanh", loss="mse", *, k: int = 6, which: str = "largest", tol: float = 0.0, rng=None
) -> np.ndarray:
    """Return the ``k`` algebraically largest (or ``which="smallest"``) Hessian eigenvalues of one network, ascending.

    :func:`scipy.sparse.linalg.eigsh` runs the Lanczos method, to relative accuracy ``tol`` (0: machine precision) from
    a start drawn with ``rng``, on exact Hessian-vector products: the R-operator of
    :func:`~mlp_symmetry.hessian_vector_product`, each one call of the fast kernel
    ``mlp_symmetry._fast.hessian_vector_products``. Memory grows with the number of parameters, not its square. The
    other arguments are as for :func:`~mlp_symmetry.loss`; ``1 <= k < n_params``.

    Examples
    --------
    >>> from mlp_symmetry import hessian, init_params
    >>> X, y, params = np.random.default_rng(0).normal(size=(30, 2)), np.ones(30), init_params([2, 4, 1], rng=0)
    >>> bool(np.allclose(lanczos_eigenvalues(params, X, y, k=2, rng=0), np.linalg.eigvalsh(hessian(params, X, y))[-2:]))
    True
    """
    _, shape = _as_flat(params, "params")
    params, X, targets, activation, loss = _checks.check_problem(params, X, y, activation, loss)
    n = shape.n_params
    k = _checks.check_int(k, "k", minimum=1)
    if k >= n:
        raise ValueError(f"k must be smaller than the number of parameters ({n}); got {k}")
    which = _checks.check_choice(which, "which", ("largest", "smallest"))
    tol = _checks.check_real(tol, "tol")

    def matvec(v):
        V = split_flat(np.asarray(v, dtype=np.float64).reshape(n), *shape)
        products = _fast.hessian_vector_products(params, X, targets, activation, loss, V)
        return flatten(_checks.check_finite_result(products, "params, X and y"))

    operator = LinearOperator((n, n), matvec=matvec, dtype=np.float64)
    v0 = _checks.check_rng(rng).normal(size=n)
    values = eigsh(operator, k=k, which="LA" if which == "largest" else "SA", tol=tol, v0=v0, return_eigenvectors=False)
    return np.sort(values)


def _bezier_objective(a, mid, b, shape, data, t):
    """Return the mean loss over positions ``t`` on the curve and its gradient with respect to ``mid``."""
    t = t[:, None]
    values, grads = loss_and_gradient(split_flat(_bezier(a, mid, b, t), *shape), *data)
    # Chain rule: d c(t) / d mid = 2 t (1 - t) times the identity.
    return float(np.mean(values)), np.mean(2.0 * t * (1.0 - t) * flatten(grads), axis=0)


def bezier_loss_and_gradient(theta_a, theta_mid, theta_b, X, y, t, activation="tanh", loss="mse"):
    """Return the mean loss at positions ``t`` of a Bezier curve, and its gradient with respect to the control point.

    By the chain rule the gradient is ``mean_t 2 t (1 - t) grad L(c(t))``, a flat vector. Arguments as for
    :func:`bezier_curve` and :func:`~mlp_symmetry.loss`.

    Examples
    --------
    At the ends of the curve the control point has no influence:

    >>> from mlp_symmetry import init_params
    >>> a, m, b = (init_params([2, 3, 1], rng=s) for s in range(3))
    >>> bool(np.all(bezier_loss_and_gradient(a, m, b, np.eye(2), np.ones(2), [0.0, 1.0])[1] == 0))
    True
    """
    named = [("theta_a", theta_a), ("theta_mid", theta_mid), ("theta_b", theta_b)]
    (a, mid, b), shape, data = _with_data(named, X, y, activation, loss)
    return _bezier_objective(a, mid, b, shape, data, _checks.check_positions(t, points=True))


class BezierFit(NamedTuple):
    """The result of :func:`fit_bezier_control`: the trained ``control`` point and the mean ``losses`` at each step.

    >>> from mlp_symmetry import init_params
    >>> a, b = init_params([2, 3, 1], rng=1), init_params([2, 3, 1], rng=2)
    >>> fit_bezier_control(a, b, np.eye(2), np.ones(2), n_steps=5, rng=0).losses.shape
    (5,)
    """

    control: tuple
    losses: np.ndarray


def fit_bezier_control(
    theta_a,
    theta_b,
    X,
    y,
    activation="tanh",
    loss="mse",
    *,
    control=None,
    n_steps: int = 200,
    n_t: int = 8,
    learning_rate: float = 0.01,
    rng=None,
) -> BezierFit:
    """Train the control point of a quadratic Bezier curve between two networks.

    Minimises ``E_t L(c(t))`` over ``t`` uniform in ``[0, 1]`` (Garipov et al. 2018) with ``n_steps`` steps of Adam of
    step size ``learning_rate``, the ends fixed, from ``control`` (by default the midpoint: the straight segment). Each
    step evaluates the gradients at ``n_t`` positions drawn with ``rng``, in one batched call
    (:func:`bezier_loss_and_gradient`). ``X``, ``y``, ``activation`` and ``loss`` are as for :func:`~mlp_symmetry.loss`.

    Examples
    --------
    >>> from mlp_symmetry import init_params
    >>> X, y = np.random.default_rng(0).normal(size=(30, 2)), np.ones(30)
    >>> fit = fit_bezier_control(init_params([2, 3, 1], rng=1), init_params([2, 3, 1], rng=2), X, y, n_steps=50, rng=0)
    >>> bool(fit.losses[-5:].mean() < fit.losses[:5].mean())
    True
    """
    named = [("theta_a", theta_a), ("theta_b", theta_b)] + ([("control", control)] if control is not None else [])
    flats, shape, data = _with_data(named, X, y, activation, loss)
    a, b = flats[0], flats[1]
    n_steps = _checks.check_int(n_steps, "n_steps", minimum=1)
    n_t = _checks.check_int(n_t, "n_t", minimum=1)
    learning_rate = _checks.check_real(learning_rate, "learning_rate", strict=True)
    rng, history = _checks.check_rng(rng), []

    def gradient(mid):
        value, grad = _bezier_objective(a, mid, b, shape, data, rng.uniform(size=n_t))
        history.append(value)
        return grad

    mid = adam(gradient, flats[2].copy() if control is not None else 0.5 * (a + b), n_steps, learning_rate)
    return BezierFit(split_flat(mid, *shape), np.array(history))
