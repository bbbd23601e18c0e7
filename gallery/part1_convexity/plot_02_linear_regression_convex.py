"""
A repeated input makes linear regression convex but not strictly: a valley floor of minimisers
==============================================================================================

Give linear regression the same input column twice. Its Hessian gets a zero
eigenvalue, and the minimisers form a whole line of equally good weights with
no hump between them: many minima, and still a convex loss.
"""

# %%
# The first input, twice
# ----------------------
# The data of the linear-regression page, with the first column of ``X``
# appended again. Weights ``(w1, w2, w3)`` and ``(w1 + s, w2, w3 - s)`` make the
# same predictions for every ``s``, so the loss cannot tell them apart.
import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import use_style

use_style()

X, y = ms.linear_regression_data(100, 2, rng=0)
X3 = np.column_stack([X, X[:, 0]])
f = ms.FlatLoss([3, 1], X3, y, loss="mse")
eigenvalues, eigenvectors = np.linalg.eigh(f.hessian(np.zeros(f.n_params)))
print("Hessian eigenvalues:", np.array2string(eigenvalues, precision=4))
flat = np.array([1.0, 0.0, -1.0, 0.0]) / np.sqrt(2)  # (w1, w2, w3, bias)
# sphinx_gallery_start_ignore
assert abs(eigenvalues[0]) < 1e-12 * eigenvalues[-1], "positive semi-definite, with a zero eigenvalue"
assert eigenvalues[1] > 0.1, "only one"
assert abs(eigenvectors[:, 0] @ flat) > 1 - 1e-12, "its direction is (1, 0, -1, 0)"
# sphinx_gallery_end_ignore

# %%
# The Hessian is still positive semi-definite, so the loss is still convex,
# but one eigenvalue is zero to rounding, with eigenvector ``(1, 0, -1, 0)``:
# the loss does not curve at all in that direction.
#
# A line of minimisers
# --------------------
# Least squares gives one minimiser; moving along the flat direction gives
# others, with the same predictions and the same loss.
design = np.column_stack([X3, np.ones(len(y))])
best = np.linalg.lstsq(design, y, rcond=None)[0]
s = np.linspace(-3, 3, 61)
valley = best + s[:, None] * flat
across = best + s[:, None] * eigenvectors[:, -1]
loss_valley, loss_across = f(valley), f(across)
print(f"loss along the valley floor: from {loss_valley.min():.12f} to {loss_valley.max():.12f}")
print(f"largest gradient norm there: {np.linalg.norm(f.gradient(valley), axis=1).max():.1e}")
# sphinx_gallery_start_ignore
assert np.ptp(loss_valley) < 1e-12 * loss_valley.min(), "the same loss along the whole line"
assert np.linalg.norm(f.gradient(valley), axis=1).max() < 1e-10, "every point of the line is a minimiser"
assert np.allclose(design @ valley.T, (design @ best)[:, None], rtol=0, atol=1e-12), "the same predictions"
# sphinx_gallery_end_ignore

# %%
# Every point of the line is a minimiser: the gradient vanishes to rounding
# and the loss does not change. Across the valley, along the eigenvector of the
# largest eigenvalue, the loss is a parabola.
fig, ax = plt.subplots()
ax.plot(s, loss_across, label="across the valley (largest curvature)")
ax.plot(s, loss_valley, label="along the valley floor (zero curvature)")
ax.set(
    xlabel="distance $s$ from the least-squares solution",
    ylabel="training loss (MSE)",
    title="A line of minimisers, no hump between them",
)
ax.legend(loc="upper center")
plt.show()

# %%
# Many minimisers do not contradict convexity: a convex loss can have a whole
# convex set of them, and then the loss is constant on the segment between any
# two. What convexity rules out is two minima with a hump between them, which
# is what the hidden units of a network produce (:ref:`gallery_part2`). The next
# example turns to logistic regression, where the choice of loss decides:
# :ref:`sphx_glr_auto_examples_part1_convexity_plot_03_logistic_losses.py`.
