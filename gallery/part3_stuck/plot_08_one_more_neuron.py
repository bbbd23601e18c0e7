"""
A new unit grown from zero leads out of a spurious minimum
==========================================================

The page :doc:`/part3/one_more_neuron` gives a spurious minimum of the ReLU
teacher-student problem one more unit by splitting one of its units, and finds
saddles. Here is the other way to add a unit without changing the function: a
new unit with zero weights. The loss has a kink there, and growing the new
unit along well-chosen directions lowers it at first order; we grow it and
follow gradient descent to the end.
"""

# %%
# The minimum and the slope of a new unit
# ---------------------------------------
# We take the spurious minimum of
# :ref:`sphx_glr_auto_examples_part3_stuck_plot_02_spurious_minima.py`
# (teacher and student with ``k = n = 8`` units, the same start and run). A
# new unit :math:`t u`, with a unit vector :math:`u` and :math:`t \ge 0`,
# changes the exact population loss to
# :math:`F(W) + t\, D(u) + t^2/4`, where :math:`D(u)` is the correlation of
# :math:`\mathrm{relu}(u \cdot x)` with the residual, student minus teacher.
# So :math:`D(u)` is the slope of the loss when the new unit starts to grow
# along :math:`u`; we read it off :func:`~mlp_symmetry.population_loss`.

import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import PALETTE, use_style

use_style()
k = n = 8
V = ms.orthonormal_teacher(k)


def gradient(theta, units):
    value, grad = ms.population_loss_and_gradient(theta.reshape(theta.shape[:-1] + (units, k)), V)
    return value, grad.reshape(theta.shape)


run = ms.gradient_descent(
    lambda t: gradient(t, n), ms.init_students(n, k, 1, rng=9).reshape(1, -1), learning_rate=0.4, n_steps=2000
)
W = ms.newton_polish(run.params.reshape(n, k), V, n_steps=3)
F0 = ms.population_loss(W, V)


def slope(U):
    """D(u) for each row u of U (unit vectors): F(W with the unit u) - F(W) - 1/4."""
    grown = np.concatenate([np.broadcast_to(W, (len(U), n, k)), U[:, None, :]], axis=1)
    return ms.population_loss(grown, V) - F0 - 0.25


# The slope in 4000 random directions, and along a great circle through the
# direction of unit 0 and the steepest of those directions.
U = np.random.default_rng(2).normal(size=(4000, k))
U /= np.linalg.norm(U, axis=1, keepdims=True)
D = slope(U)
w_bar = W[0] / np.linalg.norm(W[0])
p = U[np.argmin(D)] - (U[np.argmin(D)] @ w_bar) * w_bar
p /= np.linalg.norm(p)
angles = np.linspace(-np.pi, np.pi, 721)
circle = np.cos(angles)[:, None] * w_bar + np.sin(angles)[:, None] * p
on_circle = slope(circle)
kink = np.abs(on_circle + slope(-circle)).max()
print(f"spurious minimum: loss {F0:.5f}")
print(f"negative slope in {np.mean(D < 0):.0%} of 4000 random directions, down to {D.min():.4f}")
print(f"on the circle: D from {on_circle.min():.4f} to {on_circle.max():.4f}; largest |D(u) + D(-u)| {kink:.4f}")
# sphinx_gallery_start_ignore
assert 0.01 < F0 and np.linalg.norm(ms.population_loss_and_gradient(W, V)[1]) < 1e-12
assert abs(on_circle[360]) < 1e-12, "D vanishes along the direction of an existing unit"
assert on_circle[359] < 0 and on_circle[361] < 0, "and is negative on both sides of it"
assert kink > 1e-2, "D(u) + D(-u) is not zero: the loss has a kink at the zero unit"
assert np.mean(D < 0) > 0.3 and D.min() < -0.01, "downhill in many directions"
assert on_circle.min() <= D.min() + 1e-12, "the circle passes through the steepest random direction"
# sphinx_gallery_end_ignore

