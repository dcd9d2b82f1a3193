"""Change in your own data: two columns of one uploaded table as "before" and "after".

Built-in indicators change between editions of the Indices of Deprivation; an uploaded
table has one time point per column (e.g. attendance 2022 and attendance 2024). This
module compares two columns of one table on the LSOAs of one edition, joined by the one
rule of ``placemap.data.values`` (so ward and local-authority values are shown on their
LSOAs, and LSOA 2011/2021 codes only on the editions that use them). Pure: no Streamlit.

The change is ``after - before`` in the table's own units. Its colour follows the
indicator's polarity: when higher values are worse, a fall is an improvement (blue) and a
rise a worsening (red); "little or no change" is grey and "no data" white, as on the
built-in change map. Class breaks are round numbers set from the spread of the changes
(``change_edges``), symmetric about zero.

Example
-------
>>> edges = change_edges(np.array([0.3, -1.0, 4.0, 6.0, -5.0]))
>>> edges.little, edges.step
(0.5, 2.0)
>>> classify_upload_change(np.array([0.1, 1.0, -3.0, 9.0, np.nan]), edges).classes.tolist()
[3, 4, 1, 6, -1]
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from placemap.analysis.change_classes import DIVERGING_PALETTE
from placemap.analysis.classify import NO_DATA_COLOUR, Classification
from placemap.data.catalogue import Indicator
from placemap.data.indicators import EDITION_YEARS, Polarity
from placemap.data.loaders import AREA_NAME, LA_CODE, LA_NAME, WARD_CODE, WARD_NAME
from placemap.data.prepare import escape_text
from placemap.data.values import indicator_values
from placemap.uploads.table import LA, WARD, UploadedTable

BEFORE, AFTER, CHANGE, BETTER = "value_before", "value_after", "change", "better"
NO_DATA_LABEL = "No data (no value in one of the two columns)"
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
class UploadChange:
    """Two columns of one table joined to one edition's LSOAs, and their change."""

    frame: pd.DataFrame | None  # indexed like ``areas``: value_before, value_after, change, better
    before: Indicator
    after: Indicator
    year: int
    geography: str
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.frame is not None


def change_frame(
    table: UploadedTable, before: Indicator, after: Indicator, year: int, areas: pd.DataFrame
) -> UploadChange:
    """``before`` and ``after`` (two of ``table``'s columns) on ``areas`` (an edition's LSOAs) and their change.

    ``change`` is ``after - before``; ``better`` is the change turned so that positive is an
    improvement (minus the change when higher values are worse, per the "after" column's polarity).
    """
    joined_b = indicator_values(before, year, areas, table.series(before))
    joined_a = indicator_values(after, year, areas, table.series(after))
    if not joined_b.ok or not joined_a.ok:
        return UploadChange(None, before, after, year, table.geography, joined_b.note or joined_a.note)
    frame = pd.DataFrame({BEFORE: joined_b.values.to_numpy(), AFTER: joined_a.values.to_numpy()}, index=areas.index)
    frame[CHANGE] = frame[AFTER] - frame[BEFORE]
    sign = -1.0 if after.polarity == Polarity.HIGH_IS_WORSE else 1.0
    frame[BETTER] = frame[CHANGE] * sign
    note = joined_a.note.replace(after.label, f"{table.name}") if joined_a.note else ""
    return UploadChange(frame, before, after, year, table.geography, note)


# --------------------------------------------------------------------------- classes


def nice_step(x: float) -> float:
    """The smallest of 1, 2, 2.5 or 5 times a power of ten that is at least ``x`` (1 when ``x`` <= 0).

    Example
    -------
    >>> [nice_step(v) for v in (0.37, 2.0, 2.1, 7, 1234)]
    [0.5, 2.0, 2.5, 10.0, 2000.0]
    """
    if not x or x <= 0 or not math.isfinite(x):
        return 1.0
    power = 10.0 ** math.floor(math.log10(x))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        if m * power >= x * (1 - 1e-12):
            return float(round(m * power, 12))
    return float(10 * power)  # pragma: no cover - the loop always returns


@dataclass(frozen=True)
class ChangeEdges:
    """Symmetric class breaks: ``|change| < little`` is little change; ``step`` and ``2 x step`` the next breaks."""

    little: float
    step: float


