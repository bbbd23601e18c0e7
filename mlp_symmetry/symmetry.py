"""Symmetries of the hidden units: transformations of the weights that leave the function unchanged.

Hidden layer ``l`` (numbered from 0) has ``n`` units.  Unit ``i`` owns three
pieces of the parameters (layout of :mod:`mlp_symmetry.network`):

* its incoming weights, row ``i`` of ``params[l].W``;
* its bias, entry ``i`` of ``params[l].b``;
* its outgoing weights, column ``i`` of ``params[l + 1].W``.

This rule is written once, as data: ``unit_axes`` lists the arrays and axes
that carry the units of a layer (the ``PermutationSpec`` of git-re-basin, for
one layer), and ``map_units`` is the one loop that applies a per-unit
operation to all of them: a **permutation** relabels the units (any
activation), a **sign flip** negates all three pieces (odd activations,
``act(-z) = -act(z)``), a **rescaling** multiplies the incoming pieces by
``a > 0`` and the outgoing ones by ``1 / a`` (positively homogeneous
activations, ``act(a z) = a act(z)``). The twins of :mod:`mlp_symmetry.twins`
and the weight matching of :mod:`mlp_symmetry.matching` use the same loop.

Every function accepts parameters with leading batch axes and returns new
arrays; the caller's arrays are never modified and never shared.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from typing import NamedTuple

import numpy as np

from . import _checks
from .network import Layer, Params, batch_shape

_MAX_ORDER_DIGITS = 10**6  # an exact order with a million digits takes about a second
_MAX_ENTRIES = 2**28  # the most numbers an orbit or a table of permutations may hold (2 GiB)
_SIGN_FLIP_ACTIVATIONS = ("tanh", "identity")
_RESCALE_ACTIVATIONS = ("relu", "identity")
_WHY_NOT = {  # why a sign flip (needs an odd act) or a rescaling (a positively homogeneous one) changes the function
    ("odd", "relu"): "relu(-z) != -relu(z) (relu is not odd), so negating a unit changes its output",
    ("odd", "sigmoid"): "sigmoid(-z) = 1 - sigmoid(z), not -sigmoid(z): a flip needs a bias shift in the next layer",
    ("positively homogeneous", "tanh"): "tanh(a z) != a tanh(z) for a != 1 (tanh is not positively homogeneous)",
    ("positively homogeneous", "sigmoid"): "sigmoid(a z) != a sigmoid(z) for a != 1 (not positively homogeneous)",
}


class GroupOrder(NamedTuple):
    """Order of a finite symmetry group: the exact integer and its base-10 logarithm.

    >>> g = symmetry_group_order([2, 3, 1], "tanh")  # 2**3 * 3! sign flips and relabellings
    >>> g.order, round(g.log10, 6)
    (48, 1.681241)
    """

    order: int
    log10: float


class UnitAxis(NamedTuple):
    """``params[layer].W`` or ``.b`` carries units along ``axis``, as their own (``incoming``) or outgoing weights."""

    layer: int
    name: str
    axis: int
    incoming: bool

    def rows(self, array: np.ndarray) -> np.ndarray:
        """View ``array`` with one row per unit, shape ``(..., n, m)``."""
        return array[..., None] if self.name == "b" else array.swapaxes(self.axis, -2)

    def unrows(self, rows: np.ndarray) -> np.ndarray:
        """Put rows of shape ``(..., n, m)`` back in the layout of the array (the inverse of :meth:`rows`)."""
        return rows[..., 0] if self.name == "b" else rows.swapaxes(self.axis, -2)


def unit_axes(layer, *, bias=True) -> list[UnitAxis]:
    """List where the units of hidden layer ``layer`` live: the layout rule, written once as data.

    Unit ``i`` is row ``i`` of ``params[layer].W``, entry ``i`` of
    ``params[layer].b`` (if ``bias``) and column ``i`` of ``params[layer + 1].W``:

    >>> [tuple(u) for u in unit_axes(0)]
    [(0, 'W', -2, True), (0, 'b', -1, True), (1, 'W', -1, False)]
    """
    layer = _checks.check_int(layer, "layer", minimum=0)
    bias = _checks.check_bool(bias, "bias")
    row, entry, column = (
        UnitAxis(layer, "W", -2, True),
        UnitAxis(layer, "b", -1, True),
        UnitAxis(layer + 1, "W", -1, False),
    )
    return [row, entry, column] if bias else [row, column]


def map_units(params, layer, op, *, rest=None) -> Params:
    """Apply one per-unit operation to every array that carries the units of a hidden layer.

    Each array listed by :func:`unit_axes` is viewed with one row per unit,
    ``rows`` of shape ``(..., n, m)``, and replaced by ``op(rows, incoming)``
    of shape ``(..., n_new, m)``: gathering rows relabels units, scaling them
    rescales; averaging, repeating or deleting rows averages, splits or merges
    units. Every other array goes through ``rest`` (by default a copy): the
    result never shares memory with ``params``. Reversing the rows reverses
    the units, like ``permute_hidden_units(net, 0, [2, 1, 0])``:

    >>> from mlp_symmetry import init_params
    >>> net = init_params([2, 3, 1], rng=0)
    >>> turned = map_units(net, 0, lambda rows, incoming: rows[..., ::-1, :])
    >>> bool(np.array_equal(turned[1].W, net[1].W[:, ::-1]))
    True
    """
    params, layer, _ = _unit_pieces(params, layer)
    return _map_units(params, layer, _checks.check_callable(op, "op"), _checks.check_callable(rest or np.array, "rest"))


def _map_units(params: Params, layer: int, op, rest=np.array) -> Params:
    """Run the loop of :func:`map_units` (arguments already checked)."""
    carriers = {(u.layer, u.name): u for u in unit_axes(layer, bias=params[layer].b is not None)}

    def new(index: int, name: str) -> np.ndarray | None:
        array = getattr(params[index], name)
        if array is None or (index, name) not in carriers:
            return None if array is None else rest(array)
        u = carriers[index, name]
        result = np.ascontiguousarray(u.unrows(op(u.rows(array), u.incoming)))
        return np.array(result) if np.may_share_memory(result, array) else result

    return tuple(Layer(new(index, "W"), new(index, "b")) for index in range(len(params)))


def _transform(params: Params, layer: int, index=None, incoming=None, outgoing=None) -> Params:
    """Relabel, then scale units: new unit ``i`` is old unit ``index[..., i]`` times per-unit factors.

    ``incoming`` multiplies its incoming pieces, ``outgoing`` its outgoing ones
    (``None``: unchanged); ``index`` is one permutation, or one per batch member.
    """

    def op(rows: np.ndarray, is_incoming: bool) -> np.ndarray:
        if index is not None:  # rows[..., index[..., i], :], one index for all or one per batch member
            rows = rows[..., index, :] if index.ndim == 1 else np.take_along_axis(rows, index[..., None], axis=-2)
        factor = incoming if is_incoming else outgoing
        return rows if factor is None else rows * factor[..., None]

    return _map_units(params, layer, op)


def _check_symmetry(activation, kind: str, caller: str) -> str:
    """Validate ``activation`` and refuse one that is not ``kind`` (odd or positively homogeneous)."""
    activation = _checks.check_activation(activation)
    allowed = _SIGN_FLIP_ACTIVATIONS if kind == "odd" else _RESCALE_ACTIVATIONS
    if activation not in allowed:
        raise ValueError(
            f"{caller} needs {'an' if kind == 'odd' else 'a'} {kind} activation, one of {list(allowed)}; "
            f"got activation={activation!r}: {_WHY_NOT[kind, activation]}"
        )
    return activation


def _unit_pieces(params, layer) -> tuple[Params, int, int]:
    """Validate ``params`` and ``layer``; return the params, the layer index and its width."""
    params = _checks.check_params(params)
    layer = _checks.check_hidden_layer(layer, len(params))
    return params, layer, params[layer].W.shape[-2]


def _check_unit_factors(values, n: int, name: str, valid, message: str) -> np.ndarray:
    """Validate an array of per-unit factors of shape ``(..., n)`` whose entries all pass ``valid``."""
    array = _checks.as_float_array(values, name, ndim_min=1)
    if array.shape[-1] != n:
        raise ValueError(f"{name} must have {n} entries on its last axis, one per hidden unit; got shape {array.shape}")
    if not np.all(valid(array)):
        raise ValueError(f"{name} must {message} {np.unique(array[~valid(array)])[:5].tolist()}")
    return array


def _full_batch(params: Params) -> Params:
    """Return a private copy of ``params`` with every array broadcast to the full batch shape."""
    batch = batch_shape(params)

    def full(array: np.ndarray | None, core: int) -> np.ndarray | None:
        return None if array is None else np.array(np.broadcast_to(array, batch + array.shape[array.ndim - core :]))

    return tuple(Layer(full(p.W, 2), full(p.b, 1)) for p in params)


def permute_hidden_units(params, layer, perm) -> Params:
    """Relabel the units of a hidden layer; the network computes the same function.

    The new unit ``i`` is the old unit ``perm[i]``: row ``i`` of the new
    ``params[layer].W`` is row ``perm[i]`` of the old one, likewise entry ``i``
    of ``params[layer].b`` and column ``i`` of ``params[layer + 1].W``.

    Parameters
    ----------
    params, layer : sequence of (W, b) pairs, int
        A network (see :mod:`mlp_symmetry.network`), optionally with leading
        batch axes, and one of its hidden layers, ``0 <= layer < len(params) - 1``.
    perm : sequence of int
        A permutation of ``range(n)``, ``n`` the width of the layer.

    Returns
    -------
    permuted : tuple of Layer
        New arrays; the caller's arrays are not modified.

    Raises
    ------
    ValueError
        If ``layer`` is not a hidden layer or ``perm`` is not a permutation of
        ``range(n)``.

    See Also
    --------
    all_permutations, permutation_orbit, flip_signs, rescale_units

    Examples
    --------
    Two inputs, two hidden units, one output, no biases. Swapping the hidden
    units swaps the rows of ``W1`` and the columns of ``W2``:

    >>> from mlp_symmetry import forward
    >>> params = [([[-1.5, 2.0], [1.7, 0.4]], None), ([[2.3, 0.8]], None)]
    >>> swapped = permute_hidden_units(params, 0, [1, 0])
    >>> swapped[0].W
    array([[ 1.7,  0.4],
           [-1.5,  2. ]])
    >>> swapped[1].W
    array([[0.8, 2.3]])

    A different weight vector, the same outputs on any inputs:

    >>> X = np.random.default_rng(0).normal(size=(1000, 2))
    >>> np.allclose(forward(params, X), forward(swapped, X), rtol=1e-14, atol=1e-14)
    True

    Applying the inverse permutation restores the parameters exactly:

    >>> p = [np.array([2, 0, 1]), np.argsort([2, 0, 1])]
    >>> from mlp_symmetry import init_params
    >>> net = init_params([2, 3, 1], rng=0)
    >>> back = permute_hidden_units(permute_hidden_units(net, 0, p[0]), 0, p[1])
    >>> all(np.array_equal(a.W, b.W) and np.array_equal(a.b, b.b) for a, b in zip(net, back))
    True
    """
    params, layer, n = _unit_pieces(params, layer)
    return _transform(params, layer, _checks.check_permutation(perm, n))


def flip_signs(params, layer, signs, activation="tanh") -> Params:
    """Negate the incoming weights, bias and outgoing weights of chosen hidden units.

    For an odd activation, ``act(-z) = -act(z)``, the next layer receives
    ``(-w_out) * act(-z) = w_out * act(z)``: the function is unchanged.

    Parameters
    ----------
    params, layer : sequence of (W, b) pairs, int
        A network, optionally with leading batch axes, and one of its hidden
        layers (0 is the first).
    signs : array_like of shape (..., n)
        ``+1`` or ``-1`` for each unit of the layer; units with ``-1`` are
        flipped. Leading axes broadcast with those of ``params``.
    activation : {"tanh", "identity"}
        Activation of the hidden layers; only odd ones admit this symmetry.

    Returns
    -------
    flipped : tuple of Layer
        New arrays.

    Raises
    ------
    ValueError
        If ``signs`` holds values other than ``+1`` and ``-1`` or has the wrong
        length, or if the activation is not odd (``"relu"``, ``"sigmoid"``):
        the flip would change the function.

    See Also
    --------
    sign_flip_orbit, permute_hidden_units

    Examples
    --------
    >>> from mlp_symmetry import forward, init_params
    >>> net = init_params([2, 3, 1], rng=0)
    >>> flipped = flip_signs(net, 0, [1, -1, -1])
    >>> X = np.random.default_rng(1).normal(size=(50, 2))
    >>> np.allclose(forward(net, X), forward(flipped, X), rtol=1e-13, atol=1e-13)
    True
    >>> bool(np.all(flipped[1].W[0, 1:] == -net[1].W[0, 1:]))
    True
    """
    params, layer, n = _unit_pieces(params, layer)
    _check_symmetry(activation, "odd", "flip_signs")
    signs = _check_unit_factors(signs, n, "signs", lambda s: np.abs(s) == 1.0, "contain only +1 and -1; got values")
    return _transform(params, layer, incoming=signs, outgoing=signs)


def rescale_units(params, layer, scales, activation="relu") -> Params:
    """Scale a hidden unit's incoming weights and bias by ``a > 0`` and its outgoing weights by ``1/a``.

    For a positively homogeneous activation, ``act(a z) = a act(z)`` for
    ``a > 0``, the next layer receives ``(w_out / a) * act(a z) = w_out * act(z)``:
    the function is unchanged. Unlike permutations and sign flips, the
    rescalings form a continuous family, so minima of the loss are never
    isolated points.

    Parameters
    ----------
    params, layer : sequence of (W, b) pairs, int
        A network, optionally with leading batch axes, and one of its hidden
        layers (0 is the first).
    scales : array_like of shape (..., n)
        Positive factor ``a_i`` for each unit. Leading axes broadcast with those
        of ``params``.
    activation : {"relu", "identity"}
        Activation of the hidden layers; only positively homogeneous ones admit
        this symmetry.

    Returns
    -------
    rescaled : tuple of Layer
        New arrays.

    Raises
    ------
    ValueError
        If a scale is not positive, ``scales`` has the wrong length, or the
        activation is not positively homogeneous (``"tanh"``, ``"sigmoid"``).

    See Also
    --------
    canonical_form, flip_signs

    Examples
    --------
    >>> from mlp_symmetry import forward, init_params
    >>> net = init_params([2, 3, 1], rng=0)
    >>> big = rescale_units(net, 0, [10.0, 0.5, 3.0])
    >>> X = np.random.default_rng(1).normal(size=(50, 2))
    >>> np.allclose(forward(net, X, "relu"), forward(big, X, "relu"), rtol=1e-13, atol=1e-13)
    True
    """
    params, layer, n = _unit_pieces(params, layer)
    _check_symmetry(activation, "positively homogeneous", "rescale_units")
    scales = _check_unit_factors(scales, n, "scales", lambda a: a > 0, "be positive; got non-positive values")
    rescaled = _transform(params, layer, incoming=scales, outgoing=1.0 / scales)
    return _checks.check_finite_result(rescaled, "params and scales")


def all_permutations(n, *, max_n=10) -> np.ndarray:
    """Return every permutation of ``range(n)``, one per row, in lexicographic order.

    Built without a loop over permutations: the permutations of ``range(n)``
    starting with ``k`` are ``k`` followed by the permutations of ``range(n - 1)``
    mapped onto the remaining values ``j + (j >= k)``, which keeps the order
    lexicographic.

    Parameters
    ----------
    n : int
        Number of elements, ``n >= 0``.
    max_n : int, keyword-only
        Refuse larger ``n`` (``10!`` rows of 10 take 290 MB).

    Returns
    -------
    perms : ndarray of shape (n!, n)
        Integer array; row 0 is the identity, the last row the reversal.

    See Also
    --------
    permutation_orbit, iter_permutation_orbit

    Examples
    --------
    >>> all_permutations(3)
    array([[0, 1, 2],
           [0, 2, 1],
           [1, 0, 2],
           [1, 2, 0],
           [2, 0, 1],
           [2, 1, 0]])
    >>> all_permutations(6).shape
    (720, 6)
    """
    n = _checks.check_int(n, "n", minimum=0)
    if n > _checks.check_int(max_n, "max_n", minimum=0):
        raise ValueError(f"n must be at most max_n={max_n}: {n}! = {_count(n)} rows; got n={n}")
    if math.lgamma(n + 1) + math.log(max(n, 1)) > math.log(_MAX_ENTRIES):
        raise ValueError(
            f"n must be small enough for {n}! = {_count(n)} rows of {n} entries to fit in memory; got n={n}"
        )
    perms = np.zeros((1, 0), dtype=np.intp)
    for m in range(1, n + 1):
        first = np.arange(m)
        remaining = np.arange(m - 1) + (np.arange(m - 1) >= first[:, None])
        tails = remaining[:, perms]
        heads = np.broadcast_to(first[:, None, None], tails.shape[:2] + (1,))
        perms = np.concatenate([heads, tails], axis=-1).reshape(-1, m)
    return perms


def _sign_patterns(n: int) -> np.ndarray:
    """Return all ``2**n`` sign vectors, shape ``(2**n, n)``.

    Row ``k`` is -1 at unit ``j`` when bit ``n - 1 - j`` of ``k`` is set, so row 0 is all +1.
    """
    bits = (np.arange(2**n)[:, None] >> np.arange(n - 1, -1, -1)) & 1
    return 1.0 - 2.0 * bits


def _count(n: int, signs: bool = False) -> str:
    """``n!`` (times ``2**n`` with ``signs``) written out, or as a power of ten when it is long."""
    if n <= 25:
        return str(math.factorial(n) * 2 ** (n * signs))
    return f"about 10**{(math.lgamma(n + 1) / math.log(10) + n * math.log10(2) * signs):.0f}"


def _check_orbit_size(n: int, layer: int, max_units, *, signs: bool = False, member_size: int | None = None) -> None:
    """Refuse to build an orbit for layers wider than ``max_units``, or one that memory cannot hold."""
    what, formula = ("sign-flip and permutation", f"2**{n} * {n}!") if signs else ("permutation", f"{n}!")
    if n > _checks.check_int(max_units, "max_units", minimum=0):
        raise ValueError(
            f"hidden layer {layer} has {n} units, more than max_units={max_units}: its {what} orbit has "
            f"{formula} = {_count(n, signs)} members; raise max_units if you really want them all"
        )
    log_members = math.lgamma(n + 1) + n * math.log(2) * signs
    if member_size is not None and log_members + math.log(member_size) > math.log(_MAX_ENTRIES):
        raise ValueError(
            f"hidden layer {layer} has {n} units: its {what} orbit of {_count(n, signs)} networks of "
            f"{member_size} parameters does not fit in memory; use iter_permutation_orbit or a smaller layer"
        )


def _size(params: Params) -> int:
    """Return the number of numbers in ``params`` (one network, or a batch of them)."""
    return sum(array.size for layer in params for array in layer if array is not None)


def _orbit(params: Params, layer: int, factors: np.ndarray, perms: np.ndarray) -> Params:
    """Apply ``len(factors) * len(perms)`` unit transformations at once, along a new leading axis.

    Member ``f * len(perms) + p`` multiplies the units by ``factors[f]``
    (incoming) and ``1 / factors[f]`` (outgoing), then permutes them by
    ``perms[p]``. Untouched layers are read-only broadcast views of a private copy.
    """
    params = _full_batch(params)
    n_members = len(factors) * len(perms)
    f = factors.reshape(factors.shape[:1] + (1,) * len(batch_shape(params)) + factors.shape[1:] + (1,))

    def op(rows: np.ndarray, incoming: bool) -> np.ndarray:
        scaled = rows * (f if incoming else 1.0 / f)  # (F,) + batch + (n, m)
        members = np.moveaxis(np.take(scaled, perms, axis=-2), -3, 1)  # (F, P) + batch + (n, m)
        return members.reshape((n_members,) + members.shape[2:])

    return _map_units(params, layer, op, rest=lambda array: np.broadcast_to(array, (n_members,) + array.shape))


def permutation_orbit(params, layer, *, max_units=8) -> Params:
    """Return all ``n!`` relabellings of a hidden layer at once, along a new leading axis.

    Parameters
    ----------
    params, layer : sequence of (W, b) pairs, int
        A network, optionally with leading batch axes, and one of its hidden
        layers (0 is the first), of width ``n``.
    max_units : int, keyword-only
        Refuse layers wider than this (``8! = 40320`` copies by default).

    Returns
    -------
    orbit : tuple of Layer
        Every array has a new leading axis of length ``n!``; member ``k`` is
        ``permute_hidden_units(params, layer, all_permutations(n)[k])``.
        The layers that no permutation touches are read-only broadcast views
        of a private copy.

    Raises
    ------
    ValueError
        If ``layer`` is not a hidden layer or the layer has more than
        ``max_units`` units.

    See Also
    --------
    iter_permutation_orbit, sign_flip_orbit, orbit_average

    Examples
    --------
    >>> from mlp_symmetry import flatten, forward, init_params
    >>> net = init_params([2, 4, 1], rng=0)
    >>> orbit = permutation_orbit(net, 0)
    >>> orbit[0].W.shape
    (24, 4, 2)

    All 24 members compute the same function, and they are 24 different
    points of weight space:

    >>> X = np.random.default_rng(1).normal(size=(30, 2))
    >>> np.allclose(forward(orbit, X), forward(net, X), rtol=1e-13, atol=1e-13)
    True
    >>> len(np.unique(flatten(orbit), axis=0))
    24
    """
    params, layer, n = _unit_pieces(params, layer)
    _check_orbit_size(n, layer, max_units, member_size=_size(params))
    return _orbit(params, layer, np.ones((1, n)), all_permutations(n, max_n=n))


def iter_permutation_orbit(params, layer, *, max_units=10) -> Iterator[tuple[np.ndarray, Params]]:
    """Yield ``(perm, permuted_params)`` for all ``n!`` relabellings of a hidden layer, one at a time.

    Uses memory for one member at a time, for layers too wide for
    :func:`permutation_orbit`. The permutations come in lexicographic order,
    the order of :func:`all_permutations`.

    Parameters
    ----------
    params, layer : sequence of (W, b) pairs, int
        A network, optionally with leading batch axes, and one of its hidden
        layers (0 is the first), of width ``n``.
    max_units : int, keyword-only
        Refuse layers wider than this (``10! = 3628800`` members by default).

    Returns
    -------
    members : iterator of (ndarray, tuple of Layer)
        The permutation and ``permute_hidden_units(params, layer, perm)``.

    Raises
    ------
    ValueError
        When called, before anything is yielded, if ``layer`` is not a hidden
        layer or has more than ``max_units`` units.

    See Also
    --------
    permutation_orbit

    Examples
    --------
    >>> from mlp_symmetry import init_params
    >>> members = list(iter_permutation_orbit(init_params([2, 3, 1], rng=0), 0))
    >>> len(members), members[1][0].tolist()
    (6, [0, 2, 1])
    """
    params, layer, n = _unit_pieces(params, layer)
    _check_orbit_size(n, layer, max_units)
    perms = (np.array(perm, dtype=np.intp) for perm in itertools.permutations(range(n)))
    return ((perm, _transform(params, layer, perm)) for perm in perms)


def sign_flip_orbit(params, layer, activation="tanh", *, max_units=7) -> Params:
    """Return all ``2**n * n!`` sign flips and relabellings of a hidden layer, along a new leading axis.

    Parameters
    ----------
    params, layer : sequence of (W, b) pairs, int
        A network, optionally with leading batch axes, and one of its hidden
        layers (0 is the first), of width ``n``.
    activation : {"tanh", "identity"}
        Activation of the hidden layers; it must be odd.
    max_units : int, keyword-only
        Refuse layers wider than this (``2**7 * 7! = 645120`` copies by default).

    Returns
    -------
    orbit : tuple of Layer
        Every array has a new leading axis of length ``2**n * n!``. Member
        ``f * n! + k`` flips the units with a ``1`` in the binary digits of
        ``f`` (most significant digit = unit 0), then permutes them by
        ``all_permutations(n)[k]``. Member 0 is ``params`` itself.

    Raises
    ------
    ValueError
        If ``layer`` is not a hidden layer, the activation is not odd, or the
        layer has more than ``max_units`` units.

    See Also
    --------
    flip_signs, permutation_orbit, symmetry_group_order

    Examples
    --------
    >>> from mlp_symmetry import flatten, forward, init_params
    >>> net = init_params([2, 3, 1], rng=0)
    >>> orbit = sign_flip_orbit(net, 0)
    >>> theta = flatten(orbit)
    >>> theta.shape, len(np.unique(theta, axis=0))
    ((48, 13), 48)
    >>> X = np.random.default_rng(1).normal(size=(30, 2))
    >>> np.allclose(forward(orbit, X), forward(net, X), rtol=1e-13, atol=1e-13)
    True

    Every member has the same norm:

    >>> bool(np.ptp(np.linalg.norm(theta, axis=-1)) == 0)
    True
    """
    params, layer, n = _unit_pieces(params, layer)
    _check_symmetry(activation, "odd", "sign_flip_orbit")
    _check_orbit_size(n, layer, max_units, signs=True, member_size=_size(params))
    return _orbit(params, layer, _sign_patterns(n), all_permutations(n, max_n=n))


def symmetry_group_order(layer_sizes, activation) -> GroupOrder:
    """Count the discrete weight-space symmetries of an MLP: its permutations and sign flips.

    Each hidden layer of width ``n`` contributes ``n!`` relabellings of its
    units, times ``2**n`` sign flips when the activation is odd (tanh,
    identity), and the layers act independently, so the factors multiply.

    Parameters
    ----------
    layer_sizes : sequence of int
        ``[n_in, n_hidden..., n_out]``.
    activation : {"tanh", "relu", "sigmoid", "identity"}
        Activation of the hidden layers.

    Returns
    -------
    order : int
        The exact number of symmetries (a Python integer of any size).
    log10 : float
        Its base-10 logarithm, computed with :func:`math.lgamma`, so it is
        cheap even where ``order`` has thousands of digits.

    Raises
    ------
    ValueError
        On bad ``layer_sizes`` or ``activation``, or if ``order`` would have
        more than a million digits (about a second to compute); the message
        gives ``log10``.

    Notes
    -----
    Only the discrete symmetries implemented in this module are counted. ReLU
    networks also have the continuous rescalings of :func:`rescale_units`, and
    linear networks (``"identity"``) are unchanged by any invertible mixing of
    the units of a layer, a continuous group that contains the ``2**n n!``
    signed permutations counted here. For sigmoid, ``sigmoid(-z) = 1 -
    sigmoid(z)``, so a sign flip combined with a shift of the next layer's bias
    is also a symmetry when that layer has biases; it is not counted.

    See Also
    --------
    permutation_orbit, sign_flip_orbit

    Examples
    --------
    >>> order, log10 = symmetry_group_order([2, 2, 1], "relu")
    >>> order, round(log10, 6)
    (2, 0.30103)
    >>> symmetry_group_order([2, 3, 1], "tanh").order
    48

    Three hidden layers of 512 units: (512!)**3, a number with 3500 digits.

    >>> g = symmetry_group_order([784, 512, 512, 512, 10], "relu")
    >>> round(g.log10, 1), len(str(g.order))
    (3499.6, 3500)
    >>> g.order == math.factorial(512) ** 3
    True
    """
    sizes = _checks.check_layer_sizes(layer_sizes)
    hidden = sizes[1:-1]
    odd = _checks.check_activation(activation) in _SIGN_FLIP_ACTIVATIONS
    # |group| = prod_l n_l! (2**n_l if odd); log10 n! = lgamma(n + 1) / ln 10
    log10 = sum(math.lgamma(n + 1) / math.log(10) + (n * math.log10(2) if odd else 0.0) for n in hidden)
    if log10 > _MAX_ORDER_DIGITS:
        raise ValueError(
            f"layer_sizes must give a group order of at most {_MAX_ORDER_DIGITS} digits to compute it exactly; "
            f"got {list(sizes)}, an order of about 10**{log10:.0f}"
        )
    return GroupOrder(math.prod(math.factorial(n) * (2**n if odd else 1) for n in hidden), log10)


def _side(params: Params, layer: int, incoming: bool) -> np.ndarray:
    """Each unit's incoming pieces (row and bias) or outgoing pieces side by side, shape ``(..., n, m)``."""
    axes = unit_axes(layer, bias=params[layer].b is not None)
    rows = [u.rows(getattr(params[u.layer], u.name)) for u in axes if u.incoming == incoming]
    return rows[0] if len(rows) == 1 else np.concatenate(rows, axis=-1)


