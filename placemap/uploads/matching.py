"""Match an uploaded table's keys to areas: which column holds codes or names, which geography, and numbers from text cells (pure).

LSOA codes of 2011 and 2021 are told apart by the codes that exist in only one of the two lists.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from placemap.uploads.table import (
    CODE_PATTERN,
    GEOGRAPHY_LABELS,
    INFO,
    LA,
    LSOA11,
    LSOA21,
    MISSING_MARKERS,
    WARD,
    WARNING,
    Geographies,
    Message,
    TableCheck,
    examples_text,
)

_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")


def code_geography(codes: pd.Series, geos: Geographies) -> tuple[str | None, list[Message]]:
    """Which geography a column of codes is in, and messages (e.g. mixed 2011 and 2021 LSOA codes).

    LSOA codes of 2011 and 2021 both start ``E01``; most are the same in both, so the
    choice rests on codes that exist in only one of the two lists.
    """
    messages: list[Message] = []
    unique = pd.Index(codes.dropna().unique())
    members = {g: isin_known(unique, geos.codes(g)) for g in (LSOA21, LSOA11, WARD, LA)}
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


def isin_known(values: pd.Series | pd.Index, known) -> np.ndarray:
    """A boolean array: which of ``values`` are in ``known`` (a set or mapping of codes)."""
    # Plain Python membership on a list: far faster than ``Series.isin`` on pandas' string dtype.
    items = values.tolist()
    return np.fromiter((v in known for v in items), dtype=bool, count=len(items))


def normalise_codes(column: pd.Series) -> pd.Series:
    """Codes as ONS writes them: upper case, no spaces (``" e01 000001"`` -> ``"E01000001"``)."""
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
        hits = int(isin_known(normalise_codes(sample), known).sum())
        if hits > best_hits:
            best, best_hits = column, hits
    if best is not None:
        return best, "code"
    names = _name_lookup(geos)
    for column in frame.columns:
        hits = int(isin_known(frame[column].head(2_000).str.casefold(), names).sum())
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


def match_names(column: pd.Series, geos: Geographies, check: TableCheck) -> tuple[pd.Series, str | None]:
    """Area codes for a column of exact area names (``NA`` where none or several match), and the geography."""
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
    missing = pd.Series(isin_known(text.str.casefold(), MISSING_MARKERS), index=text.index)
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


def unmatched_reason(geography: str | None, geos: Geographies):
    """A function giving, in plain words, why one code did not match ``geography``."""

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
