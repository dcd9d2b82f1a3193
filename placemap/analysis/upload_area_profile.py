"""A profile of one uploaded area (e.g. a neighbourhood plan area): official measures by overlay.

Pure: no Streamlit. The figures are ``uploaded_boundaries``' LSOA population-weighted
overlay (``overlay_weights`` + ``aggregate``), the same as on the Bring your own data
page; this module picks out one area, lists the LSOAs it overlaps, adds the session's
uploaded indicators aggregated the same way, and composes the PDF report.

A link names the area as ``?upload_area=<dataset id>:<area id>``.

Example
-------
>>> parse_area_key("b1a2b3c4:A3")
('b1a2b3c4', 'A3')
>>> parse_area_key("../x") is None
True
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from placemap.analysis.upload_profile import UNCHECKED, source_text
from placemap.data.catalogue import Vintage
from placemap.data.loaders import AREA_NAME, LA_NAME, WARD_NAME
from placemap.uploads import uploaded_boundaries as ub

_KEY = re.compile(r"^([A-Za-z0-9_-]{1,64}):(A[0-9]{1,5})$")
MEASURE, VALUE, SHOWN = "Measure", "Value", "Shown as"


def area_key(dataset_id: str, area_id: str) -> str:
    """The link value of an uploaded area: ``<dataset id>:<area id>``."""
    return f"{dataset_id}:{area_id}"


def parse_area_key(raw: str | None) -> tuple[str, str] | None:
    """``(dataset id, area id)`` from a link value, or ``None`` when it is not one."""
    match = _KEY.match((raw or "").strip())
    return (match.group(1), match.group(2)) if match else None


def find_area(datasets: list[ub.UploadedAreas], key: str | None) -> tuple[ub.UploadedAreas, str] | None:
    """The session's uploaded areas dataset and area id a link value names, if the session has them."""
    parsed = parse_area_key(key)
    if parsed is None:
        return None
    dataset_id, area_id = parsed
    for dataset in datasets:
        if dataset.id == dataset_id and area_id in dataset.areas.index:
            return dataset, area_id
    return None


def area_options(datasets: list[ub.UploadedAreas]) -> dict[str, str]:
    """Link value -> "area name (dataset name)" for every uploaded area of the session."""
    return {
        area_key(d.id, a): f"{n} ({d.name})"
        for d in datasets
        for a, n in zip(d.areas[ub.AREA_ID], d.areas[ub.AREA_LABEL], strict=True)
    }


def measures_table(aggregates: pd.DataFrame, area_id: str, measures: list[ub.AggregateMeasure]) -> pd.DataFrame:
    """The official measures of one uploaded area: ``Measure``, ``Value`` and ``Shown as`` (formatted)."""
    row = aggregates.reindex([area_id]).iloc[0]
    values = [float(row.get(m.column, np.nan)) for m in measures]
    return pd.DataFrame(
        {
            MEASURE: [m.label for m in measures],
            VALUE: values,
            SHOWN: ["No data" if v != v else m.value_format.format(v) for m, v in zip(measures, values, strict=True)],
        }
    )


def your_data_table(
    weights: pd.DataFrame, area_id: str, uploaded: pd.DataFrame, indicators: list, sources: dict[str, str]
) -> pd.DataFrame:
    """The session's uploaded indicators aggregated to one uploaded area by the same overlay.

    Parameters
    ----------
    weights : ``overlay_weights`` of the dataset
    uploaded : ``values.joined_frame``'s columns (one per indicator id) on the edition's LSOAs
    indicators : the matching ``Indicator`` records
    sources : indicator id -> ``upload_profile.source_text`` of its table
    """
    mine = weights[weights[ub.AREA_ID] == area_id]
    columns = ["Indicator", "Unit", "Population-weighted mean", "LSOAs with a value", "Source"]
    if mine.empty or not indicators:
        return pd.DataFrame(columns=columns)
    means = ub.aggregate(mine, uploaded, pd.Index([area_id])).iloc[0]
    present = uploaded.reindex(mine["area_code"])
    return pd.DataFrame(
        {
            "Indicator": [i.label for i in indicators],
            "Unit": [i.unit for i in indicators],
            "Population-weighted mean": [float(means[i.id]) for i in indicators],
            "LSOAs with a value": [f"{int(present[i.id].notna().sum()):,} of {len(mine):,}" for i in indicators],
            "Source": [sources[i.id] for i in indicators],
        },
        columns=columns,
    )


