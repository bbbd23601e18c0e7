"""
At a permutation point, every way down pulls the two twin units apart
=====================================================================

At a critical point where two hidden units coincide, swapping them maps the
point onto itself, so each Hessian eigenvector either keeps the twins together
or moves them in opposite directions. Only the second kind curves down.
"""

# %%
# A permutation point
# -------------------
# The target is made of two tanh units, ``tanh(2 x_1) - tanh(x_2)``. We fit a
# network with *one* hidden unit to it with :func:`~mlp_symmetry.minimize`,
# then duplicate that unit with :func:`~mlp_symmetry.split_unit`, each copy
# keeping half the outgoing weight. The two copies coincide, and the gradient
# of the two-unit network vanishes there (Fukumizu and Amari, 2000, "Local
# minima and plateaus in hierarchical structures of multilayer perceptrons"):
# a permutation point in the sense of Brea et al. (2019), "Weight-space
# symmetry in deep networks gives rise to permutation saddles, connected by
# equal-loss valleys across the loss landscape".
import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import PALETTE, use_style

use_style()

X = np.random.default_rng(1).uniform(-2, 2, size=(60, 2))
y = np.tanh(2 * X[:, 0]) - np.tanh(X[:, 1])
one_unit = ms.minimize(ms.init_params([2, 1, 1], rng=0), X, y)
one_unit_verdict = ms.classify_critical_point(one_unit, X, y)
point = ms.split_unit(one_unit, 0, 0, ratio=0.5)
grad_norm = np.linalg.norm(ms.flatten(ms.loss_and_gradient(point, X, y)[1]))
print(f"one-unit network: {one_unit_verdict.kind}, loss {one_unit_verdict.loss:.4f}")
print(f"two-unit network at the permutation point: gradient norm {grad_norm:.1e}")
# sphinx_gallery_start_ignore
assert one_unit_verdict.kind == "minimum" and grad_norm < 1e-8
# sphinx_gallery_end_ignore

# %%
# The swap as a matrix
# --------------------
# Applying :func:`~mlp_symmetry.permute_hidden_units` to every unit vector of
# weight space gives the swap as a 9 x 9 permutation matrix ``P``. The point is
# fixed by it, ``P theta = theta``, and since ``L(P phi) = L(phi)`` for every
# ``phi``, differentiating twice at the fixed point gives ``P H P^T = H``: the
# Hessian commutes with the swap.
sizes = [2, 2, 1]
n = ms.n_params(sizes)
P = ms.flatten(ms.permute_hidden_units(ms.unflatten(np.eye(n), sizes), 0, [1, 0])).T
theta = ms.flatten(point)
H = ms.hessian(point, X, y)
print(f"|P theta - theta| = {np.abs(P @ theta - theta).max():.0e}, |P H P^T - H| = {np.abs(P @ H @ P.T - H).max():.0e}")
# sphinx_gallery_start_ignore
assert np.array_equal(P @ theta, theta) and np.allclose(P @ H @ P.T, H, rtol=0, atol=1e-12)
# sphinx_gallery_end_ignore

# %%
# A symmetric matrix that commutes with ``P`` has eigenvectors that ``P``
# either leaves alone (*symmetric*: both twins move the same way) or negates
# (*antisymmetric*: the twins move in opposite directions), as long as its
# eigenvalues are distinct. Along a symmetric direction the twins stay equal,
# so the loss there is the loss of the one-unit network, which sits at a
# minimum: symmetric directions cannot curve down. Negative curvature can only
# pull the twins apart.
eigenvalues, vectors = np.linalg.eigh(H)
parity = np.einsum("ij,ij->j", vectors, P @ vectors)
for value, sign in zip(eigenvalues, parity, strict=True):
    print(f"eigenvalue {value:+.2e}: {'symmetric' if sign > 0 else 'antisymmetric'}")
