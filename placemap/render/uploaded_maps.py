"""Uploaded data on maps and in tables, built the same way as the official indicators. Pure: no Streamlit.

* ``lsoa_choropleth`` / ``la_choropleth``: an uploaded indicator classed over a place's
  LSOAs or LAs, as a style payload for the map explorer's existing polygons (same
  classification, legend, table and CSV as a built-in indicator);
* ``explorer_overlay``: what the map explorer shows for an uploaded indicator in each
  drawing mode (LSOA polygons, ward polygons, the LSOA image, LA polygons) or a note;
  wards and images are built below;
* ``areas_choropleth``: official measures aggregated to uploaded areas;
* ``build_areas_layer``: uploaded areas drawn as an outline layer (a feature group, so
  the base map's script does not change);
* beyond LSOA polygons: wards (``ward_choropleth``, ``build_ward_layer``), the LSOA image's
  classes (``lsoa_classes``), export titles, and the keys caches use (``upload_key``).

Example (ward data classed once, then every LSOA takes its ward's class)
-------
>>> import pandas as pd
>>> from placemap.analysis.classify import classify_values
>>> c = classify_values(np.array([1.0, 9.0]), "quantiles", 2, polarity="high_is_deprived")
>>> lsoas = broadcast(c, pd.Index(["W1", "W2"]), pd.Series(["W2", "W1", "W3"]))
>>> lsoas.classes.tolist(), lsoas.n_missing
([1, 0, -1], 1)
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from placemap.analysis.classify import NO_DATA_COLOUR, SCHEMES, Classification, classify_values
from placemap.data.catalogue import Indicator, Vintage
from placemap.data.indicators import Polarity
from placemap.data.loaders import AREA_CODE, AREA_NAME, LA_CODE, LA_NAME, WARD_CODE, WARD_NAME
from placemap.data.prepare import escape_markdown, escape_text, feature_collection
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
    from placemap.uploads.table import GEOGRAPHY_LABELS, GEOGRAPHY_YEAR, LA, WARD

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
        wards = ward_choropleth(values, indicator, areas, scheme, k, palette)
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
            layer = build_ward_layer(load_wards(), wards, indicator)
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


# ---------------------------------------------------------------- wards, images, exports

WARD_LAYER_NAME = "Your data (wards)"


def content_digest(values: pd.Series, geography: str, indicator: Indicator) -> str:
    """A 16-character hash of an uploaded column and everything that changes its colours.

    Example
    -------
    >>> from placemap.data.catalogue import get_indicator
    >>> s = pd.Series([1.0, 2.0], index=["a", "b"])
    >>> ind = get_indicator("imd_rank")
    >>> content_digest(s, "ward", ind) == content_digest(s.copy(), "ward", ind)
    True
    >>> content_digest(s, "ward", ind) == content_digest(s * 2, "ward", ind)
    False
    """
    digest = hashlib.sha1(f"{geography}|{indicator.id}|{indicator.polarity}|{indicator.value_format}".encode())
    digest.update(pd.util.hash_pandas_object(values.astype(float), index=True).to_numpy().tobytes())
    return digest.hexdigest()[:16]


def broadcast(classification: Classification, unit_codes: pd.Index, lsoa_units: pd.Series) -> Classification:
    """Give every LSOA the class of its unit (ward or LA); LSOAs of units not classed get "no data".

    The same rule as ``values.indicator_values`` (each LSOA takes its ward's or LA's value),
    applied to classes: they are computed over the units, so a big ward counts once.

    Counts in the result count LSOAs, so a legend should use the units' classification.
    """
    position = pd.Series(np.arange(len(unit_codes)), index=unit_codes)
    at = lsoa_units.map(position).to_numpy(dtype=float)
    known = ~np.isnan(at)
    classes = np.full(len(at), -1)
    classes[known] = classification.classes[at[known].astype(int)]
    colours = [classification.palette[c] if c >= 0 else NO_DATA_COLOUR for c in classes]
    return dataclasses.replace(
        classification,
        classes=classes,
        colours=colours,
        counts=[int((classes == i).sum()) for i in range(len(classification.palette))],
        n_missing=int((classes < 0).sum()),
    )


def place_wards(areas: pd.DataFrame) -> pd.DataFrame:
    """The wards of a place's LSOAs (ward name, LA name, number of LSOAs), sorted by ward code."""
    return (
        areas.groupby(WARD_CODE, sort=True)
        .agg(ward_name=(WARD_NAME, "first"), la_name=(LA_NAME, "first"), lsoas=(WARD_NAME, "size"))
        .rename_axis(WARD_CODE)
    )


