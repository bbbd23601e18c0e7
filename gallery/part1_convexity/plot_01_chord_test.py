"""
A single chord below the graph proves that a function is not convex
====================================================================

The chord test and the curvature test, on two functions of one variable: a
parabola passes both, a double well fails both, and its two minima show why.
"""

# %%
# Chords of a parabola and of a double well
# -----------------------------------------
# A function is convex when every chord lies on or above its graph.
# :func:`~mlp_symmetry.chord_gap` returns the height of the chord above the
# function, ``(1 - t) f(a) + t f(b) - f((1 - t) a + t b)``, for many segments and
# positions at once; it accepts any vectorised function of flat vectors.
import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import use_style

use_style()


def parabola(theta):
    """w**2 for theta of shape (..., 1)."""
    return theta[..., 0] ** 2


def double_well(theta):
    """(w**2 - 1)**2, two minima at w = -1 and w = 1."""
    return (theta[..., 0] ** 2 - 1) ** 2


rng = np.random.default_rng(0)
a, b = rng.uniform(-2, 2, size=(2, 5000, 1))
t = np.linspace(0, 1, 21)
gaps = {f.__name__: ms.chord_gap(f, a, b, t) for f in (parabola, double_well)}
for name, gap in gaps.items():
    print(f"{name:12s} smallest chord gap over 5000 segments x 21 positions: {gap.min():+.4f}")
assert gaps["parabola"].min() >= 0, "a parabola is convex: no chord dips below it"
assert gaps["double_well"].min() < -0.5, "the double well has chords far below its graph"

# %%
# No chord of the parabola dips below it (its gaps are ``t (1 - t) (a - b)^2``),
# while some chords of the double well pass well below the graph: one such
# segment is enough to prove that the double well is not convex.
#
# The curvature test
# ------------------
# For a twice-differentiable function, convexity is the same as a second
# derivative (a Hessian, in several variables) that is nowhere negative.
w = np.linspace(-2, 2, 401)
curvature_parabola = np.full_like(w, 2.0)
curvature_well = 12 * w**2 - 4
print(f"second derivative of the double well at 0: {curvature_well[200]:+.1f}")
assert curvature_parabola.min() > 0 and curvature_well[200] == -4.0

# %%
# At ``w = 0`` the double well curves downwards, another proof that it is not
# convex. Which random segment had the lowest chord, and where?
worst = np.unravel_index(np.argmin(gaps["double_well"]), gaps["double_well"].shape)
ends = sorted([a[worst[0], 0], b[worst[0], 0]])
print(f"worst segment: from {ends[0]:+.2f} to {ends[1]:+.2f}, deepest at t = {t[worst[1]]:.2f}")
assert ends[0] < -0.5 and ends[1] > 0.5, "the worst chord joins the two wells"

# %%
# The worst chord joins the two wells and dips deepest halfway, above the hump
# at 0. For a convex function that could not happen: with both ends at the
# minimum value, the function would have to stay at the minimum along the
# whole segment. The picture shows the chord between the two minima.
fig, ax = plt.subplots()
ax.plot(w, w**2, label="parabola $w^2$ (convex)")
ax.plot(w, (w**2 - 1) ** 2, label="double well $(w^2-1)^2$")
ax.plot([-1, 1], [0, 0], "o--", color="C2", label="chord between the two minima")
ax.set(xlabel="$w$", ylabel="$f(w)$", ylim=(-0.3, 3.0), title="The double well rises above its chord")
ax.legend(loc="upper center")
plt.show()

# %%
# Why convexity matters for training
# ----------------------------------
# If a convex function had a local minimum that were not global, the chord from
# it to a better point would lie below the function right next to the local
# minimum, contradicting that it is a minimum. So for a convex loss every local
# minimum is global and gradient descent cannot get stuck in a worse valley.
# The next examples run both tests on real losses, starting with
# :ref:`linear regression <sphx_glr_auto_examples_part1_convexity_plot_02_linear_regression_convex.py>`.
