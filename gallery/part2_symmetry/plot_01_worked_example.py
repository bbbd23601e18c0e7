"""
Of the 720 ways to rearrange six weights, only the swap of whole units keeps the function
=========================================================================================

The network of the worked example has six weights. Shuffling them at random
almost always changes the function; of all 720 orders, exactly two compute the
original one: the original order and the swap of the two hidden units.
"""

# %%
# Every order of the six weights
# ------------------------------
# Two inputs, two tanh hidden units, one output, no biases: the four entries of
# ``W1`` and the two of ``W2``, flattened by :func:`~mlp_symmetry.flatten`.
# Every permutation of these six numbers is a network; we build all 720 with
# :func:`~mlp_symmetry.unflatten` and compare their outputs with the original
# on 2,000 random inputs, in one call of :func:`~mlp_symmetry.forward`.
import itertools

import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import PALETTE, use_style

use_style()

original = [(np.array([[-1.5, 2.0], [1.7, 0.4]]), None), (np.array([[2.3, 0.8]]), None)]
theta = ms.flatten(original)
orders = np.array(list(itertools.permutations(range(6))))
networks = ms.unflatten(theta[orders], [2, 2, 1], bias=False)
X = np.random.default_rng(0).normal(scale=2.0, size=(2000, 2))
change = np.max(np.abs(ms.forward(networks, X) - ms.forward(original, X)), axis=(-2, -1))
same = np.flatnonzero(change < 1e-12)
print(f"{len(orders)} orders; {len(same)} keep the function: {orders[same].tolist()}")
print(f"smallest output change among the others: {np.sort(change)[len(same)]:.2f}")
# sphinx_gallery_start_ignore
unit_swap = ms.flatten(ms.permute_hidden_units(original, 0, [1, 0]))
assert len(same) == 2 and np.array_equal(theta[orders[same[1]]], unit_swap)
assert not np.any(np.isclose(theta[:, None], -theta[None, :])), "no value is the negative of another"
assert np.sort(change)[len(same)] > 0.1
# sphinx_gallery_end_ignore

# %%
# The two survivors are the identity and the order that swaps rows of ``W1``
# together with the entries of ``W2``: exactly what
# :func:`~mlp_symmetry.permute_hidden_units` produces. Every other order moves
# the output by at least the amount printed above. Moving a weight from one
# unit to another, or an incoming weight to an outgoing one, breaks the
# function; only moving whole units keeps it.
others = np.delete(change, same)
fig, ax = plt.subplots()
ax.hist(np.log10(others), bins=30, color=PALETTE[0], label=f"the other {len(others)} orders")
for index, label, colour in zip(same, ("original order", "units swapped"), PALETTE[1:3], strict=True):
    value = max(change[index], 1e-17)  # an exact zero is drawn at 1e-17
    ax.axvline(np.log10(value), color=colour, lw=2, label=f"{label}: {change[index]:.0e}")
ax.set(xlabel="log10 of the largest output change", ylabel="number of orders")
ax.set_title("Rearranged weights: two orders keep the function")
ax.legend(loc="upper center", fontsize=9)
plt.show()

# %%
# Conclusion
# ----------
# Rearranging weights is not a symmetry in general; relabelling whole hidden
# units is. For a single hidden layer of tanh units without redundant units,
# relabellings and sign flips are the only weight changes that keep the
# function (Sussmann, 1992, "Uniqueness of the weights for minimal feedforward
# nets with a given input-output map"); sign flips negate weights, which no
# rearrangement can do here, since none of the six values is the negative of
# another. The page :doc:`/part2/worked_example`
# checks the swap on a dense grid, with and without biases; the next example
# looks at how far apart such copies lie,
# :ref:`sphx_glr_auto_examples_part2_symmetry_plot_02_permutation_orbit.py`.