@dataclass(frozen=True)
class WardChoropleth:
    """An uploaded ward indicator over a place: classes of the wards and of their LSOAs, and the table."""

    wards: Classification  # one class per ward (``table`` order): the legend
    lsoas: Classification  # every LSOA in its ward's class (``areas`` order): image and polygons
    values: pd.Series  # value by ward code, in ward-code order (the ward layer's feature order)
    wards_info: pd.DataFrame  # ``place_wards``: name, LA and LSOAs of each ward, ward-code order
    table: pd.DataFrame  # ward code, ward, LA, LSOAs, value; the worst first


def ward_choropleth(
    values: pd.Series, indicator: Indicator, areas: pd.DataFrame, scheme: str, k: int, palette: str
) -> WardChoropleth:
    """Class an uploaded ward indicator (``values`` by ward code) over the wards of ``areas``.

    Parameters
    ----------
    values : the upload's values indexed by ward code
    indicator : the upload's ``Indicator`` (label, unit, polarity, format)
    areas : the place's LSOAs (indexed by code, with ward and LA columns), feature order
    scheme, k, palette : as for built-in indicators (national deciles become quantiles)
    """
    wards = place_wards(areas)
    shown = values.astype(float).reindex(wards.index)
    classification = classify_values(
        shown.to_numpy(),
        scheme_for_upload(scheme),
        k,
        polarity=indicator.polarity,
        palette=palette,
        value_format=indicator.value_format,
    )
    label = _label(indicator)
    table = pd.DataFrame(
        {
            "Ward code": wards.index,
            "Ward": wards["ward_name"].to_numpy(),
            "Local authority": wards["la_name"].to_numpy(),
            "LSOAs": wards["lsoas"].to_numpy(),
            label: shown.to_numpy(),
        }
    )
    order = table.sort_values(label, ascending=indicator.polarity != Polarity.HIGH_IS_WORSE, na_position="last").index
    return WardChoropleth(
        wards=classification,
        lsoas=broadcast(classification, wards.index, areas[WARD_CODE]),
        values=shown,
        wards_info=wards,
        table=table.loc[order].reset_index(drop=True),
    )


def ward_geometry_in_order(ward_geometry: gpd.GeoDataFrame, ward_codes: pd.Index) -> gpd.GeoDataFrame:
    """``ward_geometry`` (from ``prepare.ward_outlines``) reordered to ``ward_codes``."""
    return ward_geometry.set_index(WARD_CODE, drop=False).reindex(ward_codes)


def build_ward_layer(
    ward_geometry: gpd.GeoDataFrame, choropleth: WardChoropleth, indicator: Indicator
) -> folium.FeatureGroup:
    """The place's wards filled by class, with the ward, its LA and the value on hover.

    Every name, value and the label are escaped here: folium's tooltip inserts them as HTML.
    "No data" wards are white with a dashed grey edge, as on the LSOA map.
    """
    geometry = ward_geometry_in_order(ward_geometry, choropleth.values.index)
    classes = choropleth.wards.classes
    properties = [
        {
            "n": escape_text(name),
            "l": escape_text(la),
            "v": escape_text(indicator.format(value)),
            "f": choropleth.wards.palette[c] if c >= 0 else NO_DATA_COLOUR,
            "d": int(c >= 0),
        }
        for name, la, value, c in zip(
            choropleth.wards_info["ward_name"],
            choropleth.wards_info["la_name"],
            choropleth.values,
            classes,
            strict=True,
        )
    ]
    group = folium.FeatureGroup(name=WARD_LAYER_NAME, control=False)
    folium.GeoJson(
        feature_collection(geometry.geometry, properties),
        name=WARD_LAYER_NAME,
        style_function=_ward_style,
        highlight_function=lambda _f: {"weight": 3, "color": "#000000"},
        tooltip=folium.GeoJsonTooltip(
            fields=["n", "l", "v"], aliases=["Ward", "Local authority", escape_text(_label(indicator))]
        ),
    ).add_to(group)
    return group


