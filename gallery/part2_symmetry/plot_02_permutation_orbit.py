"""
The nearest copy of a network swaps its two most similar units
==============================================================

Of the n! relabellings of a hidden layer, the one closest to the network itself
is the swap of the two units whose weights are most alike, at sqrt(2) times
their distance. Every other copy is farther away.
"""

# %%
# Distances across the whole orbit
# --------------------------------
# Describe hidden unit ``i`` by one vector ``u_i``: its incoming weights, its
# bias and its outgoing weights. A relabelling ``pi`` moves the block of unit
# ``pi(i)`` to position ``i`` and leaves the output bias alone, so the squared
# distance between the network and its copy is
# ``sum_i |u_i - u_pi(i)|^2``. We check this on all 720 relabellings of a
# six-unit layer from :func:`~mlp_symmetry.permutation_orbit`.
import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import PALETTE, use_style

use_style()

net = ms.init_params([3, 6, 2], rng=4)
perms = ms.all_permutations(6)
theta = ms.flatten(ms.permutation_orbit(net, 0))
distance = np.linalg.norm(theta - theta[0], axis=1)
units = np.column_stack([net[0].W, net[0].b, net[1].W.T])
unit_gaps = np.linalg.norm(units[:, None] - units[None], axis=-1)
from_units = np.sqrt(np.sum(np.linalg.norm(units - units[perms], axis=-1) ** 2, axis=1))
print(f"{len(theta)} copies; the two distance formulas differ by at most {np.abs(distance - from_units).max():.1e}")
# sphinx_gallery_start_ignore
assert np.array_equal(perms[0], np.arange(6)) and np.allclose(distance, from_units, rtol=0, atol=1e-12)
# sphinx_gallery_end_ignore

# %%
# The two formulas agree to rounding. Now the nearest copy. A relabelling other
# than the identity moves units along cycles; a cycle through ``k`` units adds
# ``k`` squared unit gaps, each at least the smallest gap ``d_min``. So every
# copy is at least ``sqrt(2) d_min`` away, and the swap of the two closest
# units attains it.
i, j = np.unravel_index(np.argmin(unit_gaps + np.diag(np.full(6, np.inf))), unit_gaps.shape)
nearest = int(np.argmin(distance[1:])) + 1
d_min = unit_gaps[i, j]
print(f"closest units: {i} and {j}, gap {d_min:.3f}; nearest copy {perms[nearest]}, distance {distance[nearest]:.3f}")
# sphinx_gallery_start_ignore
swap = np.arange(6)
swap[[i, j]] = [j, i]
assert np.array_equal(perms[nearest], swap) and np.isclose(distance[nearest], np.sqrt(2) * d_min, rtol=1e-12)
assert np.all(distance[1:] >= np.sqrt(2) * d_min * (1 - 1e-12)) and np.sort(distance)[2] > distance[nearest]
# sphinx_gallery_end_ignore

# %%
# The nearest copy is exactly the swap of the closest pair, at ``sqrt(2)``
# times their gap. Sorted by how many units they move, the copies are on
# average farther away the more units move, but the farthest swap of two units
# lies beyond the nearest relabelling that moves all six.
moved = np.sum(perms != np.arange(6), axis=1)
mean_by_moved = [distance[moved == k].mean() for k in range(2, 7)]
print("mean distance by units moved (2 to 6):", np.round(mean_by_moved, 2))
# sphinx_gallery_start_ignore
assert np.all(np.diff(mean_by_moved) > 0), "on average, moving more units costs more distance"
assert distance[moved == 2].max() > distance[moved == 6].min(), "but not always"
# sphinx_gallery_end_ignore
jitter = np.random.default_rng(0).uniform(-0.15, 0.15, size=len(moved))
fig, ax = plt.subplots()
ax.scatter(moved + jitter, distance, s=6, color=PALETTE[0], alpha=0.5, label="one copy of the network")
ax.axhline(np.sqrt(2) * d_min, color=PALETTE[1], ls="--", label=r"$\sqrt{2}\,d_{min}$: swap of the closest pair")
ax.set(xlabel="number of units the relabelling moves", ylabel="distance to the network")
ax.set_title("720 copies of one network")
ax.legend(loc="lower right")
plt.show()

# %%
# Conclusion
# ----------
# The copies of a network are spread out, and how far the nearest one lies is
# set by the two most similar units. As two units approach each other, their
# swapped copy approaches the network, and when they coincide the two become
# one point: the tie that shrinks the orbit on the page
# :doc:`/part2/permutations`, and the setting of
# :ref:`sphx_glr_auto_examples_part2_symmetry_plot_07_permutation_points.py`.
# Tanh and ReLU add more symmetries still:
# :ref:`sphx_glr_auto_examples_part2_symmetry_plot_03_sign_flips.py`.
