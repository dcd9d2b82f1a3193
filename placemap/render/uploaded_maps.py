"""Uploaded data on maps and in tables, built the same way as the official indicators. Pure: no Streamlit.

* ``lsoa_choropleth`` / ``la_choropleth``: an uploaded indicator classed over a place's
  LSOAs or LAs, as a style payload for the map explorer's existing polygons (same
  classification, legend, table and CSV as a built-in indicator);
* ``explorer_overlay``: what the map explorer shows for an uploaded indicator in each
  drawing mode (LSOA polygons, ward polygons, the LSOA image, LA polygons) or a note;
  wards and images are built with ``placemap.render.upload_layers``;
* ``areas_choropleth``: official measures aggregated to uploaded areas;
* ``build_areas_layer``: uploaded areas drawn as an outline layer (a feature group, so
  the base map's script does not change).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from placemap.analysis.classify import Classification, classify_values
from placemap.data.catalogue import Indicator
from placemap.data.loaders import AREA_CODE, AREA_NAME, LA_CODE, LA_NAME, WARD_NAME
from placemap.data.prepare import escape_markdown
from placemap.render.maps import MODE_LA, MODE_RASTER, MODE_VECTOR, style_payload
from placemap.uploads.uploaded_boundaries import AREA_ID, AREA_LABEL, AggregateMeasure, UploadedAreas

UPLOADED_COLOUR = "#d95f02"  # orange outlines: apart from every sequential palette and the magenta highlight
SCHEME_NOTE = "National deciles do not exist for uploaded data; it is classed in quantiles of the areas shown."


def scheme_for_upload(scheme: str) -> str:
    """National deciles need England's published deciles, which uploads lack: use quantiles instead."""
    return "quantiles" if scheme == "national_deciles" else scheme


def _classify(
    values: np.ndarray, indicator_polarity: str, scheme: str, k: int, palette: str, fmt: str
) -> Classification:
    return classify_values(
        values, scheme_for_upload(scheme), k, polarity=indicator_polarity, palette=palette, value_format=fmt
    )


def _label(indicator: Indicator) -> str:
    return f"{indicator.label} ({indicator.unit})" if indicator.unit else indicator.label


def lsoa_choropleth(
    values: pd.Series, indicator: Indicator, areas: pd.DataFrame, scheme: str, k: int, palette: str, total: int
) -> tuple[Classification, dict, pd.DataFrame]:
    """Class an uploaded LSOA indicator over a place's LSOAs (``areas``, sorted by code: the feature order).

    Returns the classification, the map's style payload and the table beneath the map.
    """
    shown = values.reindex(areas.index).astype(float)
    classification = _classify(shown.to_numpy(), indicator.polarity, scheme, k, palette, indicator.value_format)
    payload = style_payload(
        classification,
        values=[indicator.format(v) for v in shown],
        ranks=[""] * len(shown),
        deciles=[""] * len(shown),
        label=_label(indicator),
        total=total,
        version=f"{indicator.id}-{scheme}-{k}-{palette}",
    )
    table = pd.DataFrame(
        {
            "LSOA code": areas[AREA_CODE],
            "LSOA name": areas[AREA_NAME],
            "Ward": areas[WARD_NAME],
            "Local authority": areas[LA_NAME],
            _label(indicator): shown.to_numpy(),
        }
    ).sort_values(_label(indicator), ascending=indicator.polarity != "high_is_deprived", na_position="last")
    return classification, payload, table.reset_index(drop=True)


def la_choropleth(
    values: pd.Series,
    indicator: Indicator,
    la_codes: list[str],
    la_names: dict[str, str],
    scheme: str,
    k: int,
    palette: str,
    total: int,
) -> tuple[Classification, dict, pd.DataFrame]:
    """Class an uploaded LA indicator over the LA map's features (``la_codes`` in feature order)."""
    shown = values.reindex(la_codes).astype(float)
    classification = _classify(shown.to_numpy(), indicator.polarity, scheme, k, palette, indicator.value_format)
    payload = style_payload(
        classification,
        values=[indicator.format(v) for v in shown],
        ranks=[""] * len(shown),
        deciles=[""] * len(shown),
        label=_label(indicator),
        total=total,
        version=f"la-{indicator.id}-{scheme}-{k}-{palette}",
    )
    table = pd.DataFrame(
        {
            "LA code": la_codes,
            "Local authority": [la_names.get(c, c) for c in la_codes],
            _label(indicator): shown.to_numpy(),
        }
    ).sort_values(_label(indicator), ascending=indicator.polarity != "high_is_deprived", na_position="last")
    return classification, payload, table.reset_index(drop=True)