# sphinx_gallery_start_ignore
assert np.min(np.diff(eigenvalues)) > 1e-6, "distinct eigenvalues"
assert np.allclose(np.abs(parity), 1, atol=1e-10), "every eigenvector is symmetric or antisymmetric"
assert np.all(eigenvalues[parity > 0] > 0) and np.all(parity[eigenvalues < -1e-10] < 0)
assert np.sum(eigenvalues < -1e-10) >= 1, "a saddle: at least one way down"
line_direction = np.zeros(n)
line_direction[-3:-1] = [1.0, -1.0]  # outgoing weights (v, -v): along the line of split networks
flat = vectors[:, np.argmin(np.abs(eigenvalues))]
assert abs(flat @ line_direction) / np.linalg.norm(line_direction) > 1 - 1e-8
# sphinx_gallery_end_ignore

# %%
# Every symmetric eigenvalue is positive and every negative one belongs to an
# antisymmetric eigenvector. (The eigenvalue near zero belongs to an
# antisymmetric eigenvector too: it moves outgoing weight from one twin to the
# other, along the line of split networks.) The picture follows the loss along the most negative eigenvector
# and along the flattest symmetric one.
down = vectors[:, 0]
flattest_symmetric = vectors[:, np.flatnonzero(parity > 0)[0]]
s = np.linspace(-1.0, 1.0, 201)
fig, (ax, ax_spec) = plt.subplots(1, 2, figsize=(9.6, 3.8))
for d, label, colour in (
    (down, "most negative eigenvector (twins pulled apart)", PALETTE[1]),
    (flattest_symmetric, "flattest symmetric eigenvector (twins together)", PALETTE[0]),
):
    ax.plot(s, ms.loss(ms.unflatten(theta + s[:, None] * d, sizes), X, y), color=colour, label=label)
ax.axhline(one_unit_verdict.loss, color="0.4", ls=":", label="the permutation point")
ax.set(xlabel="step along the eigenvector", ylabel="training loss")
ax.set_title("Down only when the twins separate")
index = np.arange(1, n + 1)
for keep, label, colour in ((parity > 0, "symmetric", PALETTE[0]), (parity < 0, "antisymmetric", PALETTE[1])):
    ax_spec.scatter(index[keep], eigenvalues[keep], color=colour, label=label, zorder=3)
ax_spec.axhline(0, color="0.3", lw=1)
ax_spec.set_yscale("symlog", linthresh=1e-3)
ax_spec.margins(y=0.08)  # the largest eigenvalues drawn whole
ax_spec.set(xlabel="eigenvalue index", ylabel="Hessian eigenvalue")
fig.legend(loc="outside lower center", ncols=3, fontsize=9)
ax_spec.set_title("Spectrum at the permutation point")
plt.show()

# %%
# The way out
# -----------
# A small step along the most negative eigenvector moves the twins' incoming
# weights in opposite directions; from there :func:`~mlp_symmetry.minimize`
# separates the units completely and fits the target, which two tanh units can
# represent exactly.

# sphinx_gallery_start_ignore
assert np.allclose(ms.unflatten(down, sizes)[0].W[0], -ms.unflatten(down, sizes)[0].W[1])
# sphinx_gallery_end_ignore
fitted = ms.minimize(ms.unflatten(theta + 0.01 * down, sizes), X, y)
unit_gap = np.linalg.norm(fitted[0].W[0] - fitted[0].W[1])
print(f"after the escape: loss {ms.loss(fitted, X, y):.1e}, distance between the incoming weights {unit_gap:.2f}")
# sphinx_gallery_start_ignore
assert ms.loss(fitted, X, y) < 1e-12 and unit_gap > 1.0
# sphinx_gallery_end_ignore

# %%
# Conclusion
# ----------
# At a permutation point the symmetry splits weight space into directions that
# keep the twins together, where the loss is that of the smaller network, and
# directions that pull them apart. Whenever the smaller network sits at a
# minimum, as here, only the second kind can lead down. The page
# :doc:`/part2/permutation_points` follows the whole line of split networks
# through such a point; Part III starts gradient descent next to such a line
# and watches it stall,
# :ref:`sphx_glr_auto_examples_part3_stuck_plot_03_critical_lines.py`.
