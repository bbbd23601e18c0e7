"""
Where two units meet, the optimum of a smaller network becomes a saddle
=======================================================================

Make two hidden units coincide and fit the rest: the result is the optimum of
a network with one unit fewer, split in two. It is a critical point of the
larger network for every split of the outgoing weight, and its Hessian
eigenvalues say which kind.
"""

# %%
# From three units to two and back
# --------------------------------
# Start from the trained three-unit network of the previous examples.
# :func:`~mlp_symmetry.merge_units` replaces units 0 and 1 by one unit (their
# outgoing weights added), :func:`~mlp_symmetry.minimize` fits the resulting
# two-unit network, and :func:`~mlp_symmetry.split_unit` splits its first unit
# again, keeping a share ``lambda`` of the outgoing weight. The two copies have
# identical incoming weights: the point lies where units 0 and 1 meet.
import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import PALETTE, use_style

use_style()

rng = np.random.default_rng(0)
X = rng.normal(size=(50, 2))
y = np.exp(-0.5 * np.sum(X**2, axis=1))
net = ms.minimize(ms.init_params([2, 3, 1], rng=0), X, y)
small = ms.minimize(ms.merge_units(net, 0, 0, 1), X, y)
small_verdict = ms.classify_critical_point(small, X, y)
print(f"two-unit network: {small_verdict.kind}, loss {small_verdict.loss:.5f}")
assert small_verdict.kind == "minimum"


def gradient_norm(params):
    return float(np.linalg.norm(ms.flatten(ms.loss_and_gradient(params, X, y)[1])))


point = ms.split_unit(small, 0, 0, ratio=0.5)
unfitted = ms.split_unit(ms.merge_units(net, 0, 0, 1), 0, 0, ratio=0.5)
print(f"gradient norm after splitting the fitted two-unit network:   {gradient_norm(point):.1e}")
print(f"gradient norm after splitting the unfitted two-unit network: {gradient_norm(unfitted):.1e}")
assert gradient_norm(point) < 1e-8 and gradient_norm(unfitted) > 1e-2

# %%
# Splitting gives a critical point exactly when the smaller network is at one
# (Fukumizu and Amari, 2000): the gradient with respect to each copy is a share
# of the gradient of the unit it came from. Merging without refitting gives no
# critical point.
#
# A line of critical points, classified
# -------------------------------------
# Every ``lambda`` gives the same function, hence a whole line of critical points
# at the same loss. The direction along the line is one zero eigenvalue of the
# Hessian, so we tell :func:`~mlp_symmetry.classify_critical_point` to expect
# one.
ratios = np.linspace(-1.0, 2.0, 31)
verdicts = [ms.classify_critical_point(ms.split_unit(small, 0, 0, r), X, y, n_symmetry_zeros=1) for r in ratios]
kinds = np.array([str(v.kind) for v in verdicts])
n_negative = np.array([v.n_negative for v in verdicts])
line_losses = np.array([v.loss for v in verdicts])
ends = np.isclose(ratios, 0.0, atol=1e-12) | np.isclose(ratios, 1.0, atol=1e-12)
inside, outside = (ratios > 0) & (ratios < 1) & ~ends, ((ratios < 0) | (ratios > 1)) & ~ends
for name, where in (("in (0, 1)", inside), ("outside [0, 1]", outside), ("= 0 or 1", ends)):
    found = sorted(set(kinds[where].tolist()))
    negative = sorted(set(n_negative[where].tolist()))
    zeros = sorted({v.n_zero for v, w in zip(verdicts, where, strict=True) if w})
    print(f"lambda {name}: {found}, negative eigenvalues {negative}, zero eigenvalues {zeros}")
assert np.ptp(line_losses) < 1e-12 and line_losses[0] > 10 * ms.loss(net, X, y)
assert set(kinds[inside]) == {"saddle"} and set(n_negative[inside].tolist()) == {2}
assert set(kinds[outside]) == {"saddle"} and set(n_negative[outside].tolist()) == {1}
assert set(kinds[ends]) == {"degenerate"} and ends.sum() == 2

# %%
# On this problem the whole line consists of saddles: two descent directions
# between the endpoints, one outside. At ``lambda = 0`` or ``1`` one copy has
# no outgoing weight, so its incoming weights and bias are free: extra zero
# eigenvalues, a degenerate point. Fukumizu and Amari also show that for other
# data part of such a line can consist of local minima; here it does not.
eigenvalues = np.array([v.eigenvalues for v in verdicts])
mid = verdicts[np.argmin(np.abs(ratios - 0.5))]
assert mid.n_negative == 2 and mid.n_zero == 1
fig, (ax, ax_spec) = plt.subplots(1, 2, figsize=(9.6, 3.8))
for k, colour in zip(range(3), PALETTE[:3], strict=True):
    ax.plot(ratios, eigenvalues[:, k], color=colour, label=f"eigenvalue {k + 1} (ascending)")
ax.axhline(0, color="0.3", lw=1)
ax.axvspan(0, 1, color="0.9", label=r"$0 < \lambda < 1$")
ax.set_yscale("symlog", linthresh=1e-4)
ax.set(xlabel=r"share $\lambda$ kept by unit 0", ylabel="Hessian eigenvalue (symlog)")
ax.set_title("Negative curvature all along the line")
ax.legend(fontsize=9, loc="lower left")
colours = np.where(mid.eigenvalues < -1e-9, PALETTE[1], np.where(mid.eigenvalues > 1e-9, PALETTE[0], "0.4"))
ax_spec.scatter(np.arange(1, 14), mid.eigenvalues, c=colours, zorder=3)
ax_spec.axhline(0, color="0.3", lw=1)
ax_spec.set_yscale("symlog", linthresh=1e-4)
ax_spec.set(xlabel="eigenvalue index", ylabel="eigenvalue (symlog)")
ax_spec.set_title(r"Spectrum at $\lambda = 1/2$: 2 negative, 1 zero")
plt.show()

# %%
# Conclusion
# ----------
# At the permutation point ``lambda = 1/2`` the two units coincide entirely, so
# swapping them maps the point onto itself (Brea et al., 2019). It sits on
# the symmetric ridge between a minimum and its twin, at the loss of the
# smaller network, and it is a saddle: gradient descent can pass near it, but
# not stop there unless it starts exactly on the line. Part III of the site
# asks where training does stop.
