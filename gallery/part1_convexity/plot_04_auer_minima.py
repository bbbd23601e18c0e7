"""
One sigmoid neuron with squared error: every added example adds a local minimum
===============================================================================

On a training set in the spirit of Auer, Herbster and Warmuth (1996) the loss
of a single sigmoid neuron has one more local minimum per example, the counts
multiply across input dimensions, and cross-entropy on the same data has one.
"""

# %%
# The data and the loss along the weight
# --------------------------------------
# :func:`~mlp_symmetry.auer_dataset` puts example ``k`` at input ``10**-k`` with
# target ``k % 2``. The neuron is ``sigmoid(w x)``, no bias: a network with
# layer sizes ``[1, 1]`` and loss ``"sigmoid_mse"``. The error of one example
# switches between its values around ``|w| = 1/x``, so the examples act at
# scales ten times apart: we sample ``w`` on a grid that is logarithmic in
# ``|w|``, on both sides of 0.
import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import use_style

use_style()


def signed_log_grid(low, high, per_decade=20):
    """0 and +-|w| spaced logarithmically from low to high."""
    pos = np.logspace(np.log10(low), np.log10(high), int(per_decade * np.log10(high / low)) + 1)
    return np.concatenate([-pos[::-1], [0.0], pos])


def confirmed_minima(X, y, loss, per_decade=20):
    """Grid minima in w, each polished by Newton steps and confirmed by gradient and curvature."""
    f = ms.FlatLoss([X.shape[1], 1], X, y, loss=loss, bias=False)
    w = signed_log_grid(1e-2 / X.max(), 1e2 / X[X > 0].min(), per_decade)
    grid = np.stack(np.meshgrid(*[w] * X.shape[1], indexing="ij"), axis=-1)
    candidates = grid[ms.grid_local_minima(f(grid))]
    check = ms.confirm_minima(f, candidates)
    assert check.is_minimum.all(), "every grid minimum is a true minimum"
    return check, w, f


X, y = ms.auer_dataset(6)
print("inputs :", ", ".join(f"{v:.0e}" for v in X[:, 0]))
print("targets:", y.tolist())
check, w, f = confirmed_minima(X, y, "sigmoid_mse")
print("minima at w =", np.array2string(check.theta[:, 0], precision=1))
print(
    f"largest |w dL/dw| there: {check.relative_gradient.max():.1e}; "
    f"smallest w^2 d2L/dw2: {check.relative_curvature.min():.2e}"
)
assert len(check.loss) == 5

# %%
# Six examples, five minima, at ``|w|`` of about 2, 20, 200, ...: between two
# neighbouring steps of opposite direction the loss forms a valley. Each was
# polished by Newton steps with the exact gradient and second derivative
# (:func:`~mlp_symmetry.confirm_minima`): the gradient vanishes to rounding and
# the curvature is positive.
fig, ax = plt.subplots()
ax.plot(w, f(w[:, None]), label="squared error, 6 examples")
ax.plot(check.theta[:, 0], check.loss, "o", color="C1", label=f"{len(check.loss)} local minima")
ax.set_xscale("symlog", linthresh=1e-1)
ticks = [-1e6, -1e4, -1e2, -1, 0, 1, 1e2, 1e4, 1e6]
ax.set_xticks(ticks, ["$-10^6$", "$-10^4$", "$-100$", "$-1$", "0", "1", "100", "$10^4$", "$10^6$"])
ax.minorticks_off()
ax.set(xlabel="weight $w$ (logarithmic in $|w|$)", ylabel="training loss", title="Five minima for six examples")
ax.legend(loc="upper center")
plt.show()

# %%
# Counting as the data grow
# -------------------------
# The same count for 1 to 10 examples, with squared error and with
# cross-entropy on the same data.
print(" examples | minima (squared error) | minima (cross-entropy)")
counts = []
for n in range(1, 11):
    Xn, yn = ms.auer_dataset(n)
    sq, ce = (len(confirmed_minima(Xn, yn, loss)[0].loss) for loss in ("sigmoid_mse", "binary_cross_entropy"))
    counts.append((n, sq, ce))
    print(f" {n:8d} | {sq:22d} | {ce:22d}")
assert all(sq == n - 1 for n, sq, _ in counts), "one more minimum per added example"
assert all(ce == (1 if n > 1 else 0) for n, _, ce in counts), "cross-entropy: one minimum"
X1, y1 = ms.auer_dataset(1)
ce_1 = ms.FlatLoss([1, 1], X1, y1, loss="binary_cross_entropy", bias=False)(signed_log_grid(1e-2, 1e2)[:, None])
assert np.all(np.diff(ce_1) > 0) and ce_1.min() > 0, "one example: cross-entropy keeps falling as w decreases"

# %%
# Squared error has ``n - 1`` minima for ``n`` examples in our construction:
# one more per added example. Cross-entropy has exactly one for ``n >= 2``
# (it is convex, and both labels occur, so it grows in both directions). With a
# single example (target 0) the data are separable: cross-entropy keeps falling
# as ``w`` decreases, towards an infimum of 0 that no finite ``w`` reaches, so
# there is no minimum at all.
#
# Independent dimensions multiply
# -------------------------------
# Put examples on the two coordinate axes. An example on axis 1 only sees
# ``w_1``, one on axis 2 only ``w_2``, so the loss is a sum ``f(w_1) + g(w_2)``
# and its minima are the pairs of minima: the counts multiply.
X2, y2 = ms.auer_dataset(10, n_dims=2)
on_axis = [X2[:, k] > 0 for k in range(2)]
per_axis = [len(confirmed_minima(X2[m][:, [k]], y2[m], "sigmoid_mse")[0].loss) for k, m in enumerate(on_axis)]
check_2d = confirmed_minima(X2, y2, "sigmoid_mse", per_decade=10)[0]
print(f"minima along w1: {per_axis[0]}, along w2: {per_axis[1]}, in the plane: {len(check_2d.loss)}")
assert len(check_2d.loss) == per_axis[0] * per_axis[1] == 16
ce_2d = confirmed_minima(X2, y2, "binary_cross_entropy", per_decade=10)[0]
print(f"cross-entropy in the plane: {len(ce_2d.loss)} minimum")
assert len(ce_2d.loss) == 1

# %%
# Five examples per axis give four minima per axis and 4 x 4 = 16 minima in
# the plane, each confirmed by its gradient and 2 x 2 Hessian; cross-entropy
# still has one. Auer, Herbster and Warmuth proved that ``n`` examples in ``d``
# dimensions can give a single sigmoid neuron with squared loss
# ``floor(n/d)**d`` local minima: exponentially many in the dimension. A
# network without hidden layer is already non-convex when the loss does not
# match the output nonlinearity. With a matched loss it is convex, until a
# hidden layer is added:
# :ref:`sphx_glr_auto_examples_part1_convexity_plot_05_hidden_layer_breaks_convexity.py`.
