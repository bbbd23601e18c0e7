"""Small data sets for the examples, built from a seed or a formula.

Every builder returns ``(X, y)`` with ``X`` of shape ``(n_samples, n_features)``,
ready for :func:`~mlp_symmetry.loss` and its relatives.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

from . import _checks


def linear_regression_data(n_samples: int = 100, n_features: int = 2, *, noise: float = 0.3, rng=None):
    """Gaussian inputs and targets from a random linear model plus Gaussian noise.

    The targets are ``X @ w + c + noise * e`` with ``w`` and ``c`` standard
    normal and ``e`` standard normal noise.

    Parameters
    ----------
    n_samples, n_features : int
        Shape of ``X``.
    noise : float
        Standard deviation of the noise (non-negative).
    rng : int, numpy.random.Generator or None
        Seed or generator.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)

    Raises
    ------
    ValueError
        If ``noise`` is so large that the targets overflow float64.

    Examples
    --------
    >>> X, y = linear_regression_data(50, 3, rng=0)
    >>> X.shape, y.shape
    ((50, 3), (50,))
    """
    n_samples = _checks.check_int(n_samples, "n_samples", minimum=1)
    n_features = _checks.check_int(n_features, "n_features", minimum=1)
    noise, rng = _checks.check_real(noise, "noise"), _checks.check_rng(rng)
    w, c = rng.standard_normal(n_features), rng.standard_normal()
    X = rng.standard_normal((n_samples, n_features))
    with np.errstate(over="ignore"):  # reported below, naming noise
        y = X @ w + c + noise * rng.standard_normal(n_samples)
    if not np.all(np.isfinite(y)):
        raise ValueError(f"noise must keep the targets within float64 (about 1.8e308); got {noise}")
    return X, y


def logistic_regression_data(n_samples: int = 100, n_features: int = 2, *, rng=None):
    """Gaussian inputs and 0/1 labels drawn from a random logistic model.

    Each label is 1 with probability ``sigmoid(2 * (X @ w + c))``, ``w`` and
    ``c`` standard normal, so the classes overlap and (for more than a few
    samples) cannot be separated: cross-entropy then has a finite minimiser.

    Parameters
    ----------
    n_samples, n_features : int
        Shape of ``X``.
    rng : int, numpy.random.Generator or None
        Seed or generator.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
        Labels 0.0 or 1.0.

    Examples
    --------
    >>> X, y = logistic_regression_data(200, rng=0)
    >>> X.shape, sorted(set(y.tolist()))
    ((200, 2), [0.0, 1.0])
    """
    n_samples = _checks.check_int(n_samples, "n_samples", minimum=1)
    n_features = _checks.check_int(n_features, "n_features", minimum=1)
    rng = _checks.check_rng(rng)
    w, c = rng.standard_normal(n_features), rng.standard_normal()
    X = rng.standard_normal((n_samples, n_features))
    y = (rng.random(n_samples) < expit(2.0 * (X @ w + c))).astype(float)
    return X, y


def auer_dataset(n_examples: int, n_dims: int = 1, *, ratio: float = 10.0):
    """Training set on which one sigmoid neuron with squared error has many local minima.

    A construction in the spirit of Auer, Herbster and Warmuth (1996).  In one
    dimension, example ``k = 0, 1, ...`` has input ``ratio**-k`` and target
    ``k % 2``.  For a neuron ``sigmoid(w x)`` without bias, the error of one
    example changes from ``1/4`` (at ``w = 0``) to its limit in a step around
    ``|w| ~ 1 / x``; geometric spacing puts the steps of different examples
    far apart on a logarithmic ``w`` axis, and alternating targets make them
    alternate between rising and falling, so a valley forms between
    neighbouring steps.  With ``n_dims > 1`` example ``i`` lies on coordinate
    axis ``i % n_dims`` at position ``i // n_dims`` of that axis's 1-D
    sequence: the loss is then a sum of one 1-D loss per coordinate.

    Parameters
    ----------
    n_examples : int
        Number of examples, at least ``n_dims``.
    n_dims : int
        Input dimension.
    ratio : float
        Ratio of consecutive input magnitudes along an axis, greater than 1.

    Returns
    -------
    X : ndarray of shape (n_examples, n_dims)
    y : ndarray of shape (n_examples,)
        Targets 0.0 and 1.0.

    Raises
    ------
    ValueError
        If ``n_examples < n_dims`` or ``ratio <= 1``.

    Examples
    --------
    >>> X, y = auer_dataset(4)
    >>> X[:, 0].tolist(), y.tolist()
    ([1.0, 0.1, 0.01, 0.001], [0.0, 1.0, 0.0, 1.0])
    >>> X, y = auer_dataset(4, n_dims=2)
    >>> X.tolist()
    [[1.0, 0.0], [0.0, 1.0], [0.1, 0.0], [0.0, 0.1]]
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
    """Load the 8 x 8 handwritten digits of scikit-learn, split into training and held-out sets.

    1797 images of the digits 0 to 9 (the UCI optical recognition data that
    ships with scikit-learn, so no download is needed), each flattened to 64
    pixel intensities and divided by 16 into ``[0, 1]``. A random split keeps
    ``test_fraction`` of the images apart for testing.

    Parameters
    ----------
    test_fraction : float
        Fraction of the images held out, strictly between 0 and 1.
    rng : int, numpy.random.Generator or None
        Seed or generator of the split.

    Returns
    -------
    X_train : ndarray of shape (n_train, 64)
    X_test : ndarray of shape (n_test, 64)
    y_train : ndarray of int, shape (n_train,)
    y_test : ndarray of int, shape (n_test,)

    Raises
    ------
    ImportError
        If scikit-learn is not installed (it is a dependency of the docs only).
    ValueError
        If ``test_fraction`` is not in ``(0, 1)``.

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
