"""
The bad level of XOR: two inputs the network can no longer tell apart
=====================================================================

Two starts of the classic 2-2-1 tanh network on XOR, one that ends at zero loss
and one that ends at 0.5. The second has saturated both hidden units on one
side of the square, so two inputs with opposite targets look identical to it.
"""

# %%
# Two starts, two levels
# ----------------------
# The data are the four XOR points with targets +-1; the network has biases,
# tanh hidden units, a linear output and the mean squared error.
# :func:`~mlp_symmetry.train` runs plain gradient descent (learning rate 0.2,
# 2000 steps) from two starts drawn by :func:`~mlp_symmetry.init_params`. We
# picked seed 40 because its run ends on the upper level; the page
# :doc:`/part3/which_valley` measures how often that happens.
import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import DIVERGING_CMAP, use_style

use_style()
X = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
y = np.array([-1.0, 1.0, 1.0, -1.0])
nets, runs = {}, {}
for name, seed in (("zero loss", 0), ("loss 0.5", 40)):
    start = tuple(ms.Layer(W[None], b[None]) for W, b in ms.init_params([2, 2, 1], rng=seed))
    run = ms.train(start, X, y, "tanh", learning_rate=0.2, n_steps=2000)
    nets[name], runs[name] = tuple(ms.Layer(W[0], b[0]) for W, b in run.params), run.losses[:, 0]
    print(f"seed {seed}: loss {run.losses[0, 0]:.3f} -> {run.losses[-1, 0]:.6f}")
    print("    outputs on the four points:", np.round(ms.forward(nets[name], X)[:, 0], 3))
# sphinx_gallery_start_ignore
outputs = ms.forward(nets["loss 0.5"], X)[:, 0]
fitted = np.abs(outputs - y) < 0.01
assert ms.loss(nets["zero loss"], X, y) < 1e-6 and abs(ms.loss(nets["loss 0.5"], X, y) - 0.5) < 1e-3
assert np.array_equal(fitted, X[:, 0] == -1) and np.all(np.abs(outputs[~fitted]) < 0.01), "two fitted, two at 0"
# sphinx_gallery_end_ignore

# %%
# The second network fits the two points on the left of the square, (-1, -1)
# and (-1, 1), and outputs almost exactly 0 on the two on the right, whose
# targets are +1 and -1. Two squared
# errors of 1 over four points make the loss 0.5. Its output over the whole
# plane shows the difference:
grid = np.linspace(-1.5, 1.5, 121)
plane = np.stack(np.meshgrid(grid, grid), axis=-1).reshape(-1, 2)
fig, axes = plt.subplots(1, 2, figsize=(9, 4), sharey=True)
for ax, (name, net) in zip(axes, nets.items(), strict=True):
    surface = ms.forward(net, plane)[:, 0].reshape(grid.size, grid.size)
    image = ax.imshow(surface, origin="lower", extent=(-1.5, 1.5, -1.5, 1.5), cmap=DIVERGING_CMAP, vmin=-1.5, vmax=1.5)
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap=DIVERGING_CMAP, vmin=-1.5, vmax=1.5, s=90, edgecolors="k")
    ax.set(title=f"network at {name}", xlabel="input 1", xticks=[-1, 0, 1], yticks=[-1, 0, 1])
axes[0].set_ylabel("input 2")
_ = fig.colorbar(image, ax=axes, label="network output (dots: targets)")

# %%
# Why it stays there
# ------------------
# On the right side of the square, the inputs (1, -1) and (1, 1), both hidden
# units are saturated at the same value. The hidden layer gives the two points
# the same representation, so the output must be the same for both, and the
# best common value for targets +1 and -1 is their mean, 0.
W1, b1 = nets["loss 0.5"][0]
hidden = np.tanh(X @ W1.T + b1)
print("hidden activations (rows: points, columns: units):")
print(np.round(hidden, 4))
right = X[:, 0] == 1
gap = np.abs(hidden[right][0] - hidden[right][1]).max()
slope = (1 - hidden[right] ** 2).max()
print(f"largest difference between the two points on the right: {gap:.1e}")
print(f"largest tanh derivative there: {slope:.1e}")
# sphinx_gallery_start_ignore
assert np.all(np.abs(hidden[right]) > 0.99) and gap < 0.01, "saturated, and the same for both points"
assert slope < 0.02, "almost no gradient flows through the saturated units"
# sphinx_gallery_end_ignore

# %%
# To tell the two points apart, a hidden unit would have to leave saturation,
# but the gradient reaching its incoming weights is multiplied by the tanh
# derivative, at most the value printed above. Gradient descent still goes
# downhill, but by very little:
last = runs["loss 0.5"]
print(f"loss decrease over the last 1000 of 2000 steps: {last[-1001] - last[-1]:.1e}")
# sphinx_gallery_start_ignore
assert 0 < last[-1001] - last[-1] < 1e-3, "still downhill, slowly"
assert all(np.all(np.diff(losses) <= 1e-15) for losses in runs.values()), "both runs went downhill at every step"
assert np.sum(np.abs(hidden) > 0.99) == 4, "half of the eight hidden activations are saturated"
# sphinx_gallery_end_ignore

# %%
# Conclusion
# ----------
# The start decided the level: both runs went downhill all the way, but one
# ended with half of its hidden activations saturated, where the gradient
# that could undo this is tiny. The page :doc:`/part3/which_valley` trains
# hundreds of starts, certifies every end point with the exact Hessian and
# follows the upper ones further; the
# :ref:`teacher-student example <sphx_glr_auto_examples_part3_stuck_plot_02_spurious_minima.py>`
# shows a genuine strict local minimum instead.
