"""
A line of critical points from a smaller network makes training stall on a plateau
==================================================================================

Split the hidden unit of the best one-unit network into two: every split is a
critical point of the two-unit network. Part of this line is saddles, part is
flat local minima; gradient descent started near the saddles waits on a long
plateau before it escapes, and started near the minima it never leaves.
"""

# %%
# The best network with one unit fewer
# ------------------------------------
# One input, no biases, tanh hidden units, squared error; the targets
# ``tanh(x) + tanh(3x)`` need two units. :func:`~mlp_symmetry.minimize` fits
# the one-unit network and :func:`~mlp_symmetry.classify_critical_point`
# certifies the result.
import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import PALETTE, use_style

use_style()
X = np.linspace(-2, 2, 41)[:, None]
y = np.tanh(X[:, 0]) + np.tanh(3 * X[:, 0])
small = ms.minimize(ms.init_params([1, 1, 1], rng=0, bias=False), X, y)
verdict = ms.classify_critical_point(small, X, y)
line_loss = verdict.loss
print(f"one-unit network: {verdict.kind}, loss {line_loss:.6f}, gradient norm {verdict.grad_norm:.1e}")
assert verdict.kind == "minimum" and verdict.grad_norm < 1e-10

# %%
# A whole line of critical points
# -------------------------------
# :func:`~mlp_symmetry.split_unit` with an array of ratios returns a batch of
# two-unit networks, one per ``lambda``: both units keep the incoming weight,
# their outgoing weights are ``lambda v`` and ``(1 - lambda) v``. One batched
# call of :func:`~mlp_symmetry.loss_and_gradient` checks the whole line.
ratios = np.linspace(-1.0, 2.0, 61)
line = ms.split_unit(small, 0, 0, ratios)
losses, grads = ms.loss_and_gradient(line, X, y)
grad_norms = np.linalg.norm(ms.flatten(grads), axis=-1)
print(f"{ratios.size} points: loss spread {np.ptp(losses):.1e}, largest gradient norm {grad_norms.max():.1e}")
assert np.ptp(losses) < 1e-14 and grad_norms.max() < 1e-10

# %%
# Every point has the same loss and zero gradient (Fukumizu and Amari, 2000).
#
# Saddles in between, minima outside
# ----------------------------------
# The Hessian of every point on the line comes from one batched call of
# :func:`~mlp_symmetry.hessian_vector_product` with the four unit vectors.
n_params = ms.flatten(line).shape[-1]
H = np.moveaxis(ms.hessian_vector_product(line, X, y, np.eye(n_params)[:, None, :]), 0, -2)
eigenvalues = np.linalg.eigvalsh(H)
zero = 1e-6 * np.abs(eigenvalues).max(axis=-1)
n_negative = np.sum(eigenvalues < -zero[:, None], axis=-1)
n_zero = np.sum(np.abs(eigenvalues) <= zero[:, None], axis=-1)
inside, outside = (ratios > 0.01) & (ratios < 0.99), (ratios < -0.01) | (ratios > 1.01)
smallest = eigenvalues[inside, 0].min()
print(f"0 < lambda < 1: negative eigenvalues {set(n_negative[inside].tolist())}, smallest {smallest:.2e}")
print(f"outside [0, 1]: negative eigenvalues {set(n_negative[outside].tolist())}, zero {set(n_zero[outside].tolist())}")
assert set(n_negative[inside].tolist()) == {1} and set(n_negative[outside].tolist()) == {0}
assert set(n_zero[outside].tolist()) == {1}

