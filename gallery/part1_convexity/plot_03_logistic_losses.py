"""
Logistic regression started on a plateau: cross-entropy recovers, squared error crawls
=======================================================================================

Plain gradient descent from the same starts, with the same step size and
number of steps, on the two losses of a logistic unit: every cross-entropy run
reaches the minimum; squared-error runs that start far out are still well
above theirs at the end.
"""

# %%
# Starts far out along the first weight
# -------------------------------------
# The data of the logistic-regression page. The starts differ only in the
# first weight ``w1``; the other weight and the bias start at 0. Far out, the
# sigmoid saturates for most samples, and the squared error flattens out.
import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import use_style

use_style()

X, y = ms.logistic_regression_data(100, 2, rng=0)
losses = {name: ms.FlatLoss([2, 1], X, y, loss=name) for name in ("binary_cross_entropy", "sigmoid_mse")}
w1 = np.array([-20.0, -10.0, 0.0, 10.0, 20.0])
starts = np.column_stack([w1, np.zeros((w1.size, 2))])

# A reference: the minimum that a trust-region Newton method reaches from 0.
minimiser = {name: ms.flatten(ms.minimize([(np.zeros((1, 2)), np.zeros(1))], X, y, loss=name)) for name in losses}
lowest = {name: float(f(minimiser[name])) for name, f in losses.items()}
runs = {}
for name, f in losses.items():
    runs[name] = ms.gradient_descent(lambda theta, f=f: (f(theta), f.gradient(theta)), starts, learning_rate=1.0)
    r = runs[name]
    print(f"{name}: reference minimum {lowest[name]:.4f}")
    for k in range(w1.size):
        print(
            f"  start w1 = {w1[k]:+5.0f}: gradient norm {r.grad_norms[0, k]:.4f} at the start, "
            f"loss {r.losses[-1, k]:.4f} after {r.losses.shape[0] - 1} steps"
        )

# %%
# Every cross-entropy run ends at the reference minimum, which for a convex
# loss is the global one. The squared-error run from ``w1 = 0`` ends at its
# reference minimum too, but the runs that start far out begin with gradients
# at least five times smaller than the one from the origin, and after the same
# number of steps they are still well above it. They are not at a minimum:
# their gradient is small but not zero, and their loss is still falling at the
# last step. They crawl across a plateau.

# sphinx_gallery_start_ignore
excess = {name: runs[name].losses[-1] - lowest[name] for name in losses}
far = np.abs(w1) >= 10
assert np.all(excess["binary_cross_entropy"] < 1e-8), "cross-entropy: every run reaches the minimum"
assert excess["sigmoid_mse"][w1 == 0] < 1e-8, "squared error from the origin: the minimum too"
assert np.all(excess["sigmoid_mse"][far] > 0.02), "squared error from far out: still well above it"
assert np.all(runs["sigmoid_mse"].grad_norms[0, far] < 0.2 * runs["sigmoid_mse"].grad_norms[0, w1 == 0])
crawl = runs["sigmoid_mse"]
assert np.all(crawl.grad_norms[-1, far] > 1e-4) and np.all(np.diff(crawl.losses[-2:, far], axis=0) < 0), "still moving"
# sphinx_gallery_end_ignore

fig, axes = plt.subplots(1, 2, figsize=(9.0, 3.6), sharey=True)
steps = np.arange(runs["sigmoid_mse"].losses.shape[0])
for ax, name, title in zip(axes, losses, ("cross-entropy", "squared error on the sigmoid"), strict=True):
    for k in range(w1.size):
        gap = np.maximum(runs[name].losses[:, k] - lowest[name], 1e-16)
        ax.plot(steps + 1, gap, label=f"start $w_1 = {w1[k]:.0f}$")
    ax.set(xscale="log", yscale="log", xlabel="step + 1", title=title)
axes[0].set_ylabel("loss above the reference minimum")
axes[1].legend(loc="lower left", fontsize="small")
plt.show()

# %%
# The curves of the far squared-error starts flatten out well above zero,
# while every cross-entropy curve drops below ``1e-8``. A loss that stays
# bounded, as the squared error of a probability does, cannot keep a slope
# above any fixed positive value along a ray, or it would grow without bound:
# far from its minimum it must flatten out. Cross-entropy grows without bound
# as a logit moves far to the wrong side, and keeps its slope.
#
# The next example builds data on which the squared error of a single neuron
# has many true local minima:
# :ref:`sphx_glr_auto_examples_part1_convexity_plot_04_auer_minima.py`.
