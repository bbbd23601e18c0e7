"""mlp_symmetry: why the loss of a multi-layer perceptron is not convex.

A small numpy package: MLP forward pass, losses, exact gradients and Hessians, and the symmetries of hidden units. The
weight layout is described once, in :mod:`mlp_symmetry.network`.
"""

from .convexity import (
    ChordSearch,
    EigenvalueRange,
    FlatLoss,
    MinimaCheck,
    chord_gap,
    confirm_minima,
    find_chord_violation,
    grid_local_minima,
    hessian_extreme_eigenvalues,
)
from .critical import (
    CriticalPoint,
    certify_critical_point,
    classify_critical_point,
    default_symmetry_zeros,
    minimize,
    newton_refine,
)
from .data import auer_dataset, linear_regression_data, load_digits_split, logistic_regression_data
from .derivatives import hessian, hessian_vector_product, loss_and_gradient
from .landscape import (
    BezierFit,
    PathPlane,
    barrier_height,
    bezier_curve,
    bezier_loss_and_gradient,
    fit_bezier_control,
    interpolate,
    lanczos_eigenvalues,
    loss_plane,
    path_losses,
    path_plane,
    random_direction,
)
from .losses import loss
from .matching import Matching, apply_permutations, weight_matching
from .network import (
    Layer,
    Params,
    as_params,
    batch_shape,
    flatten,
    forward,
    init_params,
    layer_sizes,
    n_params,
    unflatten,
)
from .spectrum import Quadrature, smoothed_density, spectral_density
from .symmetry import (
    GroupOrder,
    all_permutations,
    canonical_form,
    flip_signs,
    orbit_average,
    permutation_orbit,
    permute_hidden_units,
    rescale_units,
    sign_flip_orbit,
    symmetry_group_order,
)
from .teacher_student import (
    classify_students,
    init_students,
    newton_polish,
    orthonormal_teacher,
    population_hessian,
    population_loss,
    population_loss_and_gradient,
)
from .training import TrainingResult, distinct_levels, gradient_descent, init_runs, train, train_adam
from .twins import merge_units, split_unit

__version__ = "0.1.0"

# fmt: off
__all__ = [  # by module, in the order of the API reference
    "Layer", "Params", "as_params", "batch_shape", "flatten", "forward", "init_params", "layer_sizes", "n_params",
    "unflatten",
    "loss",
    "hessian", "hessian_vector_product", "loss_and_gradient",
    "GroupOrder", "all_permutations", "canonical_form", "flip_signs", "orbit_average", "permutation_orbit",
    "permute_hidden_units", "rescale_units", "sign_flip_orbit", "symmetry_group_order",
    "ChordSearch", "EigenvalueRange", "FlatLoss", "MinimaCheck", "chord_gap", "confirm_minima", "find_chord_violation",
    "grid_local_minima", "hessian_extreme_eigenvalues",
    "CriticalPoint", "certify_critical_point", "classify_critical_point", "default_symmetry_zeros", "minimize",
    "newton_refine",
    "auer_dataset", "linear_regression_data", "load_digits_split", "logistic_regression_data",
    "BezierFit", "PathPlane", "barrier_height", "bezier_curve", "bezier_loss_and_gradient", "fit_bezier_control",
    "interpolate", "lanczos_eigenvalues", "loss_plane", "path_losses", "path_plane", "random_direction",
    "Matching", "apply_permutations", "weight_matching",
    "Quadrature", "smoothed_density", "spectral_density",
    "classify_students", "init_students", "newton_polish", "orthonormal_teacher", "population_hessian",
    "population_loss", "population_loss_and_gradient",
    "TrainingResult", "distinct_levels", "gradient_descent", "init_runs", "train", "train_adam",
    "merge_units", "split_unit",
]
# fmt: on
