"""
From the start the loss falls steadily; between two solutions it climbs a hill
===============================================================================

On the straight line from a random start to the trained network the loss only
goes down, while the lines from that network to its own permuted twin and to
another run's solution both rise far above the two ends.
"""

# %%
# Two training runs on the digits
# -------------------------------
# Handwritten 8 x 8 digits from scikit-learn, a quarter held out, and a ReLU
# network with two hidden layers of 64 units. Two runs from different random
# starts train side by side in one vectorised loop
# (:func:`~mlp_symmetry.train_adam`: minibatch Adam, ten passes over the data).
import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import PALETTE, use_style

use_style()

X_train, X_test, y_train, y_test = ms.load_digits_split(rng=0)
sizes = [64, 64, 64, 10]
starts = ms.unflatten(np.stack([ms.flatten(ms.init_params(sizes, rng=s, scale="he")) for s in (1, 2)]), sizes)
trained = ms.train_adam(starts, X_train, y_train, n_epochs=10, learning_rate=3e-3, rng=0)


def run(params, i):
    """Network ``i`` of a batch of networks."""
    return tuple(ms.Layer(layer.W[i], layer.b[i]) for layer in params)


init_a, net_a, net_b = run(starts, 0), run(trained, 0), run(trained, 1)
data = (X_train, y_train, "relu", "softmax_cross_entropy")
accuracy = (ms.forward(trained, X_test, "relu").argmax(-1) == y_test).mean(-1)
print(f"training losses {ms.loss(trained, *data).round(3)}, held-out accuracies {accuracy.round(3)}")
assert np.all(accuracy > 0.93)

# %%
# Both runs classify more than 93% of the held-out digits correctly.
#
# Three straight lines
# --------------------
# The permuted twin relabels the units of both hidden layers at random
# (:func:`~mlp_symmetry.apply_permutations`): the same function, other
# weights. :func:`~mlp_symmetry.path_losses` evaluates the loss at 41 points
# of each segment (:func:`~mlp_symmetry.interpolate`) in one batched call.
rng = np.random.default_rng(3)
twin = ms.apply_permutations(net_a, [rng.permutation(64), rng.permutation(64)])
t = np.linspace(0.0, 1.0, 41)
paths = {
    "random start → solution": ms.path_losses(init_a, net_a, *data[:2], t, *data[2:]),
    "solution → its permuted twin": ms.path_losses(net_a, twin, *data[:2], t, *data[2:]),
    "solution → another run's solution": ms.path_losses(net_a, net_b, *data[:2], t, *data[2:]),
}
barriers = {name: ms.barrier_height(losses) for name, losses in list(paths.items())[1:]}
rises = np.diff(paths["random start → solution"])
for name, barrier in barriers.items():
    print(f"{name:36s} barrier {barrier:.3f}")
print(f"largest rise between neighbouring points from the start: {rises.max():.1e}")
assert np.all(rises < 0), "the loss falls all the way from the start to the solution"
assert barriers["solution → its permuted twin"] > 0.5
assert barriers["solution → another run's solution"] > 0.5

# %%
# From the random start the loss decreases at every one of the 40 steps: this
# slice shows no obstacle at all, as Goodfellow, Vinyals & Saxe (2015) found
# for much larger networks. Between two solutions the picture changes: the
# line to the permuted twin, a network that computes exactly the same
# function, and the line to the other run both climb a hill well above the
# loss at their ends (the barrier is the height of the peak above the mean of
# the two ends).
fig, ax = plt.subplots()
for color, (name, losses) in zip(PALETTE, paths.items(), strict=False):
    label = f"{name} (barrier {barriers[name]:.2f})" if name in barriers else name
    ax.plot(t, losses, color=color, label=label)
ax.set_yscale("log")
ax.set_ylim(3e-3, 5)
ax.set(xlabel="position t on the segment", ylabel="training loss (cross-entropy, log scale)")
ax.set_title("Downhill from the start, a hill between solutions")
ax.legend(loc="lower left")
plt.show()

# %%
# Conclusion
# ----------
# A one-dimensional slice can look convex (the segment from the start) and
# still hide a non-convex landscape: two solutions, even two copies of the
# same function, are separated by a hill. The next example looks at
# two-dimensional slices,
# :ref:`sphx_glr_auto_examples_part4_landscape_plot_02_filter_normalization.py`.
