"""
A layer of n distinct hidden units gives every minimum n! copies
================================================================

All 5,040 relabellings of a seven-unit layer compute the same function and are
5,040 different weight vectors; two identical units halve the count, and deep
networks multiply the counts of their layers.
"""

# %%
# The whole orbit at once
# -----------------------
# :func:`~mlp_symmetry.permutation_orbit` returns all ``n!`` relabellings of a
# hidden layer stacked along a new leading axis, and every function of the
# package evaluates such a stack in one call.
import math

import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import PALETTE, use_style

use_style()

rng = np.random.default_rng(0)
X = rng.normal(size=(200, 2))
y = np.sin(X[:, 0]) * np.cos(X[:, 1])
net = ms.init_params([2, 7, 1], rng=1)
orbit = ms.permutation_orbit(net, 0)
outputs = ms.forward(orbit, X)
losses = ms.loss(orbit, X, y)
print(f"orbit members: {len(losses)}")
print(f"largest output difference to the original: {np.max(np.abs(outputs - ms.forward(net, X))):.1e}")
print(f"spread of the 5040 losses: {np.ptp(losses):.1e} (loss {losses[0]:.6f})")
assert len(losses) == math.factorial(7) == 5040
assert np.max(np.abs(outputs - ms.forward(net, X))) < 1e-13
assert np.ptp(losses) < 1e-13

# %%
# Same outputs, same loss, up to rounding. Are the members really different
# points? Sorting the flat weight vectors and dropping repeated rows
# (``np.unique(..., axis=0)``) counts the distinct ones without comparing all
# 12.7 million pairs one by one.
theta = ms.flatten(orbit)
n_distinct = len(np.unique(theta, axis=0))
print(f"distinct weight vectors: {n_distinct} of {len(theta)}")
assert n_distinct == 5040


# %%
# Ties shrink the orbit
# ---------------------
# If ``k`` units are identical (same incoming weights, bias and outgoing
# weight), relabelling them among themselves changes nothing, and the orbit has
# only ``n!/k!`` distinct members. We make units ``1, ..., k-1`` exact copies of
# unit 0 and count again, for every width up to seven.
def with_copies_of_unit_0(params, k):
    (W1, b1), (W2, b2) = params
    W1, b1, W2 = W1.copy(), b1.copy(), W2.copy()
    W1[1:k], b1[1:k], W2[:, 1:k] = W1[0], b1[0], W2[:, :1]
    return [(W1, b1), (W2, b2)]


def n_distinct_members(params):
    return len(np.unique(ms.flatten(ms.permutation_orbit(params, 0)), axis=0))


widths = np.arange(1, 8)
counts = {"all units distinct": [], "two identical units": [], "three identical units": []}
for n in widths:
    net_n = ms.init_params([2, n, 1], rng=n)
    for k, name in enumerate(counts, start=1):
        if n >= k:
            counts[name].append(n_distinct_members(with_copies_of_unit_0(net_n, k)))
factorials = np.array([math.factorial(n) for n in widths])
print({name: values for name, values in counts.items()})
assert counts["all units distinct"] == factorials.tolist()
assert counts["two identical units"] == (factorials[1:] // 2).tolist()
assert counts["three identical units"] == (factorials[2:] // 6).tolist()

# %%
# The measured counts are exactly ``n!``, ``n!/2`` and ``n!/6``.
fig, ax = plt.subplots()
for (name, values), k, colour in zip(counts.items(), (1, 2, 3), PALETTE[:3], strict=True):
    ax.plot(widths[k - 1 :], factorials[k - 1 :] // math.factorial(k), color=colour, alpha=0.5)
    ax.plot(widths[k - 1 :], values, "o", color=colour, label=f"{name} (line: $n!/{k}!$)")
ax.set_yscale("log")
ax.set(xlabel="hidden units $n$", ylabel="distinct weight vectors, same function")
ax.set_title("Distinct copies of one network: $n!$, fewer with ties")
ax.legend()
plt.show()

# %%
# Deep networks: the counts multiply
# ----------------------------------
# Each hidden layer can be relabelled independently of the others, so the
# number of relabellings is the product of ``n_l!`` over the layers.
# :func:`~mlp_symmetry.symmetry_group_order` computes it exactly (a Python
# integer) together with its logarithm from ``lgamma``.
small = ms.symmetry_group_order([2, 3, 4, 1], "relu")
big = ms.symmetry_group_order([784, 512, 512, 512, 10], "relu")
digits = str(big.order)
print(f"[2, 3, 4, 1]: {small.order} = 3! * 4!")
print(f"three layers of 512: (512!)^3 = {digits[:4]}... with {len(digits)} digits, about 10^{big.log10:.1f}")
assert small.order == 6 * 24
assert big.order == math.factorial(512) ** 3 and len(digits) == 3500
assert abs(big.log10 - 3 * math.lgamma(513) / math.log(10)) < 1e-9 and math.floor(big.log10) == 3499

# %%
# Conclusion
# ----------
# A minimum of a network with three hidden layers of 512 ReLU units has at least
# :math:`(512!)^3 \approx 10^{3499.6}` exact copies when its units are distinct.
# Distinct copies of a minimiser cannot all be the single minimiser that a
# strictly convex loss would have, and the next examples show that the
# straight lines between them climb over a bump. Tanh and ReLU add more
# symmetries still:
# :ref:`sphx_glr_auto_examples_part2_symmetry_plot_03_sign_flips.py`.
