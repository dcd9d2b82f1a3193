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
>>> geos = Geographies(lsoa11={"E01000001": "A 001A"}, lsoa21={"E01000001": "A 001A"},
...                    ward={}, la={"E06000009": "Blackpool"})
>>> check = check_table(b"la;value\\nE06000009;3,5\\n", "x.csv", geos)
>>> check.delimiter, check.geography, check.values["value"].tolist()
(';', 'la', [3.5])
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from placemap.data.indicators import GEOGRAPHY_LABELS, Geography, Indicator, Polarity, Ranking, Theme, ValueKind

# Limits, stated on the page. A table of every LSOA in England with ten columns is about
# 3 MB as CSV, so 5 MB leaves room while keeping a session's memory small (the server's
# own cap, ``server.maxUploadSize`` in .streamlit/config.toml, is 20 MB for boundaries).
MAX_TABLE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 100_000
MAX_VALUE_COLUMNS = 20
# Columns a table may have at all, refused before any work per column (which grows with their
# number): IoD2019's widest official file has 57 columns.
MAX_TABLE_COLUMNS = 100
MAX_XLSX_UNCOMPRESSED = 100 * 1024 * 1024  # an .xlsx is a zip: refuse bombs before opening
# Per session: a few datasets, so one browser tab cannot hold the server's memory (the bytes
# uploaded are limited per client in ``ratelimit.ACTIONS``, which a reload does not reset).
MAX_SESSION_DATASETS = 6
MAX_SHOWN = 10  # examples quoted in a message

