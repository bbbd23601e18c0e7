"""
Four optimizers from one start: their paths on the loss surface
================================================================

Gradient descent, minibatch SGD, momentum and Adam leave the same starting
point of the 2-2-1 tanh network on XOR. Two of them reach zero loss, two stop
on the flat slope at loss 0.5 that :doc:`/part3/which_valley` describes. This
example draws the four paths on the plane through the start that fits them
best, in the manner of the principal-component view of training trajectories
of Li et al. (2018, "Visualizing the loss landscape of neural nets"), and
checks how much of the paths that plane shows.
"""

# %%
# One start, four optimizers
# --------------------------
# The start is run 60 of :func:`~mlp_symmetry.init_runs` with seed 0, chosen
# because the four methods disagree on it. Each method takes 1500 steps with :func:`~mlp_symmetry.train`:
# gradient descent with step 0.2; SGD with the same step on one sample drawn
# at random at every step (``batch_size=1``); heavy-ball momentum 0.9 with step
# 0.02 (on a constant gradient, the same step in the long run:
# 0.02 / (1 - 0.9)); and Adam with step
# 0.02. ``record_every=5`` keeps every fifth point of each path.
import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import PALETTE, use_style

use_style()
X = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
y = np.array([-1.0, 1.0, 1.0, -1.0])
RUN = 60
start = tuple(ms.Layer(W[RUN], b[RUN]) for W, b in ms.init_runs([2, 2, 1], RUN + 1, rng=0))
methods = {
    "gradient descent": dict(learning_rate=0.2),
    "SGD, batch of 1": dict(learning_rate=0.2, batch_size=1, rng=1),
    "momentum 0.9": dict(learning_rate=0.02, momentum=0.9),
    "Adam": dict(learning_rate=0.02, method="adam"),
}
runs = {
    name: ms.train(tuple(ms.Layer(W[None], b[None]) for W, b in start), X, y, n_steps=1500, record_every=5, **options)
    for name, options in methods.items()
}
final = {name: run.losses[-1, 0] for name, run in runs.items()}
ends = np.stack([run.path[-1, 0] for run in runs.values()])
distances = np.linalg.norm(ends[:, None] - ends[None], axis=-1)[np.triu_indices(4, 1)]
for name, value in final.items():
    print(f"{name:17s} final loss {value:.4f}")
print(f"closest two end points are {distances.min():.2f} apart")
# sphinx_gallery_start_ignore
stuck = {name for name, value in final.items() if abs(value - 0.5) < 0.01}
assert stuck == {"gradient descent", "momentum 0.9"}, "two runs stop at loss 0.5"
assert all(final[name] < 1e-3 for name in final if name not in stuck), "the other two reach zero loss"
assert distances.min() > 0.5, "the four ends are four different points"
# sphinx_gallery_end_ignore

# %%
# The plane of the paths
# ----------------------
# :func:`~mlp_symmetry.path_plane` takes the recorded points of all four
# paths and finds the plane through the start nearest to them: the two
# leading singular directions of their offsets from the start, returned in a
# :class:`~mlp_symmetry.PathPlane` with each point's two coordinates. The loss on that plane comes from
# :func:`~mlp_symmetry.loss_plane`. A plane shows a 9-dimensional path only in
# part: what the two directions miss, and how far the loss under a drawn point
# is from the loss of the run there, we measure.
origin = ms.flatten(start)
points = np.concatenate([run.path[:, 0] for run in runs.values()])
plane = ms.path_plane(points, origin)
print(
    f"share of the offsets' squared length on the plane: {plane.explained.sum():.0%} "
    f"({plane.explained[0]:.0%} + {plane.explained[1]:.0%})"
)
pad = 0.15 * np.ptp(plane.coordinates, axis=0)
alphas = np.linspace(plane.coordinates[:, 0].min() - pad[0], plane.coordinates[:, 0].max() + pad[0], 91)
betas = np.linspace(plane.coordinates[:, 1].min() - pad[1], plane.coordinates[:, 1].max() + pad[1], 91)
surface = ms.loss_plane(start, X, y, plane.d1, plane.d2, alphas, betas)
# The loss of each run at its recorded points, and the loss of the plane under them.
n_kept = next(iter(runs.values())).path.shape[0]
on_run = np.concatenate([run.losses[np.minimum(np.arange(n_kept) * 5, 1500), 0] for run in runs.values()])
projected = origin + plane.coordinates[:, :1] * plane.d1 + plane.coordinates[:, 1:] * plane.d2
under = ms.loss(ms.unflatten(projected, [2, 2, 1]), X, y)
gap = np.abs(under - on_run)
print(
    f"loss of the plane under a drawn point minus the run's own loss: median {np.median(gap):.3f}, "
    f"largest {gap.max():.3f}"
)
# sphinx_gallery_start_ignore
assert 0.8 < plane.explained.sum() < 0.99, "most, not all, of the paths lies on the plane"
assert np.median(gap) > 0.01 and gap.max() > 0.1, "the contours under a path are not the path's losses"
assert np.allclose(on_run[::n_kept], ms.loss(start, X, y)), "every path starts at the start's loss"
# sphinx_gallery_end_ignore

# %%
# The four paths on the plane, and their losses
# ----------------------------------------------
# Left: contours of the loss on the plane, each path from the start (black
# dot) to its end (a cross). Right: the loss of each run along its steps,
# computed on the network itself, not read off the plane.
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5), width_ratios=[1.1, 1], layout="constrained")
# Colours up to 3 (six times the stuck level); higher ground is all yellow.
contours = left.contourf(alphas, betas, surface, levels=np.linspace(0, 3, 16), cmap="viridis", extend="max")
fig.colorbar(contours, ax=left, label="loss on the plane")
offsets = np.cumsum([0] + [run.path.shape[0] for run in runs.values()])
for k, name in enumerate(runs):
    path = plane.coordinates[offsets[k] : offsets[k + 1]]
    left.plot(path[:, 0], path[:, 1], color=PALETTE[k], lw=2, label=f"{name} (loss {final[name]:.2f})")
    left.plot(*path[-1], "x", color=PALETTE[k], ms=12, mew=3)
    right.plot(np.arange(1501), runs[name].losses[:, 0], color=PALETTE[k], lw=2, label=name)
left.plot(0, 0, "o", color="black", ms=8)
left.set(
    xlabel=f"first direction ({plane.explained[0]:.0%} of the squared offsets)",
    ylabel=f"second direction ({plane.explained[1]:.0%})",
    title="Paths on the plane that fits them best",
)
left.legend(loc="best", fontsize=9)
right.set(
    xlabel="step",
    ylabel="loss of the run (whole data set)",
    yscale="symlog",
    title="Two reach zero loss, two stop at 0.5",
)
right.set_yscale("symlog", linthresh=1e-3)
right.legend()
plt.show()

# %%
# What the picture shows and what it does not
# -------------------------------------------
# From one start, the optimizer alone decided whether the run reached zero
# loss or stopped at 0.5. One start says nothing about how often that
# happens: :doc:`/part3/minibatch_noise` measures how often each method gets
# stuck over many starts. The plane holds most of the four paths' offsets, not all of
# them, and the contours under a path are the loss of the plane, not the
# loss of the run: the two differ by the amounts printed above. The right
# panel is the loss the runs really had.
