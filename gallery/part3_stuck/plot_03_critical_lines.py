"""
Random starts stall next to the saddles of a smaller network, not its flat minima
=================================================================================

The best one-unit network, split into two units, is a line of critical points
of the two-unit network: saddles for shares ``0 < lambda < 1`` of the outgoing
weight, flat local minima outside. Here we train random starts and ask which
part of the line they meet on their way down.
"""

# %%
# The line's loss
# ---------------
# One input, no biases, tanh hidden units, squared error; the targets
# ``tanh(x) + tanh(3x)`` need two units. :func:`~mlp_symmetry.minimize` fits
# the one-unit network: its weights ``(w*, v*)`` and its loss define the line
# (every split ``lambda v*``, ``(1 - lambda) v*`` of the outgoing weight over
# two copies of the unit has this loss).
import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import PALETTE, use_style

use_style()
x = np.linspace(-2, 2, 41)
targets = np.tanh(x) + np.tanh(3 * x)
one_unit = ms.minimize(ms.init_params([1, 1, 1], rng=0, bias=False), x[:, None], targets)
w_star, v_star = one_unit[0].W[0, 0], one_unit[1].W[0, 0]
plateau_loss = ms.loss(one_unit, x[:, None], targets)
print(f"one-unit optimum: w* = {w_star:.3f}, v* = {v_star:.3f}, loss {plateau_loss:.6f}")

# %%
# Random starts, recorded every 100 steps
# ---------------------------------------
# Two hundred random starts of the two-unit network take 2000 plain
# gradient-descent steps (learning rate 0.5) with :func:`~mlp_symmetry.train`,
# in blocks of 100 steps so that we can look at the weights along the way. A
# run *stalls* when it spends at least 200 steps within 2% of the line's loss.
N_RUNS, BLOCK, N_BLOCKS = 200, 100, 20
state = ms.init_runs([1, 2, 1], N_RUNS, rng=0, bias=False)
curve_blocks, weights = [], []
for _ in range(N_BLOCKS):
    block = ms.train(state, x[:, None], targets, learning_rate=0.5, n_steps=BLOCK)
    state = block.params
    curve_blocks.append(block.losses[1:])
    weights.append(ms.flatten(state))  # (w0, w1, v0, v1) of every run
curves = np.concatenate(curve_blocks)
at_line = np.abs(curves - plateau_loss) < 0.02 * plateau_loss
time_at_line = at_line.sum(axis=0)
stalled = np.flatnonzero(time_at_line >= 200)
fraction = stalled.size / N_RUNS
se = np.sqrt(fraction * (1 - fraction) / N_RUNS)
print(f"{stalled.size} of {N_RUNS} runs stall ({fraction:.3f} +- {se:.3f})")
print(f"steps within 2%: {sorted(time_at_line[stalled].tolist())}")
# sphinx_gallery_start_ignore
assert stalled.size >= 5 and fraction > 3 * se, "stalls are not a fluke of one run"
# sphinx_gallery_end_ignore

# %%
# Where they stall
# ----------------
# We read the weights at the first recorded block end on the plateau. A copy
# of the line (up to swapping the units and flipping the signs of a unit, tanh
# being odd) has ``|w0| = |w1| = |w*|``; aligning the signs of unit 1 with
# those of unit 0 gives its share ``lambda = v0 / (v0 + v1)``. A unit is
# *switched off* when both of its weights are near zero.
seen = np.argmax(at_line[BLOCK - 1 :: BLOCK][:, stalled], axis=0)
# sphinx_gallery_start_ignore
assert np.all(at_line[BLOCK - 1 :: BLOCK][seen, stalled]), "every stall is caught at a block end"
# sphinx_gallery_end_ignore
w0, w1, v0, v1 = np.array(weights)[seen, stalled].T
v1_aligned = np.sign(w0 * w1) * v1
on_copy = (np.abs(np.abs(w0) - np.abs(w1)) < 0.2 * abs(w_star)) & (
    np.abs(np.abs(v0 + v1_aligned) - abs(v_star)) < 0.05 * abs(v_star)
)
switched_off = np.minimum(np.hypot(w0, v0), np.hypot(w1, v1)) < 0.2
share = v0 / (v0 + v1_aligned)
print(f"next to a copy of the line: {on_copy.sum()}, shares {np.round(np.sort(share[on_copy]), 2)}")
print(f"one unit switched off: {switched_off.sum()}")
# sphinx_gallery_start_ignore
assert np.all(on_copy ^ switched_off), "every stalled run is next to the line or has a unit switched off"
assert np.all((share[on_copy] > 0) & (share[on_copy] < 1)), "on the saddle segment, not next to the flat minima"
# sphinx_gallery_end_ignore

