"""
A trained curve joins a network to its relabelled twin without a hill
=====================================================================

Relabelling the hidden units of a trained network gives a second network with
the same function and a hill on the straight line between the two. A quadratic
Bezier curve whose middle point is trained (Garipov et al. 2018, "Loss
surfaces, mode connectivity, and fast ensembling of DNNs") goes around the
hill, through networks that compute other functions.
"""

# %%
# A network and its twin
# ----------------------
# A 64-16-16-10 ReLU network trained on the scikit-learn digits
# (:func:`~mlp_symmetry.train_adam`, ten passes of minibatch Adam), and a twin
# with the units of both hidden layers relabelled at random
# (:func:`~mlp_symmetry.apply_permutations`).
import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import PALETTE, use_style

use_style()

X_train, X_test, y_train, y_test = ms.load_digits_split(rng=0)
model = ("relu", "softmax_cross_entropy")
net = ms.train_adam(ms.init_params([64, 16, 16, 10], rng=5, scale="he"), X_train, y_train, learning_rate=3e-3, rng=2)
rng = np.random.default_rng(7)
twin = ms.apply_permutations(net, [rng.permutation(16), rng.permutation(16)])
predict = {name: ms.forward(p, X_test, "relu").argmax(-1) for name, p in (("net", net), ("twin", twin))}
print(f"held-out accuracy {np.mean(predict['net'] == y_test):.1%}; twin predicts the same on every digit:")
print(np.array_equal(predict["net"], predict["twin"]))
# sphinx_gallery_start_ignore
assert np.array_equal(predict["net"], predict["twin"])
# sphinx_gallery_end_ignore

# %%
# Going around the hill
# ---------------------
# :func:`~mlp_symmetry.fit_bezier_control` trains the control point ``M`` of
# ``c(t) = (1-t)^2 A + 2t(1-t) M + t^2 B`` from the midpoint of the segment,
# with 100 Adam steps on the loss averaged over the curve.
fit = ms.fit_bezier_control(net, twin, X_train, y_train, *model, n_steps=100, n_t=4, learning_rate=0.01, rng=0)
t = np.linspace(0.0, 1.0, 41)
line = ms.path_losses(net, twin, X_train, y_train, t, *model)
curve = ms.path_losses(net, twin, X_train, y_train, t, *model, control=fit.control)
print(f"training loss at both ends {line[0]:.3f}; highest on the line {line.max():.2f}, on the curve {curve.max():.3f}")
# sphinx_gallery_start_ignore
assert line.max() > line[0] + 1.0 and curve.max() <= curve[0] + 1e-12
# sphinx_gallery_end_ignore

# %%
# The straight line climbs more than one unit of loss above the two ends; the
# trained curve never rises above them. Does the curve merely pass through
# further copies of the same function? Its middle network says no:
halfway = ms.bezier_curve(net, fit.control, twin, 0.5)
middle = ms.forward(halfway, X_test, "relu").argmax(-1)
disagree = np.mean(middle != predict["net"])
print(f"held-out accuracy halfway along the curve {np.mean(middle == y_test):.1%}")
print(f"held-out digits on which it disagrees with the ends: {disagree:.1%}")
# sphinx_gallery_start_ignore
assert 0.02 < disagree < 0.1 and np.mean(middle == y_test) >= np.mean(predict["net"] == y_test)
# sphinx_gallery_end_ignore

# %%
# Halfway along the curve the network is at least as accurate as the ends,
# yet it classifies a few percent of the held-out digits differently: the
# curve leaves the set of copies of one function. Garipov et al. (2018) used
# the differences between networks along such curves to build ensembles.
fig, ax = plt.subplots()
ax.plot(t, line, color=PALETTE[0], label="straight line")
ax.plot(t, curve, color=PALETTE[2], label="trained Bézier curve")
ax.set_yscale("log")
ax.set(xlabel="position t from the network to its twin", ylabel="training loss (log scale)")
ax.set_title("Network to twin: a hill, or a curve around it")
ax.legend()
plt.show()

# %%
# Conclusion
# ----------
# The relabelled copies of a network (Part II) are not isolated: here a simple
# curve joins two of them without rising above their loss.
# The page :doc:`/part4/curved_paths` trains such a curve between two
# independent runs. What the landscape looks like *at* a solution is the
# subject of the last example,
# :ref:`sphx_glr_auto_examples_part4_landscape_plot_05_hessian_spectrum.py`.
