"""Assemble what a choropleth needs for a place, from national frames. Pure: no Streamlit.

``placemap.ui.cache`` wraps these with caching; benchmarks and tests call them directly.
"""

from __future__ import annotations

from typing import NamedTuple

import geopandas as gpd
import pandas as pd

from placemap.analysis import summary
from placemap.analysis.classify import FIXED_BANDS, SCHEMES, Classification, classify_values
from placemap.data import prepare
from placemap.data.catalogue import (
    BOUNDARY_ATTRIBUTION,
    LA_SUMMARY_LABEL,
    LA_SUMMARY_NOTE,
    OGL,
    Catalogue,
    Indicator,
    Vintage,
)
from placemap.data.indicator_picker import direction_line
from placemap.data.indicators import Geography, Theme
from placemap.data.loaders import AREA_CODE, AREA_NAME, LA_CODE, LA_NAME, WARD_CODE, WARD_NAME
from placemap.data.values import indicator_values, national_positions, suppressed_flags
from placemap.render.maps import style_payload

# Bands for the LA summary (share of LSOAs in England's most deprived 10%), comparable between places.
SHARE_BANDS = [0.0, 0.05, 0.10, 0.20, 0.30, 0.40, 1.0]
PLACE_COLUMNS = [AREA_CODE, AREA_NAME, WARD_CODE, WARD_NAME, LA_CODE, LA_NAME]
QUANTILES_NOTE = (
    "National deciles need LSOA values across England, which this map does not have: "
    "it is classed in quantiles of the areas shown."
)


class MapChoice(NamedTuple):
    """What an indicator's map of a place shows: the edition, the place's LAs, the indicator and its classes.

    ``cache.load_classification(*choice)`` and its kin (``load_la_classification``,
    ``load_raster``, ``zoom_tiles.raster_tiles``) take it, beside the upload holding the
    indicator, if any.
    """

    year: int
    la_codes: tuple[str, ...]
    indicator_id: str
    scheme: str
    k: int
    palette: str


def has_national_deciles(indicator: Indicator) -> bool:
    """Whether an indicator's deciles are England's: not for local data (an upload), which covers some places."""
    return indicator.theme is not Theme.LOCAL


def scheme_for(indicator: Indicator, scheme: str) -> str:
    """The scheme an indicator is classed in: without national deciles, quantiles of the areas shown.

    Example
    -------
    >>> from placemap.data.catalogue import get_indicator
    >>> scheme_for(get_indicator("imd_score"), "national_deciles")
    'national_deciles'
    """
    return "quantiles" if scheme == "national_deciles" and not has_national_deciles(indicator) else scheme


def classes_words(indicator: Indicator, scheme: str, las: bool = False) -> tuple[str, str]:
    """How a map of ``indicator`` is classed, in the legend's words, and a note when ``scheme`` was replaced.

    ``las``: the local-authority map, whose shares take fixed bands for national deciles
    and whose LA values (``la_valued``) take quantiles.

    Example
    -------
    >>> from placemap.data.catalogue import get_indicator
    >>> classes_words(get_indicator("imd_score"), "national_deciles", las=True)
    ('Fixed bands of the share', '')
    """
    if las and not la_valued(indicator):
        return ("Fixed bands of the share" if scheme == "national_deciles" else SCHEMES[scheme]), ""
    used = "quantiles" if las and scheme == "national_deciles" else scheme_for(indicator, scheme)
    return SCHEMES[used], QUANTILES_NOTE if used != scheme else ""


def indicator_frame(
    national: pd.DataFrame, indicator: Indicator, year: int, catalogue: Catalogue | None = None
) -> tuple[pd.DataFrame, str]:
    """Edition ``year``'s LSOAs with ``indicator``'s values, rank and decile, and how the values reach them.

    The columns are where the indicator says (``column``, ``rank_column``, ``decile_column``); the
    note is ``values.indicator_values``'s ("" for a column of the edition). An indicator that is a column of ``national`` already (official or registered) gives
    ``national`` itself. Any other (a session's upload, resolved in ``catalogue``) is joined
    by ``values.indicator_values``, so ward and LA values reach their LSOAs, and ranked
    among the LSOAs with a value; the frame then holds only the place columns beside it.

    Raises
    ------
    ValueError
        With the join's plain note, when the indicator cannot be shown on this edition.
    """
    if indicator.joins(year) and indicator.column(year) in national.columns:
        return national, ""
    joined = indicator_values(indicator, year, national, catalogue)
    if not joined.ok:
        raise ValueError(joined.note)
    values = joined.values.rename(indicator.column(year))
    flags = suppressed_flags(indicator, year, values, catalogue)
    parts = [national[PLACE_COLUMNS], values, national_positions(values, indicator, year)]
    return pd.concat([*parts, *([] if flags is None else [flags])], axis=1), joined.note


