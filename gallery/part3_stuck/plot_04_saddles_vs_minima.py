"""
Critical points of a small network: the higher the loss, the more descent directions
====================================================================================

We find many critical points of a 13-weight tanh network by Newton-type root
finding on the gradient, and plot their index (the fraction of negative Hessian
eigenvalues) against their loss, the picture of Dauphin et al. (2014).
"""

# %%
# Starting points all along training
# ----------------------------------
# A 2-3-1 tanh student learns 20 points labelled by a random 2-4-1 teacher, so
# it cannot fit them exactly. Forty runs of :func:`~mlp_symmetry.train`
# (learning rate 0.1) are stopped after 0, 30, 300 and 3000 steps: 160 starts
# spread over the whole range of losses.
import matplotlib.pyplot as plt
import numpy as np
from scipy.stats import spearmanr

import mlp_symmetry as ms
from mlp_symmetry.plotting import PALETTE, use_style

use_style()
rng = np.random.default_rng(0)
X = rng.normal(size=(20, 2))
y = ms.forward(ms.init_params([2, 4, 1], rng=1, scale=2.0), X)[:, 0]
sizes = [2, 3, 1]
params, done, starts = ms.init_runs(sizes, 40, rng=0), 0, []
for stop in (0, 30, 300, 3000):
    params = ms.train(params, X, y, learning_rate=0.1, n_steps=stop - done).params if stop > done else params
    done = stop
    starts.append(ms.flatten(params))
starts = np.concatenate(starts)
print(f"{len(starts)} starts, losses from {ms.loss(ms.unflatten(starts, sizes), X, y).min():.4f} up")

# %%
# Newton steps on the gradient, for all starts at once
# ----------------------------------------------------
# A critical point solves ``gradient = 0``. Damped Newton (Levenberg-Marquardt)
# steps on this equation, with the exact Hessian as its Jacobian, converge to
# saddles as readily as to minima, unlike gradient descent. This is the method
# of :func:`~mlp_symmetry.newton_refine`, written here for a whole batch of
# starts: the Hessians come from one call of
# :func:`~mlp_symmetry.hessian_vector_product` with the unit vectors.


def find_critical_points(theta, n_iter=60):
    """Levenberg-Marquardt on the gradient for a batch of flat parameter vectors; return them and |gradient|."""
    eye = np.eye(theta.shape[-1])

    def grad_hess(t):
        p = ms.unflatten(t, sizes)
        g = ms.flatten(ms.loss_and_gradient(p, X, y)[1])
        return g, np.moveaxis(ms.hessian_vector_product(p, X, y, eye[:, None, :]), 0, -2)

    g, H = grad_hess(theta)
    damping = np.ones(len(theta))
    for _ in range(n_iter):
        step = -np.linalg.solve(H @ H + damping[:, None, None] * eye, H @ g[..., None])[..., 0]
        g_new, H_new = grad_hess(theta + step)
        better = np.linalg.norm(g_new, axis=-1) < np.linalg.norm(g, axis=-1)
        theta = np.where(better[:, None], theta + step, theta)
        g, H = np.where(better[:, None], g_new, g), np.where(better[:, None, None], H_new, H)
        damping = np.clip(np.where(better, damping / 3, damping * 2), 1e-12, 1e12)
    return theta, np.linalg.norm(g, axis=-1)


found, grad_norms = find_critical_points(starts)
verdicts = [ms.certify_critical_point(ms.unflatten(t, sizes), X, y, max_iter=10)[1] for t in found[grad_norms < 1e-6]]
verdicts = [v for v in verdicts if v.kind != "not critical"]
losses = np.array([v.loss for v in verdicts])
index = np.array([v.index for v in verdicts])
kinds = np.array([v.kind for v in verdicts])
names, n_kind = np.unique(kinds, return_counts=True)
print(f"{len(verdicts)} certified critical points: {dict(zip(names.tolist(), n_kind.tolist(), strict=True))}")
assert len(verdicts) >= 40 and set(kinds) == {"minimum", "saddle"}
assert np.array_equal(kinds == "minimum", index == 0), "here, index 0 means a certified minimum"

# %%
# :func:`~mlp_symmetry.certify_critical_point` polishes each point and
# classifies it by its Hessian eigenvalues. Most starts that converge reach a
# saddle; the same critical point (up to relabelling the hidden units) is found
# many times, so we group them into distinct levels of loss and index.
levels, counts = np.unique(np.stack([np.round(losses, 5), index]), axis=1, return_counts=True)
for (level_loss, level_index), count in zip(levels.T, counts, strict=True):
    print(f"loss {level_loss:8.5f}  index {level_index:.3f} ({round(level_index * 13)} of 13)  times found: {count}")
rho_all = spearmanr(losses, index).statistic
rho_levels = spearmanr(levels[0], levels[1]).statistic
print(f"rank correlation of loss and index: {rho_all:.2f} over all points, {rho_levels:.2f} over distinct levels")
assert rho_all > 0.8 and rho_levels > 0.5
assert losses[kinds == "minimum"].max() < losses[kinds == "saddle"].min(), "minima only below every saddle"
assert abs(losses.max() - np.var(y)) < 1e-9, "the worst level predicts the mean of y"

# %%
# The trend of Dauphin et al. appears even at this size: the rank correlation
# between loss and index is strongly positive, and the only minima found lie
# below every saddle. The indices are small, though: at most a few of the 13
# directions curve downwards. The highest level, at the variance of ``y``, is a
# network that outputs the mean of the targets whatever the input.
fig, ax = plt.subplots()
for name, mask, colour in (("saddle", levels[1] > 0, PALETTE[1]), ("minimum", levels[1] == 0, PALETTE[2])):
    ax.scatter(levels[0, mask], levels[1, mask], s=20 + 8 * counts[mask], color=colour, alpha=0.8, label=name)
ax.set_xscale("log")
ax.set(xlabel="training loss at the critical point (log scale)", ylabel="index (fraction of negative eigenvalues)")
ax.set_title("Higher loss, more descent directions")
_ = ax.legend(title="marker area: times found", loc="lower right")

# %%
# Conclusion
# ----------
# In this small network, low-loss critical points are minima or saddles with
# one descent direction, and high-loss ones have more: gradient descent meets
# its worst points as saddles, which it can leave. Whether the trend holds, and
# how steep it is, depends on the problem; Dauphin et al. measured it on
# larger networks. Next, a family of networks in which
# :ref:`every local minimum is global <sphx_glr_auto_examples_part3_stuck_plot_05_deep_linear.py>`.
