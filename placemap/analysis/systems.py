"""Systems view: two indicators against each other, the domains' correlations, a bivariate map; all of an edition's indicators.

Plain pandas/numpy, no Streamlit and no Altair (``charts_systems`` draws the charts,
``legends`` the 3x3 legend). Frames come from ``cache.load_areas`` (every LSOA of an
edition) and ``cache.load_area_context`` (population and rural-urban class).

Every axis and class runs the same way as on the map explorer: towards **more
deprived** means right on x, up on y and darker on the map, whatever the measure
(a rank of 1 is the most deprived, so rank axes run high to low).

The three pages (systems view, priority finder, hot spots) take any catalogue indicator
(an official index, a measure behind them, a registered or an uploaded one) through one
``EditionIndicators``: the edition's national table holding every one of them, with its
values, its national rank and decile (published, or ranked among England's LSOAs with a
value: ``values.national_positions``), and the facts its record gives (polarity, rank
rule, whether it is a ward or LA value repeated on its LSOAs).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from placemap.analysis.classify import Classification, classify_values, palette_colours
from placemap.analysis.priority import SEVEN_DOMAINS
from placemap.data.catalogue import (
    CATALOGUE,
    Catalogue,
    Indicator,
    get_domain,
    get_indicator,
    headline_indicators,
)
from placemap.data.indicator_picker import option_label, ordered
from placemap.data.indicators import Geography, Polarity, Ranking
from placemap.data.loaders import AREA_CODE, AREA_NAME, LA_CODE, LA_NAME, WARD_NAME
from placemap.data.values import indicator_values, national_positions
from placemap.render.colour import BIVARIATE_PALETTE, OKABE_ITO

COLOUR_RUC = "ruc"
COLOUR_LA = "la"
THIRDS = {
    "place": "Thirds of the chosen place's LSOAs",
    "england": "Thirds of England's LSOAs",
}
THIRD_NAMES = ("least deprived third", "middle third", "most deprived third")
MAX_COLOUR_LAS = len(OKABE_ITO)
CORRELATION_NOTE = (
    "Correlation is not causation: two domains that move together in these LSOAs may share causes "
    "(for example low incomes), may each follow from the other, or may only coincide here."
)


def colour_options(year: int, n_las: int = 1) -> dict[str, str]:
    """What the scatter's points can be coloured by: id -> label.

    The rural-urban class, the local authority (when several, up to ``MAX_COLOUR_LAS``)
    and the national decile of the IMD and each domain.
    """
    options = {COLOUR_RUC: "Rural-urban class (ONS 2021)"}
    if 1 < n_las <= MAX_COLOUR_LAS:
        options[COLOUR_LA] = "Local authority"
    for ind in headline_indicators(year, "decile"):
        options[ind.id] = f"{ind.label.removesuffix(': decile')}: national decile"
    return options


def axis_options(year: int, catalogue: Catalogue = CATALOGUE) -> dict[str, str]:
    """Every indicator of the edition that can go on an axis, theme by theme: id -> "Theme · label"."""
    return {ind.id: option_label(ind) for ind in ordered(catalogue.for_edition(year))}


def scatter_frame(
    areas: pd.DataFrame,
    context: pd.DataFrame,
    year: int,
    x_ind: Indicator,
    y_ind: Indicator,
    colour_by: str,
) -> pd.DataFrame:
    """One row per LSOA with values on both axes: ``code``, ``name``, ``ward``, ``la``, ``x``, ``y``, ``colour``.

    ``colour`` is a text category (rural-urban label, LA name or "Decile 3"); the rows
    keep the order of ``areas``. Values are as published (scores, ranks or deciles), or as
    uploaded; LSOAs missing either value (uploaded data often covers only some) are left out.
    """
    if colour_by == COLOUR_RUC:
        colour = context["ruc_label"].reindex(areas.index).fillna("Not classified")
    elif colour_by == COLOUR_LA:
        colour = areas[LA_NAME]
    else:
        decile = areas[get_indicator(colour_by).column(year)]
        colour = decile.map(lambda d: "No data" if pd.isna(d) else f"Decile {int(d)}")
    frame = pd.DataFrame(
        {
            "code": areas[AREA_CODE].to_numpy(),
            "name": areas[AREA_NAME].to_numpy(),
            "ward": areas[WARD_NAME].to_numpy(),
            "la": areas[LA_NAME].to_numpy(),
            "x": areas[x_ind.column(year)].to_numpy(dtype=float),
            "y": areas[y_ind.column(year)].to_numpy(dtype=float),
            "colour": colour.to_numpy(dtype=object),
        }
    )
    return frame[frame["x"].notna() & frame["y"].notna()].reset_index(drop=True)


def colour_scale(frame: pd.DataFrame, colour_by: str) -> tuple[list[str], list[str]]:
    """The scatter's colour domain and range: categories in a fixed order and CVD-safe colours.

    Rural-urban classes and LAs take Okabe-Ito colours; deciles run from light (decile
    10) to dark (decile 1) in viridis, as on the map explorer.
    """
    present = [c for c in dict.fromkeys(frame["colour"]) if isinstance(c, str)]
    if colour_by in (COLOUR_RUC, COLOUR_LA):
        domain = sorted(present)
        colours = [OKABE_ITO[i % len(OKABE_ITO)] for i in range(len(domain))]
        return domain, colours
    deciles = [f"Decile {d}" for d in range(1, 11)]
    dark_to_light = list(reversed(palette_colours("viridis", 10)))
    domain = [d for d in deciles if d in present]
    colours = [dark_to_light[deciles.index(d)] for d in domain]
    if "No data" in present:
        domain.append("No data")
        colours.append("#ffffff")
    return domain, colours


def codes_in_selection(selection: Mapping | None, frame: pd.DataFrame) -> list[str]:
    """LSOA codes picked in the scatter (Streamlit's ``event.selection``), in ``frame`` order.

    Understands the two selections ``charts_systems.scatter_chart`` defines: ``pick``
    (clicked points, ``[{"code": ...}, ...]``) and ``brush`` (a dragged rectangle,
    ``{"x": [lo, hi], "y": [lo, hi]}``). Both together select their union.

    Example
    -------
    >>> f = pd.DataFrame({"code": ["a", "b", "c"], "x": [1.0, 2.0, 3.0], "y": [1.0, 5.0, 3.0]})
    >>> codes_in_selection({"brush": {"x": [1.5, 3.5], "y": [0, 4]}, "pick": [{"code": "a"}]}, f)
    ['a', 'c']
    """
    if not selection:
        return []
    chosen = np.zeros(len(frame), dtype=bool)
    points = selection.get("pick") or []
    if isinstance(points, (list, tuple)):
        codes = {p.get("code") for p in points if isinstance(p, Mapping)}
        chosen |= frame["code"].isin(codes).to_numpy()
    brush = selection.get("brush") or {}
    if isinstance(brush, Mapping) and brush:
        inside = np.ones(len(frame), dtype=bool)
        for field in ("x", "y"):
            bounds = brush.get(field)
            if bounds is None:
                continue
            try:
                lo, hi = sorted(float(b) for b in bounds)
            except (TypeError, ValueError):
                return frame.loc[chosen, "code"].tolist()
            values = frame[field].to_numpy(dtype=float)
            inside &= (values >= lo) & (values <= hi)
        if any(brush.get(f) is not None for f in ("x", "y")):
            chosen |= inside
    return frame.loc[chosen, "code"].tolist()


# ---------------------------------------------------------------- correlation


def correlation_matrix(
    areas: pd.DataFrame,
    year: int,
    domain_ids: Sequence[str] | None = None,
    extra: Mapping[str, Indicator] | None = None,
) -> pd.DataFrame:
    """Spearman correlation of the domains' national ranks among ``areas``, labelled by domain.

    Ranks exist for every domain in both editions, and Spearman's rank correlation does
    not assume straight-line relationships or care about skewed scores. ``extra`` adds
    indicators (label -> record, ``matrix_indicators``) by their national rank (1 = most
    deprived, so a positive rho still means "more deprived on both"); each pair is computed
    over the LSOAs that have both values.
    """
    domain_ids = list(domain_ids or ("imd", *SEVEN_DOMAINS))
    columns = {get_domain(d).label: get_indicator(f"{d}_rank").column(year) for d in domain_ids}
    frame = pd.DataFrame({label: areas[column] for label, column in columns.items()})
    for label, indicator in (extra or {}).items():
        frame[label] = areas[indicator.rank_column(year)].to_numpy(dtype=float)
    return frame.corr(method="spearman")


def correlation_long(matrix: pd.DataFrame) -> pd.DataFrame:
    """The matrix as rows ``row``, ``column``, ``rho`` (for the heatmap), in matrix order."""
    long = matrix.stack().rename("rho").reset_index()
    long.columns = ["row", "column", "rho"]
    return long


def strongest_pairs(matrix: pd.DataFrame, top: int = 3, exclude: Sequence[str] = ()) -> pd.DataFrame:
    """The ``top`` most strongly correlated distinct pairs (by absolute rho), for the text summary.

    ``exclude`` leaves rows out (the IMD, which is built from the domains and so tracks them).
    """
    labels = [label for label in matrix.index if label not in exclude]
    rows = [
        {"Domain A": a, "Domain B": b, "Spearman's rho": float(matrix.loc[a, b])}
        for i, a in enumerate(labels)
        for b in labels[i + 1 :]
    ]
    pairs = pd.DataFrame(rows)
    if pairs.empty:
        return pairs
    order = pairs["Spearman's rho"].abs().sort_values(ascending=False).index
    return pairs.loc[order].head(top).reset_index(drop=True)


def describe_rho(rho: float) -> str:
    """Plain words for a correlation coefficient.

    Example
    -------
    >>> describe_rho(0.82), describe_rho(-0.2)
    ('strong positive', 'weak negative')
    """
    if rho != rho:
        return "not defined"
    size = abs(rho)
    strength = "very weak" if size < 0.1 else "weak" if size < 0.4 else "moderate" if size < 0.7 else "strong"
    return f"{strength} {'positive' if rho >= 0 else 'negative'}"


# ---------------------------------------------------------------- bivariate map


@dataclass(frozen=True)
class Bivariate:
    """A 3x3 bivariate classification: ``classification`` feeds the map, ``counts[y][x]`` the legend."""

    classification: Classification
    x_class: np.ndarray
    y_class: np.ndarray
    counts: list[list[int]]


def thirds(areas: pd.DataFrame, national: pd.DataFrame, indicator: Indicator, year: int, reference: str) -> np.ndarray:
    """Third of need of each LSOA on ``indicator``: 0 least deprived, 2 most deprived, -1 no data.

    ``reference="place"`` splits the place's own LSOAs into three equal-count groups
    (mapclassify quantiles of the national rank); ``"england"`` uses England's thirds of
    the national rank. Ranks are used for both so that ties in deciles do not merge classes.
    """
    if reference not in ("place", "england"):
        raise ValueError(f"Unknown reference for thirds {reference!r}")
    # The published national rank, or the values ranked among England's LSOAs that have one
    # (1 = most deprived by the indicator's polarity; ties share the lowest rank).
    rank_column = indicator.rank_column(year)
    ranks = areas[rank_column].to_numpy(dtype=float)
    n = int(national[rank_column].notna().sum())
    if reference == "england":
        out = 2 - np.floor(3 * (ranks - 1) / max(n, 1))
        return np.where(np.isnan(ranks), -1, np.clip(out, 0, 2)).astype(int)
    classes = classify_values(ranks, "quantiles", 3, polarity=Polarity.LOW_IS_WORSE).classes
    k = int(classes.max()) + 1 if (classes >= 0).any() else 0
    if 0 < k < 3:  # fewer than three distinct ranks: spread what there is to the ends
        classes = np.where(classes >= 0, np.round(classes * 2 / max(k - 1, 1)).astype(int), -1)
    return classes


def bivariate(
    areas: pd.DataFrame,
    national: pd.DataFrame,
    year: int,
    x_ind: Indicator,
    y_ind: Indicator,
    reference: str = "place",
) -> Bivariate:
    """Class every LSOA into the 3x3 grid of ``x`` thirds by ``y`` thirds.

    Class id ``3 * y_third + x_third`` indexes ``colour.BIVARIATE_PALETTE``; an LSOA with
    no data on either indicator gets -1 (drawn as "No data").
    """
    x_cls = thirds(areas, national, x_ind, year, reference)
    y_cls = thirds(areas, national, y_ind, year, reference)
    has = (x_cls >= 0) & (y_cls >= 0)
    classes = np.where(has, 3 * y_cls + x_cls, -1)
    counts = [[int(((x_cls == i) & (y_cls == j)).sum()) for i in range(3)] for j in range(3)]
    x_short, y_short = short_label(x_ind), short_label(y_ind)
    labels = [f"{x_short}: {THIRD_NAMES[i]}; {y_short}: {THIRD_NAMES[j]}" for j in range(3) for i in range(3)]
    classification = Classification(
        classes=classes,
        colours=[BIVARIATE_PALETTE[c] if c >= 0 else "#ffffff" for c in classes],
        palette=list(BIVARIATE_PALETTE),
        labels=labels,
        bins=[],
        counts=[counts[j][i] for j in range(3) for i in range(3)],
        n_missing=int((~has).sum()),
        scheme=f"bivariate-{reference}",
    )
    return Bivariate(classification=classification, x_class=x_cls, y_class=y_cls, counts=counts)


def short_label(indicator: Indicator) -> str:
    """The domain (or sub-domain) name of an official indicator, without its measure; any other's own label."""
    if not indicator.official:  # a measure's or an upload's domain (if any) is only a grouping
        return indicator.label
    if indicator.subdomain:
        return get_domain(indicator.subdomain).label
    return get_domain(indicator.domain).label


def bivariate_values(
    areas: pd.DataFrame, year: int, x_ind: Indicator, y_ind: Indicator, result: Bivariate
) -> list[str]:
    """Tooltip text per LSOA: both values and the third each falls in."""
    out = []
    for xv, yv, xc, yc in zip(
        areas[x_ind.column(year)], areas[y_ind.column(year)], result.x_class, result.y_class, strict=True
    ):
        x_text = f"{short_label(x_ind)} {x_ind.measure} {x_ind.format(xv)}" + (
            f" ({THIRD_NAMES[xc]})" if xc >= 0 else ""
        )
        y_text = f"{short_label(y_ind)} {y_ind.measure} {y_ind.format(yv)}" + (
            f" ({THIRD_NAMES[yc]})" if yc >= 0 else ""
        )
        out.append(f"{x_text}; {y_text}")
    return out


def bivariate_table(
    areas: pd.DataFrame, year: int, x_ind: Indicator, y_ind: Indicator, result: Bivariate
) -> pd.DataFrame:
    """The text alternative to the bivariate map: each LSOA's two values and thirds."""
    name = {-1: "No data", 0: THIRD_NAMES[0], 1: THIRD_NAMES[1], 2: THIRD_NAMES[2]}
    return pd.DataFrame(
        {
            "LSOA code": areas[AREA_CODE].to_numpy(),
            "LSOA name": areas[AREA_NAME].to_numpy(),
            "Local authority": areas[LA_NAME].to_numpy(),
            x_ind.label: areas[x_ind.column(year)].to_numpy(),
            f"{short_label(x_ind)}: third": [name[int(c)] for c in result.x_class],
            y_ind.label: areas[y_ind.column(year)].to_numpy(),
            f"{short_label(y_ind)}: third": [name[int(c)] for c in result.y_class],
        }
    )


def both_most_deprived(areas: pd.DataFrame, result: Bivariate) -> pd.DataFrame:
    """LSOAs in the most deprived third on both indicators (the darkest cell)."""
    mask = (result.x_class == 2) & (result.y_class == 2)
    return areas.loc[mask, [AREA_CODE, AREA_NAME, LA_CODE, LA_NAME]]


def bivariate_map(
    areas: pd.DataFrame,
    national: pd.DataFrame,
    year: int,
    x: Indicator,
    y: Indicator,
    reference: str,
    total: int,
    version: str,
):
    """The 3x3 bivariate classes and the map's style payload, for any two catalogue indicators.

    ``areas``/``national`` are rows of ``EditionIndicators.national``; ``version`` keys the map
    (it names what the classes come from). Tooltip strings are escaped by ``maps.style_payload``.
    """
    from placemap.render.maps import style_payload

    result = bivariate(areas, national, year, x, y, reference)
    payload = style_payload(
        result.classification,
        values=bivariate_values(areas, year, x, y, result),
        ranks=[""] * len(areas),
        deciles=[""] * len(areas),
        label=f"{short_label(x)} × {short_label(y)}",
        total=total,
        version=version,
    )
    return result, payload


def broadcast(indicator: Indicator) -> bool:
    """Whether an indicator is a ward or LA value repeated on its LSOAs (so its LSOAs share values).

    Example
    -------
    >>> broadcast(get_indicator("homelessness_rate_2019")), broadcast(get_indicator("health_rank"))
    (True, False)
    """
    return indicator.la_level or indicator.geography in (Geography.WARD, Geography.LA)


def broadcast_warning(*indicators: Indicator) -> str:
    """A warning when an indicator is a ward or LA value repeated on its LSOAs ("" if none is).

    Example
    -------
    >>> broadcast_warning(get_indicator("homelessness_rate_2019"), get_indicator("health_rank")).split(":")[0]
    'Homelessness (IoD2019) is a ward or local-authority value repeated on its LSOAs'
    """
    names = [i.label for i in indicators if broadcast(i)]
    if not names:
        return ""
    return (
        f"{' and '.join(dict.fromkeys(names))} {'is a' if len(names) == 1 else 'are'} ward or local-authority "
        f"value{'' if len(names) == 1 else 's'} repeated on its LSOAs: every LSOA of a ward (or LA) has the same "
        "figure, so correlations with it mostly compare wards (or LAs), with many ties, and within one LA it may "
        "show no variation at all. Treat them as rough, and never as a property of single LSOAs."
    )


def rank_rule(*indicators: Indicator) -> str:
    """How indicators without a published national rank are ranked where a page needs one ("" if all have one).

    Example
    -------
    >>> rank_rule(get_indicator("health_rank"))
    ''
    """
    names = [i.label for i in indicators if i.ranking is Ranking.AMONG_PRESENT]
    if not names:
        return ""
    return (
        f"{' and '.join(dict.fromkeys(names))} {'has' if len(names) == 1 else 'have'} no published national rank: "
        "where one is needed, Placemap ranks the values among England's LSOAs that have a value (1 = most "
        "deprived by the indicator's polarity; tied values share the lowest rank)."
    )


# ---------------------------------------------------------------- every indicator of an edition

BROUGHT = "Your data: "
LICENCE = "Licence: OGL v3.0 (official data); other data: as its source states"  # the exports' last line
MAX_MATRIX_EXTRA = 8  # indicators beside the domains in the correlation matrix (keeps it readable)


@dataclass
class EditionIndicators:
    """Every catalogue indicator a page can analyse on one edition, in one national table.

    Attributes
    ----------
    year : the edition
    national : the edition's LSOA table with every indicator that joins it: its values
        (``Indicator.column``), national rank and decile (``rank_column``/``decile_column``)
    catalogue : resolves every id (official, measure, registered, uploaded)
    brought : id -> the dataset a person brought it in (uploaded or registered by hand)
    notes : id -> how it joined this edition ("" for an edition's own LSOAs)
    refused : id -> why it cannot be used on this edition (e.g. LSOA 2011 codes on IoD2025)
    key : what ``national`` holds beyond the shared table: caches key on it
    """

    year: int
    national: pd.DataFrame
    catalogue: Catalogue = CATALOGUE
    brought: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)
    key: tuple = ()

    @property
    def tag(self) -> str:
        """ "" for the shared table; else a short digest of ``key``, so a map drawn from joined values redraws."""
        return f"-{hashlib.sha1(repr(self.key).encode()).hexdigest()[:10]}" if self.notes else ""

    def get(self, indicator_id: str) -> Indicator:
        """The record behind an id (``ValueError`` if no catalogue indicator has it)."""
        return self.catalogue.get(indicator_id)

    def name(self, indicator_id: str) -> str:
        """What tables call an indicator: its label, or "Your data: <label> (<dataset>)" for one brought."""
        label = self.get(indicator_id).label
        return f"{BROUGHT}{label} ({self.brought[indicator_id]})" if indicator_id in self.brought else label

    def label(self, indicator_id: str) -> str:
        """What pickers call an indicator: "Theme · label" (``option_label``), or ``name`` for one brought."""
        return self.name(indicator_id) if indicator_id in self.brought else option_label(self.get(indicator_id))

    def options(self, official: bool = True) -> dict[str, str]:
        """id -> ``label`` of every indicator with values here, theme by theme (``official=False``: the others only)."""
        found = [self.get(i) for i in axis_options(self.year, self.catalogue)]
        return {
            i.id: self.label(i.id)
            for i in found
            if (official or not i.official) and (i.official or i.column(self.year) in self.national.columns)
        }

    def source_line(self, indicator_id: str) -> str:
        """One plain line naming an indicator that is not the edition's own, its source and how it joined."""
        indicator = self.get(indicator_id)
        unit = f" ({indicator.unit})" if indicator.unit else ""
        note = f" {self.notes[indicator_id]}" if self.notes.get(indicator_id) else ""
        if indicator_id in self.brought:
            return (
                f"{BROUGHT}{indicator.label}{unit}, from the uploaded dataset {self.brought[indicator_id]}; "
                f"source as stated: {indicator.source}.{note}"
            )
        return f"{indicator.label}{unit}: {indicator.source}.{note}"

    def source_lines(self, ids: Sequence[str]) -> list[str]:
        """``source_line`` of each id that is not an edition's own column (the vintage cites those), once each."""
        return [self.source_line(i) for i in dict.fromkeys(ids) if i in self.catalogue and not self.get(i).official]


