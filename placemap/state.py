"""Query parameters <-> view state. The shareable keys live here.

``parse_view`` is pure (testable without Streamlit): it validates every query
parameter and falls back to the default with a plain-language note, never an
exception. The Streamlit helpers below seed widgets from it and write the
current view back to the URL.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, replace

import streamlit as st

from placemap.catalogue import (
    DEFAULT_INDICATOR,
    DEFAULT_LA,
    DEFAULT_YEAR,
    VINTAGES,
    get_indicator,
)
from placemap.classify import MAX_CLASSES, MIN_CLASSES, PALETTES, SCHEMES
from placemap.maps import BASEMAPS
from placemap.prepare import escape_markdown

# Shareable query-parameter keys (short, stable: they appear in links people send).
YEAR, LA, INDICATOR, SCHEME, CLASSES, PALETTE, AREA, BASEMAP = "v", "la", "ind", "scheme", "k", "pal", "area", "base"
SHARE_KEYS = (YEAR, LA, INDICATOR, SCHEME, CLASSES, PALETTE, AREA, BASEMAP)

# Widget keys of the map explorer, namespaced by page.
W_YEAR, W_LA, W_DOMAIN, W_MEASURE = "map.year", "map.la", "map.domain", "map.measure"
W_SCHEME, W_CLASSES, W_PALETTE, W_BASEMAP, W_AREA = "map.scheme", "map.k", "map.palette", "map.basemap", "map.area"
W_MAP = "map.folium"
LAST_VIEW = "pm.view"  # survives page switches (not a widget key)
NOTES = "map.notes"

AREA_CODE_PATTERN = re.compile(r"^E0[0-9]{7}$")


@dataclass(frozen=True)
class View:
    """Everything that defines what the map explorer shows."""

    year: int = DEFAULT_YEAR
    la: str = DEFAULT_LA
    indicator: str = DEFAULT_INDICATOR
    scheme: str = "national_deciles"
    k: int = 10
    palette: str = "viridis"
    area: str | None = None
    basemap: str = "none"

    def to_params(self) -> dict[str, str]:
        """The view as query parameters (the selected area only when there is one)."""
        params = {
            YEAR: str(self.year),
            LA: self.la,
            INDICATOR: self.indicator,
            SCHEME: self.scheme,
            CLASSES: str(self.k),
            PALETTE: self.palette,
            BASEMAP: self.basemap,
        }
        if self.area:
            params[AREA] = self.area
        return params


def _first(value: object) -> str | None:
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    if value is None:
        return None
    return str(value).strip()


def _shown(value: str, limit: int = 40) -> str:
    # Echo untrusted input back briefly, escaped: notes are shown as markdown.
    return escape_markdown(value if len(value) <= limit else value[:limit] + "…")


def parse_view(params: Mapping[str, object], la_options: Mapping[int, Mapping[str, str]]) -> tuple[View, list[str]]:
    """Validate query parameters into a ``View`` and a list of notes for the user.

    Parameters
    ----------
    params : the raw query parameters (values may be strings or lists of strings)
    la_options : for each edition year, the LA codes (and names) it has

    Returns
    -------
    (view, notes) : every invalid value replaced by its default, one note per fix

    Example
    -------
    >>> view, notes = parse_view({"v": "1999"}, {2025: {"E06000009": "Blackpool"}})
    >>> view.year, notes
    (2025, ['The link asked for edition "1999", which Placemap does not have; showing IoD2025.'])
    """
    notes: list[str] = []
    default = View()
    values: dict[str, object] = {}

    raw = _first(params.get(YEAR))
    years = {v.year: v for v in VINTAGES}
    if raw:
        if raw.isdigit() and int(raw) in years:
            values["year"] = int(raw)
        else:
            notes.append(
                f'The link asked for edition "{_shown(raw)}", which Placemap does not have; showing IoD{default.year}.'
            )
    year = int(values.get("year", default.year))

    raw = _first(params.get(LA))
    if raw:
        options = la_options.get(year, {})
        by_name = {name.casefold(): code for code, name in options.items()}
        if raw in options:
            values["la"] = raw
        elif raw.casefold() in by_name:
            values["la"] = by_name[raw.casefold()]
        else:
            fallback = la_options.get(year, {}).get(default.la, default.la)
            notes.append(f'"{_shown(raw)}" is not a local authority in IoD{year}; showing {fallback}.')

    raw = _first(params.get(INDICATOR))
    if raw:
        try:
            ind = get_indicator(raw)
        except ValueError:
            notes.append(f'"{_shown(raw)}" is not an indicator Placemap knows; showing the IMD decile.')
        else:
            if year in ind.columns:
                values["indicator"] = raw
            else:
                notes.append(f"{ind.label} is not published in IoD{year}; showing the IMD decile.")

    raw = _first(params.get(SCHEME))
    if raw:
        if raw in SCHEMES:
            values["scheme"] = raw
        else:
            notes.append(f'"{_shown(raw)}" is not a classification scheme; using national deciles.')

    raw = _first(params.get(CLASSES))
    if raw:
        if raw.isdigit() and MIN_CLASSES <= int(raw) <= MAX_CLASSES:
            values["k"] = int(raw)
        else:
            notes.append(
                f"The number of classes must be a whole number from {MIN_CLASSES} to {MAX_CLASSES}; using {default.k}."
            )

    raw = _first(params.get(PALETTE))
    if raw:
        if raw in PALETTES:
            values["palette"] = raw
        else:
            notes.append(f'"{_shown(raw)}" is not a palette Placemap offers; using viridis.')

    raw = _first(params.get(BASEMAP))
    if raw:
        if raw in BASEMAPS:
            values["basemap"] = raw
        else:
            notes.append(f'"{_shown(raw)}" is not a basemap option; showing no basemap.')

    raw = _first(params.get(AREA))
    if raw:
        if AREA_CODE_PATTERN.match(raw.upper()):
            values["area"] = raw.upper()
        else:
            notes.append(f'"{_shown(raw)}" is not an LSOA code (they look like E01012345); no area is selected.')

    return replace(default, **values), notes


def view_from_dict(data: Mapping[str, object]) -> View:
    """Rebuild a ``View`` saved with ``asdict`` (the session's last view)."""
    return View(**{k: v for k, v in data.items() if k in View.__dataclass_fields__})


def read_view(la_options: Mapping[int, Mapping[str, str]]) -> tuple[View, list[str]]:
    """The view this session should start from: the URL if it has one, else the last view."""
    params = st.query_params.to_dict()
    if any(k in params for k in SHARE_KEYS):
        return parse_view(params, la_options)
    if LAST_VIEW in st.session_state:
        return view_from_dict(st.session_state[LAST_VIEW]), []
    return View(), []


def write_view(view: View) -> None:
    """Mirror the view into the URL (so it is a shareable link) and the session."""
    st.session_state[LAST_VIEW] = asdict(view)
    params = view.to_params()
    current = st.query_params.to_dict()
    if current != params:
        st.query_params.from_dict(params)


# --- Area profiles and comparisons ----------------------------------------------------------------
# Shareable keys reuse ``v``, ``la`` and ``area``; ``cmp`` lists the compared areas.
COMPARE = "cmp"
PROFILE_KEYS = (YEAR, LA, AREA)
COMPARE_KEYS = (YEAR, COMPARE)
W_P_YEAR, W_P_LA, W_P_AREA = "profile.year", "profile.la", "profile.area"
P_SYNCED, P_NOTES = "profile.synced", "profile.notes"  # the URL the page last wrote; fallback notes
W_C_YEAR, W_C_KIND, W_C_LAS = "compare.year", "compare.kind", "compare.las"
W_C_FROM, W_C_LSOAS = "compare.from", "compare.lsoas"
C_SYNCED, C_NOTES = "compare.synced", "compare.notes"
LSOA_CODE_PATTERN = re.compile(r"^E01[0-9]{6}$")
LA_CODE_PATTERN = re.compile(r"^E0[6-9][0-9]{6}$")
DEFAULT_COMPARE = ("E06000009", "E08000003")  # Blackpool and Manchester: in every edition
MAX_COMPARE = 6
DEFAULT_LA_NAME = "Blackpool"


@dataclass(frozen=True)
class ProfileView:
    """What the profile page shows: an LSOA (``area``) or, without one, the LA ``la``."""

    year: int = DEFAULT_YEAR
    la: str = DEFAULT_LA
    area: str | None = None

    def to_params(self) -> dict[str, str]:
        """The view as query parameters: ``v`` and ``la``, and ``area`` for an LSOA profile."""
        params = {YEAR: str(self.year), LA: self.la}
        if self.area:
            params[AREA] = self.area
        return params


@dataclass(frozen=True)
class CompareView:
    """What the compare page shows: 2 to 6 LSOAs or LAs of one edition."""

    year: int = DEFAULT_YEAR
    kind: str = "la"
    codes: tuple[str, ...] = DEFAULT_COMPARE

    def to_params(self) -> dict[str, str]:
        """The view as query parameters: ``v`` and ``cmp`` (comma-separated codes)."""
        return {YEAR: str(self.year), COMPARE: ",".join(self.codes)}


def _year_param(params: Mapping[str, object], notes: list[str]) -> tuple[int, bool]:
    raw = _first(params.get(YEAR))
    years = [v.year for v in VINTAGES]
    if raw and raw.isdigit() and int(raw) in years:
        return int(raw), True
    if raw:
        notes.append(
            f'The link asked for edition "{_shown(raw)}", which Placemap does not have; showing IoD{DEFAULT_YEAR}.'
        )
    return DEFAULT_YEAR, False


def _edition_order(year: int) -> list[int]:
    return [year] + [v.year for v in VINTAGES if v.year != year]


def parse_profile(
    params: Mapping[str, object],
    la_options: Mapping[int, Mapping[str, str]],
    area_la: Callable[[int, str], str | None],
) -> tuple[ProfileView, list[str]]:
    """Validate a profile link (``v``, ``la``, ``area``) into a ``ProfileView`` and notes.

    Parameters
    ----------
    params : the raw query parameters
    la_options : for each edition year, its LA codes and names
    area_la : ``area_la(year, lsoa_code)`` gives the LSOA's LA in that edition, or ``None``
        when the edition's geography has no such LSOA

    An LSOA or LA that is not in the asked edition's geography (2011 and 2021 LSOAs,
    2019 and 2024 LAs differ) opens in the newest edition that has it, with a note.

    Example
    -------
    >>> view, notes = parse_profile({"la": "Blackpool"}, {2025: {"E06000009": "Blackpool"}}, lambda y, c: None)
    >>> view.la, view.area, notes
    ('E06000009', None, [])
    """
    notes: list[str] = []
    year, explicit = _year_param(params, notes)
    raw_area = _first(params.get(AREA))
    if raw_area:
        code = raw_area.upper()
        if not LSOA_CODE_PATTERN.match(code):
            notes.append(f'"{_shown(raw_area)}" is not an LSOA code (they look like E01012345).')
        else:
            for y in _edition_order(year):
                if y not in la_options:
                    continue
                la = area_la(y, code)
                if la:
                    if y != year and explicit:
                        notes.append(f"{code} is not an LSOA of IoD{year}'s geography; showing IoD{y}.")
                    return ProfileView(year=y, la=la, area=code), notes
            notes.append(f"{code} is not an LSOA in any edition Placemap has.")
    raw_la = _first(params.get(LA))
    if raw_la:
        for y in _edition_order(year):
            options = la_options.get(y, {})
            by_name = {name.casefold(): c for c, name in options.items()}
            code = raw_la.upper() if raw_la.upper() in options else by_name.get(raw_la.casefold())
            if code:
                if y != year and explicit:
                    notes.append(f"{_shown(raw_la)} is not a local authority of IoD{year}'s geography; showing IoD{y}.")
                return ProfileView(year=y, la=code), notes
        notes.append(f'"{_shown(raw_la)}" is not a local authority Placemap knows; showing {DEFAULT_LA_NAME}.')
    return ProfileView(year=year), notes


def parse_compare(
    params: Mapping[str, object],
    la_options: Mapping[int, Mapping[str, str]],
    area_la: Callable[[int, str], str | None],
) -> tuple[CompareView, list[str]]:
    """Validate a compare link (``v``, ``cmp``) into a ``CompareView`` and notes.

    The first valid code decides whether LSOAs or LAs are compared; codes of the other
    kind, codes not in the edition, repeats and codes beyond six are dropped with a note.
    With fewer than two valid codes left, the default comparison is shown.

    Example
    -------
    >>> las = {2025: {"E06000009": "Blackpool", "E08000003": "Manchester"}}
    >>> parse_compare({"cmp": "E08000003,E06000009"}, las, lambda y, c: None)[0].codes
    ('E08000003', 'E06000009')
    """
    notes: list[str] = []
    year, _ = _year_param(params, notes)
    raw = _first(params.get(COMPARE)) or ""
    if not raw:
        return CompareView(year=year), notes
    codes = list(dict.fromkeys(c.strip().upper() for c in raw.split(",") if c.strip()))
    kind = next(
        (
            "lsoa" if LSOA_CODE_PATTERN.match(c) else "la"
            for c in codes
            if LSOA_CODE_PATTERN.match(c) or LA_CODE_PATTERN.match(c)
        ),
        None,
    )
    valid: list[str] = []
    for code in codes:
        if kind == "lsoa" and LSOA_CODE_PATTERN.match(code) and area_la(year, code):
            valid.append(code)
        elif kind == "la" and code in la_options.get(year, {}):
            valid.append(code)
        else:
            notes.append(
                f'"{_shown(code)}" is left out: it is not {"an LSOA" if kind == "lsoa" else "a local authority"} of IoD{year}.'
            )
    if len(valid) > MAX_COMPARE:
        notes.append(f"Up to {MAX_COMPARE} areas can be compared; the first {MAX_COMPARE} are shown.")
        valid = valid[:MAX_COMPARE]
    if len(valid) < 2 or kind is None:
        notes.append("Choose at least two areas to compare; showing an example.")
        return CompareView(year=year), notes
    return CompareView(year=year, kind=kind, codes=tuple(valid)), notes


def profile_href(year: int, code: str) -> str:
    """A relative link to the profile of an LSOA or LA (for tables and reports).

    Example
    -------
    >>> profile_href(2025, "E01033658")
    'profile?v=2025&area=E01033658'
    >>> profile_href(2019, "E08000003")
    'profile?v=2019&la=E08000003'
    """
    key = AREA if LSOA_CODE_PATTERN.match(code) else LA
    return f"profile?{YEAR}={year}&{key}={code}"


def compare_href(year: int, codes: list[str] | tuple[str, ...]) -> str:
    """A relative link to the compare page for these codes (at most ``MAX_COMPARE``)."""
    return f"compare?{YEAR}={year}&{COMPARE}={','.join(list(codes)[:MAX_COMPARE])}"
