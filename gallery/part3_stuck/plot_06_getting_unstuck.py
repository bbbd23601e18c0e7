"""
Smoothing the loss favours the valley with more mass, not always the deeper
===========================================================================

Gaussian smoothing with a shrinking scale (Gaussian homotopy, a continuation
method) is one of the remedies the page on getting unstuck measures on XOR,
where the blur has to be sampled. On two one-dimensional losses the blurred
loss has a closed form, and you can see why continuation can help or hurt: the
blurred loss keeps the valley with the most mass, and the run follows that
valley as the blur fades.
"""

# %%
# Two losses with two valleys each
# --------------------------------
# Each loss is a shallow bowl ``C t^2`` minus two Gaussian valleys
# ``a exp(-(t - m)^2 / (2 s^2))``. In the first, the deeper valley (``a = 1``)
# is also the wider one; in the second, the deeper valley is narrow and the
# shallower one wide. ``valleys`` returns the loss and the blurred loss, each
# with its gradient, in the form that :func:`~mlp_symmetry.gradient_descent`
# takes (``theta`` of shape ``(n_runs, 1)``).
from functools import partial

import matplotlib.pyplot as plt
import numpy as np

import mlp_symmetry as ms
from mlp_symmetry.plotting import PALETTE, use_style

use_style()
BOWL = 0.02
CASES = {  # (depth a, centre m, width s) of the deeper valley first
    "deeper valley wide": [(1.0, 2.0, 1.0), (0.6, -1.0, 0.3)],
    "deeper valley narrow": [(1.0, 1.5, 0.3), (0.7, -1.5, 1.2)],
}


def valleys(wells):
    """Return ``blurred(theta, sigma) -> (loss, gradient)`` of the loss blurred at scale sigma (0: the loss itself)."""
    a, m, s = (np.array(column) for column in zip(*wells, strict=True))

    def blurred(theta, sigma):
        # A Gaussian blurred by a Gaussian is a Gaussian: widths add in quadrature, mass a s is kept.
        width2 = s**2 + sigma**2
        dips = a * s / np.sqrt(width2) * np.exp(-((theta - m) ** 2) / (2 * width2))
        values = BOWL * (theta[..., 0] ** 2 + sigma**2) - dips.sum(axis=-1)
        return values, 2 * BOWL * theta + (dips * (theta - m) / width2).sum(axis=-1, keepdims=True)

    return blurred


# %%
# The blurred loss in closed form
# -------------------------------
# Averaging the loss over Gaussian perturbations of scale ``sigma`` turns a
# valley of depth ``a`` and width ``s`` into one of width
# ``sqrt(s^2 + sigma^2)`` and depth ``a s / sqrt(s^2 + sigma^2)``: under a
# strong blur, the valley with the larger mass ``a s`` is the deeper. We check
# the closed form against Gauss-Hermite quadrature of the average.
nodes, weights = np.polynomial.hermite_e.hermegauss(80)
t = np.linspace(-4, 4, 401)
for wells in CASES.values():
    blurred = valleys(wells)
    quadrature = blurred((t[:, None] + 0.8 * nodes)[..., None], 0.0)[0] @ weights / weights.sum()
    error = np.abs(quadrature - blurred(t[:, None], 0.8)[0]).max()
    mass = [a * s for a, _, s in wells]
    lowest = t[np.argmin(blurred(t[:, None], 1.5)[0])]
    print(f"masses a s (deeper, shallower) {mass}; at sigma = 1.5 lowest at t = {lowest:.2f}")
    print(f"    closed form against quadrature at sigma = 0.8: largest difference {error:.0e}")
    # sphinx_gallery_start_ignore
    assert error < 1e-6, "closed form of the smoothed loss"
    step = 1e-6
    slope = (blurred(t[:, None] + step, 0.8)[0] - blurred(t[:, None] - step, 0.8)[0]) / (2 * step)
    assert np.abs(slope - blurred(t[:, None], 0.8)[1][:, 0]).max() < 1e-6, "gradient of the blurred loss"
    centres = np.array([m for _, m, _ in wells])
    assert np.argmin(np.abs(centres - lowest)) == np.argmax(mass), "the blur keeps the valley with more mass"
    # sphinx_gallery_end_ignore

