"""
Averaged over sign flips and relabellings, a tanh network collapses to a constant
=================================================================================

Every tanh unit is negated in half of the sign flips, so the average of all
2^n n! copies of a network has no hidden weights left and predicts a constant.
Any network that beats the best constant therefore shows the loss is not convex.
"""

# %%
# A network better than any constant, without training
# ----------------------------------------------------
# Four tanh units with random incoming weights and biases; their outgoing
# weights and the output bias are the least-squares fit to the data, a linear
# problem. The best constant prediction is the mean of ``y``, with loss equal
# to the variance of ``y``.
import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import PALETTE, use_style

use_style()

X = np.random.default_rng(2).uniform(-2, 2, size=(100, 2))
y = np.tanh(X[:, 0] - X[:, 1]) + 0.5 * np.sin(2 * X[:, 1])
(W1, b1), _ = ms.init_params([2, 4, 1], rng=3, scale=1.0)
features = np.column_stack([np.tanh(X @ W1.T + b1), np.ones(len(X))])
coef = np.linalg.lstsq(features, y, rcond=None)[0]
net = [(W1, b1), (coef[None, :4], coef[4:])]
best_constant = np.var(y)
print(f"network: loss {ms.loss(net, X, y):.4f}; best constant: loss {best_constant:.4f}")
# sphinx_gallery_start_ignore
assert ms.loss(net, X, y) < 0.5 * best_constant
# sphinx_gallery_end_ignore

# %%
# The whole orbit and its centre
# ------------------------------
# :func:`~mlp_symmetry.sign_flip_orbit` lists all 2^4 * 4! = 384 copies; they
# all have the network's loss. Their average has zero incoming weights, biases
# and outgoing weights in the hidden layer: each unit appears negated in half of
# the copies. The output bias is the same in every copy, so the average network
# outputs that bias for every input.
orbit = ms.sign_flip_orbit(net, 0)
centre = ms.unflatten(np.mean(ms.flatten(orbit), axis=0), [2, 4, 1])
hidden = np.concatenate([centre[0].W.ravel(), centre[0].b, centre[1].W.ravel()])
print(f"{len(ms.flatten(orbit))} copies, losses spread by {np.ptp(ms.loss(orbit, X, y)):.1e}")
print(f"largest hidden weight of the average: {np.abs(hidden).max():.1e}; output bias {centre[1].b[0]:.4f}")
# sphinx_gallery_start_ignore
assert len(ms.flatten(orbit)) == 2**4 * 24 == ms.symmetry_group_order([2, 4, 1], "tanh").order
assert np.ptp(ms.loss(orbit, X, y)) < 1e-13 and np.abs(hidden).max() < 1e-15
assert np.ptp(ms.forward(centre, X)) < 1e-15, "a constant function"
# sphinx_gallery_end_ignore

# %%
# Relabellings alone average every unit to the mean unit
# (:func:`~mlp_symmetry.orbit_average`): one effective unit is left. With the
# sign flips too, nothing is left.
losses = {
    "the network": ms.loss(net, X, y),
    "average over\nrelabellings": ms.loss(ms.orbit_average(net, 0), X, y),
    "average over\nflips and relabellings": ms.loss(centre, X, y),
    "best constant": best_constant,
}
for name, value in losses.items():
    print(f"{name.replace(chr(10), ' '):38s} {value:.4f}")
# sphinx_gallery_start_ignore
assert losses["average over\nflips and relabellings"] >= best_constant > losses["the network"]
# sphinx_gallery_end_ignore

fig, ax = plt.subplots()
ax.bar(list(losses), list(losses.values()), color=[PALETTE[0], PALETTE[2], PALETTE[1], "0.6"])
ax.set(ylabel="training loss (MSE)")
ax.set_title("All copies have the first loss, their average the third")
plt.show()

# %%
# Conclusion
# ----------
# If the loss were convex, the average of points with equal loss could not be
# worse than they are (Jensen's inequality). For a layer of tanh units the
# average of the whole orbit always predicts a constant, so any tanh network
# that beats the best constant proves the loss is not convex; it need not be a
# minimum. The page :doc:`/part2/twin_minima` makes the same argument with
# relabellings alone, at a certified minimum, where the average keeps one
# effective unit. Next, the points where two units coincide:
# :ref:`sphx_glr_auto_examples_part2_symmetry_plot_07_permutation_points.py`.
