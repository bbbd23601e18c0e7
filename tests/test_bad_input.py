"""Bad input on the whole public API: a property-based sweep over every name in ``mlp_symmetry.__all__``.

``SPECS`` maps each public callable to one valid call and the *kind* of each of
its arguments; ``RESULT_TYPES`` lists the public names that are types (named
tuples the package returns or takes, with nothing to check at construction).
The two together must cover ``__all__`` exactly, so a new public name fails
this file until it is added here.

Each kind of argument has classes of defects (NaN, infinity, a string, ``None``,
a zero-width layer, an empty batch, a bad ``rng``, ...), and hypothesis draws
bad values from each class.  Every bad value must raise ``ValueError`` or
``TypeError`` whose message names the argument.  Valid calls must leave their
inputs untouched, return arrays that share no memory with them, and return only
finite numbers, also from huge but finite inputs (or refuse them with a
``ValueError``, and then without numpy's RuntimeWarnings before it).  Sizes
whose exact computation would hang must be refused quickly or computed cheaply.

Cases that fail in modules being refactored by others are marked
``xfail(strict=True)``: whoever fixes one removes its mark (until then, the
unexpected pass fails the suite).
"""

import copy
import inspect
import os
import re
import subprocess
import sys
import textwrap
import time
import warnings
from dataclasses import dataclass, field

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import mlp_symmetry as ms

NAN, INF = float("nan"), float("inf")
SWEEP = settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    database=None,
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=list(HealthCheck),
)

# --------------------------------------------------------------------------------------------
# One small problem shared by the valid calls: a 2-3-1 network, 5 samples.


def _net(sizes=(2, 3, 1), seed=0, runs=None, bias=True):
    if runs is None:
        return ms.init_params(list(sizes), rng=seed, bias=bias)
    return ms.init_runs(list(sizes), runs, rng=seed, bias=bias)


def _data(n=5, d=2, seed=1):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d)), rng.normal(size=n)


def _problem(**extra):
    X, y = _data()
    return {"params": _net(), "X": X, "y": y, "activation": "tanh", "loss": "mse", **extra}


PROBLEM_KINDS = {"params": "params", "X": "X", "y": "y", "activation": "choice", "loss": "choice"}


def _flat_loss(n=5):
    X, y = _data(n)
    return ms.FlatLoss([2, 1], X, y, loss="mse")


def _quadratic(theta):
    theta = np.asarray(theta, dtype=float)
    return (theta**2).sum(-1), 2 * theta


@dataclass(frozen=True)
class Spec:
    """A valid call of a public callable (fresh arguments on each call) and the kind of each argument."""

    valid: object
    kinds: dict = field(default_factory=dict)