def areas_choropleth(
    uploaded: UploadedAreas, aggregates: pd.DataFrame, measure: AggregateMeasure, k: int, palette: str, total: int
) -> tuple[Classification, dict, pd.DataFrame]:
    """Class one aggregated official measure over the uploaded areas (feature order = ``uploaded.areas``)."""
    rows = aggregates.reindex(uploaded.areas.index)
    values = rows[measure.column].to_numpy(dtype=float)
    fmt = measure.value_format
    classification = classify_values(
        values, "quantiles", k, polarity=measure.polarity, palette=palette, value_format=fmt
    )
    payload = style_payload(
        classification,
        values=["No data" if np.isnan(v) else fmt.format(v) for v in values],
        ranks=[""] * len(values),
        deciles=[""] * len(values),
        label=measure.label,
        total=total,
        version=f"areas-{uploaded.id}-{measure.column}-{k}-{palette}",
    )
    table = pd.DataFrame(
        {
            "Area": uploaded.areas[AREA_LABEL].to_numpy(),
            "Id": uploaded.areas[AREA_ID].to_numpy(),
            "Population (weights)": rows["population"].round(0).to_numpy(),
            measure.label: values,
        }
    )
    return classification, payload, table


def aggregates_table(
    uploaded: UploadedAreas, aggregates: pd.DataFrame, measures: list[AggregateMeasure]
) -> pd.DataFrame:
    """Every aggregated measure for every uploaded area (for the CSV download)."""
    rows = aggregates.reindex(uploaded.areas.index)
    table = pd.DataFrame(
        {
            "Area": uploaded.areas[AREA_LABEL].to_numpy(),
            "Id": uploaded.areas[AREA_ID].to_numpy(),
            "Population (weights)": rows["population"].round(0).to_numpy(),
        }
    )
    for m in measures:
        table[m.label] = rows[m.column].to_numpy(dtype=float)
    return table


def build_areas_layer(datasets: list[UploadedAreas]) -> folium.FeatureGroup:
    """Uploaded areas as orange outlines with their (escaped) names on hover; empty without any."""
    group = folium.FeatureGroup(name="Your areas", control=False)
    for dataset in datasets:
        features = dataset.features()
        if not features["features"]:
            continue
        folium.GeoJson(
            features,
            style_function=lambda _f: {
                "color": UPLOADED_COLOUR,
                "weight": 3,
                "opacity": 1,
                "fill": False,
                "dashArray": "8 4",
            },
            tooltip=folium.GeoJsonTooltip(fields=["n"], aliases=["Your area"], labels=True),
        ).add_to(group)
    return group


@dataclass(frozen=True)
class ExplorerOverlay:
    """An uploaded indicator on the map explorer: colours and table, or only a note saying why not.

    ``payload`` restyles the LSOA (or LA) polygons; ``layer`` is an extra feature group
    (the ward polygons); ``raster`` asks the page for the image of the LSOA classes
    (``cache.upload_raster_layer``); ``geography`` says what the legend counts.
    """

    note: str
    classification: Classification | None = None
    payload: dict | None = None
    table: pd.DataFrame | None = None
    legend_title: str = ""
    layer: folium.FeatureGroup | None = None
    raster: bool = False
    geography: str = ""