def lsoa_layers(areas: gpd.GeoDataFrame, las: gpd.GeoDataFrame, la_codes: tuple[str, ...]) -> dict:
    """GeoJSON for a place drawn at LSOA level: LSOAs, LA outline, wards, neighbouring LAs, bounds.

    ``areas`` are the place's LSOA boundaries (sorted by code: the feature order);
    ``las`` all LA boundaries of the edition (for the neighbours).
    """
    return {
        "areas": prepare.area_features(areas),
        # Dissolved from the LSOAs so the outline follows their edges exactly (the
        # official generalised LA layers are coarser than the LSOAs).
        "la": prepare.outline_features(prepare.la_outlines(areas), LA_NAME),
        "wards": prepare.outline_features(prepare.ward_outlines(areas), WARD_NAME),
        "context": prepare.outline_features(prepare.neighbouring_las(las, la_codes), LA_NAME),
        "bounds": prepare.bounds_of(areas),
        "codes": list(areas[AREA_CODE]),
    }


def la_layers(las: gpd.GeoDataFrame, la_codes: tuple[str, ...]) -> dict:
    """GeoJSON of the chosen LAs as polygons (LA summary map) and as outlines, and bounds."""
    chosen = las[las[LA_CODE].isin(la_codes)].sort_index()
    properties = [
        {"i": i, "c": prepare.escape_text(c), "n": prepare.escape_text(n), "w": ""}
        for i, (c, n) in enumerate(zip(chosen[LA_CODE], chosen[LA_NAME], strict=True))
    ]
    return {
        "areas": prepare.feature_collection(chosen.geometry, properties),
        "outline": prepare.outline_features(chosen, LA_NAME),
        "bounds": prepare.bounds_of(chosen),
        "codes": list(chosen[LA_CODE]),
    }


def codes_classification(
    national: pd.DataFrame,
    codes: list[str],
    indicator: Indicator,
    vintage: Vintage,
    scheme: str,
    k: int,
    palette: str,
) -> tuple[Classification, dict]:
    """Classify an indicator over any LSOAs (a place's, a ward's, an ICB's, a drawn area's) in the order given.

    Returns the classification and the map's style payload (``maps.style_payload``).
    """
    year = vintage.year
    areas = national.loc[codes]
    column = indicator.column(year)
    scheme = scheme_for(indicator, scheme)
    bins = prepare.national_decile_bins(national, indicator, year) if scheme == "national_deciles" else None
    suppressed = prepare.suppressed_mask(areas, indicator, year)
    classification = classify_values(
        areas[column].to_numpy(dtype=float),
        scheme,
        k,
        polarity=indicator.polarity,
        palette=palette,
        value_format=indicator.value_format,
        national_bins=bins,
        measure_is_decile=indicator.measure == "decile",
        suppressed=suppressed,
    )
    ranks = areas[indicator.rank_column(year)]
    deciles = areas[indicator.decile_column(year)]
    payload = style_payload(
        classification,
        values=prepare.shown_values(areas, indicator, year),
        ranks=["" if pd.isna(r) else f"{int(r):,}" for r in ranks],
        deciles=["" if pd.isna(d) else str(int(d)) for d in deciles],
        label=indicator.label,
        total=vintage.n_lsoas,
        version=f"{year}-{indicator.id}-{scheme}-{k}-{palette}",
    )
    return classification, payload


def la_valued(indicator: Indicator) -> bool:
    """Whether an indicator has one value per local authority (its LSOAs repeat it), so an LA map shows it."""
    return indicator.la_level or indicator.geography is Geography.LA


