import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mlp_symmetry as ms
from mlp_symmetry.twins import merge_units, split_unit


@settings(max_examples=30, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 4), min_size=3, max_size=4),
    seed=st.integers(0, 2**16),
    ratio=st.floats(-2.0, 3.0),
    bias=st.booleans(),
    activation=st.sampled_from(["tanh", "relu", "sigmoid"]),
)
def test_split_unit_preserves_the_function(sizes, seed, ratio, bias, activation):
    rng = np.random.default_rng(seed)
    params = ms.init_params(sizes, rng=rng, bias=bias)
    layer = int(rng.integers(len(sizes) - 2))
    unit = int(rng.integers(sizes[layer + 1]))
    wider = split_unit(params, layer, unit, ratio)
    X = rng.normal(size=(7, sizes[0]))
    expected_sizes = list(sizes)
    expected_sizes[layer + 1] += 1
    assert ms.layer_sizes(wider) == tuple(expected_sizes), "one more unit in the split layer"
    np.testing.assert_allclose(
        ms.forward(wider, X, activation), ms.forward(params, X, activation), rtol=0, atol=1e-12 * (1 + abs(ratio))
    )


@settings(max_examples=30, deadline=None)
@given(sizes=st.lists(st.integers(1, 4), min_size=3, max_size=4), seed=st.integers(0, 2**16), ratio=st.floats(-2, 3))
def test_merge_units_inverts_split_unit(sizes, seed, ratio):
    rng = np.random.default_rng(seed)
    params = ms.init_params(sizes, rng=rng)
    layer = int(rng.integers(len(sizes) - 2))
    unit = int(rng.integers(sizes[layer + 1]))
    back = merge_units(split_unit(params, layer, unit, ratio), layer, unit, unit + 1)
    np.testing.assert_allclose(ms.flatten(back), ms.flatten(params), rtol=0, atol=1e-12 * (1 + abs(ratio)))


def test_merge_units_keeps_unit_i_and_adds_outgoing_weights():
    W1 = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    W2 = np.array([[7.0, 8.0, 9.0]])
    merged = merge_units([(W1, None), (W2, None)], 0, 2, 0)
    np.testing.assert_array_equal(merged[0].W, [[3.0, 4.0], [5.0, 6.0]])
    np.testing.assert_array_equal(merged[1].W, [[8.0, 16.0]])
    assert W2[0, 2] == 9.0 and W1.shape == (3, 2), "the caller's arrays are untouched"


def test_split_unit_ratio_array_gives_a_batch_along_the_line():
    params = ms.init_params([2, 3, 1], rng=0)
    ratios = np.linspace(-1.0, 2.0, 7)
    line = split_unit(params, 0, 1, ratios)
    assert ms.batch_shape(line) == (7,)
    np.testing.assert_allclose(line[1].W[:, 0, 1], ratios * params[1].W[0, 1])
    np.testing.assert_allclose(line[1].W[:, 0, 2], (1 - ratios) * params[1].W[0, 1])
    X = np.random.default_rng(2).normal(size=(6, 2))
    np.testing.assert_allclose(ms.forward(line, X), np.broadcast_to(ms.forward(params, X), (7, 6, 1)), atol=1e-13)


def test_split_of_a_critical_point_is_critical_on_the_whole_line():
    """Fukumizu & Amari (2000): the gradient vanishes at every split of a critical point."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 2))
    y = np.sin(2 * X[:, 0]) + 0.5 * X[:, 1] ** 2 + 0.1 * rng.normal(size=30)
    small = ms.minimize(ms.init_params([2, 2, 1], rng=1), X, y)
    for ratio in (-0.5, 0.0, 0.3, 0.5, 1.7):
        wider = split_unit(small, 0, 0, ratio)
        grad = ms.flatten(ms.loss_and_gradient(wider, X, y)[1])
        assert np.linalg.norm(grad) < 1e-8, f"split at ratio {ratio} is a critical point"
    start = ms.init_params([2, 2, 1], rng=1)
    grad = ms.flatten(ms.loss_and_gradient(split_unit(start, 0, 0), X, y)[1])
    assert np.linalg.norm(grad) > 1e-3, "splitting a non-critical point gives a non-critical point"


@settings(max_examples=30, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 4), min_size=3, max_size=4),
    seed=st.integers(0, 2**16),
    bias=st.booleans(),
    batch=st.sampled_from([(), (2,), (2, 3)]),
    data=st.data(),
)
def test_split_and_merge_share_no_memory_with_the_callers_arrays(sizes, seed, bias, batch, data):
    theta = np.random.default_rng(seed).normal(size=batch + (ms.n_params(sizes, bias=bias),))
    params = ms.unflatten(theta, sizes, bias=bias)
    layer = data.draw(st.integers(0, len(sizes) - 3))
    n = sizes[layer + 1]
    results = [split_unit(params, layer, data.draw(st.integers(0, n - 1)), data.draw(st.floats(-2, 3)))]
    if n >= 2:
        i, j = data.draw(st.permutations(range(n)))[:2]
        results.append(merge_units(params, layer, i, j))
    inputs = [array for layer_ in params for array in layer_ if array is not None]
    for result in results:
        for array in (array for layer_ in result for array in layer_ if array is not None):
            assert not any(np.shares_memory(array, given) for given in inputs), "a view of the caller's weights"


def test_split_unit_does_not_mutate_input():
    params = ms.init_params([2, 3, 1], rng=0)
    before = ms.flatten(params).copy()
    split_unit(params, 0, 0, 0.2)
    merge_units(params, 0, 0, 1)
    np.testing.assert_array_equal(ms.flatten(params), before)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda p: split_unit(p, 1, 0), ValueError, r"layer must index a hidden layer.*got 1"),
        (lambda p: split_unit(p, 0, 3), ValueError, r"unit must index a unit of the layer, 0 <= unit < 3; got 3"),
        (lambda p: split_unit(p, 0, 1.0), TypeError, r"unit must be an integer"),
        (lambda p: split_unit(p, 0, 0, np.nan), ValueError, r"ratio must contain only finite values"),
        (lambda p: merge_units(p, 0, 1, 1), ValueError, r"i and j must be two different units; got i = j = 1"),
        (lambda p: merge_units(p, 0, 0, -1), ValueError, r"j must index a unit.*got -1"),
        (lambda p: merge_units(p, 0, 0, "1"), TypeError, r"j must be an integer; got str '1'"),
        (lambda p: split_unit(p, 0, 0, "0.5"), TypeError, r"ratio must be an array of real numbers; got str '0.5'"),
        (lambda p: split_unit(p, 0, 0, True), TypeError, r"ratio must be an array of real numbers; got bool True"),
        (lambda p: split_unit(p, 0, 0, np.datetime64("2020-01-01")), TypeError, r"ratio must be an array of real"),
        (
            lambda p: split_unit([(p[0].W, None), (np.full((1, 3), 10.0), None)], 0, 0, 1e308),
            ValueError,
            r"^params and ratio must keep the result within float64; it overflows",
        ),
        (
            lambda p: merge_units([(p[0].W, None), (np.full((1, 3), 1e308), None)], 0, 0, 1),
            ValueError,
            r"^params must keep the result within float64; it overflows",
        ),
    ],
)
@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")
def test_bad_input_is_rejected_with_a_clear_message(call, error, match):
    with pytest.raises(error, match=match):
        call(ms.init_params([2, 3, 1], rng=0))


def test_merge_units_needs_two_units():
    with pytest.raises(ValueError, match=r"at least 2 units to merge.*it has 1"):
        merge_units(ms.init_params([2, 1, 1], rng=0), 0, 0, 0)
