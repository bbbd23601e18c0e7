"""
A kink can hide non-convexity from the curvature test, not from the chord test
===============================================================================

The curvature test (a second derivative that is nowhere negative) only applies
to functions that are twice differentiable everywhere. A piecewise-linear
double well passes it wherever it applies, and fails the chord test.
"""

# %%
# Two piecewise-linear functions
# ------------------------------
# ``|w|`` is convex. ``||w| - 1|`` is a "W": two minima at ``w = -1`` and
# ``w = 1`` with a peak at 0. Both are straight lines between their kinks, so
# their second derivative is zero wherever it exists. Second differences on a
# grid whose three-point stencils avoid the kinks measure it.
import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import use_style

use_style()


def absolute(theta):
    """|w| for theta of shape (..., 1)."""
    return np.abs(theta[..., 0])


def w_shape(theta):
    """||w| - 1|: minima at -1 and 1, kinks at -1, 0 and 1."""
    return np.abs(np.abs(theta[..., 0]) - 1)


w = np.linspace(-2, 2, 400)  # an even count: no grid point falls on a kink
h = w[1] - w[0]
kinks = np.array([-1.0, 0.0, 1.0])
smooth = np.abs(w[1:-1, None] - kinks).min(axis=1) > h  # stencils that do not straddle a kink
for f in (absolute, w_shape):
    curvature = np.diff(f(w[:, None]), 2)[smooth] / h**2
    print(f"{f.__name__:8s} largest |second difference| away from the kinks: {np.abs(curvature).max():.1e}")
    # sphinx_gallery_start_ignore
    assert np.abs(curvature).max() < 1e-9, "zero curvature wherever the second derivative exists"
    # sphinx_gallery_end_ignore

# %%
# Away from its kinks neither function curves at all, up to rounding: a
# curvature test run only where the second derivative exists passes both.
#
# The chord test
# --------------
# :func:`~mlp_symmetry.chord_gap` needs no derivatives, only function values.
rng = np.random.default_rng(0)
a, b = rng.uniform(-2, 2, size=(2, 2000, 1))
t = np.linspace(0, 1, 21)
gaps = {f.__name__: ms.chord_gap(f, a, b, t) for f in (absolute, w_shape)}
for name, gap in gaps.items():
    below = np.mean(gap.min(axis=1) < -1e-9)
    print(f"{name:8s} smallest chord gap {gap.min():+.2e}; segments with a chord below the graph: {below:.1%}")
# sphinx_gallery_start_ignore
assert gaps["absolute"].min() >= -1e-12, "no chord of |w| dips below it (beyond rounding)"
assert gaps["w_shape"].min() < -0.9, "chords of the W lie up to almost the height of its peak below it"
# sphinx_gallery_end_ignore

# %%
# No chord of ``|w|`` dips below it. For the W, the chords that span the peak
# at 0 do, the worst by almost the height of the peak: the chord from -1 to 1
# lies at 0, the peak at 1.
# The curvature is all in the kinks: an upward kink (as in ``|w|`` at 0) is
# convex, a downward one (the W at 0) is not, and a second derivative taken
# off the kinks sees neither.
fig, ax = plt.subplots()
ax.plot(w, absolute(w[:, None]), label="$|w|$ (convex)")
ax.plot(w, w_shape(w[:, None]), label="$||w| - 1|$")
ax.plot([-1, 1], [0, 0], "o--", color="C2", label="chord between the two minima")
ax.set(xlabel="$w$", ylabel="$f(w)$", title="Straight pieces, and still not convex")
fig.legend(loc="outside lower center", ncols=3, fontsize=9)
plt.show()

# %%
# Networks with ReLU units have such kinks in their weights too. The chord
# test applies to them as it is; the Hessian test only between the kinks.
# Next, a convex loss that is *not* strictly convex:
# :ref:`sphx_glr_auto_examples_part1_convexity_plot_02_linear_regression_convex.py`.
