import numpy as np
import pytest

import mlp_symmetry as ms


@pytest.fixture(scope="module")
def teacher_data():
    """Regression data made by a 2-3-1 tanh teacher: the global minimum has loss 0."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    y = ms.forward(ms.init_params([2, 3, 1], rng=42, scale=1.5), X)[:, 0]
    return X, y


def grad_norm(params, X, y, activation="tanh"):
    return np.linalg.norm(ms.flatten(ms.loss_and_gradient(params, X, y, activation)[1]))


def test_minimize_reaches_a_certified_global_minimum(teacher_data):
    X, y = teacher_data
    p = ms.minimize(ms.init_params([2, 3, 1], rng=0), X, y)
    verdict = ms.classify_critical_point(p, X, y, global_loss=0.0)
    assert verdict.grad_norm < 1e-10, "trust-region Newton plus polishing reaches a tiny gradient"
    assert verdict.kind == "global minimum", f"teacher data are fitted exactly; got {verdict}"
    assert verdict.n_negative == 0 and verdict.eigenvalues[0] > 0


def test_newton_refine_converges_to_a_saddle_with_negative_curvature(teacher_data):
    X, y = teacher_data
    p, verdict = ms.certify_critical_point(ms.init_params([2, 3, 1], rng=1), X, y)
    assert verdict.grad_norm < 1e-10
    assert verdict.kind == "saddle" and verdict.n_negative >= 1
    assert verdict.index == verdict.n_negative / ms.n_params([2, 3, 1])


def test_newton_refine_keeps_the_structure_and_does_not_touch_the_input(teacher_data):
    X, y = teacher_data
    start = ms.init_params([2, 3, 1], rng=1, bias=False)
    copy = [(W.copy(), b) for W, b in start]
    refined = ms.newton_refine(start, X, y)
    assert all(layer.b is None for layer in refined), "layers without bias stay without bias"
    assert all(np.array_equal(a.W, W) for a, (W, _) in zip(start, copy, strict=True)), "input unchanged"


def test_classification_rules():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 2))
    y = X @ [1.0, -2.0]
    zero = [(np.zeros((2, 2)), None), (np.zeros((1, 2)), None)]
    verdict = ms.classify_critical_point(zero, X, y)
    assert verdict.kind == "saddle", "the all-zero network is a saddle when targets correlate with inputs"
    assert verdict.n_negative == 2 and verdict.n_negative + verdict.n_zero + verdict.n_positive == 6
    not_critical = ms.classify_critical_point(ms.init_params([2, 2, 1], rng=0), X, y)
    assert not_critical.kind == "not critical", "a random point has a large gradient"
    # With y uncorrelated with X (here y = 0 fits exactly at zero), every eigenvalue vanishes: degenerate.
    flat = ms.classify_critical_point(zero, X, np.zeros(30))
    assert flat.kind == "degenerate" and flat.n_zero == 6


def test_spurious_versus_global(teacher_data):
    X, y = teacher_data
    p = ms.minimize(ms.init_params([2, 3, 1], rng=0), X, y)
    assert ms.classify_critical_point(p, X, y, global_loss=-1.0).kind == "spurious minimum"


def test_default_symmetry_zeros():
    assert ms.default_symmetry_zeros([3, 4, 5, 1], "relu") == 9
    assert ms.default_symmetry_zeros([3, 4, 5, 1], "identity") == 16 + 25
    assert ms.default_symmetry_zeros([3, 4, 1], "sigmoid") == 0


def test_bad_input(teacher_data):
    X, y = teacher_data
    p = ms.init_params([2, 3, 1], rng=0)
    with pytest.raises(ValueError, match=r"grad_tol must be a finite number >= 0.0; got -1.0"):
        ms.classify_critical_point(p, X, y, grad_tol=-1)
    with pytest.raises(TypeError, match="global_loss must be a real number"):
        ms.classify_critical_point(p, X, y, global_loss="0")
    wide = ms.init_params([2, 5000, 1], rng=0)
    with pytest.raises(ValueError, match="params has 20001 parameters, too many for a dense Hessian"):
        ms.minimize(wide, X, y)
    with pytest.raises(ValueError, match="n_symmetry_zeros must be >= 0"):
        ms.classify_critical_point(p, X, y, n_symmetry_zeros=-2)
    batched = ms.unflatten(np.zeros((2, ms.n_params([2, 3, 1]))), [2, 3, 1])
    with pytest.raises(ValueError, match="params must describe one network"):
        ms.minimize(batched, X, y)
    with pytest.raises(TypeError, match="max_iter must be an integer"):
        ms.newton_refine(p, X, y, max_iter=1.5)
    with pytest.raises(ValueError, match="activation must be one of"):
        ms.classify_critical_point(p, X, y, activation="softplus")
