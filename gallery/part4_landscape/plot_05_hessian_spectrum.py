"""
Rescaling a ReLU minimum makes it as sharp as you like
======================================================

The largest Hessian eigenvalue is one way to measure how sharp a minimum is.
Rescaling the hidden units of a ReLU network leaves its function unchanged but
makes that eigenvalue as large as one likes; only the signs of the
eigenvalues stay put.
"""

# %%
# A certified minimum
# -------------------
# Forty points in the plane, the distance from the origin as target, and a
# ReLU layer of three units. :func:`~mlp_symmetry.minimize` runs trust-region
# Newton steps from one random start, and
# :func:`~mlp_symmetry.classify_critical_point` certifies the end point: a
# tiny gradient and no negative eigenvalue, with one zero eigenvalue per
# hidden unit allowed.
import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import PALETTE, use_style

use_style()

rng = np.random.default_rng(4)
X = rng.normal(size=(40, 2))
y = np.linalg.norm(X, axis=1)
sizes = [2, 3, 1]
net = ms.minimize(ms.init_params(sizes, rng=1, scale="he"), X, y, "relu")
verdict = ms.classify_critical_point(net, X, y, "relu")
print(f"{verdict.kind}: loss {verdict.loss:.4f}, gradient norm {verdict.grad_norm:.1e}")
# sphinx_gallery_start_ignore
assert verdict.kind == "minimum"
# sphinx_gallery_end_ignore

# %%
# The same function, rescaled
# ---------------------------
# :func:`~mlp_symmetry.rescale_units` multiplies the incoming weights and bias
# of every hidden unit by ``a`` and the outgoing weights by ``1/a``. For each
# ``a`` we compute the exact Hessian (:func:`~mlp_symmetry.hessian`) and count
# its positive and zero eigenvalues (zero meaning below ``1e-9`` times the
# largest).
factors = 2.0 ** np.arange(-3, 4)
spectra, losses = [], []
for a in factors:
    scaled = ms.rescale_units(net, 0, np.full(3, a))
    losses.append(ms.loss(scaled, X, y, "relu"))
    spectra.append(np.linalg.eigvalsh(ms.hessian(scaled, X, y, "relu")))
spectra = np.array(spectra)
largest = spectra[:, -1]
n_zero = np.sum(np.abs(spectra) < 1e-9 * largest[:, None], axis=1)
n_positive = np.sum(spectra >= 1e-9 * largest[:, None], axis=1)
for a, top, z, p in zip(factors, largest, n_zero, n_positive, strict=True):
    print(f"a = {a:6.3f}: largest eigenvalue {top:9.2f}, {p} positive, {z} zero")
# sphinx_gallery_start_ignore
assert np.ptp(losses) < 1e-12, "the loss does not change"
assert np.all(n_zero == 3) and np.all(n_positive == spectra.shape[1] - 3), "the signs do not change"
unscaled = largest[factors == 1][0]
assert largest[0] > 15 * unscaled and largest[-1] > 15 * unscaled
# sphinx_gallery_end_ignore
growth = (largest[0] / largest[1], largest[-1] / largest[-2])
print(f"last halving multiplies it by {growth[0]:.2f}, last doubling by {growth[1]:.2f}")
# sphinx_gallery_start_ignore
assert all(3.5 < g < 4.0 for g in growth)
# sphinx_gallery_end_ignore

# %%
# The loss is the same for every ``a``, and so are the signs: three zero
# eigenvalues, one per hidden unit, and the rest positive. The size of the
# eigenvalues is not: rescaling by 8 in either direction makes the largest
# eigenvalue more than fifteen times larger, and each further doubling or
# halving multiplies it by almost four. The hidden activations scale with
# ``a``, so the second derivatives along the outgoing weights scale with
# ``a**2``; those along the incoming weights scale with ``1/a**2``. That the
# signs stay put follows from the symmetry.
# Differentiating ``L(T theta) = L(theta)`` twice, for the linear rescaling
# ``T``, gives ``T^T H(T theta) T = H(theta)``: the two Hessians are
# congruent, and by Sylvester's law of inertia congruent matrices have the
# same numbers of positive, negative and zero eigenvalues, but in general not
# the same eigenvalues.
fig, ax = plt.subplots()
for a, color in zip(factors[[0, 3, 6]], PALETTE, strict=False):
    values = spectra[factors == a][0]
    ax.semilogy(np.arange(1, len(values) + 1), np.abs(values), "o-", color=color, label=f"a = {a:g}")
ax.set(xlabel="eigenvalue number (ascending)", ylabel="|eigenvalue| of the Hessian")
ax.set_title("One function, three spectra")
ax.legend()
plt.show()

# %%
# Conclusion
# ----------
# Dinh, Pascanu, Bengio & Bengio (2017, "Sharp minima can generalize for deep
# nets") used this rescaling to argue that measures of sharpness built on the
# Hessian need care when they are read as a property of the function: the
# same function sits at minima whose largest eigenvalue is as large as one
# likes. The
# zero directions, which the page :doc:`/part4/hessian` counts, are the part
# of the spectrum the rescaling cannot change. For one unit's flat curve, see
# :ref:`sphx_glr_auto_examples_part2_symmetry_plot_04_relu_rescaling.py`.
