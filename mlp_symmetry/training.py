r"""Gradient descent on many independent starts at once.

Every function here treats a leading axis of the parameters as a batch of
independent training runs and advances all of them in one vectorised step, so
a thousand starts cost little more than one. The update is the heavy-ball
form of gradient descent,

.. math::

    v_{t+1} = \mu v_t - \eta (g_t + \sigma_t \xi_t), \qquad \theta_{t+1} = \theta_t + v_{t+1},

with learning rate :math:`\eta`, momentum :math:`\mu` (0 gives plain
gradient descent), and optional Gaussian gradient noise
:math:`\xi_t \sim N(0, I)` of scale :math:`\sigma_t`. With ``smoothing > 0``,
:math:`g_t` is the gradient of the Gaussian-smoothed loss
:math:`E_\varepsilon L(\theta + s_t \varepsilon)`, estimated by averaging the
gradient at antithetic pairs of perturbed points: a continuation (homotopy)
method that starts on a blurred landscape and sharpens it.

The noise scale and the smoothing scale decay linearly from their initial
values to zero over the first ``anneal_steps`` steps (half the run by
default); the remaining steps are plain (momentum) gradient descent, so every
run ends close to a critical point of the true loss.

Thresholds
----------
A run *diverges* when its loss becomes non-finite or exceeds
``divergence_threshold`` (default ``1e8``): it is frozen at its last finite
point, its later losses are recorded as ``inf``, and ``diverged`` flags it.
:func:`distinct_levels` groups final losses into levels whose members lie
within ``tol`` of the next one (default ``1e-6``).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import _checks
from ._fast import blocks as _blocks
from .derivatives import _loss_and_gradient
from .losses import prepare
from .network import Layer, as_params, batch_shape, flatten, init_params, split_flat, with_ones


class TrainingResult(NamedTuple):
    """What :func:`gradient_descent` and :func:`train` return.

    Attributes
    ----------
    params : ndarray or tuple of Layer
        The final points, one per run: an array ``(n_runs, n_params)`` from
        :func:`gradient_descent`, MLP parameters with a leading run axis from
        :func:`train`.
    losses : ndarray of shape (n_steps + 1, n_runs)
        The (unsmoothed) loss of every run before each step and at the end;
        ``inf`` after a run diverged.
    grad_norms : ndarray of shape (n_steps + 1, n_runs)
        The Euclidean norm of the (unsmoothed) gradient at the same points.
    diverged : ndarray of bool, shape (n_runs,)
        Runs stopped because their loss blew up.
    n_gradient_evaluations : int
        Gradient evaluations spent per run, smoothing samples included: the
        cost of the method.
    """

    params: object
    losses: np.ndarray
    grad_norms: np.ndarray
    diverged: np.ndarray
    n_gradient_evaluations: int


def _check_number(value, name: str, *, minimum: float = 0.0, strict: bool = False) -> float:
    """Return ``value`` as a float if it is a finite real number >= (or >) ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating | np.integer):
        raise TypeError(f"{name} must be a real number; got {_checks._describe(value)}")
    value = float(value)
    ok = value > minimum if strict else value >= minimum
    if not (np.isfinite(value) and ok):
        raise ValueError(f"{name} must be a finite number {'>' if strict else '>='} {minimum}; got {value}")
    return value