# %%
# Along the circle, :math:`D` vanishes where :math:`u` points like the existing
# unit 0 (angle 0) and is negative on both sides of it: a copy of unit 0 that
# leans a little away from it lowers the loss, and leaning further, towards the
# steepest random direction, lowers it faster. The slope for :math:`u` and for
# :math:`-u` (angle shifted by :math:`\pi`) do not cancel, so the loss is not
# differentiable at the zero unit.
fig, ax = plt.subplots()
ax.plot(np.degrees(angles), on_circle, color=PALETTE[0], label="$D(u)$, slope of the loss")
ax.axhline(0, color="0.3", lw=1)
ax.axvline(0, color="0.3", ls="--", lw=1, label="$u$ along the existing unit 0")
ax.set(
    xlabel="angle of $u$ from unit 0, towards the steepest random direction (degrees)",
    ylabel="slope $D(u)$ (loss per unit length)",
    xticks=np.arange(-180, 181, 60),
)
ax.set_title("Growing a new unit: downhill in a wide range of directions")
_ = ax.legend(loc="upper left")

# %%
# Grow, then descend
# ------------------
# Among the 4000 random directions we draw 30 of those with a negative slope,
# grow the new unit to the best length :math:`t = -2D(u)` (the minimum of
# :math:`t\,D(u) + t^2/4`), and run plain gradient descent with nine units
# for 3000 steps; :func:`~mlp_symmetry.classify_students` certifies the ends.
N_GROWN = 30
chosen = U[np.random.default_rng(3).choice(np.flatnonzero(D < 0), size=N_GROWN, replace=False)]
lengths = -2 * slope(chosen)
starts = np.concatenate([np.broadcast_to(W, (N_GROWN, n, k)), (lengths[:, None] * chosen)[:, None, :]], axis=1)
grown = ms.gradient_descent(lambda t: gradient(t, n + 1), starts.reshape(N_GROWN, -1), learning_rate=0.4, n_steps=3000)
kinds, losses, _ = ms.classify_students(grown.params.reshape(N_GROWN, n + 1, k), V)
to_zero = kinds == "global minimum"
p_zero = to_zero.mean()
print(f"loss after growing: from {grown.losses[0].min():.5f} to {grown.losses[0].max():.5f} (minimum: {F0:.5f})")
print("ends:", {str(kind): int(np.sum(kinds == kind)) for kind in np.unique(kinds)})
print(f"fraction at the global minimum: {p_zero:.2f} +- {np.sqrt(p_zero * (1 - p_zero) / N_GROWN):.2f}")
print("losses of the other ends:", np.unique(np.round(losses[~to_zero], 5)))
# sphinx_gallery_start_ignore
assert np.allclose(grown.losses[0], F0 - slope(chosen) ** 2, rtol=0, atol=1e-12), "F drops by D^2 exactly"
assert np.all(np.diff(grown.losses, axis=0) < 1e-12), "downhill at every step"
assert 0.5 < p_zero < 1, p_zero
assert np.all(kinds[~to_zero] == "spurious minimum"), "the other runs end at certified spurious minima"
assert np.all((losses[~to_zero] > 1e-3) & (losses[~to_zero] < F0)), "below the minimum we started from"
# sphinx_gallery_end_ignore

# %%
# Growing the unit lowers the loss by :math:`D(u)^2` at once, and gradient
# descent goes on from there. Most runs end at the global minimum, with loss
# below :math:`10^{-6}`; the others end at a certified spurious minimum of the
# network with nine units, lower than the one we started from. The zero unit
# is not even a critical point, but where a grown unit leads still depends on
# the direction it grows in.
fig, ax = plt.subplots()
for run in np.argsort(to_zero):  # the runs that stay above zero drawn last
    ax.semilogy(np.maximum(grown.losses[:, run], 1e-12), color=PALETTE[0] if to_zero[run] else PALETTE[1], lw=1)
ax.plot([], [], color=PALETTE[0], label="runs that end at the global minimum")
ax.plot([], [], color=PALETTE[1], label="runs that end at a spurious minimum with 9 units")
ax.axhline(F0, color="0.3", ls="--", lw=1, label=f"the spurious minimum with {n} units ({F0:.4f})")
ax.set(xlabel="gradient-descent step with 9 units", ylabel="population loss (log scale, floored at 1e-12)")
ax.set_title("From a grown unit: mostly to zero loss")
_ = ax.legend(loc="center right")
