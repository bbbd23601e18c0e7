"""
Smoothing the loss favours the valley with more mass, not always the deeper
===========================================================================

Gaussian smoothing with a shrinking scale (a continuation method) is one of the
remedies the page on getting unstuck measures on XOR. On two one-dimensional
losses you can see why it can help or hurt: the blurred loss keeps the valley
with the most mass, and the run follows that valley as the blur fades.
"""

# %%
# Two losses with two valleys each
# --------------------------------
# Each loss is a shallow bowl ``C t^2`` minus two Gaussian valleys
# ``a exp(-(t - m)^2 / (2 s^2))``. In the first, the deeper valley (``a = 1``)
# is also the wider one; in the second, the deeper valley is narrow and the
# shallower one wide. The function returns the loss and its gradient in the
# form that :func:`~mlp_symmetry.gradient_descent` takes, for a batch of runs.
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
    """Loss and gradient for ``theta`` of shape (..., 1), and the loss smoothed at scale sigma."""
    a, m, s = (np.array(column) for column in zip(*wells, strict=True))

    def fun(theta):
        g = a * np.exp(-((theta - m) ** 2) / (2 * s**2))
        return BOWL * theta[..., 0] ** 2 - g.sum(axis=-1), 2 * BOWL * theta + (g * (theta - m) / s**2).sum(
            axis=-1, keepdims=True
        )

    def smoothed(t, sigma):
        # A Gaussian blurred by a Gaussian is a Gaussian: widths add in quadrature, mass a s is kept.
        width2 = s**2 + sigma**2
        dips = a * s / np.sqrt(width2) * np.exp(-((t[:, None] - m) ** 2) / (2 * width2))
        return BOWL * (t**2 + sigma**2) - dips.sum(axis=-1)

    return fun, smoothed


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
    fun, smoothed = valleys(wells)
    quadrature = fun((t[:, None] + 0.8 * nodes)[..., None])[0] @ weights / weights.sum()
    error = np.abs(quadrature - smoothed(t, 0.8)).max()
    mass = [a * s for a, _, s in wells]
    lowest = t[np.argmin(smoothed(t, 1.5))]
    print(f"masses a s (deeper, shallower) {mass}; at sigma = 1.5 lowest at t = {lowest:.2f}")
    print(f"    closed form against quadrature at sigma = 0.8: largest difference {error:.0e}")
    # sphinx_gallery_start_ignore
    assert error < 1e-6, "closed form of the smoothed loss"
    centres = np.array([m for _, m, _ in wells])
    assert np.argmin(np.abs(centres - lowest)) == np.argmax(mass), "the blur keeps the valley with more mass"
    # sphinx_gallery_end_ignore

# %%
# Plain descent against continuation
# ----------------------------------
# Two hundred random starts, uniform on ``[-4, 4]``, take 1500 steps (learning
# rate 0.1) of plain gradient descent, and the same number with the smoothing
# of :func:`~mlp_symmetry.gradient_descent`: each step follows the gradient of
# the loss averaged over two antithetic Gaussian perturbations of scale 1.5,
# the scale decaying linearly to zero over the first half of the run. A run
# succeeds when it ends in the deeper valley.
N_RUNS = 200
starts = np.random.default_rng(0).uniform(-4, 4, size=(N_RUNS, 1))
rates = {}
for name, wells in CASES.items():
    fun, _ = valleys(wells)
    for method, options in (("plain", {}), ("smoothing", dict(smoothing=1.5, n_smoothing_samples=2, rng=1))):
        end = ms.gradient_descent(fun, starts, learning_rate=0.1, n_steps=1500, **options).params[:, 0]
        p = np.mean(np.abs(end - wells[0][1]) < 0.5)
        rates[name, method] = (p, max(np.sqrt(p * (1 - p) / N_RUNS), 1 / N_RUNS))
        print(f"{name}, {method}: {p:.3f} +- {rates[name, method][1]:.3f} of runs end in the deeper valley")


def gap(name):
    """Smoothing minus plain, in standard errors of the difference (1/n where a rate is 0 or 1)."""
    (p_smooth, se_smooth), (p_plain, se_plain) = rates[name, "smoothing"], rates[name, "plain"]
    return (p_smooth - p_plain) / np.hypot(se_smooth, se_plain)


print(f"difference in standard errors: {gap('deeper valley wide'):.1f} and {gap('deeper valley narrow'):.1f}")
# sphinx_gallery_start_ignore
assert gap("deeper valley wide") > 3, "smoothing helps when the deeper valley is the wide one"
assert gap("deeper valley narrow") < -3, "and hurts when it is the narrow one"
assert rates["deeper valley wide", "smoothing"][0] == 1.0 and rates["deeper valley narrow", "smoothing"][0] < 0.1
# sphinx_gallery_end_ignore

# %%
# Plain gradient descent ends in whichever valley the start lies in. With
# smoothing, where a run ends depends little on its start: in the first loss
# every run finds the deeper valley, in the second fewer than one in ten.
fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
for ax, (name, wells) in zip(axes, CASES.items(), strict=True):
    _, smoothed = valleys(wells)
    for sigma, colour in ((0.0, "0.2"), (0.75, PALETTE[0]), (1.5, PALETTE[1])):
        ax.plot(t, smoothed(t, sigma), color=colour, label=rf"smoothed, $\sigma = {sigma}$" if sigma else "loss")
    ax.axvline(wells[0][1], color="0.5", ls=":", lw=1, label="deeper valley")
    success = ", ".join(f"{method} {rates[name, method][0]:.2f}" for method in ("plain", "smoothing"))
    ax.set(xlabel="$t$", title=f"{name}\nsuccess: {success}")
axes[0].set_ylabel("loss")
_ = axes[0].legend(loc="lower left", fontsize=8)

# %%
# Conclusion
# ----------
# Continuation follows the minimum of the blurred loss as the blur fades, and a
# strong blur keeps the valley with the larger mass, not the deeper one. In
# these two losses it helped where the two coincide and led nearly every run
# astray where they did not. Mobahi and Fisher (2015, "A theoretical analysis of optimization by
# Gaussian continuation") bound the loss that continuation reaches by a property
# of the problem they call its optimization complexity. On the XOR benchmark of
# :doc:`/part3/getting_unstuck` strong smoothing hurt; which of these two
# pictures fits there we have not tested. Back to
# :ref:`the Part III gallery <gallery_part3>`.
