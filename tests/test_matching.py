import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mlp_symmetry as ms
from mlp_symmetry.matching import apply_permutations, weight_matching


@settings(max_examples=25, deadline=None)
@given(
    widths=st.lists(st.integers(2, 12), min_size=1, max_size=3),
    bias=st.booleans(),
    seed=st.integers(0, 10_000),
)
def test_weight_matching_recovers_a_planted_permutation(widths, bias, seed):
    rng = np.random.default_rng(seed)
    sizes = [5, *widths, 3]
    net = ms.init_params(sizes, rng=rng, bias=bias)
    planted = [rng.permutation(w) for w in widths]
    result = weight_matching(net, apply_permutations(net, planted))
    for found, p in zip(result.perms, planted, strict=True):
        np.testing.assert_array_equal(found, np.argsort(p), err_msg="the inverse of the planted permutation")
    for x, y in zip(result.params, net, strict=True):
        np.testing.assert_array_equal(x.W, y.W, err_msg="the aligned twin is the original, exactly")


def test_weight_matching_keeps_the_function_and_raises_the_inner_product():
    a, b = ms.init_params([4, 8, 8, 2], rng=0), ms.init_params([4, 8, 8, 2], rng=1)
    result = weight_matching(a, b)
    X = np.random.default_rng(0).normal(size=(30, 4))
    np.testing.assert_allclose(ms.forward(result.params, X, "relu"), ms.forward(b, X, "relu"), rtol=1e-12, atol=1e-12)
    before = ms.flatten(a) @ ms.flatten(b)
    after = ms.flatten(a) @ ms.flatten(result.params)
    assert after >= before, "coordinate descent never lowers the objective"
    for perm in result.perms:
        assert sorted(perm) == list(range(8))


def test_weight_matching_is_a_fixed_point_on_a_single_hidden_layer():
    """With one hidden layer the assignment problem is solved exactly: no permutation scores higher."""
    a, b = ms.init_params([3, 4, 1], rng=0), ms.init_params([3, 4, 1], rng=1)
    best = ms.flatten(a) @ ms.flatten(weight_matching(a, b).params)
    for perm in ms.all_permutations(4):
        assert ms.flatten(a) @ ms.flatten(ms.permute_hidden_units(b, 0, perm)) <= best + 1e-12


def test_apply_permutations_keeps_the_function():
    net = ms.init_params([3, 5, 4, 2], rng=0)
    twin = apply_permutations(net, [[4, 3, 2, 1, 0], [1, 0, 3, 2]])
    X = np.random.default_rng(0).normal(size=(20, 3))
    np.testing.assert_allclose(ms.forward(net, X), ms.forward(twin, X), rtol=1e-13, atol=1e-13)
    assert not np.array_equal(ms.flatten(net), ms.flatten(twin))


@settings(max_examples=20, deadline=None)
@given(widths=st.lists(st.integers(1, 6), min_size=1, max_size=3), bias=st.booleans(), seed=st.integers(0, 10_000))
def test_results_share_no_memory_with_the_callers_arrays(widths, bias, seed):
    rng = np.random.default_rng(seed)
    a, b = (ms.init_params([3, *widths, 2], rng=rng, bias=bias) for _ in range(2))
    matching = weight_matching(a, b)
    results = [apply_permutations(b, [rng.permutation(w) for w in widths]), matching.params, matching.perms]
    inputs = [array for net in (a, b) for layer in net for array in layer if array is not None]
    for result in results:
        for array in (x for item in result for x in (item if isinstance(item, tuple) else [item])):
            assert array is None or not any(np.shares_memory(array, given) for given in inputs), "a view of an input"


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")
def test_bad_inputs_name_the_argument():
    a = ms.init_params([3, 4, 2], rng=0)
    with pytest.raises(ValueError, match="same architecture"):
        weight_matching(a, ms.init_params([3, 5, 2], rng=0))
    with pytest.raises(ValueError, match="at least one hidden layer"):
        weight_matching(ms.init_params([3, 2], rng=0), ms.init_params([3, 2], rng=1))
    with pytest.raises(ValueError, match="params_b must describe one network"):
        weight_matching(a, ms.unflatten(np.zeros((2, 26)), [3, 4, 2]))
    with pytest.raises(ValueError, match="one permutation per hidden layer"):
        apply_permutations(a, [[0, 1, 2, 3], [0, 1]])
    with pytest.raises(ValueError, match=r"perm must be a permutation of range\(4\)"):
        apply_permutations(a, [[0, 0, 1, 2]])
    with pytest.raises(TypeError, match=r"perms must be a sequence of permutations.*got array of shape \(\)"):
        apply_permutations(a, np.asarray(1))
    with pytest.raises(TypeError, match=r"perms must be a sequence of permutations.*got str 'ab'"):
        apply_permutations(a, "ab")
    with pytest.raises(TypeError, match=r"^perms\[0\]: perm must be a sequence of integers; got list"):
        apply_permutations(a, [[[0, 1], [2]]])
    with pytest.raises(TypeError, match="max_sweeps must be an integer; got float 2.5"):
        weight_matching(a, a, max_sweeps=2.5)
    with pytest.raises(ValueError, match="max_sweeps must be >= 1; got 0"):
        weight_matching(a, a, max_sweeps=0)
    huge = [(np.full((4, 3), 1e200), None), (np.ones((2, 4)), None)]
    with pytest.raises(ValueError, match="params_a and params_b must have weights small enough"):
        weight_matching(huge, huge)
