"""
Outliers separate and negative curvature fades during training
===============================================================

The page :doc:`/part4/spectral_density` looks at the Hessian spectrum of
networks at the end of training. Here one network is followed from its random
start: after a few passes of Adam, nine eigenvalues stand apart from the bulk,
and the most negative curvature found shrinks at every checkpoint.
"""

# %%
# One start, five lengths of training
# -----------------------------------
# A 64-32-10 ReLU network on the scikit-learn digits is trained from one
# random start for 0, 1, 3, 10 and 30 passes of minibatch Adam
# (:func:`~mlp_symmetry.train_adam`). At each checkpoint
# :func:`~mlp_symmetry.spectral_density` runs 40 Lanczos steps from each of
# six random probes. Their smallest and largest nodes converge first, so we
# read the extremes of the spectrum from them.
import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import PALETTE, use_style

use_style()

X_train, _, y_train, _ = ms.load_digits_split(rng=0)
layers = [64, 32, 10]
start = ms.init_params(layers, rng=3, scale="he")
passes = [0, 1, 3, 10, 30]
rules = []
for n_epochs in passes:
    trained = (
        start if n_epochs == 0 else ms.train_adam(start, X_train, y_train, n_epochs=n_epochs, learning_rate=3e-3, rng=0)
    )
    rules.append(
        ms.spectral_density(trained, X_train, y_train, "relu", "softmax_cross_entropy", n_probes=6, n_steps=40, rng=0)
    )

# %%
# The largest ratio between neighbours among the top fifteen nodes of the
# first probe marks where the outliers end (further down, 40 nodes are too
# few to resolve the bulk).
lowest = [float(rule.nodes[:, 0].min()) for rule in rules]
widest = []
for rule in rules:
    top = np.sort(rule.nodes[0])[::-1][:16]
    ratios = top[:-1] / top[1:]
    widest.append((int(np.argmax(ratios)) + 1, float(ratios.max())))
for n_epochs, low, (count, ratio) in zip(passes, lowest, widest, strict=True):
    print(f"{n_epochs:2d} passes: lowest node {low:6.3f}, widest gap after node {count:2d} (ratio {ratio:.2f})")
# sphinx_gallery_start_ignore
assert all(b > a for a, b in zip(lowest, lowest[1:], strict=False)), lowest
assert lowest[0] < -0.5 and -0.03 < lowest[-1] < 0, lowest
assert [count for count, _ in widest[2:]] == [9, 9, 9], widest
assert all(ratio > 2 for _, ratio in widest[2:]), widest
assert widest[0][1] < 2 and widest[1][1] < 2, widest[:2]
# sphinx_gallery_end_ignore

# %%
# The densities
# -------------
# Each curve is the mean over probes of the nodes smoothed by a Gaussian of
# width 0.03 (:func:`~mlp_symmetry.smoothed_density`), on a log scale; three
# of the five checkpoints, for legibility.
grid = np.linspace(-1.0, 6.5, 1500)
fig, ax = plt.subplots(figsize=(6.4, 3.8))
for index, (n_epochs, rule) in enumerate(zip(passes, rules, strict=True)):
    if n_epochs not in (0, 3, 30):
        continue
    density = ms.smoothed_density(rule.nodes, rule.weights, grid, 0.03).mean(axis=0)
    ax.semilogy(grid, density, color=PALETTE[index], lw=1.3, label=f"{n_epochs} passes")
ax.set_ylim(1e-4, 30)
ax.set(xlabel="eigenvalue", ylabel="density (log scale)")
ax.set_title("Hessian spectrum of a 64-32-10 network in training")
ax.legend(loc="upper right", fontsize=9)
plt.show()

# %%
# At the start and after one pass, no two neighbours among the largest
# eigenvalues differ by a factor of two, and the spectrum reaches well below
# zero. From three passes on, nine
# outliers stand apart (one fewer than the ten classes, as on the page), with
# the next node more than two times smaller than the ninth; the negative
# part of the spectrum shrinks at every checkpoint, although the network is
# still not at a minimum after thirty passes: its lowest node is negative, and
# a node always lies above the smallest eigenvalue.
