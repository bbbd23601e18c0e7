import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mlp_symmetry as ms
from mlp_symmetry.symmetry import map_units, unit_axes

ACTIVATIONS = ("tanh", "relu", "sigmoid", "identity")
ODD = ("tanh", "identity")
HOMOGENEOUS = ("relu", "identity")
FAST = settings(max_examples=40, deadline=None)


def make_net(sizes, seed, *, bias=True):
    """Random network with weights and biases of standard deviation 1 (distinct units almost surely)."""
    rng = np.random.default_rng(seed)
    params = ms.init_params(sizes, rng=rng, bias=bias, scale=1.0)
    if bias:
        params = tuple(ms.Layer(W, rng.normal(size=W.shape[0])) for W, _ in params)
    return params


def random_symmetry(params, activation, rng):
    """Apply to every hidden layer a random permutation, and the sign flips / rescalings the activation allows."""
    for layer in range(len(params) - 1):
        n = params[layer].W.shape[-2]
        params = ms.permute_hidden_units(params, layer, rng.permutation(n))
        if activation in ODD:
            params = ms.flip_signs(params, layer, rng.choice([-1.0, 1.0], size=n), activation)
        if activation in HOMOGENEOUS:
            params = ms.rescale_units(params, layer, np.exp(rng.uniform(-2.0, 2.0, size=n)), activation)
    return params


def relative_error(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(a)), 1e-300))


def assert_params_equal(p, q, *, atol=0.0):
    assert len(p) == len(q)
    for index, (a, b) in enumerate(zip(p, q, strict=True)):
        assert a.W.shape == b.W.shape, f"layer {index}: W shapes differ"
        assert np.allclose(a.W, b.W, rtol=0.0, atol=atol), f"layer {index}: W differs"
        assert (a.b is None) == (b.b is None)
        if a.b is not None:
            assert np.allclose(a.b, b.b, rtol=0.0, atol=atol), f"layer {index}: b differs"


def n_distinct(orbit):
    return len(np.unique(ms.flatten(orbit), axis=0))


networks = st.fixed_dictionaries(
    {
        "sizes": st.tuples(
            st.integers(1, 4), st.lists(st.integers(1, 6), min_size=1, max_size=3), st.integers(1, 3)
        ).map(lambda t: [t[0], *t[1], t[2]]),
        "seed": st.integers(0, 2**32 - 1),
        "bias": st.booleans(),
        "activation": st.sampled_from(ACTIVATIONS),
    }
)


# --- the layout as data ---------------------------------------------------------------------------


def test_unit_axes_state_the_layout_rule():
    assert [tuple(u) for u in unit_axes(1)] == [(1, "W", -2, True), (1, "b", -1, True), (2, "W", -1, False)]
    assert [tuple(u) for u in unit_axes(0, bias=False)] == [(0, "W", -2, True), (1, "W", -1, False)]
    W = np.arange(6.0).reshape(2, 3)
    for u in unit_axes(0):
        array = W if u.name == "W" else W[:, 0]
        rows = u.rows(array)
        assert rows.shape[-2] == array.shape[u.axis], "one row per unit"
        assert np.array_equal(u.unrows(rows), array), "unrows inverts rows"


@FAST
@given(networks, st.data())
def test_map_units_applies_one_operation_to_row_bias_and_column_of_every_unit(net, data):
    params = make_net(net["sizes"], net["seed"], bias=net["bias"])
    layer = data.draw(st.integers(0, len(params) - 2))
    perm = np.array(data.draw(st.permutations(range(params[layer].W.shape[0]))))
    gathered = map_units(params, layer, lambda rows, incoming: rows[..., perm, :])
    assert_params_equal(gathered, ms.permute_hidden_units(params, layer, perm))
    doubled = map_units(params, layer, lambda rows, incoming: rows * (2.0 if incoming else 0.5))
    assert_params_equal(doubled, ms.rescale_units(params, layer, np.full(len(perm), 2.0), "identity"))


# --- the worked example -------------------------------------------------------------------------


