"""A drawn area as a place: its LSOAs by the uploaded areas' population-weighted overlay, and its tables (pure).

``place_from_shape`` overlays a checked drawing (``placemap.uploads.drawn_shape``) on an
edition's LSOAs with ``uploaded_boundaries.overlay_weights`` (population x share of each LSOA's
area inside), clips what lies off England's LSOAs (the sea, an estuary, Wales or Scotland) and
decides which LSOAs make the place: those whose centre (a point inside the LSOA,
``shapely.point_on_surface``) lies inside the drawing, as ONS best-fit lookups do. A drawing
smaller than any LSOA holds no centre; it is then summarised by the LSOA holding most of it,
and says so. The summary measures are IoD File 10's over those LSOAs
(``place_summaries.summarise_lsoas``). Areas are measured in British National Grid.

Example
-------
>>> import geopandas as gpd, pandas as pd, shapely
>>> lsoas = gpd.GeoSeries([shapely.box(-3.06, 53.80, -3.05, 53.81), shapely.box(-3.05, 53.80, -3.04, 53.81)],
...                       index=["E01000001", "E01000002"], crs=4326).to_crs(27700)
>>> drawn = shapely.box(-3.065, 53.80, -3.048, 53.81)  # a little of it over the sea to the west
>>> place = place_from_shape(drawn, lsoas, pd.Series({"E01000001": 1500.0, "E01000002": 1500.0}))
>>> place.members, round(place.land_share, 2), place.lsoas.sort_values("area_code")["share"].round(2).tolist()
(['E01000001'], 0.71, [1.0, 0.2])
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from placemap.analysis.place_summaries import INDEX_LABELS, MEASURE_LABELS
from placemap.uploads import uploaded_boundaries as ub
from placemap.uploads.drawn_shape import polygonal_part
from placemap.uploads.table import ERROR, INFO, WARNING, Message

BNG = 27700
DRAWN_ID = "drawn"
LAND_SHARE_NOTED = 0.995  # below this share on land, the page says how much was left out
COLUMNS = ["area_code", "share", "weight", "inside"]


@dataclass
class DrawnPlace:
    """A drawing overlaid on one edition's LSOAs.

    ``lsoas`` has one row per LSOA the drawing overlaps: ``area_code``, ``share`` (of the LSOA's
    area inside), ``weight`` (population x share) and ``inside`` (the LSOA counts as the place's);
    ``shape`` is the drawing clipped to England's LSOAs, in WGS84.
    """

    shape: BaseGeometry | None
    lsoas: pd.DataFrame
    messages: list[Message] = field(default_factory=list)
    land_share: float = 0.0

    @property
    def ok(self) -> bool:
        return self.shape is not None and bool(self.members)

    @property
    def members(self) -> list[str]:
        """The LSOA codes that make the place (sorted)."""
        return sorted(self.lsoas.loc[self.lsoas["inside"], "area_code"])

    @property
    def people(self) -> float:
        """The overlay's estimate of the people inside: the sum of population x share."""
        return float(self.lsoas["weight"].sum())


def _empty(messages: list[Message]) -> DrawnPlace:
    return DrawnPlace(None, pd.DataFrame({c: [] for c in COLUMNS}), messages)


def place_from_shape(shape: BaseGeometry, lsoas: gpd.GeoSeries, population: pd.Series) -> DrawnPlace:
    """The drawn area's LSOAs on one edition's geography.

    Parameters
    ----------
    shape : the checked drawing (``DrawnShape.shape``), WGS84
    lsoas : the edition's LSOA polygons in British National Grid, indexed by LSOA code
    population : LSOA code -> population (the overlay's weights)

    Returns
    -------
    DrawnPlace; ``ok`` is false (with an error message) when the drawing covers no LSOA.
    """
    projected = gpd.GeoSeries([shape], crs=4326).to_crs(BNG).iloc[0]
    candidates = lsoas.sindex.query(projected, predicate="intersects")
    if len(candidates) == 0:
        return _empty(
            [
                Message(
                    ERROR,
                    "The area lies wholly off England's LSOAs: over the sea, or in Wales or Scotland. "
                    "Draw it over land in England.",
                )
            ]
        )
    pieces = shapely.intersection(projected, lsoas.values[candidates])
    land_area = float(shapely.area(pieces).sum())  # LSOAs do not overlap, so the pieces' areas add up
    land_share = land_area / projected.area if projected.area > 0 else 0.0
    messages = []
    clipped = projected
    if land_share < LAND_SHARE_NOTED:
        clipped = polygonal_part(shapely.union_all(pieces))
        messages.append(
            Message(
                INFO,
                f"{1 - land_share:.0%} of the area you drew lies off England's LSOAs (the sea, an estuary, or Wales "
                "or Scotland); it was left out, and the outline below follows the coast or border.",
            )
        )
    if clipped is None or clipped.is_empty:
        return _empty([Message(ERROR, "The area lies off England's LSOAs. Draw it over land in England.")])
    area = gpd.GeoDataFrame({ub.AREA_ID: [DRAWN_ID]}, geometry=[clipped], crs=BNG).set_index(ub.AREA_ID)
    weights = ub.overlay_weights(area, lsoas, population)
    codes = pd.Index(weights["area_code"])
    centres = shapely.point_on_surface(lsoas.reindex(codes).values)
    inside = shapely.contains(clipped, centres) if len(codes) else np.array([], dtype=bool)
    table = pd.DataFrame(
        {
            "area_code": codes.to_numpy(),
            "share": weights["share"].to_numpy(dtype=float),
            "weight": weights["weight"].to_numpy(dtype=float),
            "inside": np.asarray(inside, dtype=bool),
        }
    )
    if len(table) and not table["inside"].any():
        overlap = table["share"] * shapely.area(lsoas.reindex(codes).values)
        biggest = int(np.argmax(overlap.to_numpy()))
        table.loc[biggest, "inside"] = True
        messages.append(
            Message(
                WARNING,
                "No LSOA has its centre inside the area you drew: it is smaller than an LSOA (about 1,500 "
                f"people). Its figures are those of {table.loc[biggest, 'area_code']}, the LSOA that holds most of it.",
            )
        )
    shape_wgs84 = gpd.GeoSeries([clipped], crs=BNG).to_crs(4326).iloc[0]
    return DrawnPlace(shape_wgs84, table, messages, land_share)


def summary_table(summary: pd.DataFrame, n_lsoas: int) -> pd.DataFrame:
    """``summarise_lsoas``' measures for people: one row per index, the measures as text.

    The average rank is File 10's, turned round (``n_lsoas`` = the most deprived); proportion and
    extent are percentages; a measure that cannot be given is "No data".
    """
    rows = []
    for key, row in summary.iterrows():
        rows.append(
            {
                "Index": INDEX_LABELS.get(key, str(key)),
                MEASURE_LABELS["average_rank"]: _number(row["average_rank"], "{:,.0f}"),
                MEASURE_LABELS["average_score"]: _number(row["average_score"], "{:.2f}"),
                MEASURE_LABELS["proportion"]: _number(row["proportion"], "{:.0%}"),
                MEASURE_LABELS["extent"]: _number(row["extent"], "{:.0%}"),
                MEASURE_LABELS["local_concentration"]: _number(row["local_concentration"], "{:,.0f}"),
                "LSOAs": f"{int(row['n_lsoas']):,}",
            }
        )
    return pd.DataFrame(rows)


def _number(value: float, pattern: str) -> str:
    return "No data" if value is None or not np.isfinite(value) else pattern.format(value)


def summary_sentence(summary: pd.DataFrame, n_lsoas: int, edition: str) -> str:
    """The area's IMD in one sentence (the browser test and the page's reader both look for it)."""
    if "imd" not in summary.index:
        return f"No {edition} IMD figures for this area."
    row = summary.loc["imd"]
    return (
        f"On the {edition} IMD its population-weighted average rank is {row['average_rank']:,.0f} of {n_lsoas:,} "
        f"(higher = more deprived, as MHCLG's File 10 counts), and {row['proportion']:.0%} of its "
        f"{int(row['n_lsoas']):,} LSOAs are in England's most deprived 10%."
    )


def lsoas_table(lsoas: pd.DataFrame, areas: pd.DataFrame, decile_column: str, population: pd.Series) -> pd.DataFrame:
    """The LSOAs a drawn area overlaps, those that count first: code, name, LA, share inside, people, decile.

    ``lsoas`` has ``area_code``, ``share`` and ``inside`` (a saved area's rows or ``DrawnPlace.lsoas``);
    ``areas`` the edition's LSOA names, LAs and deciles by code; ``population`` the overlay's weights.
    """
    from placemap.data.loaders import AREA_NAME, LA_NAME

    ordered = lsoas.sort_values(["inside", "share", "area_code"], ascending=[False, False, True])
    rows = areas.reindex(ordered["area_code"])
    share = ordered["share"].to_numpy(dtype=float)
    return pd.DataFrame(
        {
            "LSOA code": ordered["area_code"].to_numpy(),
            "LSOA name": rows[AREA_NAME].to_numpy() if AREA_NAME in rows else None,
            "Local authority": rows[LA_NAME].to_numpy() if LA_NAME in rows else None,
            "Counted in the area": np.where(ordered["inside"].to_numpy(dtype=bool), "yes", "no (centre outside)"),
            "Share of the LSOA inside": np.round(share, 3),
            "People inside (estimate)": np.round(
                share * population.reindex(ordered["area_code"]).to_numpy(dtype=float)
            ),
            "IMD decile": rows[decile_column].to_numpy() if decile_column in rows else None,
        }
    )
