"""
Gradient descent on XOR ends in one of two loss levels, decided by the start
============================================================================

We train the classic 2-2-1 tanh network on XOR from 300 random starts. The final
losses fall on two distinct levels; certifying each end point with the exact
Hessian tells us what the lower and the upper level are.
"""

# %%
# Three hundred runs, one vectorised computation
# ----------------------------------------------
# :func:`~mlp_symmetry.init_runs` draws the starts with a leading run axis and
# :func:`~mlp_symmetry.train` advances all of them together (plain gradient
# descent, learning rate 0.2, 2000 steps, squared error, targets +-1).

import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import PALETTE, use_style

use_style()
X = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
y = np.array([-1.0, 1.0, 1.0, -1.0])
N_RUNS = 300
result = ms.train(ms.init_runs([2, 2, 1], N_RUNS, rng=0), X, y, "tanh", learning_rate=0.2, n_steps=2000)
final = result.losses[-1]
levels, counts, labels = ms.distinct_levels(final, tol=1e-2)
print(f"levels {np.round(levels, 3)} with {counts} runs")
assert len(levels) == 2 and levels[0] < 1e-6 and abs(levels[1] - 0.5) < 0.01

# %%
# No run is in between: every final loss is either essentially zero or about
# 0.5. With targets +-1, a loss of 0.5 means the network fits two of the four
# points and predicts 0 for the other two.
#
# Certifying every end point
# --------------------------
# :func:`~mlp_symmetry.certify_critical_point` takes Newton steps on the gradient
# and classifies the point from the Hessian eigenvalues. The network has 9
# weights and XOR only 4 equations, so the exact solutions form a
# 5-dimensional family: we tell the classifier to expect 5 flat directions.
verdicts = []
for run in range(N_RUNS):
    net = tuple(ms.Layer(W[run], b[run]) for W, b in result.params)
    verdicts.append(ms.certify_critical_point(net, X, y, "tanh", max_iter=20, n_symmetry_zeros=5, global_loss=0.0)[1])
kinds = np.array([v.kind for v in verdicts])
n_zero = np.array([v.n_zero for v in verdicts])
for level in range(len(levels)):
    kind, count = np.unique(kinds[labels == level], return_counts=True)
    print(
        f"level {levels[level]:.3f}: {dict(zip(kind.tolist(), count.tolist(), strict=True))}, "
        f"flat directions {sorted(set(n_zero[labels == level].tolist()))}"
    )
assert np.all(kinds[labels == 0] == "global minimum")
upper = kinds[labels == 1]
assert np.all(np.isin(upper, ["degenerate", "not critical"])) and np.mean(upper == "degenerate") > 0.9
assert np.all(n_zero[(labels == 1) & (kinds == "degenerate")] == 6)
assert not np.any(kinds == "saddle"), "no run stopped at a saddle with a descent direction"

# %%
# The lower level is a certified global minimum in every run. The upper level is
# not a strict local minimum: where the refinement reaches a critical point
# (nearly every run; the rest still has a gradient above 1e-6 and is reported as
# "not critical"), there is no direction of negative curvature, but one more flat
# direction than the solution family explains. Second-order information
# cannot decide whether such a point is a minimum; what we can say is that
# gradient descent, run for 2000 steps, had not left it. The page
# :doc:`/part3/which_valley` runs these points further: most creep along a
# slope towards 0.5 as their weights grow, and a few escape to zero loss.
bad = labels == 1
p_bad = bad.mean()
se = np.sqrt(p_bad * (1 - p_bad) / N_RUNS)
print(f"stuck fraction {p_bad:.3f} +- {se:.3f} (binomial standard error; {bad.sum()} of {N_RUNS} runs)")
assert 0.05 < p_bad < 0.2 and se < 0.02

# %%
# The distribution of final losses
# --------------------------------
fig, ax = plt.subplots()
jitter = np.random.default_rng(1).uniform(-0.3, 0.3, N_RUNS)
for level, color, name in (
    (0, PALETTE[2], "certified global minimum"),
    (1, PALETTE[1], "upper level (flat, not a strict minimum)"),
):
    mask = labels == level
    ax.scatter(jitter[mask], final[mask], s=14, color=color, alpha=0.7, label=f"{name}: {mask.sum()} runs")
ax.set_xticks([])
ax.set_xlabel(f"{N_RUNS} runs (horizontal jitter only for visibility)")
ax.set_ylabel("final training loss")
ax.set_title("XOR: every run ends on one of two levels")
_ = ax.legend(loc="center right")

# %%
# Conclusion
# ----------
# Gradient descent always went downhill, yet in our runs the fraction printed
# above (between 5% and 20%, asserted) ended on the upper level, and nothing in
# the loss values tells you in advance which valley a start leads to. Here the bad valley is a flat,
# saturated plateau rather than a strict local minimum; the
# :ref:`teacher-student example <sphx_glr_auto_examples_part3_stuck_plot_02_spurious_minima.py>`
# shows certified strict spurious minima.
