"""
One gradient-descent run that ends at a spurious local minimum
==============================================================

A ReLU student with as many units as its teacher is trained by plain gradient
descent from one start, and converges to a strict local minimum whose loss is
clearly above zero. We certify it and look at what the student got wrong.
"""

# %%
# One start, followed to the end
# ------------------------------
# The setting is that of Safran & Shamir (2018), "Spurious local minima are
# common in two-layer ReLU neural networks" (ICML): Gaussian inputs in
# dimension 8, a teacher :func:`~mlp_symmetry.orthonormal_teacher` with
# ``k = 8`` orthonormal units, a student with ``n = 8`` units, output weights
# fixed to one, and the exact population loss
# :func:`~mlp_symmetry.population_loss_and_gradient`. We picked the seed of
# :func:`~mlp_symmetry.init_students` so that this run ends at a spurious
# minimum; the page :doc:`/part3/spurious_minima` measures how often that
# happens. Plain gradient descent, step size 0.4, 2000 steps.

import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import DIVERGING_CMAP, PALETTE, use_style

use_style()
k = n = 8
V = ms.orthonormal_teacher(k)


def loss_and_grad(theta):
    value, grad = ms.population_loss_and_gradient(theta.reshape(theta.shape[:-1] + (n, k)), V)
    return value, grad.reshape(theta.shape)


start = ms.init_students(n, k, 1, rng=9).reshape(1, -1)
run = ms.gradient_descent(loss_and_grad, start, learning_rate=0.4, n_steps=2000)
W_end = run.params.reshape(n, k)
print(f"loss {run.losses[0, 0]:.3f} -> {run.losses[-1, 0]:.5f}, gradient norm at the end {run.grad_norms[-1, 0]:.1e}")
# sphinx_gallery_start_ignore
assert np.all(np.diff(run.losses[:, 0]) < 1e-12), "downhill at every step, up to rounding"
assert run.losses[-1, 0] > 0.01 and run.grad_norms[-1, 0] < 1e-8, "stopped with a clearly positive loss"
# sphinx_gallery_end_ignore

# %%
# The loss falls fast, then levels off well above zero while the gradient
# keeps shrinking towards zero: the run has converged, but not to the answer.
fig, ax = plt.subplots()
ax.semilogy(run.losses[:, 0], color=PALETTE[1], label="loss")
ax.semilogy(run.grad_norms[:, 0], color=PALETTE[0], label="gradient norm")
ax.set(xlabel="gradient-descent step", ylabel="value (log scale)", title="Converged, but not to zero loss")
_ = ax.legend(loc="upper right")

# %%
# The certificate
# ---------------
# Three Newton steps (:func:`~mlp_symmetry.newton_polish`) take the end point
# to the critical point it is converging to, and the exact Hessian
# :func:`~mlp_symmetry.population_hessian` decides what that point is.
W = ms.newton_polish(W_end, V, n_steps=3)
loss, grad = ms.population_loss_and_gradient(W, V)
eigenvalues = np.linalg.eigvalsh(ms.population_hessian(W, V))
print(f"loss {loss:.6f}, gradient norm {np.linalg.norm(grad):.1e}")
print(f"Hessian eigenvalues from {eigenvalues[0]:.4f} to {eigenvalues[-1]:.3f}; {np.sum(eigenvalues > 0)} of 64 > 0")
# sphinx_gallery_start_ignore
assert np.linalg.norm(grad) < 1e-12 and eigenvalues[0] > 1e-3, "a strict local minimum"
assert np.abs(W - W_end).max() < 1e-6, "the polish moved the point by less than 1e-6"
assert ms.classify_students(W[None], V)[0][0] == "spurious minimum", "the page's certificate agrees"
# sphinx_gallery_end_ignore

# %%
# The gradient vanishes to rounding and all 64 eigenvalues are positive: a
# strict local minimum, with a loss far above the global minimum of zero.
# A check that does not go through the Hessian: move a small distance (0.001)
# in 2000 random directions; the loss goes up every time.
directions = np.random.default_rng(0).normal(size=(2000, n, k))
directions /= np.linalg.norm(directions, axis=(1, 2), keepdims=True)
rise = ms.population_loss(W + 1e-3 * directions, V) - loss
print(f"loss increase over 2000 random directions: from {rise.min():.1e} to {rise.max():.1e}")
# sphinx_gallery_start_ignore
assert np.all(rise > 0), "every small move raises the loss"
# sphinx_gallery_end_ignore

# %%
# What the student got wrong
# --------------------------
# The cosine between each student unit and each teacher unit shows the
# mistake. Seven student units each sit close to one teacher unit; the eighth
# points away from the teacher unit that is left over, and the other seven
# lean towards it to make up for it.
cosines = (W / np.linalg.norm(W, axis=1, keepdims=True)) @ V.T
best = cosines.max(axis=0)
left_over = int(np.argmin(best))
print("best cosine for each teacher unit:", np.round(best, 2))
print(f"cosines with teacher unit {left_over}:", np.round(cosines[:, left_over], 2))
# sphinx_gallery_start_ignore
assert np.sum(best > 0.9) == k - 1 and best[left_over] < 0.3, "one teacher unit has no student of its own"
assert cosines[:, left_over].min() < -0.5, "one student points away from it"
# sphinx_gallery_end_ignore

fig, ax = plt.subplots()
image = ax.imshow(cosines, cmap=DIVERGING_CMAP, vmin=-1, vmax=1)
ax.set(xlabel="teacher unit", ylabel="student unit", title="Cosines at the spurious minimum")
ax.grid(False)
_ = fig.colorbar(image, ax=ax, label="cosine")

# %%
# Conclusion
# ----------
# Gradient descent went downhill all the way and stopped at a genuine local
# minimum: no direction decreases the loss, yet one teacher unit has no
# student unit of its own. Leaving it requires first going uphill. How often random starts end
# like this, and how one or two extra student units change the odds, is
# measured on :doc:`/part3/spurious_minima`.