def edition_indicators(
    catalogue: Catalogue, year: int, national: pd.DataFrame, datasets: Mapping[str, str] | None = None, key=()
) -> EditionIndicators:
    """Every indicator of ``catalogue`` on edition ``year``: ``national`` with the ones it lacks joined in.

    ``national`` is the shared table (official columns, and the registered indicators
    ``values.with_registered`` joined); the catalogue's other indicators (a session's uploads,
    ``Catalogue.with_uploads``) join by ``values.indicator_values`` and are ranked among
    England's LSOAs with a value (``values.national_positions``). ``datasets`` names the
    dataset of each uploaded indicator (id -> name); the indicators a person registered by
    hand are named by their source. ``key`` says what the extra columns come from.
    """
    datasets = datasets or {}
    out = EditionIndicators(year, national, catalogue, key=(year, key))
    joined = []
    for indicator in catalogue.registered(bundled=False):
        if indicator.id in national.columns:
            out.brought[indicator.id] = datasets.get(indicator.id, indicator.source)
            continue
        found = indicator_values(indicator, year, national, catalogue)
        if not indicator.joins(year) or not found.ok:
            out.refused[indicator.id] = found.note
            continue
        out.brought[indicator.id] = datasets.get(indicator.id, indicator.source)
        out.notes[indicator.id] = found.note
        values = found.values.astype(float).rename(indicator.id)
        joined += [values, national_positions(values, indicator, year)]
    if joined:
        out.national = pd.concat([national, *joined], axis=1)
    return out


def matrix_indicators(
    data: EditionIndicators, areas: pd.DataFrame, ids: Sequence[str], minimum: int = 3
) -> tuple[dict[str, Indicator], list[str]]:
    """Indicators to correlate beside the domains (label -> record), and notes on those left out.

    Up to ``MAX_MATRIX_EXTRA`` of ``ids`` that are not the domains' own ranks; one with fewer
    than ``minimum`` values among ``areas``, or the same value everywhere, is left out with a note.
    """
    out: dict[str, Indicator] = {}
    notes: list[str] = []
    for indicator_id in dict.fromkeys(ids):
        indicator, label = data.get(indicator_id), data.name(indicator_id)
        if indicator.official:
            continue
        values = areas[indicator.column(data.year)]
        if int(values.notna().sum()) < minimum:
            notes.append(
                f"{label} has {int(values.notna().sum())} value(s) in this place, too few to correlate; left out."
            )
        elif values.nunique() < 2:
            notes.append(f"{label} has the same value across this place: no correlation to show; left out.")
        elif len(out) >= MAX_MATRIX_EXTRA:
            notes.append(f"The matrix shows {MAX_MATRIX_EXTRA} indicators beside the domains; {label} is left out.")
        else:
            out[label] = indicator
    return out, notes