def change_edges(changes: np.ndarray, little: float | None = None) -> ChangeEdges:
    """Round-number breaks from the spread of the changes.

    ``step`` is a round number near a third of the 95th percentile of the absolute changes,
    so most areas fall within three steps; ``little`` defaults to a round fifth of ``step``
    (a value given by the user is kept, and ``step`` raised above it when needed).
    """
    v = np.abs(np.asarray(changes, dtype=float))
    v = v[np.isfinite(v)]
    spread = float(np.quantile(v, 0.95)) if len(v) else 0.0
    step = nice_step(spread / 3)
    if little is None or not math.isfinite(little) or little < 0:
        little = nice_step(step / 5)
    if step <= little:
        step = nice_step(little * 2)
    return ChangeEdges(float(little), float(step))


def _num(x: float) -> str:
    return f"{x:,.4g}"


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


def change_classes(better: np.ndarray, edges: ChangeEdges) -> np.ndarray:
    """Class of each change (0 = most worse, 3 = little change, 6 = most better; -1 = no data)."""
    b = np.asarray(better, dtype=float)
    out = np.full(len(b), -1)
    ok = np.isfinite(b)
    x = np.round(b[ok], 9)
    cls = np.full(len(x), 3)
    cls[x <= -edges.little] = 2
    cls[x <= -edges.step] = 1
    cls[x <= -2 * edges.step] = 0
    cls[x >= edges.little] = 4
    cls[x >= edges.step] = 5
    cls[x >= 2 * edges.step] = 6
    if edges.little == 0:  # no "little change" band: only an exact zero is grey
        cls[x == 0] = 3
    out[ok] = cls
    return out


def classify_upload_change(better: np.ndarray, edges: ChangeEdges, unit: str = "") -> Classification:
    """A diverging ``Classification`` (ColorBrewer RdBu with a grey centre), red = worse, blue = better."""
    classes = change_classes(better, edges)
    palette = list(DIVERGING_PALETTE)
    return Classification(
        classes=classes,
        colours=[palette[c] if c >= 0 else NO_DATA_COLOUR for c in classes],
        palette=palette,
        labels=class_labels(edges, unit),
        bins=[-2 * edges.step, -edges.step, -edges.little, edges.little, edges.step, 2 * edges.step, math.inf],
        counts=[int((classes == i).sum()) for i in range(len(palette))],
        n_missing=int((classes < 0).sum()),
        scheme="upload_change",
    )


def direction(better: float, edges: ChangeEdges) -> int:
    """1 = better, -1 = worse, 0 = little or no change (NaN gives 0; check for no data first)."""
    if better != better or abs(better) < edges.little or better == 0:
        return 0
    return 1 if better > 0 else -1


def format_upload_change(before: float, after: float, better: float, edges: ChangeEdges, indicator: Indicator) -> str:
    """One area's change for the map's tooltip: "+1.3 % (better): 92.1 → 93.4"."""
    if before != before or after != after:
        return "No data in one of the two columns"
    u = f" {indicator.unit.strip()}" if indicator.unit.strip() else ""
    word = DIRECTIONS[direction(better, edges)].lower()
    return f"{after - before:+,.4g}{u} ({word}): {_num(before)} → {_num(after)}"


# --------------------------------------------------------------------------- tables


def _unit_columns(geography: str) -> tuple[str | None, list[tuple[str, str]]]:
    """The column the table is keyed by (``None`` = the LSOA index) and the columns describing each row."""
    if geography == WARD:
        return WARD_CODE, [(WARD_CODE, "Ward code"), (WARD_NAME, "Ward"), (LA_NAME, "Local authority")]
    if geography == LA:
        return LA_CODE, [(LA_CODE, "LA code"), (LA_NAME, "Local authority")]
    return None, [(AREA_NAME, "LSOA name"), (WARD_NAME, "Ward"), (LA_NAME, "Local authority")]


def column_titles(result: UploadChange) -> tuple[str, str, str]:
    """Table headings of the two values and the change (distinct even when the labels are the same)."""
    u = f" ({result.after.unit.strip()})" if result.after.unit.strip() else ""
    return f"Before: {result.before.label}", f"After: {result.after.label}", f"Change{u}"


