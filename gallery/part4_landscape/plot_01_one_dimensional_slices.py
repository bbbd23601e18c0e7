"""
Runs from one start, in different minibatch orders, meet no hill
=================================================================

Four runs that start from the same random network and differ only in the
order of their minibatches end at different weights, yet the straight line
between any two of them rises less than 0.01 above its higher end.
"""

# %%
# One start, four orders
# ----------------------
# A 64-32-32-10 ReLU network, initialised once, is trained four times on the
# scikit-learn digits with :func:`~mlp_symmetry.train_adam` (ten passes of
# minibatch Adam). The only difference between the runs is the seed that
# shuffles the training images into minibatches.
import itertools

import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import PALETTE, use_style

use_style()

X_train, X_test, y_train, y_test = ms.load_digits_split(rng=0)
model = ("relu", "softmax_cross_entropy")
start = ms.init_params([64, 32, 32, 10], rng=3, scale="he")
runs = [ms.train_adam(start, X_train, y_train, n_epochs=10, learning_rate=3e-3, rng=order) for order in range(4)]
flat = [ms.flatten(run) for run in runs]
travelled = [np.linalg.norm(f - ms.flatten(start)) for f in flat]
apart = {(i, j): np.linalg.norm(flat[i] - flat[j]) for i, j in itertools.combinations(range(4), 2)}
accuracy = [np.mean(ms.forward(run, X_test, "relu").argmax(-1) == y_test) for run in runs]
print(f"distance travelled from the start: {min(travelled):.1f} to {max(travelled):.1f}")
print(f"distance between two runs:         {min(apart.values()):.1f} to {max(apart.values()):.1f}")
print(f"held-out accuracy: {min(accuracy):.1%} to {max(accuracy):.1%}")
# sphinx_gallery_start_ignore
assert 6.5 < min(travelled) and max(travelled) < 8 and 2 < min(apart.values()) and max(apart.values()) < 4
assert min(accuracy) > 0.93
# sphinx_gallery_end_ignore

# %%
# Each run moved between 6.5 and 8 from the start (Euclidean distance between
# weight vectors), and the runs end between 2 and 4 apart: the order of the
# minibatches alone sends them to different networks, all of which classify
# more than 93% of the held-out digits correctly.
#
# The six lines between them
# --------------------------
# :func:`~mlp_symmetry.path_losses` evaluates the training loss at 21 points
# of each of the six segments between two runs.
t = np.linspace(0.0, 1.0, 21)
lines = {pair: ms.path_losses(runs[pair[0]], runs[pair[1]], X_train, y_train, t, *model) for pair in apart}
rise = {pair: losses.max() - max(losses[0], losses[-1]) for pair, losses in lines.items()}
ends = np.array([[losses[0], losses[-1]] for losses in lines.values()])
print(f"training loss at the ends: {ends.min():.3f} to {ends.max():.3f}")
print(f"largest rise above the higher end, over the six lines: {max(rise.values()):.4f}")
# sphinx_gallery_start_ignore
assert max(rise.values()) < 0.01 and 0.1 < ends.min() and ends.max() < 0.11
# sphinx_gallery_end_ignore

# %%
# The training loss at the ends lies between 0.10 and 0.11, and no line rises
# more than 0.01 above the higher of its two ends: in the scale of the hills
# of :doc:`/part4/slices`, where two runs from *different* starts are
# separated by a barrier higher than the loss at either end, these lines are
# flat.
fig, ax = plt.subplots()
for color, ((i, j), losses) in zip(itertools.cycle(PALETTE), lines.items()):
    ax.plot(t, losses, color=color, label=f"run {i} → run {j}")
ax.set_ylim(0.0, 0.2)
ax.set(xlabel="position t on the segment", ylabel="training loss (cross-entropy)")
ax.set_title("One start, four minibatch orders: flat lines")
ax.legend(ncol=2)
plt.show()

# %%
# Conclusion
# ----------
# In this small network the order of the minibatches changes where training
# ends, but every two of the four runs are joined by a straight line without a
# hill. The two runs of :doc:`/part4/slices` are the other way round: they
# share their minibatch order and differ in their starts. Frankle, Dziugaite, Roy & Carbin
# (2020, "Linear mode connectivity and the lottery ticket hypothesis") call
# such runs stable to the noise of stochastic gradient descent; they found
# standard image classifiers to become stable in this sense early in
# training. The next example looks at two-dimensional slices,
# :ref:`sphx_glr_auto_examples_part4_landscape_plot_02_filter_normalization.py`.
