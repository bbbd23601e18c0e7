"""
Linear regression passes every convexity test: no chord dips below its loss
===========================================================================

Linear regression is the package's network with no hidden layer and squared
error. Thousands of random segments and Hessians at many random points find
no sign of non-convexity, beyond floating-point rounding.
"""

# %%
# The loss as a function of flat weight vectors
# ---------------------------------------------
# :class:`~mlp_symmetry.FlatLoss` wraps the training loss of a network with
# layer sizes ``[2, 1]`` (two weights and a bias, no hidden layer) as a function
# of flat vectors, evaluated for a whole batch of vectors in one call.
import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import use_style

use_style()

X, y = ms.linear_regression_data(100, 2, rng=0)
f = ms.FlatLoss([2, 1], X, y, loss="mse")
print(f)

# %%
# The chord test on 5000 random segments
# --------------------------------------
# :func:`~mlp_symmetry.find_chord_violation` draws end points around the origin
# (standard deviation 5) and evaluates the chord gap at 21 positions per
# segment, in one vectorised call on an array of shape ``(5000, 21, 3)``. A gap
# counts as a violation only below ``-1e-9`` times the loss on the segment.
search = ms.find_chord_violation(f, f.n_params, n_segments=5000, n_t=21, scale=5.0, rng=1)
print(f"violations: {search.n_violations} of {search.n_segments} segments")
print(f"smallest chord gap relative to the loss: {search.relative_gap:.2e}")
assert not search.found and search.relative_gap >= -1e-9

# %%
# No segment fails. The smallest gap is zero, reached at the end points of the
# segments, where the chord and the loss coincide by definition. Inside the
# segments the chord lies strictly above the loss, by exactly
# ``t (1 - t) |X (a - b)|^2 / N`` for squared error:
rng = np.random.default_rng(2)
a, b = 5.0 * rng.standard_normal((2, 200, 3))
t = np.linspace(0, 1, 51)
gap = ms.chord_gap(f, a, b, t)
scale = np.maximum(f(a), f(b))[:, None]
inner = (gap / scale)[:, 1:-1]
print(f"smallest relative gap strictly inside a segment: {inner.min():.3e}")
assert inner.min() > 0

# %%
# The chord is always strictly above the loss inside a segment, so the loss is
# even *strictly* convex here. The curves show this for 200 segments.
fig, ax = plt.subplots()
ax.plot(t, (gap / scale).T, color="C0", alpha=0.15, linewidth=1)
ax.plot([], [], color="C0", label="200 random segments")
ax.axhline(0.0, color="C1", linestyle="--", label="zero: below this, convexity fails")
ax.set(
    xlabel="position $t$ on the segment",
    ylabel="chord gap / loss scale",
    title="Every chord lies above the linear-regression loss",
)
ax.legend(loc="upper right")
plt.show()

# %%
# The curvature test
# ------------------
# The Hessian of mean squared error is ``2/N X^T X`` (with a column of ones for
# the bias) at every point. :func:`~mlp_symmetry.hessian_extreme_eigenvalues`
# computes the exact Hessian at 1000 random points at once.
points = 5.0 * np.random.default_rng(3).standard_normal((1000, 3))
smallest, largest = ms.hessian_extreme_eigenvalues(f, points)
Xb = np.column_stack([X, np.ones(len(X))])
expected = np.linalg.eigvalsh(2 / len(X) * Xb.T @ Xb)
print(f"smallest eigenvalue: min {smallest.min():.6f}, max {smallest.max():.6f}; 2/N X^T X gives {expected[0]:.6f}")
assert smallest.min() > 0
np.testing.assert_allclose(smallest, expected[0], rtol=1e-10)
np.testing.assert_allclose(largest, expected[-1], rtol=1e-10)

# %%
# The Hessian is the same everywhere and positive definite, as the formula
# says. Both tests agree: the loss of linear regression is convex, and its one
# minimum is global. The next example shows that for logistic regression the
# verdict depends on the loss:
# :ref:`sphx_glr_auto_examples_part1_convexity_plot_03_logistic_losses.py`.
