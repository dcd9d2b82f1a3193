"""The uploaded-table model: limits, messages, reference code lists, what a check found, the columns' meaning.

Pure (no Streamlit). :class:`UploadedTable` is an uploaded indicator table ready to map
(values by area code and a :class:`ColumnSpec` per column); :func:`make_indicator` turns one
column into an ``Indicator`` so the catalogue treats it like an official one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from placemap.data.indicators import (
    GEOGRAPHY_LABELS,
    UPLOADED_LICENCE,
    Geography,
    Indicator,
    Polarity,
    Ranking,
    Theme,
    ValueKind,
)

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


def too_many_columns(width: int | None) -> str:
    """The message for a table wider than ``MAX_TABLE_COLUMNS`` (``None``: width not counted to the end)."""
    count = f"{width:,} columns" if width else f"more than {MAX_TABLE_COLUMNS} columns"
    return (
        f"The table has {count}; Placemap reads tables of up to {MAX_TABLE_COLUMNS} columns (a column of area "
        f"codes or names and the indicators). Keep only the columns you need and upload again."
    )


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
        licence=UPLOADED_LICENCE,
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
