"""
Logistic regression is convex with cross-entropy, not with squared error
========================================================================

The same network without hidden layer, on the same labels: with cross-entropy
every chord and curvature test passes; with squared error on the sigmoid
output a random search finds chords below the loss and negative curvature.
"""

# %%
# Two losses for one model
# ------------------------
# The prediction is ``sigmoid(w . x + b)``. Loss ``"binary_cross_entropy"`` is
# the usual logistic regression; ``"sigmoid_mse"`` is the squared error of the
# same sigmoid output. :class:`~mlp_symmetry.FlatLoss` builds both.
import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import use_style

use_style()

X, y = ms.logistic_regression_data(100, 2, rng=0)
losses = {name: ms.FlatLoss([2, 1], X, y, loss=name) for name in ("binary_cross_entropy", "sigmoid_mse")}

# %%
# The chord test
# --------------
# 5000 random segments each, end points with standard deviation 5, 21
# positions per segment, one vectorised call per loss.
searches = {}
for name, f in losses.items():
    searches[name] = ms.find_chord_violation(f, f.n_params, n_segments=5000, scale=5.0, rng=1)
    s = searches[name]
    print(f"{name:21s} violations: {s.n_violations:4d} / {s.n_segments}, worst relative gap {s.relative_gap:+.3e}")
assert not searches["binary_cross_entropy"].found
assert searches["sigmoid_mse"].found and searches["sigmoid_mse"].relative_gap < -0.1

# %%
# Cross-entropy passes on every segment. Squared error fails on many, and its
# worst chord lies below the loss by more than a tenth of the loss itself,
# some hundred million times the rounding tolerance.
#
# The curvature test
# ------------------
# The exact Hessian at 2000 random points. Cross-entropy's Hessian is
# ``X^T diag(p (1 - p)) X / N`` (with a column of ones for the bias), positive
# semi-definite by construction.
points = 5.0 * np.random.default_rng(2).standard_normal((2000, 3))
for name, f in losses.items():
    smallest, largest = ms.hessian_extreme_eigenvalues(f, points)
    relative = smallest / np.maximum(np.abs(smallest), np.abs(largest))
    k = np.argmin(relative)
    print(f"{name:21s} smallest eigenvalue {smallest[k]:+.3e} (relative to the largest in size: {relative[k]:+.3f})")
    if name == "binary_cross_entropy":
        assert relative.min() >= -1e-9, "positive semi-definite to rounding at every point"
    else:
        assert relative.min() < -0.5, "a clearly negative eigenvalue"

# %%
# Cross-entropy has no negative eigenvalue at any of the 2000 points.
# Squared error has points where the most negative eigenvalue is the largest
# one in size: there the loss curves downwards more strongly than upwards.
#
# Both losses along one weight
# ----------------------------
# Fix the other weight and the bias at the cross-entropy minimiser and vary the
# first weight. The cross-entropy curve is a convex bowl; the squared-error
# curve flattens out on both sides, bending downwards as it approaches its
# plateaus.
best = ms.flatten(ms.minimize([(np.zeros((1, 2)), np.zeros(1))], X, y, loss="binary_cross_entropy"))
w1 = np.linspace(-25, 25, 501)
line = np.tile(best, (w1.size, 1))
line[:, 0] = w1
curves = {name: f(line) for name, f in losses.items()}
second = {name: np.diff(c, 2) for name, c in curves.items()}
print(
    f"smallest second difference along the line: CE {second['binary_cross_entropy'].min():+.2e}, "
    f"squared error {second['sigmoid_mse'].min():+.2e}"
)
assert second["binary_cross_entropy"].min() > -1e-12 and second["sigmoid_mse"].min() < -1e-5

fig, ax = plt.subplots()
ax.plot(w1, curves["binary_cross_entropy"], color="C0", label="cross-entropy (left axis)")
ax.set(xlabel="first weight $w_1$", ylabel="cross-entropy", title="Only cross-entropy is a bowl along $w_1$")
ax_sq = ax.twinx()
ax_sq.plot(w1, curves["sigmoid_mse"], color="C1", label="squared error on the sigmoid (right axis)")
ax_sq.set_ylabel("squared error", color="C1")
ax_sq.grid(False)
ax_sq.spines["right"].set_visible(True)
ax.axvline(best[0], color="0.5", linestyle=":", label="cross-entropy minimiser")
handles = ax.get_legend_handles_labels()[0] + ax_sq.get_legend_handles_labels()[0]
fig.legend(handles=handles, loc="outside lower center", ncols=2)
plt.show()

# %%
# Along this one line the squared error already curves downwards (negative
# second differences), so it cannot be convex. Cross-entropy pairs with the
# sigmoid so that the curvature ``p (1 - p)`` never turns negative; squared
# error adds a term that does. The next example builds a data set on which a
# single sigmoid neuron with squared error has as many local minima as we like:
# :ref:`sphx_glr_auto_examples_part1_convexity_plot_04_auer_minima.py`.
