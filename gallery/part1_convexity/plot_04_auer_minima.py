"""
How far apart must the examples be? Closer than a factor of about five, the valleys merge
=========================================================================================

On data in the spirit of Auer, Herbster and Warmuth (1996) one sigmoid neuron
with squared error has a local minimum between each pair of neighbouring
examples when their inputs are ten times apart. Bring them closer and the
valleys disappear, all at once.
"""

# %%
# Counting minima for one spacing
# -------------------------------
# :func:`~mlp_symmetry.auer_dataset` puts example ``k`` at input ``ratio**-k``
# with target ``k % 2``; the neuron is ``sigmoid(w x)`` without bias. We sample
# the loss on a grid that is logarithmic in ``|w|`` (40 points per decade, on
# both sides of 0), take the grid points lower than both neighbours, and
# confirm each by Newton steps, gradient and curvature
# (:func:`~mlp_symmetry.confirm_minima`).
import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import use_style

use_style()
N_EXAMPLES = 6


def loss_and_minima(ratio):
    """Return the grid, the loss on it and the confirmed local minima for one spacing ratio."""
    X, y = ms.auer_dataset(N_EXAMPLES, ratio=ratio)
    f = ms.FlatLoss([1, 1], X, y, loss="sigmoid_mse", bias=False)
    decades = np.log10(1e2 / X.min()) + 2  # from |w| = 1e-2 to 1e2 / smallest input
    half = np.logspace(-2, decades - 2, int(40 * decades) + 1)
    w = np.concatenate([-half[::-1], [0.0], half])
    values = f(w[:, None])
    check = ms.confirm_minima(f, w[ms.grid_local_minima(values)][:, None])
    # sphinx_gallery_start_ignore
    assert check.is_minimum.all(), "every candidate is a confirmed minimum"
    # sphinx_gallery_end_ignore
    return w, values, check


ratios = np.round(np.arange(2.0, 8.01, 0.25), 2)
counts = np.array([len(loss_and_minima(r)[2].loss) for r in ratios])
print("ratio :", " ".join(f"{r:4.2f}" for r in ratios))
print("minima:", " ".join(f"{c:4d}" for c in counts))

# %%
# With inputs four and a half times apart or less there is a single minimum;
# from five to eight, the largest ratio tried, there are
# ``N_EXAMPLES - 1 = 5``, one between each pair of neighbouring examples. In
# between, at 4.75, the count is in between too.
merged, separate = ratios[counts == 1], ratios[counts == N_EXAMPLES - 1]
# sphinx_gallery_start_ignore
assert np.all(counts[ratios <= 4.5] == 1) and np.all(counts[ratios >= 5.0] == N_EXAMPLES - 1)
assert 1 < counts[ratios == 4.75][0] < N_EXAMPLES - 1
# sphinx_gallery_end_ignore
print(f"one minimum up to ratio {merged.max()}, {N_EXAMPLES - 1} from ratio {separate.min()} on")

fig, (ax_count, ax_loss) = plt.subplots(1, 2, figsize=(9.0, 3.6))
ax_count.plot(ratios, counts, "o-")
ax_count.set(xlabel="ratio of neighbouring inputs", ylabel="confirmed local minima", title="Minima against spacing")
ax_count.set_yticks(np.arange(1, N_EXAMPLES))
for r, colour in ((merged.max(), "C1"), (separate.min(), "C2")):
    w, values, check = loss_and_minima(r)
    noun = "minimum" if len(check.loss) == 1 else "minima"
    ax_loss.plot(w, values, color=colour, label=f"ratio {r}: {len(check.loss)} {noun}")
    ax_loss.plot(check.theta[:, 0], check.loss, "o", color=colour)
ax_loss.set_xscale("symlog", linthresh=1e-1)
ax_loss.set_xticks([-1e4, -1e2, -1, 0, 1, 1e2, 1e4], ["$-10^4$", "$-100$", "$-1$", "0", "1", "100", "$10^4$"])
ax_loss.minorticks_off()
ax_loss.set(xlabel="weight $w$ (logarithmic in $|w|$)", ylabel="training loss", title="The loss on either side")
fig.legend(*ax_loss.get_legend_handles_labels(), loc="outside lower center", ncols=2, fontsize=9)
plt.show()
# sphinx_gallery_start_ignore
assert 1 - 1 / (1 + np.exp(-4.0)) < 0.02, "the sigmoid at 4 is within 2 % of its limit (next paragraph)"
# sphinx_gallery_end_ignore

# %%
# A rough explanation: the error of one example changes over a wide range of
# ``|w|``, since the sigmoid needs ``|w x|`` to grow from 0 to about 4 to move
# from 1/2 to within 2 % of its limit. When neighbouring examples sit closer
# than that, a step up overlaps the next step down and no valley forms between
# them.
#
# The page :doc:`/part1/one_neuron_many_minima` counts the minima at
# ratio 10 as the data grow and across dimensions. The last example of this
# part adds a hidden layer to linear and logistic regression:
# :ref:`sphx_glr_auto_examples_part1_convexity_plot_05_hidden_layer_breaks_convexity.py`.
