"""
Where gradient descent ends is decided where it starts: 150 runs, four valleys
==============================================================================

One sigmoid neuron with two weights has a loss surface we can draw in full.
It has four valleys at three different loss levels. This example starts
gradient descent from 150 random points and plays the runs as an animation:
every run goes downhill, and the start alone decides in which valley it ends.
"""

# %%
# One neuron, two weights, four valleys
# -------------------------------------
# The neuron is ``sigmoid(w1 x1 + w2 x2)`` without bias, trained with squared
# error (``loss="sigmoid_mse"``). The data come from
# :func:`~mlp_symmetry.auer_dataset` with six examples in two dimensions and a
# ratio of 5: three examples on each axis, at 1, 1/5 and 1/25, with targets
# 0, 1, 0. Each example only sees the weight of its own axis, so the loss is
# a sum of one function of ``w1`` and the same function of ``w2``, each with
# two valleys (the page :doc:`/part1/one_neuron_many_minima` explains why).
# We evaluate the loss on a grid with :class:`~mlp_symmetry.FlatLoss`, mark
# the grid minima and confirm them with :func:`~mlp_symmetry.confirm_minima`.
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.animation import FuncAnimation

import mlp_symmetry as ms
from mlp_symmetry.plotting import PALETTE, use_style

use_style()
X, y = ms.auer_dataset(6, n_dims=2, ratio=5.0)
surface = ms.FlatLoss([2, 1], X, y, loss="sigmoid_mse", bias=False)
grid = np.linspace(-5.0, 12.0, 341)
# plane[i, j] is the weight vector (grid[i], grid[j])
plane = np.stack(np.meshgrid(grid, grid, indexing="ij"), axis=-1)
on_plane = surface(plane)
valleys = ms.confirm_minima(surface, plane[ms.grid_local_minima(on_plane)])
order = np.argsort(valleys.loss, kind="stable")
minima, levels = valleys.theta[order], valleys.loss[order]
for k, (point, level) in enumerate(zip(minima, levels, strict=True)):
    print(f"valley {k}: w = ({point[0]:5.2f}, {point[1]:5.2f}), loss {level:.4f}")
# sphinx_gallery_start_ignore
assert valleys.is_minimum.all() and len(levels) == 4, "four confirmed minima"
assert np.allclose(levels[1], levels[2], rtol=1e-12) and np.all(np.diff(levels[[0, 1, 3]]) > 0.1), "three levels"
assert on_plane.min() >= levels[0] - 1e-12, "the lowest valley is the lowest point of the drawn plane"
# sphinx_gallery_end_ignore

# %%
# The two middle valleys are mirror images (exchanging the two weights
# exchanges the data of the two axes) and have the same loss. Between the two
# valleys of one weight the loss has a ridge; we read its position off the
# grid.
axis_loss = on_plane[:, 0]  # the loss along w1, at any fixed w2, up to a constant
between = (grid > minima[0, 0]) & (grid < minima[-1, 0])
ridge = grid[between][np.argmax(axis_loss[between])]
print(f"ridge between the two valleys of each weight at w = {ridge:.2f}")
# sphinx_gallery_start_ignore
assert np.allclose(on_plane - on_plane[:, :1], on_plane[:1] - on_plane[0, 0], atol=1e-12), "separable"
assert np.allclose(on_plane, on_plane.T, rtol=1e-12), "and symmetric in the two weights"
# sphinx_gallery_end_ignore

# %%
# 150 starts, 1,000 steps
# -----------------------
# The starts are drawn uniformly from the square ``[-4, 11]^2``.
# :func:`~mlp_symmetry.train` runs plain gradient descent (learning rate 40)
# on all of them at once. We stop it at 36 moments, roughly evenly spaced on
# a logarithmic scale of steps (the runs move fast early on), and continue
# from where it stopped: without momentum a step depends only on the current
# weights, so the pieces make up one run of 1,000 steps.
n_runs = 150
starts = np.random.default_rng(7).uniform(-4.0, 11.0, size=(n_runs, 2))
# The steps after which we look: 0, 1, 2, 3, 4, 5, 7, ..., 1000.
stops = np.r_[0, np.unique(np.round(np.geomspace(1, 1000, 41)).astype(int))]
positions, losses = [starts], [surface(starts)[None]]
params = ms.unflatten(starts, [2, 1], bias=False)
for n_steps in np.diff(stops):
    run = ms.train(params, X, y, loss="sigmoid_mse", learning_rate=40.0, n_steps=int(n_steps))
    params = run.params
    positions.append(ms.flatten(params))
    losses.append(run.losses[1:])
