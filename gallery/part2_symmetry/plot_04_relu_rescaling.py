"""
ReLU minima are never isolated: rescaling a unit traces a curve of equal loss
=============================================================================

Scaling a ReLU unit's incoming weights by a > 0 and its outgoing weights by
1/a changes nothing, so every minimum lies on a continuous curve of minima, and
the tangent of that curve is a zero-curvature direction of the Hessian.
"""

# %%
# A trained ReLU network
# ----------------------
# Fifty inputs in the plane, a bump-shaped target, three ReLU hidden units.
# :func:`~mlp_symmetry.minimize` runs trust-region Newton steps on the exact
# Hessian; :func:`~mlp_symmetry.classify_critical_point` checks the gradient and
# the eigenvalues, allowing one zero eigenvalue per ReLU unit.
import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import PALETTE, use_style

use_style()

rng = np.random.default_rng(0)
X = rng.normal(size=(50, 2))
y = np.exp(-0.5 * np.sum(X**2, axis=1))
sizes = [2, 3, 1]
net = ms.minimize(ms.init_params(sizes, rng=1, scale="he"), X, y, "relu")
verdict = ms.classify_critical_point(net, X, y, "relu")
kink_distance = np.min(np.abs(X @ net[0].W.T + net[0].b))
print(f"{verdict.kind}: loss {verdict.loss:.5f}, gradient norm {verdict.grad_norm:.1e}")
print(f"eigenvalues near zero: {verdict.n_zero}, smallest non-zero: {verdict.eigenvalues[verdict.n_zero]:.3f}")
print(f"closest pre-activation to a kink: {kink_distance:.3f}")
assert verdict.kind == "minimum" and verdict.grad_norm < 1e-8
assert verdict.n_negative == 0 and verdict.n_zero == 3
assert kink_distance > 1e-3

# %%
# A minimum: tiny gradient, no negative eigenvalue, and exactly three
# eigenvalues at zero, one per hidden unit. No sample sits on a kink of a
# ReLU, so the loss is twice differentiable here and the Hessian means what it
# says.
#
# A curve of equal loss
# ---------------------
# :func:`~mlp_symmetry.rescale_units` applies the scale ``a`` to unit 0, for
# 201 values of ``a`` at once (a batch of parameters).
a = np.logspace(-1, 1, 201)
scales = np.ones((len(a), 3))
scales[:, 0] = a
curve = ms.rescale_units(net, 0, scales)
curve_loss = ms.loss(curve, X, y, "relu")
curve_norm = np.linalg.norm(ms.flatten(curve), axis=-1)
print(f"loss along the curve varies by {np.ptp(curve_loss):.1e}")
print(f"the norm of the weights ranges from {curve_norm.min():.2f} to {curve_norm.max():.2f}")
assert np.ptp(curve_loss) < 1e-12 and np.ptp(curve_norm) > 1.0
assert (round(curve_norm.min(), 1), round(curve_norm.max(), 1)) == (2.5, 10.7)

# %%
# The loss does not move while the norm of the weights more than doubles.
#
# The Hessian sees a flat direction
# ---------------------------------
# The tangent of the curve at ``a = 1`` adds unit 0's incoming weights and bias
# and subtracts its outgoing weight. Its Rayleigh quotient
# ``d . H d / d . d`` is the curvature of the loss along ``d``;
# :func:`~mlp_symmetry.hessian_vector_product` gives ``H d`` exactly.
(W1, b1), (W2, b2) = net
dW1, db1, dW2 = np.zeros_like(W1), np.zeros_like(b1), np.zeros_like(W2)
dW1[0], db1[0], dW2[:, 0] = W1[0], b1[0], -W2[:, 0]
tangent = ms.flatten([(dW1, db1), (dW2, np.zeros_like(b2))])
random = rng.normal(size=tangent.size)


def rayleigh(d):
    return float(d @ ms.hessian_vector_product(net, X, y, d, "relu") / (d @ d))


curvature_tangent, curvature_random = rayleigh(tangent), rayleigh(random)
print(
    f"curvature along the rescaling tangent: {curvature_tangent:.1e}; along a random direction: {curvature_random:.3f}"
)
assert abs(curvature_tangent) < 1e-10 * verdict.eigenvalues[-1]
assert curvature_random > 1e-3

# %%
# Zero to rounding along the tangent, clearly positive along a random direction.
# The picture compares the loss on three routes out of the minimum, each
# parameterised by the distance travelled.
s = np.linspace(-1.0, 1.0, 201)
theta = ms.flatten(net)
unit = lambda d: d / np.linalg.norm(d)  # noqa: E731
on_tangent = ms.loss(ms.unflatten(theta + s[:, None] * unit(tangent), sizes), X, y, "relu")
on_random = ms.loss(ms.unflatten(theta + s[:, None] * unit(random), sizes), X, y, "relu")
signed_distance = np.sign(np.log(a)) * np.linalg.norm(ms.flatten(curve) - theta, axis=-1)
fig, (ax, ax_norm) = plt.subplots(1, 2, figsize=(9.6, 3.8))
ax.plot(s, on_random, color=PALETTE[1], label="straight line, random direction")
ax.plot(s, on_tangent, color=PALETTE[0], label="straight line along the tangent")
ax.plot(signed_distance, curve_loss, "--", color=PALETTE[2], label="rescaling curve")
ax.set(xlim=(-1, 1), xlabel="distance from the minimum", ylabel="training loss")
ax.set_title("Flat along the rescaling, curved elsewhere")
ax.legend(loc="upper center")
ax_norm.semilogx(a, curve_norm, color=PALETTE[3], label="norm of the weights")
ax_norm.axvline(1.0, color="0.5", lw=1, label="the trained network, $a = 1$")
ax_norm.set(xlabel="scale $a$ of unit 0 (loss constant)", ylabel="Euclidean norm of all weights")
ax_norm.set_title("Same loss, norm from 2.5 to 10.7")
ax_norm.legend()
plt.show()

# %%
# Along the rescaling curve the loss stays at its minimum. The straight line
# along the tangent starts flat too but leaves the curve and rises slowly (at
# fourth order in the distance); a random direction rises at once.
#
# Conclusion
# ----------
# Every ReLU minimum sits on a family of minima of the same loss, one dimension
# per hidden unit, and the Hessian there has matching zero eigenvalues. A
# flat valley of minima is allowed in a convex function; the next example shows
# what is not: a bump between two copies of a minimum,
# :ref:`sphx_glr_auto_examples_part2_symmetry_plot_05_twin_minima_barrier.py`.