W1 = [[-1.5, 2.0], [1.7, 0.4]]
W2 = [[2.3, 0.8]]


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("bias", [False, True])
def test_worked_example_swap_gives_a_different_weight_vector_with_the_same_outputs(activation, bias):
    b1, b2 = ([0.3, -0.7], [0.1]) if bias else (None, None)
    params = [(W1, b1), (W2, b2)]
    swapped = ms.permute_hidden_units(params, 0, [1, 0])
    assert np.array_equal(swapped[0].W, [[1.7, 0.4], [-1.5, 2.0]]), "rows of W1 swap"
    assert np.array_equal(swapped[1].W, [[0.8, 2.3]]), "columns of W2 swap"
    if bias:
        assert np.array_equal(swapped[0].b, [-0.7, 0.3]) and np.array_equal(swapped[1].b, [0.1])
    assert not np.array_equal(ms.flatten(params), ms.flatten(swapped)), "a different point of weight space"
    grid = np.stack(np.meshgrid(np.linspace(-5, 5, 101), np.linspace(-5, 5, 101)), axis=-1).reshape(-1, 2)
    X = np.vstack([grid, np.random.default_rng(0).normal(scale=10.0, size=(1000, 2))])
    # the output sums the same two products in the other order: equal up to rounding
    assert relative_error(ms.forward(params, X, activation), ms.forward(swapped, X, activation)) <= 1e-15


# --- every symmetry leaves the function and the loss unchanged -------------------------------------


@FAST
@given(networks)
def test_each_symmetry_and_their_composition_leave_outputs_and_loss_unchanged(net):
    sizes, activation = net["sizes"], net["activation"]
    params = make_net(sizes, net["seed"], bias=net["bias"])
    rng = np.random.default_rng(net["seed"])
    X = rng.normal(size=(20, sizes[0]))
    y = rng.normal(size=(20, sizes[-1]))
    out = ms.forward(params, X, activation)
    value = ms.loss(params, X, y, activation)
    moved = [random_symmetry(params, activation, rng)]
    for layer in range(len(sizes) - 2):
        n = sizes[layer + 1]
        moved.append(ms.permute_hidden_units(params, layer, rng.permutation(n)))
        if activation in ODD:
            moved.append(ms.flip_signs(params, layer, rng.choice([-1, 1], size=n), activation))
        if activation in HOMOGENEOUS:
            moved.append(ms.rescale_units(params, layer, np.exp(rng.uniform(-2, 2, size=n)), activation))
    for other in moved:
        assert relative_error(out, ms.forward(other, X, activation)) <= 1e-12, "same function"
        assert abs(ms.loss(other, X, y, activation) - value) <= 1e-12 * value, "same loss"


def test_the_refused_symmetries_would_change_the_function():
    # The ValueErrors of flip_signs and rescale_units are not overcautious: done by hand, the
    # transformations change the outputs.
    params = make_net([2, 3, 1], 0)
    X = np.random.default_rng(1).normal(size=(50, 2))
    flip = np.array([-1.0, 1.0, 1.0])
    flipped = ms.flip_signs(params, 0, flip, "identity")  # the same arrays tanh would get
    for activation in ("relu", "sigmoid"):
        assert relative_error(ms.forward(params, X, activation), ms.forward(flipped, X, activation)) > 1e-3
    scales = np.array([3.0, 1.0, 1.0])
    rescaled = ms.rescale_units(params, 0, scales, "identity")
    for activation in ("tanh", "sigmoid"):
        assert relative_error(ms.forward(params, X, activation), ms.forward(rescaled, X, activation)) > 1e-3


@FAST
@given(networks, st.data())
def test_a_permutation_followed_by_its_inverse_is_exactly_the_identity(net, data):
    params = make_net(net["sizes"], net["seed"], bias=net["bias"])
    layer = data.draw(st.integers(0, len(params) - 2))
    n = params[layer].W.shape[0]
    perm = np.array(data.draw(st.permutations(range(n))))
    back = ms.permute_hidden_units(ms.permute_hidden_units(params, layer, perm), layer, np.argsort(perm))
    assert_params_equal(params, back)
    signs = np.random.default_rng(net["seed"]).choice([-1, 1], size=n)
    twice = ms.flip_signs(ms.flip_signs(params, layer, signs), layer, signs)
    assert_params_equal(params, twice)


