"""
Rescaling units by different factors moves a filter-normalised picture
======================================================================

Filter normalization (Li, Xu, Taylor, Studer & Goldstein 2018, "Visualizing
the loss landscape of neural nets") makes a plane through a ReLU network blind
to rescaling a whole layer. Give every unit its own factor instead, and the
picture moves, the more so the more the factors spread.
"""

# %%
# One network, many rescaled copies
# ---------------------------------
# A 64-32-32-10 ReLU network trained on the scikit-learn digits
# (:func:`~mlp_symmetry.train_adam`). :func:`~mlp_symmetry.rescale_units`
# multiplies the incoming weights and bias of each unit of the first hidden
# layer by its own factor ``a_i`` and the unit's outgoing weights by ``1/a_i``:
# the function does not change. The factors are drawn log-uniformly between
# ``1/s`` and ``s``, six draws for each spread ``s``.
import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import PALETTE, use_style

use_style()

X_train, _, y_train, _ = ms.load_digits_split(rng=0)
X, y = X_train[:300], y_train[:300]
net = ms.train_adam(ms.init_params([64, 32, 32, 10], rng=4, scale="he"), X_train, y_train, learning_rate=3e-3, rng=1)
spreads = np.array([1.1, 1.25, 1.5, 2.0, 4.0])
copies = {
    (s, draw): ms.rescale_units(net, 0, np.exp(np.random.default_rng(draw).uniform(-np.log(s), np.log(s), 32)))
    for s in spreads
    for draw in range(6)
}
change = max(np.max(np.abs(ms.forward(c, X, "relu") - ms.forward(net, X, "relu"))) for c in copies.values())
print(f"largest change of an output over all {len(copies)} copies: {change:.1e}")
# sphinx_gallery_start_ignore
assert change < 1e-10
# sphinx_gallery_end_ignore

# %%
# Every copy computes the same outputs, to rounding error.
#
# The same plane, filter-normalised, through each copy
# ----------------------------------------------------
# For each copy, :func:`~mlp_symmetry.random_direction` draws the two
# directions with the same seeds and normalises them unit by unit
# ("filter", the default), and :func:`~mlp_symmetry.loss_plane` evaluates the
# training loss on a 15 x 15 grid. We record the largest difference from the
# plane through the original network.
coords = np.linspace(-0.75, 0.75, 15)


def plane(params):
    """Training loss on the filter-normalised plane through ``params``."""
    d1, d2 = ms.random_direction(params, 1), ms.random_direction(params, 2)
    return ms.loss_plane(params, X, y, d1, d2, coords, coords, "relu", "softmax_cross_entropy")


original = plane(net)
moved = np.array([[np.max(np.abs(plane(copies[s, draw]) - original)) for draw in range(6)] for s in spreads])
low, high = original.min(), original.max()
print(f"loss on the original plane: {low:.2f} to {high:.2f}")
for s, row in zip(spreads, moved, strict=True):
    print(f"factors within 1/{s:<4} .. {s:<4}: largest difference {row.min():6.2f} to {row.max():6.2f}")
# sphinx_gallery_start_ignore
assert np.all(np.diff(moved.mean(axis=1)) > 0), "the picture moves more as the factors spread"
assert moved[0].min() > 0.1 and moved[-1].min() > high - low
# sphinx_gallery_end_ignore

# %%
# With every factor within 10% of 1 the plane already moves by more than 0.1
# in loss somewhere, and the mean difference grows with the spread: with
# factors between 1/4 and 4 every copy's plane differs from the original by
# more than the original's whole range of loss values. The page
# :doc:`/part4/filter_normalization` shows why one common factor leaves the
# filter-normalised plane unchanged: the normalised direction follows the
# rescaling. With a factor per unit, the outgoing weights of the next layer are
# rescaled column by column, which the row-by-row normalization cannot follow.
fig, ax = plt.subplots()
ax.errorbar(spreads, moved.mean(axis=1), yerr=moved.std(axis=1, ddof=1) / np.sqrt(6), fmt="o-", color=PALETTE[0])
ax.axhline(high - low, color="0.5", linestyle=":", label="range of the original plane")
ax.set_xscale("log")
ax.set_yscale("log")
ax.minorticks_off()
ax.set_xticks(spreads, [str(s) for s in spreads])
ax.set(xlabel="spread s of the per-unit factors", ylabel="largest difference of the plane (mean ± s.e.)")
ax.set_title("Per-unit rescaling moves the filter-normalised plane")
ax.legend()
plt.show()

# %%
# Conclusion
# ----------
# A filter-normalised picture is a picture of one point of an orbit of
# equivalent networks: rescale the units differently and it changes, even
# though the function does not. Comparisons of "sharp" and "flat" minima drawn
# this way should be read with that in mind. Next, aligning two networks by
# permuting their units:
# :ref:`sphx_glr_auto_examples_part4_landscape_plot_03_weight_matching.py`.
