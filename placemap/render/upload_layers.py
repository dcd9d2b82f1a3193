"""Uploaded indicators on the map explorer beyond LSOA polygons: wards, images and exports. Pure: no Streamlit.

* ``ward_choropleth``: an uploaded ward indicator classed over a place's wards (legend
  counts wards), with every LSOA given its ward's class (for the image mode and for the
  LSOA polygons underneath the ward layer);
* ``build_ward_layer``: the wards as filled polygons with escaped tooltips, a feature
  group for ``st_folium(feature_group_to_add=...)`` so the base map does not remount;
* ``lsoa_classes``: the per-LSOA classes of an LSOA or ward upload (what the image draws);
* ``content_digest``: a short hash of an upload's values, so caches key on strings,
  never on a DataFrame;
* ``export_titles`` / ``areas_outlines``: title, legend, source lines and uploaded area
  outlines for the static and HTML map exports.

Ward polygons are dissolved from the place's LSOAs by their best-fit ward
(``prepare.ward_outlines``), so they line up with the LSOAs exactly.

Example
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
from dataclasses import dataclass

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from placemap.analysis.classify import NO_DATA_COLOUR, SCHEMES, Classification, classify_values
from placemap.data.catalogue import Indicator, Vintage
from placemap.data.indicators import Polarity
from placemap.data.loaders import LA_NAME, WARD_CODE, WARD_NAME
from placemap.data.prepare import escape_text, feature_collection
from placemap.render.uploaded_maps import _label as indicator_label
from placemap.render.uploaded_maps import scheme_for_upload

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
        shown.to_numpy(), scheme_for_upload(scheme), k, polarity=indicator.polarity, palette=palette,
        value_format=indicator.value_format,
    )  # fmt: skip
    label = indicator_label(indicator)
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
            fields=["n", "l", "v"], aliases=["Ward", "Local authority", escape_text(indicator_label(indicator))]
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
    from placemap.uploads.upload import LSOA11, LSOA21, WARD

    if table.geography == WARD:
        return ward_choropleth(table.series(indicator), indicator, areas, scheme, k, palette).lsoas
    if table.geography not in (LSOA11, LSOA21):
        return None
    joined = indicator_values(indicator, year, areas, table.series(indicator))
    if not joined.ok:
        return None
    return classify_values(
        joined.values.to_numpy(dtype=float), scheme_for_upload(scheme), k, polarity=indicator.polarity,
        palette=palette, value_format=indicator.value_format,
    )  # fmt: skip


def export_titles(
    indicator: Indicator, source: str, place_name: str, vintage: Vintage, geography: str, scheme: str
) -> dict:
    """Title, subtitle, legend title and source lines of a map export showing an uploaded indicator."""
    from placemap.data.catalogue import BOUNDARY_ATTRIBUTION

    stated = source.strip() or "not stated"
    return {
        "title": f"{place_name}: {indicator.label}",
        "subtitle": f"Your data on {vintage.label}'s areas · {geography} · {SCHEMES[scheme_for_upload(scheme)]}",
        "legend_title": indicator_label(indicator),
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