# %%
# Plain descent against continuation
# ----------------------------------
# Two hundred random starts, uniform on ``[-4, 4]``, take 1500 steps (learning
# rate 0.1) of plain gradient descent with :func:`~mlp_symmetry.gradient_descent`,
# and the same number of steps of continuation: the exact gradient of the loss
# blurred at scale ``sigma``, with ``sigma`` falling from 1.5 to 0 in 30 stages
# of 25 steps over the first half of the run, then plain steps on the loss
# itself. No sampling: the closed form above gives the blurred gradient. A run
# succeeds when it ends in the deeper valley.
N_RUNS, N_STEPS, SIGMA, N_STAGES = 200, 1500, 1.5, 30
starts = np.random.default_rng(0).uniform(-4, 4, size=(N_RUNS, 1))


def continuation(blurred, theta):
    """Follow the blurred loss while its scale shrinks to 0 (first half of the steps), then the loss itself."""
    stage_steps = N_STEPS // 2 // N_STAGES
    for sigma in SIGMA * (1 - np.arange(N_STAGES) / N_STAGES):
        theta = ms.gradient_descent(partial(blurred, sigma=sigma), theta, learning_rate=0.1, n_steps=stage_steps).params
    return ms.gradient_descent(partial(blurred, sigma=0.0), theta, learning_rate=0.1, n_steps=N_STEPS // 2).params


rates = {}
for name, wells in CASES.items():
    blurred = valleys(wells)
    for method in ("plain", "continuation"):
        if method == "plain":
            end = ms.gradient_descent(partial(blurred, sigma=0.0), starts, learning_rate=0.1, n_steps=N_STEPS).params
        else:
            end = continuation(blurred, starts)
        end = end[:, 0]
        p = np.mean(np.abs(end - wells[0][1]) < 0.5)
        rates[name, method] = (p, max(np.sqrt(p * (1 - p) / N_RUNS), 1 / N_RUNS))
        print(f"{name}, {method}: {p:.3f} +- {rates[name, method][1]:.3f} of runs end in the deeper valley")


def gap(name):
    """Continuation minus plain, in standard errors of the difference (1/n where a rate is 0 or 1)."""
    (p_cont, se_cont), (p_plain, se_plain) = rates[name, "continuation"], rates[name, "plain"]
    return (p_cont - p_plain) / np.hypot(se_cont, se_plain)


print(f"difference in standard errors: {gap('deeper valley wide'):.1f} and {gap('deeper valley narrow'):.1f}")
# sphinx_gallery_start_ignore
assert gap("deeper valley wide") > 3, "continuation helps when the deeper valley is the wide one"
assert gap("deeper valley narrow") < -3, "and hurts when it is the narrow one"
assert rates["deeper valley wide", "continuation"][0] == 1.0 and rates["deeper valley narrow", "continuation"][0] == 0.0
# sphinx_gallery_end_ignore

# %%
# Plain gradient descent ends in whichever valley the start lies in. With
# continuation, where a run ends depends little on its start: in the first loss
# every run finds the deeper valley, in the second none does.
fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
for ax, (name, wells) in zip(axes, CASES.items(), strict=True):
    blurred = valleys(wells)
    for sigma, colour in ((0.0, "0.2"), (0.75, PALETTE[0]), (1.5, PALETTE[1])):
        label = rf"smoothed, $\sigma = {sigma}$" if sigma else "loss"
        ax.plot(t, blurred(t[:, None], sigma)[0], color=colour, label=label)
    ax.axvline(wells[0][1], color="0.5", ls=":", lw=1, label="deeper valley")
    success = ", ".join(f"{method} {rates[name, method][0]:.2f}" for method in ("plain", "continuation"))
    ax.set(xlabel="$t$", title=f"{name}\nsuccess: {success}")
axes[0].set_ylabel("loss")
_ = axes[0].legend(loc="lower left", fontsize=8)

# %%
# Conclusion
# ----------
# Continuation follows the minimum of the blurred loss as the blur fades, and a
# strong blur keeps the valley with the larger mass, not the deeper one. In
# these two losses it helped where the two coincide and led every run astray
# where they did not. Mobahi and Fisher (2015, "A theoretical analysis of
# optimization by Gaussian continuation") bound the loss that continuation
# reaches by a property of the problem they call its optimization complexity.
# On the XOR benchmark of :doc:`/part3/getting_unstuck`, a strong blur led
# nearly every run to the origin, a degenerate saddle
# (:doc:`/part3/escaping`): there the blurred loss favours a point that is not
# even a minimum of the loss. Back to :ref:`the Part III gallery <gallery_part3>`.
