"""Change between two catalogue indicators of one concept: a "before" and an "after".

Two editions of an IoD measure (``placemap.analysis.measure_change_iod`` carries IoD2019's
values to the 2021 LSOAs), or two columns of one uploaded table (e.g. attendance 2022 and
attendance 2024, joined by the one rule of ``placemap.data.values``). Whatever the source,
the same functions classify the change (``placemap.analysis.change_classes``), tabulate it,
summarise it in words, chart it and build its map; what differs (labels, unit, polarity,
source, "as stated by the uploader") comes from the two ``Indicator`` records. Pure: no Streamlit.

The change is ``after - before`` in the indicators' units. Its colour follows the "after"
indicator's polarity: when higher values are worse, a fall is an improvement (blue) and a
rise a worsening (red); "little or no change" is grey and "no data" white, as on the
index change map. Class breaks are round numbers from the spread of the changes
(``change_classes.change_edges``), symmetric about zero.

Example
-------
>>> from placemap.uploads.table import ColumnSpec, make_indicator
>>> a = make_indicator("d", 0, ColumnSpec("a", "Rate 2022", "%", polarity="low_is_deprived"), "lsoa21", "")
>>> b = make_indicator("d", 1, ColumnSpec("b", "Rate 2024", "%", polarity="low_is_deprived"), "lsoa21", "")
>>> result = pair_frame(a, b, pd.Series([90.0, 95.0]), pd.Series([93.0, 90.0]))
>>> result.frame[BETTER].tolist()
[3.0, -5.0]
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from placemap.analysis.change_classes import ChangeEdges, diverging_classification
from placemap.analysis.classify import Classification
from placemap.data.catalogue import Indicator
from placemap.data.indicators import EDITION_YEARS, Polarity
from placemap.data.loaders import AREA_NAME, LA_CODE, LA_NAME, WARD_CODE, WARD_NAME
from placemap.data.prepare import escape_markdown
from placemap.data.values import indicator_values
from placemap.uploads.table import LA, WARD, UploadedTable

BEFORE, AFTER, CHANGE, BETTER, HOW = "value_before", "value_after", "change", "better", "how"
NO_DATA_LABEL = "No data (no value in one of the two)"
ENDS = "Worse (red) · little or no change (grey) · better (blue)"
ONE_COLUMN_NOTE = (
    "Change needs two columns of the same table: one for the earlier time and one for the later "
    "(for example attendance 2022 and attendance 2024), on the same areas and in the same units. "
    "Upload one file with an area-code column and one column per year, e.g. "
    "`lsoa21cd, attendance_2022, attendance_2024`, on the Bring your own data page."
)
DIRECTIONS = {1: "Better", -1: "Worse", 0: "Little or no change"}


# --------------------------------------------------------------------------- choosing columns


def tables_with_pairs(tables: list[UploadedTable]) -> list[UploadedTable]:
    """Uploaded tables with at least two columns (the ones change can be shown for)."""
    return [t for t in tables if len(t.specs) >= 2]


def pair_problems(before: Indicator, after: Indicator) -> tuple[str | None, list[str]]:
    """Whether two columns can be compared: an error (or ``None``) and cautions to show.

    Example
    -------
    >>> from placemap.uploads.table import ColumnSpec, make_indicator
    >>> a = make_indicator("d", 0, ColumnSpec("a", "Rate 2022", "%"), "lsoa21", "")
    >>> b = make_indicator("d", 1, ColumnSpec("b", "Count 2024", "pupils"), "lsoa21", "")
    >>> pair_problems(a, a)[0]
    'Choose two different columns: the same column as "before" and "after" has no change.'
    >>> pair_problems(a, b)[1][0]
    'The two columns have different units (% and pupils): change is only meaningful between the same measure in the same units.'
    """
    if before.id == after.id:
        return 'Choose two different columns: the same column as "before" and "after" has no change.', []
    cautions = []
    if before.unit.strip().casefold() != after.unit.strip().casefold():
        cautions.append(
            f"The two columns have different units ({before.unit or 'none stated'} and {after.unit or 'none stated'}): "
            "change is only meaningful between the same measure in the same units."
        )
    if before.polarity != after.polarity:
        cautions.append(
            "The two columns were described with opposite directions (which way is worse); the colours follow "
            f'the "after" column, {after.label}.'
        )
    return None, cautions


def edition_year(table: UploadedTable, codes_by_year: Mapping[int, Collection[str]]) -> int:
    """The edition whose LSOAs a table's change is shown on.

    LSOA tables use their own geography's edition (2025 for 2021 codes, 2019 for 2011
    codes). Ward and LA tables use the edition whose ward (or LA) codes match most of the
    table's codes (``codes_by_year``: year -> that edition's ward or LA codes); 2025 on a tie.
    """
    if table.geography in EDITION_YEARS:
        return EDITION_YEARS[table.geography][0]
    codes = set(table.values.index)
    best = max(codes_by_year, key=lambda y: (len(codes & set(codes_by_year[y])), y))
    return int(best)


# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class PairChange:
    """Two indicators on one set of LSOAs and their change (``frame`` is ``None``, with a ``note``, when they cannot join).

    ``frame`` is indexed like the areas: ``value_before``, ``value_after``, ``change``, ``better``
    and, for values carried between geographies, ``how`` each LSOA was compared.
    """

    frame: pd.DataFrame | None
    before: Indicator
    after: Indicator
    note: str = ""


def pair_frame(
    before: Indicator, after: Indicator, before_values: pd.Series, after_values: pd.Series, how=None, note: str = ""
) -> PairChange:
    """The change between two aligned series of values (``after``'s index); ``better`` is positive for an improvement.

    ``better`` is the change turned by the "after" indicator's polarity (minus the change
    when higher values are worse).
    """
    frame = pd.DataFrame(
        {BEFORE: np.asarray(before_values, dtype=float), AFTER: np.asarray(after_values, dtype=float)},
        index=after_values.index,
    )
    frame[CHANGE] = frame[AFTER] - frame[BEFORE]
    frame[BETTER] = frame[CHANGE] * (-1.0 if after.polarity == Polarity.HIGH_IS_WORSE else 1.0)
    if how is not None:
        frame[HOW] = np.asarray(how, dtype=object)
    return PairChange(frame, before, after, note)


def change_frame(
    before: Indicator, after: Indicator, year: int, areas: pd.DataFrame, sources: tuple = (None, None)
) -> PairChange:
    """``before`` and ``after`` joined to ``areas`` (edition ``year``'s LSOAs) by ``values.indicator_values``.

    ``sources`` are the two indicators' raw values (an uploaded table's columns), or ``None``
    for the catalogue's.
    """
    joined_b, joined_a = (indicator_values(i, year, areas, s) for i, s in zip((before, after), sources, strict=True))
    if not joined_b.ok or not joined_a.ok:
        return PairChange(None, before, after, joined_b.note or joined_a.note)
    return pair_frame(before, after, joined_b.values, joined_a.values, note=joined_a.note)


# --------------------------------------------------------------------------- classes


def _num(x: float) -> str:
    return f"{x:,.4g}"


def _unit(indicator: Indicator) -> str:
    return f" {indicator.unit.strip()}" if indicator.unit.strip() else ""


def class_labels(edges: ChangeEdges, unit: str = "") -> list[str]:
    """Legend labels, worst first: three "worse" classes, "little or no change", three "better" classes."""
    u = f" {unit.strip()}" if unit.strip() else ""
    little, s, s2 = _num(edges.little), _num(edges.step), _num(2 * edges.step)
    return [
        f"Worse by {s2}{u} or more",
        f"Worse by {s} to {s2}{u}",
        f"Worse by {little} to {s}{u}",
        f"Little or no change (less than {little}{u} either way)",
        f"Better by {little} to {s}{u}",
        f"Better by {s} to {s2}{u}",
        f"Better by {s2}{u} or more",
    ]


def classify_pair_change(result: PairChange, edges: ChangeEdges) -> Classification:
    """The change's diverging classes (red = worse, blue = better, per the "after" indicator's polarity)."""
    labels = class_labels(edges, result.after.unit)
    return diverging_classification(result.frame[BETTER].to_numpy(dtype=float), edges, labels, "pair_change")


def direction(better: float, edges: ChangeEdges) -> int:
    """1 = better, -1 = worse, 0 = little or no change (NaN gives 0; check for no data first)."""
    if better != better or abs(better) < edges.little or better == 0:
        return 0
    return 1 if better > 0 else -1


def format_pair_change(before: float, after: float, better: float, edges: ChangeEdges, indicator: Indicator) -> str:
    """One area's change for the map's tooltip: "+1.3 % (better): 92.1 → 93.4"."""
    if before != before or after != after:
        return "No data in one of the two"
    word = DIRECTIONS[direction(better, edges)].lower()
    return f"{after - before:+,.4g}{_unit(indicator)} ({word}): {_num(before)} → {_num(after)}"


# --------------------------------------------------------------------------- tables and words


def _unit_columns(result: PairChange) -> tuple[str | None, list[tuple[str, str]]]:
    """The column the rows are keyed by (``None`` = the LSOA index) and the columns describing each row."""
    if result.after.geography == WARD:
        return WARD_CODE, [(WARD_CODE, "Ward code"), (WARD_NAME, "Ward"), (LA_NAME, "Local authority")]
    if result.after.geography == LA:
        return LA_CODE, [(LA_CODE, "LA code"), (LA_NAME, "Local authority")]
    return None, [(AREA_NAME, "LSOA name"), (WARD_NAME, "Ward"), (LA_NAME, "Local authority")]


def _rows(result: PairChange, areas: pd.DataFrame) -> pd.DataFrame:
    """``areas`` with the change, once per row of the data (LSOAs, or distinct wards / LAs)."""
    key, _described = _unit_columns(result)
    rows = areas.join(result.frame.reindex(areas.index))
    return rows if key is None else rows.drop_duplicates(key)


def column_titles(result: PairChange) -> tuple[str, str, str]:
    """Table headings of the two values and the change (distinct even when the labels are the same)."""
    u = f" ({result.after.unit.strip()})" if result.after.unit.strip() else ""
    return f"Before: {result.before.label}", f"After: {result.after.label}", f"Change{u}"


def change_table(result: PairChange, areas: pd.DataFrame, edges: ChangeEdges) -> pd.DataFrame:
    """The text alternative to the map: one row per LSOA (or per ward / LA for ward and LA data), worst first."""
    key, described = _unit_columns(result)
    rows = _rows(result, areas)
    if key is None:
        rows = rows.assign(**{"LSOA code": rows.index})
        described = [("LSOA code", "LSOA code"), *described]
    b, a, c = column_titles(result)
    out = pd.DataFrame({label: rows[column].to_numpy() for column, label in described if column in rows})
    out[b] = rows[BEFORE].to_numpy()
    out[a] = rows[AFTER].to_numpy()
    out[c] = rows[CHANGE].round(6).to_numpy()
    out["Direction"] = [
        "No data" if not np.isfinite(x) else DIRECTIONS[direction(x, edges)] for x in rows[BETTER].to_numpy(float)
    ]
    if HOW in rows:
        out["How it was compared"] = rows[HOW].fillna("not in the lookup").to_numpy()
    out["_better"] = rows[BETTER].to_numpy()
    out = out.sort_values(["_better", out.columns[0]], na_position="last", ignore_index=True)
    return out.drop(columns="_better")


def change_summary(result: PairChange, areas: pd.DataFrame, edges: ChangeEdges) -> dict[str, int | float]:
    """Counts for the place: rows (LSOAs, wards or LAs), rows with both values, better, worse, little change."""
    rows = _rows(result, areas)
    better = rows[BETTER].to_numpy(dtype=float)
    ok = np.isfinite(better)
    dirs = np.array([direction(x, edges) for x in better[ok]], dtype=int)
    return {
        "n_rows": len(rows),
        "n_comparable": int(ok.sum()),
        "n_better": int((dirs == 1).sum()),
        "n_worse": int((dirs == -1).sum()),
        "n_little": int((dirs == 0).sum()),
        "mean_change": float(rows[CHANGE][ok].mean()) if ok.any() else float("nan"),
    }


def summary_sentence(result: PairChange, areas: pd.DataFrame, edges: ChangeEdges, place: str) -> str:
    """The place's change in one sentence (markdown, escaped): how many rows got better, worse, or changed little."""
    s = change_summary(result, areas, edges)
    what = {WARD: "wards", LA: "local authorities"}.get(result.after.geography, "LSOAs")
    u = escape_markdown(_unit(result.after))
    text = (
        f"In {escape_markdown(place)}, **{s['n_comparable']:,} of {s['n_rows']:,}** {what} have both values: "
        f"**{s['n_better']:,}** better and **{s['n_worse']:,}** worse by {edges.little:,.4g}{u} or more, "
        f"{s['n_little']:,} changed little"
    )
    if s["n_comparable"]:
        text += f" (mean change {s['mean_change']:+,.3g}{u})"
    return text + "."


