"""
Which mixings of hidden units keep the function depends on the activation
=========================================================================

Replace the hidden layer's weights W1, b1 by A W1, A b1 and the next layer's W2
by W2 A^-1. A linear layer accepts every invertible A, tanh only signed
permutations, ReLU only positive rescalings of a permutation.
"""

# %%
# Four kinds of matrix, three activations
# ---------------------------------------
# If the hidden layer computes ``h = act(W1 x + b1)``, the mixed network
# computes ``W2 A^-1 act(A (W1 x + b1))``. That equals ``W2 h`` for every input
# if ``act(A z) = A act(z)`` for every ``z``: the activation commutes with
# ``A``. We try four matrices ``A`` on a random network with three hidden units:
# a permutation, the same with two signs flipped, the same with the rows scaled
# by positive numbers, and a random (invertible) matrix.
import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import PALETTE, use_style

use_style()


def mix_units(params, A):
    """Mix the hidden units by A and undo the mixing in the next layer."""
    (W1, b1), (W2, b2) = params
    return [(A @ W1, A @ b1), (W2 @ np.linalg.inv(A), b2)]


net = ms.init_params([2, 3, 1], rng=5)
X = np.random.default_rng(3).normal(scale=2.0, size=(1000, 2))
cycle = np.eye(3)[[2, 0, 1]]
matrices = {
    "permutation": cycle,
    "signed permutation": np.diag([-1.0, 1.0, -1.0]) @ cycle,
    "scaled permutation": np.diag([0.5, 2.0, 3.0]) @ cycle,
    "random matrix": np.random.default_rng(4).normal(size=(3, 3)),
}
activations = ("identity", "tanh", "relu")
gaps = np.array(
    [
        [np.max(np.abs(ms.forward(mix_units(net, A), X, act) - ms.forward(net, X, act))) for A in matrices.values()]
        for act in activations
    ]
)
print("largest output change" + "".join(f"{name:>20s}" for name in matrices))
for act, row in zip(activations, gaps, strict=True):
    print(f"{act:>21s}" + "".join(f"{gap:20.1e}" for gap in row))
# sphinx_gallery_start_ignore
keeps = gaps < 1e-12
expected = np.array([[True, True, True, True], [True, True, False, False], [True, False, True, False]])
assert np.array_equal(keeps, expected) and gaps[~keeps].min() > 0.1
# sphinx_gallery_end_ignore

# %%
# Each change is either at the level of rounding or larger than 0.1. The
# function is kept exactly where the activation commutes with ``A``:
#
# - every activation commutes with a permutation, since it acts entry by entry;
# - tanh is odd, ``tanh(-z) = -tanh(z)``, so it also commutes with sign flips:
#   the ``2^n n!`` copies of :doc:`/part2/more_symmetries`;
# - ReLU is positively homogeneous, ``relu(a z) = a relu(z)`` for ``a > 0``, so
#   it commutes with positive scalings but not with a sign flip;
# - the identity commutes with everything, so a linear hidden layer can be
#   mixed by any invertible matrix, a continuous family of ``n^2`` dimensions.
#
# Sigmoid is not odd; it needs a shift of the next layer's bias to undo a sign
# flip, which the page :doc:`/part2/more_symmetries` shows. The picture shows
# the commuting conditions one number at a time: ``act(-z)`` against
# ``-act(z)``.
z = np.linspace(-3, 3, 201)
fig, axes = plt.subplots(1, 3, figsize=(9.6, 3.2), sharey=True)
for ax, act in zip(axes, activations, strict=True):
    net_z = [(np.ones((1, 1)), np.zeros(1)), (np.ones((1, 1)), np.zeros(1))]
    f = ms.forward(net_z, z[:, None], act)[:, 0]
    f_neg = ms.forward(net_z, -z[:, None], act)[:, 0]
    ax.plot(z, -f_neg, color=PALETTE[1], lw=4, alpha=0.5, label=r"$-\mathrm{act}(-z)$")
    ax.plot(z, f, color=PALETTE[0], label=r"$\mathrm{act}(z)$")
    ax.set(title=act, xlabel="$z$")
axes[0].set_ylabel("activation")
axes[0].legend()
fig.suptitle("A sign flip is a symmetry when the two curves coincide", fontweight="bold")
plt.show()

# %%
# Conclusion
# ----------
# The activation decides the symmetry group of a layer: permutations for every
# activation, sign flips for tanh, rescalings for ReLU, all invertible matrices
# for a linear layer. For a single hidden layer of tanh units without redundant
# units, permutations and sign flips are all there is (Sussmann, 1992,
# "Uniqueness of the weights for minimal feedforward nets with a given
# input-output map"). The continuous ReLU family is the subject of
# :ref:`sphx_glr_auto_examples_part2_symmetry_plot_04_relu_rescaling.py`.
