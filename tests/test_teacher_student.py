import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlp_symmetry.teacher_student import (
    classify_students,
    init_students,
    newton_polish,
    orthonormal_teacher,
    population_hessian,
    population_loss,
    population_loss_and_gradient,
)


def finite_difference_gradient(W, V, h=1e-6):
    grad = np.zeros_like(W)
    for idx in np.ndindex(*W.shape[-2:]):
        E = np.zeros(W.shape[-2:])
        E[idx] = h
        grad[(...,) + idx] = (population_loss(W + E, V) - population_loss(W - E, V)) / (2 * h)
    return grad


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(1, 4), k=st.integers(1, 3), extra=st.integers(0, 2))
def test_gradient_matches_finite_differences(seed, n, k, extra):
    d = k + extra
    V = orthonormal_teacher(k, d)
    W = np.random.default_rng(seed).normal(size=(2, n, d))
    grad = population_loss_and_gradient(W, V)[1]
    np.testing.assert_allclose(grad, finite_difference_gradient(W, V), atol=1e-7)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(1, 4), k=st.integers(1, 3))
def test_hessian_matches_finite_differences_of_the_gradient(seed, n, k):
    V = orthonormal_teacher(k, k + 1)
    W = np.random.default_rng(seed).normal(size=(n, k + 1))
    H = population_hessian(W, V)
    h, P = 1e-6, W.size
    columns = []
    for c in range(P):
        E = (np.eye(P)[c] * h).reshape(W.shape)
        diff = population_loss_and_gradient(W + E, V)[1] - population_loss_and_gradient(W - E, V)[1]
        columns.append(diff.ravel() / (2 * h))
    np.testing.assert_allclose(H, np.array(columns).T, atol=1e-6)
    np.testing.assert_allclose(H, H.T, atol=1e-12, err_msg="a Hessian is symmetric")


def test_loss_matches_a_monte_carlo_estimate():
    rng = np.random.default_rng(0)
    V = orthonormal_teacher(3, 4)
    W = rng.normal(size=(5, 4))
    x = rng.normal(size=(1_000_000, 4))
    mc = 0.5 * np.mean((np.maximum(x @ W.T, 0).sum(1) - np.maximum(x @ V.T, 0).sum(1)) ** 2)
    assert abs(mc - population_loss(W, V)) < 0.01 * population_loss(W, V)


def test_loss_is_permutation_invariant_and_zero_at_the_teacher():
    V = orthonormal_teacher(4)
    W = init_students(4, 4, 3, rng=1)
    np.testing.assert_allclose(population_loss(W, V), population_loss(W[:, ::-1], V), rtol=1e-12)
    assert population_loss(V[[2, 0, 3, 1]], V) == 0.0
    assert np.linalg.eigvalsh(population_hessian(V, V))[0] > 0.05, "the global minimum is strict when n = k"


def test_newton_polish_and_classification_certify_a_spurious_minimum():
    from mlp_symmetry.training import gradient_descent

    k = 8
    V = orthonormal_teacher(k)

    def fun(t):
        value, grad = population_loss_and_gradient(t.reshape(t.shape[:-1] + (k, k)), V)
        return value, grad.reshape(t.shape)

    start = init_students(k, k, 40, rng=1).reshape(40, -1)
    result = gradient_descent(fun, start, learning_rate=0.5, momentum=0.9, n_steps=600)
    kinds, losses, W = classify_students(result.params.reshape(40, k, k), V)
    spurious = kinds == "spurious minimum"
    assert spurious.any() and (kinds == "global minimum").any(), f"k = n = 8 shows both outcomes; got {kinds}"
    assert np.all(losses[spurious] > 1e-3), "a spurious minimum has a loss clearly above zero"
    assert np.all(np.linalg.eigvalsh(population_hessian(W[spurious], V))[:, 0] > 1e-6)
    assert np.all(np.linalg.norm(population_loss_and_gradient(W[spurious], V)[1], axis=(1, 2)) < 1e-9)
    np.testing.assert_allclose(newton_polish(W[spurious], V, n_steps=2), W[spurious], atol=1e-10)


def test_bad_inputs_are_rejected():
    V = orthonormal_teacher(2)
    with pytest.raises(ValueError, match=r"W must have shape \(\.\.\., n, 2\)"):
        population_loss(np.ones((3, 3)), V)
    with pytest.raises(ValueError, match="zero row"):
        population_loss(np.zeros((2, 2)), V)
    with pytest.raises(ValueError, match="d must be >= k = 3"):
        orthonormal_teacher(3, 2)
    with pytest.raises(TypeError, match="k must be an integer"):
        orthonormal_teacher(2.0)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"loss_tol": -1.0}, "loss_tol"),
        ({"eig_tol": np.nan}, "eig_tol"),
        ({"grad_tol": "1e-9"}, "grad_tol"),
        ({"n_newton": -1}, "n_newton"),
    ],
)
def test_classify_students_checks_its_thresholds(kwargs, match):
    V = orthonormal_teacher(2)
    with pytest.raises((TypeError, ValueError), match=match):
        classify_students(V[None], V, **kwargs)


def test_overflowing_population_loss_raises():
    V = orthonormal_teacher(2)
    with pytest.raises(ValueError, match="W and V must keep the result within float64"):
        population_loss(V * 1e200, V)
    with pytest.raises(ValueError, match="W and V must keep the result within float64"):
        population_loss_and_gradient(V * 1e200, V)