# %%
# Every run that stalls does so next to the saddle segment ``0 < lambda < 1``
# or with one unit switched off; none is next to the flat minima, which lie
# outside ``[0, 1]``.
#
# Which runs are still there at the end
# -------------------------------------
still = at_line[-1]
ends = np.minimum(share, 1 - share)
print(f"still within 2% after {N_BLOCKS * BLOCK} steps: {still.sum()} runs")
print(f"their min(lambda, 1 - lambda): {np.round(ends[still[stalled]], 2)}")
print(f"the others stalled at min(lambda, 1 - lambda) >= {ends[on_copy & ~still[stalled]].min():.2f}")
print(f"every other run ends below {curves[-1, ~still].max() / plateau_loss:.2f} times the line's loss")
# sphinx_gallery_start_ignore
assert 1 <= still.sum() < stalled.size / 2 and np.all(on_copy[still[stalled]]), "a few stay, most escape"
assert ends[still[stalled]].max() < 0.1 < ends[on_copy & ~still[stalled]].min(), "the last ones sit near the ends"
assert time_at_line[still].min() > time_at_line[stalled][~still[stalled]].max(), "and they stall the longest"
assert curves[-1, ~still].max() < 0.5 * plateau_loss, "the rest end below half of it"
# sphinx_gallery_end_ignore

# %%
# The runs still on the plateau after 2000 steps are exactly those that met
# the segment near one of its ends, where ``lambda (1 - lambda)`` is small: the
# curvature that pulls the two copies apart is ``lambda (1 - lambda)`` times a
# constant (Fukumizu and Amari, 2000, "Local minima and plateaus in
# hierarchical structures of multilayer perceptrons"), so escape is slowest
# there. Every other run ends below half the line's loss.
fig, (ax, ax_share) = plt.subplots(1, 2, figsize=(10, 4))
steps = np.arange(1, curves.shape[0] + 1)
ax.loglog(steps, curves[:, ~np.isin(np.arange(N_RUNS), stalled)] / plateau_loss, color="0.8", lw=0.5)
ax.loglog(steps, curves[:, stalled] / plateau_loss, color=PALETTE[0], lw=1)
ax.axhline(1, color="0.3", ls="--", lw=1)
ax.set(xlabel="gradient-descent step", ylabel="loss / loss of the one-unit optimum")
ax.set_title("Stalled runs (blue) wait at the line's loss", fontsize=11)
for left, right in ((-0.5, 0), (1, 1.5)):
    ax_share.axvspan(left, right, color="0.9")
    ax_share.text((left + right) / 2, 0.5, "flat\nminima", transform=ax_share.get_xaxis_transform(), ha="center")
ax_share.semilogy(share[on_copy], time_at_line[stalled][on_copy], "o", color=PALETTE[0])
ax_share.set(xlim=(-0.5, 1.5), xlabel=r"share $\lambda$ where the run met the line", ylabel="steps within 2%")
_ = ax_share.set_title("They meet the saddle segment, not the minima", fontsize=11)

# %%
# Conclusion
# ----------
# On this problem random starts do meet the line of critical points inherited
# from the one-unit network, but only its saddle segment: they stall there,
# longest near its ends, and most then escape. The page
# :doc:`/part3/critical_lines` classifies the whole line and measures how the
# plateau length follows the negative eigenvalue. The narrower case of two
# identical units is the
# :ref:`permutation point <sphx_glr_auto_examples_part2_symmetry_plot_07_permutation_points.py>`;
# next, :ref:`saddles and minima counted by their index
# <sphx_glr_auto_examples_part3_stuck_plot_04_saddles_vs_minima.py>`.