def method_sentences(result: PairChange, edges: ChangeEdges) -> list[str]:
    """How the two are compared, in words (markdown, escaped): the change, its direction, the classes."""
    b, a = escape_markdown(result.before.label), escape_markdown(result.after.label)
    unit = result.after.unit.strip()
    worse_high = result.after.polarity == Polarity.HIGH_IS_WORSE
    units = "in the table's own units" if result.after.table_column else "in the measure's own units"
    return [
        f"Change = *{a}* minus *{b}*, {units}{' (' + escape_markdown(unit) + ')' if unit else ''}. "
        f"{'Higher' if worse_high else 'Lower'} values are worse, so "
        f"{'a fall' if worse_high else 'a rise'} is shown as **better** (blue) and the opposite as **worse** (red).",
        f"Grey: less than {edges.little:,.4g}{escape_markdown(_unit(result.after))} either way (little or no change). "
        f"Class breaks at {edges.step:,.4g} and {2 * edges.step:,.4g}: round numbers from the spread of the changes "
        "(a third of the 95th percentile of the absolute change). White with a dashed outline: no value in one of "
        "the two.",
    ]


def source_line(indicator: Indicator) -> str:
    """An indicator's source for a caption or a file: an upload's is "as stated by the uploader" (not escaped)."""
    if indicator.uploaded:
        return f"Source (as stated by the uploader): {indicator.source}"
    return indicator.source


