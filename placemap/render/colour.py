"""Colour-blind-safe palettes for the systems, priority and hot-spot maps, and the check behind them.

A palette is "colour-blind safe" here when every pair of its colours stays clearly
apart (CIE76 colour difference of at least ``MIN_CVD_DIFFERENCE``) for normal vision
and under simulated protanopia, deuteranopia and tritanopia (Machado, Oliveira and
Fernandes 2009, severity 1). The tests run this check on every palette below.

Example
-------
>>> simulate_cvd("#ffffff", "deutan")
'#ffffff'
>>> min_pairwise_difference(BIVARIATE_PALETTE) >= MIN_CVD_DIFFERENCE
True
"""

from __future__ import annotations

import itertools

import numpy as np

# Machado et al. (2009) simulation matrices at severity 1.0, applied to linear RGB.
CVD_MATRICES: dict[str, np.ndarray] = {
    "normal": np.eye(3),
    "protan": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    ),
    "deutan": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    ),
    "tritan": np.array(
        [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]]
    ),
}
MIN_CVD_DIFFERENCE = 9.0  # CIE76; about 2.3 is a just-noticeable difference

# Joshua Stevens' 3x3 blue-red bivariate scheme ("Bivariate choropleth maps: a how-to
# guide", 2015), the teal-red member of his family: of the four published schemes it
# keeps the nine colours furthest apart under all three simulated colour-vision
# deficiencies (smallest CIE76 difference 9.7, protanopia). Index = 3 * y_class + x_class,
# class 0 = least deprived third; x runs light grey -> red, y light grey -> teal, and the
# most deprived on both is the darkest. Written as the legend's 3 x 3 grid, so unformatted.
BIVARIATE_PALETTE: tuple[str, ...] = (
    "#e8e8e8", "#e4acac", "#c85a5a",
    "#b0d5df", "#ad9ea5", "#985356",
    "#64acbe", "#627f8c", "#574249",
)  # fmt: skip
BIVARIATE_PALETTE_NAME = "Stevens blue–red (3×3)"

# Okabe and Ito's colours for categories (Color Universal Design), without black (the
# outlines are dark) and grey (too close to reddish purple under deuteranopia).
OKABE_ITO: tuple[str, ...] = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")


def _hex_to_rgb(colour: str) -> np.ndarray:
    text = colour.lstrip("#")
    if len(text) != 6:
        raise ValueError(f"Not a #rrggbb colour: {colour!r}")
    return np.array([int(text[i : i + 2], 16) / 255 for i in (0, 2, 4)])


def _to_linear(rgb: np.ndarray) -> np.ndarray:
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def _to_srgb(linear: np.ndarray) -> np.ndarray:
    linear = np.clip(linear, 0.0, 1.0)
    return np.where(linear <= 0.0031308, linear * 12.92, 1.055 * linear ** (1 / 2.4) - 0.055)


def _lab(linear: np.ndarray) -> np.ndarray:
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ linear
    xyz = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def simulate_cvd(colour: str, kind: str) -> str:
    """How ``colour`` looks with a colour-vision deficiency (``protan``, ``deutan``, ``tritan``)."""
    if kind not in CVD_MATRICES:
        raise ValueError(f"Unknown colour-vision type {kind!r}")
    rgb = _to_srgb(CVD_MATRICES[kind] @ _to_linear(_hex_to_rgb(colour)))
    return "#" + "".join(f"{round(float(c) * 255):02x}" for c in rgb)


def min_pairwise_difference(palette: tuple[str, ...] | list[str], kinds: tuple[str, ...] | None = None) -> float:
    """Smallest CIE76 difference between any two colours of ``palette``, over vision types ``kinds``."""
    smallest = float("inf")
    for kind in kinds or tuple(CVD_MATRICES):
        labs = [_lab(np.clip(CVD_MATRICES[kind] @ _to_linear(_hex_to_rgb(c)), 0, 1)) for c in palette]
        for a, b in itertools.combinations(labs, 2):
            smallest = min(smallest, float(np.linalg.norm(a - b)))
    return smallest


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    lum = [float(np.array([0.2126, 0.7152, 0.0722]) @ _to_linear(_hex_to_rgb(c))) for c in (foreground, background)]
    high, low = max(lum), min(lum)
    return (high + 0.05) / (low + 0.05)


def readable_text_colour(background: str) -> str:
    """Near-black or white, whichever reads better on ``background``.

    Example
    -------
    >>> readable_text_colour("#574249"), readable_text_colour("#e8e8e8")
    ('#ffffff', '#111111')
    """
    return max(("#111111", "#ffffff"), key=lambda text: contrast_ratio(text, background))
