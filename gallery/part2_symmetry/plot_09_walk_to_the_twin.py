"""
Walking to the twin: the function comes back, the loss climbs on the way
========================================================================

Swap two hidden units of a trained network and you get its twin: other
weights, the same function, the same loss. This example walks along the
straight segment from one to the other and plays the walk as an animation:
the function the network computes bends away from the data and comes back,
while the loss rises and falls.
"""

# %%
# A minimum and its twin
# ----------------------
# Forty-one inputs on ``[-2.5, 2.5]`` with the target ``sin 2x``, and a 1-3-1
# tanh network. :func:`~mlp_symmetry.minimize` descends to a minimum by
# trust-region Newton steps on the exact Hessian, and
# :func:`~mlp_symmetry.classify_critical_point` certifies it.
# :func:`~mlp_symmetry.permute_hidden_units` swaps hidden units 0 and 1.
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.animation import FuncAnimation

import mlp_symmetry as ms
from mlp_symmetry.plotting import PALETTE, use_style

use_style()
X = np.linspace(-2.5, 2.5, 41)[:, None]
y = np.sin(2 * X[:, 0])
trained = ms.minimize(ms.init_params([1, 3, 1], rng=0), X, y)
verdict = ms.classify_critical_point(trained, X, y)
twin = ms.permute_hidden_units(trained, 0, [1, 0, 2])
distance = np.linalg.norm(ms.flatten(trained) - ms.flatten(twin))
print(f"{verdict.kind}: loss {verdict.loss:.2e}, smallest Hessian eigenvalue {verdict.eigenvalues[0]:.1e}")
for name, net in (("trained", trained), ("twin", twin)):
    hidden, output = net
    print(f"{name:8s} incoming {hidden.W[:, 0].round(2)}  biases {hidden.b.round(2)}  outgoing {output.W[0].round(2)}")
print(f"distance between the two weight vectors: {distance:.2f}")
# sphinx_gallery_start_ignore
assert verdict.kind == "minimum" and verdict.eigenvalues[0] > 0, "a strict local minimum"
W1, b1, W2 = trained[0].W[:, 0], trained[0].b, trained[1].W[0]
assert np.isclose(W1[0], W1[1], rtol=1e-8) and np.isclose(W2[0], W2[1], rtol=1e-8), "units 0 and 1 share weights"
assert np.isclose(b1[0], -b1[1], rtol=1e-8) and abs(b1[0]) > 1, "and have opposite biases"
assert np.isclose(ms.loss(twin, X, y), verdict.loss, rtol=1e-12, atol=0), "the twin has the same loss"
# sphinx_gallery_end_ignore

# %%
# The two swapped units have the same incoming and outgoing weights and
# biases of opposite sign: two tanh steps of the same height, one on each side
# of 0. Their sum, with the third unit, fits the data. The swap exchanges the
# biases, so the walk below moves each step across to the other one's place.
#
# The walk
# --------
# :func:`~mlp_symmetry.interpolate` gives the networks
# ``theta(t) = (1 - t) theta_trained + t theta_twin`` for 31 values of ``t``
# and :func:`~mlp_symmetry.path_losses` their training losses. Press play, or
# drag the slider. Watch the two thin curves, the contributions of the swapped
# units: they slide towards each other, become one at ``t = 0.5`` and pass
# through into each other's place. The thick curve, the function the network
# computes, leaves the data and comes back to the dashed curve it started
# from, while the marker on the right climbs the loss and comes down again.
t = np.linspace(0.0, 1.0, 31)
walk = ms.interpolate(trained, twin, t)
path_loss = ms.path_losses(trained, twin, X, y, t)
x_plot = np.linspace(-2.5, 2.5, 201)[:, None]
outputs = ms.forward(walk, x_plot)[..., 0]  # one row per position t
hidden, output = walk
# What units 0 and 1 add to the output at each t: outgoing weight * tanh(incoming weight * x + bias).
W_in, b_in, W_out = hidden.W[:, :2, 0], hidden.b[:, :2], output.W[:, 0, :2]
units = W_out[..., None] * np.tanh(W_in[..., None] * x_plot[:, 0] + b_in[..., None])  # (t, unit, x)

