"""Input checks shared by the public functions.

Every public function validates its arguments here, at the boundary, and raises a `ValueError` or `TypeError` whose
message names the argument, what was expected and what arrived. Nothing in this module modifies its inputs.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np

ACTIVATIONS = ("tanh", "relu", "sigmoid", "identity")
LOSSES = ("mse", "sigmoid_mse", "binary_cross_entropy", "softmax_cross_entropy")


def _describe(value) -> str:
    """Return a short description of ``value`` for an error message."""
    if isinstance(value, np.ndarray):
        return f"array of shape {value.shape} and dtype {value.dtype}"
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


def check_choice(value, name: str, choices: Sequence[str]) -> str:
    """Return ``value`` if it is one of ``choices``, else raise."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, one of {list(choices)}; got {_describe(value)}")
    if value not in choices:
        raise ValueError(f"{name} must be one of {list(choices)}; got {value!r}")
    return value


def check_bool(value, name: str) -> bool:
    """Return ``value`` if it is the Python bool ``True`` or ``False``, else raise."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False; got {_describe(value)}")
    return bool(value)


def check_callable(value, name: str):
    """Return ``value`` if it is callable, else raise."""
    if not callable(value):
        raise TypeError(f"{name} must be callable; got {_describe(value)}")
    return value


def overflow_raises(func):
    """Decorate a function that checks its result with :func:`check_finite_result`: numpy warns of nothing first."""
    return np.errstate(over="ignore", invalid="ignore")(func)


def check_finite_result(params, culprits: str):
    """Return ``params`` (layers, an array or a number) if all its numbers are finite, else raise: it overflowed."""
    parts = [a for layer in params for a in layer] if isinstance(params, tuple) else [params]
    if all(array is None or np.all(np.isfinite(array)) for array in parts):
        return params
    raise ValueError(f"{culprits} must keep the result within float64; it overflows (a magnitude beyond 1.8e308)")


def check_activation(activation) -> str:
    """Validate an activation name."""
    return check_choice(activation, "activation", ACTIVATIONS)


def check_loss_name(loss) -> str:
    """Validate a loss name."""
    return check_choice(loss, "loss", LOSSES)


def as_float_array(value, name: str, *, ndim_min: int = 0) -> np.ndarray:
    """Convert ``value`` to a finite float64 array (a new array or a view).

    Only integers and floats are real numbers here: strings, booleans, dates, complex numbers and objects are
    refused, not cast (a cast would parse ``"1"``, count days since 1970 or drop an imaginary part).
    """
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):  # ragged nested sequences
        array = np.asarray(None)
    if array.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be an array of real numbers; got {_describe(value)}")
    array = array.astype(np.float64, copy=False)
    if array.ndim < ndim_min:
        raise ValueError(f"{name} must have at least {ndim_min} dimension(s); got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must contain only finite values; got NaN or infinity")
    return array


def check_positions(t, *, points: bool = False) -> np.ndarray:
    """Validate positions ``t`` on a path: a number or a 1-D array, or with ``points`` a non-empty 1-D array."""
    t = as_float_array(t, "t")
    if points and (t.ndim != 1 or t.shape[0] == 0):
        raise ValueError(f"t must be a non-empty 1-D array of positions; got shape {t.shape}")
    if t.ndim > 1:
        raise ValueError(f"t must be a number or a 1-D array; got shape {t.shape}")
    return t


def check_int(value, name: str, *, minimum: int | None = None) -> int:
    """Return ``value`` as an ``int`` if it is an integer (not bool) >= minimum."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer; got {_describe(value)}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}; got {value}")
    return value


def check_layer_sizes(layer_sizes) -> tuple[int, ...]:
    """Validate a list of layer widths ``[n_in, n_hidden..., n_out]``."""
    flat = not isinstance(layer_sizes, np.ndarray) or layer_sizes.ndim == 1
    if not flat or isinstance(layer_sizes, (str, bytes)) or not isinstance(layer_sizes, Sequence | np.ndarray):
        raise TypeError(f"layer_sizes must be a sequence of positive integers; got {_describe(layer_sizes)}")
    sizes = tuple(layer_sizes)
    if len(sizes) < 2:
        raise ValueError(f"layer_sizes must have at least 2 entries (inputs and outputs); got {list(sizes)}")
    for size in sizes:
        if isinstance(size, bool) or not isinstance(size, numbers.Integral) or size < 1:
            raise ValueError(f"layer_sizes must contain positive integers; got {list(sizes)}")
    return tuple(int(s) for s in sizes)


