"""
Equal ends do not make a bump: between random networks and their twins the loss often dips
==========================================================================================

The symmetry gives a network and its relabelled twin the same loss, but not a
rise between them. At random starting points the segment is lower in the
middle more often than not; a bump is certain only at a strict minimum.
"""

# %%
# A thousand random networks and their twins
# ------------------------------------------
# The data of the page :doc:`/part2/twin_minima`: fifty inputs in the plane and
# a bump-shaped target. :func:`~mlp_symmetry.init_runs` draws 1,000 networks
# with three tanh hidden units, the way training runs start, and
# :func:`~mlp_symmetry.permute_hidden_units` swaps units 0 and 1 of all of them
# at once. For each pair we evaluate the loss at 21 points of the segment and
# take the barrier ``max_t L(t) - (L(0) + L(1)) / 2``.
import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import PALETTE, use_style

use_style()

sizes = [2, 3, 1]
X = np.random.default_rng(0).normal(size=(50, 2))
y = np.exp(-0.5 * np.sum(X**2, axis=1))
starts = ms.init_runs(sizes, 1000, rng=11)
twins = ms.permute_hidden_units(starts, 0, [1, 0, 2])
t = np.linspace(0.0, 1.0, 21)
theta_a, theta_b = ms.flatten(starts), ms.flatten(twins)
path_loss = ms.loss(ms.unflatten((1 - t)[:, None, None] * theta_a + t[:, None, None] * theta_b, sizes), X, y)
barriers = path_loss.max(axis=0) - 0.5 * (path_loss[0] + path_loss[-1])
# sphinx_gallery_start_ignore
assert np.allclose(path_loss[0], path_loss[-1], rtol=1e-12, atol=0), "equal ends, as the symmetry promises"
# sphinx_gallery_end_ignore

# %%
# Both ends have the same loss in every pair. Between them:
n = len(barriers)
no_bump = np.mean(barriers <= 1e-12)
dip = np.mean(path_loss[10] < path_loss[0])
se = np.sqrt(no_bump * (1 - no_bump) / n)
print(f"segments that never rise above their ends: {no_bump:.1%} +- {se:.1%} (binomial standard error)")
print(f"segments whose midpoint is lower than the ends: {dip:.1%}")
# sphinx_gallery_start_ignore
assert no_bump - 3 * se > 0.5 and dip > 0.5, "more than half of the segments never rise"
assert 1 - no_bump - 3 * se > 0.25, "and more than a quarter have a bump"
# sphinx_gallery_end_ignore

# %%
# More than half of the segments never rise above their ends, even allowing
# three standard errors, and more than half are lower in the middle than at the
# ends; the rest do have a bump. The midpoint averages the
# weights of the two swapped units, and at a random starting point, which fits
# the data badly, such an average can as well fit it better as worse. So a bump
# between twins is not a consequence of the symmetry alone.
mid_change = path_loss[10] - path_loss[0]
dips, bumps = np.flatnonzero(barriers <= 1e-12), np.flatnonzero(barriers > 1e-12)
typical_dip = dips[np.argsort(mid_change[dips])[len(dips) // 2]]
typical_bump = bumps[np.argsort(barriers[bumps])[len(bumps) // 2]]
fig, (ax, ax_hist) = plt.subplots(1, 2, figsize=(9.6, 3.8))
for k, label, colour in ((typical_dip, "median dip", PALETTE[0]), (typical_bump, "median bump", PALETTE[1])):
    ax.plot(t, path_loss[:, k] - path_loss[0, k], "o-", ms=3, color=colour, label=label)
ax.axhline(0, color="0.3", lw=1)
ax.set(xlabel="position $t$ on the segment", ylabel="loss minus loss at the ends")
ax.set_title("Two typical segments")
ax.legend()
edges = np.logspace(-4, 1, 26)
ax_hist.hist(mid_change, bins=np.r_[-edges[::-1], edges], color=PALETTE[3])
ax_hist.axvline(0, color="0.3", lw=1)
ax_hist.set_xscale("symlog", linthresh=1e-4)
ax_hist.set_xticks([-10, -0.1, -1e-3, 0, 1e-3, 0.1, 10], ["-10", "-0.1", "-0.001", "0", "0.001", "0.1", "10"])
ax_hist.set(xlabel="loss at the midpoint minus loss at the ends", ylabel="random networks")
ax_hist.set_title("Lower or higher in the middle")
plt.show()

# %%
# Conclusion
# ----------
# Equal ends come from the symmetry, the bump from the ends being minima: at a
# strict minimum the loss rises in every direction at first, so the segment to
# any twin must climb before it comes back down. The page
# :doc:`/part2/twin_minima` measures that climb at a certified minimum, for all
# its copies. Next, what lies at the centre of a whole orbit:
# :ref:`sphx_glr_auto_examples_part2_symmetry_plot_06_orbit_average.py`.