def change_table(result: UploadChange, areas: pd.DataFrame, edges: ChangeEdges) -> pd.DataFrame:
    """The text alternative to the map: one row per LSOA (or per ward / LA for ward and LA tables), worst first."""
    key, described = _unit_columns(result.geography)
    frame = result.frame.reindex(areas.index)
    rows = areas.join(frame)
    if key is None:
        rows = rows.assign(**{"LSOA code": rows.index})
        described = [("LSOA code", "LSOA code"), *described]
    else:
        rows = rows.drop_duplicates(key)
    b, a, c = column_titles(result)
    out = pd.DataFrame({label: rows[column].to_numpy() for column, label in described})
    out[b] = rows[BEFORE].to_numpy()
    out[a] = rows[AFTER].to_numpy()
    out[c] = rows[CHANGE].round(6).to_numpy()
    out["Direction"] = [
        "No data" if not np.isfinite(x) else DIRECTIONS[direction(x, edges)] for x in rows[BETTER].to_numpy(float)
    ]
    out["_better"] = rows[BETTER].to_numpy()
    out = out.sort_values(["_better", out.columns[0]], na_position="last", ignore_index=True)
    return out.drop(columns="_better")


def change_summary(result: UploadChange, areas: pd.DataFrame, edges: ChangeEdges) -> dict[str, int | float]:
    """Counts for the place: rows (LSOAs, wards or LAs), rows with both values, better, worse, little change."""
    key, _described = _unit_columns(result.geography)
    rows = areas.join(result.frame.reindex(areas.index))
    if key is not None:
        rows = rows.drop_duplicates(key)
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


def slope_frame(result: UploadChange, areas: pd.DataFrame, place: str, area: str | None = None) -> pd.DataFrame:
    """Long frame for the before/after slope chart: the place's mean, and one LSOA when ``area`` is given.

    The place's mean is over its rows with both values (LSOAs, or distinct wards / LAs).
    Columns: ``Line``, ``Column``, ``Order`` (0 before, 1 after), ``Value``, ``Areas``.
    """
    key, _described = _unit_columns(result.geography)
    rows = areas.join(result.frame.reindex(areas.index))
    if key is not None:
        rows = rows.drop_duplicates(key)
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
    out = []
    for line, b, a, n in lines:
        out.append({"Line": line, "Column": result.before.label, "Order": 0, "Value": float(b), "Areas": n})
        out.append({"Line": line, "Column": result.after.label, "Order": 1, "Value": float(a), "Areas": n})
    return pd.DataFrame(out, columns=["Line", "Column", "Order", "Value", "Areas"])


def legend_html(title: str, subtitle: str, classification: Classification) -> str:
    """Legend for an uploaded change map (``maps.LEGEND_CSS`` classes), worst first, "No data" last; escaped."""
    items = [
        f'<li><span class="pm-swatch" style="background:{colour}"></span>'
        f'<span>{escape_text(label)}</span> <span class="pm-count">({count:,})</span></li>'
        for colour, label, count in zip(
            classification.palette, classification.labels, classification.counts, strict=True
        )
    ]
    items.append(
        f'<li><span class="pm-swatch pm-nodata" style="background:{NO_DATA_COLOUR}"></span>'
        f'<span>{escape_text(NO_DATA_LABEL)}</span> <span class="pm-count">({classification.n_missing:,})</span></li>'
    )
    return (
        '<div class="pm-legend" role="group" aria-label="Change map legend">'
        f'<div class="pm-legend-title">{escape_text(title)}</div>'
        f'<div class="pm-legend-sub">{escape_text(subtitle)}</div>'
        '<div class="pm-legend-end">Worse (red) · little or no change (grey) · better (blue)</div>'
        f"<ul>{''.join(items)}</ul>"
        "</div>"
    )


def map_payload(result: UploadChange, classification: Classification, edges: ChangeEdges, total: int) -> dict:
    """The change map's style payload (feature order = ``result.frame``'s index); text escaped by ``style_payload``."""
    from placemap.render.maps import style_payload

    f = result.frame
    values = [
        format_upload_change(b, a, x, edges, result.after)
        for b, a, x in zip(f[BEFORE].to_numpy(float), f[AFTER].to_numpy(float), f[BETTER].to_numpy(float), strict=True)
    ]
    return style_payload(
        classification,
        values=values,
        ranks=[""] * len(f),
        deciles=[""] * len(f),
        label=f"{result.before.label} → {result.after.label}",
        total=total,
        version=f"upload-change-{result.before.id}-{result.after.id}-{edges.little:g}-{edges.step:g}",
    )