def test_permuted_member_is_the_old_unit_perm_i():
    params = make_net([3, 4, 2], 0)
    perm = [2, 0, 3, 1]
    new = ms.permute_hidden_units(params, 0, perm)
    for i, j in enumerate(perm):
        assert np.array_equal(new[0].W[i], params[0].W[j]) and new[0].b[i] == params[0].b[j]
        assert np.array_equal(new[1].W[:, i], params[1].W[:, j])
    assert np.array_equal(new[1].b, params[1].b), "the output bias is not touched"


def test_flip_and_rescale_act_on_row_bias_and_column_together():
    params = make_net([3, 4, 2], 0)
    f = ms.flip_signs(params, 0, [1, -1, 1, -1])
    assert np.array_equal(f[0].W[1], -params[0].W[1]) and f[0].b[1] == -params[0].b[1]
    assert np.array_equal(f[1].W[:, 1], -params[1].W[:, 1]) and np.array_equal(f[0].W[0], params[0].W[0])
    r = ms.rescale_units(params, 0, [1.0, 4.0, 1.0, 1.0])
    assert np.array_equal(r[0].W[1], 4.0 * params[0].W[1]) and r[0].b[1] == 4.0 * params[0].b[1]
    assert np.array_equal(r[1].W[:, 1], params[1].W[:, 1] / 4.0)


def test_batch_axes_are_handled_member_by_member():
    sizes = [2, 3, 2, 1]
    theta = np.random.default_rng(0).normal(size=(4, 5, ms.n_params(sizes)))
    batch = ms.unflatten(theta, sizes)
    perm, signs = [2, 0, 1], np.random.default_rng(1).choice([-1, 1], size=(4, 5, 3))
    scales = np.exp(np.random.default_rng(2).normal(size=(5, 3)))
    permuted = ms.flatten(ms.permute_hidden_units(batch, 0, perm))
    flipped = ms.flatten(ms.flip_signs(batch, 0, signs))
    rescaled = ms.flatten(ms.rescale_units(batch, 0, scales))
    for i, j in itertools.product(range(4), range(5)):
        member = ms.unflatten(theta[i, j], sizes)
        assert np.array_equal(permuted[i, j], ms.flatten(ms.permute_hidden_units(member, 0, perm)))
        assert np.array_equal(flipped[i, j], ms.flatten(ms.flip_signs(member, 0, signs[i, j])))
        assert np.allclose(rescaled[i, j], ms.flatten(ms.rescale_units(member, 0, scales[j])), rtol=1e-15, atol=0)


# --- orbits and their sizes -------------------------------------------------------------------------


@pytest.mark.parametrize("n", range(8))
def test_all_permutations_is_lexicographic_and_complete(n):
    perms = ms.all_permutations(n)
    assert perms.shape == (math.factorial(n), n) and perms.dtype.kind == "i"
    expected = np.array(list(itertools.permutations(range(n))), dtype=int).reshape(math.factorial(n), n)
    assert np.array_equal(perms, expected)


@FAST
@given(networks, st.data())
def test_orbit_sizes_match_the_group_order_for_distinct_units(net, data):
    sizes, activation = net["sizes"], net["activation"]
    params = make_net(sizes, net["seed"], bias=net["bias"])
    layer = data.draw(st.integers(0, len(params) - 2))
    n = sizes[layer + 1]
    factor = ms.symmetry_group_order([sizes[0], n, sizes[-1]], activation).order
    orbit = ms.permutation_orbit(params, layer)
    assert orbit[0].W.shape[0] == math.factorial(n)
    assert n_distinct(orbit) == math.factorial(n), "n! pairwise distinct weight vectors"
    X = np.random.default_rng(0).normal(size=(10, sizes[0]))
    assert relative_error(ms.forward(params, X, activation), ms.forward(orbit, X, activation)) <= 1e-12
    if activation in ODD:
        if n <= 5:
            flips = ms.sign_flip_orbit(params, layer, activation)
            assert n_distinct(flips) == 2**n * math.factorial(n) == factor
            out = ms.forward(flips, X, activation)
            assert relative_error(np.broadcast_to(ms.forward(params, X, activation), out.shape), out) <= 1e-12
            norms = np.linalg.norm(ms.flatten(flips), axis=-1)
            assert np.allclose(norms, norms[0], rtol=1e-14, atol=0), "all copies have the same norm"
    else:
        assert factor == math.factorial(n)


