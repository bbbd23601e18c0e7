"""
Between a minimum and its relabelled twin the loss climbs over a bump
=====================================================================

We train a network with three tanh hidden units to a certified minimum, build
its five relabelled twins, and measure the loss along the straight segments
between them: equal at both ends, much higher in between.
"""

# %%
# A certified minimum
# -------------------
# Fifty inputs in the plane and a bump-shaped target. After
# :func:`~mlp_symmetry.minimize`, :func:`~mlp_symmetry.classify_critical_point`
# checks that the gradient vanishes and every Hessian eigenvalue is positive.
import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import PALETTE, use_style

use_style()

rng = np.random.default_rng(0)
X = rng.normal(size=(50, 2))
y = np.exp(-0.5 * np.sum(X**2, axis=1))
sizes = [2, 3, 1]
net = ms.minimize(ms.init_params(sizes, rng=0), X, y)
verdict = ms.classify_critical_point(net, X, y)
print(f"{verdict.kind}: loss {verdict.loss:.2e}, gradient norm {verdict.grad_norm:.1e}")
print(f"Hessian eigenvalues from {verdict.eigenvalues[0]:.1e} to {verdict.eigenvalues[-1]:.1f}")
assert verdict.kind == "minimum" and verdict.grad_norm < 1e-8 and verdict.eigenvalues[0] > 0

# %%
# The loss along five segments at once
# ------------------------------------
# :func:`~mlp_symmetry.permutation_orbit` gives the six relabellings; member 0
# is the network itself. The points ``(1 - t) theta_a + t theta_b`` for 201
# values of ``t`` and all five twins form one ``(5, 201, 13)`` array, and one
# call of :func:`~mlp_symmetry.loss` evaluates all of them. The barrier of a
# segment is ``max_t L(t) - (L(0) + L(1)) / 2``.
perms = ms.all_permutations(3)
theta = ms.flatten(ms.permutation_orbit(net, 0))
theta_a, twins = theta[0], theta[1:]
t = np.linspace(0.0, 1.0, 201)
path = (1 - t)[None, :, None] * theta_a + t[None, :, None] * twins[:, None, :]
path_loss = ms.loss(ms.unflatten(path, sizes), X, y)
barriers = path_loss.max(axis=1) - 0.5 * (path_loss[:, 0] + path_loss[:, -1])
for perm, barrier in zip(perms[1:], barriers, strict=True):
    print(f"twin {perm}: barrier {barrier:.3f}, {barrier / verdict.loss:,.0f} times the loss at the ends")
assert np.allclose(path_loss[:, -1], verdict.loss, rtol=1e-10, atol=0)
assert np.all(barriers > 0.1) and np.all(barriers > 100 * verdict.loss)
assert (round(barriers.min(), 2), round(barriers.max(), 2)) == (0.12, 0.88)
assert barriers.min() > 200 * verdict.loss and barriers.max() > 1000 * verdict.loss

# %%
# The ends agree to rounding; in between the loss rises by 0.12 to 0.88, a few
# hundred to more than a thousand times the loss at the minimum. A convex
# function lies below every chord, here the flat line at the minimum loss; this
# one rises far above it.
#
# The two cyclic relabellings are inverse to each other, so relabelling maps
# one segment onto the other run backwards: their curves coincide (and
# overlap in the picture). The swap of units 0 and 1 has the lowest bump. Its midpoint is a network whose
# units 0 and 1 are identical: the bump is where the two units are forced to
# agree.
assert np.allclose(path_loss[2], path_loss[3][::-1], rtol=1e-10)
swap = perms[1:].tolist().index([1, 0, 2])
assert np.argmin(barriers) == swap
middle = ms.unflatten(path[swap, 100], sizes)
assert np.allclose(middle[0].W[0], middle[0].W[1]) and middle[0].b[0] == middle[0].b[1]

fig, ax = plt.subplots()
for perm, losses, colour in zip(perms[1:], path_loss, PALETTE[:5], strict=True):
    ax.plot(t, losses, color=colour, label=f"to the twin relabelled {tuple(int(i) for i in perm)}")
ax.axhline(verdict.loss, color="0.4", ls=":", label="the chord: loss at both ends")
ax.set_yscale("log")
ax.set(xlabel="position $t$ on the segment", ylabel="training loss (MSE, log scale)")
ax.set_title("Equal ends, a bump in between: the loss is not convex")
ax.legend(loc="center", bbox_to_anchor=(0.5, 0.3), fontsize=9)
plt.show()

# %%
# Conclusion
# ----------
# Two minima of equal loss with a ridge between them: no convex function looks
# like this. The bump is forced by the symmetry, not by the data, so every
# network with a layer of distinct units has it. What sits at the centre of the
# orbit is the subject of
# :ref:`sphx_glr_auto_examples_part2_symmetry_plot_06_orbit_average.py`.