def _quantize(values: np.ndarray, tol: float) -> np.ndarray:
    """Round ``values`` to multiples of ``tol`` times their largest magnitude (per batch member)."""
    if tol == 0:
        return values
    scale = np.max(np.abs(values), axis=(-1, -2), keepdims=True)
    return np.round(values / (tol * np.where(scale > 0, scale, 1.0)))


def _lexsort_rows(keys: np.ndarray) -> np.ndarray:
    """Return the order of the rows of ``keys`` (shape ``(..., n, m)``) sorted lexicographically, stable, batched."""
    return np.lexsort(np.moveaxis(keys, -1, 0)[::-1], axis=-1)  # np.lexsort's last key is the primary one


def _sort_within_groups(W: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Sort each row's entries by decreasing magnitude inside each group of columns (groups are contiguous).

    The result does not depend on the order of the columns within a group, and
    it is odd (negating a row negates the result) and positively homogeneous.
    """
    order = np.argsort(-np.abs(W), axis=-1, kind="stable")
    group_of = np.take_along_axis(np.broadcast_to(groups[..., None, :], W.shape), order, axis=-1)
    order = np.take_along_axis(order, np.argsort(group_of, axis=-1, kind="stable"), axis=-1)
    return np.take_along_axis(W, order, axis=-1)


def _normalise_units(params: Params, h: int) -> Params:
    """Rescale each unit of hidden layer ``h`` so that its incoming weights and bias have unit norm.

    A unit with zero incoming weights gets its outgoing weights normalised instead.
    Dividing (not multiplying by a reciprocal) makes a one-entry row exactly +-1.
    """
    norm_in = np.linalg.norm(_side(params, h, incoming=True), axis=-1)
    norm_out = np.linalg.norm(_side(params, h, incoming=False), axis=-1)
    d = np.where(norm_in > 0, norm_in, 1.0 / np.where(norm_out > 0, norm_out, 1.0))[..., None]
    return _map_units(params, h, lambda rows, incoming: rows / d if incoming else rows * d)


def _first_sign(key: np.ndarray, tol: float) -> np.ndarray:
    """Sign of the first entry of each row of ``key`` whose magnitude exceeds ``tol`` times the row's largest."""
    big = np.abs(key) > tol * np.max(np.abs(key), axis=-1, keepdims=True)
    first = np.take_along_axis(key, np.argmax(big, axis=-1)[..., None], axis=-1)[..., 0]
    return np.where(first < 0, -1.0, 1.0)


def _canonical_layer(params: Params, h: int, activation: str, tol: float, groups: list) -> Params:
    """Fix the scale, sign and order of the units of hidden layer ``h``; append its groups of tied units."""
    if activation in _RESCALE_ACTIVATIONS:
        params = _normalise_units(params, h)
    W, b = params[h]
    row = W if h == 0 else _sort_within_groups(W, groups[-1])
    incoming = row if b is None else np.concatenate([row, b[..., None]], axis=-1)
    if activation in _SIGN_FLIP_ACTIVATIONS:
        sign = _first_sign(np.concatenate([incoming, _side(params, h, incoming=False)], axis=-1), tol)
        params = _transform(params, h, incoming=sign, outgoing=sign)
        incoming = incoming * sign[..., None]
    key = _quantize(incoming, tol)
    order = _lexsort_rows(key)
    key = np.take_along_axis(key, order[..., None], axis=-2)
    # tied units are contiguous now; number the groups of equal keys
    starts = np.any(key[..., 1:, :] != key[..., :-1, :], axis=-1)
    groups.append(np.concatenate([np.zeros(starts.shape[:-1] + (1,), dtype=int), np.cumsum(starts, axis=-1)], axis=-1))
    return _transform(params, h, order)


def canonical_form(params, activation, *, tol=1e-8) -> Params:
    """Return one fixed representative of the symmetry orbit of ``params``.

    A forward pass over the hidden layers, from the first to the last, fixes
    each unit's scale and sign and sorts the units by their incoming weights:

    1. ``"relu"`` and ``"identity"``: the unit is rescaled so that its incoming
       weights and bias have unit Euclidean norm (the outgoing column is
       divided by the same factor). A unit with all-zero incoming weights has
       its outgoing column normalised instead.
    2. ``"tanh"`` and ``"identity"``: the unit is sign-flipped so that the first
       entry of (incoming row, bias, outgoing column) whose magnitude exceeds
       ``tol`` times the largest is positive.
    3. All activations: the units are sorted lexicographically by (incoming
       row, bias), entries that differ by less than ``tol`` times the largest
       in the layer counting as equal.

    Units that tie in step 3 (for example identical units, or any two units
    of a ReLU layer with one input and no bias) are then ordered by their
    outgoing columns, in a backward pass from the last hidden layer to the
    first, once the next layer is in its final order. Until then, the next
    layer's incoming rows are compared with the entries of each tied group
    sorted by magnitude, which does not depend on the order of the tie.

    Two parameter sets related by any composition of
    :func:`permute_hidden_units`, :func:`flip_signs` (odd activations) and
    :func:`rescale_units` (ReLU, identity) therefore have the same canonical
    form, up to rounding from rescaling.

    Parameters
    ----------
    params : sequence of (W, b) pairs
        Network parameters, optionally with leading batch axes (each batch
        member is canonicalised on its own).
    activation : {"tanh", "relu", "sigmoid", "identity"}
        Activation of the hidden layers; it decides which symmetries are
        divided out.
    tol : float, keyword-only
        Relative threshold below which a key entry counts as zero when
        choosing the sign, and the resolution at which keys are compared when
        sorting (0 compares exact values).

    Returns
    -------
    canonical : tuple of Layer
        New arrays, with the full batch shape of ``params``. The network
        computes the same function as ``params`` (up to rounding).

    Raises
    ------
    ValueError
        On an unknown activation, a negative or non-finite ``tol``, or weights
        so large that the normalisation overflows.
    TypeError
        If ``tol`` is not a real number.

    Notes
    -----
    For ``"identity"`` the convention divides out the permutations, sign flips
    and positive rescalings, not the full group of invertible mixings of the
    units. Entries that lie within rounding of a multiple of the comparison
    resolution, or tied units whose outgoing entries have equal magnitudes
    and opposite signs, can still split an orbit; for random weights this
    has probability of order ``1e-8``.

    See Also
    --------
    permute_hidden_units, flip_signs, rescale_units

    Examples
    --------
    >>> from mlp_symmetry import init_params
    >>> net = init_params([2, 3, 2, 1], rng=0)
    >>> moved = permute_hidden_units(flip_signs(net, 1, [-1, 1]), 0, [2, 0, 1])
    >>> a, b = canonical_form(net, "tanh"), canonical_form(moved, "tanh")
    >>> all(np.array_equal(p.W, q.W) and np.array_equal(p.b, q.b) for p, q in zip(a, b))
    True
    """
    params = _full_batch(_checks.check_params(params))
    activation = _checks.check_activation(activation)
    tol = _checks.check_real(tol, "tol")
    groups: list[np.ndarray] = []
    for h in range(len(params) - 1):  # forward: scale, sign and order by the incoming weights
        params = _canonical_layer(params, h, activation, tol, groups)
    for h in range(len(params) - 2, -1, -1):  # backward: order tied units by their outgoing weights, now final
        outgoing = _quantize(_side(params, h, incoming=False), tol)
        params = _transform(params, h, _lexsort_rows(np.concatenate([groups[h][..., None], outgoing], axis=-1)))
    return _checks.check_finite_result(params, "params")


def orbit_average(params, layer) -> Params:
    """Return the mean of all ``n!`` relabellings of a hidden layer, in closed form.

    Averaged over all permutations, each position sees every unit equally
    often, so every incoming row becomes the mean row, every bias the mean bias
    and every outgoing column the mean column. The result is a network whose
    units in that layer are identical: it computes what a one-unit layer with
    the mean incoming weights and ``n`` times the mean outgoing weights
    computes. If the loss were convex, this point would be no worse than the
    orbit's members.

    Parameters
    ----------
    params, layer : sequence of (W, b) pairs, int
        A network, optionally with leading batch axes, and one of its hidden
        layers (0 is the first).

    Returns
    -------
    average : tuple of Layer
        New arrays.

    Raises
    ------
    ValueError
        If ``layer`` is not a hidden layer.

    See Also
    --------
    permutation_orbit

    Examples
    --------
    >>> params = [([[-1.5, 2.0], [1.7, 0.4]], None), ([[2.3, 0.8]], None)]
    >>> mean = orbit_average(params, 0)
    >>> mean[0].W, mean[1].W
    (array([[0.1, 1.2],
           [0.1, 1.2]]), array([[1.55, 1.55]]))

    The same as averaging the orbit member by member:

    >>> orbit = permutation_orbit(params, 0)
    >>> np.allclose(orbit[0].W.mean(axis=0), mean[0].W) and np.allclose(orbit[1].W.mean(axis=0), mean[1].W)
    True
    """
    params, layer, _ = _unit_pieces(params, layer)
    # each position sees every unit (n - 1)! times: every row becomes the mean row
    mean = _map_units(
        params, layer, lambda rows, _: np.array(np.broadcast_to(rows.mean(-2, keepdims=True), rows.shape))
    )
    return _checks.check_finite_result(mean, "params")