SPECS = {
    # network
    "as_params": Spec(lambda: {"params": _net()}, {"params": "params"}),
    "batch_shape": Spec(lambda: {"params": _net()}, {"params": "params"}),
    "flatten": Spec(lambda: {"params": _net()}, {"params": "params"}),
    "layer_sizes": Spec(lambda: {"params": _net()}, {"params": "params"}),
    "forward": Spec(
        lambda: {"params": _net(), "X": _data()[0], "activation": "tanh"},
        {"params": "params", "X": "X", "activation": "choice"},
    ),
    "init_params": Spec(
        lambda: {"layer_sizes": [2, 3, 1], "rng": 0, "bias": True, "scale": 0.5},
        {"layer_sizes": "layer_sizes", "rng": "rng", "bias": "flag", "scale": "scale"},
    ),
    "n_params": Spec(lambda: {"layer_sizes": [2, 3, 1], "bias": True}, {"layer_sizes": "layer_sizes", "bias": "flag"}),
    "unflatten": Spec(
        lambda: {"theta": np.linspace(-1, 1, 13), "layer_sizes": [2, 3, 1], "bias": True},
        {"theta": "theta", "layer_sizes": "layer_sizes", "bias": "flag"},
    ),
    # losses and derivatives
    "loss": Spec(_problem, PROBLEM_KINDS),
    "loss_and_gradient": Spec(_problem, PROBLEM_KINDS),
    "hessian": Spec(lambda: _problem(chunk_size=4), {**PROBLEM_KINDS, "chunk_size": "optional_count"}),
    "hessian_vector_product": Spec(lambda: _problem(v=np.ones(13)), {**PROBLEM_KINDS, "v": "theta"}),
    # training
    "gradient_descent": Spec(
        lambda: {
            "fun": _quadratic,
            "theta": np.ones((2, 3)),
            "learning_rate": 0.1,
            "n_steps": 3,
            "momentum": 0.5,
            "method": "heavy_ball",
            "noise": 0.1,
            "smoothing": 0.1,
            "n_smoothing_samples": 2,
            "anneal_steps": 2,
            "divergence_threshold": 1e8,
            "record_every": 2,
            "rng": 0,
        },
        {
            "fun": "callable",
            "theta": "runs",
            "learning_rate": "positive",
            "n_steps": "count0",
            "momentum": "fraction",
            "method": "choice",
            "noise": "nonneg",
            "smoothing": "nonneg",
            "n_smoothing_samples": "even_count",
            "anneal_steps": "optional_count0",
            "divergence_threshold": "positive",
            "record_every": "count0",
            "rng": "rng",
        },
    ),
    "train": Spec(
        lambda: _problem(
            params=_net(runs=2), batch_size=2, n_threads=1, learning_rate=0.1, n_steps=3, momentum=0.5, rng=0
        ),
        {
            **PROBLEM_KINDS,
            "params": "params_batch",
            "batch_size": "optional_count",
            "n_threads": "optional_count",
            "learning_rate": "positive",
            "n_steps": "count0",
            "momentum": "fraction",
            "rng": "rng",
        },
    ),
    "init_runs": Spec(
        lambda: {"layer_sizes": [2, 3, 1], "n_runs": 2, "rng": 0, "bias": True, "scale": 0.5},
        {"layer_sizes": "layer_sizes", "n_runs": "count", "rng": "rng", "bias": "flag", "scale": "scale"},
    ),
    "distinct_levels": Spec(
        lambda: {"values": [0.5, 0.0, 0.5, 2.0], "tol": 1e-6}, {"values": "vector", "tol": "nonneg"}
    ),
    # teacher-student
    "classify_students": Spec(
        lambda: {
            "W": ms.init_students(3, 3, 2, rng=0),
            "V": ms.orthonormal_teacher(3),
            "loss_tol": 1e-6,
            "grad_tol": 1e-9,
            "eig_tol": 1e-6,
            "n_newton": 1,
        },
        {
            "W": "matrix_batch",
            "V": "matrix",
            "loss_tol": "nonneg",
            "grad_tol": "nonneg",
            "eig_tol": "nonneg",
            "n_newton": "count0",
        },
    ),
    "newton_polish": Spec(
        lambda: {"W": ms.init_students(3, 3, 2, rng=0), "V": ms.orthonormal_teacher(3), "n_steps": 1},
        {"W": "matrix_batch", "V": "matrix", "n_steps": "count0"},
    ),
    "orthonormal_teacher": Spec(lambda: {"k": 2, "d": 3}, {"k": "count", "d": "optional_count"}),
    "init_students": Spec(
        lambda: {"n": 2, "d": 3, "n_runs": 2, "rng": 0},
        {"n": "count", "d": "count", "n_runs": "count", "rng": "rng"},
    ),
    "population_hessian": Spec(
        lambda: {"W": ms.init_students(2, 3, 1, rng=0)[0], "V": ms.orthonormal_teacher(2, 3)},
        {"W": "matrix", "V": "matrix"},
    ),
    "population_loss": Spec(
        lambda: {"W": ms.init_students(2, 3, 1, rng=0)[0], "V": ms.orthonormal_teacher(2, 3)},
        {"W": "matrix_batch", "V": "matrix"},
    ),
    "population_loss_and_gradient": Spec(
        lambda: {"W": ms.init_students(2, 3, 1, rng=0)[0], "V": ms.orthonormal_teacher(2, 3)},
        {"W": "matrix_batch", "V": "matrix"},
    ),
    # convexity
    "FlatLoss": Spec(
        lambda: {
            "layer_sizes": [2, 1],
            "X": _data()[0],
            "y": _data()[1],
            "activation": "tanh",
            "loss": "mse",
            "bias": True,
        },
        {"layer_sizes": "layer_sizes", "X": "X", "y": "y", "activation": "choice", "loss": "choice", "bias": "flag"},
    ),
    "chord_gap": Spec(
        lambda: {"loss_fn": _flat_loss(), "theta_a": np.zeros(3), "theta_b": np.ones(3), "t": np.linspace(0, 1, 3)},
        {"loss_fn": "callable", "theta_a": "theta", "theta_b": "theta", "t": "t"},
    ),
    "confirm_minima": Spec(
        lambda: {"loss_fn": _flat_loss(), "theta": np.ones((2, 3)), "n_steps": 1, "rtol": 1e-9},
        {"loss_fn": "flatloss", "theta": "theta", "n_steps": "count0", "rtol": "fraction"},
    ),
    "find_chord_violation": Spec(
        lambda: {
            "loss_fn": _flat_loss(),
            "n_params": 3,
            "n_segments": 4,
            "n_t": 3,
            "scale": 1.0,
            "center": np.zeros(3),
            "rng": 0,
            "rtol": 1e-9,
        },
        {
            "loss_fn": "callable",
            "n_params": "count",
            "n_segments": "count",
            "n_t": "count",
            "scale": "positive",
            "center": "optional_theta",
            "rng": "rng",
            "rtol": "fraction",
        },
    ),
    "grid_local_minima": Spec(lambda: {"values": np.cos(np.linspace(0, 9, 12))}, {"values": "vector"}),
    "hessian_extreme_eigenvalues": Spec(
        lambda: {"loss_fn": _flat_loss(), "theta": np.ones((2, 3))}, {"loss_fn": "flatloss", "theta": "theta"}
    ),
    # data
    "auer_dataset": Spec(
        lambda: {"n_examples": 4, "n_dims": 2, "ratio": 10.0},
        {"n_examples": "count", "n_dims": "count", "ratio": "above_one"},
    ),
    "linear_regression_data": Spec(
        lambda: {"n_samples": 5, "n_features": 2, "noise": 0.3, "rng": 0},
        {"n_samples": "count", "n_features": "count", "noise": "nonneg", "rng": "rng"},
    ),
    "load_digits_split": Spec(
        lambda: {"test_fraction": 0.25, "rng": 0}, {"test_fraction": "open_fraction", "rng": "rng"}
    ),
    "logistic_regression_data": Spec(
        lambda: {"n_samples": 5, "n_features": 2, "rng": 0},
        {"n_samples": "count", "n_features": "count", "rng": "rng"},
    ),
    # critical points
    "certify_critical_point": Spec(
        lambda: _problem(max_iter=2, grad_tol=1e-6, zero_tol=1e-6, loss_tol=1e-6),
        {**PROBLEM_KINDS, "max_iter": "count0", "grad_tol": "nonneg", "zero_tol": "nonneg", "loss_tol": "nonneg"},
    ),
    "classify_critical_point": Spec(
        lambda: _problem(grad_tol=1e-6, zero_tol=1e-6, n_symmetry_zeros=0, global_loss=0.0, loss_tol=1e-6),
        {
            **PROBLEM_KINDS,
            "grad_tol": "nonneg",
            "zero_tol": "nonneg",
            "n_symmetry_zeros": "optional_count0",
            "global_loss": "optional_real",
            "loss_tol": "nonneg",
        },
    ),
    "default_symmetry_zeros": Spec(
        lambda: {"layer_sizes": [2, 3, 1], "activation": "relu"}, {"layer_sizes": "layer_sizes", "activation": "choice"}
    ),
    "minimize": Spec(
        lambda: _problem(max_iter=2, grad_tol=1e-10), {**PROBLEM_KINDS, "max_iter": "count", "grad_tol": "nonneg"}
    ),
    "newton_refine": Spec(
        lambda: _problem(max_iter=2, grad_tol=1e-10), {**PROBLEM_KINDS, "max_iter": "count0", "grad_tol": "nonneg"}
    ),
    # landscape
    "barrier_height": Spec(lambda: {"losses": [1.0, 3.0, 2.0, 0.0]}, {"losses": "vector"}),
    "bezier_curve": Spec(
        lambda: {
            "theta_a": np.zeros(3),
            "theta_mid": np.ones(3),
            "theta_b": np.full(3, 2.0),
            "t": np.linspace(0, 1, 3),
        },
        {"theta_a": "theta", "theta_mid": "theta", "theta_b": "theta", "t": "positions"},
    ),
    "bezier_loss_and_gradient": Spec(
        lambda: {
            "theta_a": _net(seed=0),
            "theta_mid": _net(seed=1),
            "theta_b": _net(seed=2),
            "X": _data()[0],
            "y": _data()[1],
            "t": [0.0, 0.5, 1.0],
            "activation": "tanh",
            "loss": "mse",
        },
        {
            "theta_a": "params",
            "theta_mid": "params",
            "theta_b": "params",
            "X": "X",
            "y": "y",
            "t": "positions",
            "activation": "choice",
            "loss": "choice",
        },
    ),
    "fit_bezier_control": Spec(
        lambda: {
            "theta_a": _net(seed=0),
            "theta_b": _net(seed=2),
            "X": _data()[0],
            "y": _data()[1],
            "activation": "tanh",
            "loss": "mse",
            "control": _net(seed=1),
            "n_steps": 2,
            "n_t": 2,
            "learning_rate": 0.01,
            "rng": 0,
        },
        {
            "theta_a": "params",
            "theta_b": "params",
            "X": "X",
            "y": "y",
            "activation": "choice",
            "loss": "choice",
            "control": "optional_params",
            "n_steps": "count",
            "n_t": "count",
            "learning_rate": "positive",
            "rng": "rng",
        },
    ),
    "interpolate": Spec(
        lambda: {"theta_a": np.zeros(3), "theta_b": np.ones(3), "t": np.linspace(0, 1, 3)},
        {"theta_a": "theta", "theta_b": "theta", "t": "positions"},
    ),
    "path_plane": Spec(
        lambda: {"points": np.array([[1.0, 0.0, 0.0], [0.0, 2.0, 0.0], [1.0, 1.0, 0.0]]), "origin": np.zeros(3)},
        {"points": "runs", "origin": "theta"},
    ),
    "lanczos_eigenvalues": Spec(
        lambda: _problem(k=2, which="largest", tol=0.0, rng=0),
        {**PROBLEM_KINDS, "k": "count", "which": "choice", "tol": "nonneg", "rng": "rng"},
    ),
    "loss_plane": Spec(
        lambda: _problem(
            d1=ms.random_direction(_net(), rng=1),
            d2=ms.random_direction(_net(), rng=2),
            alphas=np.linspace(-1, 1, 3),
            betas=np.linspace(-1, 1, 2),
            chunk_size=2,
        ),
        {
            **PROBLEM_KINDS,
            "d1": "params",
            "d2": "params",
            "alphas": "vector",
            "betas": "vector",
            "chunk_size": "optional_count",
        },
    ),
    "path_losses": Spec(
        lambda: {
            "theta_a": _net(seed=0),
            "theta_b": _net(seed=2),
            "X": _data()[0],
            "y": _data()[1],
            "t": np.linspace(0, 1, 3),
            "activation": "tanh",
            "loss": "mse",
            "control": _net(seed=1),
        },
        {
            "theta_a": "params",
            "theta_b": "params",
            "X": "X",
            "y": "y",
            "t": "positions",
            "activation": "choice",
            "loss": "choice",
            "control": "optional_params",
        },
    ),
    "random_direction": Spec(
        lambda: {"params": _net(), "rng": 0, "normalization": "filter"},
        {"params": "params", "rng": "rng", "normalization": "choice"},
    ),
    # matching
    "apply_permutations": Spec(
        lambda: {"params": _net(), "perms": [[2, 0, 1]]}, {"params": "params", "perms": "perms"}
    ),
    # spectrum
    "spectral_density": Spec(
        lambda: _problem(n_probes=2, n_steps=4, rng=0),
        {**PROBLEM_KINDS, "n_probes": "count", "n_steps": "count", "rng": "rng"},
    ),
    "smoothed_density": Spec(
        lambda: {"nodes": [0.0, 1.0], "weights": [0.5, 0.5], "grid": np.linspace(-1, 2, 4), "width": 0.1},
        {"nodes": "vector", "weights": "vector", "grid": "vector", "width": "positive"},
    ),
    "train_adam": Spec(
        lambda: {
            "params": _net((2, 3, 2)),
            "X": _data()[0],
            "y": np.array([0, 1, 1, 0, 1]),
            "activation": "relu",
            "loss": "softmax_cross_entropy",
            "n_epochs": 1,
            "batch_size": 2,
            "learning_rate": 0.01,
            "rng": 0,
        },
        {
            "params": "params",
            "X": "X",
            "y": "labels",
            "activation": "choice",
            "loss": "choice",
            "n_epochs": "count",
            "batch_size": "count",
            "learning_rate": "positive",
            "rng": "rng",
        },
    ),
    "weight_matching": Spec(
        lambda: {"params_a": _net(seed=0), "params_b": _net(seed=1), "max_sweeps": 2},
        {"params_a": "params", "params_b": "params", "max_sweeps": "count"},
    ),
    # symmetry
    "all_permutations": Spec(lambda: {"n": 3, "max_n": 4}, {"n": "count0", "max_n": "count0"}),
    "canonical_form": Spec(
        lambda: {"params": _net(), "activation": "tanh", "tol": 1e-8},
        {"params": "params", "activation": "choice", "tol": "nonneg"},
    ),
    "flip_signs": Spec(
        lambda: {"params": _net(), "layer": 0, "signs": [1, -1, 1], "activation": "tanh"},
        {"params": "params", "layer": "index", "signs": "signs", "activation": "choice"},
    ),
    "orbit_average": Spec(lambda: {"params": _net(), "layer": 0}, {"params": "params", "layer": "index"}),
    "permutation_orbit": Spec(
        lambda: {"params": _net(), "layer": 0, "max_units": 4},
        {"params": "params", "layer": "index", "max_units": "count0"},
    ),
    "permute_hidden_units": Spec(
        lambda: {"params": _net(), "layer": 0, "perm": [2, 0, 1]},
        {"params": "params", "layer": "index", "perm": "perm"},
    ),
    "rescale_units": Spec(
        lambda: {"params": _net(), "layer": 0, "scales": [2.0, 0.5, 1.0], "activation": "relu"},
        {"params": "params", "layer": "index", "scales": "scales", "activation": "choice"},
    ),
    "sign_flip_orbit": Spec(
        lambda: {"params": _net(), "layer": 0, "activation": "tanh", "max_units": 4},
        {"params": "params", "layer": "index", "activation": "choice", "max_units": "count0"},
    ),
    "symmetry_group_order": Spec(
        lambda: {"layer_sizes": [2, 3, 1], "activation": "tanh"},
        {"layer_sizes": "layer_sizes", "activation": "choice"},
    ),
    # twins
    "merge_units": Spec(
        lambda: {"params": _net(), "layer": 0, "i": 0, "j": 2},
        {"params": "params", "layer": "index", "i": "index", "j": "index"},
    ),
    "split_unit": Spec(
        lambda: {"params": _net(), "layer": 0, "unit": 1, "ratio": 0.3},
        {"params": "params", "layer": "index", "unit": "index", "ratio": "real_or_array"},
    ),
}