fig, (ax_fn, ax_loss) = plt.subplots(1, 2, figsize=(7.4, 3.1), dpi=80, width_ratios=[1.25, 1])
ax_fn.plot(X[:, 0], y, "o", color="0.55", ms=4, label="data")
ax_fn.plot(x_plot[:, 0], outputs[0], "--", color="0.25", lw=1.2, label="$t$ = 0 and 1")
(unit_a,) = ax_fn.plot(x_plot[:, 0], units[0, 0], color=PALETTE[2], lw=1.3, label="unit 0")
(unit_b,) = ax_fn.plot(x_plot[:, 0], units[0, 1], color=PALETTE[3], lw=1.3, label="unit 1")
(network,) = ax_fn.plot(x_plot[:, 0], outputs[0], color=PALETTE[0], lw=2.5, label="network at $t$")
ax_fn.set(xlabel="input $x$", ylabel="output", ylim=(-2.7, 1.5), title="The function at $t$")
ax_fn.legend(loc="lower center", ncol=3, fontsize=9, columnspacing=0.8, handlelength=1.3)
ax_loss.plot(t, path_loss, color=PALETTE[1])
(marker,) = ax_loss.plot(t[:1], path_loss[:1], "o", color=PALETTE[1], ms=9)
label = ax_loss.text(0.5, 0.06, "", transform=ax_loss.transAxes, ha="center")
ax_loss.set(xlabel="position $t$ on the segment", ylabel="training loss (MSE)")
ax_loss.set_title("The loss along the way")
fig.canvas.draw()  # lay the figure out once; the frames only move lines
fig.set_layout_engine("none")


def show(frame):
    """Draw the network at ``t[frame]`` and its place on the loss curve."""
    network.set_ydata(outputs[frame])
    unit_a.set_ydata(units[frame, 0])
    unit_b.set_ydata(units[frame, 1])
    marker.set_data(t[frame : frame + 1], path_loss[frame : frame + 1])
    label.set_text(f"t = {t[frame]:.2f}, loss {path_loss[frame]:.3g}")
    return network, unit_a, unit_b, marker, label


animation = FuncAnimation(fig, show, frames=len(t), interval=150)
plt.show()

# %%
# What the animation shows, in numbers
# ------------------------------------
# At ``t = 1`` the network computes the same function as at ``t = 0`` and has
# the same loss. In between, its output moves far from the data, most at
# ``t = 0.5``, and the loss climbs above that of the constant network that
# predicts the mean of the targets. At ``t = 0.5`` the two swapped units have
# the same weights, so the network has in effect two hidden units; its output
# changes sign once on the interval, where the target changes sign three times.
gap = np.abs(outputs - outputs[0]).max(axis=1)
mid = len(t) // 2
print(f"largest change of the output along the walk: {gap.max():.2f} (at t = {t[gap.argmax()]:.2f})")
print(f"output at t = 1 minus output at t = 0: at most {gap[-1]:.1e}")
print(f"loss at the ends: {path_loss[0]:.2e} and {path_loss[-1]:.2e}")
print(f"highest loss: {path_loss.max():.3f} at t = {t[path_loss.argmax()]:.2f}")
print(f"predicting the mean of the targets: loss {np.var(y):.3f}")
# sphinx_gallery_start_ignore
assert t[mid] == 0.5
assert gap[-1] < 1e-12, "the walk ends on the function it started from"
assert abs(path_loss[-1] - path_loss[0]) < 1e-12 and np.isclose(path_loss[0], verdict.loss), "equal ends"
assert gap.argmax() == mid and gap.max() > 1.0, "in between the output moves far, most at the midpoint"
assert path_loss.argmax() == mid and path_loss.max() > np.var(y), "the loss peaks at the midpoint, above the mean"
assert np.all(np.diff(path_loss[: mid + 1]) > 0) and np.all(np.diff(path_loss[mid:]) < 0), "it rises, then falls"
assert np.allclose(units[mid, 0], units[mid, 1], rtol=0, atol=1e-12), "the swapped units coincide at t = 0.5"
signs_mid, signs_target = (np.sign(v[v != 0]) for v in (outputs[mid], np.sin(2 * x_plot[:, 0])))
assert np.count_nonzero(np.diff(signs_mid)) == 1 and np.count_nonzero(np.diff(signs_target)) == 3, "one and three"
assert np.allclose(units[-1], units[0, ::-1], rtol=0, atol=1e-12), "each unit ends in the other's place"
assert np.allclose(outputs, outputs[::-1], rtol=0, atol=1e-12), "the second half replays the first backwards"
assert np.allclose(units, units[::-1, ::-1], rtol=0, atol=1e-12), "with the two units exchanged"
assert np.allclose(path_loss, path_loss[::-1], rtol=1e-10, atol=0), "and the loss curve is symmetric"
# sphinx_gallery_end_ignore

# %%
# The second half of the animation replays the first backwards, with the two
# thin curves exchanged: the network at ``1 - t`` is the twin of the network
# at ``t``, so it computes the same function and has the same loss, and the
# loss curve is symmetric about ``t = 0.5``.
#
# A convex loss could not rise between two points of equal loss. Here the
# symmetry puts the twin at the same loss as the trained network, and since
# that is a strict minimum, the loss must rise as the walk leaves it. The page
# :doc:`/part2/twin_minima` measures this climb for every copy of a minimum,
# and :ref:`sphx_glr_auto_examples_part2_symmetry_plot_05_twin_minima_barrier.py`
# shows that between random networks and their twins the segment often dips
# instead.
