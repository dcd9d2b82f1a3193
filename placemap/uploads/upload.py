"""Bring your own data: read, check and join an uploaded table of indicators.

The whole pipeline is pure (no Streamlit) and never raises for bad input: every
problem becomes a :class:`Message` in plain words saying what to fix, and the
result says whether the upload can be used.

Steps
-----
1. size and emptiness (``MAX_TABLE_BYTES``), then the format: Excel (``.xlsx``) or text;
2. text: the encoding (UTF-8, UTF-8 with BOM, Windows-1252) and the delimiter
   (comma, semicolon, tab, bar) are detected;
3. the key column: area codes (LSOA 2011 or 2021, ward, local authority) matched
   against the code lists in ``data/``, else area names that match exactly;
4. duplicate keys, unmatched keys (listed), and cells that are not numbers (by row).

Example
-------
>>> from placemap.uploads.table import Geographies
>>> geos = Geographies(lsoa11={"E01000001": "A 001A"}, lsoa21={"E01000001": "A 001A"},
...                    ward={}, la={"E06000009": "Blackpool"})
>>> check = check_table(b"la;value\\nE06000009;3,5\\n", "x.csv", geos)
>>> check.delimiter, check.geography, check.values["value"].tolist()
(';', 'la', [3.5])
"""

from __future__ import annotations

import pandas as pd

from placemap.uploads.matching import (
    code_geography,
    detect_key_column,
    isin_known,
    match_names,
    normalise_codes,
    parse_numbers,
    unmatched_reason,
)
from placemap.uploads.reading import read_table
from placemap.uploads.table import (
    CODE_PATTERN,
    ERROR,
    GEOGRAPHY_LABELS,
    INFO,
    MAX_VALUE_COLUMNS,
    ROW_COLUMN,
    WARNING,
    Geographies,
    TableCheck,
    examples_text,
)


