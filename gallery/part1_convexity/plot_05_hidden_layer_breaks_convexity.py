"""
A hidden layer: convex in the output weights alone, not in the hidden weights
=============================================================================

Hold the hidden layer of a 2-3-1 tanh network fixed and the loss is convex in
the output weights: it is linear regression on the hidden features. Hold the
output weights fixed instead and the chord test fails at once.
"""

# %%
# One network, two halves of its weights
# --------------------------------------
# The flat parameter vector of a ``[2, 3, 1]`` network lists the hidden layer
# first (``W1`` of shape ``(3, 2)`` and ``b1``: 9 numbers), then the output
# layer (``W2`` of shape ``(1, 3)`` and ``b2``: 4 numbers). Starting from one
# random network, we let either half vary and keep the other fixed, and hand
# each restricted loss to :func:`~mlp_symmetry.find_chord_violation`.
import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import use_style

use_style()

X, y = ms.linear_regression_data(100, 2, rng=0)
f = ms.FlatLoss([2, 3, 1], X, y, "tanh", "mse")
base = 2.0 * np.random.default_rng(0).standard_normal(f.n_params)
halves = {"hidden layer": slice(0, 9), "output layer": slice(9, 13)}


def restricted(part):
    """Return the loss as a function of one half of the weights, the other half held at ``base``."""

    def loss_of_part(theta_part):
        theta = np.broadcast_to(base, theta_part.shape[:-1] + base.shape).copy()
        theta[..., halves[part]] = theta_part
        return f(theta)

    return loss_of_part


N_SEGMENTS = 1000
searches = {}
for part, where in halves.items():
    n = where.stop - where.start
    searches[part] = ms.find_chord_violation(
        restricted(part), n, n_segments=N_SEGMENTS, scale=2.0, center=base[where], rng=1
    )
    s = searches[part]
    print(
        f"{part} ({n} weights): {s.n_violations} of {N_SEGMENTS} segments violate, worst gap/loss {s.relative_gap:+.3f}"
    )
# sphinx_gallery_start_ignore
assert not searches["output layer"].found, "convex in the output layer"
assert searches["hidden layer"].n_violations > N_SEGMENTS / 2, "not in the hidden layer: most segments fail"
assert searches["hidden layer"].relative_gap < -0.1, "by far more than rounding"
# sphinx_gallery_end_ignore

# %%
# No chord lies below the loss when only the output layer moves; on most
# segments one does when only the hidden layer moves. The reason is in the formula of the output,
# ``sum_j v_j tanh(w_j . x + b_j) + c``: with the hidden weights fixed, the
# features ``h_j = tanh(w_j . x + b_j)`` are fixed too, and the output is
# linear in ``(v, c)``, so the squared error is that of linear regression on
# ``h``. The hidden weights enter through ``tanh`` and are then multiplied by
# ``v``: nothing keeps the loss convex in them.
#
# The worst segment of each kind
# ------------------------------
t = np.linspace(0, 1, 201)
fig, axes = plt.subplots(1, 2, figsize=(9.0, 3.6))
for ax, (part, s) in zip(axes, searches.items(), strict=True):
    path = restricted(part)((1 - t)[:, None] * s.theta_a + t[:, None] * s.theta_b)
    ax.plot(t, path, label="loss")
    ax.plot(t, (1 - t) * path[0] + t * path[-1], "--", label="chord")
    ax.set(xlabel="position $t$ on the segment", title=f"only the {part} moves")
axes[0].set_ylabel("training loss (MSE)")
axes[0].legend(loc="upper right")
plt.show()

# %%
# The output unit, given its inputs, is a linear regression and its loss is
# convex in its own weights; the network's loss is not convex in all the
# weights together, because the hidden weights reach the output through
# ``tanh`` and a product with the output weights. The page :doc:`/part1/one_hidden_layer` runs both
# tests on all the weights at once, and :ref:`Part II <gallery_part2>` shows a
# structural reason why convexity must fail: the hidden units can be reordered
# without changing the function.
