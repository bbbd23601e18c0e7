"""
Add one hidden layer and the chord test fails at once
=====================================================

The data and the losses that passed every convexity test in the previous
examples, with three tanh hidden units inserted: random segments find chords
far below the loss, and random points find negative curvature.
"""

# %%
# Same data, one layer more
# -------------------------
# Linear regression was ``FlatLoss([2, 1], ..., loss="mse")``; the network below
# differs only in its layer sizes, ``[2, 3, 1]``. The same for logistic
# regression with cross-entropy.
import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import use_style

use_style()

problems = {
    "mse": ms.linear_regression_data(100, 2, rng=0),
    "binary_cross_entropy": ms.logistic_regression_data(100, 2, rng=0),
}
results = {}
for loss, (X, y) in problems.items():
    for sizes in ([2, 1], [2, 3, 1]):
        f = ms.FlatLoss(sizes, X, y, "tanh", loss)
        search = ms.find_chord_violation(f, f.n_params, n_segments=2000, scale=2.0, rng=1)
        points = 2.0 * np.random.default_rng(2).standard_normal((500, f.n_params))
        smallest, largest = ms.hessian_extreme_eigenvalues(f, points)
        relative = smallest / np.maximum(np.abs(smallest), np.abs(largest))
        results[loss, len(sizes)] = (f, search, relative.min())
        print(
            f"{loss:21s} {str(sizes):10s} violations {search.n_violations:4d} / 2000, "
            f"worst relative gap {search.relative_gap:+.3f}, most negative relative eigenvalue {relative.min():+.3f}"
        )
for loss in problems:
    assert not results[loss, 2][1].found and results[loss, 2][2] >= -1e-9, "no hidden layer: convex"
    assert results[loss, 3][1].found and results[loss, 3][1].relative_gap < -0.1, "hidden layer: chords below"
    assert results[loss, 3][2] < -0.1, "hidden layer: clearly negative curvature"

# %%
# Without a hidden layer both tests pass on every segment and at every point,
# as before. With it, many segments have chords below the loss by a sizeable
# fraction of the loss, and many points have a negative Hessian eigenvalue
# comparable in size to the largest positive one.
#
# The worst segment
# -----------------
# The loss of the regression network along its worst segment, against the
# chord between the end points.
f, search, _ = results["mse", 3]
t = np.linspace(0, 1, 201)
path = f((1 - t)[:, None] * search.theta_a + t[:, None] * search.theta_b)
chord = (1 - t) * path[0] + t * path[-1]
rise = path - chord
print(f"end losses {path[0]:.3f} and {path[-1]:.3f}")
print(f"loss above the chord by up to {rise.max():.3f} at t = {t[np.argmax(rise)]:.2f}")
assert rise.max() >= -search.worst_gap * (1 - 1e-12), "the fine path finds at least the reported violation"

fig, ax = plt.subplots()
ax.plot(t, path, label="loss, network with 3 tanh hidden units")
ax.plot(t, chord, "--", label="chord between the end points")
ax.fill_between(t, path, chord, where=path > chord, color="C1", alpha=0.25, label="loss above the chord")
ax.set(
    xlabel="position $t$ on the segment",
    ylabel="training loss (MSE)",
    title="With a hidden layer, the loss rises above a chord",
)
ax.legend(loc="upper right")
plt.show()

# %%
# The loss climbs above the chord: a convex function never does. Every
# piece of the network is the same as in linear or logistic regression, and
# the loss is still a convex function *of the network's output*. What changed
# is that the output is no longer a linear function of the weights: it
# multiplies the output weights by functions of the input weights.
# :ref:`Part II <gallery_part2>` shows a structural reason why convexity fails
# in general: the hidden units can be reordered without changing the function.