# %%
# Between the end points the line is made of saddles with one descent
# direction: the two units can move apart and lower the loss. Outside
# ``[0, 1]`` no eigenvalue is negative; the only zero one is the direction
# along the line itself, so these are local minima, flat along the line.
fig, ax = plt.subplots()
ax.plot(ratios, eigenvalues[:, 0], color=PALETTE[1], label="smallest eigenvalue")
ax.plot(ratios, eigenvalues[:, 1], color=PALETTE[0], label="second smallest eigenvalue")
ax.axhline(0, color="0.3", lw=1)
ax.axvspan(0, 1, color="0.9", label=r"saddles ($0 < \lambda < 1$)")
ax.set(xlabel=r"share $\lambda$ of the outgoing weight kept by unit 0", ylabel="Hessian eigenvalue")
ax.set_title("Saddles between the end points, flat minima outside")
_ = ax.legend(loc="upper center")
# %%
# Training from next to the line
# ------------------------------
# Four runs start at ``lambda = 1/2`` (a saddle) and four at ``lambda = 3/2``
# (a minimum), each moved by Gaussian noise of size 1e-3, and take 5000 plain
# gradient-descent steps with :func:`~mlp_symmetry.train` (learning rate 0.5).
starts = np.repeat([0.5, 1.5], 4)
theta = ms.flatten(ms.split_unit(small, 0, 0, starts))
theta = theta + 1e-3 * np.random.default_rng(0).normal(size=theta.shape)
result = ms.train(ms.unflatten(theta, [1, 2, 1], bias=False), X, y, learning_rate=0.5, n_steps=5000)
on_line = np.abs(result.losses - line_loss) < 0.01 * line_loss
plateau = np.argmin(on_line, axis=0)
final = result.losses[-1]
saddle, minimum = starts == 0.5, starts == 1.5
print(f"from the saddle: {plateau[saddle]} steps within 1% of the line's loss, then down to {final[saddle].max():.1e}")
print(f"from the minimum: within 1% for all {on_line[:, minimum].sum(axis=0).min()} points of every run")
assert np.all(plateau[saddle] > 1000) and np.all(final[saddle] < 1e-2 * line_loss)
assert np.all(on_line[:, minimum])
stuck = [
    ms.classify_critical_point(tuple(ms.Layer(W[run], None) for W, _ in result.params), X, y, n_symmetry_zeros=1)
    for run in np.flatnonzero(minimum)
]
print(
    f"end points of those runs: {[v.kind for v in stuck]}, gradient norms up to {max(v.grad_norm for v in stuck):.0e}"
)
assert all(v.kind == "minimum" and abs(v.loss - line_loss) < 1e-9 * line_loss for v in stuck)

# %%
# Started next to the saddle, every run spends more than a thousand steps
# within 1% of the line's loss before it finds the descent direction and
# falls to a loss more than a hundred times lower. Started next to the flat
# minimum, no run leaves the line's loss in 5000 steps, and
# :func:`~mlp_symmetry.classify_critical_point` certifies where they stopped:
# local minima, flat only along the line, at the loss of the smaller network.
fig, ax = plt.subplots()
for run in range(starts.size):
    ax.semilogy(
        result.losses[:, run],
        color=PALETTE[0] if saddle[run] else PALETTE[1],
        label=(r"start near $\lambda = 1/2$ (saddle)" if run == 0 else r"start near $\lambda = 3/2$ (minimum)")
        if run in (0, 4)
        else None,
    )
ax.axhline(line_loss, color="0.3", ls="--", lw=1, label="loss of the one-unit optimum")
ax.set(xlabel="gradient-descent step", ylabel="training loss (log scale)")
ax.set_title("A plateau at the loss of the smaller network")
_ = ax.legend(loc="lower left")

# %%
# Conclusion
# ----------
# The optimum of a network with one unit fewer reappears in the larger network
# as a line of critical points at one loss. Where that line is a saddle,
# gradient descent stalls on a plateau before escaping; where it is a flat
# local minimum, it stays. The narrower case of two identical units is the
# :ref:`permutation point <sphx_glr_auto_examples_part2_symmetry_plot_07_permutation_points.py>`;
# next, :ref:`saddles and minima counted by their index
# <sphx_glr_auto_examples_part3_stuck_plot_04_saddles_vs_minima.py>`.