@pytest.mark.parametrize(("n", "k"), [(2, 2), (4, 2), (5, 2), (5, 3), (6, 4)])
def test_k_identical_units_shrink_the_permutation_orbit_to_n_factorial_over_k_factorial(n, k):
    params = make_net([3, n, 2], n + k)
    W, b = params[0].W.copy(), params[0].b.copy()
    W[1:k], b[1:k] = W[0], b[0]
    V = params[1].W.copy()
    V[:, 1:k] = V[:, [0]]
    tied = (ms.Layer(W, b), ms.Layer(V, params[1].b))
    assert n_distinct(ms.permutation_orbit(tied, 0)) == math.factorial(n) // math.factorial(k)


def test_orbit_members_are_the_single_transformations_in_the_documented_order():
    sizes = [2, 3, 2, 1]
    theta = np.random.default_rng(0).normal(size=(2, ms.n_params(sizes)))
    batch = ms.unflatten(theta, sizes)
    perms = ms.all_permutations(3)
    orbit = ms.flatten(ms.permutation_orbit(batch, 0))
    flips = ms.flatten(ms.sign_flip_orbit(batch, 0))
    assert orbit.shape == (6, 2, theta.shape[-1]) and flips.shape == (48, 2, theta.shape[-1])
    for k, perm in enumerate(perms):
        assert np.array_equal(orbit[k], ms.flatten(ms.permute_hidden_units(batch, 0, perm)))
    for f, k in itertools.product(range(8), range(6)):
        signs = [1 - 2 * int(bit) for bit in format(f, "03b")]
        expected = ms.permute_hidden_units(ms.flip_signs(batch, 0, signs), 0, perms[k])
        assert np.array_equal(flips[f * 6 + k], ms.flatten(expected))
    layer1 = ms.flatten(ms.permutation_orbit(batch, 1))
    assert np.array_equal(layer1[1], ms.flatten(ms.permute_hidden_units(batch, 1, [1, 0])))


def test_orbits_refuse_wide_layers_before_doing_any_work():
    wide = make_net([2, 9, 1], 0)
    with pytest.raises(
        ValueError,
        match=r"^hidden layer 0 has 9 units, more than max_units=8: its permutation orbit has 9! = 362880 members",
    ):
        ms.permutation_orbit(wide, 0)
    with pytest.raises(ValueError, match=r"more than max_units=7.*2\*\*9 \* 9! = 185794560 members"):
        ms.sign_flip_orbit(wide, 0)
    assert ms.permutation_orbit(make_net([2, 3, 1], 0), 0, max_units=3)[0].W.shape == (6, 3, 2)


def test_orbit_average_is_the_mean_of_the_orbit_and_has_identical_units():
    params = make_net([3, 4, 2, 1], 0)
    for layer in (0, 1):
        mean = ms.orbit_average(params, layer)
        orbit = ms.permutation_orbit(params, layer)
        for got, members in zip(mean, orbit, strict=True):
            assert members.W.shape[0] == members.b.shape[0] == 24 if layer == 0 else 2, "every array is batched"
            assert np.allclose(got.W, members.W.mean(axis=0), rtol=0, atol=1e-14)
            assert np.allclose(got.b, members.b.mean(axis=0), rtol=0, atol=1e-14)
        assert np.all(mean[layer].W == mean[layer].W[0]) and np.all(mean[layer].b == mean[layer].b[0])
        assert np.all(mean[layer + 1].W == mean[layer + 1].W[:, [0]])
    # one hidden layer: the average computes what a one-unit network with n times the mean outgoing weight does
    params = make_net([3, 4, 2], 1)
    mean = ms.orbit_average(params, 0)
    one = [(mean[0].W[:1], mean[0].b[:1]), (4 * mean[1].W[:, :1], mean[1].b)]
    X = np.random.default_rng(2).normal(size=(30, 3))
    assert relative_error(ms.forward(one, X), ms.forward(mean, X)) <= 1e-14