def check_table(
    data: bytes,
    filename: str,
    geos: Geographies,
    *,
    key_column: str | None = None,
    geography: str | None = None,
) -> TableCheck:
    """Read, check and join an uploaded table; never raises for bad input.

    Parameters
    ----------
    data, filename : the uploaded bytes and the name the user gave the file
    geos : reference code lists (``Geographies``)
    key_column : the column of codes or names (detected when ``None``)
    geography : force a geography (e.g. ``"lsoa11"`` when codes are valid in both years)

    Returns
    -------
    TableCheck with messages; ``values`` indexed by matched area code when ``ok``.
    """
    frame, check = read_table(data, filename)
    if frame is None:
        return check
    if key_column is not None and key_column not in frame.columns:
        key_column = None
    kind = "code"
    if key_column is None:
        key_column, kind = detect_key_column(frame, geos)
    else:
        kind = "code" if normalise_codes(frame[key_column]).str.match(CODE_PATTERN).any() else "name"
    if key_column is None:
        looks_like_codes = [c for c in frame.columns if normalise_codes(frame[c]).str.match(CODE_PATTERN).mean() > 0.5]
        if looks_like_codes:
            check.add(
                ERROR,
                f'The column "{looks_like_codes[0]}" holds codes, but none is an English LSOA (2011 or 2021), ward or local authority code Placemap knows (e.g. {examples_text(frame[looks_like_codes[0]].unique(), 3)}). Check they are English codes (E01…, E05…, E06…–E09…).',
            )
        else:
            check.add(
                ERROR,
                "No column of area codes or area names was found. Add a column of LSOA codes (E01…), ward codes (E05…) or local authority codes (E06…–E09…), or names spelt exactly as ONS spells them.",
            )
        return check
    check.key_column, check.key_kind = key_column, kind

    rows = pd.Series(frame.index + 2, index=frame.index)  # row 1 is the header
    if kind == "code":
        codes = normalise_codes(frame[key_column])
        detected, messages = code_geography(codes, geos)
        check.messages.extend(messages if geography is None else [])
        geography = geography or detected
        known = geos.codes(geography) if geography else {}
        matched = codes.where(isin_known(codes, known))
        reason_of = unmatched_reason(geography, geos)
    else:
        matched, detected = match_names(frame[key_column], geos, check)
        geography = geography or detected
        codes = frame[key_column]
        reason_of = lambda _c: "No area has exactly this name"  # noqa: E731
    check.geography = geography
    if geography is None:
        check.add(
            ERROR, "No value in the key column matched an area. Check the column holds English area codes or names."
        )
        return check

    unmatched_mask = matched.isna()
    if unmatched_mask.any():
        given = frame.loc[unmatched_mask, key_column]
        check.unmatched = pd.DataFrame(
            {
                ROW_COLUMN: rows[unmatched_mask],
                "Value given": given,
                "Why": [
                    reason_of(normalise_codes(pd.Series([g]))[0]) if kind == "code" else reason_of(g) for g in given
                ],
            }
        ).reset_index(drop=True)
        check.add(
            WARNING,
            f"{int(unmatched_mask.sum()):,} of {len(frame):,} rows did not match {GEOGRAPHY_LABELS[geography]} (e.g. {examples_text(given.unique(), 5)}). They are listed below and can be downloaded.",
        )

    dup_mask = matched.duplicated(keep=False) & matched.notna()
    if dup_mask.any():
        check.duplicates = sorted(matched[dup_mask].unique())
        check.add(
            ERROR,
            f"{len(check.duplicates):,} area(s) appear more than once (e.g. {examples_text(check.duplicates, 5)}), on rows {examples_text(rows[dup_mask].tolist(), 10)}. Each area must have one row: remove or combine the repeats.",
        )

    value_columns, bad_cells, text_columns = [], [], []
    numbers: dict[str, pd.Series] = {}
    for column in frame.columns:
        if column == key_column:
            continue
        values, bad = parse_numbers(frame[column])
        present = values.notna().sum() + bad.sum()
        if present == 0 or values.notna().sum() < bad.sum():
            text_columns.append(column)
            continue
        value_columns.append(column)
        numbers[column] = values
        for idx in bad[bad].index:
            bad_cells.append({ROW_COLUMN: int(rows[idx]), "Column": column, "Value given": frame.at[idx, column]})
    if text_columns:
        check.add(
            INFO,
            f"Column(s) {examples_text(text_columns, 5)} hold text, not numbers, so they are not offered as indicators.",
        )
    if len(value_columns) > MAX_VALUE_COLUMNS:
        check.add(
            WARNING,
            f"The table has {len(value_columns)} columns of numbers; the first {MAX_VALUE_COLUMNS} are used. Upload the rest separately.",
        )
        value_columns = value_columns[:MAX_VALUE_COLUMNS]
    if not value_columns:
        check.add(
            ERROR,
            "No column holds numbers. Put each indicator in its own column, one number per cell (no units or notes in the cells).",
        )
        return check
    if bad_cells:
        check.non_numeric = pd.DataFrame(bad_cells)
        shown = examples_text([f"row {b[ROW_COLUMN]} ({b['Column']}: {b['Value given']})" for b in bad_cells], 5)
        check.add(
            WARNING,
            f"{len(bad_cells):,} cell(s) are not numbers and are treated as no data: {shown}. Put one number per cell; leave a cell blank when there is no value.",
        )
    check.value_columns = value_columns

    keep = matched.notna() & ~dup_mask
    values = pd.DataFrame({c: numbers[c][keep] for c in value_columns})
    values.index = pd.Index(matched[keep], name="area_code")
    check.values = values.sort_index()
    n_areas = len(geos.codes(geography))
    check.add(
        INFO,
        f"{len(values):,} of {len(frame):,} rows matched {GEOGRAPHY_LABELS[geography]} ({len(values):,} of {n_areas:,} areas have a row).",
    )
    if check.values.empty:
        check.add(ERROR, "No row could be used. Fix the unmatched or repeated areas listed below and upload again.")
    return check
