"""Symmetries of the hidden units: transformations of the weights that leave the function unchanged.

Unit ``i`` of hidden layer ``l`` owns row ``i`` of ``params[l].W`` (incoming weights), entry ``i`` of ``params[l].b``
and column ``i`` of ``params[l + 1].W`` (outgoing weights). This rule is written once, as data: ``unit_axes`` lists the
arrays and axes that carry the units of a layer (the ``PermutationSpec`` of git-re-basin), and ``map_units`` is the one
loop that applies a per-unit operation to all of them, here and in :mod:`mlp_symmetry.twins` and
:mod:`mlp_symmetry.matching`: relabellings (any activation), sign flips (odd ones, ``act(-z) = -act(z)``) and
rescalings (positively homogeneous ones, ``act(a z) = a act(z)``).
"""

from __future__ import annotations

import math
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

    >>> [tuple(u) for u in unit_axes(0)]  # row of params[0].W, entry of params[0].b, column of params[1].W
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

    Each array of :func:`unit_axes` is viewed with one row per unit, ``rows`` of shape ``(..., n, m)``, and replaced by
    ``op(rows, incoming)`` of shape ``(..., n_new, m)``: gathering rows relabels units, scaling rescales them;
    averaging, repeating or deleting rows averages, splits or merges units. Other arrays go through ``rest`` (a copy by
    default).

    >>> from mlp_symmetry import init_params
    >>> net = init_params([2, 3, 1], rng=0)
    >>> turned = map_units(net, 0, lambda rows, incoming: rows[..., ::-1, :])  # reverse the units
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
    """Relabel, then scale units: new unit ``i`` is old unit ``index[..., i]`` times ``incoming``/``outgoing``."""

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
    """Relabel the units of a hidden layer (new unit ``i`` is old unit ``perm[i]``); the function is unchanged.

    ``layer`` indexes the hidden layers, ``0 <= layer < len(params) - 1``; ``perm`` is a permutation of its units.

    Examples
    --------
    >>> swapped = permute_hidden_units([([[-1.5, 2.0], [1.7, 0.4]], None), ([[2.3, 0.8]], None)], 0, [1, 0])
    >>> swapped[0].W.tolist(), swapped[1].W.tolist()  # rows of W1, columns of W2
    ([[1.7, 0.4], [-1.5, 2.0]], [[0.8, 2.3]])
    """
    params, layer, n = _unit_pieces(params, layer)
    return _transform(params, layer, _checks.check_permutation(perm, n))


def flip_signs(params, layer, signs, activation="tanh") -> Params:
    """Negate the incoming weights, bias and outgoing weights of the hidden units where ``signs`` is -1.

    With an odd activation, ``"tanh"`` or ``"identity"``, the next layer receives
    ``(-w_out) * act(-z) = w_out * act(z)``: the function is unchanged (for ``"relu"`` and ``"sigmoid"`` it is not, and
    a ValueError says so). ``signs`` has shape ``(..., n)``, its leading axes broadcasting with those of ``params``.

    Examples
    --------
    >>> from mlp_symmetry import forward, init_params
    >>> net, X = init_params([2, 3, 1], rng=0), np.random.default_rng(1).normal(size=(50, 2))
    >>> np.allclose(forward(net, X), forward(flip_signs(net, 0, [1, -1, -1]), X), rtol=1e-13, atol=1e-13)
    True
    """
    params, layer, n = _unit_pieces(params, layer)
    _check_symmetry(activation, "odd", "flip_signs")
    signs = _check_unit_factors(signs, n, "signs", lambda s: np.abs(s) == 1.0, "contain only +1 and -1; got values")
    return _transform(params, layer, incoming=signs, outgoing=signs)