# Types: named tuples the package returns (or, for Layer and Params, takes). They
# hold whatever they are given; their contents are checked where they are used.
RESULT_TYPES = {
    "BezierFit",
    "ChordSearch",
    "CriticalPoint",
    "EigenvalueRange",
    "GroupOrder",
    "Layer",
    "Matching",
    "MinimaCheck",
    "Params",
    "Quadrature",
    "PathPlane",
    "TrainingResult",
}


def test_the_table_covers_all_public_names_exactly():
    covered = set(SPECS) | RESULT_TYPES
    assert not set(SPECS) & RESULT_TYPES, "a name is both a callable and a result type"
    assert covered == set(ms.__all__), (
        f"public names without a case here: {sorted(set(ms.__all__) - covered)}; "
        f"cases for names that are not public: {sorted(covered - set(ms.__all__))}"
    )


def test_every_argument_of_every_callable_has_a_kind():
    """Each spec names every parameter of its callable (``**options`` stand for the keywords it forwards)."""
    for name, spec in SPECS.items():
        signature = inspect.signature(getattr(ms, name))
        named = {p.name for p in signature.parameters.values() if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)}
        assert named <= set(spec.kinds), f"{name}: arguments without a kind: {sorted(named - set(spec.kinds))}"
        assert set(spec.kinds) == set(spec.valid()), f"{name}: the valid call does not pass every argument"


