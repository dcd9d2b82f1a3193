"""Read an uploaded table's bytes: size, format (text or .xlsx), encoding and delimiter (pure, no Streamlit).

Never raises for bad input: every problem becomes a ``Message`` on the ``TableCheck``.
"""

from __future__ import annotations

import csv
import io
import re

import pandas as pd

from placemap.uploads.table import (
    DELIMITERS,
    ERROR,
    INFO,
    MAX_ROWS,
    MAX_TABLE_BYTES,
    MAX_TABLE_COLUMNS,
    WARNING,
    Message,
    TableCheck,
    size_text,
    too_many_columns,
)


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