def check_hidden_layer(layer, n_layers: int) -> int:
    """Validate the index of a hidden layer (0 is the first hidden layer)."""
    n_hidden = n_layers - 1
    layer = check_int(layer, "layer")
    if not 0 <= layer < n_hidden:
        raise ValueError(
            f"layer must index a hidden layer, 0 <= layer < {n_hidden} for this network "
            f"of {n_layers} weight layers; got {layer}"
        )
    return layer


def check_permutation(perm, n: int, name: str = "perm") -> np.ndarray:
    """Validate that ``perm`` is a permutation of ``range(n)``; return it as an integer array."""
    try:
        array = np.asarray(perm)
    except (TypeError, ValueError):  # ragged nested sequences
        array = np.asarray(None)
    whole = array.dtype.kind == "f" and np.all(np.isfinite(array)) and np.all(array == np.round(array))
    if array.dtype.kind not in "iu" and not whole:
        raise TypeError(f"{name} must be a sequence of integers; got {_describe(perm)}")
    if array.shape != (n,) or not np.array_equal(np.sort(array), np.arange(n)):
        raise ValueError(f"{name} must be a permutation of range({n}); got {array.tolist()}")
    return array.astype(np.intp)


def check_inputs(X, n_in: int) -> np.ndarray:
    """Validate a batch of inputs of shape ``(n_samples, n_in)``."""
    X = as_float_array(X, "X")
    if X.ndim != 2 or X.shape[1] != n_in:
        raise ValueError(f"X must have shape (n_samples, {n_in}) to match the network's inputs; got shape {X.shape}")
    if X.shape[0] == 0:
        raise ValueError("X must contain at least one sample; got 0 rows")
    return X


def check_targets(y, loss: str, n_samples: int, n_out: int) -> np.ndarray:
    """Validate targets for ``loss`` (see :func:`mlp_symmetry.loss`): ``(n_samples, n_out)`` floats, or labels."""
    if loss == "softmax_cross_entropy":
        try:
            labels = np.asarray(y)
        except ValueError:  # ragged nested sequences
            labels = np.asarray(None)
        if labels.dtype.kind not in "iub":
            raise TypeError(f"y must hold integer class labels for loss='softmax_cross_entropy'; got {_describe(y)}")
        if labels.shape != (n_samples,):
            raise ValueError(f"y must have shape ({n_samples},) for loss='softmax_cross_entropy'; got {labels.shape}")
        if n_out < 2:
            raise ValueError(f"loss='softmax_cross_entropy' needs at least 2 outputs; the network has {n_out}")
        if labels.min() < 0 or labels.max() >= n_out:
            raise ValueError(
                f"y must hold class labels in range({n_out}); got values from {labels.min()} to {labels.max()}"
            )
        return labels.astype(np.intp)
    targets = as_float_array(y, "y")
    if targets.shape == (n_samples,) and n_out == 1:
        targets = targets[:, None]
    if targets.shape != (n_samples, n_out):
        expected = f"({n_samples}, {n_out})" + (f" or ({n_samples},)" if n_out == 1 else "")
        raise ValueError(f"y must have shape {expected} for loss={loss!r}; got {targets.shape}")
    if loss == "binary_cross_entropy" and (targets.min() < 0 or targets.max() > 1):
        raise ValueError(
            f"y must hold labels in [0, 1] for loss='binary_cross_entropy'; "
            f"got values from {targets.min()} to {targets.max()}"
        )
    return targets