def _ward_style(feature: dict) -> dict:
    p = feature["properties"]
    if p["d"]:
        return {"fillColor": p["f"], "fillOpacity": 0.85, "color": "#333333", "weight": 1.2, "opacity": 0.9}
    return {"fillColor": NO_DATA_COLOUR, "fillOpacity": 1, "color": "#6b6b6b", "weight": 1.2, "dashArray": "4 3"}


def lsoa_classes(
    table, indicator: Indicator, year: int, areas: pd.DataFrame, scheme: str, k: int, palette: str
) -> Classification | None:
    """The class of every LSOA of ``areas`` for an LSOA or ward upload (``None`` when it cannot join).

    LSOA uploads are classed over the LSOAs; ward uploads over the wards, each LSOA
    taking its ward's class (the join is ``values.indicator_values``'s rule).
    """
    from placemap.data.values import indicator_values
    from placemap.uploads.table import LSOA11, LSOA21, WARD

    if table.geography == WARD:
        return ward_choropleth(table.series(indicator), indicator, areas, scheme, k, palette).lsoas
    if table.geography not in (LSOA11, LSOA21):
        return None
    joined = indicator_values(indicator, year, areas, table.series(indicator))
    if not joined.ok:
        return None
    return classify_values(
        joined.values.to_numpy(dtype=float),
        scheme_for_upload(scheme),
        k,
        polarity=indicator.polarity,
        palette=palette,
        value_format=indicator.value_format,
    )


def export_titles(
    indicator: Indicator, source: str, place_name: str, vintage: Vintage, geography: str, scheme: str
) -> dict:
    """Title, subtitle, legend title and source lines of a map export showing an uploaded indicator."""
    from placemap.data.catalogue import BOUNDARY_ATTRIBUTION

    stated = source.strip() or "not stated"
    return {
        "title": f"{place_name}: {indicator.label}",
        "subtitle": f"Your data on {vintage.label}'s areas · {geography} · {SCHEMES[scheme_for_upload(scheme)]}",
        "legend_title": _label(indicator),
        "source_lines": [
            f"Source: {stated}, uploaded (not checked by Placemap beyond validation).",
            BOUNDARY_ATTRIBUTION,
            "Licence: the uploaded data's licence is as stated by the uploader; boundaries Open Government "
            "Licence v3.0. Made with Placemap.",
        ],
    }


def areas_outlines(datasets: list) -> gpd.GeoDataFrame | None:
    """All uploaded areas (``UploadedAreas``) as one WGS84 frame with a ``name`` column, or ``None``."""
    from placemap.uploads.uploaded_boundaries import AREA_LABEL

    frames = [d.areas[["geometry"]].assign(name=d.areas[AREA_LABEL].astype(str)) for d in datasets if len(d.areas)]
    if not frames:
        return None
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=4326)


def areas_key(datasets: list) -> tuple[str, ...]:
    """A small hashable key for uploaded areas (ids and a hash of their shapes), for caches."""
    keys = []
    for d in datasets:
        digest = hashlib.sha1(b"".join(d.areas.geometry.to_wkb()))
        keys.append(f"{d.id}:{digest.hexdigest()[:12]}")
    return tuple(keys)


def upload_key(table, indicator: Indicator) -> tuple[str, str, str]:
    """``(dataset id, column, content digest)``: what caches of an uploaded indicator key on."""
    column = indicator.table_column
    return table.id, column, content_digest(table.series(indicator), table.geography, indicator)