# --------------------------------------------------------------------------------------------
# Classes of defects, one hypothesis strategy per class. Array classes start from the valid value.

TEXT = st.text(max_size=6)
NOT_A_NUMBER = {
    "string": lambda v: TEXT,
    "bytes": lambda v: st.binary(max_size=6),
    "none": lambda v: st.none(),
    "complex": lambda v: st.complex_numbers(max_magnitude=10).filter(lambda z: z.imag != 0),
    "bool": lambda v: st.booleans(),
    "datetime": lambda v: st.just(np.datetime64("2020-01-01")),
    "sequence": lambda v: st.lists(st.floats(0.1, 0.9), min_size=2, max_size=3).map(np.array),
}
REAL_VALUES = {
    "nan": lambda v: st.just(NAN),
    "inf": lambda v: st.sampled_from([INF, -INF]),
    "negative": lambda v: st.floats(-1e6, -1e-6) | st.integers(-(10**6), -1),
    "zero": lambda v: st.sampled_from([0, 0.0]),
    "one_or_more": lambda v: st.floats(1.0, 1e6) | st.just(1),
    "one_or_less": lambda v: st.floats(0.0, 1.0),
}
INT_VALUES = {
    "zero": lambda v: st.just(0),
    "negative": lambda v: st.integers(-(10**6), -1),
    "fraction": lambda v: st.floats(0.1, 100).filter(lambda x: x != int(x)),
    "nan": lambda v: st.just(NAN),
    "odd": lambda v: st.sampled_from([1, 3, 5]),
    "too_large": lambda v: st.integers(50, 10**6),
}


def _pick(table, *names):
    return {name: table[name] for name in names}


def _float_copy(valid):
    return np.array(valid, dtype=float)


def _with_entry(valid, fill):
    """A float copy of ``valid`` with one drawn entry set to ``fill``."""
    base = _float_copy(valid)

    def put(index):
        out = base.copy()
        out.flat[index] = fill
        return out

    return st.integers(0, base.size - 1).map(put)


def _shorter(valid):
    """``valid`` with its last axis one shorter (or one longer, when it has length 1)."""
    base = _float_copy(valid)
    if base.shape[-1] > 1:
        return st.just(base[..., :-1])
    return st.just(np.concatenate([base, base], axis=-1))


ARRAY_DEFECTS = {
    "nan": lambda v: _with_entry(v, NAN),
    "inf": lambda v: st.sampled_from([INF, -INF]).flatmap(lambda fill: _with_entry(v, fill)),
    "string": lambda v: st.one_of(TEXT, st.just(np.full(np.shape(v), "a"))),
    "bytes": lambda v: st.binary(max_size=6),
    "none": lambda v: st.none(),
    "complex": lambda v: st.floats(0.1, 10).map(lambda s: _float_copy(v) + 1j * s),
    "datetime": lambda v: st.just(np.full(np.shape(v), np.datetime64("2020-01-01"))),
    "0-d": lambda v: st.just(np.asarray(_float_copy(v).flat[0])),
    "empty": lambda v: st.just(np.zeros((0,) + np.shape(v)[1:])),
    "shape": _shorter,
    "ndim": lambda v: st.just(_float_copy(v)[..., None] * np.ones(2)),
    "out_of_range": lambda v: st.sampled_from([-0.5, 1.5, -1e-3]).flatmap(lambda fill: _with_entry(v, fill)),
    "negative": lambda v: st.floats(-5, -1e-3).flatmap(lambda fill: _with_entry(v, fill)),
    "zero": lambda v: _with_entry(v, 0.0),
    "fraction": lambda v: _with_entry(v, 0.5),
    "duplicate": lambda v: st.just(np.full(np.shape(v), int(np.asarray(v).flat[0]))),
    "two": lambda v: _with_entry(v, 2.0),
    "large_label": lambda v: _with_entry(v, 7),
    "bool": lambda v: st.just(np.ones(np.shape(v), dtype=bool)),
    "ragged": lambda v: st.just([[0.0, 1.0], [2.0]]),
    "object": lambda v: st.just(np.array([1.0, None, "a"], dtype=object)),
}
_NOT_REAL = ("string", "none", "complex", "datetime", "bool", "ragged", "object")
ARRAY_1D = ("nan", "inf", "bytes", "0-d", "empty", "ndim", *_NOT_REAL)


def _layers_with(valid, change):
    """Strategy: the network ``valid`` with one drawn array replaced by ``change(array)``."""
    slots = [(i, 0) for i in range(len(valid))] + [(i, 1) for i, layer in enumerate(valid) if layer.b is not None]

    def apply(slot):
        layers = [list(layer) for layer in valid]
        layers[slot[0]][slot[1]] = change(np.array(layers[slot[0]][slot[1]]))
        return tuple(tuple(layer) for layer in layers)

    return st.sampled_from(slots).map(apply)


def _entry_set(fill):
    def change(array):
        array = array.astype(float)
        array.flat[0] = fill
        return array

    return change


def _zero_width(valid):
    """A hidden layer of zero units: ``W`` of shape ``(0, n_in)``, and ``(n_out, 0)`` after it."""
    (W0, b0), (W1, b1), *rest = valid
    return st.just(((W0[:0], b0[:0]), (W1[:, :0], b1), *rest))


def _empty_batch(valid):
    return st.just(tuple((np.zeros((0,) + W.shape), None if b is None else np.zeros((0,) + b.shape)) for W, b in valid))