def check_real(value, name: str, *, minimum: float = 0.0, strict: bool = False, below: float | None = None) -> float:
    """Return ``value`` as a float if it is a finite real number (not a bool) >= (or >) ``minimum`` and < ``below``."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating | np.integer):
        raise TypeError(f"{name} must be a real number; got {_describe(value)}")
    value = float(value)
    above = value > minimum if strict else value >= minimum
    if not (np.isfinite(value) and above and (below is None or value < below)):
        upper = "" if below is None else f" and < {below}"
        raise ValueError(f"{name} must be a finite number {'>' if strict else '>='} {minimum}{upper}; got {value}")
    return value


def check_rng(rng, name: str = "rng") -> np.random.Generator:
    """Return a generator for ``rng``: ``None`` (fresh entropy), a seed (an integer >= 0) or a Generator (itself)."""
    if rng is None or isinstance(rng, np.random.Generator):
        return np.random.default_rng(rng)
    if isinstance(rng, bool) or not isinstance(rng, numbers.Integral):
        raise TypeError(f"{name} must be None, an integer seed or a numpy.random.Generator; got {_describe(rng)}")
    if rng < 0:
        raise ValueError(f"{name} must be a non-negative integer seed; got {rng}")
    return np.random.default_rng(int(rng))


MAX_HESSIAN_PARAMS = 10_000
"""Largest number of parameters of a dense Hessian: 10**8 numbers (800 MB) and minutes of eigendecomposition."""


def check_hessian_size(n_params: int, name: str) -> int:
    """Return ``n_params`` if a dense Hessian of that many parameters is affordable, else raise."""
    if n_params > MAX_HESSIAN_PARAMS:
        raise ValueError(
            f"{name} has {n_params} parameters, too many for a dense Hessian ({n_params}**2 numbers, at most "
            f"{MAX_HESSIAN_PARAMS} parameters); use hessian_vector_product or lanczos_eigenvalues"
        )
    return n_params


def check_params(params):
    """Validate parameters: a tuple of ``Layer`` sharing the caller's float64 arrays, which the package never writes."""
    from .network import Layer  # network imports this module

    if isinstance(params, str | np.ndarray) or not isinstance(params, Sequence) or len(params) == 0:
        raise TypeError(f"params must be a non-empty sequence of (W, b) layers; got {_describe(params)}")
    layers = []
    for index, layer in enumerate(params):
        if not isinstance(layer, Sequence) or len(layer) != 2:
            raise TypeError(f"params[{index}] must be a (W, b) pair; got {_describe(layer)}")
        W = as_float_array(layer[0], f"params[{index}].W", ndim_min=2)
        if 0 in W.shape[-2:]:
            raise ValueError(f"params[{index}].W must have at least one row and one column; got shape {W.shape}")
        b = None if layer[1] is None else as_float_array(layer[1], f"params[{index}].b", ndim_min=1)
        if b is not None and b.shape[-1] != W.shape[-2]:
            raise ValueError(
                f"params[{index}].b must have {W.shape[-2]} entries (one per row of W); got shape {b.shape}"
            )
        if index > 0 and W.shape[-1] != layers[-1].W.shape[-2]:
            n_prev = layers[-1].W.shape[-2]
            raise ValueError(
                f"params[{index}].W must have {n_prev} columns to chain with the "
                f"{n_prev} outputs of layer {index - 1}; got shape {W.shape}"
            )
        layers.append(Layer(W, b))
    batch_shapes = [W.shape[:-2] for W, _ in layers] + [b.shape[:-1] for _, b in layers if b is not None]
    try:
        batch = np.broadcast_shapes(*batch_shapes)
    except ValueError:
        raise ValueError(
            f"the leading batch axes of params must broadcast together; got batch shapes {batch_shapes}"
        ) from None
    if 0 in batch:
        raise ValueError(f"the leading batch axes of params must not be empty; got batch shape {batch}")
    return tuple(layers)


def batch_of(params) -> tuple[int, ...]:
    """Return the broadcast shape of the leading batch axes of validated ``params``."""
    return np.broadcast_shapes(*(W.shape[:-2] for W, _ in params), *(b.shape[:-1] for _, b in params if b is not None))


def check_one_network(params, name: str = "params", purpose: str = ""):
    """Return validated ``params`` if they describe one network (no batch axes); the error names ``name``."""
    batch = batch_of(params)
    if batch != ():
        raise ValueError(f"{name} must describe one network{purpose}; got batch shape {batch}")
    return params


def check_network(params, X, activation):
    """Validate the arguments of a forward pass; return ``(params, X, activation)``."""
    params = check_params(params)
    activation = check_activation(activation)
    return params, check_inputs(X, params[0].W.shape[-1]), activation


def check_problem(params, X, y, activation, loss):
    """Validate the arguments of a loss and its derivatives; return ``(params, X, targets, activation, loss)``."""
    params = check_params(params)
    activation, loss = check_activation(activation), check_loss_name(loss)
    X = check_inputs(X, params[0].W.shape[-1])
    return params, X, check_targets(y, loss, X.shape[0], params[-1].W.shape[-2]), activation, loss


def check_directions(v, n_params: int, batch: tuple[int, ...]) -> np.ndarray:
    """Validate directions ``v`` of shape ``(..., n_params)`` whose leading axes broadcast against ``batch``."""
    v = as_float_array(v, "v", ndim_min=1)
    if v.shape[-1] != n_params:
        raise ValueError(
            f"v must have {n_params} entries on its last axis (the number of parameters); got shape {v.shape}"
        )
    try:
        np.broadcast_shapes(v.shape[:-1], batch)
    except ValueError:
        raise ValueError(
            f"the leading axes of v must broadcast against the batch shape {batch} of params; got v of shape {v.shape}"
        ) from None
    return v


def scalar_or_array(value):
    """Return a Python float for a 0-d result (numpy 2 would print ``np.float64(...)``), the array otherwise."""
    return float(value) if np.ndim(value) == 0 else value