def csv_header(result: PairChange, place: str) -> list[str]:
    """The lines above the change table's CSV: what, how, and the source (an upload's "as stated by the uploader")."""
    worse_high = result.after.polarity == Polarity.HIGH_IS_WORSE
    return [
        f"Change in {result.after.label}: {result.before.label} to {result.after.label}, {place}",
        f"Change = after minus before{_unit(result.after) and ', in' + _unit(result.after)}; "
        f"{'Higher' if worse_high else 'Lower'} values are worse",
        source_line(result.after),
        f"Licence: {result.after.licence}",
    ]


def slope_frame(result: PairChange, areas: pd.DataFrame, place: str, area: str | None = None) -> pd.DataFrame:
    """Long frame for the before/after chart: the place's mean, and one LSOA when ``area`` is given.

    The place's mean is over its rows with both values (LSOAs, or distinct wards / LAs).
    Columns as ``evaluation.Evaluation.groups`` (one chart draws both): ``Group``, ``Edition``
    (the indicator's label), ``Year`` (0 before, 1 after), ``Mean``, and ``Areas``.
    """
    rows = _rows(result, areas)
    both = rows[rows[BEFORE].notna() & rows[AFTER].notna()]
    lines = []
    if len(both):
        lines.append(
            (f"{place}: mean of {len(both):,} with both values", both[BEFORE].mean(), both[AFTER].mean(), len(both))
        )
    if area is not None and area in result.frame.index:
        r = result.frame.loc[area]
        if pd.notna(r[BEFORE]) and pd.notna(r[AFTER]):
            name = areas[AREA_NAME].get(area, area) if AREA_NAME in areas.columns else area
            lines.append((f"{name} ({area})", r[BEFORE], r[AFTER], 1))
    labels = column_titles(result)[:2] if result.before.label == result.after.label else None
    b_label, a_label = labels or (result.before.label, result.after.label)
    out = []
    for line, b, a, n in lines:
        out.append({"Group": line, "Edition": b_label, "Year": 0, "Mean": float(b), "Areas": n})
        out.append({"Group": line, "Edition": a_label, "Year": 1, "Mean": float(a), "Areas": n})
    return pd.DataFrame(out, columns=["Group", "Edition", "Year", "Mean", "Areas"])


def map_payload(result: PairChange, classification: Classification, edges: ChangeEdges, total: int) -> dict:
    """The change map's style payload (feature order = ``result.frame``'s index); text escaped by ``style_payload``."""
    from placemap.render.maps import style_payload

    f = result.frame
    values = [
        format_pair_change(b, a, x, edges, result.after)
        for b, a, x in zip(f[BEFORE].to_numpy(float), f[AFTER].to_numpy(float), f[BETTER].to_numpy(float), strict=True)
    ]
    return style_payload(
        classification,
        values=values,
        label=f"{result.before.label} → {result.after.label}",
        total=total,
        version=f"pair-{result.before.id}-{result.after.id}-{edges.little:g}-{edges.step:g}",
    )
