"""Align the hidden units of two networks before comparing or averaging them.

Two training runs of one architecture end at minima that may differ mostly by a relabelling of hidden units.
*Weight matching* (Ainsworth, Hayase & Srinivasa 2023, "Git Re-Basin") looks for the permutations of network B's
hidden layers that bring its weights closest to network A's, that is, that maximise
``sum_l <W_l^A, P_l W_l^B P_{l-1}^T> + <b_l^A, P_l b_l^B>``, one linear assignment problem per layer
(:func:`weight_matching`). Permutations act as in :func:`~mlp_symmetry.permute_hidden_units`: after applying
``perms[l]``, unit ``i`` of hidden layer ``l`` is the old unit ``perms[l][i]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from scipy.optimize import linear_sum_assignment

from . import _checks
from .network import structure
from .symmetry import permute_hidden_units, unit_axes


class Matching(NamedTuple):
    """The result of :func:`weight_matching`: ``perms`` (per hidden layer), B permuted (``params``), ``n_sweeps``."""

    perms: tuple
    params: tuple
    n_sweeps: int


def _check_pair(params_a, params_b):
    """Validate two single networks (no batch axes) of one architecture with a hidden layer."""
    pair = []
    for name, params in (("params_a", params_a), ("params_b", params_b)):
        try:
            params = _checks.check_params(params)
        except (TypeError, ValueError) as error:
            raise type(error)(f"{name}: {error}") from None
        pair.append(_checks.check_one_network(params, name))
    a, b = (tuple(structure(p)) for p in pair)
    if a != b:
        raise ValueError(
            f"params_a and params_b must have the same architecture (layer sizes, biases); got {a} and {b}"
        )
    if len(pair[0]) < 2:
        raise ValueError("the networks must have at least one hidden layer to permute; got none")
    return pair


def apply_permutations(params, perms):
    """Permute the units of every hidden layer at once, ``perms[l]`` a permutation of the units of hidden layer ``l``.

    Examples
    --------
    >>> from mlp_symmetry import forward, init_params
    >>> net, X = init_params([3, 4, 5, 2], rng=0), np.random.default_rng(0).normal(size=(10, 3))
    >>> twin = apply_permutations(net, [[3, 1, 0, 2], [4, 3, 2, 1, 0]])
    >>> bool(np.allclose(forward(net, X), forward(twin, X), rtol=1e-13, atol=1e-13))
    True
    """
    params = _checks.check_params(params)
    flat = isinstance(perms, np.ndarray) and perms.ndim != 2
    if flat or isinstance(perms, str | bytes) or not isinstance(perms, Sequence | np.ndarray):
        raise TypeError(
            f"perms must be a sequence of permutations, one per hidden layer; got {_checks._describe(perms)}"
        )
    if len(perms) != len(params) - 1:
        raise ValueError(f"perms must hold one permutation per hidden layer ({len(params) - 1}); got {len(perms)}")
    for layer, perm in enumerate(perms):
        try:
            params = permute_hidden_units(params, layer, perm)
        except (TypeError, ValueError) as error:
            raise type(error)(f"perms[{layer}]: {error}") from None
    return params


def _permuted(params, perms, u) -> np.ndarray:
    """Return B's array of ``u``, permuted along its axes but ``u.axis`` (git-re-basin's ``get_permuted_param``)."""
    array = getattr(params[u.layer], u.name)
    for h, perm in enumerate(perms):
        for v in unit_axes(h, bias=params[h].b is not None):
            if (v.layer, v.name) == (u.layer, u.name) and v.axis != u.axis:
                array = np.take(array, perm, axis=v.axis)
    return array


def _scores(a, b, layer: int, perms, *, outgoing: bool = True) -> np.ndarray:
    """Return ``S[i, j]``: unit ``i`` of A dotted with unit ``j`` of B, outgoing weights only if ``outgoing``."""
    scores = 0.0
    for u in unit_axes(layer, bias=a[layer].b is not None):
        if u.incoming or outgoing:
            scores = scores + u.rows(getattr(a[u.layer], u.name)) @ u.rows(_permuted(b, perms, u)).T
    if not np.all(np.isfinite(scores)):
        raise ValueError(
            "params_a and params_b must have weights small enough for their inner products to be finite; "
            f"the scores of hidden layer {layer} overflow float64"
        )
    return scores


@_checks.overflow_raises
def weight_matching(params_a, params_b, *, max_sweeps: int = 100) -> Matching:
    """Permute the hidden units of network B (``params_b``) to bring its weights closest to network A's (``params_a``).

    A first pass from the input matches each unit's incoming weights and bias, given the permutation already chosen
    below. Coordinate descent over the hidden layers follows (Ainsworth et al. 2023, Algorithm 2): each step replaces
    the permutation of one layer by the best one given the others, a linear assignment problem solved exactly by
    :func:`scipy.optimize.linear_sum_assignment`, until none changes or ``max_sweeps`` is reached. Each step can only
    increase the total inner product, so it ends where no single-layer change improves (not necessarily the global
    optimum, a hard problem for two or more hidden layers). A and B are single networks of one architecture.

    Examples
    --------
    A hidden relabelling of a network is found exactly:

    >>> from mlp_symmetry import init_params
    >>> net, planted = init_params([4, 6, 5, 2], rng=0), [np.roll(np.arange(6), 2), np.arange(5)[::-1]]
    >>> [p.tolist() for p in weight_matching(net, apply_permutations(net, planted)).perms]
    [[2, 3, 4, 5, 0, 1], [4, 3, 2, 1, 0]]
    """
    a, b = _check_pair(params_a, params_b)
    max_sweeps = _checks.check_int(max_sweeps, "max_sweeps", minimum=1)
    perms = [np.arange(layer.W.shape[0]) for layer in a[:-1]]
    # First pass from the input, incoming weights and biases only: as sum_i <u_i, u_perm(i)> <= sum_i |u_i|^2
    # (Cauchy-Schwarz; equality only for the identity when no two units are equal), it undoes a planted relabelling.
    for layer in range(len(perms)):
        perms[layer] = linear_sum_assignment(_scores(a, b, layer, perms, outgoing=False), maximize=True)[1]
    # A layer's scores depend only on its two neighbours' permutations: solve it again only after one changed.
    stale, n_sweeps = [True] * len(perms), 0
    while any(stale) and n_sweeps < max_sweeps:
        n_sweeps += 1
        for layer in range(len(perms)):
            if not stale[layer]:
                continue
            stale[layer] = False
            best = linear_sum_assignment(_scores(a, b, layer, perms), maximize=True)[1]
            if not np.array_equal(best, perms[layer]):
                perms[layer] = best
                for neighbour in {layer - 1, layer + 1} & set(range(len(perms))):
                    stale[neighbour] = True
    return Matching(tuple(perms), apply_permutations(b, perms), n_sweeps)