def la_map_words(indicator: Indicator) -> tuple[str, str]:
    """What the local-authority map of ``indicator`` shows: its legend title and the note beside it.

    Example
    -------
    >>> from placemap.data.catalogue import get_indicator
    >>> la_map_words(get_indicator("income_score"))[0]
    "Share of LSOAs in England's most deprived 10%: Income"
    """
    if la_valued(indicator):
        return indicator.label, "Each local authority is coloured by its own value (one value per local authority)."
    if has_national_deciles(indicator):
        return f"{LA_SUMMARY_LABEL}: {indicator.label.rsplit(':', 1)[0]}", LA_SUMMARY_NOTE
    return (
        f"Share of LSOAs in the worst 10% with a value: {indicator.label}",
        "Local authority view: for each LA, the share of its LSOAs among the worst 10% of the LSOAs with a "
        "value (local data has no national deciles).",
    )


def la_classification(
    national: pd.DataFrame,
    la_codes: tuple[str, ...],
    indicator: Indicator,
    vintage: Vintage,
    scheme: str,
    k: int,
    palette: str,
) -> tuple[Classification, dict, pd.DataFrame]:
    """Classify the chosen LAs: by the share of their LSOAs in the most deprived 10%, or by their own value.

    ``la_codes`` must be in the LA map's feature order. An indicator with one value per LA
    (``la_valued``) is classed on that value (national deciles become quantiles of the LAs, and
    the table gains a ``value`` column); any other on the share of LSOAs in its worst decile,
    in the fixed ``SHARE_BANDS`` with the national-deciles scheme.
    """
    year = vintage.year
    table = summary.la_summary(national, indicator.decile_column(year), la_codes)
    version = f"{year}-la-{indicator.id}-{scheme}-{k}-{palette}"
    if la_valued(indicator):
        table["value"] = national.groupby(LA_CODE)[indicator.column(year)].first().reindex(table.index)
        values = table["value"].to_numpy(dtype=float)
        classification = classify_values(
            values,
            "quantiles" if scheme == "national_deciles" else scheme,  # LAs have no national deciles
            k,
            polarity=indicator.polarity,
            palette=palette,
            value_format=indicator.value_format,
        )
        payload = style_payload(
            classification,
            values=[indicator.format(v) for v in values],
            label=indicator.label,
            total=vintage.n_lsoas,
            version=version,
        )
        return classification, payload, table
    shares = table["share"].to_numpy(dtype=float)
    use_bands = scheme == "national_deciles"
    classification = classify_values(
        shares,
        FIXED_BANDS if use_bands else scheme,
        k,
        polarity="high_is_deprived",
        palette=palette,
        value_format="{:.0%}",
        national_bins=SHARE_BANDS if use_bands else None,
    )
    payload = style_payload(
        classification,
        values=[
            f"{s:.0%} ({n} of {t})"
            for s, n, t in zip(shares, table["in_most_deprived_10"], table["lsoas"], strict=True)
        ],
        label=la_map_words(indicator)[0],
        total=vintage.n_lsoas,
        version=version,
    )
    return classification, payload, table


def map_titles(vintage: Vintage, indicator: Indicator, la_name: str, n_areas: int, scheme_label: str) -> dict:
    """Title, subtitle, legend title and source lines of an LA's map exported as a file.

    Example
    -------
    >>> from placemap.data.catalogue import get_indicator, get_vintage
    >>> titles = map_titles(get_vintage(2019), get_indicator("imd_decile"), "Hull", 166, "Quantiles")
    >>> titles["subtitle"]
    'IoD2019 · 166 LSOAs (LSOA (2011)) · Quantiles'
    """
    return {
        "title": f"{la_name}: {indicator.label}",
        "subtitle": f"{vintage.label} · {n_areas:,} LSOAs ({vintage.lsoa_label}) · {scheme_label}",
        "legend_title": indicator.label,
        "source_lines": [direction_line(indicator), *citation_lines(indicator, vintage, BOUNDARY_ATTRIBUTION)],
    }


def citation_lines(indicator: Indicator, vintage: Vintage, *between: str) -> list[str]:
    """The source and licence lines of a map or table of ``indicator`` (``between`` goes between them).

    Example
    -------
    >>> from placemap.data.catalogue import get_indicator, get_vintage
    >>> citation_lines(get_indicator("imd_decile"), get_vintage(2025))[-1]
    'Licence: Open Government Licence v3.0. Made with Placemap.'
    """
    return [
        vintage.citation if indicator.official else f"Source: {indicator.source}. {vintage.citation}",
        *([indicator.caveats] if not has_national_deciles(indicator) else []),
        *between,
        f"Licence: {OGL}. Made with Placemap."
        if indicator.licence == OGL
        else f"Licence: {indicator.licence} (the data); area codes, names and boundaries {OGL}. Made with Placemap.",
    ]
