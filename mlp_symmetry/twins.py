"""Twin hidden units: splitting one unit in two, and merging two into one.

A hidden unit with incoming weights ``w``, bias ``c`` and outgoing weights ``v`` contributes ``v * act(w . x + c)``
to the next layer, so two units with the *same* incoming weights and bias act as one unit whose outgoing weights
are the sum of theirs. Hence two exact, function-preserving maps between widths ``n`` and ``n + 1``:
:func:`split_unit` replaces unit ``k`` by two copies with outgoing weights ``ratio * v`` and ``(1 - ratio) * v``;
:func:`merge_units` replaces two units by one with outgoing weights ``v_i + v_j``.

Fukumizu & Amari (2000) showed that splitting a critical point of the smaller network gives a critical point of the
larger one, for every ``ratio``: a whole line of them. With ``ratio = 1/2`` the two units coincide completely; Brea et
al. (2019) call these *permutation points*, because swapping the two units maps such a point to itself.
"""

from __future__ import annotations

import numpy as np

from . import _checks
from .symmetry import map_units


def _check_units(params, layer, units: dict) -> tuple:
    """Validate ``params``, ``layer`` and the indices of units of that layer; return them and the layer's width."""
    params = _checks.check_params(params)
    layer = _checks.check_hidden_layer(layer, len(params))
    n = params[layer].W.shape[-2]
    for name, unit in units.items():
        if _checks.check_int(unit, name) not in range(n):
            raise ValueError(f"{name} must index a unit of the layer, 0 <= {name} < {n}; got {unit}")
    return params, layer, n, *(int(unit) for unit in units.values())


@_checks.overflow_raises
def split_unit(params, layer: int, unit: int, ratio=0.5):
    """Split hidden unit ``unit`` of hidden layer ``layer`` into two units that compute the same function.

    The copy is inserted right after ``unit``; both keep the incoming weights and bias, ``unit`` keeps ``ratio`` times
    the outgoing weights and the copy ``1 - ratio`` times them. An array of ratios adds batch axes (broadcast with
    those of ``params``): a whole line of split networks in one call. :func:`merge_units` is the inverse.

    Examples
    --------
    >>> import mlp_symmetry as ms
    >>> params, X = ms.init_params([2, 3, 1], rng=0), np.random.default_rng(1).normal(size=(5, 2))
    >>> wider = split_unit(params, 0, unit=1, ratio=np.linspace(0, 1, 5))
    >>> ms.layer_sizes(wider), bool(np.allclose(ms.forward(wider, X), ms.forward(params, X), rtol=0, atol=1e-14))
    ((2, 4, 1), True)
    """
    params, layer, n, unit = _check_units(params, layer, {"unit": unit})
    ratio = _checks.as_float_array(ratio, "ratio")
    twice = np.insert(np.arange(n), unit + 1, unit)  # unit, then its copy
    shares = np.ones(ratio.shape + (n + 1, 1))
    shares[..., unit, 0], shares[..., unit + 1, 0] = ratio, 1.0 - ratio

    def split(rows, incoming):  # both copies compute act(w . x + c); ratio * v + (1 - ratio) * v = v
        return rows[..., twice, :] if incoming else rows[..., twice, :] * shares

    wider = map_units(params, layer, split)
    return _checks.check_finite_result(wider, "params and ratio")


@_checks.overflow_raises
def merge_units(params, layer: int, i: int, j: int):
    """Merge units ``i`` and ``j`` of hidden layer ``layer`` into unit ``i``, with outgoing weights ``v_i + v_j``.

    The function is unchanged exactly when the two units have equal incoming weights and biases (as after
    :func:`split_unit`); otherwise this is the nearby narrower network that treats unit ``j`` as a copy of unit ``i``.

    Examples
    --------
    Merging undoes a split exactly:

    >>> import mlp_symmetry as ms
    >>> params = ms.init_params([2, 3, 1], rng=0)
    >>> back = merge_units(split_unit(params, 0, 2, ratio=0.8), 0, 2, 3)
    >>> all(np.allclose(a.W, b.W) and np.allclose(a.b, b.b) for a, b in zip(params, back))
    True
    """
    params, layer, n, i, j = _check_units(params, layer, {"i": i, "j": j})
    if n < 2:
        raise ValueError(f"layer {layer} must have at least 2 units to merge two of them; it has {n}")
    if i == j:
        raise ValueError(f"i and j must be two different units; got i = j = {i}")
    kept = np.delete(np.arange(n), j)

    def merge(rows, incoming):
        rows = rows.copy()
        if not incoming:
            rows[..., i, :] += rows[..., j, :]  # v_i act(z_i) + v_j act(z_j) = (v_i + v_j) act(z_i) when z_i = z_j
        return rows[..., kept, :]

    return _checks.check_finite_result(map_units(params, layer, merge), "params")
