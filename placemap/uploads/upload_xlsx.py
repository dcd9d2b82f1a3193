"""Read the first sheet of an uploaded Excel workbook with bounded memory and time (pure, no Streamlit).

An .xlsx is a zip of XML files that the sender writes: its ``<dimension>`` may claim a sheet of
16,384 columns by a million rows, and openpyxl's read-only mode pads every row to that size. So
the claimed dimension is ignored, rows are read no wider than ``MAX_TABLE_COLUMNS`` + 1 and
no longer than ``MAX_SHEET_ROWS``, and a sheet that goes past either is refused with a message.
"""

from __future__ import annotations

import io
import zipfile

import pandas as pd

from placemap.uploads.table import (
    ERROR,
    INFO,
    MAX_ROWS,
    MAX_TABLE_COLUMNS,
    MAX_XLSX_UNCOMPRESSED,
    TableCheck,
    size_text,
    too_many_columns,
)

MAX_SHEET_ROWS = MAX_ROWS + 1_001  # the header, MAX_ROWS rows and up to 1,000 blank rows
NOT_A_WORKBOOK = (
    "This file is not a valid Excel workbook (.xlsx). Open it in Excel and save it again, or save it as CSV."
)
UNREADABLE = "This Excel file could not be read. Open it in Excel and save it again as .xlsx, or save it as CSV."


def read_xlsx(data: bytes, check: TableCheck) -> pd.DataFrame | None:
    """The first sheet of a workbook as a frame of text cells (header from its first non-blank row).

    Problems go into ``check`` as messages; ``None`` is returned when the sheet cannot be used.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            # zipfile never yields more than an entry's stated size, so the stated total bounds the work.
            total = sum(i.file_size for i in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        check.add(ERROR, NOT_A_WORKBOOK)
        return None
    if total > MAX_XLSX_UNCOMPRESSED:
        check.add(
            ERROR,
            f"This workbook unpacks to {size_text(total)}, more than the {size_text(MAX_XLSX_UNCOMPRESSED)} Placemap accepts. Save just the sheet you need as CSV.",
        )
        return None
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a broken workbook; all mean "cannot read"
        check.add(ERROR, UNREADABLE)
        return None
    try:
        rows = _sheet_rows(book, check)
    except Exception:  # noqa: BLE001 - the sheet's XML is read lazily: damaged parts surface only here
        check.add(ERROR, UNREADABLE)
        return None
    finally:
        book.close()
    if rows is None:
        return None
    if not rows:
        check.add(
            ERROR,
            "The first sheet of this workbook is empty. Put the table (a header row, then one row per area) on the first sheet.",
        )
        return None
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    return pd.DataFrame(rows[1:], columns=rows[0], dtype=str)


def _sheet_rows(book, check: TableCheck) -> list[list[str]] | None:
    sheet = book.worksheets[0]
    if len(book.worksheets) > 1:
        check.add(INFO, f'The workbook has {len(book.worksheets)} sheets; the first, "{sheet.title}", was read.')
    sheet.reset_dimensions()  # the stated <dimension> is the sender's claim, not the sheet's size
    rows: list[list[str]] = []
    seen = 0
    for row in sheet.iter_rows(max_row=MAX_SHEET_ROWS + 1, max_col=MAX_TABLE_COLUMNS + 1, values_only=True):
        seen += 1
        cells = ["" if v is None else str(v) for v in row]
        while cells and cells[-1] == "":
            cells.pop()  # keep rows short: blank cells at the end are padded back later
        if len(cells) > MAX_TABLE_COLUMNS:
            check.add(ERROR, too_many_columns(None))
            return None
        if rows or cells:
            rows.append(cells)
    if seen > MAX_SHEET_ROWS:
        check.add(
            ERROR, f"The table has more than {MAX_ROWS:,} rows; England has 33,755 LSOAs. Upload one row per area."
        )
        return None
    return rows