ERROR, WARNING, INFO = "error", "warning", "info"
LSOA11, LSOA21, WARD, LA = "lsoa11", "lsoa21", "ward", "la"
GEOGRAPHY_YEAR = {LSOA21: 2025, LSOA11: 2019}  # the edition whose map an uploaded LSOA indicator joins
MISSING_MARKERS = {"", "na", "n/a", "nan", "null", "none", "-", "..", ".", "x", "*", "c", "[c]", "[x]", "[z]", ":"}
CODE_PATTERN = re.compile(r"^[EWSNK]\d{8}$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
POLARITIES = {
    Polarity.HIGH_IS_WORSE: "Higher values are worse (darker on the map)",
    Polarity.LOW_IS_WORSE: "Lower values are worse (darker on the map)",
}
LOCAL_DOMAIN = "local"
ROW_COLUMN = "Row in your file"


@dataclass(frozen=True)
class Message:
    """One finding about an upload: ``level`` is "error" (cannot be used), "warning" or "info"."""

    level: str
    text: str


@dataclass(frozen=True)
class Geographies:
    """The reference code lists uploads are matched against: code -> name for each geography."""

    lsoa11: Mapping[str, str]
    lsoa21: Mapping[str, str]
    ward: Mapping[str, str]
    la: Mapping[str, str]

    def codes(self, geography: str) -> Mapping[str, str]:
        """Code -> name of one geography."""
        return {LSOA11: self.lsoa11, LSOA21: self.lsoa21, WARD: self.ward, LA: self.la}[geography]


@dataclass
class TableCheck:
    """What ``check_table`` found. ``ok`` means there is at least one matched row with a number."""

    messages: list[Message] = field(default_factory=list)
    raw: pd.DataFrame | None = None  # the table as read, every cell text
    encoding: str = ""
    delimiter: str = ""
    key_column: str | None = None
    key_kind: str = ""  # "code" or "name"
    geography: str | None = None
    values: pd.DataFrame | None = None  # numeric value columns indexed by matched area code
    value_columns: list[str] = field(default_factory=list)
    unmatched: pd.DataFrame | None = None  # rows whose key did not match, with the reason
    non_numeric: pd.DataFrame | None = None  # row, column, value
    duplicates: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and self.values is not None and len(self.values) > 0 and bool(self.value_columns)

    @property
    def errors(self) -> list[Message]:
        return [m for m in self.messages if m.level == ERROR]

    def add(self, level: str, text: str) -> None:
        self.messages.append(Message(level, text))


def size_text(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB" if n >= 1024 else f"{n} bytes"


def examples_text(values, n: int = MAX_SHOWN) -> str:
    values = [str(v) for v in values]
    shown = ", ".join(v if len(v) <= 40 else v[:40] + "…" for v in values[:n])
    return shown + (f" and {len(values) - n:,} more" if len(values) > n else "")


# --------------------------------------------------------------------------- reading


def decode_text(data: bytes) -> tuple[str | None, str, list[Message]]:
    """Decode uploaded bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252.

    Returns (text or ``None``, encoding name, messages).

    Example
    -------
    >>> decode_text("café".encode("cp1252"))[:2]
    ('café', 'Windows-1252')
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "UTF-8 with BOM", []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16", []
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:4096]:
        return (
            None,
            "",
            [
                Message(
                    ERROR,
                    "This file is not a text table (it holds binary data). Save it as CSV (UTF-8) or Excel (.xlsx) and upload that.",
                )
            ],
        )
    try:
        return data.decode("utf-8"), "UTF-8", []
    except UnicodeDecodeError:
        pass
    try:
        return (
            data.decode("cp1252"),
            "Windows-1252",
            [
                Message(
                    INFO, "The file is not UTF-8; it was read as Windows-1252 (Excel's usual CSV encoding on Windows)."
                )
            ],
        )
    except UnicodeDecodeError:
        text = data.decode("latin-1")
        return (
            text,
            "Latin-1",
            [
                Message(
                    WARNING,
                    "The file's encoding was not recognised; it was read as Latin-1, so accented letters may be wrong. Save it as 'CSV UTF-8' to be sure.",
                )
            ],
        )


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the same number (>1) of cells; comma if none.

    Example
    -------
    >>> sniff_delimiter("a;b;c\\n1;2,5;3\\n")
    ';'
    >>> sniff_delimiter("code\\tvalue\\nE01000001\\t3\\n")
    '\\t'
    """
    lines = [line for line in text.splitlines()[:50] if line.strip()][:20]
    if not lines:
        return ","
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue
        header = counts[0]
        if header < 2:
            continue
        consistent = sum(c == header for c in counts)
        score = (consistent, header)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _is_xlsx(data: bytes, filename: str) -> bool:
    return filename.lower().endswith((".xlsx", ".xlsm")) or data.startswith(b"PK\x03\x04")


def _read_xlsx(data: bytes, check: TableCheck) -> pd.DataFrame | None:
    from placemap.uploads.upload_xlsx import read_xlsx

    return read_xlsx(data, check)


def _read_text(data: bytes, check: TableCheck) -> pd.DataFrame | None:
    text, encoding, messages = decode_text(data)
    check.messages.extend(messages)
    if text is None:
        return None
    check.encoding = encoding
    if not text.strip():
        check.add(ERROR, "The file has no text in it. Upload a table with a header row and one row per area.")
        return None
    check.delimiter = sniff_delimiter(text)
    if (width := _header_width(text, check.delimiter)) > MAX_TABLE_COLUMNS:
        check.add(ERROR, too_many_columns(width))
        return None
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=check.delimiter,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=True,
            nrows=MAX_ROWS + 1,
            skipinitialspace=True,
        )
    except pd.errors.ParserError as exc:
        line = re.search(r"line (\d+)", str(exc))
        where = f" (line {line.group(1)})" if line else ""
        check.add(
            ERROR,
            f"A row has more cells than the header{where}. Check for a stray {DELIMITERS[check.delimiter]} or an unclosed quote mark.",
        )
        return None
    except (pd.errors.EmptyDataError, ValueError, csv.Error):
        check.add(ERROR, "The table could not be read. Upload a CSV with a header row and one row per area.")
        return None
    if check.delimiter != ",":
        check.add(INFO, f"Cells are separated by a {DELIMITERS[check.delimiter]}.")
    return frame


def too_many_columns(width: int | None) -> str:
    """The message for a table wider than ``MAX_TABLE_COLUMNS`` (``None``: width not counted to the end)."""
    count = f"{width:,} columns" if width else f"more than {MAX_TABLE_COLUMNS} columns"
    return (
        f"The table has {count}; Placemap reads tables of up to {MAX_TABLE_COLUMNS} columns (a column of area "
        f"codes or names and the indicators). Keep only the columns you need and upload again."
    )


def _header_width(text: str, delimiter: str) -> int:
    try:
        return len(next(csv.reader(io.StringIO(text), delimiter=delimiter), []))
    except csv.Error:
        return 0  # the reader below says what is wrong with the file


def read_table(data: bytes, filename: str, check: TableCheck | None = None) -> tuple[pd.DataFrame | None, TableCheck]:
    """Read an uploaded CSV/TSV/text or .xlsx file into a frame of text cells, with messages."""
    check = check or TableCheck()
    name = (filename or "").lower()
    if len(data) > MAX_TABLE_BYTES:
        check.add(
            ERROR,
            f"The file is {size_text(len(data))}; Placemap accepts tables up to {size_text(MAX_TABLE_BYTES)} (every LSOA in England with ten columns is about 3 MB). Remove columns you do not need, or split the file.",
        )
        return None, check
    if not data.strip():
        check.add(ERROR, "The file is empty. Upload a table with a header row and one row per area.")
        return None, check
    if name.endswith(".xls") and not data.startswith(b"PK"):
        check.add(ERROR, "Old Excel files (.xls) are not supported. Save it as .xlsx or CSV and upload that.")
        return None, check
    frame = _read_xlsx(data, check) if _is_xlsx(data, name) else _read_text(data, check)
    if frame is None:
        return None, check
    frame.columns = _clean_headers(list(frame.columns))
    frame = frame.apply(lambda s: s.str.strip())
    frame = frame.loc[~(frame == "").all(axis=1)]
    if len(frame) > MAX_ROWS:
        check.add(
            ERROR, f"The table has more than {MAX_ROWS:,} rows; England has 33,755 LSOAs. Upload one row per area."
        )
        return None, check
    if frame.empty:
        check.add(ERROR, "The table has a header but no rows. Add one row per area under the header.")
        return None, check
    if frame.shape[1] < 2:
        check.add(
            ERROR,
            "The table has only one column. It needs a column of area codes (or names) and at least one column of numbers.",
        )
        return None, check
    check.raw = frame
    return frame, check


def _clean_headers(headers: list[object]) -> list[str]:
    out: list[str] = []
    for i, h in enumerate(headers):
        text = str(h).strip()[:80]
        if not text or text.startswith("Unnamed:"):
            text = f"Column {i + 1}"
        candidate, n = text, 2
        while candidate in out:
            candidate, n = f"{text} ({n})", n + 1
        out.append(candidate)
    return out


# --------------------------------------------------------------------------- matching


def code_geography(codes: pd.Series, geos: Geographies) -> tuple[str | None, list[Message]]:
    """Which geography a column of codes is in, and messages (e.g. mixed 2011 and 2021 LSOA codes).

    LSOA codes of 2011 and 2021 both start ``E01``; most are the same in both, so the
    choice rests on codes that exist in only one of the two lists.
    """
    messages: list[Message] = []
    unique = pd.Index(codes.dropna().unique())
    members = {g: _isin(unique, geos.codes(g)) for g in (LSOA21, LSOA11, WARD, LA)}
    counts = {g: int(m.sum()) for g, m in members.items()}
    if not any(counts.values()):
        return None, messages
    if counts[LSOA11] or counts[LSOA21]:
        only11 = sorted(unique[members[LSOA11] & ~members[LSOA21]])
        only21 = sorted(unique[members[LSOA21] & ~members[LSOA11]])
        lsoa = LSOA11 if len(only11) > len(only21) else LSOA21
        if only11 and only21:
            messages.append(
                Message(
                    WARNING,
                    (
                        f"The file mixes LSOA codes from 2011 and 2021. LSOAs were redrawn after the 2021 Census: "
                        f"IoD2015 and IoD2019 use the 2011 LSOAs, IoD2025 the 2021 LSOAs, and some codes exist in only one. "
                        f"{len(only11):,} code(s) exist only in 2011 (e.g. {examples_text(only11, 3)}) and {len(only21):,} only "
                        f"in 2021 (e.g. {examples_text(only21, 3)}). Placemap used the {'2011' if lsoa == LSOA11 else '2021'} "
                        "LSOAs, the larger group; the others are listed as unmatched. To fix, convert the file to one set "
                        "of codes with the ONS LSOA 2011 to 2021 lookup."
                    ),
                )
            )
        elif not only11 and not only21:
            messages.append(
                Message(
                    INFO,
                    "Every LSOA code in the file is the same in 2011 and 2021; it is matched to the 2021 LSOAs (IoD2025). Choose 2011 below to match IoD2019 instead.",
                )
            )
        counts[lsoa] += len(unique)  # prefer LSOAs over other geographies when the codes are LSOAs
    best = max(counts, key=lambda g: counts[g])
    return best, messages


def _isin(values: pd.Series | pd.Index, known) -> np.ndarray:
    # Plain Python membership on a list: far faster than ``Series.isin`` on pandas' string dtype.
    items = values.tolist()
    return np.fromiter((v in known for v in items), dtype=bool, count=len(items))


def _normalise_codes(column: pd.Series) -> pd.Series:
    codes = column.str.strip().str.upper()
    if codes.str.contains(" ", regex=False).any():  # the regex only when needed: it is the slow step
        codes = codes.str.replace(r"\s+", "", regex=True)
    return codes


def detect_key_column(frame: pd.DataFrame, geos: Geographies) -> tuple[str | None, str]:
    """The column holding area codes (most matches), else one holding exact area names; and its kind."""
    best, best_hits = None, 0
    known = {*geos.lsoa21, *geos.lsoa11, *geos.ward, *geos.la}
    for column in frame.columns:
        sample = frame[column].head(2_000)  # enough to tell which column holds codes
        if not sample.str.contains(r"[0-9]", regex=True).any():
            continue
        hits = int(_isin(_normalise_codes(sample), known).sum())
        if hits > best_hits:
            best, best_hits = column, hits
    if best is not None:
        return best, "code"
    names = _name_lookup(geos)
    for column in frame.columns:
        hits = int(_isin(frame[column].head(2_000).str.casefold(), names).sum())
        if hits > best_hits:
            best, best_hits = column, hits
    return (best, "name") if best is not None else (None, "")


def _name_lookup(geos: Geographies) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    for geography in (LA, WARD, LSOA21, LSOA11):
        for code, name in geos.codes(geography).items():
            pairs = out.setdefault(str(name).strip().casefold(), [])
            if (geography, code) not in pairs:
                pairs.append((geography, code))
    return out


def _match_names(column: pd.Series, geos: Geographies, check: TableCheck) -> tuple[pd.Series, str | None]:
    names = _name_lookup(geos)
    keys = column.str.casefold()
    kinds: dict[str, int] = {}
    for key in keys.unique():
        for geography, _code in names.get(key, []):
            kinds[geography] = kinds.get(geography, 0) + 1
    if not kinds:
        return pd.Series(pd.NA, index=column.index, dtype=object), None
    geography = max(kinds, key=lambda g: kinds[g])
    by_name: dict[str, list[str]] = {}
    for key in keys.unique():
        codes = [c for g, c in names.get(key, []) if g == geography]
        if codes:
            by_name[key] = codes
    ambiguous = sorted(k for k, v in by_name.items() if len(v) > 1)
    if ambiguous:
        check.add(
            WARNING,
            f"{len(ambiguous):,} name(s) belong to more than one area (e.g. {examples_text(column[keys.isin(ambiguous)].unique(), 3)}) and were not matched. Use area codes to be sure.",
        )
    codes = keys.map(lambda k: by_name[k][0] if k in by_name and len(by_name[k]) == 1 else pd.NA)
    check.add(
        INFO,
        f"No column of area codes was found, so areas were matched by exact name ({GEOGRAPHY_LABELS[geography]}). Names must match the official spelling; codes are safer.",
    )
    return codes, geography


# --------------------------------------------------------------------------- numbers


def parse_numbers(column: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Numbers from text cells: (values, mask of cells that are text but not numbers).

    Blank cells and the usual suppression markers (``..``, ``x``, ``[c]``, ``NA``, ``-``)
    are missing values, not errors; ``1,234`` and ``12%`` are read as 1234 and 12; a
    decimal comma (``3,5``) is read as 3.5 when the column has no thousands separators.

    Example
    -------
    >>> values, bad = parse_numbers(pd.Series(["1,234", "12%", "..", "ten", "-2.5"]))
    >>> values.tolist()[:3], bad.tolist()
    ([1234.0, 12.0, nan], [False, False, False, True, False])
    """
    text = column.fillna("").astype(str).str.strip().str.replace("\u00a0", "", regex=False)
    missing = pd.Series(_isin(text.str.casefold(), MISSING_MARKERS), index=text.index)
    cleaned = text.str.removesuffix("%").str.strip().str.replace(r"^£", "", regex=True)
    thousands = cleaned.str.match(_THOUSANDS)
    cleaned = cleaned.where(~thousands, cleaned.str.replace(",", "", regex=False))
    if not thousands.any():
        decimal_comma = cleaned.str.match(_DECIMAL_COMMA)
        cleaned = cleaned.where(~decimal_comma, cleaned.str.replace(",", ".", regex=False))
    values = pd.to_numeric(cleaned.where(~missing, None), errors="coerce").astype(float)
    values = values.where(np.isfinite(values))
    bad = values.isna() & ~missing
    return values, bad


# --------------------------------------------------------------------------- the pipeline


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
        kind = "code" if _normalise_codes(frame[key_column]).str.match(CODE_PATTERN).any() else "name"
    if key_column is None:
        looks_like_codes = [c for c in frame.columns if _normalise_codes(frame[c]).str.match(CODE_PATTERN).mean() > 0.5]
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
        codes = _normalise_codes(frame[key_column])
        detected, messages = code_geography(codes, geos)
        check.messages.extend(messages if geography is None else [])
        geography = geography or detected
        known = geos.codes(geography) if geography else {}
        matched = codes.where(_isin(codes, known))
        reason_of = _unmatched_reason(geography, geos)
    else:
        matched, detected = _match_names(frame[key_column], geos, check)
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
                    reason_of(_normalise_codes(pd.Series([g]))[0]) if kind == "code" else reason_of(g) for g in given
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


def _unmatched_reason(geography: str | None, geos: Geographies):
    def reason(code: str) -> str:
        if not code:
            return "No code in this row"
        if not CODE_PATTERN.match(code):
            return "Not an area code (they look like E01012345)"
        if geography == LSOA21 and code in geos.lsoa11:
            return "A 2011 LSOA code; this file was matched to 2021 LSOAs"
        if geography == LSOA11 and code in geos.lsoa21:
            return "A 2021 LSOA code; this file was matched to 2011 LSOAs"
        if not code.startswith("E"):
            return "Not an English code (Placemap covers England)"
        for other, label in ((LSOA21, "an LSOA"), (LSOA11, "an LSOA"), (WARD, "a ward"), (LA, "a local authority")):
            if other != geography and code in geos.codes(other):
                return f"The code of {label}, a different kind of area from the rest of the file"
        return "Not a current English area code"

    return reason


# --------------------------------------------------------------------------- indicators


@dataclass(frozen=True)
class ColumnSpec:
    """What the user says about one uploaded column."""

    column: str
    label: str
    unit: str = ""
    domain: str = LOCAL_DOMAIN
    polarity: str = Polarity.HIGH_IS_WORSE


def default_specs(value_columns: list[str]) -> list[ColumnSpec]:
    """A starting spec per column: its header as the label, higher = worse."""
    return [ColumnSpec(column=c, label=c) for c in value_columns]


def make_indicator(dataset_id: str, position: int, spec: ColumnSpec, geography: str, source: str) -> Indicator:
    """An ``Indicator`` record for one uploaded column, so it behaves like a catalogued one.

    It names its ``geography`` (the editions it joins follow from it) and its column of the
    uploaded table (``table_column``); it has no edition columns and no national ranks, so
    pages rank it among the areas with a value (``Ranking.AMONG_PRESENT``).
    """
    caveat = "Uploaded data: not checked by Placemap beyond the validation shown."
    return Indicator(
        id=f"upload_{dataset_id}_{position}",
        label=spec.label.strip() or spec.column,
        domain=spec.domain or LOCAL_DOMAIN,
        subdomain=None,
        measure="value",
        unit=spec.unit.strip(),
        polarity=Polarity.parse(spec.polarity),
        columns={},
        rank_columns={},
        decile_columns={},
        source=source.strip() or "Uploaded by a user (source not stated)",
        licence="As stated by the uploader",
        notes=caveat,
        value_format="{:,.4g}",
        short_label=spec.label.strip() or spec.column,
        value_kind=ValueKind.VALUE,
        geography=Geography(geography),
        ranking=Ranking.AMONG_PRESENT,
        theme=Theme.LOCAL,
        caveats=caveat,
        table_column=spec.column,
    )


@dataclass
class UploadedTable:
    """An uploaded indicator table ready to map: values by area code and what each column means."""

    id: str
    name: str
    source: str
    geography: str
    values: pd.DataFrame
    specs: list[ColumnSpec]

    def indicators(self) -> list[Indicator]:
        """One ``Indicator`` per uploaded column, in the order of the file."""
        return [make_indicator(self.id, i, s, self.geography, self.source) for i, s in enumerate(self.specs)]

    def series(self, indicator: Indicator) -> pd.Series:
        """Values of one of this table's indicators, indexed by area code."""
        return self.values[indicator.table_column]

    def to_payload(self) -> dict:
        """A JSON-serialisable form (for the database)."""
        return {
            "kind": "indicators",
            "geography": self.geography,
            "codes": list(self.values.index),
            "columns": {c: [None if pd.isna(v) else float(v) for v in self.values[c]] for c in self.values.columns},
            "specs": [s.__dict__ for s in self.specs],
        }

    @classmethod
    def from_payload(cls, dataset_id: str, name: str, source: str, payload: Mapping) -> UploadedTable:
        """Rebuild from ``to_payload`` output (raises ``ValueError`` when it is malformed)."""
        try:
            values = pd.DataFrame({c: pd.Series(v, dtype=float) for c, v in payload["columns"].items()})
            values.index = pd.Index(payload["codes"], name="area_code")
            specs = [ColumnSpec(**s) for s in payload["specs"]]
            geography = payload["geography"]
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"The saved upload could not be read ({exc})") from exc
        if geography not in GEOGRAPHY_LABELS:
            raise ValueError(f"The saved upload has an unknown geography {geography!r}")
        return cls(dataset_id, name, source, geography, values, specs)
