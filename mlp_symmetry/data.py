"""Small data sets for the examples, built from a seed or a formula.

Each gives inputs ``X`` of shape ``(n_samples, n_features)`` and targets ``y``.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

from . import _checks


def _linear_model(n_samples, n_features, rng):
    """Check the sizes; draw ``w``, ``c`` and inputs ``X``, all standard normal; return ``X`` and ``X @ w + c``."""
    n_samples = _checks.check_int(n_samples, "n_samples", minimum=1)
    n_features = _checks.check_int(n_features, "n_features", minimum=1)
    w, c = rng.standard_normal(n_features), rng.standard_normal()
    X = rng.standard_normal((n_samples, n_features))
    return X, X @ w + c


def linear_regression_data(n_samples: int = 100, n_features: int = 2, *, noise: float = 0.3, rng=None):
    """Return Gaussian inputs ``X`` and targets ``y = X @ w + c + noise * e``, with ``w``, ``c`` and ``e`` normal.

    Examples
    --------
    >>> X, y = linear_regression_data(50, 3, rng=0)
    >>> X.shape, y.shape
    ((50, 3), (50,))
    """
    noise, rng = _checks.check_real(noise, "noise"), _checks.check_rng(rng)
    X, linear = _linear_model(n_samples, n_features, rng)
    with np.errstate(over="ignore"):  # reported below, naming noise
        y = linear + noise * rng.standard_normal(n_samples)
    if not np.all(np.isfinite(y)):
        raise ValueError(f"noise must keep the targets within float64 (about 1.8e308); got {noise}")
    return X, y


def logistic_regression_data(n_samples: int = 100, n_features: int = 2, *, rng=None):
    """Return Gaussian inputs and 0/1 labels, 1 with probability ``sigmoid(2 * (X @ w + c))``, ``w`` and ``c`` normal.

    The classes overlap, so for more than a few samples they cannot be separated: cross-entropy has a finite minimiser.

    Examples
    --------
    >>> X, y = logistic_regression_data(200, rng=0)
    >>> X.shape, sorted(set(y.tolist()))
    ((200, 2), [0.0, 1.0])
    """
    rng = _checks.check_rng(rng)
    X, linear = _linear_model(n_samples, n_features, rng)
    y = (rng.random(n_samples) < expit(2.0 * linear)).astype(float)
    return X, y


def auer_dataset(n_examples: int, n_dims: int = 1, *, ratio: float = 10.0):
    """Build a training set on which one sigmoid neuron with squared error has many local minima.

    In the spirit of Auer, Herbster and Warmuth (1996): in one dimension, example ``k = 0, 1, ...`` has input
    ``ratio**-k`` (``ratio > 1``) and target ``k % 2``. For a neuron ``sigmoid(w x)`` without bias, the error of one
    example changes from ``1/4`` (at ``w = 0``) to its limit in a step around ``|w| ~ 1 / x``; geometric spacing puts
    the steps of different examples far apart on a logarithmic ``w`` axis, and alternating targets make them alternate
    between rising and falling, so a valley forms between neighbouring steps. With ``n_dims > 1`` example ``i`` lies on
    axis ``i % n_dims`` at position ``i // n_dims`` of that axis's sequence: the loss is a sum of one 1-D loss per axis.

    Examples
    --------
    >>> X, y = auer_dataset(4)
    >>> X[:, 0].tolist(), y.tolist()
    ([1.0, 0.1, 0.01, 0.001], [0.0, 1.0, 0.0, 1.0])
    """
    n_dims = _checks.check_int(n_dims, "n_dims", minimum=1)
    n_examples = _checks.check_int(n_examples, "n_examples", minimum=1)
    if n_examples < n_dims:
        raise ValueError(f"n_examples must be at least n_dims={n_dims} (one example per axis); got {n_examples}")
    ratio = _checks.check_real(ratio, "ratio", minimum=1.0, strict=True)
    index = np.arange(n_examples)
    position = index // n_dims
    X = np.zeros((n_examples, n_dims))
    X[index, index % n_dims] = ratio ** (-position.astype(float))
    return X, (position % 2).astype(float)


def load_digits_split(test_fraction: float = 0.25, *, rng=None):
    """Load the 8 x 8 digits of scikit-learn (a documentation dependency), split into training and held-out sets.

    1797 images of the digits 0 to 9 (UCI data shipped with scikit-learn, no download), each flattened to 64 pixel
    intensities in ``[0, 1]``; a random ``test_fraction`` of them is held out. Returns ``X_train``, ``X_test`` (64
    columns), ``y_train`` and ``y_test`` (integer labels).

    Examples
    --------
    >>> X_train, X_test, y_train, y_test = load_digits_split(rng=0)
    >>> X_train.shape, X_test.shape, sorted(set(y_test.tolist())) == list(range(10))
    ((1348, 64), (449, 64), True)
    """
    test_fraction = _checks.check_real(test_fraction, "test_fraction", strict=True, below=1.0)
    rng = _checks.check_rng(rng)
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        raise ImportError(
            "load_digits_split needs scikit-learn, which is only a documentation dependency; "
            "install it with `pip install scikit-learn`"
        ) from None
    X, y = load_digits(return_X_y=True)
    order = rng.permutation(len(y))
    n_test = int(round(test_fraction * len(y)))
    test, train = order[:n_test], order[n_test:]
    X = X / 16.0
    return X[train], X[test], y[train].astype(np.intp), y[test].astype(np.intp)
