"""File exports: tables as CSV that spreadsheets cannot execute."""

from __future__ import annotations

import pandas as pd

# A cell starting with one of these can run as a formula in Excel, LibreOffice or
# Google Sheets (OWASP "CSV injection"); tab and carriage return start one too.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> object:
    """Prefix a text cell that a spreadsheet would run as a formula with ``'``.

    Numbers are left alone (a negative number is data, not a formula).

    Example
    -------
    >>> neutralise_cell('=HYPERLINK("http://x")')
    '\\'=HYPERLINK("http://x")'
    >>> neutralise_cell(-1.5)
    -1.5
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def to_safe_csv(frame: pd.DataFrame, header_lines: list[str] | None = None) -> bytes:
    """CSV bytes (UTF-8 with BOM, for Excel) with formula-like text cells neutralised.

    ``header_lines`` (e.g. title, source, licence) are written first as ``# `` comment lines.
    """
    safe = frame.copy()
    safe.columns = [neutralise_cell(str(c)) for c in safe.columns]
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise_cell)
    prefix = "".join(f"# {neutralise_cell(line)}\n" for line in header_lines or [])
    return ("\ufeff" + prefix + safe.to_csv(index=False)).encode("utf-8")
