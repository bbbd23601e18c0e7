"""
At a ReLU minimum the Hessian has one zero eigenvalue per hidden unit
=====================================================================

The exact spectrum of a small trained ReLU network shows as many zero
eigenvalues as rescaling symmetries; for a larger digits network, Lanczos
iteration on Hessian-vector products gives the top of the spectrum without forming the Hessian.
"""

# %%
# A small network, certified
# --------------------------
# Fifty points in the plane, a bump-shaped target, a ReLU layer of four units.
# :func:`~mlp_symmetry.minimize` runs trust-region Newton steps from a few
# random starts; :func:`~mlp_symmetry.classify_critical_point` keeps the first
# end point with a tiny gradient and no negative eigenvalue, allowing one zero
# eigenvalue per hidden unit. Runs can also stop on a kink of the ReLU, where
# the Hessian is not defined, or at a point with more flat directions than the
# symmetries explain (a unit that is inactive on every sample adds its own).
import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import PALETTE, use_style

use_style()

rng = np.random.default_rng(0)
X = rng.normal(size=(50, 2))
y = np.exp(-0.5 * np.sum(X**2, axis=1))
sizes = [2, 4, 1]
verdicts = []
for seed in range(6):
    net = ms.minimize(ms.init_params(sizes, rng=seed, scale="he"), X, y, "relu")
    verdicts.append(ms.classify_critical_point(net, X, y, "relu"))
    if verdicts[-1].kind == "minimum":
        break
print("verdicts:", [v.kind for v in verdicts])
verdict = verdicts[-1]
predicted = ms.default_symmetry_zeros(sizes, "relu")
eigenvalues = np.linalg.eigvalsh(ms.hessian(net, X, y, "relu"))
scale = np.abs(eigenvalues).max()
n_zero = int(np.sum(np.abs(eigenvalues) < 1e-9 * scale))
print(f"{len(eigenvalues)} eigenvalues; {n_zero} below 1e-9 of the largest ({scale:.2f}); predicted {predicted}")
print(f"smallest non-zero eigenvalue: {eigenvalues[n_zero]:.2e}, gradient norm {verdict.grad_norm:.1e}")
assert verdict.kind == "minimum" and verdict.grad_norm < 1e-8
assert n_zero == predicted == 4 and eigenvalues[n_zero] > 1e-6 * scale

# %%
# Of the 17 eigenvalues, exactly four vanish (to rounding): one for each
# hidden unit, the direction that scales its incoming weights up and its
# outgoing weight down. The gap to the rest is wide: the smallest non-zero
# eigenvalue is more than a thousand times larger than the largest of them. A spectrum on a
# logarithmic scale shows both groups.
fig, ax = plt.subplots()
index = np.arange(1, len(eigenvalues) + 1)
zero = np.abs(eigenvalues) < 1e-9 * scale
ax.semilogy(index[~zero], np.abs(eigenvalues[~zero]), "o", color=PALETTE[0], label="positive eigenvalues")
ax.semilogy(index[zero], np.abs(eigenvalues[zero]), "s", color=PALETTE[1], label="zero to rounding: one per ReLU unit")
ax.set(xlabel="eigenvalue number (ascending)", ylabel="|eigenvalue| of the Hessian")
ax.set_title("Four ReLU units, four flat directions")
ax.legend()
plt.show()

# %%
# A larger network: Lanczos
# -------------------------
# A 64-64-64-10 ReLU network trained on the digits has almost 9,000
# parameters; its dense Hessian would take over 600 MB. :func:`~mlp_symmetry.lanczos_eigenvalues`
# runs SciPy's ``eigsh`` on exact Hessian-vector products instead, and on the
# small network above it reproduces the dense top of the spectrum.
top_small = ms.lanczos_eigenvalues(net, X, y, "relu", k=3, rng=0)
print(f"small network, top 3 by Lanczos {top_small.round(6)}, dense {eigenvalues[-3:].round(6)}")
assert np.allclose(top_small, eigenvalues[-3:], rtol=1e-8)

X_train, _, y_train, _ = ms.load_digits_split(rng=0)
digits_net = ms.train_adam(
    ms.init_params([64, 64, 64, 10], rng=1, scale="he"), X_train, y_train, learning_rate=3e-3, rng=0
)
top = ms.lanczos_eigenvalues(digits_net, X_train, y_train, "relu", "softmax_cross_entropy", k=5, tol=1e-6, rng=0)
n_big = ms.n_params([64, 64, 64, 10])
print(
    f"digits network: {n_big} parameters (dense Hessian {n_big**2 * 8 / 1e6:.0f} MB), top 5 eigenvalues {top.round(2)}"
)
assert 8_900 < n_big < 9_000 and n_big**2 * 8 > 600e6 and top[-1] > top[0] > 0

# %%
# Lanczos returns the five largest eigenvalues only; the other 8,965 lie below
# the fifth. This network is the end of ten passes of Adam, not an exact
# minimum, so we do not claim that its spectrum
# has exactly 128 zeros.
#
# Conclusion
# ----------
# At a solution the Hessian is positive semi-definite at best, never positive
# definite, for ReLU networks: every hidden unit contributes a flat direction
# along its rescaling curve. The minima are not points but valleys, as
# :ref:`sphx_glr_auto_examples_part2_symmetry_plot_04_relu_rescaling.py` shows
# for one unit.
