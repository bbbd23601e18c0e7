"""
Deep linear networks are not convex, yet every local minimum is global
======================================================================

Without activation functions a deep network computes a product of matrices. Its
loss has saddles, some of them flat to second order, but gradient descent from
every one of our starts reaches the same, global, loss (Kawaguchi, 2016).
"""

# %%
# The smallest deep linear network
# --------------------------------
# One input ``x = 1``, target ``y = 1``, two weights and no biases: the network
# computes ``w2 * w1 * x`` and its squared error is ``(w1 w2 - 1)^2``. With
# ``activation="identity"`` the package computes this loss, its gradient and its
# exact Hessian like those of any other network.
import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import PALETTE, SEQUENTIAL_CMAP, use_style

use_style()
X, y = np.array([[1.0]]), np.array([1.0])


def scalar_net(*weights):
    """Return the 1-1-...-1 linear network without biases; weights may be arrays (a batch of networks)."""
    return tuple(ms.Layer(np.asarray(w, dtype=float)[..., None, None], None) for w in weights)


zero2, zero3 = scalar_net(0.0, 0.0), scalar_net(0.0, 0.0, 0.0)
eig2 = np.linalg.eigvalsh(ms.hessian(zero2, X, y, "identity"))
H3 = ms.hessian(zero3, X, y, "identity")
print(f"(w1 w2 - 1)^2 at 0: loss {ms.loss(zero2, X, y, 'identity')}, Hessian eigenvalues {eig2}")
print(f"(w1 w2 w3 - 1)^2 at 0: loss {ms.loss(zero3, X, y, 'identity')}, largest |Hessian entry| {np.abs(H3).max()}")
assert np.allclose(eig2, [-2.0, 2.0], rtol=0, atol=1e-12) and np.abs(H3).max() == 0.0
for zero in (zero2, zero3):
    assert np.all(ms.flatten(ms.loss_and_gradient(zero, X, y, "identity")[1]) == 0.0)

# %%
# The origin is a critical point of both. With two weights it is a *strict*
# saddle: the Hessian has eigenvalues -2 and 2, so the loss falls along
# ``w1 = w2`` and rises along ``w1 = -w2``. With three weights the Hessian is
# exactly zero: second-order information says nothing, and the loss leaves the
# origin only at third order, ``1 - 2 t^3 + t^6`` along ``w1 = w2 = w3 = t``.
# Both losses are non-convex: ``(1, 1)`` and ``(-1, -1)`` are minima with loss 0,
# and their midpoint, the origin, has loss 1.
w = np.linspace(-2, 2, 201)
W1, W2 = np.meshgrid(w, w)
surface = ms.loss(scalar_net(W1, W2), X, y, "identity")
t = np.linspace(-1.2, 1.2, 241)
diagonal2 = ms.loss(scalar_net(t, t), X, y, "identity")
antidiagonal2 = ms.loss(scalar_net(t, -t), X, y, "identity")
diagonal3 = ms.loss(scalar_net(t, t, t), X, y, "identity")
assert np.allclose(diagonal3, (t**3 - 1) ** 2) and np.all(diagonal3[(t > 0) & (t < 1)] < 1)
corners = ms.loss(scalar_net([1.0, -1.0, 0.0], [1.0, -1.0, 0.0]), X, y, "identity")
assert np.array_equal(corners, [0.0, 0.0, 1.0]), "two minima, and their midpoint at loss 1: not convex"
fig, (ax, ax_cut) = plt.subplots(1, 2, figsize=(10, 5))
levels = ax.contourf(W1, W2, np.log10(surface + 1e-3), levels=20, cmap=SEQUENTIAL_CMAP)
ax.plot(0, 0, "o", color=PALETTE[1], label="strict saddle at 0")
ax.plot([1, -1], [1, -1], "*", ms=12, color="white", mec="k", label="two global minima")
ax.set(xlabel="$w_1$", ylabel="$w_2$", aspect="equal")
ax.grid(False)
ax.set_title(r"$(w_1 w_2 - 1)^2$: a valley on each branch")
fig.colorbar(levels, ax=ax, label="log10(loss + 0.001)")
ax.legend(loc="lower right", fontsize=9)
ax_cut.plot(t, diagonal2, color=PALETTE[0], label=r"$(w_1 w_2-1)^2$ along $w_1 = w_2 = t$")
ax_cut.plot(t, antidiagonal2, color=PALETTE[0], ls="--", label=r"$(w_1 w_2-1)^2$ along $w_1 = -w_2 = t$")
ax_cut.plot(t, diagonal3, color=PALETTE[1], label=r"$(w_1 w_2 w_3-1)^2$ along $w_1 = w_2 = w_3 = t$")
ax_cut.set(xlabel="$t$", ylabel="loss", ylim=(0, 2.5))
ax_cut.set_title(r"From 0: down like $-2t^2$, or like $-2t^3$")
_ = ax_cut.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), fontsize=9)