# --- the group order --------------------------------------------------------------------------------


def test_symmetry_group_order_multiplies_over_layers_and_is_exact():
    sizes = [3, 4, 5, 2, 1]
    perms = math.factorial(4) * math.factorial(5) * math.factorial(2)
    for activation in ("relu", "sigmoid"):
        assert ms.symmetry_group_order(sizes, activation).order == perms
    for activation in ODD:
        assert ms.symmetry_group_order(sizes, activation).order == perms * 2 ** (4 + 5 + 2)
    assert ms.symmetry_group_order([5, 1], "tanh") == (1, 0.0), "no hidden layer, no symmetry"
    big = ms.symmetry_group_order([784, 512, 512, 512, 10], "relu")
    assert isinstance(big.order, int) and big.order == math.factorial(512) ** 3
    assert len(str(big.order)) == 3500 and round(big.log10, 1) == 3499.6
    assert abs(big.log10 - math.log10(big.order)) < 1e-9, "lgamma agrees with the exact integer"
    tanh = ms.symmetry_group_order([784, 512, 512, 512, 10], "tanh")
    assert abs(tanh.log10 - math.log10(tanh.order)) < 1e-9


# --- canonical form ---------------------------------------------------------------------------------


@FAST
@given(networks)
def test_canonical_form_is_the_same_for_every_member_of_an_orbit(net):
    sizes, activation = net["sizes"], net["activation"]
    params = make_net(sizes, net["seed"], bias=net["bias"])
    rng = np.random.default_rng(net["seed"])
    reference = ms.canonical_form(params, activation)
    for _ in range(3):
        moved = random_symmetry(params, activation, rng)
        assert_params_equal(ms.canonical_form(moved, activation), reference, atol=1e-10)
    assert_params_equal(ms.canonical_form(reference, activation), reference, atol=1e-12)
    X = rng.normal(size=(15, sizes[0]))
    assert relative_error(ms.forward(params, X, activation), ms.forward(reference, X, activation)) <= 1e-12


def test_canonical_form_separates_different_functions_and_handles_batches():
    a, b = make_net([2, 3, 1], 0), make_net([2, 3, 1], 1)
    assert not np.allclose(ms.flatten(ms.canonical_form(a, "tanh")), ms.flatten(ms.canonical_form(b, "tanh")))
    orbit = ms.sign_flip_orbit(a, 0)
    canon = ms.flatten(ms.canonical_form(orbit, "tanh"))
    assert np.all(canon == canon[0]), "all 48 members map to one representative"
    assert np.array_equal(canon[0], ms.flatten(ms.canonical_form(a, "tanh")))


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("layer", [0, 1])
def test_canonical_form_with_units_that_share_their_incoming_weights(activation, layer):
    # A split unit (same incoming weights, outgoing weights lam*v and (1-lam)*v) in either hidden layer:
    # the tie is broken by the outgoing columns once the next layer is canonical.
    params = make_net([2, 3, 4, 2], layer)
    W, b, V = params[layer].W.copy(), params[layer].b.copy(), params[layer + 1].W.copy()
    W[1], b[1] = W[0], b[0]
    V[:, 1] = 0.3 * V[:, 0]
    V[:, 0] *= 0.7
    tied = list(params)
    tied[layer], tied[layer + 1] = ms.Layer(W, b), ms.Layer(V, params[layer + 1].b)
    rng = np.random.default_rng(3)
    reference = ms.canonical_form(tied, activation)
    for _ in range(10):
        assert_params_equal(
            ms.canonical_form(random_symmetry(tied, activation, rng), activation), reference, atol=1e-12
        )


