import numpy as np
import pytest

from mlp_symmetry.convexity import FlatLoss, confirm_minima, grid_local_minima
from mlp_symmetry.data import auer_dataset, linear_regression_data, load_digits_split, logistic_regression_data


def signed_log_grid(low, high, per_decade=20):
    """w = 0 and +-|w| log-spaced in [low, high]."""
    n = int(per_decade * np.log10(high / low)) + 1
    pos = np.logspace(np.log10(low), np.log10(high), n)
    return np.concatenate([-pos[::-1], [0.0], pos])


def confirmed_minima(X, y, loss):
    """Grid minima of the bias-free single neuron in w, each confirmed by Newton steps."""
    f = FlatLoss([1, 1], X, y, loss=loss, bias=False)
    w = signed_log_grid(1e-2 / X.max(), 1e2 / X.max() * 10.0 ** len(X))
    candidates = w[grid_local_minima(f(w[:, None]))]
    check = confirm_minima(f, candidates[:, None])
    return check


def test_regression_and_classification_data_are_reproducible():
    X1, y1 = linear_regression_data(30, 3, rng=5)
    X2, y2 = linear_regression_data(30, 3, rng=np.random.default_rng(5))
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2)
    X, y = logistic_regression_data(40, 2, rng=1)
    assert X.shape == (40, 2) and set(np.unique(y)) <= {0.0, 1.0}
    X, y = linear_regression_data(20, 1, noise=0.0, rng=0)
    residual = y - np.polyval(np.polyfit(X[:, 0], y, 1), X[:, 0])
    assert np.allclose(residual, 0.0), "without noise the targets are exactly linear"


def test_auer_dataset_layout():
    X, y = auer_dataset(6, n_dims=2, ratio=4.0)
    assert X.shape == (6, 2)
    assert np.count_nonzero(X, axis=1).tolist() == [1] * 6, "every example lies on a coordinate axis"
    np.testing.assert_allclose(X[0::2, 0], [1.0, 0.25, 0.0625])
    np.testing.assert_allclose(X[1::2, 1], [1.0, 0.25, 0.0625])
    assert y.tolist() == [0.0, 0.0, 1.0, 1.0, 0.0, 0.0]


@pytest.mark.parametrize("n", range(1, 9))
def test_squared_error_has_one_more_confirmed_minimum_per_example(n):
    X, y = auer_dataset(n)
    check = confirmed_minima(X, y, "sigmoid_mse")
    assert check.is_minimum.all(), "every grid minimum is confirmed by gradient and curvature"
    assert len(check.loss) == n - 1, f"{n} examples give {n - 1} minima; got {len(check.loss)}"
    assert len(np.unique(np.round(check.theta, 6))) == n - 1, "the minima are distinct"


@pytest.mark.parametrize("n", range(2, 9))
def test_cross_entropy_on_the_same_data_has_exactly_one_minimum(n):
    X, y = auer_dataset(n)
    check = confirmed_minima(X, y, "binary_cross_entropy")
    assert len(check.loss) == 1 and check.is_minimum.all()


def test_auer_dataset_checks_arguments():
    with pytest.raises(ValueError, match="n_examples must be at least n_dims=3"):
        auer_dataset(2, n_dims=3)
    with pytest.raises(ValueError, match=r"ratio must be a finite number > 1.0; got 1.0"):
        auer_dataset(4, ratio=1.0)
    with pytest.raises(TypeError, match="n_examples must be an integer"):
        auer_dataset(4.0)
    with pytest.raises(ValueError, match=r"noise must be a finite number >= 0.0; got -1.0"):
        linear_regression_data(10, noise=-1.0)
    with pytest.raises(ValueError, match="noise must keep the targets within float64"):
        linear_regression_data(100, noise=1e308, rng=0)
    with pytest.raises(TypeError, match="rng must be None, an integer seed or a numpy.random.Generator"):
        logistic_regression_data(10, rng="0")


def test_digits_split_is_a_partition():
    X_train, X_test, y_train, y_test = load_digits_split(0.25, rng=0)
    assert len(X_train) + len(X_test) == 1797 and X_train.shape[1] == 64
    assert 0.0 <= X_train.min() and X_train.max() <= 1.0, "pixels scaled to [0, 1]"
    rows = {tuple(r) for r in X_train}
    assert sum(tuple(r) in rows for r in X_test) < 10, "the held-out images are (up to a few duplicates) new"
    with pytest.raises(ValueError, match=r"test_fraction must be a finite number > 0.0 and < 1.0; got 1.0"):
        load_digits_split(1.0)