positions = np.array(positions)  # (stops, runs, 2)
losses = np.concatenate(losses)  # (steps + 1, runs)
ends = positions[-1]
valley = np.argmin(np.linalg.norm(ends[:, None, :] - minima[None], axis=-1), axis=1)
counts = np.bincount(valley, minlength=4)
print("runs per valley:", counts.tolist())
# sphinx_gallery_start_ignore
assert len(stops) == 37 and stops[-1] == 1000 and losses.shape == (1001, n_runs)
assert np.allclose(ends, minima[valley], rtol=0, atol=1e-3), "every run ends at a minimum"
assert np.all(np.diff(losses, axis=0) <= 1e-15), "every run goes downhill at every step"
assert np.all(counts > 0) and counts.sum() == n_runs
# sphinx_gallery_end_ignore

# %%
# The descent
# -----------
# Press play or drag the slider. Each dot is one run, coloured by the valley
# where it ends (the crosses); the dashed lines are the two ridges, which cut
# the plane into four basins. Watch the runs slide down without crossing a
# ridge: most first drop onto a line on which one weight has settled, then
# crawl along it. The slowest crawl along the floors of the three worse
# valleys, which are nearly flat along at least one weight. On the right, the
# losses of the runs gather on three levels.
colours = [PALETTE[0], PALETTE[1], PALETTE[2], PALETTE[3]]
bins = np.linspace(0.18, 0.48, 31)
fig, (ax, ax_hist) = plt.subplots(1, 2, figsize=(8.0, 4.0), dpi=72, width_ratios=[1.3, 1])
contour_levels = np.arange(0.2, 0.75, 0.05)
ax.contourf(grid, grid, on_plane.T, levels=contour_levels, cmap="Greys", vmin=0.0, vmax=1.2)
ax.contour(grid, grid, on_plane.T, levels=contour_levels, colors="0.5", linewidths=0.5)
ax.grid(False)
ax.axvline(ridge, color="0.2", ls="--", lw=1)
ax.axhline(ridge, color="0.2", ls="--", lw=1)
ax.scatter(*minima.T, marker="X", s=110, c=colours, edgecolors="k", zorder=3)
dots = ax.scatter(*starts.T, s=16, c=[colours[k] for k in valley], edgecolors="k", linewidths=0.4, zorder=4)
ax.set(xlabel="weight $w_1$", ylabel="weight $w_2$", xticks=range(-4, 13, 4), yticks=range(-4, 13, 4))
ax.set(aspect="equal", title="Runs on the loss surface")
step_text = ax.text(0.02, 0.97, "", transform=ax.transAxes, va="top", fontsize=10, backgroundcolor="white")
# A stacked histogram of the current losses, one layer per valley.
edges, widths = bins[:-1], np.diff(bins)
stacks = [ax_hist.bar(edges, 0, width=widths, align="edge", color=c, ec="k", lw=0.3) for c in colours]
for k in (0, 1, 3):
    ax_hist.axvline(levels[k], color="0.3", ls=":", lw=1)
ax_hist.set(xlim=bins[[0, -1]], ylim=(0, 80), xlabel="training loss", ylabel="runs")
ax_hist.set_title("Losses of the runs")
fig.canvas.draw()  # lay the figure out once; the frames only move the runs
fig.set_layout_engine("none")