@pytest.mark.parametrize("activation", HOMOGENEOUS)
def test_canonical_form_when_normalisation_makes_every_unit_of_a_layer_tie(activation):
    # one input, no bias: every normalised incoming row is +1 or -1
    params = make_net([1, 4, 3, 2], 5, bias=False)
    rng = np.random.default_rng(4)
    reference = ms.canonical_form(params, activation)
    assert np.all(np.abs(reference[0].W) == 1.0)
    for _ in range(10):
        assert_params_equal(
            ms.canonical_form(random_symmetry(params, activation, rng), activation), reference, atol=1e-12
        )


def test_canonical_form_handles_units_with_zero_incoming_weights():
    params = [([[0.0, 0.0], [1.0, 2.0]], [0.0, 0.5]), ([[3.0, -1.0]], None)]
    for activation in ("relu", "identity"):
        reference = ms.canonical_form(params, activation)
        moved = ms.rescale_units(params, 0, [5.0, 0.25], activation)
        assert_params_equal(ms.canonical_form(moved, activation), reference, atol=1e-14)
    moved = ms.flip_signs(params, 0, [-1, 1])
    assert_params_equal(ms.canonical_form(moved, "tanh"), ms.canonical_form(params, "tanh"))


# --- caller arrays and bad input --------------------------------------------------------------------


def _arrays(value):
    """Every array inside nested tuples and lists (named tuples included)."""
    if isinstance(value, np.ndarray):
        return [value]
    return [a for item in value for a in _arrays(item)] if isinstance(value, list | tuple) else []


CALLS = {
    "permute_hidden_units": lambda p, layer, n, rng, act: ms.permute_hidden_units(p, layer, rng.permutation(n)),
    "flip_signs": lambda p, layer, n, rng, act: ms.flip_signs(p, layer, rng.choice([-1.0, 1.0], n), "tanh"),
    "rescale_units": lambda p, layer, n, rng, act: ms.rescale_units(p, layer, rng.uniform(0.5, 2.0, n), "relu"),
    "permutation_orbit": lambda p, layer, n, rng, act: ms.permutation_orbit(p, layer),
    "sign_flip_orbit": lambda p, layer, n, rng, act: ms.sign_flip_orbit(p, layer),
    "orbit_average": lambda p, layer, n, rng, act: ms.orbit_average(p, layer),
    "canonical_form": lambda p, layer, n, rng, act: ms.canonical_form(p, act),
    "map_units": lambda p, layer, n, rng, act: map_units(p, layer, lambda rows, incoming: rows[..., ::-1, :]),
}


@FAST
@given(networks, st.sampled_from([(), (2,), (2, 3)]), st.sampled_from(sorted(CALLS)), st.data())
def test_no_function_modifies_or_shares_the_callers_arrays(net, batch, name, data):
    sizes = [min(size, 4) for size in net["sizes"]]  # orbits of at most 2**4 * 4! members
    theta = np.random.default_rng(net["seed"]).normal(size=batch + (ms.n_params(sizes, bias=net["bias"]),))
    params = ms.unflatten(theta, sizes, bias=net["bias"])
    layer = data.draw(st.integers(0, len(sizes) - 3))
    inputs = _arrays(params)
    before = [array.copy() for array in inputs]
    result = CALLS[name](params, layer, sizes[layer + 1], np.random.default_rng(0), net["activation"])
    assert all(np.array_equal(a, b) for a, b in zip(inputs, before, strict=True)), f"{name} modified its input"
    for array in _arrays(result):
        assert not any(np.shares_memory(array, given) for given in inputs), f"{name} returned a view of an input"


