"""One figure style for the whole site (needs matplotlib, an optional dependency).

Every gallery example and narrative page calls :func:`use_style` first, so that figures share fonts, sizes and a
colour-blind-safe palette, and keep an opaque white background that stays legible in a dark page theme.
"""

from __future__ import annotations

PALETTE = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
)
"""The Okabe-Ito palette, distinguishable under the common colour-vision deficiencies."""

SEQUENTIAL_CMAP = "viridis"
"""Colour map for loss surfaces and other ordered quantities (perceptually uniform)."""

DIVERGING_CMAP = "RdBu_r"
"""Colour map for signed quantities centred on zero."""


def use_style() -> None:
    """Apply the site's matplotlib style to all figures made afterwards (needs matplotlib).

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> use_style()
    """
    import matplotlib as mpl
    from cycler import cycler

    mpl.rcParams.update(
        {
            "axes.prop_cycle": cycler(color=PALETTE),
            "image.cmap": SEQUENTIAL_CMAP,
            "figure.figsize": (6.4, 4.0),
            "figure.dpi": 100,
            "figure.facecolor": "white",
            "figure.constrained_layout.use": True,
            "savefig.facecolor": "white",
            "savefig.transparent": False,
            "axes.facecolor": "white",
            "axes.edgecolor": "#333333",
            "axes.labelcolor": "#111111",
            "axes.titlesize": 12,
            "axes.titleweight": "bold",
            "axes.labelsize": 11,
            "axes.grid": True,
            "grid.color": "#dddddd",
            "grid.linewidth": 0.8,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "xtick.color": "#333333",
            "ytick.color": "#333333",
            "xtick.labelsize": 10,
            "ytick.labelsize": 10,
            "legend.fontsize": 10,
            "legend.frameon": False,
            "lines.linewidth": 2.0,
            "lines.markersize": 6,
            "font.size": 11,
            "svg.hashsalt": "mlp-symmetry",
        }
    )
