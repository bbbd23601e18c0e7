"""
Eight equivalent minima, each in its own valley
===============================================

A network with one input and two tanh hidden units has 2^2 * 2! = 8 copies of
every minimum. In the plane of the two incoming weights, with the outgoing
weights fitted exactly, all eight sit in separate valleys divided by ridges.
"""

# %%
# A minimum and its orbit
# -----------------------
# One input, two tanh hidden units, one output, no biases: four weights. The
# target is made by two tanh units plus noise.
# :func:`~mlp_symmetry.sign_flip_orbit` lists the eight sign flips and
# relabellings of the trained network.
import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import SEQUENTIAL_CMAP, use_style

use_style()

rng = np.random.default_rng(0)
X = np.linspace(-3, 3, 41)[:, None]
y = 1.5 * np.tanh(3 * X[:, 0]) - np.tanh(X[:, 0]) + 0.1 * rng.normal(size=41)
sizes = [1, 2, 1]
net = ms.minimize(ms.init_params(sizes, rng=0, bias=False, scale=1.0), X, y)
verdict = ms.classify_critical_point(net, X, y)
orbit = ms.sign_flip_orbit(net, 0)
w_orbit = orbit[0].W[:, :, 0]
print(f"{verdict.kind}, loss {verdict.loss:.5f}; incoming weights {net[0].W[:, 0].round(3)}")
print(f"{len(w_orbit)} members, losses spread by {np.ptp(ms.loss(orbit, X, y)):.1e}")
assert verdict.kind == "minimum" and len(np.unique(w_orbit, axis=0)) == 8
assert np.ptp(ms.loss(orbit, X, y)) < 1e-14

# %%
# The landscape on the plane of incoming weights
# ----------------------------------------------
# For fixed incoming weights ``(w_1, w_2)`` the output is linear in the outgoing
# weights, so the best outgoing weights solve a 2 x 2 least-squares problem.
# We solve all of them on a 201 x 201 grid at once, assemble the flat weight
# vectors and evaluate the loss of all 40,401 networks in one call through
# :func:`~mlp_symmetry.unflatten`. Each grid point shows the lowest loss that
# any choice of outgoing weights reaches there.
grid = np.linspace(-5, 5, 201)
W_a, W_b = np.meshgrid(grid, grid)
incoming = np.stack([W_a, W_b], axis=-1)
features = np.tanh(X[:, 0, None] * incoming[..., None, :])
gram = np.swapaxes(features, -1, -2) @ features + 1e-12 * np.eye(2)
outgoing = np.linalg.solve(gram, (np.swapaxes(features, -1, -2) @ y)[..., None])[..., 0]
landscape = ms.loss(ms.unflatten(np.concatenate([incoming, outgoing], axis=-1), sizes, bias=False), X, y)
nearest = np.abs(grid[:, None] - w_orbit[:, 0]).argmin(axis=0), np.abs(grid[:, None] - w_orbit[:, 1]).argmin(axis=0)
ridges = {
    "diagonals": min(np.diag(landscape).min(), np.diag(landscape[::-1]).min()),
    "axes": min(landscape[100].min(), landscape[:, 100].min()),
}
print(f"lowest loss on the grid {landscape.min():.5f}, nearest the orbit {landscape[nearest[1], nearest[0]].max():.5f}")
print(f"lowest loss on the diagonals {ridges['diagonals']:.4f}, on the axes {ridges['axes']:.4f}")
assert grid[100] == 0.0 and min(ridges.values()) > 4 * verdict.loss
assert landscape.min() >= verdict.loss - 1e-12
assert np.all(landscape[nearest[1], nearest[0]] < 2 * verdict.loss)

# %%
# No grid point beats the trained minimum, and the grid points nearest the
# eight members come within a factor two of it. On the diagonals and the axes
# the loss stays more than four times above the minimum (one unit acting alone
# does no better there): these lines
# are ridges.
fig, ax = plt.subplots(figsize=(6.4, 5.6))
image = ax.pcolormesh(W_a, W_b, np.log10(landscape), cmap=SEQUENTIAL_CMAP, shading="auto")
ax.plot(
    w_orbit[:, 0],
    w_orbit[:, 1],
    "*",
    color="#E69F00",
    markersize=15,
    markeredgecolor="black",
    label="the 8 copies of the minimum",
)
ax.plot(
    *net[0].W[:, 0], "o", color="white", markersize=18, fillstyle="none", markeredgewidth=2, label="the network trained"
)
ax.plot([-5, 5], [-5, 5], ":", color="white", lw=1, label="units coincide ($w_1 = \\pm w_2$)")
ax.plot([-5, 5], [5, -5], ":", color="white", lw=1)
ax.set_aspect("equal")
ax.grid(False)
ax.set(xlabel="incoming weight of unit 1, $w_1$", ylabel="incoming weight of unit 2, $w_2$")
ax.set_title("One minimum, eight copies, eight valleys")
fig.colorbar(image, ax=ax, label="log10 of the lowest loss (outgoing weights fitted)", shrink=0.85)
ax.legend(
    loc="upper center",
    bbox_to_anchor=(0.5, -0.12),
    ncol=2,
    fontsize=9,
    frameon=True,
    facecolor="0.35",
    labelcolor="white",
)
plt.show()

# %%
# Swapping the units reflects the picture in the diagonal ``w_1 = w_2``;
# flipping a unit's sign reflects it in an axis. Together these eight
# reflections and rotations map each valley onto every other one, so the
# landscape has the symmetry of a square. Along the diagonals the two units
# coincide and act as one, along the axes one unit is switched off: those are
# the ridges the straight lines between copies must cross.
#
# Conclusion
# ----------
# The copies are not a curiosity of one direction in weight space: each one
# owns a basin, and a run of gradient descent picks one of them according to
# where it starts. Which basin does not matter here, since they are all equally
# good; whether training can also end in a *worse* basin is the question of
# Part III.