BAD_INPUTS = [
    (lambda p: ms.permute_hidden_units(p, 1, [0, 1]), ValueError, r"layer must index a hidden layer, 0 <= layer < 1"),
    (lambda p: ms.permute_hidden_units(p, -1, [0, 1]), ValueError, r"got -1"),
    (lambda p: ms.permute_hidden_units(p, 0.0, [0, 1]), TypeError, r"layer must be an integer"),
    (
        lambda p: ms.permute_hidden_units(p, 0, [0, 0]),
        ValueError,
        r"perm must be a permutation of range\(2\); got \[0, 0\]",
    ),
    (lambda p: ms.permute_hidden_units(p, 0, [0, 1, 2]), ValueError, r"permutation of range\(2\); got \[0, 1, 2\]"),
    (lambda p: ms.permute_hidden_units(p, 0, [0.5, 1]), TypeError, r"perm must be a sequence of integers"),
    (lambda p: ms.flip_signs(p, 0, [1, 0]), ValueError, r"signs must contain only \+1 and -1; got values \[0.0\]"),
    (lambda p: ms.flip_signs(p, 0, [1, -1, 1]), ValueError, r"signs must have 2 entries.*got shape \(3,\)"),
    (lambda p: ms.flip_signs(p, 0, [1, -1], "relu"), ValueError, r"relu\(-z\) != -relu\(z\)"),
    (lambda p: ms.flip_signs(p, 0, [1, -1], "sigmoid"), ValueError, r"sigmoid\(-z\) = 1 - sigmoid\(z\).*bias"),
    (lambda p: ms.flip_signs(p, 0, [1, -1], "softplus"), ValueError, r"activation must be one of"),
    (lambda p: ms.rescale_units(p, 0, [1.0, 0.0]), ValueError, r"scales must be positive; got non-positive values"),
    (lambda p: ms.rescale_units(p, 0, [1.0, -2.0]), ValueError, r"got non-positive values \[-2.0\]"),
    (lambda p: ms.rescale_units(p, 0, [1.0]), ValueError, r"scales must have 2 entries.*got shape \(1,\)"),
    (lambda p: ms.rescale_units(p, 0, [1.0, np.nan]), ValueError, r"scales must contain only finite values"),
    (lambda p: ms.rescale_units(p, 0, [1.0, 2.0], "tanh"), ValueError, r"positively homogeneous.*tanh\(a z\)"),
    (lambda p: ms.rescale_units(p, 0, [1.0, 2.0], "sigmoid"), ValueError, r"sigmoid\(a z\) != a sigmoid\(z\)"),
    (lambda p: ms.sign_flip_orbit(p, 0, "relu"), ValueError, r"sign_flip_orbit needs an odd activation"),
    (lambda p: ms.permutation_orbit(p, 3), ValueError, r"layer must index a hidden layer"),
    (lambda p: ms.permutation_orbit(p, 0, max_units=-1), ValueError, r"max_units must be >= 0"),
    (lambda p: ms.orbit_average(p, 2), ValueError, r"layer must index a hidden layer"),
    (lambda p: ms.canonical_form(p, "elu"), ValueError, r"activation must be one of"),
    (lambda p: ms.canonical_form(p, "tanh", tol=-1.0), ValueError, r"tol must be a finite number >= 0"),
    (lambda p: ms.all_permutations(-1), ValueError, r"n must be >= 0; got -1"),
    (lambda p: ms.all_permutations(2.0), TypeError, r"n must be an integer"),
    (lambda p: ms.symmetry_group_order([3], "relu"), ValueError, r"layer_sizes must have at least 2 entries"),
    (lambda p: ms.symmetry_group_order([3, 0, 1], "relu"), ValueError, r"positive integers"),
    (lambda p: ms.symmetry_group_order([3, 2, 1], "gelu"), ValueError, r"activation must be one of"),
    (lambda p: ms.permute_hidden_units("W", 0, [0, 1]), TypeError, r"params must be a non-empty sequence"),
    # numpy's own errors and silent casts, now refused with a message naming the argument
    (
        lambda p: ms.permute_hidden_units(p, 0, [[0], [1, 0]]),
        TypeError,
        r"perm must be a sequence of integers; got list",
    ),
    (lambda p: ms.permute_hidden_units(p, 0, [0, np.inf]), TypeError, r"perm must be a sequence of integers"),
    (lambda p: ms.permute_hidden_units(p, 0, [True, False]), TypeError, r"perm must be a sequence of integers"),
    (
        lambda p: ms.permute_hidden_units(p, 0, np.asarray(1)),
        ValueError,
        r"perm must be a permutation of range\(2\); got 1$",
    ),
    (
        lambda p: ms.flip_signs(p, 0, ["1", "-1"]),
        TypeError,
        r"signs must be an array of real numbers; got list \['1', '-1'\]",
    ),
    (
        lambda p: ms.flip_signs(p, 0, np.full(2, np.datetime64("2020-01-01"))),
        TypeError,
        r"signs must be an array of real numbers; got array of shape \(2,\) and dtype datetime64",
    ),
    (lambda p: ms.flip_signs(p, 0, 1), ValueError, r"signs must have at least 1 dimension"),
    (lambda p: ms.rescale_units(p, 0, [True, True]), TypeError, r"scales must be an array of real numbers"),
    (
        lambda p: ms.rescale_units(p, 0, [1.0, 1e-320]),
        ValueError,
        r"params and scales must keep the result within float64",
    ),
    (lambda p: ms.canonical_form(p, "tanh", tol=np.nan), ValueError, r"tol must be a finite number >= 0.0; got nan"),
    (lambda p: ms.canonical_form(p, "tanh", tol=np.inf), ValueError, r"tol must be a finite number >= 0.0; got inf"),
    (lambda p: ms.canonical_form(p, "tanh", tol="1e-8"), TypeError, r"tol must be a real number; got str '1e-8'"),
    (
        lambda p: ms.canonical_form([([[1e200, 1e200], [1.0, 2.0]], None), ([[1.0, 1.0]], None)], "relu"),
        ValueError,
        r"^params must keep the result within float64; it overflows",
    ),
    (
        lambda p: ms.orbit_average([([[1e308], [1e308]], None), ([[1.0, 1.0]], None)], 0),
        ValueError,
        r"^params must keep the result within float64; it overflows",
    ),
    (lambda p: ms.all_permutations(11), ValueError, r"n must be at most max_n=10: 11! = 39916800 rows; got n=11"),
    (lambda p: ms.all_permutations(3, max_n=2.5), TypeError, r"max_n must be an integer"),
    (lambda p: ms.sign_flip_orbit(p, 0, max_units=7.0), TypeError, r"max_units must be an integer; got float 7.0"),
    (
        lambda p: ms.symmetry_group_order(np.asarray(3), "relu"),
        TypeError,
        r"layer_sizes must be a sequence of positive integers; got array of shape \(\)",
    ),
    (
        lambda p: ms.symmetry_group_order([2, 10**6, 1], "relu"),
        ValueError,
        r"at most 1000000 digits to compute it exactly; got \[2, 1000000, 1\], an order of about 10\*\*5565709$",
    ),
    (lambda p: map_units(p, 0, "reverse"), TypeError, r"op must be callable; got str 'reverse'"),
    (lambda p: map_units(p, 0, lambda rows, incoming: rows, rest=1), TypeError, r"rest must be callable; got int 1"),
    (lambda p: unit_axes(-1), ValueError, r"layer must be >= 0; got -1"),
    (lambda p: unit_axes(0, bias=1), TypeError, r"bias must be True or False; got int 1"),
]


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning", "ignore:invalid value:RuntimeWarning")
@pytest.mark.parametrize(("call", "error", "match"), BAD_INPUTS)
def test_bad_input_raises_a_message_naming_the_argument(call, error, match):
    params = [(W1, None), (W2, None)]
    with pytest.raises(error, match=match):
        call(params)


def test_the_documented_permutation_message():
    params = make_net([2, 4, 1], 0)
    with pytest.raises(ValueError, match=r"^perm must be a permutation of range\(4\); got \[0, 0, 2, 3\]$"):
        ms.permute_hidden_units(params, 0, [0, 0, 2, 3])
