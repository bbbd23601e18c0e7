"""
Rescaling a ReLU unit keeps the loss but not the sharpness of a minimum
=======================================================================

Along the rescaling curve of a ReLU unit every point is the same minimum of the
same function, yet the largest Hessian eigenvalue, a common measure of
sharpness, changes by orders of magnitude. Only the signs of the eigenvalues
stay.
"""

# %%
# A ReLU minimum and its rescalings
# ---------------------------------
# Forty inputs in the plane and two ReLU hidden units, trained to a minimum by
# :func:`~mlp_symmetry.minimize`. Then :func:`~mlp_symmetry.rescale_units`
# multiplies unit 0's incoming weights and bias by ``a`` and its outgoing
# weight by ``1 / a``, for 41 values of ``a`` from 0.1 to 10, and
# :func:`~mlp_symmetry.classify_critical_point` examines every one of them.
import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import PALETTE, use_style

use_style()

X = np.random.default_rng(7).normal(size=(40, 2))
y = np.sin(X[:, 0]) + 0.5 * X[:, 1]
sizes = [2, 2, 1]
net = ms.minimize(ms.init_params(sizes, rng=1, scale="he"), X, y, "relu")
kink_distance = np.min(np.abs(X @ net[0].W.T + net[0].b))
a = np.logspace(-1, 1, 41)
scales = np.column_stack([a, np.ones_like(a)])
curve = ms.rescale_units(net, 0, scales)
verdicts = [ms.classify_critical_point(ms.unflatten(theta, sizes), X, y, "relu") for theta in ms.flatten(curve)]
top = np.array([v.eigenvalues[-1] for v in verdicts])
print(f"closest pre-activation to a kink: {kink_distance:.3f}")
print(f"losses along the curve spread by {np.ptp([v.loss for v in verdicts]):.1e}")
print(f"kinds: {sorted({v.kind for v in verdicts})}; negative eigenvalues {sorted({v.n_negative for v in verdicts})}")
print(f"zero eigenvalues {sorted({v.n_zero for v in verdicts})}")
print(f"largest eigenvalue: {top[20]:.1f} at a = 1, from {top.min():.1f} to {top.max():.0f} along the curve")
# sphinx_gallery_start_ignore
assert a[20] == 1.0 and kink_distance > 1e-2
assert np.ptp([v.loss for v in verdicts]) < 1e-12
assert {v.kind for v in verdicts} == {"minimum"} and {(v.n_negative, v.n_zero) for v in verdicts} == {(0, 2)}
assert top.max() > 20 * top.min()
# sphinx_gallery_end_ignore

# %%
# The same minimum of the same function everywhere: no negative eigenvalue and
# two zero ones (one rescaling direction per unit) at every point. But the
# largest eigenvalue changes by more than a factor of twenty.
#
# Why the spectrum moves and its signs do not
# -------------------------------------------
# Write the rescaling as a diagonal matrix ``T`` acting on the flat weights.
# Since ``L(T phi) = L(phi)`` for every ``phi``, differentiating twice gives
# ``H(T theta) = T^-1 H(theta) T^-1``. That is a congruence, so by Sylvester's
# law of inertia the numbers of positive, negative and zero eigenvalues stay,
# while their sizes do not. The identity holds to rounding:
T = ms.flatten(ms.rescale_units(ms.unflatten(np.ones(ms.n_params(sizes)), sizes), 0, [10.0, 1.0]))
H = ms.hessian(net, X, y, "relu")
H_scaled = ms.hessian(ms.rescale_units(net, 0, [10.0, 1.0]), X, y, "relu")
gap = np.abs(H_scaled - H / np.outer(T, T)).max()
print(f"largest entry of H(T theta) - T^-1 H T^-1 at a = 10: {gap:.1e} (entries up to {np.abs(H).max():.1f})")
# sphinx_gallery_start_ignore
assert gap < 1e-9 * np.abs(H).max()
# sphinx_gallery_end_ignore

fig, ax = plt.subplots()
ax.loglog(a, top, color=PALETTE[0], label="largest Hessian eigenvalue")
ax.axvline(1.0, color="0.5", lw=1, label="the trained network, $a = 1$")
ax.set(xlabel="scale $a$ of unit 0 (loss and function unchanged)", ylabel="largest eigenvalue")
ax.set_title("One minimum, many sharpnesses")
fig.legend(loc="outside lower center", ncols=2, fontsize=9)
plt.show()

# %%
# Conclusion
# ----------
# Sharpness measured by Hessian eigenvalues is not a property of the function a
# ReLU network computes: rescaling moves it at will while the loss stays put
# (Dinh, Pascanu, Bengio and Bengio, 2017, "Sharp minima can generalize for
# deep nets"). What survives the rescaling is the kind of critical point.
# Filter normalization corrects plots of the landscape for this,
# :ref:`sphx_glr_auto_examples_part4_landscape_plot_02_filter_normalization.py`.
# The page :doc:`/part2/more_symmetries` follows the curve through a minimum
# and its flat Hessian direction; next, the bump between copies,
# :ref:`sphx_glr_auto_examples_part2_symmetry_plot_05_twin_minima_barrier.py`.