PARAMS_DEFECTS = {
    "none": lambda v: st.none(),
    "string": lambda v: TEXT,
    "bytes": lambda v: st.binary(max_size=6),
    "nan": lambda v: _layers_with(v, _entry_set(NAN)),
    "inf": lambda v: _layers_with(v, _entry_set(INF)),
    "complex": lambda v: _layers_with(v, lambda a: a + 1j),
    "datetime": lambda v: _layers_with(v, lambda a: np.full(a.shape, np.datetime64("2020-01-01"))),
    "string_weights": lambda v: _layers_with(v, lambda a: np.full(a.shape, "a")),
    "no_layers": lambda v: st.sampled_from([(), []]),
    "zero_width": _zero_width,
    "mismatch": lambda v: st.just(((v[0].W[..., :-1, :], v[0].b[..., :-1]), *v[1:])),
    "0-d": lambda v: st.sampled_from([np.asarray(1.0), ((np.asarray(1.0), None),)]),
    "empty_batch": _empty_batch,
    "not_pairs": lambda v: st.sampled_from(
        [tuple(W for W, _ in v), tuple((W,) for W, _ in v), ((v[0].W, v[0].b, None),)]
    ),
    "ragged": lambda v: st.just([([[1.0, 2.0], [3.0]], None)]),
}


def _bad_rng():
    return {
        "string": lambda v: TEXT,
        "float": lambda v: st.floats(0.1, 100).filter(lambda x: x != int(x)),
        "list": lambda v: st.lists(st.floats(0.1, 9) | TEXT, min_size=1, max_size=3),
        "negative": lambda v: st.integers(-(10**6), -1),
        "bool": lambda v: st.booleans(),
        "object": lambda v: st.just(object()),
    }


def _bad_choice():
    return {
        "none": lambda v: st.none(),
        "number": lambda v: st.integers(0, 3),
        "bytes": lambda v: st.just(b"tanh"),
        "unknown": lambda v: TEXT.filter(lambda s: s not in ms._checks.ACTIVATIONS + ms._checks.LOSSES),
        "list": lambda v: st.just(["tanh"]),
    }


_NOT_INT = _pick(NOT_A_NUMBER, "string", "none", "bool", "complex")
DEFECTS = {
    "positive": {**_pick(REAL_VALUES, "nan", "inf", "negative", "zero"), **NOT_A_NUMBER},
    "nonneg": {**_pick(REAL_VALUES, "nan", "inf", "negative"), **NOT_A_NUMBER},
    "fraction": {**_pick(REAL_VALUES, "nan", "inf", "negative", "one_or_more"), **NOT_A_NUMBER},
    "open_fraction": {**_pick(REAL_VALUES, "nan", "inf", "negative", "zero", "one_or_more"), **NOT_A_NUMBER},
    "above_one": {**_pick(REAL_VALUES, "nan", "inf", "negative", "zero", "one_or_less"), **NOT_A_NUMBER},
    "optional_real": {
        **_pick(REAL_VALUES, "nan", "inf"),
        **_pick(NOT_A_NUMBER, "string", "complex", "bool", "datetime"),
    },
    "real_or_array": {
        **_pick(REAL_VALUES, "nan", "inf"),
        **_pick(NOT_A_NUMBER, "string", "bytes", "none", "complex", "bool", "datetime"),
    },
    "scale": {**_pick(REAL_VALUES, "nan", "inf", "negative", "zero"), **NOT_A_NUMBER},
    "count": {**_pick(INT_VALUES, "zero", "negative", "fraction", "nan"), **_NOT_INT},
    "count0": {**_pick(INT_VALUES, "negative", "fraction", "nan"), **_NOT_INT},
    "optional_count": {**_pick(INT_VALUES, "zero", "negative", "fraction", "nan"), **_pick(_NOT_INT, "string", "bool")},
    "optional_count0": {**_pick(INT_VALUES, "negative", "fraction", "nan"), **_pick(_NOT_INT, "string", "bool")},
    "even_count": {**_pick(INT_VALUES, "zero", "negative", "fraction", "odd"), **_NOT_INT},
    "index": {**_pick(INT_VALUES, "negative", "fraction", "too_large"), **_NOT_INT},
    "choice": _bad_choice(),
    "rng": _bad_rng(),
    "callable": {"not_callable": lambda v: st.sampled_from([1, "f", None, np.zeros(2)])},
    "flatloss": {"not_flatloss": lambda v: st.sampled_from([None, "f", _quadratic])},
    "flag": {
        "number": lambda v: st.sampled_from([0, 1, 0.5]),
        "string": lambda v: st.sampled_from(["True", "yes", ""]),
        "none": lambda v: st.none(),
        "array": lambda v: st.just(np.array([True, False])),
    },
    "layer_sizes": {
        "none": lambda v: st.none(),
        "string": lambda v: st.sampled_from(["2, 3, 1", "231"]),
        "bytes": lambda v: st.just(b"\x02\x03\x01"),
        "0-d": lambda v: st.integers(1, 5).map(np.asarray),
        "zero_width": lambda v: st.sampled_from([[2, 0, 1], [0, 1], [2, 3, 0]]),
        "negative": lambda v: st.integers(-5, -1).map(lambda n: [2, n, 1]),
        "fraction": lambda v: st.just([2, 2.5, 1]),
        "bool": lambda v: st.just([2, True, 1]),
        "too_short": lambda v: st.sampled_from([[2], [], ()]),
        "string_entry": lambda v: st.just([2, "3", 1]),
        "nan": lambda v: st.just([2, NAN, 1]),
    },
    "X": {name: ARRAY_DEFECTS[name] for name in ARRAY_1D + ("shape",)},
    "y": _pick(ARRAY_DEFECTS, "nan", "inf", "0-d", "shape", *_NOT_REAL),
    "labels": _pick(
        ARRAY_DEFECTS,
        "nan",
        "0-d",
        "shape",
        "negative",
        "fraction",
        "large_label",
        "string",
        "none",
        "complex",
        "ragged",
    ),
    "theta": _pick(ARRAY_DEFECTS, "nan", "inf", "bytes", "0-d", "shape", *_NOT_REAL),
    "vector": _pick(ARRAY_DEFECTS, *ARRAY_1D),
    "t": _pick(ARRAY_DEFECTS, "nan", "inf", "out_of_range", "ndim", *_NOT_REAL),
    "matrix": _pick(ARRAY_DEFECTS, "nan", "inf", "0-d", "shape", *_NOT_REAL),
    "matrix_batch": _pick(ARRAY_DEFECTS, "nan", "inf", "0-d", "shape", "empty", *_NOT_REAL),
    "perm": {
        **_pick(ARRAY_DEFECTS, "nan", "string", "none", "complex", "0-d", "shape", "negative", "fraction"),
        "duplicate": ARRAY_DEFECTS["duplicate"],
    },
    "perms": {
        "none": lambda v: st.none(),
        "string": lambda v: TEXT,
        "count": lambda v: st.just(list(v) * 2),
        "member": lambda v: st.just([[0, 0, 1]]),
        "0-d": lambda v: st.just(np.asarray(1)),
    },
    "signs": _pick(ARRAY_DEFECTS, "nan", "string", "none", "complex", "0-d", "shape", "zero", "two", "fraction"),
    "scales": _pick(ARRAY_DEFECTS, "nan", "inf", "0-d", "shape", "zero", "negative", *_NOT_REAL),
    "params": PARAMS_DEFECTS,
    "params_batch": {k: v for k, v in PARAMS_DEFECTS.items() if k != "0-d"},
    "optional_params": {k: v for k, v in PARAMS_DEFECTS.items() if k != "none"},
}
DEFECTS["optional_theta"] = {k: v for k, v in DEFECTS["theta"].items() if k != "none"}
DEFECTS["theta"]["empty"] = ARRAY_DEFECTS["empty"]
# Runs of gradient_descent: the function decides the length of each vector, a run is a row.
DEFECTS["runs"] = {**{k: v for k, v in DEFECTS["theta"].items() if k != "shape"}, "ndim": ARRAY_DEFECTS["ndim"]}
# Positions on a line or curve may extrapolate beyond [0, 1]; chord_gap's t may not.
DEFECTS["positions"] = {k: v for k, v in DEFECTS["t"].items() if k != "out_of_range"}
# An empty batch may be refused or computed (numpy's own error must not escape); a result must be finite.
MAY_BE_EMPTY = {"empty", "empty_batch"}

