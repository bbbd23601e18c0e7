"""The density of Hessian eigenvalues, estimated by stochastic Lanczos quadrature.

For ``n`` parameters, the spectral density ``phi(t) = (1/n) sum_i delta(t - lambda_i)`` of the Hessian ``H`` satisfies
``(1/n) trace f(H) = integral f(t) phi(t) dt`` for every function ``f``. A probe ``v`` with independent entries of
mean 0 and variance 1 (here signs, +1 or -1) gives ``E[v^T f(H) v] = trace f(H)`` (Hutchinson), and for the unit
vector ``q = v / |v|``, ``q^T f(H) q = sum_i (q . u_i)^2 f(lambda_i)`` is an integral against a discrete measure
whose weights sum to 1. ``m`` steps of the Lanczos recursion from ``q`` give a tridiagonal ``T`` of size ``m``; the
Gauss quadrature rule of that measure has as nodes the eigenvalues of ``T`` (Ritz values) and as weights the squared
first components of its unit eigenvectors (Golub & Welsch 1969), exact for polynomials ``f`` of degree below ``2m``.
Averaging the rules of several probes estimates ``phi``; a Gaussian kernel turns the nodes into a smooth curve
(Lin, Saad & Yang 2016; Ghorbani, Krishnan & Xiao 2019).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import _checks
from .derivatives import hessian_vector_product
from .network import structure

MAX_LANCZOS_NUMBERS = 10**8
"""Largest number of stored Lanczos vector entries, ``n_probes * n_steps * n_params`` (800 MB)."""


class Quadrature(NamedTuple):
    """Gauss quadrature rules of the Hessian's spectral density, one row per probe."""

    nodes: np.ndarray
    """Ritz values, shape ``(n_probes, n_steps)``, ascending in each row."""
    weights: np.ndarray
    """Their weights, same shape, each row summing to 1."""


def spectral_density(
    params, X, y, activation="tanh", loss="mse", *, n_probes: int = 8, n_steps: int = 60, rng=None
) -> Quadrature:
    """Estimate the spectral density of the Hessian of one network by stochastic Lanczos quadrature.

    Each of ``n_probes`` random sign vectors starts ``n_steps`` Lanczos steps (``n_steps <= n_params``), with every new
    vector orthogonalised twice against all previous ones (full reorthogonalisation); each step multiplies all probes
    by the exact Hessian in one call of :func:`~mlp_symmetry.hessian_vector_product`. Should a Krylov space be
    exhausted, the recursion continues from a random vector orthogonal to it, whose nodes get zero weight; so
    ``n_steps = n_params`` returns every eigenvalue. All ``n_probes * n_steps`` vectors are kept (at most 10**8
    numbers). The other arguments are as for :func:`~mlp_symmetry.loss`.

    Returns
    -------
    Quadrature
        ``nodes`` and ``weights`` of shape ``(n_probes, n_steps)``: the estimate of ``(1/n_params) trace f(H)`` from
        probe ``k`` is ``sum(weights[k] * f(nodes[k]))``, and ``n_params`` times the weight of the nodes in an
        interval estimates the number of eigenvalues there. :func:`smoothed_density` draws them as a curve.

    Examples
    --------
    With as many steps as parameters, the nodes are the eigenvalues:

    >>> from mlp_symmetry import hessian, init_params
    >>> X, y, params = np.random.default_rng(0).normal(size=(30, 2)), np.ones(30), init_params([2, 3, 1], rng=0)
    >>> rule = spectral_density(params, X, y, n_probes=1, n_steps=13, rng=0)
    >>> bool(np.allclose(rule.nodes[0], np.linalg.eigvalsh(hessian(params, X, y)), atol=1e-10))
    True
    """
    params, X, targets, activation, loss = _checks.check_problem(params, X, y, activation, loss)
    n = structure(_checks.check_one_network(params, purpose=" for spectral_density")).n_params
    n_probes = _checks.check_int(n_probes, "n_probes", minimum=1)
    n_steps = _checks.check_int(n_steps, "n_steps", minimum=1)
    if n_steps > n:
        raise ValueError(f"n_steps must be at most the number of parameters ({n}); got {n_steps}")
    if n_probes * n_steps * n > MAX_LANCZOS_NUMBERS:
        raise ValueError(
            f"n_probes * n_steps must be at most {MAX_LANCZOS_NUMBERS // n} for {n} parameters (every Lanczos vector "
            f"is kept, at most {MAX_LANCZOS_NUMBERS} numbers); got n_probes={n_probes}, n_steps={n_steps}"
        )
    rng = _checks.check_rng(rng)
    Q = np.zeros((n_steps, n_probes, n))  # the Lanczos vectors of every probe
    alpha, beta = np.zeros((n_probes, n_steps)), np.zeros((n_probes, n_steps))
    Q[0] = rng.choice([-1.0, 1.0], size=(n_probes, n)) / np.sqrt(n)
    for j in range(n_steps):
        w = hessian_vector_product(params, X, y, Q[j], activation, loss)
        alpha[:, j] = np.sum(w * Q[j], axis=1)
        if j == n_steps - 1:
            break
        for _ in range(2):  # w minus its projections on every Lanczos vector so far, twice for rounding
            w -= np.einsum("jp,jpn->pn", np.einsum("jpn,pn->jp", Q[: j + 1], w), Q[: j + 1])
        beta[:, j] = np.linalg.norm(w, axis=1)
        scale = np.max(np.abs(alpha[:, : j + 1]), axis=1) + np.max(beta[:, : j + 1], axis=1)
        for p in np.flatnonzero(beta[:, j] <= 1e-10 * scale):  # an exhausted Krylov space: restart orthogonally
            beta[p, j], w[p] = 0.0, rng.normal(size=n)
            for _ in range(2):
                w[p] -= Q[: j + 1, p].T @ (Q[: j + 1, p] @ w[p])
        Q[j + 1] = w / np.linalg.norm(w, axis=1, keepdims=True)
    T = np.zeros((n_probes, n_steps, n_steps))
    steps = np.arange(n_steps)
    T[:, steps, steps] = alpha
    T[:, steps[1:], steps[:-1]] = T[:, steps[:-1], steps[1:]] = beta[:, :-1]
    nodes, vectors = np.linalg.eigh(T)
    return Quadrature(nodes, vectors[:, 0, :] ** 2)


