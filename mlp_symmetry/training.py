r"""Gradient descent on many independent starts at once.

A leading axis of the parameters is a batch of independent runs, all advanced in one vectorised step, so a thousand
starts cost little more than one. The default update is the heavy-ball form of gradient descent,

.. math::

    v_{t+1} = \mu v_t - \eta (g_t + \sigma_t \xi_t), \qquad \theta_{t+1} = \theta_t + v_{t+1},

with learning rate :math:`\eta`, momentum :math:`\mu` and Gaussian gradient noise :math:`\xi_t` of scale
:math:`\sigma_t`; ``method="adam"`` replaces the step by Adam's (Kingma & Ba), written once, in ``adam_step``.
With ``smoothing > 0``, :math:`g_t` is the gradient of the smoothed loss :math:`E_\varepsilon L(\theta + s_t
\varepsilon)`, averaged over antithetic pairs of perturbed points: a continuation method that starts on a blurred
landscape and sharpens it. Noise and smoothing decay linearly to zero over the first ``anneal_steps`` steps (half the
run by default), so every run ends near a critical point of the true loss. A run whose loss becomes non-finite or
exceeds ``divergence_threshold`` *diverges*: it is frozen at its last finite point. :func:`train` adds minibatches.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import _checks, _fast
from .derivatives import loss_and_gradient
from .network import Layer, Params, batch_shape, flatten, init_params, split_flat, structure, unflatten


class TrainingResult(NamedTuple):
    """What :func:`gradient_descent` and :func:`train` return.

    Attributes
    ----------
    params : ndarray or Params
        The final points: ``(n_runs, n_params)`` (:func:`gradient_descent`) or networks with a run axis (:func:`train`).
    losses, grad_norms : ndarray of shape (n_steps + 1, n_runs)
        The (unsmoothed) loss and gradient norm of every run before each step and at the end; ``inf`` once diverged.
    diverged : ndarray of bool, shape (n_runs,)
    n_gradient_evaluations : int
        Gradient evaluations per run, smoothing samples included: the cost of the method (with minibatches, each is
        the gradient of ``batch_size`` samples).
    path : ndarray of shape (n_records, n_runs, n_params) or None
        With ``record_every = k > 0``: the points before steps 0, k, 2k, ... and the final points.
    """

    params: object
    losses: np.ndarray
    grad_norms: np.ndarray
    diverged: np.ndarray
    n_gradient_evaluations: int
    path: np.ndarray | None = None


def init_runs(layer_sizes, n_runs: int, rng=None, *, bias: bool = True, scale: str | float = "glorot"):
    """Draw the starting points of ``n_runs`` training runs, each from its own random stream.

    Returns networks with a leading run axis; ``layer_sizes``, ``rng``, ``bias`` and ``scale`` are as for
    :func:`~mlp_symmetry.init_params`.

    Examples
    --------
    >>> params = init_runs([2, 3, 1], 5, rng=0)
    >>> params[0].W.shape, params[1].b.shape
    ((5, 3, 2), (5, 1))
    """
    n_runs = _checks.check_int(n_runs, "n_runs", minimum=1)
    seeds = _checks.check_rng(rng).spawn(n_runs)
    runs = [flatten(init_params(layer_sizes, seed, bias=bias, scale=scale)) for seed in seeds]
    return unflatten(np.stack(runs), layer_sizes, bias=bias)


def gradient_descent(
    fun,
    theta,
    *,
    learning_rate: float = 0.1,
    n_steps: int = 1000,
    momentum: float = 0.0,
    method: str = "heavy_ball",
    noise: float = 0.0,
    smoothing: float = 0.0,
    n_smoothing_samples: int = 8,
    anneal_steps: int | None = None,
    divergence_threshold: float = 1e8,
    record_every: int = 0,
    rng=None,
) -> TrainingResult:
    """Run full-batch gradient descent from the starts ``theta``, one row per run (see :mod:`mlp_symmetry.training`).

    Parameters
    ----------
    fun : callable
        ``fun(theta) -> (values, grads)``, broadcasting over leading axes of ``theta``.
    theta : array_like of shape (n_runs, n_params)
    learning_rate, n_steps, momentum : float, int, float
        Step size, number of steps, and heavy-ball momentum in ``[0, 1)`` (not used by Adam).
    method : {"heavy_ball", "adam"}
    noise, smoothing, n_smoothing_samples : float, float, int
        Initial scales of the gradient noise and of the smoothing (0: off), and perturbed gradients per step (even).
    anneal_steps, divergence_threshold, record_every : int or None, float, int
        ``record_every = k > 0`` keeps every ``k``-th point of each run in ``path`` (0: none).
    rng : int, numpy.random.Generator or None
        Source of the noise and the smoothing perturbations.

    Examples
    --------
    Three starts on the double well ``(t**2 - 1)**2`` end in the valley on their own side:

    >>> def double_well(t):
    ...     return ((t**2 - 1) ** 2).sum(-1), 4 * t * (t**2 - 1)
    >>> gradient_descent(double_well, [[-0.5], [0.2], [2.0]], learning_rate=0.05, n_steps=200).params.round(6).tolist()
    [[-1.0], [1.0], [1.0]]
    """
    fun = _checks.check_callable(fun, "fun")
    theta = np.array(_checks.as_float_array(theta, "theta"))
    if theta.ndim != 2:
        raise ValueError(f"theta must have shape (n_runs, n_params); got shape {theta.shape}")
    learning_rate = _checks.check_real(learning_rate, "learning_rate", strict=True)
    n_steps = _checks.check_int(n_steps, "n_steps", minimum=0)
    momentum = _checks.check_real(momentum, "momentum", below=1.0)
    method = _checks.check_choice(method, "method", ("heavy_ball", "adam"))
    record_every = _checks.check_int(record_every, "record_every", minimum=0)
    noise = _checks.check_real(noise, "noise")
    smoothing = _checks.check_real(smoothing, "smoothing")
    n_smoothing_samples = _checks.check_int(n_smoothing_samples, "n_smoothing_samples", minimum=2)
    if n_smoothing_samples % 2:
        raise ValueError(f"n_smoothing_samples must be even (antithetic pairs); got {n_smoothing_samples}")
    anneal_steps = n_steps // 2 if anneal_steps is None else _checks.check_int(anneal_steps, "anneal_steps", minimum=0)
    divergence_threshold = _checks.check_real(divergence_threshold, "divergence_threshold", strict=True)
    rng = _checks.check_rng(rng)

    losses, grad_norms = np.full((n_steps + 1, theta.shape[0]), np.inf), np.full((n_steps + 1, theta.shape[0]), np.inf)
    diverged, velocity, evaluations = np.zeros(theta.shape[0], dtype=bool), np.zeros_like(theta), 0
    moments, path = (np.zeros_like(theta), np.zeros_like(theta)), []
    with np.errstate(over="ignore", invalid="ignore"):
        for step in range(n_steps + 1):
            if record_every and (step % record_every == 0 or step == n_steps):
                path.append(theta.copy())
            values, grads = (np.asarray(a, dtype=float) for a in fun(theta))
            evaluations += 1
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
            if method == "adam":
                velocity = -learning_rate * adam_step(moments, grads, step + 1)
            else:
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
    return TrainingResult(theta, losses, grad_norms, diverged, evaluations, np.stack(path) if path else None)


def train(
    params,
    X,
    y,
    activation: str = "tanh",
    loss: str = "mse",
    *,
    batch_size: int | None = None,
    rng=None,
    n_threads: int | None = None,
    **options,
) -> TrainingResult:
    r"""Train a batch of MLPs (one leading run axis) on one data set by gradient descent, full-batch or on minibatches.

    With ``batch_size = b``, every run draws its own ``b`` samples without replacement at every step and follows the
    gradient of their mean loss, :math:`\frac1b \sum_{i \in B} \nabla \ell_i`; the recorded losses stay those of
    the whole data set. (The kernel evaluates every sample and weights the drawn ones by ``n_samples / b``, the others
    by 0; a real minibatch step costs ``b / n_samples`` of a full gradient.) ``rng`` draws the minibatches and goes on
    to :func:`gradient_descent` for its noise.

    The gradients of all runs come from one fast kernel, ``mlp_symmetry._fast.gradient_function``: the backprop of
    :func:`~mlp_symmetry.loss_and_gradient` on cache-sized blocks of runs, several blocks at once on ``n_threads``
    threads (by default one per CPU, or one when a run's widest layer on all samples exceeds 1 MB and BLAS uses every
    CPU; the results do not depend on it). ``options`` go to :func:`gradient_descent`; the other arguments are as for
    :func:`~mlp_symmetry.loss`, the starts for example from :func:`init_runs`.

    Examples
    --------
    Twenty starts of a 2-2-1 tanh network on XOR end at two loss levels:

    >>> X, y = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]]), np.array([-1.0, 1.0, 1.0, -1.0])
    >>> result = train(init_runs([2, 2, 1], 20, rng=0), X, y, learning_rate=0.2, n_steps=2000)
    >>> [a.tolist() for a in distinct_levels(np.round(result.losses[-1], 3), tol=0.01)[:2]]
    [[0.0, 0.5], [18, 2]]
    """
    params = _checks.check_params(params)
    n_threads = None if n_threads is None else _checks.check_int(n_threads, "n_threads", minimum=1)
    rng = _checks.check_rng(rng)
    if len(batch_shape(params)) != 1:
        raise ValueError(f"params must have exactly one leading run axis; got batch shape {batch_shape(params)}")
    # Validate the data once, not at every step.
    first = tuple(Layer(W[0], None if b is None else b[0]) for W, b in params)
    _, X, targets, activation, loss = _checks.check_problem(first, X, y, activation, loss)
    shape = structure(params)
    n = X.shape[0]
    batch_size = n if batch_size is None else _checks.check_int(batch_size, "batch_size", minimum=1)
    if batch_size > n:
        raise ValueError(f"batch_size must be at most the number of samples, {n}; got {batch_size}")

    with _fast.gradient_function(shape, X, targets, activation, loss, n_threads) as full_batch:

        def fun(theta):
            if batch_size == n:
                return full_batch(theta)
            # Each run (each row of theta) draws its own minibatch: the first b of a random order of the samples.
            chosen = np.argsort(rng.random(theta.shape[:-1] + (n,)), axis=-1)[..., :batch_size]
            weights = np.zeros(theta.shape[:-1] + (n,))
            np.put_along_axis(weights, chosen, n / batch_size, axis=-1)
            return full_batch(theta, weights)

        result = gradient_descent(fun, flatten(params), rng=rng, **options)
    return result._replace(params=split_flat(result.params, *shape))


def adam_step(moments, grad, step: int, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8):
    """Adam's direction (Kingma & Ba) at ``step`` (from 1), to scale by ``-learning_rate``; updates ``moments``."""
    m1, m2 = moments
    m1 *= beta1
    m1 += (1 - beta1) * grad
    m2 *= beta2
    m2 += (1 - beta2) * grad**2
    return (m1 / (1 - beta1**step)) / (np.sqrt(m2 / (1 - beta2**step)) + eps)