# --------------------------------------------------------------------------------------------
# Known failures: (function, argument, class) -> reason, each its own strict xfail, so that a fix
# shows as an unexpected pass and its mark is removed. None today.

XFAIL: dict[tuple[str, str, str], str] = {}


def _cases():
    for name, spec in SPECS.items():
        for argument, kind in spec.kinds.items():
            known = [defect for defect in DEFECTS[kind] if (name, argument, defect) in XFAIL]
            working = tuple(defect for defect in DEFECTS[kind] if defect not in known)
            if working:
                yield pytest.param(name, argument, working, id=f"{name}-{argument}")
            for defect in known:
                mark = pytest.mark.xfail(strict=True, reason=XFAIL[name, argument, defect])
                yield pytest.param(name, argument, (defect,), id=f"{name}-{argument}-{defect}", marks=mark)


def _message_names(message, argument):
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(argument)}(?![A-Za-z0-9_])", message) is not None


def _call(name, kwargs):
    return getattr(ms, name)(**kwargs)


@pytest.mark.parametrize(("name", "argument", "defects"), list(_cases()))
@SWEEP
@given(data=st.data())
def test_bad_argument_raises_an_error_that_names_it(name, argument, defects, data):
    spec = SPECS[name]
    for defect in defects:
        kwargs = spec.valid()
        bad = data.draw(DEFECTS[spec.kinds[argument]][defect](kwargs[argument]), label=f"{argument} ({defect})")
        kwargs[argument] = bad
        try:
            result = _call(name, kwargs)
        except (ValueError, TypeError) as error:
            assert _message_names(str(error), argument), (
                f"{name}({argument}=<{defect}>) raised {type(error).__name__} without naming {argument!r}: {error}"
            )
        else:
            assert defect in MAY_BE_EMPTY, f"{name}({argument}=<{defect}>) raised no error"
            assert _all_finite(result), f"{name}({argument}=<{defect}>) returned NaN or infinity"


# --------------------------------------------------------------------------------------------
# Valid calls: inputs untouched, no shared memory, finite results.


