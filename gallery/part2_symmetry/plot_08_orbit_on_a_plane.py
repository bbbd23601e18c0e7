"""
Eight copies of a minimum; every path between two of them climbs to the one-unit loss
=====================================================================================

A network with one input and two tanh hidden units has eight copies of a
minimum (2^2 sign patterns times 2! orders). In the plane of the two incoming weights they sit in eight
sectors, and any path between two copies, straight or curved, must cross a
line where the network acts as if it had a single unit.
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
print(f"lowest loss on the grid {landscape.min():.5f}, nearest the orbit {landscape[nearest[1], nearest[0]].max():.5f}")
assert landscape.min() >= verdict.loss - 1e-12
assert np.all(landscape[nearest[1], nearest[0]] < 2 * verdict.loss)
for reflected in (landscape.T, landscape[::-1], landscape[:, ::-1]):
    assert np.allclose(reflected, landscape, rtol=1e-8, atol=1e-12), "the symmetry of a square"

# %%
# No grid point beats the trained minimum, and the grid points nearest the
# eight members come within a factor two of it. The landscape is unchanged by
# reflection in the diagonal (swapping the units) and in the axes (flipping a
# unit's sign): the eight reflections and rotations of a square.
#
# A floor under every path
# ------------------------
# The axes and the two diagonals cut the plane into eight sectors, and each
# copy lies in its own. On those four lines the network is a one-unit network
# in disguise: on an axis one unit has ``tanh(0 x) = 0``, on a diagonal the two
# units have equal or opposite features. So the landscape there is never below
# the best one-unit loss ``L1``. We find ``L1`` by fitting the outgoing weight
# of a single unit for each incoming weight on a fine grid from -60 to 60 and
# polishing the best with :func:`~mlp_symmetry.minimize`; at both ends of the
# grid, where ``tanh(w x)`` is already close to the sign of ``x``, the fit is
# still clearly worse.
sector = np.floor(np.arctan2(w_orbit[:, 1], w_orbit[:, 0]) / (np.pi / 4)) % 8
w = np.linspace(-60, 60, 24001)
features_1 = np.tanh(X[:, 0] * w[:, None])
v_1 = features_1 @ y / np.maximum(np.sum(features_1**2, axis=1), 1e-300)
one_fit = np.mean((features_1 * v_1[:, None] - y) ** 2, axis=1)
k = np.argmin(one_fit)
best_one_unit = ms.loss(ms.minimize([(np.array([[w[k]]]), None), (np.array([[v_1[k]]]), None)], X, y), X, y)
lines = np.concatenate([np.diag(landscape), np.diag(landscape[::-1]), landscape[100], landscape[:, 100]])
print(f"sectors of the eight copies: {sorted(sector.astype(int).tolist())}")
print(f"best one-unit loss L1 = {best_one_unit:.5f}; lowest on the four lines {lines.min():.5f}")
assert len(set(sector)) == 8 and grid[100] == 0.0
assert best_one_unit <= one_fit.min() + 1e-12 and min(one_fit[0], one_fit[-1]) > best_one_unit + 1e-4
assert lines.min() >= best_one_unit - 1e-9 and best_one_unit > 4 * verdict.loss

# %%
# Take any path in the full four-dimensional weight space from one copy to
# another. Its shadow in this plane runs from one sector to another, so it
# crosses one of the four lines; at that moment the loss is at least the
# landscape value there, and so at least ``L1``, more than four times the loss
# of the minimum. The straight segments of :doc:`/part2/twin_minima` are one
# kind of path; this bound holds for all of them, curved ones included.
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
ax.plot([-5, 5], [-5, 5], ":", color="white", lw=1.2, label="one effective unit ($w_1 = \\pm w_2$ or $w_i = 0$)")
ax.plot([-5, 5], [5, -5], ":", color="white", lw=1.2)
ax.axhline(0, color="white", ls=":", lw=1.2)
ax.axvline(0, color="white", ls=":", lw=1.2)
ax.set_aspect("equal")
ax.grid(False)
ax.set(xlabel="incoming weight of unit 1, $w_1$", ylabel="incoming weight of unit 2, $w_2$")
ax.set_title("One minimum, eight copies, eight sectors")
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
# Conclusion
# ----------
# Each copy of the minimum has its own sector of this plane, and no path
# between two copies, however it bends through the outgoing weights, avoids a
# loss of at least the best one-unit loss. Which copy a run of training reaches
# does not matter, since they are all equally good; whether training can also
# end somewhere *worse* is the question of Part III.
