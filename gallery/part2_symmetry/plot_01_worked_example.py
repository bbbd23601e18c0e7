"""
Swapping two hidden units gives a different weight vector and the same function
===============================================================================

The network of the classic worked example, with two inputs and two tanh hidden
units, and its copy with the hidden units swapped compute identical outputs
over the whole input plane, with and without biases.
"""

# %%
# The two networks
# ----------------
# Row ``i`` of ``W1`` holds the incoming weights of hidden unit ``i`` and column
# ``i`` of ``W2`` its outgoing weight (the layout of :mod:`mlp_symmetry.network`).
# Swapping the units swaps the rows of ``W1`` and the columns of ``W2``;
# :func:`~mlp_symmetry.permute_hidden_units` does exactly that.
import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import DIVERGING_CMAP, SEQUENTIAL_CMAP, use_style

use_style()

W1 = np.array([[-1.5, 2.0], [1.7, 0.4]])
W2 = np.array([[2.3, 0.8]])
net = [(W1, None), (W2, None)]
swapped = ms.permute_hidden_units(net, 0, [1, 0])
print("W1' =", swapped[0].W.tolist(), "  W2' =", swapped[1].W.tolist())
assert np.array_equal(swapped[0].W, [[1.7, 0.4], [-1.5, 2.0]])
assert np.array_equal(swapped[1].W, [[0.8, 2.3]])
distance = np.linalg.norm(ms.flatten(net) - ms.flatten(swapped))
print(f"distance between the two weight vectors: {distance:.3f}")
assert distance > 1

# %%
# ``W1'`` and ``W2'`` are exactly the swapped matrices of the worked example,
# and the two weight vectors are far apart. Now the same comparison with biases:
# the hidden biases travel with their units, the output bias stays.
b1, b2 = np.array([0.5, -1.0]), np.array([0.2])
net_b = [(W1, b1), (W2, b2)]
swapped_b = ms.permute_hidden_units(net_b, 0, [1, 0])
print("b1' =", swapped_b[0].b.tolist(), "  b2' =", swapped_b[1].b.tolist())
assert np.array_equal(swapped_b[0].b, [-1.0, 0.5]) and np.array_equal(swapped_b[1].b, b2)

# %%
# Outputs on a dense grid and on random inputs
# ---------------------------------------------
# A 201 x 201 grid over the square [-3, 3]^2, plus 20,000 random inputs drawn
# from a wide Gaussian, for every activation the package knows.
grid = np.linspace(-3, 3, 201)
G1, G2 = np.meshgrid(grid, grid)
X_grid = np.column_stack([G1.ravel(), G2.ravel()])
X_random = np.random.default_rng(0).normal(scale=5.0, size=(20_000, 2))
largest = 0.0
for activation in ("tanh", "relu", "sigmoid", "identity"):
    for a, b in ((net, swapped), (net_b, swapped_b)):
        for X in (X_grid, X_random):
            gap = np.max(np.abs(ms.forward(a, X, activation) - ms.forward(b, X, activation)))
            largest = max(largest, gap)
print(
    f"largest output difference over 4 activations x 2 networks x {len(X_grid) + len(X_random)} inputs: {largest:.1e}"
)
assert largest <= 1e-12

# %%
# The largest difference is at the level of rounding: the two networks add the
# same products, only in another order inside the matrix products, which can
# change the last bits. In exact arithmetic the outputs are equal. The pictures
# show it for tanh; the colour scale of the difference panels spans only
# +-1e-12.
fig, axes = plt.subplots(2, 3, figsize=(9.6, 6.0), sharex=True, sharey=True)
for row, (a, b, label) in enumerate(((net, swapped, "no biases"), (net_b, swapped_b, "with biases"))):
    out_a = ms.forward(a, X_grid)[:, 0].reshape(G1.shape)
    out_b = ms.forward(b, X_grid)[:, 0].reshape(G1.shape)
    limit = np.max(np.abs(out_a))
    for ax, surface, title in ((axes[row, 0], out_a, "original"), (axes[row, 1], out_b, "units swapped")):
        image = ax.pcolormesh(G1, G2, surface, cmap=SEQUENTIAL_CMAP, vmin=-limit, vmax=limit, shading="auto")
        ax.contour(G1, G2, surface, levels=8, colors="white", linewidths=0.6)
        ax.set_title(f"{title}, {label}", fontsize=10)
        ax.grid(False)
    fig.colorbar(image, ax=axes[row, :2], label="network output", shrink=0.9)
    ax_diff = axes[row, 2]
    image = ax_diff.pcolormesh(G1, G2, out_a - out_b, cmap=DIVERGING_CMAP, vmin=-1e-12, vmax=1e-12, shading="auto")
    ax_diff.set_title(f"difference, {label}", fontsize=10)
    ax_diff.grid(False)
    fig.colorbar(image, ax=ax_diff, label="output difference", shrink=0.9)
for ax in axes[1]:
    ax.set_xlabel("input $x_1$")
for ax in axes[:, 0]:
    ax.set_ylabel("input $x_2$")
fig.suptitle("Swapping the hidden units leaves the output surface unchanged", fontweight="bold")
plt.show()

# %%
# Conclusion
# ----------
# The two weight vectors differ, the functions do not. Whatever the training
# data, the two networks have the same loss, so if one is a minimum so is the
# other. A convex function cannot have two separate minimisers with anything
# but minimisers between them; the next examples count these copies and look at
# what lies between them. Continue with
# :ref:`sphx_glr_auto_examples_part2_symmetry_plot_02_permutation_orbit.py`.