def lsoas_table(weights: pd.DataFrame, area_id: str, areas: pd.DataFrame, decile_column: str) -> pd.DataFrame:
    """The LSOAs an uploaded area overlaps: code, name, ward, LA, share inside, weight and IMD decile.

    Largest weight first.
    """
    mine = weights[weights[ub.AREA_ID] == area_id].sort_values(["weight", "area_code"], ascending=[False, True])
    rows = areas.reindex(mine["area_code"])
    return pd.DataFrame(
        {
            "LSOA code": mine["area_code"].to_numpy(),
            "LSOA name": rows[AREA_NAME].to_numpy(),
            "Ward": rows[WARD_NAME].to_numpy(),
            "Local authority": rows[LA_NAME].to_numpy(),
            "Share of the LSOA inside": mine["share"].round(3).to_numpy(),
            "Weight (people)": mine["weight"].round(0).to_numpy(),
            "IMD decile": rows[decile_column].to_numpy(),
        }
    )


def area_sentences(measures: pd.DataFrame, lsoas: pd.DataFrame, vintage: Vintage) -> list[str]:
    """Plain-language key points: its people, its LSOAs, and where it sits on the IMD."""
    sentences = []
    if len(lsoas):
        people = float(lsoas["Weight (people)"].sum())
        las = list(dict.fromkeys(lsoas["Local authority"].dropna()))
        sentences.append(
            f"About {people:,.0f} people (population-weighted) in parts of {len(lsoas):,} LSOAs of {vintage.label}, "
            f"in {', '.join(las[:3])}{' and others' if len(las) > 3 else ''}."
        )
    else:
        sentences.append(f"The area overlaps no LSOA of {vintage.label}, so no official measure can be given.")
    by_measure = measures.set_index(MEASURE)[SHOWN]
    rank = next((v for k, v in by_measure.items() if k.startswith("Index of Multiple") and "average rank" in k), None)
    share = next((v for k, v in by_measure.items() if k.startswith("Index of Multiple") and "10%" in k), None)
    if rank and rank != "No data":
        sentences.append(
            f"On the IMD its population-weighted average rank is {rank} (1 = the most deprived of "
            f"{vintage.n_lsoas:,} LSOAs in England)."
        )
    if share and share != "No data":
        sentences.append(f"{share} of its people live in LSOAs among England's most deprived 10% (England: 10%).")
    return sentences


def method_note(year: int) -> str:
    """How the figures were made, for the page, the CSV and the report."""
    extra = ub.POPULATION_2025_NOTE if year == 2025 else "Weights: IoD2019's mid-2015 LSOA populations."
    return f"Method: {ub.METHOD_NOTE} {extra}"


def area_report(
    *,
    name: str,
    dataset: ub.UploadedAreas,
    vintage: Vintage,
    measures: pd.DataFrame,
    lsoas: pd.DataFrame,
    your_data: pd.DataFrame,
    link: str = "",
):
    """The PDF report content (``report.ReportContent``) of an uploaded area."""
    from placemap.render import report

    tables = [
        report.ReportTable(
            "Official measures, aggregated by population-weighted overlay",
            measures[[MEASURE, SHOWN]],
            note="Average ranks: 1 = the most deprived; shares: of the area's (weighted) people.",
            widths=[4.0, 1.2],
        )
    ]
    if len(your_data):
        tables.append(
            report.ReportTable(
                "Your data (uploaded indicators), aggregated the same way",
                your_data[["Indicator", "Unit", "Population-weighted mean", "LSOAs with a value"]],
                note=f"Values as uploaded, {UNCHECKED}.",
                widths=[2.6, 1.0, 1.2, 1.2],
            )
        )
    tables.append(
        report.ReportTable(
            "The LSOAs it overlaps",
            lsoas,
            note="Share: of the LSOA's area inside the uploaded area; weight: its population times that share.",
            widths=[1.1, 1.5, 1.5, 1.4, 0.9, 0.9, 0.7],
        )
    )
    return report.ReportContent(
        title=f"{name}: area profile",
        subtitle=f"Your area, from {dataset.name} · {vintage.label} by population-weighted overlay",
        sentences=area_sentences(measures, lsoas, vintage),
        source_line=f"Source: {vintage.source}; boundaries uploaded by a user. Made with Placemap.",
        tables=tables,
        sources=[
            f"Indices of Deprivation: {vintage.citation}",
            f"Boundaries: {dataset.name}: {source_text(dataset)}",
            *dict.fromkeys(f"Your data: {s}" for s in your_data.get("Source", [])),
        ],
        notes=[method_note(vintage.year)],
        link=link,
    )