def _leaves(value):
    """Every array and number inside nested tuples, lists and dicts (named tuples included)."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _leaves(item)
    elif isinstance(value, np.ndarray | float | int | np.number):
        yield value


def _arrays(value):
    return [leaf for leaf in _leaves(value) if isinstance(leaf, np.ndarray)]


def _assert_unchanged(before, after, where):
    if isinstance(before, np.ndarray):
        assert np.array_equal(before, after, equal_nan=True), f"{where} was modified"
    elif isinstance(before, dict):
        for key in before:
            _assert_unchanged(before[key], after[key], f"{where}[{key!r}]")
    elif isinstance(before, list | tuple):
        assert len(before) == len(after), f"{where} changed length"
        for index, (b, a) in enumerate(zip(before, after, strict=True)):
            _assert_unchanged(b, a, f"{where}[{index}]")


VALID_XFAIL: dict[tuple[str, str], str] = {}


def _valid_cases(check):
    for name in SPECS:
        marks = (
            [pytest.mark.xfail(strict=True, reason=VALID_XFAIL[name, check])] if (name, check) in VALID_XFAIL else []
        )
        yield pytest.param(name, id=name, marks=marks)


@pytest.mark.parametrize("name", list(_valid_cases("unchanged")))
def test_valid_call_leaves_its_inputs_unchanged(name):
    kwargs = SPECS[name].valid()
    before = copy.deepcopy(kwargs)
    _call(name, kwargs)
    _assert_unchanged(before, kwargs, name)


@pytest.mark.parametrize("name", list(_valid_cases("memory")))
def test_valid_call_returns_arrays_that_share_no_memory_with_its_inputs(name):
    kwargs = SPECS[name].valid()
    result = _call(name, kwargs)
    for out in _arrays(result):
        for given_array in _arrays(kwargs):
            assert not np.shares_memory(out, given_array), f"{name} returned a view of an input array"


def _all_finite(result):
    return all(np.all(np.isfinite(leaf)) for leaf in _leaves(result) if np.asarray(leaf).dtype.kind in "fc")


@pytest.mark.parametrize("name", list(_valid_cases("finite")))
def test_valid_call_returns_finite_numbers(name):
    assert _all_finite(_call(name, SPECS[name].valid())), f"{name} returned NaN or infinity from finite inputs"


# --------------------------------------------------------------------------------------------
# One rule for numbers: numpy scalars, float32 and int32 are accepted wherever Python numbers are.

_AS_FLOAT32 = {
    **dict.fromkeys(
        ("positive", "nonneg", "fraction", "open_fraction", "above_one", "optional_real", "real_or_array", "scale"),
        np.float32,
    ),
    **dict.fromkeys(("count", "count0", "optional_count", "optional_count0", "even_count", "index"), np.int32),
    **dict.fromkeys(
        ("X", "y", "theta", "optional_theta", "runs", "vector", "t", "positions", "matrix", "matrix_batch", "scales"),
        lambda value: np.asarray(value, dtype=np.float32),
    ),
    **dict.fromkeys(
        ("params", "params_batch", "optional_params"),
        lambda value: tuple((np.float32(W), None if b is None else np.float32(b)) for W, b in value),
    ),
}
NUMPY_XFAIL: dict[tuple[str, str], str] = {}


def _numpy_cases():
    for name, spec in SPECS.items():
        for argument, kind in spec.kinds.items():
            if kind in _AS_FLOAT32:
                reason = NUMPY_XFAIL.get((name, argument))
                marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
                yield pytest.param(name, argument, id=f"{name}-{argument}", marks=marks)


@pytest.mark.parametrize(("name", "argument"), list(_numpy_cases()))
def test_numpy_scalars_and_float32_arrays_are_accepted(name, argument):
    kwargs = SPECS[name].valid()
    kwargs[argument] = _AS_FLOAT32[SPECS[name].kinds[argument]](kwargs[argument])
    assert _all_finite(_call(name, kwargs))


# --------------------------------------------------------------------------------------------
# Huge but finite inputs: a finite (and correct) result, or a ValueError. Never NaN or inf.


def _scaled(params, factor):
    return tuple(ms.Layer(W * factor, None if b is None else b * factor) for W, b in params)


def _huge_problem(factor=1e200, **extra):
    return _problem(params=_scaled(_net(), factor), **extra)


def _huge_flat(theta=1e200):
    return np.full(3, theta)


HUGE_VALUES = {
    "forward-identity": ("forward", lambda: {**_huge_problem(), "activation": "identity", "y": None, "loss": None}),
    "forward-relu": ("forward", lambda: {**_huge_problem(), "activation": "relu", "y": None, "loss": None}),
    "loss": ("loss", _huge_problem),
    "loss_and_gradient": ("loss_and_gradient", _huge_problem),
    "hessian": ("hessian", _huge_problem),
    "hessian_vector_product": ("hessian_vector_product", lambda: _huge_problem(v=np.ones(13))),
    "lanczos_eigenvalues": ("lanczos_eigenvalues", lambda: _huge_problem(k=2, rng=0)),
    "spectral_density": ("spectral_density", lambda: _huge_problem(n_steps=4, rng=0)),
    "classify_critical_point": ("classify_critical_point", _huge_problem),
    "barrier_height-equal": ("barrier_height", lambda: {"losses": [1e308, 1e308]}),
    "barrier_height-rise": ("barrier_height", lambda: {"losses": [1e308, 1.5e308, 1e308]}),
    "interpolate": ("interpolate", lambda: {"theta_a": np.full(3, -1e308), "theta_b": np.full(3, 1e308), "t": [0.5]}),
    "bezier_curve": (
        "bezier_curve",
        lambda: {"theta_a": np.full(3, -1e308), "theta_mid": np.zeros(3), "theta_b": np.full(3, 1e308), "t": [0.5]},
    ),
    "path_losses": (
        "path_losses",
        lambda: {"theta_a": _scaled(_net(), 1e200), "theta_b": _net(), "X": _data()[0], "y": _data()[1], "t": [0.5]},
    ),
    "distinct_levels": ("distinct_levels", lambda: {"values": [1e308, -1e308, 1e308]}),
    "population_loss": (
        "population_loss",
        lambda: {"W": ms.init_students(2, 3, 1, rng=0)[0] * 1e200, "V": ms.orthonormal_teacher(2, 3)},
    ),
    "population_loss_and_gradient": (
        "population_loss_and_gradient",
        lambda: {"W": ms.init_students(2, 3, 1, rng=0)[0] * 1e200, "V": ms.orthonormal_teacher(2, 3)},
    ),
    "rescale_units": (
        "rescale_units",
        lambda: {"params": _scaled(_net(), 1e10), "layer": 0, "scales": [1e300, 1.0, 1.0], "activation": "relu"},
    ),
    "split_unit": ("split_unit", lambda: {"params": _scaled(_net(), 1e300), "layer": 0, "unit": 0, "ratio": 1e10}),
    "weight_matching": (
        "weight_matching",
        lambda: {"params_a": _scaled(_net(seed=0), 1e200), "params_b": _scaled(_net(seed=1), 1e200)},
    ),
    "chord_gap": (
        "chord_gap",
        lambda: {"loss_fn": _flat_loss(), "theta_a": _huge_flat(), "theta_b": 0 * _huge_flat(), "t": 0.5},
    ),
    "find_chord_violation": (
        "find_chord_violation",
        lambda: {"loss_fn": _flat_loss(), "n_params": 3, "n_segments": 4, "scale": 1e200, "rng": 0},
    ),
    "hessian_extreme_eigenvalues": (
        "hessian_extreme_eigenvalues",
        lambda: {"loss_fn": _flat_loss(), "theta": _huge_flat()},
    ),
    "confirm_minima": ("confirm_minima", lambda: {"loss_fn": _flat_loss(), "theta": _huge_flat()[None], "n_steps": 1}),
    "linear_regression_data": ("linear_regression_data", lambda: {"n_samples": 100, "noise": 1e308, "rng": 0}),
    "auer_dataset": ("auer_dataset", lambda: {"n_examples": 4, "ratio": 1e300}),
    "FlatLoss": ("FlatLoss", lambda: {"layer_sizes": [2, 1], "X": _data()[0] * 1e200, "y": _data()[1]}),
    "grid_local_minima": ("grid_local_minima", lambda: {"values": [1e308, -1e308, 1e308]}),
    "unflatten": ("unflatten", lambda: {"theta": np.full(13, 1e308), "layer_sizes": [2, 3, 1]}),
    "minimize": ("minimize", lambda: _huge_problem(max_iter=2)),
    "newton_refine": ("newton_refine", lambda: _huge_problem(max_iter=2)),
    "certify_critical_point": ("certify_critical_point", lambda: _huge_problem(max_iter=2)),
    "train": ("train", lambda: _problem(params=_scaled(_net(runs=2), 1e200), n_steps=2)),
    "loss_plane": (
        "loss_plane",
        lambda: _problem(
            d1=ms.random_direction(_net(), rng=1), d2=ms.random_direction(_net(), rng=2), alphas=[0, 1e300], betas=[0]
        ),
    ),
    "fit_bezier_control": (
        "fit_bezier_control",
        lambda: {
            "theta_a": _scaled(_net(), 1e200),
            "theta_b": _net(),
            "X": _data()[0],
            "y": _data()[1],
            "n_steps": 2,
            "rng": 0,
        },
    ),
    "random_direction-filter": ("random_direction", lambda: {"params": _scaled(_net(), 1e200), "rng": 0}),
    "random_direction-model": (
        "random_direction",
        lambda: {"params": _scaled(_net(), 1e200), "rng": 0, "normalization": "model"},
    ),
    "classify_students": (
        "classify_students",
        lambda: {"W": ms.init_students(3, 3, 2, rng=0) * 1e200, "V": ms.orthonormal_teacher(3)},
    ),
    "newton_polish": (
        "newton_polish",
        lambda: {"W": ms.init_students(3, 3, 2, rng=0) * 1e200, "V": ms.orthonormal_teacher(3)},
    ),
    "population_hessian": (
        "population_hessian",
        lambda: {"W": ms.init_students(2, 3, 1, rng=0)[0] * 1e200, "V": ms.orthonormal_teacher(2, 3)},
    ),
    "orbit_average": ("orbit_average", lambda: {"params": _scaled(_net(), 1e308), "layer": 0}),
    "canonical_form": ("canonical_form", lambda: {"params": _scaled(_net(), 1e308), "activation": "tanh"}),
    "sign_flip_orbit": ("sign_flip_orbit", lambda: {"params": _scaled(_net(), 1e308), "layer": 0}),
    "merge_units": ("merge_units", lambda: {"params": _scaled(_net(), 1e308), "layer": 0, "i": 0, "j": 1}),
    "rescale_units-tiny": ("rescale_units", lambda: {"params": _net(), "layer": 0, "scales": [1e-320, 1.0, 1.0]}),
}
# Results to check beyond finiteness; a training run that diverges is frozen and flagged, not silent.
ACCEPT = {
    "barrier_height-equal": lambda result: result == 0.0,
    "barrier_height-rise": lambda result: result == pytest.approx(0.5e308, rel=1e-12),
    "train": lambda result: bool(np.all(result.diverged)) and _all_finite(result.params),
}
HUGE_XFAIL: dict[str, str] = {}


def _huge_cases(table, xfails):
    for key in table:
        marks = [pytest.mark.xfail(strict=True, reason=xfails[key])] if key in xfails else []
        yield pytest.param(key, id=key, marks=marks)


@pytest.mark.parametrize("key", list(_huge_cases(HUGE_VALUES, HUGE_XFAIL)))
def test_huge_finite_inputs_give_a_finite_result_or_a_value_error(key):
    name, build = HUGE_VALUES[key]
    kwargs = {k: v for k, v in build().items() if v is not None}
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = _call(name, kwargs)
    except ValueError as error:
        # The clear ValueError alone: numpy's overflow warnings would only say the same thing less clearly first.
        numpy_warnings = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
        assert not numpy_warnings, f"{name} printed {numpy_warnings} before its ValueError: {error}"
        return
    accept = ACCEPT.get(key, _all_finite)
    assert accept(result), f"{name} returned NaN, infinity or a wrong result from huge but finite inputs: {result}"


# --------------------------------------------------------------------------------------------
# Sizes whose exact computation would hang: refused by a quick ValueError, or computed cheaply.
# Each runs in its own process, all at once, with a memory limit and a deadline.

_WIDE = "params = ms.init_params([1000, 1000, 1], rng=0); X, y = np.ones((2, 1000)), np.ones(2)"
_TWENTY = "params = ms.init_params([2, 20, 1], rng=0)"
_FLAT = "f = ms.FlatLoss([1000, 1000, 1], np.ones((2, 1000)), np.ones(2))"
HUGE_SIZES = {
    "hessian-1e6-parameters": (_WIDE, "ms.hessian(params, X, y)", "False"),
    "classify_critical_point-1e6-parameters": (_WIDE, "ms.classify_critical_point(params, X, y)", "False"),
    "minimize-1e6-parameters": (_WIDE, "ms.minimize(params, X, y)", "False"),
    "newton_refine-1e6-parameters": (_WIDE, "ms.newton_refine(params, X, y)", "False"),
    "hessian_extreme_eigenvalues-1e6-parameters": (
        _FLAT,
        "ms.hessian_extreme_eigenvalues(f, np.zeros(f.n_params))",
        "False",
    ),
    "confirm_minima-1e6-parameters": (_FLAT, "ms.confirm_minima(f, np.ones((1, f.n_params)))", "False"),
    "spectral_density-1e6-parameters": (_WIDE, "ms.spectral_density(params, X, y)", "False"),
    "all_permutations-20": ("", "ms.all_permutations(20, max_n=20)", "False"),
    "all_permutations-1e7": ("", "ms.all_permutations(10**7)", "False"),
    "permutation_orbit-20-units": (_TWENTY, "ms.permutation_orbit(params, 0, max_units=20)", "False"),
    "sign_flip_orbit-20-units": (_TWENTY, "ms.sign_flip_orbit(params, 0, max_units=20)", "False"),
    "symmetry_group_order-1e7-units": (
        "",
        "ms.symmetry_group_order([2, 10**7, 1], 'relu')",
        "abs(result.log10 - math.lgamma(10**7 + 1) / math.log(10)) < 1e-6 * result.log10",
    ),
    "population_hessian-2000-units": (
        "W = np.ones((2000, 2000)); V = ms.orthonormal_teacher(2000)",
        "ms.population_hessian(W, V)",
        "False",
    ),
}
# (A group order whose exact integer has more than a million digits is refused quickly, its size given in the message.)
HUGE_SIZE_XFAIL: dict[str, str] = {}
_CHILD = """
import math, resource, time
resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
resource.setrlimit(resource.RLIMIT_CPU, (5, 5))
import numpy as np
import mlp_symmetry as ms
{setup}
start = time.perf_counter()
try:
    result = {call}