def explorer_overlay(
    uploaded,
    indicator: Indicator,
    mode: str,
    year: int,
    areas: pd.DataFrame,
    feature_codes: list[str],
    la_names: dict[str, str],
    scheme: str,
    k: int,
    palette: str,
    total: int,
    load_wards: Callable[[], gpd.GeoDataFrame] | None = None,
) -> ExplorerOverlay:
    """Style the explorer's current map with an uploaded indicator when its geography fits the view.

    ``uploaded`` is the ``UploadedTable``; ``areas`` the place's LSOAs (feature order) and
    ``feature_codes`` the LA map's feature order. ``load_wards`` returns the place's ward
    polygons (``prepare.ward_outlines``); it is called only for a ward upload drawn as vectors.

    * LSOA uploads: LSOA polygons restyled, or the image of their classes (many LSOAs);
    * ward uploads: the wards as filled polygons over the LSOAs, or the image with every
      LSOA in its ward's class; a note on the local-authority summary map;
    * LA uploads: the LA summary map restyled; on LSOA views a note with the place's values.
    """
    from placemap.data.values import indicator_values
    from placemap.render import upload_layers
    from placemap.uploads.upload import GEOGRAPHY_LABELS, GEOGRAPHY_YEAR, LA, WARD

    values = uploaded.series(indicator)
    name = escape_markdown(indicator.label)
    source = escape_markdown(uploaded.source or "not stated")
    geography = uploaded.geography
    unit_word = "areas"
    extra = ""
    layer = None
    if geography in GEOGRAPHY_YEAR:
        wanted = (2025,) if geography == "lsoa21" else (2019, 2015)
        if year not in wanted:
            return ExplorerOverlay(
                f"Your indicator *{name}* is on {GEOGRAPHY_LABELS[geography]}: choose the edition IoD{wanted[0]} to map it."
            )
        if mode == MODE_LA:
            return ExplorerOverlay(
                f"Your indicator *{name}* is on LSOAs: choose the geography 'LSOAs (small areas)' to map it."
            )
        classification, payload, table = lsoa_choropleth(values, indicator, areas, scheme, k, palette, total)
        unit_word, shown_as = "LSOAs", f"{len(areas):,} LSOAs"
    elif geography == WARD:
        if mode == MODE_LA:
            return ExplorerOverlay(
                f"Your indicator *{name}* is for wards: choose the geography 'LSOAs (small areas)' to see its wards."
            )
        wards = upload_layers.ward_choropleth(values, indicator, areas, scheme, k, palette)
        if not wards.values.notna().any():
            return ExplorerOverlay(
                f"None of the wards of your indicator *{name}* is in this place on {year}'s areas: IoD2025 "
                "uses the wards of 2024, IoD2019 and IoD2015 those of 2019. Choose the place (or the edition) "
                "your wards belong to."
            )
        classification, table = wards.wards, wards.table
        payload = style_payload(
            wards.lsoas,
            values=[
                indicator.format(v) for v in indicator_values(indicator, year, areas, uploaded.series(indicator)).values
            ],
            ranks=[""] * len(areas),
            deciles=[""] * len(areas),
            label=f"{_label(indicator)} (the ward's value)",
            total=total,
            version=f"{indicator.id}-ward-{scheme}-{k}-{palette}",
        )
        if mode == MODE_VECTOR and load_wards is not None:
            layer = upload_layers.build_ward_layer(load_wards(), wards, indicator)
        unit_word, shown_as = "wards", f"{len(table):,} wards"
        extra = (
            " Wards are drawn from their LSOAs (best fit), so their edges follow LSOA edges."
            if mode == MODE_VECTOR
            else " Each LSOA shows its ward's value."
        )
    elif geography == LA:
        if mode != MODE_LA:
            return ExplorerOverlay(_la_values_note(name, values, areas, indicator))
        classification, payload, table = la_choropleth(
            values, indicator, feature_codes, la_names, scheme, k, palette, total
        )
        unit_word, shown_as = "local authorities", f"{len(table):,} local authorities"
    else:
        return ExplorerOverlay(
            f"Your indicator *{name}* is for {GEOGRAPHY_LABELS[geography]}, which the map explorer cannot colour yet; see its table on the Bring your own data page."
        )
    raster = mode == MODE_RASTER
    if raster:
        payload = None  # the page draws the image of the LSOA classes instead of restyling polygons
        extra += " Drawn as one image at this extent: areas with no data are white with grey stripes."
    matched = int(table[table.columns[-1]].notna().sum())
    if not matched:
        extra += " None of the areas in your file is in this place: choose the place your data covers."
    note = (
        f"Showing **your data**: *{name}* (source: {source}), {matched:,} of {len(table):,} {unit_word} have a value."
        + extra
        + (f" {SCHEME_NOTE}" if scheme == "national_deciles" else "")
    )
    return ExplorerOverlay(note, classification, payload, table, _label(indicator), layer, raster, shown_as)


def _la_values_note(name: str, values: pd.Series, areas: pd.DataFrame, indicator: Indicator) -> str:
    """The note for an LA upload on an LSOA view: the place's own values, and how to compare LAs."""
    las = areas[[LA_CODE, LA_NAME]].drop_duplicates().sort_values(LA_NAME)
    shown = [
        f"{escape_markdown(n)}: {escape_markdown(indicator.format(values.get(c)))}"
        for c, n in zip(las[LA_CODE], las[LA_NAME], strict=True)
    ][:6]
    more = f" and {len(las) - 6:,} more" if len(las) > 6 else ""
    return (
        f"Your indicator *{name}* is for local authorities ({'; '.join(shown)}{more}). Every LSOA of a local "
        "authority would share one colour, so it is not drawn on LSOAs: to compare local authorities on the map, "
        "show several LAs, a region or England with the geography 'Local authorities (summary)'."
    )
