"""
A saddle the Hessian cannot see holds gradient descent far longer than a strict one
===================================================================================

The deep linear toys ``(w1 w2 - 1)^2`` and ``(w1 w2 w3 - 1)^2`` both have a
saddle at the origin. The first is strict (a negative Hessian eigenvalue), the
second degenerate (a zero Hessian). For every factor of ten closer to them
that gradient descent starts, it needs a few more steps to leave the first and
ten times as many to leave the second.
"""

# %%
# Two chains of scalar weights
# ----------------------------
# One input ``x = 1`` with target ``y = 1``, no biases, no activation
# (``activation="identity"``): networks of layer sizes ``[1, 1, 1]`` and
# ``[1, 1, 1, 1]``. Every run starts on the diagonal, all weights equal to
# ``eps``, the direction in which both losses fall, at five distances ``eps``
# from the origin; :func:`~mlp_symmetry.train` runs all five at once. A run
# has *left* the saddle when its loss drops below 0.5 (it starts near 1).
import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import PALETTE, use_style

use_style()
one, target = np.ones((1, 1)), np.ones(1)
eps = np.array([1e-1, 3e-2, 1e-2, 3e-3, 1e-3])
LEARNING_RATE = 0.2
steps_to_leave = {}
for n_weights, n_steps in ((2, 100), (3, 2600)):
    chain = tuple(ms.Layer(eps[:, None, None].copy(), None) for _ in range(n_weights))
    run = ms.train(chain, one, target, "identity", learning_rate=LEARNING_RATE, n_steps=n_steps)
    # sphinx_gallery_start_ignore
    assert np.all(run.losses[-1] < 0.5), "every run has left the origin by the last step"
    # sphinx_gallery_end_ignore
    steps_to_leave[n_weights] = np.argmax(run.losses < 0.5, axis=0)
    print(f"{n_weights} weights: steps to leave the origin {steps_to_leave[n_weights].tolist()}")

# %%
# What to expect
# --------------
# Along the diagonal ``w = t`` the gradient of each weight is
# ``-2 t (1 - t^2)`` for two weights and ``-2 t^2 (1 - t^3)`` for three. Near
# the origin, the first multiplies ``t`` by ``1 + 2 eta`` per step (``-2`` is
# the negative Hessian eigenvalue), so each factor of 10 closer adds
# ``log 10 / log(1 + 2 eta)`` steps. The second adds ``2 eta t^2`` per step,
# which in continuous time takes ``(1/eps - 1/t_1) / (2 eta)`` steps to reach
# the point ``t_1`` where the loss is 0.5: ten times as many for every factor
# of 10 closer.
per_decade = -np.polyfit(np.log10(eps), steps_to_leave[2], 1)[0]
strict_predicted = np.log(10) / np.log(1 + 2 * LEARNING_RATE)
t_1 = (1 - np.sqrt(0.5)) ** (1 / 3)
flat_predicted = (1 / eps - 1 / t_1) / (2 * LEARNING_RATE)
relative_error = np.abs(steps_to_leave[3] / flat_predicted - 1)
print(f"strict saddle: {per_decade:.1f} more steps per factor of 10, predicted {strict_predicted:.1f}")
print(f"degenerate saddle: predicted steps {np.round(flat_predicted).astype(int).tolist()}")
print(f"largest relative error for eps <= 0.01: {relative_error[eps <= 0.01].max():.3f}")
# sphinx_gallery_start_ignore
assert abs(per_decade / strict_predicted - 1) < 0.1, "strict: a fixed number of steps per decade"
assert relative_error[eps <= 0.01].max() < 0.05, "degenerate: steps grow like 1 / eps"
# sphinx_gallery_end_ignore
ratio = steps_to_leave[3][-1] / steps_to_leave[2][-1]
print(f"at eps = {eps[-1]:.0e}: {ratio:.0f} times as many steps for the degenerate saddle")
# sphinx_gallery_start_ignore
assert ratio > 100
# sphinx_gallery_end_ignore

# %%
# Both predictions hold: close to the strict saddle, every factor of 10 costs
# the same few steps; close to the degenerate one, it multiplies the wait by
# 10. From the closest start, the degenerate saddle holds gradient descent
# more than a hundred times as long.
fig, ax = plt.subplots()
ax.loglog(eps, steps_to_leave[2], "o", color=PALETTE[0], label=r"$(w_1 w_2 - 1)^2$: strict saddle")
ax.loglog(eps, steps_to_leave[2][0] + strict_predicted * np.log10(eps[0] / eps), color=PALETTE[0], lw=1)
ax.loglog(eps, steps_to_leave[3], "s", color=PALETTE[1], label=r"$(w_1 w_2 w_3 - 1)^2$: degenerate saddle")
ax.loglog(eps, flat_predicted, color=PALETTE[1], lw=1, label="predictions")
ax.invert_xaxis()
ax.set(xlabel=r"distance $\varepsilon$ of the start from the origin (each weight)", ylabel="steps to loss < 0.5")
ax.set_title("Leaving a strict and a degenerate saddle")
_ = ax.legend(loc="upper left")

# %%
# Conclusion
# ----------
# In deep linear networks every local minimum is global (Kawaguchi, 2016, "Deep
# learning without poor local minima"), but with two or more hidden layers some
# saddles have no negative Hessian eigenvalue, and gradient descent leaves them
# slowly: the wait grows like ``1/eps`` instead of ``log(1/eps)``. The page
# :doc:`/part3/deep_linear` shows both loss surfaces and a deep linear network
# whose runs all reach the global loss. Next: :ref:`what helps when training
# does get stuck <sphx_glr_auto_examples_part3_stuck_plot_06_getting_unstuck.py>`.