def show(frame):
    """Draw the runs after ``stops[frame]`` steps."""
    dots.set_offsets(positions[frame])
    bottom = np.zeros(len(bins) - 1)
    for k, bars in enumerate(stacks):
        heights = np.histogram(losses[stops[frame], valley == k], bins)[0]
        for bar, low, height in zip(bars, bottom, heights, strict=True):
            bar.set_y(low)
            bar.set_height(height)
        bottom += heights
    step_text.set_text(f"step {stops[frame]:4d}")
    return dots, step_text, *(bar for bars in stacks for bar in bars)


animation = FuncAnimation(fig, show, frames=len(stops), interval=150)
plt.show()

# %%
# What the runs did, in numbers
# -----------------------------
# Every run went downhill at every step and ended at one of the four minima.
# Which one was decided by the start: a run ends beyond a ridge exactly when
# it started beyond it, so the share of runs in each valley is close to the
# share of the square in its basin. Only about two runs in five reach the
# lowest valley.
left = (ridge + 4.0) / 15.0  # the share of [-4, 11] below the ridge, for one weight
expected = n_runs * np.array([left * left, left * (1 - left), (1 - left) * left, (1 - left) ** 2])
for k in range(4):
    print(f"valley {k} (loss {levels[k]:.3f}): {counts[k]:3d} runs, {expected[k]:5.1f} expected from the area")
print(f"runs that reach the lowest valley: {counts[0] / n_runs:.0%}")
# sphinx_gallery_start_ignore
beyond = minima[valley] > ridge  # which weights end beyond the ridge
assert np.array_equal(beyond, starts > ridge), "the start decides the valley, weight by weight"
assert all(np.array_equal(p > ridge, beyond) for p in positions), "in every frame, every run is on its starting side"
assert np.all(np.abs(counts - expected) < 3 * np.sqrt(expected)), "counts close to the areas of the basins"
assert 0.35 < counts[0] / n_runs < 0.45, "about two in five"
# sphinx_gallery_end_ignore

# %%
# The crawl at the end has a measure: the Hessian
# (:func:`~mlp_symmetry.hessian`) at each minimum. Its smallest eigenvalue is
# the curvature of the flattest direction of the valley floor: about fifty
# times smaller in the three worse valleys than in the lowest one, and the
# runs that end there need many times more steps to come within 0.05 of
# their end point.
distance = np.linalg.norm(positions - ends, axis=-1)  # (frames, runs)
settled = stops[np.argmax(distance < 0.05, axis=0)]  # first stop within 0.05 of the end
flattest, median_settle = [], []
for k in range(4):
    curvature = np.linalg.eigvalsh(ms.hessian(ms.unflatten(minima[k], [2, 1], bias=False), X, y, loss="sigmoid_mse"))
    flattest.append(curvature[0])
    median_settle.append(np.median(settled[valley == k]))
    print(f"valley {k}: curvatures {curvature.round(5)}, median steps to settle {median_settle[k]:.0f}")
# sphinx_gallery_start_ignore
assert 40 < flattest[0] / max(flattest[1:]) < 60, "about fifty times flatter in one direction"
assert min(median_settle[1:]) > 5 * median_settle[0], "and their runs take many times more steps to settle"
assert np.all(valley[np.argsort(settled)[-n_runs // 10 :]] > 0), "the slowest tenth all end in worse valleys"
each = stops[np.argmax(np.abs(positions - ends) < 0.05, axis=0)]  # (runs, 2): steps until each weight settles
first, last = np.maximum(each.min(axis=1), 1), each.max(axis=1)
assert np.mean(last >= 2 * first) > 0.5, "most runs settle one weight first, then crawl along the other"
# sphinx_gallery_end_ignore

# %%
# Conclusion
# ----------
# On this loss each weight descends on its own curve, and with this step size
# no run ended on the other side of a ridge from where it started, so the
# outcome was fixed by the start. A larger network need not have such a simple
# map of its basins, but the lesson carries over: gradient descent goes to the
# bottom of the valley it starts in, which need not be the lowest. The page
# :doc:`/part3/which_valley` measures how often runs of a small network on XOR
# end on its worse level, and
# :ref:`sphx_glr_auto_examples_part3_stuck_plot_06_getting_unstuck.py`
# shows how smoothing the loss can move a run into another valley.
