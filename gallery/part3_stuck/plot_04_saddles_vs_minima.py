"""
Newton's method stops at a saddle that gradient descent slides past
===================================================================

From one random start, Newton steps on the gradient converge to a saddle
point of a small tanh network, while gradient descent from the same start
goes on to a far lower loss. Slices through the saddle show why.
"""

# %%
# One start, two methods
# ----------------------
# A 2-3-1 tanh network (13 weights) learns 20 points labelled by a random 2-4-1
# teacher. :func:`~mlp_symmetry.certify_critical_point` refines the start by
# Newton (Levenberg-Marquardt) steps on the equation ``gradient = 0`` and
# classifies the point it reaches by its Hessian eigenvalues;
# :func:`~mlp_symmetry.train` runs plain gradient descent from the same start.
import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import PALETTE, use_style

use_style()
rng = np.random.default_rng(0)
X = rng.normal(size=(20, 2))
y = ms.forward(ms.init_params([2, 4, 1], rng=1, scale=2.0), X)[:, 0]
start = ms.init_params([2, 3, 1], rng=5)

saddle, verdict = ms.certify_critical_point(start, X, y)
descent = ms.train(tuple(ms.Layer(W[None], b[None]) for W, b in start), X, y, learning_rate=0.1, n_steps=2000)
print(f"start: loss {ms.loss(start, X, y):.3f}")
print(f"Newton: {verdict.kind}, loss {verdict.loss:.4f}, gradient norm {verdict.grad_norm:.0e}")
print(f"        {verdict.n_negative} negative Hessian eigenvalues: {np.round(verdict.eigenvalues[:2], 3)}")
print(f"gradient descent, 2000 steps: loss {descent.losses[-1, 0]:.4f}")
# sphinx_gallery_start_ignore
assert verdict.kind == "saddle" and verdict.grad_norm < 1e-10 and verdict.n_negative == 2
assert descent.losses[-1, 0] < 0.01 < verdict.loss - 0.1, "gradient descent ends far below the saddle"
assert np.all(np.diff(descent.losses[:, 0]) <= 1e-12), "and went downhill at every step"
# sphinx_gallery_end_ignore

# %%
# Newton's method solves ``gradient = 0`` and has no preference for minima: it
# stopped at a point where the gradient vanishes but two directions still lead
# downhill. Gradient descent from the same start went downhill at every step,
# past the saddle's level, to a loss below 0.01; the saddle sits above 0.1.
#
# Slices through the saddle
# -------------------------
# Along the eigenvector of the most negative Hessian eigenvalue the loss falls
# on both sides of the saddle; along the eigenvector of the largest eigenvalue
# it rises on both sides. A saddle is a minimum in some directions and a
# maximum in others.
theta = ms.flatten(saddle)
eigenvalues, eigenvectors = np.linalg.eigh(ms.hessian(saddle, X, y))
t = np.linspace(-0.5, 0.5, 81)
fig, axes = plt.subplots(1, 2, figsize=(9, 3.5), sharex=True)
for ax, column, colour, direction in ((axes[0], 0, PALETTE[1], -1), (axes[1], -1, PALETTE[0], 1)):
    along = ms.loss(ms.unflatten(theta + t[:, None] * eigenvectors[:, column], [2, 3, 1]), X, y) - verdict.loss
    print(f"eigenvalue {eigenvalues[column]:+.3f}: loss change at t = -0.5 and 0.5: {along[0]:+.4f}, {along[-1]:+.4f}")
    # sphinx_gallery_start_ignore
    assert np.all(np.sign(along[t != 0]) == direction), "down on both sides, or up on both sides"
    # sphinx_gallery_end_ignore
    ax.plot(t, along, color=colour)
    ax.axhline(0, color="0.4", lw=1, ls=":")
    ax.set(xlabel="step t along the eigenvector", title=f"eigenvalue {eigenvalues[column]:.2f}")
axes[0].set_ylabel("loss minus loss at the saddle")
_ = fig.suptitle("A saddle: down one way, up another")

# %%
# Gradient descent started at the saddle
# --------------------------------------
# At the saddle itself the gradient is zero, so gradient descent would stay
# there forever. Close to it, one step multiplies the component of the offset
# along an eigenvector with eigenvalue ``lambda`` by ``1 - 0.1 lambda``: the
# components along the two descent directions grow, those along the directions
# of positive curvature shrink, and those along the zero eigenvalues printed
# below (flat directions of the saddle) stay put to first order. So a nudge of
# size 1e-6 in a random direction is enough; after a plateau, the run leaves.
print(f"factors 1 - 0.1 lambda: {verdict.n_negative} above 1, {verdict.n_zero} equal to 1, the rest below 1")
# sphinx_gallery_start_ignore
growth = np.abs(1 - 0.1 * eigenvalues)
assert np.all(growth[: verdict.n_negative] > 1) and np.all(growth[verdict.n_negative + verdict.n_zero :] < 1)
# sphinx_gallery_end_ignore
nudge = np.random.default_rng(1).normal(size=theta.size)
nudged = ms.unflatten(theta + 1e-6 * nudge / np.linalg.norm(nudge), [2, 3, 1])
escape = ms.train(tuple(ms.Layer(W[None], b[None]) for W, b in nudged), X, y, learning_rate=0.1, n_steps=2000)
on_plateau = int(np.sum(np.abs(escape.losses[:, 0] - verdict.loss) < 1e-4))
print(f"steps within 1e-4 of the saddle's loss: {on_plateau}; final loss {escape.losses[-1, 0]:.4f}")
# sphinx_gallery_start_ignore
assert 50 < on_plateau < 1000 and escape.losses[-1, 0] < 0.01, "a plateau, then escape"
# sphinx_gallery_end_ignore

fig, ax = plt.subplots()
ax.semilogy(descent.losses[:, 0], color=PALETTE[2], label="from the random start")
ax.semilogy(escape.losses[:, 0], color=PALETTE[1], label="from the saddle, nudged by 1e-6")
ax.axhline(verdict.loss, color="0.4", lw=1, ls=":", label="loss at the saddle")
ax.set(xlabel="gradient-descent step", ylabel="training loss (log scale)", title="Gradient descent leaves the saddle")
_ = ax.legend(loc="upper right")

# %%
# Conclusion
# ----------
# A strict saddle, with a clearly negative eigenvalue, holds gradient descent
# for a while (here the plateau printed above) but not for good: a tiny
# perturbation grows until the run slides off. Newton's method, which converges to saddles as
# readily as to minima, is what the page :doc:`/part3/saddles_vs_minima` uses
# to collect them and to ask whether their number of descent directions grows
# with their loss. A saddle whose Hessian cannot see the way down is another
# matter: :ref:`degenerate saddles
# <sphx_glr_auto_examples_part3_stuck_plot_05_deep_linear.py>` hold gradient
# descent far longer.