@_checks.overflow_raises
def rescale_units(params, layer, scales, activation="relu") -> Params:
    """Scale the incoming weights and bias of hidden units by ``scales > 0``, their outgoing weights by ``1 / scales``.

    With a positively homogeneous activation, ``"relu"`` or ``"identity"``, the next layer receives
    ``(w_out / a) * act(a z) = w_out * act(z)`` (other activations raise a ValueError). These rescalings form a
    continuous family, so minima of the loss are never isolated points. ``scales`` broadcasts as the ``signs`` of
    :func:`flip_signs`.

    Examples
    --------
    >>> from mlp_symmetry import forward, init_params
    >>> net, X = init_params([2, 3, 1], rng=0), np.random.default_rng(1).normal(size=(50, 2))
    >>> big = rescale_units(net, 0, [10.0, 0.5, 3.0])
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

    Built without a loop over permutations: those starting with ``k`` are ``k`` followed by the permutations of
    ``range(n - 1)`` mapped onto the remaining values, ``j + (j >= k)``. Refuses ``n > max_n`` (``10!`` rows: 290 MB).

    Examples
    --------
    >>> all_permutations(3).tolist()
    [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]
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
    """Return all ``2**n`` sign vectors: row ``k`` is -1 where ``k`` has a binary 1, unit 0 the most significant."""
    bits = (np.arange(2**n)[:, None] >> np.arange(n - 1, -1, -1)) & 1
    return 1.0 - 2.0 * bits


def _count(n: int, signs: bool = False) -> str:
    """Write ``n!`` (times ``2**n`` with ``signs``) out, or as a power of ten when it is long."""
    if n <= 25:
        return str(math.factorial(n) * 2 ** (n * signs))
    return f"about 10**{(math.lgamma(n + 1) / math.log(10) + n * math.log10(2) * signs):.0f}"


def _check_orbit_size(n: int, layer: int, max_units, member_size: int, *, signs: bool = False) -> None:
    """Refuse to build an orbit for layers wider than ``max_units``, or one that memory cannot hold."""
    what, formula = ("sign-flip and permutation", f"2**{n} * {n}!") if signs else ("permutation", f"{n}!")
    if n > _checks.check_int(max_units, "max_units", minimum=0):
        raise ValueError(
            f"hidden layer {layer} has {n} units, more than max_units={max_units}: its {what} orbit has "
            f"{formula} = {_count(n, signs)} members; raise max_units if you really want them all"
        )
    log_members = math.lgamma(n + 1) + n * math.log(2) * signs
    if log_members + math.log(member_size) > math.log(_MAX_ENTRIES):
        raise ValueError(
            f"hidden layer {layer} has {n} units: its {what} orbit of {_count(n, signs)} networks of "
            f"{member_size} parameters does not fit in memory; use a smaller layer"
        )


def _size(params: Params) -> int:
    """Return the number of numbers in ``params`` (one network, or a batch of them)."""
    return sum(array.size for layer in params for array in layer if array is not None)


def _orbit(params: Params, layer: int, factors: np.ndarray, perms: np.ndarray) -> Params:
    """Stack members ``f * len(perms) + p``: units scaled by ``factors[f]`` (outgoing: its inverse), then permuted."""
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

    Member ``k`` is ``permute_hidden_units(params, layer, all_permutations(n)[k])``; layers that no permutation touches
    are read-only broadcast views. Refuses layers wider than ``max_units`` (``8! = 40320`` copies by default).

    Examples
    --------
    All 24 members are different points of weight space that compute the same function:

    >>> from mlp_symmetry import flatten, forward, init_params
    >>> net, X = init_params([2, 4, 1], rng=0), np.random.default_rng(1).normal(size=(30, 2))
    >>> orbit = permutation_orbit(net, 0)
    >>> np.allclose(forward(orbit, X), forward(net, X), rtol=1e-13, atol=1e-13), len(np.unique(flatten(orbit), axis=0))
    (True, 24)
    """
    params, layer, n = _unit_pieces(params, layer)
    _check_orbit_size(n, layer, max_units, _size(params))
    return _orbit(params, layer, np.ones((1, n)), all_permutations(n, max_n=n))


def sign_flip_orbit(params, layer, activation="tanh", *, max_units=7) -> Params:
    """Return all ``2**n * n!`` sign flips and relabellings of a hidden layer, along a new leading axis.

    Member ``f * n! + k`` flips the units where ``f`` has a binary 1 (unit 0 the most significant digit), then permutes
    them by ``all_permutations(n)[k]``; member 0 is ``params``. The activation must be odd; layers wider than
    ``max_units`` are refused (``2**7 * 7! = 645120`` copies by default).

    Examples
    --------
    >>> from mlp_symmetry import flatten, init_params
    >>> theta = flatten(sign_flip_orbit(init_params([2, 3, 1], rng=0), 0))
    >>> theta.shape, len(np.unique(theta, axis=0)), bool(np.ptp(np.linalg.norm(theta, axis=-1)) == 0)
    ((48, 13), 48, True)
    """
    params, layer, n = _unit_pieces(params, layer)
    _check_symmetry(activation, "odd", "sign_flip_orbit")
    _check_orbit_size(n, layer, max_units, _size(params), signs=True)
    return _orbit(params, layer, _sign_patterns(n), all_permutations(n, max_n=n))