def init_runs(layer_sizes, n_runs: int, rng=None, *, bias: bool = True, scale: str | float = "glorot"):
    """Draw the starting points of many training runs at once.

    Parameters
    ----------
    layer_sizes : sequence of int
        ``[n_in, n_hidden..., n_out]``.
    n_runs : int
        Number of independent starts.
    rng : int, numpy.random.Generator or None
        Seed or generator.
    bias, scale
        As for :func:`~mlp_symmetry.init_params`.

    Returns
    -------
    params : tuple of Layer
        Parameters with a leading axis of length ``n_runs``; run ``r`` is drawn
        exactly like ``init_params(layer_sizes, scale=scale)`` with its own
        independent stream.

    Examples
    --------
    >>> params = init_runs([2, 3, 1], 5, rng=0)
    >>> params[0].W.shape, params[1].b.shape
    ((5, 3, 2), (5, 1))
    """
    n_runs = _checks.check_int(n_runs, "n_runs", minimum=1)
    seeds = np.random.default_rng(rng).spawn(n_runs)
    runs = [init_params(layer_sizes, seed, bias=bias, scale=scale) for seed in seeds]
    return tuple(
        Layer(
            np.stack([run[i].W for run in runs]), None if runs[0][i].b is None else np.stack([run[i].b for run in runs])
        )
        for i in range(len(runs[0]))
    )