def adam(gradient, theta, n_steps: int, learning_rate: float) -> np.ndarray:
    """Take ``n_steps`` steps of Adam from ``theta`` along ``gradient(theta)``; return the final point (no checks)."""
    moments = (np.zeros_like(theta), np.zeros_like(theta))
    for step in range(1, n_steps + 1):
        theta = theta - learning_rate * adam_step(moments, gradient(theta), step)
    return theta


def train_adam(
    params,
    X,
    y,
    activation: str = "relu",
    loss: str = "softmax_cross_entropy",
    *,
    n_epochs: int = 10,
    batch_size: int = 64,
    learning_rate: float = 1e-3,
    rng=None,
) -> Params:
    """Train one or many networks with minibatch Adam; runs share the shuffled minibatches, and differ by their starts.

    ``n_epochs`` passes over the data in minibatches of ``batch_size`` samples (the last of an epoch may be smaller),
    shuffled with ``rng``, at step size ``learning_rate``; the other arguments are as for :func:`~mlp_symmetry.loss`.

    Examples
    --------
    >>> from mlp_symmetry import init_params, loss
    >>> X = np.random.default_rng(0).normal(size=(200, 2))
    >>> y, start = (X[:, 0] * X[:, 1] > 0).astype(int), init_params([2, 16, 2], rng=0)
    >>> end = train_adam(start, X, y, n_epochs=20, learning_rate=0.01, rng=0)
    >>> loss(end, X, y, "relu", "softmax_cross_entropy") < 0.5 * loss(start, X, y, "relu", "softmax_cross_entropy")
    True
    """
    params, X, targets, activation, loss = _checks.check_problem(params, X, y, activation, loss)
    n_epochs = _checks.check_int(n_epochs, "n_epochs", minimum=1)
    batch_size = _checks.check_int(batch_size, "batch_size", minimum=1)
    learning_rate = _checks.check_real(learning_rate, "learning_rate", strict=True)
    rng, shape = _checks.check_rng(rng), structure(params)

    def minibatches():
        for _ in range(n_epochs):
            order = rng.permutation(X.shape[0])  # a new order of the samples every epoch
            for start in range(0, X.shape[0], batch_size):
                yield order[start : start + batch_size]

    batches = minibatches()

    def gradient(theta):
        rows = next(batches)
        return flatten(loss_and_gradient(split_flat(theta, *shape), X[rows], targets[rows], activation, loss)[1])

    n_steps = n_epochs * -(-X.shape[0] // batch_size)
    return split_flat(adam(gradient, flatten(params), n_steps, learning_rate), *shape)


def distinct_levels(values, tol: float = 1e-6):
    """Group values (for example final losses) into levels: sorted neighbours closer than ``tol`` share a level.

    Returns
    -------
    levels : ndarray of shape (n_levels,)
        The smallest value of each level, ascending.
    counts : ndarray of shape (n_levels,)
    labels : ndarray of shape (n,)
        The level of each value.

    Examples
    --------
    >>> levels, counts, labels = distinct_levels([0.5, 1e-9, 0.5 + 1e-8, 0.0, 2.0])
    >>> levels.tolist(), counts.tolist(), labels.tolist()
    ([0.0, 0.5, 2.0], [2, 2, 1], [1, 0, 1, 0, 2])
    """
    values = _checks.as_float_array(values, "values")
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"values must be a non-empty 1-d array; got shape {values.shape}")
    tol = _checks.check_real(tol, "tol")
    order = np.argsort(values, kind="stable")
    sorted_values = values[order]
    starts = np.concatenate([[True], np.diff(sorted_values) > tol])
    sorted_labels = np.cumsum(starts) - 1
    labels = np.empty_like(sorted_labels)
    labels[order] = sorted_labels
    return sorted_values[starts], np.bincount(sorted_labels), labels
