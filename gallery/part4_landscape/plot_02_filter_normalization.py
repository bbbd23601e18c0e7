"""
Filter normalization makes a plot of the loss blind to ReLU rescaling
=====================================================================

A ReLU network and a rescaled copy compute the same function, yet random planes
through them look different; with directions normalised unit by unit (Li et al.
2018) the two planes agree to rounding error.
"""

# %%
# A network and its rescaled copy
# -------------------------------
# A 64-32-32-10 ReLU network trained on the scikit-learn digits. Multiplying
# the first hidden layer's incoming weights and biases by 4 and the next
# layer's weights by 1/4 (:func:`~mlp_symmetry.rescale_units` with the same
# factor for every unit) changes the weights, not the function.
import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import SEQUENTIAL_CMAP, use_style

use_style()

X_train, _, y_train, _ = ms.load_digits_split(rng=0)
X, y = X_train[:500], y_train[:500]
sizes = [64, 32, 32, 10]
net = ms.train_adam(ms.init_params(sizes, rng=1, scale="he"), X_train, y_train, n_epochs=10, learning_rate=3e-3, rng=0)
scaled = ms.rescale_units(net, 0, np.full(32, 3.0), activation="relu")
same_outputs = np.max(np.abs(ms.forward(net, X, "relu") - ms.forward(scaled, X, "relu")))
norms = [np.linalg.norm(ms.flatten(p)) for p in (net, scaled)]
print(f"largest output difference {same_outputs:.1e}; weight norms {norms[0]:.1f} and {norms[1]:.1f}")
assert same_outputs < 1e-10 and norms[1] > 2 * norms[0]

# %%
# Same outputs, but the rescaled copy's weight vector is more than twice as
# long.
#
# Two planes through each
# -----------------------
# :func:`~mlp_symmetry.random_direction` draws the same Gaussian directions
# for both networks (same seeds) and scales them in two ways: to the norm of
# the whole weight vector ("model"), or each unit's incoming weights to the
# norm of that unit's incoming weights ("filter"). Each plane is one call of
# :func:`~mlp_symmetry.loss_plane` on a 31 x 31 grid.
coords = np.linspace(-0.75, 0.75, 31)
planes = {}
for norm in ("model", "filter"):
    planes[norm] = [
        ms.loss_plane(
            p, X, y, ms.random_direction(p, 1, normalization=norm), ms.random_direction(p, 2, normalization=norm),
            coords, coords, "relu", "softmax_cross_entropy",
        )
        for p in (net, scaled)
    ]  # fmt: skip
gap = {norm: np.max(np.abs(a - b)) / np.max(np.abs(a)) for norm, (a, b) in planes.items()}
print(f"largest relative difference between the two planes: model {gap['model']:.2f}, filter {gap['filter']:.1e}")
assert gap["model"] > 0.1 and gap["filter"] < 1e-12

# %%
# Scaled as a whole, the directions tell the two networks apart: the planes
# differ by a large fraction of the loss. Scaled unit by unit, they agree to
# about the precision of floating-point arithmetic. The reason is exact: with
# the same seed, the rescaled network's filter-normalised direction is the
# rescaled direction, and the loss does not see the rescaling.
fig, axes = plt.subplots(2, 2, figsize=(7.5, 6.6), sharex=True, sharey=True)
levels = np.linspace(0.0, 4.0, 17)
for row, norm in enumerate(("model", "filter")):
    for col, name in enumerate(("trained network", "rescaled copy")):
        ax = axes[row, col]
        filled = ax.contourf(coords, coords, np.minimum(planes[norm][col], 4.0), levels=levels, cmap=SEQUENTIAL_CMAP)
        ax.plot(0, 0, "w*", markersize=10)
        ax.set_title(f"{name}\n{norm} normalization", fontsize=10)
        ax.grid(False)
for ax in axes[1]:
    ax.set_xlabel("α (first direction)")
for ax in axes[:, 0]:
    ax.set_ylabel("β (second direction)")
fig.colorbar(filled, ax=axes, label="training loss (clipped at 4)")
fig.suptitle("Same function, different pictures, unless directions are filter-normalised")
plt.show()

# %%
# A limit of the method
# ---------------------
# Rescaling each unit by its *own* factor also leaves the function unchanged,
# but it scales single columns of the next layer's weights, which no row-wise
# normalization can follow. The filter-normalised planes then differ again:
unit_scaled = ms.rescale_units(net, 0, np.random.default_rng(5).uniform(0.25, 4.0, 32), activation="relu")
unit_plane = ms.loss_plane(
    unit_scaled, X, y, ms.random_direction(unit_scaled, 1), ms.random_direction(unit_scaled, 2),
    coords, coords, "relu", "softmax_cross_entropy",
)  # fmt: skip
unit_gap = np.max(np.abs(unit_plane - planes["filter"][0])) / np.max(np.abs(planes["filter"][0]))
print(f"largest relative difference for unit-by-unit factors: {unit_gap:.2f}")
assert unit_gap > 0.01

# %%
# Conclusion
# ----------
# Filter normalization removes the effect of rescaling a whole layer, the case
# Li et al. (2018) had in mind, exactly; for per-unit factors it only reduces
# it. Plots of "sharp" and "flat" minima should be read with this in mind.
# Next, aligning two networks by permuting their units:
# :ref:`sphx_glr_auto_examples_part4_landscape_plot_03_weight_matching.py`.