def gradient_descent(
    fun,
    theta,
    *,
    learning_rate: float = 0.1,
    n_steps: int = 1000,
    momentum: float = 0.0,
    noise: float = 0.0,
    smoothing: float = 0.0,
    n_smoothing_samples: int = 8,
    anneal_steps: int | None = None,
    divergence_threshold: float = 1e8,
    rng=None,
) -> TrainingResult:
    """Run full-batch gradient descent from many starts in one vectorised loop.

    Parameters
    ----------
    fun : callable
        ``fun(theta) -> (values, grads)`` for ``theta`` of shape
        ``(..., n_params)``: the loss of shape ``(...)`` and its gradient of
        shape ``(..., n_params)``. It must broadcast over leading axes
        (smoothing evaluates it on ``(n_smoothing_samples, n_runs, n_params)``).
    theta : array_like of shape (n_runs, n_params)
        The starting points, one row per run. Not modified.
    learning_rate : float
        Step size, > 0.
    n_steps : int
        Number of steps.
    momentum : float
        Heavy-ball momentum in ``[0, 1)``.
    noise : float
        Initial standard deviation of Gaussian noise added to each gradient
        component, annealed to zero.
    smoothing : float
        Initial standard deviation of the Gaussian smoothing of the loss,
        annealed to zero; 0 turns smoothing off.
    n_smoothing_samples : int
        Perturbed gradients per step when smoothing (an even number: they
        come in antithetic pairs).
    anneal_steps : int, optional
        Steps over which noise and smoothing decay linearly to zero; by
        default ``n_steps // 2``.
    divergence_threshold : float
        A run whose loss exceeds this (or is not finite) is frozen.
    rng : int, numpy.random.Generator or None
        Source of the gradient noise and the smoothing perturbations.

    Returns
    -------
    TrainingResult
        ``params`` is the array of final points ``(n_runs, n_params)``.

    Raises
    ------
    ValueError
        If ``theta`` is not two-dimensional or an option is out of range.

    See Also
    --------
    train : the same for an MLP on a data set.

    Examples
    --------
    Three starts on the double well ``(t**2 - 1)**2`` end in the valley on
    their own side:

    >>> def double_well(t):
    ...     return ((t**2 - 1) ** 2).sum(-1), 4 * t * (t**2 - 1)
    >>> result = gradient_descent(double_well, [[-0.5], [0.2], [2.0]], learning_rate=0.05, n_steps=200)
    >>> np.round(result.params[:, 0], 6)
    array([-1.,  1.,  1.])
    >>> result.losses.shape, result.n_gradient_evaluations
    ((201, 3), 201)
    """
    theta = np.array(_checks.as_float_array(theta, "theta"))
    if theta.ndim != 2:
        raise ValueError(f"theta must have shape (n_runs, n_params); got shape {theta.shape}")
    learning_rate = _check_number(learning_rate, "learning_rate", strict=True)
    n_steps = _checks.check_int(n_steps, "n_steps", minimum=0)
    momentum = _check_number(momentum, "momentum")
    if momentum >= 1:
        raise ValueError(f"momentum must be in [0, 1); got {momentum}")
    noise = _check_number(noise, "noise")
    smoothing = _check_number(smoothing, "smoothing")
    n_smoothing_samples = _checks.check_int(n_smoothing_samples, "n_smoothing_samples", minimum=2)
    if n_smoothing_samples % 2:
        raise ValueError(f"n_smoothing_samples must be even (antithetic pairs); got {n_smoothing_samples}")
    anneal_steps = n_steps // 2 if anneal_steps is None else _checks.check_int(anneal_steps, "anneal_steps", minimum=0)
    divergence_threshold = _check_number(divergence_threshold, "divergence_threshold", strict=True)
    rng = np.random.default_rng(rng)

    n_runs = theta.shape[0]
    losses = np.full((n_steps + 1, n_runs), np.inf)
    grad_norms = np.full((n_steps + 1, n_runs), np.inf)
    diverged = np.zeros(n_runs, dtype=bool)
    velocity = np.zeros_like(theta)
    evaluations = 0
    with np.errstate(over="ignore", invalid="ignore"):
        for step in range(n_steps + 1):
            values, grads = fun(theta)
            evaluations += 1
            values = np.asarray(values, dtype=float)
            grads = np.asarray(grads, dtype=float)
            blown = ~np.isfinite(values) | (values > divergence_threshold) | ~np.all(np.isfinite(grads), axis=-1)
            diverged |= blown
            live = ~diverged
            losses[step, live] = values[live]
            grad_norms[step, live] = np.linalg.norm(grads, axis=-1)[live]
            if step == n_steps:
                break
            decay = max(0.0, 1.0 - step / anneal_steps) if anneal_steps > 0 else 0.0
            if smoothing > 0 and decay > 0:
                half = rng.normal(size=(n_smoothing_samples // 2,) + theta.shape)
                eps = np.concatenate([half, -half])
                grads = fun(theta + smoothing * decay * eps)[1].mean(axis=0)
                evaluations += n_smoothing_samples
            if noise > 0 and decay > 0:
                grads = grads + noise * decay * rng.normal(size=theta.shape)
            # In place where the arrays are ours: fresh arrays of many runs cost page faults.
            velocity *= momentum
            velocity -= learning_rate * grads
            # Frozen runs keep their last finite point.
            velocity[diverged] = 0.0
            new_theta = theta + velocity
            overflow = ~np.all(np.isfinite(new_theta), axis=-1)
            diverged |= overflow
            new_theta[overflow] = theta[overflow]
            theta = new_theta
    return TrainingResult(theta, losses, grad_norms, diverged, evaluations)


def train(
    params, X, y, activation: str = "tanh", loss: str = "mse", *, n_threads: int | None = None, **options
) -> TrainingResult:
    """Train a batch of MLPs on one data set by full-batch gradient descent.

    Parameters
    ----------
    params : sequence of (W, b) pairs
        Starting points with one leading run axis, for example from
        :func:`init_runs`. Not modified.
    X, y : array_like
        Training data, as for :func:`~mlp_symmetry.loss`.
    activation, loss : str
        As for :func:`~mlp_symmetry.loss`.
    n_threads : int, optional
        Threads that evaluate blocks of runs at the same time. By default, the
        number of CPUs this process may use for small networks, and one when a
        single run's widest layer on all samples exceeds 1 MB (its matrix
        products are then large enough for numpy's BLAS to use every CPU).
        The results do not depend on it.
    **options
        Passed to :func:`gradient_descent` (``learning_rate``, ``n_steps``,
        ``momentum``, ``noise``, ``smoothing``, ``rng``, ...).

    Returns
    -------
    TrainingResult
        ``params`` holds the final networks with the leading run axis.

    Raises
    ------
    ValueError
        If ``params`` does not have exactly one batch axis, or as for
        :func:`gradient_descent` and :func:`~mlp_symmetry.loss`.

    Examples
    --------
    Twenty starts of a 2-2-1 tanh network on XOR end at two loss levels:

    >>> X = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
    >>> y = np.array([-1.0, 1.0, 1.0, -1.0])
    >>> result = train(init_runs([2, 2, 1], 20, rng=0), X, y, learning_rate=0.2, n_steps=2000)
    >>> result.losses.shape
    (2001, 20)
    >>> levels, counts, _ = distinct_levels(np.round(result.losses[-1], 3), tol=0.01)
    >>> levels.tolist(), counts.tolist()
    ([0.0, 0.5], [18, 2])
    """
    params = as_params(params)
    n_threads = None if n_threads is None else _checks.check_int(n_threads, "n_threads", minimum=1)
    if len(batch_shape(params)) != 1:
        raise ValueError(f"params must have exactly one leading run axis; got batch shape {batch_shape(params)}")
    # Validate the data once, not at every step.
    first = tuple(Layer(W[0], None if b is None else b[0]) for W, b in params)
    _, X, targets, activation, loss = prepare(first, X, y, activation, loss)
    sizes = (params[0].W.shape[-1],) + tuple(layer.W.shape[-2] for layer in params)
    biases = [layer.b is not None for layer in params]
    # Runs are processed in cache-sized blocks, several at once (see _blocks).
    run_bytes = 8 * X.shape[0] * max(sizes[1:])
    X_ones = with_ones(X)
    if n_threads is None:
        n_threads = _blocks.threads_for(run_bytes)

    def fun(theta):
        flat = theta.reshape(-1, theta.shape[-1])
        values, grads = np.empty(flat.shape[0]), np.empty_like(flat)

        def run_block(start, stop):
            block = split_flat(flat[start:stop], sizes, biases)
            value, grad = _loss_and_gradient(block, X, targets, activation, loss, X_ones)
            values[start:stop] = value
            # Copy each layer's gradient into its columns (no concatenated temporary).
            column = 0
            for layer in grad:
                for part in (layer.W, layer.b):
                    if part is not None:
                        width = part[0].size
                        grads[start:stop, column : column + width] = part.reshape(part.shape[0], width)
                        column += width

        workers.run(run_block, _blocks.ranges(flat.shape[0], run_bytes))
        return values.reshape(theta.shape[:-1]), grads.reshape(theta.shape)

    with _blocks.Workers(n_threads) as workers:
        result = gradient_descent(fun, flatten(params), **options)
    return result._replace(params=split_flat(result.params, sizes, biases))


def distinct_levels(values, tol: float = 1e-6):
    """Group values into levels: sorted neighbours closer than ``tol`` share a level.

    Parameters
    ----------
    values : array_like of shape (n,)
        For example the final losses of many runs.
    tol : float
        Largest gap inside one level.

    Returns
    -------
    levels : ndarray of shape (n_levels,)
        The smallest value of each level, ascending.
    counts : ndarray of shape (n_levels,)
        How many values fall in each level.
    labels : ndarray of shape (n,)
        The level index of each value.

    Examples
    --------
    >>> levels, counts, labels = distinct_levels([0.5, 1e-9, 0.5 + 1e-8, 0.0, 2.0])
    >>> levels.tolist(), counts.tolist(), labels.tolist()
    ([0.0, 0.5, 2.0], [2, 2, 1], [1, 0, 1, 0, 2])
    """
    values = _checks.as_float_array(values, "values")
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"values must be a non-empty 1-d array; got shape {values.shape}")
    tol = _check_number(tol, "tol")
    order = np.argsort(values, kind="stable")
    sorted_values = values[order]
    starts = np.concatenate([[True], np.diff(sorted_values) > tol])
    sorted_labels = np.cumsum(starts) - 1
    labels = np.empty_like(sorted_labels)
    labels[order] = sorted_labels
    return sorted_values[starts], np.bincount(sorted_labels), labels