def symmetry_group_order(layer_sizes, activation) -> GroupOrder:
    """Count the discrete weight-space symmetries of an MLP: ``n!`` relabellings per hidden layer of width ``n``.

    Times ``2**n`` sign flips for an odd activation; the layers act independently, so the factors multiply. ``log10``
    comes from :func:`math.lgamma`; an ``order`` of more than a million digits is refused. Not counted: the continuous
    rescalings of ReLU networks (:func:`rescale_units`), the invertible mixings of linear ones, and for sigmoid, whose
    ``sigmoid(-z) = 1 - sigmoid(z)``, the sign flips paired with a shift of the next layer's biases.

    Examples
    --------
    Three hidden layers of 512 units: ``(512!)**3``, a number with 3500 digits.

    >>> g = symmetry_group_order([784, 512, 512, 512, 10], "relu")
    >>> round(g.log10, 1), g.order == math.factorial(512) ** 3
    (3499.6, True)
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
    """Return each unit's incoming pieces (row and bias) or outgoing pieces side by side, shape ``(..., n, m)``."""
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
    """Return the stable, batched order of the rows of ``keys`` (shape ``(..., n, m)``) sorted lexicographically."""
    return np.lexsort(np.moveaxis(keys, -1, 0)[::-1], axis=-1)  # np.lexsort's last key is the primary one


def _sort_within_groups(W: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Sort each row's entries by decreasing magnitude within each group of columns (odd, positively homogeneous)."""
    order = np.argsort(-np.abs(W), axis=-1, kind="stable")
    group_of = np.take_along_axis(np.broadcast_to(groups[..., None, :], W.shape), order, axis=-1)
    order = np.take_along_axis(order, np.argsort(group_of, axis=-1, kind="stable"), axis=-1)
    return np.take_along_axis(W, order, axis=-1)


def _normalise_units(params: Params, h: int) -> Params:
    """Rescale the units of hidden layer ``h`` to incoming weights and bias of unit norm (outgoing if these are 0)."""
    norm_in = np.linalg.norm(_side(params, h, incoming=True), axis=-1)
    norm_out = np.linalg.norm(_side(params, h, incoming=False), axis=-1)
    d = np.where(norm_in > 0, norm_in, 1.0 / np.where(norm_out > 0, norm_out, 1.0))[..., None]
    # Dividing, not multiplying by a reciprocal: a one-entry row becomes exactly +-1.
    return _map_units(params, h, lambda rows, incoming: rows / d if incoming else rows * d)


def _first_sign(key: np.ndarray, tol: float) -> np.ndarray:
    """Return the sign of the first entry of each row of ``key`` above ``tol`` times the row's largest magnitude."""
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


@_checks.overflow_raises
def canonical_form(params, activation, *, tol=1e-8) -> Params:
    """Return one fixed representative of the symmetry orbit of ``params`` (each batch member on its own).

    A pass over the hidden layers, first to last, fixes each unit's scale and sign and sorts the units: (1) for
    ``"relu"`` and ``"identity"`` the unit is rescaled to incoming weights and bias of unit norm (else outgoing); (2)
    for ``"tanh"`` and ``"identity"`` it is flipped so that the first entry of (incoming row, bias, outgoing column)
    above ``tol`` times the largest is positive; (3) the units are sorted by (incoming row, bias), entries closer than
    ``tol`` times the largest counting as equal (0 compares exact values). Units that tie are ordered by their outgoing
    columns in a backward pass, once the next layer is final. So networks related by :func:`permute_hidden_units`,
    :func:`flip_signs` and :func:`rescale_units` have the same canonical form, up to rounding from rescaling. Entries
    within rounding of a multiple of the resolution, or tied units with outgoing entries of equal magnitude and opposite
    sign, can still split an orbit (probability about 1e-8 for random weights); for ``"identity"`` the invertible
    mixings of the units are not divided out.

    Examples
    --------
    >>> from mlp_symmetry import init_params
    >>> net = init_params([2, 3, 2, 1], rng=0)
    >>> moved = permute_hidden_units(flip_signs(net, 1, [-1, 1]), 0, [2, 0, 1])
    >>> all(np.array_equal(p.W, q.W) for p, q in zip(canonical_form(net, "tanh"), canonical_form(moved, "tanh")))
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


@_checks.overflow_raises
def orbit_average(params, layer) -> Params:
    """Return the mean of all ``n!`` relabellings of a hidden layer, in closed form.

    Each position sees every unit equally often, so every incoming row becomes the mean row (likewise biases and
    outgoing columns): the units are identical, and the network computes what one unit with ``n`` times the mean
    outgoing weights computes. A convex loss would be no higher there than on the orbit.

    Examples
    --------
    >>> params = [([[-1.5, 2.0], [1.7, 0.4]], None), ([[2.3, 0.8]], None)]
    >>> [np.round(layer.W, 12).tolist() for layer in orbit_average(params, 0)]
    [[[0.1, 1.2], [0.1, 1.2]], [[1.55, 1.55]]]
    """
    params, layer, _ = _unit_pieces(params, layer)
    # each position sees every unit (n - 1)! times: every row becomes the mean row
    mean = _map_units(
        params, layer, lambda rows, _: np.array(np.broadcast_to(rows.mean(-2, keepdims=True), rows.shape))
    )
    return _checks.check_finite_result(mean, "params")
