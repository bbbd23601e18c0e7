"""
A trained curve joins two solutions almost without a hill
=========================================================

The straight line between two independently trained networks climbs a hill; a
quadratic Bezier curve whose middle point is trained (Garipov et al. 2018)
connects the same two networks with a barrier many times lower.
"""

# %%
# Two solutions and the straight line between them
# ------------------------------------------------
# Two 64-32-32-10 ReLU networks trained from different random starts on the
# scikit-learn digits (:func:`~mlp_symmetry.train_adam`).
import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import PALETTE, use_style

use_style()

X_train, X_test, y_train, y_test = ms.load_digits_split(rng=0)
sizes = [64, 32, 32, 10]
starts = ms.unflatten(np.stack([ms.flatten(ms.init_params(sizes, rng=s, scale="he")) for s in (1, 2)]), sizes)
trained = ms.train_adam(starts, X_train, y_train, n_epochs=10, learning_rate=3e-3, rng=0)
net_a, net_b = (tuple(ms.Layer(layer.W[i], layer.b[i]) for layer in trained) for i in (0, 1))
model = ("relu", "softmax_cross_entropy")

# %%
# Training the bend
# -----------------
# The curve ``c(t) = (1-t)^2 A + 2t(1-t) M + t^2 B``
# (:func:`~mlp_symmetry.bezier_curve`) starts at A and ends at B whatever the
# control point ``M``. :func:`~mlp_symmetry.fit_bezier_control` moves ``M`` to
# lower the average loss along the curve: at each Adam step it draws four
# positions ``t`` and uses the chain rule, ``dL(c(t))/dM = 2t(1-t) ∇L(c(t))``
# (:func:`~mlp_symmetry.bezier_loss_and_gradient`). It starts from the
# midpoint of the segment, that is, from the straight line.
fit = ms.fit_bezier_control(net_a, net_b, X_train, y_train, *model, n_steps=150, n_t=4, learning_rate=0.01, rng=0)
t = np.linspace(0.0, 1.0, 41)
losses = {}
for split, (X, y) in {"training": (X_train, y_train), "held-out": (X_test, y_test)}.items():
    losses[split, "line"] = ms.path_losses(net_a, net_b, X, y, t, *model)
    losses[split, "curve"] = ms.path_losses(net_a, net_b, X, y, t, *model, control=fit.control)
barrier = {key: ms.barrier_height(value) for key, value in losses.items()}
for (split, path), value in barrier.items():
    print(f"{split:9s} loss, {path:5s}: barrier {value:.3f}")
early, late = fit.losses[:10].mean(), fit.losses[-10:].mean()
print(f"mean loss along the curve: {early:.3f} in the first 10 steps, {late:.3f} in the last 10")
assert barrier["training", "curve"] < 0.02 * barrier["training", "line"]
assert barrier["held-out", "curve"] < 0.05 * barrier["held-out", "line"]

# %%
# On the training data the trained curve's barrier is below 2% of the
# straight line's. On held-out digits, which the curve never saw, it stays
# below 5%: the low path is a property of the task, not only of the 1348
# training images. Draxler et al. (2018) found such paths, with a
# different method (nudged elastic bands), between minima of large image
# classifiers.
fig, ax = plt.subplots()
for (split, path), value in losses.items():
    color = PALETTE[0] if path == "line" else PALETTE[2]
    style = "-" if split == "training" else "--"
    ax.plot(t, value, style, color=color, label=f"{path}, {split} loss (barrier {barrier[split, path]:.3f})")
ax.set_yscale("log")
ax.set_ylim(2e-3, 4)
ax.set(xlabel="position t along the path from run A to run B", ylabel="loss (cross-entropy, log scale)")
ax.set_title("The trained curve avoids the hill on the straight line")
ax.legend(loc="lower center", ncol=2, fontsize=9)
plt.show()

# %%
# Conclusion
# ----------
# Two solutions that a straight line separates by a hill are joined by a
# simple curved valley of low loss. The loss is non-convex, but its low
# regions are far more connected than the straight lines suggest. What the
# landscape looks like *at* a solution is the subject of the last example,
# :ref:`sphx_glr_auto_examples_part4_landscape_plot_05_hessian_spectrum.py`.