except ValueError as error:
    print("refused", round(time.perf_counter() - start, 2), error)
except Exception as error:
    print("raised", type(error).__name__, error)
else:
    print("computed", round(time.perf_counter() - start, 2), bool({check}))
"""
DEADLINE = 15.0


@pytest.fixture(scope="module")
def huge_size_outcomes():
    """Run every case of HUGE_SIZES at once; return the line each printed, or 'timed out'."""
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    processes = {
        key: subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(_CHILD).format(setup=setup, call=call, check=check)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        for key, (setup, call, check) in HUGE_SIZES.items()
    }
    outcomes, deadline = {}, time.monotonic() + DEADLINE
    for key, process in processes.items():
        try:
            output, _ = process.communicate(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            output = "timed out"
        lines = output.strip().splitlines() or [f"stopped by the CPU limit of 5 s (exit code {process.returncode})"]
        outcomes[key] = lines[-1]
    return outcomes


@pytest.mark.parametrize("key", list(_huge_cases(HUGE_SIZES, HUGE_SIZE_XFAIL)))
def test_huge_sizes_are_refused_quickly_or_computed_cheaply(key, huge_size_outcomes):
    outcome = huge_size_outcomes[key].split(" ", 2)
    assert outcome[0] in ("refused", "computed"), f"{key}: {' '.join(outcome)}"
    assert float(outcome[1]) < 5.0, f"{key} took {outcome[1]} s"
    if outcome[0] == "computed":
        assert outcome[2] == "True", f"{key} computed a wrong or too expensive result"
