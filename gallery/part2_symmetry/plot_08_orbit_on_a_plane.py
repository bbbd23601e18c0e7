"""
Random starts reach every one of the eight copies of a minimum, each about as often
===================================================================================

The small tanh network of the page :doc:`/part2/permutations` has eight copies
of its trained minimum, one in each sector of the plane of its two incoming
weights. Gradient descent started from 400 random points ends in all eight, in
shares close to one in eight, and often in a different sector from the one it
started in.
"""

# %%
# Four hundred runs at once
# -------------------------
# One input, two tanh hidden units, one output, no biases; the target of the
# page, ``1.5 tanh(3x) - tanh(x)`` plus noise, on 41 inputs.
# :func:`~mlp_symmetry.init_runs` draws the starts the way
# ``init_params(..., scale=1.0)`` would, and :func:`~mlp_symmetry.train` runs
# full-batch gradient descent on all of them together.
import matplotlib.pyplot as plt
import numpy as np
from scipy import stats

import mlp_symmetry as ms
from mlp_symmetry.plotting import PALETTE, use_style

use_style()

x = np.linspace(-3, 3, 41)
y = 1.5 * np.tanh(3 * x) - np.tanh(x) + 0.1 * np.random.default_rng(0).normal(size=x.size)
X = x[:, None]
sizes = [1, 2, 1]
starts = ms.init_runs(sizes, 400, rng=1, bias=False, scale=1.0)
result = ms.train(starts, X, y, learning_rate=0.2, n_steps=4000)
final = result.losses[-1]

# The lowest end point, polished by Newton steps, is the minimum of the page.
lowest = int(np.argmin(final))
best = ms.minimize([(W[lowest], None) for W, _ in result.params], X, y)
minimum = ms.loss(best, X, y)
reached = final < minimum + 1e-4
print(f"minimum loss {minimum:.5f}; {reached.sum()} of {final.size} runs end within 1e-4 of it")
# sphinx_gallery_start_ignore
assert ms.classify_critical_point(best, X, y).kind == "minimum"
assert reached.mean() > 0.9, "nearly every run reaches the minimum's loss"
# sphinx_gallery_end_ignore

# %%
# Which copy?
# -----------
# The axes and the diagonals of the plane of incoming weights ``(w1, w2)`` cut
# it into eight sectors, and :func:`~mlp_symmetry.sign_flip_orbit` puts one
# copy of the minimum in each. A run that reaches the minimum's loss is counted
# for the copy of the sector it ends in. If every copy were equally likely,
# each count would be a binomial draw with probability 1/8.


def sector(w):
    """Index 0 to 7 of the sector, cut by the axes and the diagonals, that holds each point (w1, w2)."""
    return (np.floor(np.arctan2(w[..., 1], w[..., 0]) / (np.pi / 4)) % 8).astype(int)


w_copies = ms.sign_flip_orbit(best, 0)[0].W[..., 0]
order = np.argsort(sector(w_copies))
w_copies = w_copies[order]  # copy k lies in sector k
w_start, w_end = starts[0].W[..., 0], result.params[0].W[..., 0]
ends_in = sector(w_end)[reached]
counts = np.bincount(ends_in, minlength=8)
p_value = stats.chisquare(counts).pvalue
stayed = np.mean(sector(w_start)[reached] == ends_in)
expected = reached.sum() / 8  # an eighth of the runs that reached the minimum
print("runs per copy:", counts.tolist(), f"(expected {expected:.0f} each)")
print(f"chi-square test of equal shares: p = {p_value:.2f}")
print(f"share of runs that end in the sector they started in: {stayed:.2f}")
# sphinx_gallery_start_ignore
assert np.array_equal(sector(w_copies), np.arange(8)), "one copy per sector"
nearest_copy = np.argmin(np.linalg.norm(w_end[reached, None] - w_copies, axis=-1), axis=1)
assert np.array_equal(nearest_copy, ends_in), "each run ends nearest the copy of its sector"
spread = np.sqrt(reached.sum() * (1 / 8) * (7 / 8))
assert np.all(np.abs(counts - expected) < 3 * spread) and p_value > 0.05, "shares consistent with 1/8"
assert 0.35 < stayed < 0.65, "about half of the runs change sector"
# sphinx_gallery_end_ignore

# %%
# Every copy is reached, each within three binomial standard deviations of an
# eighth of the runs, and a chi-square test finds no evidence against equal
# shares. That is what the symmetry predicts: the starts are drawn from a
# distribution that sign flips and relabellings leave unchanged, and gradient
# descent commutes with them, so each copy attracts the same share of starts.
# Only about half of the runs end in the sector they started in; the others
# crossed a line between sectors on the way, where, as the page shows, the loss
# is at least that of the best network with one unit.
fig, (ax, ax_bar) = plt.subplots(1, 2, figsize=(9.6, 4.4), width_ratios=[1.1, 1])
for line in ([-5, 5], [5, -5]):
    ax.plot([-5, 5], line, ":", color="0.5", lw=1)
ax.axhline(0, color="0.5", ls=":", lw=1)
ax.axvline(0, color="0.5", ls=":", lw=1)
ax.scatter(*w_start[reached].T, s=5, color="0.75", label="starts")
ax.scatter(*w_end[reached].T, s=9, c=[PALETTE[k] for k in ends_in], zorder=3, label="ends, coloured by copy")
ax.plot(*w_copies.T, "*", color="black", fillstyle="none", markersize=14, zorder=4, label="the 8 copies")
ax.set(xlim=(-4.5, 4.5), ylim=(-4.5, 4.5), xlabel="incoming weight $w_1$", ylabel="incoming weight $w_2$")
ax.set_aspect("equal")
ax.set_title("Where the runs end")
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.17), ncols=3, fontsize=9, markerscale=1.5)
ax_bar.bar(np.arange(8), counts, color=PALETTE[:8])
ax_bar.axhline(expected, color="0.3", ls="--", lw=1.2, label="an eighth of the runs")
ax_bar.set_xticks(np.arange(8), [f"({w1:.1f}, {w2:.1f})" for w1, w2 in w_copies], rotation=45, ha="right")
ax_bar.set(xlabel="copy, by its incoming weights $(w_1, w_2)$", ylabel="runs that end there")
ax_bar.set_ylim(0, 1.35 * counts.max())  # room for the legend above the bars
ax_bar.set_title("How often each copy is reached")
ax_bar.legend(loc="upper center", bbox_to_anchor=(0.5, 1.0), fontsize=9)
plt.show()

# %%
# Conclusion
# ----------
# The eight copies are equally good, and training from random starts finds
# them equally often; which one a run reaches is decided by its start, in a
# way the sector of the start alone does not predict. Whether training can
# also end somewhere *worse* is the question of Part III.