def smoothed_density(nodes, weights, grid, width: float) -> np.ndarray:
    """Turn quadrature rules into spectral densities on ``grid``: each node a Gaussian of standard deviation ``width``.

    ``nodes`` and ``weights`` are as returned by :func:`spectral_density`, of shape ``(n_probes, n_steps)`` (or
    ``(n_steps,)`` for one probe); ``grid`` is a vector of eigenvalues. Returns one density per probe, of shape
    ``(n_probes, len(grid))`` (``(len(grid),)`` for one probe), each integrating to 1 over the real line: their mean
    is the estimate, their spread its uncertainty.

    Examples
    --------
    >>> grid = np.linspace(-5.0, 6.0, 1101)
    >>> density = smoothed_density([[0.0, 1.0]], [[0.5, 0.5]], grid, 0.1)
    >>> density.shape, round(float(np.sum(density) * (grid[1] - grid[0])), 6)
    ((1, 1101), 1.0)
    """
    nodes = _checks.as_float_array(nodes, "nodes", ndim_min=1)
    weights = _checks.as_float_array(weights, "weights", ndim_min=1)
    if nodes.ndim > 2 or weights.shape != nodes.shape:
        raise ValueError(
            f"nodes and weights must have one shape, (n_probes, n_steps) or (n_steps,); got nodes of shape "
            f"{nodes.shape} and weights of shape {weights.shape}"
        )
    grid = _checks.as_float_array(grid, "grid", ndim_min=1)
    if grid.ndim != 1:
        raise ValueError(f"grid must be a vector; got shape {grid.shape}")
    width = _checks.check_real(width, "width", strict=True)
    gaussians = np.exp(-0.5 * ((grid[:, None] - nodes[..., None, :]) / width) ** 2) / (width * np.sqrt(2 * np.pi))
    return np.sum(gaussians * weights[..., None, :], axis=-1)
