"""
The average of a minimum's twins is no better than a one-unit network
=====================================================================

Averaging a trained layer over all relabellings gives every hidden unit the
same weights. That network computes what one hidden unit computes, so its loss
is at least the best one-unit loss, far above the minimum it came from.
"""

# %%
# The minimum and the centre of its orbit
# ---------------------------------------
# The same data and trained network as in the previous example.
# :func:`~mlp_symmetry.orbit_average` returns the mean of all ``n!``
# relabellings in closed form: every incoming row, bias and outgoing weight
# replaced by its mean over the units.
import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import PALETTE, use_style

use_style()

rng = np.random.default_rng(0)
X = rng.normal(size=(50, 2))
y = np.exp(-0.5 * np.sum(X**2, axis=1))
net = ms.minimize(ms.init_params([2, 3, 1], rng=0), X, y)
assert ms.classify_critical_point(net, X, y).kind == "minimum"
average = ms.orbit_average(net, 0)
orbit_mean = np.mean(ms.flatten(ms.permutation_orbit(net, 0)), axis=0)
assert np.allclose(ms.flatten(average), orbit_mean, rtol=0, atol=1e-14)
assert np.allclose(average[0].W, average[0].W[0]) and np.allclose(average[0].b, average[0].b[0])

# %%
# Three identical units are one unit. Merging them with
# :func:`~mlp_symmetry.merge_units` (which adds up their outgoing weights)
# gives a one-unit network with exactly the same outputs.
one_unit = ms.merge_units(ms.merge_units(average, 0, 0, 2), 0, 0, 1)
print("widths after merging:", ms.layer_sizes(one_unit))
assert np.allclose(ms.forward(one_unit, X), ms.forward(average, X), rtol=0, atol=1e-13)

# %%
# The best one-unit network
# -------------------------
# Its loss can therefore not beat the best network with one hidden unit. We
# train one-unit networks from eight random starts and keep the best.
one_unit_losses = np.array([ms.loss(ms.minimize(ms.init_params([2, 1, 1], rng=seed), X, y), X, y) for seed in range(8)])
best_one_unit = one_unit_losses.min()
loss_min, loss_average = ms.loss(net, X, y), ms.loss(average, X, y)
print(f"minimum (3 units):        {loss_min:.5f}")
print(
    f"best of 8 one-unit runs:  {best_one_unit:.5f} (reached by {np.sum(one_unit_losses < best_one_unit + 1e-9)} runs)"
)
print(f"orbit average:            {loss_average:.5f}")
print(f"ratios to the minimum: {best_one_unit / loss_min:.0f} and {loss_average / loss_min:.0f}")
assert loss_average >= best_one_unit > loss_min
assert 50 < best_one_unit / loss_min < 200 and loss_average > 1000 * loss_min

# %%
# The order is as predicted: orbit average above the best one-unit network,
# which is about a hundred times worse than the three-unit minimum. Along
# the segments of the previous example the loss went from the minimum up
# towards this region; the centre of the orbit is worse still.
#
# A cut along the first input shows why: with one effective unit the
# network can only draw a single sigmoid-like step, not a bump.
x_line = np.column_stack([np.linspace(-3, 3, 201), np.zeros(201)])
best_net = ms.minimize(ms.init_params([2, 1, 1], rng=int(np.argmin(one_unit_losses))), X, y)
fig, (ax, ax_bar) = plt.subplots(1, 2, figsize=(9.6, 3.8), width_ratios=[1.6, 1])
ax.plot(x_line[:, 0], np.exp(-0.5 * x_line[:, 0] ** 2), color="0.5", lw=4, alpha=0.5, label="target")
for params, label, colour in (
    (net, "minimum, 3 units", PALETTE[0]),
    (best_net, "best one-unit network", PALETTE[2]),
    (average, "orbit average", PALETTE[1]),
):
    ax.plot(x_line[:, 0], ms.forward(params, x_line)[:, 0], color=colour, label=label)
ax.set(xlabel="input $x_1$ (with $x_2 = 0$)", ylabel="output")
ax.set_title("The averaged network has one effective unit")
ax.legend(fontsize=9)
names = ["minimum", "best\none unit", "orbit\naverage"]
ax_bar.bar(names, [loss_min, best_one_unit, loss_average], color=[PALETTE[0], PALETTE[2], PALETTE[1]])
ax_bar.set_yscale("log")
ax_bar.set(ylabel="training loss (log scale)")
ax_bar.set_title("Loss at the centre of the orbit")
plt.show()

# %%
# Conclusion
# ----------
# If the loss were convex, the average of equally good minima would be at least
# as good as each of them. Here it is more than a thousand times worse, because
# averaging over the relabellings erases the differences between the units. In
# general this argument needs only that the best one-unit network is worse
# than the best wider one. Next: the points where two units meet,
# :ref:`sphx_glr_auto_examples_part2_symmetry_plot_07_permutation_points.py`.
