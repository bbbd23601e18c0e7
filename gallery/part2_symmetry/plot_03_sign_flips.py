"""
Tanh units can also flip sign: 2^n n! copies of every network, all of the same norm
===================================================================================

Because tanh is odd, negating a unit's incoming weights, bias and outgoing
weights changes nothing; with the relabellings that makes 2^n n! copies.
Sigmoid has a relative of this symmetry that moves the next layer's bias.
"""

# %%
# The full group for four tanh units
# ----------------------------------
# ``tanh(-z) = -tanh(z)``, so a unit whose three pieces are all negated sends
# ``(-v) * tanh(-z) = v * tanh(z)`` to the next layer.
# :func:`~mlp_symmetry.sign_flip_orbit` builds every combination of sign flips
# and relabellings at once (:func:`~mlp_symmetry.flip_signs` applies one).
import math

import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import PALETTE, use_style

use_style()

rng = np.random.default_rng(0)
X = rng.normal(scale=2.0, size=(500, 3))
net = ms.init_params([3, 4, 2], rng=1)
orbit = ms.sign_flip_orbit(net, 0)
theta = ms.flatten(orbit)
gap = np.max(np.abs(ms.forward(orbit, X) - ms.forward(net, X)))
norms = np.linalg.norm(theta, axis=-1)
n_distinct = len(np.unique(theta, axis=0))
print(f"members: {len(theta)} = 2^4 * 4! = {2**4 * math.factorial(4)}, distinct: {n_distinct}")
print(f"largest output difference: {gap:.1e}; spread of the norms: {np.ptp(norms):.1e}")
assert len(theta) == n_distinct == 2**4 * math.factorial(4) == ms.symmetry_group_order([3, 4, 2], "tanh").order
assert gap < 1e-13
assert np.ptp(norms) < 1e-13

# %%
# All 384 members are distinct weight vectors with the same outputs and, since
# flips and relabellings only move and negate entries, the same Euclidean norm:
# they all lie on one sphere around the origin. So a penalty on the norm of the
# weights (weight decay) cannot tell them apart either.
#
# The same trick does not work for ReLU, which is not odd. ``flip_signs``
# refuses ``activation="relu"`` for that reason, so we negate unit 0 with the
# same arithmetic under the name of an odd activation and watch the outputs move:
negated = ms.flip_signs(net, 0, [-1, 1, 1, 1], "identity")
relu_gap = np.max(np.abs(ms.forward(net, X, "relu") - ms.forward(negated, X, "relu")))
print(f"ReLU network with unit 0 negated: outputs move by up to {relu_gap:.2f}")
assert relu_gap > 0.05


# %%
# Sigmoid: a flip plus a bias shift
# ---------------------------------
# Sigmoid is not odd, but ``sigmoid(-z) = 1 - sigmoid(z)``. So
# ``v * sigmoid(z) = v - v * sigmoid(-z)``: negate the unit's incoming weights
# and bias, negate its outgoing weights, and add the old outgoing weights to
# the next layer's bias. The function is unchanged, as long as that layer has a
# bias.
def flip_sigmoid_unit(params, unit):
    (W1, b1), (W2, b2) = params
    W1, b1, W2 = W1.copy(), b1.copy(), W2.copy()
    W1[unit], b1[unit] = -W1[unit], -b1[unit]
    b2 = b2 + W2[:, unit]
    W2[:, unit] = -W2[:, unit]
    return [(W1, b1), (W2, b2)]


flipped = flip_sigmoid_unit(net, 2)
sigmoid_gap = np.max(np.abs(ms.forward(flipped, X, "sigmoid") - ms.forward(net, X, "sigmoid")))
(W1, b1), (W2, b2) = flipped
without_shift = [(W1, b1), (W2, net[1].b)]
shift_gap = np.max(np.abs(ms.forward(without_shift, X, "sigmoid") - ms.forward(net, X, "sigmoid")))
print(f"sigmoid, flip with bias shift: {sigmoid_gap:.1e}; without the shift: {shift_gap:.2f}")
assert sigmoid_gap < 1e-13 and shift_gap > 0.1

# %%
# With the bias shift the outputs agree to rounding; without it they do not.
# The picture shows the identities behind both symmetries.
z = np.linspace(-4, 4, 201)
sig = 1 / (1 + np.exp(-z))
fig, ax = plt.subplots()
ax.plot(z, np.tanh(z), color=PALETTE[0], label=r"$\tanh(z)$")
ax.plot(z, -np.tanh(-z), "--", color=PALETTE[4], label=r"$-\tanh(-z)$: the same curve")
ax.plot(z, sig, color=PALETTE[1], label=r"$\sigma(z)$")
ax.plot(z, 1 - 1 / (1 + np.exp(z)), ":", color=PALETTE[2], lw=3, label=r"$1 - \sigma(-z)$: the same curve")
ax.set(xlabel="pre-activation $z$", ylabel="activation")
ax.set_title("tanh is odd; sigmoid is odd up to a shift")
ax.legend(loc="upper left")
plt.show()

# %%
# Conclusion
# ----------
# For tanh networks every minimum has at least ``2^n n!`` copies per hidden
# layer of ``n`` distinct units (Chen, Lu and Hecht-Nielsen, 1993), all at the
# same distance from the origin. These copies are isolated points. ReLU units
# have a *continuous* symmetry instead:
# :ref:`sphx_glr_auto_examples_part2_symmetry_plot_04_relu_rescaling.py`.