# %%
# Along the diagonal, the two-weight loss drops like ``-2 t^2``: a descent
# direction that the Hessian sees. The three-weight loss is flat to second
# order and drops only like ``-2 t^3``: a degenerate saddle that no
# eigenvalue reveals.
#
# Many starts, one loss
# ---------------------
# Now a real deep linear network: 3 inputs, two hidden layers of 2 units, 3
# outputs, no biases, on 50 noisy samples of a linear map. It can only
# represent maps of rank 2, so its best loss is that of the best rank-2 linear
# map, which has a closed form (least squares, then the top 2 singular
# directions of the fitted values). Thirty runs of :func:`~mlp_symmetry.train`
# start from random weights, and :func:`~mlp_symmetry.certify_critical_point`
# certifies where they stop.
rng = np.random.default_rng(0)
X_data = rng.normal(size=(50, 3))
Y_data = X_data @ rng.normal(size=(3, 3)) + 0.5 * rng.normal(size=(50, 3))
B = np.linalg.lstsq(X_data, Y_data, rcond=None)[0]
_, _, Vt = np.linalg.svd(X_data @ B)
best_rank2 = ms.loss([((B @ Vt[:2].T @ Vt[:2]).T, None)], X_data, Y_data, "identity")
sizes = [3, 2, 2, 3]
result = ms.train(
    ms.init_runs(sizes, 30, rng=0, bias=False), X_data, Y_data, "identity", learning_rate=0.05, n_steps=1000
)
verdicts = [
    ms.certify_critical_point(
        tuple(ms.Layer(W[run], None) for W, _ in result.params),
        X_data,
        Y_data,
        "identity",
        max_iter=20,
        global_loss=best_rank2,
        loss_tol=1e-9,
    )[1]
    for run in range(30)
]
gap = max(abs(v.loss - best_rank2) for v in verdicts)
print(f"best rank-2 loss {best_rank2:.6f}; kinds {sorted({v.kind for v in verdicts})}, largest gap {gap:.1e}")
print(f"flat directions at the minima: {sorted({v.n_zero for v in verdicts})} (GL(2) twice: 4 + 4)")
assert all(v.kind == "global minimum" for v in verdicts) and gap < 1e-12
assert {v.n_zero for v in verdicts} == {8}

# %%
# All thirty runs end at a certified minimum whose loss equals the closed-form
# optimum to rounding. The minima are not isolated: inserting any invertible
# 2x2 matrix and its inverse between two layers changes nothing, which gives
# exactly the 8 flat directions printed above; the classifier expects them
# (:func:`~mlp_symmetry.default_symmetry_zeros`).
#
# Conclusion
# ----------
# Non-convex does not mean hard: the loss of a deep linear network has
# saddles, some invisible to the Hessian, but no local minimum worse than the
# global one. Nonlinear hidden units are what make
# :ref:`spurious minima <sphx_glr_auto_examples_part3_stuck_plot_02_spurious_minima.py>`
# possible. Next: :ref:`what helps when training does get stuck
# <sphx_glr_auto_examples_part3_stuck_plot_06_getting_unstuck.py>`.
