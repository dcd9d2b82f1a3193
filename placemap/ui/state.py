"""Query parameters <-> view state. The shareable keys live here.

``parse_view`` is pure (testable without Streamlit): it validates every query
parameter and falls back to the default with a plain-language note, never an
exception. The Streamlit helpers below seed widgets from it and write the
current view back to the URL.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace

import streamlit as st

from placemap.analysis.classify import MAX_CLASSES, MIN_CLASSES, PALETTES, SCHEMES
from placemap.data.catalogue import (
    DEFAULT_INDICATOR,
    DEFAULT_LA,
    DEFAULT_YEAR,
    ENGLAND,
    VINTAGES,
    get_indicator,
)
from placemap.data.prepare import escape_markdown
from placemap.links.linkvalues import parse_decimal, parse_whole
from placemap.render.maps import BASEMAPS

# Shareable query-parameter keys (short, stable: they appear in links people send).
YEAR, LA, INDICATOR, SCHEME, CLASSES, PALETTE, AREA, BASEMAP = "v", "la", "ind", "scheme", "k", "pal", "area", "base"
REGION, GEOGRAPHY = "region", "geo"
SHARE_KEYS = (YEAR, LA, INDICATOR, SCHEME, CLASSES, PALETTE, AREA, BASEMAP, REGION, GEOGRAPHY)

# Kinds of place and the geographies a multi-LA place can be drawn at.
PLACE_LA, PLACE_LAS, PLACE_REGION, PLACE_ENGLAND = "la", "las", "region", "england"
PLACE_KINDS = {
    PLACE_LA: "One local authority",
    PLACE_LAS: "Several local authorities",
    PLACE_REGION: "A region",
    PLACE_ENGLAND: "All of England",
}
GEO_LSOA, GEO_LA = "lsoa", "la"
GEOGRAPHIES = {GEO_LSOA: "LSOAs (small areas)", GEO_LA: "Local authorities (summary)"}
MAX_LAS = 40

# Widget keys of the map explorer, namespaced by page.
W_YEAR, W_LA, W_DOMAIN, W_MEASURE = "map.year", "map.la", "map.domain", "map.measure"
W_SCHEME, W_CLASSES, W_PALETTE, W_BASEMAP, W_AREA = "map.scheme", "map.k", "map.palette", "map.basemap", "map.area"
W_MAP = "map.folium"
W_PLACE, W_LAS, W_REGION, W_GEO = "map.place", "map.las", "map.region", "map.geo"
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
    place: str = PLACE_LA
    las: tuple[str, ...] = ()
    region: str | None = None
    geo: str | None = None  # None: chosen by the size of the place

    def to_params(self) -> dict[str, str]:
        """The view as query parameters (the selected area only when there is one)."""
        params = {YEAR: str(self.year)}
        if self.place == PLACE_LA:
            params[LA] = self.la
        elif self.place == PLACE_LAS:
            params[LA] = ",".join(self.las)
        elif self.place == PLACE_REGION:
            params[REGION] = self.region or ""
        else:
            params[REGION] = ENGLAND
        params.update(
            {INDICATOR: self.indicator, SCHEME: self.scheme, CLASSES: str(self.k), PALETTE: self.palette,
             BASEMAP: self.basemap}
        )  # fmt: skip
        if self.place != PLACE_LA and self.geo:
            params[GEOGRAPHY] = self.geo
        if self.area:
            params[AREA] = self.area
        return params


def _first(value: object) -> str | None:
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    if value is None:
        return None
    return str(value).strip()


def _edition(raw: str | None) -> int | None:
    # An edition year as a link writes it ("2025"); ``None`` for anything else.
    return parse_whole(raw, 1000, 9999)


def _shown(value: str, limit: int = 40) -> str:
    # Echo untrusted input back briefly, escaped: notes are shown as markdown.
    return escape_markdown(value if len(value) <= limit else value[:limit] + "…")


def parse_view(
    params: Mapping[str, object],
    la_options: Mapping[int, Mapping[str, str]],
    region_options: Mapping[str, str] | None = None,
) -> tuple[View, list[str]]:
    """Validate query parameters into a ``View`` and a list of notes for the user.

    Parameters
    ----------
    params : the raw query parameters (values may be strings or lists of strings)
    la_options : for each edition year, the LA codes (and names) it has
    region_options : region code -> name

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
        if (year := _edition(raw)) in years:
            values["year"] = year
        else:
            notes.append(
                f'The link asked for edition "{_shown(raw)}", which Placemap does not have; showing IoD{default.year}.'
            )
    year = int(values.get("year", default.year))

    raw = _first(params.get(LA))
    if raw:
        options = la_options.get(year, {})
        by_name = {name.casefold(): code for code, name in options.items()}
        found = []
        for part in raw.split(",")[: MAX_LAS + 1]:
            part = part.strip()
            if part in options:
                found.append(part)
            elif part.casefold() in by_name:
                found.append(by_name[part.casefold()])
            elif part:
                fallback = "" if found or "," in raw else f"; showing {options.get(default.la, default.la)}"
                notes.append(f'"{_shown(part)}" is not a local authority in IoD{year}{fallback}.')
        found = list(dict.fromkeys(found))
        if len(found) > MAX_LAS:
            notes.append(f"At most {MAX_LAS} local authorities can be shown together; choose a region instead.")
            found = found[:MAX_LAS]
        if len(found) == 1:
            values["la"] = found[0]
        elif len(found) > 1:
            values["la"], values["las"], values["place"] = found[0], tuple(found), PLACE_LAS

    raw = _first(params.get(REGION))
    if raw:
        if raw.casefold() in (ENGLAND.casefold(), "england"):
            values["place"] = PLACE_ENGLAND
        elif raw.upper() in (region_options or {}):
            values["place"], values["region"] = PLACE_REGION, raw.upper()
        else:
            notes.append(f'"{_shown(raw)}" is not an English region code (E12000001 to E12000009) or England.')

    raw = _first(params.get(GEOGRAPHY))
    if raw:
        if raw in GEOGRAPHIES:
            values["geo"] = raw
        else:
            notes.append(f'"{_shown(raw)}" is not a geography; use "lsoa" or "la".')

    raw = _first(params.get(INDICATOR))
    if raw:
        try:
            ind = get_indicator(raw)
        except ValueError:
            notes.append(f'"{_shown(raw)}" is not an indicator Placemap knows; showing the IMD decile.')
        else:
            if ind.joins(year):
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
        k = parse_whole(raw, MIN_CLASSES, MAX_CLASSES)
        if k is not None:
            values["k"] = k
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
    values = {k: v for k, v in data.items() if k in View.__dataclass_fields__}
    values["las"] = tuple(values.get("las") or ())
    return View(**values)


def read_view(
    la_options: Mapping[int, Mapping[str, str]], region_options: Mapping[str, str] | None = None
) -> tuple[View, list[str]]:
    """The view this session should start from: the URL if it has one, else the last view."""
    params = st.query_params.to_dict()
    if any(k in params for k in SHARE_KEYS):
        return parse_view(params, la_options, region_options)
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


# --- Change over time and evaluation (issue 6) -------------------------------------------
# Shareable keys of the change page (``la`` and ``area`` are shared with the map explorer).
CHANGE_BEFORE, CHANGE_AFTER, CHANGE_DOMAIN, CHANGE_MEASURE = "from", "to", "dom", "cm"
CHANGE_KEYS = (CHANGE_BEFORE, CHANGE_AFTER, CHANGE_DOMAIN, CHANGE_MEASURE, LA, AREA)
# Widget keys of the change page.
W_CH_BEFORE, W_CH_AFTER, W_CH_DOMAIN, W_CH_MEASURE = "change.before", "change.after", "change.domain", "change.measure"
W_CH_LA, W_CH_AREA, W_CH_MAP, CH_NOTES = "change.la", "change.area", "change.folium", "change.notes"
# The evaluation page: one shareable key, the saved intervention's share id.
INTERVENTION = "intervention"
W_EV_BEFORE, W_EV_AFTER, W_EV_DOMAIN, W_EV_MEASURE = "eval.before", "eval.after", "eval.domain", "eval.measure"
W_EV_NAME, W_EV_LA, W_EV_CODES, W_EV_WARDS, W_EV_PASTE = (
    "eval.name",
    "eval.la",
    "eval.codes",
    "eval.wards",
    "eval.paste",
)
W_EV_K, W_EV_REGION, W_EV_EXCLUDE_LA = "eval.k", "eval.same_region", "eval.exclude_la"
W_EV_BOOT, W_EV_SEED, W_EV_MAP, EV_NOTES, EV_LOADED = (
    "eval.n_boot",
    "eval.seed",
    "eval.folium",
    "eval.notes",
    "eval.loaded",
)
EV_SAVED = "eval.saved"  # the definition last saved or opened (its link stays in the URL while unchanged)
W_CH_SUBDOMAINS = "change.subdomains"
W_EV_ADD_WARDS, W_EV_ADD_CODES, W_EV_CLEAR, W_EV_SAVE = "eval.add_wards", "eval.add_codes", "eval.clear", "eval.save"


@dataclass(frozen=True)
class ChangeView:
    """Everything that defines what the change page shows."""

    before: int = 2019
    after: int = 2025
    domain: str = "imd"
    measure: str = "position"
    la: str = DEFAULT_LA
    area: str | None = None

    def to_params(self) -> dict[str, str]:
        """The view as query parameters."""
        params = {
            CHANGE_BEFORE: str(self.before),
            CHANGE_AFTER: str(self.after),
            CHANGE_DOMAIN: self.domain,
            CHANGE_MEASURE: self.measure,
            LA: self.la,
        }
        if self.area:
            params[AREA] = self.area
        return params


def parse_change_view(
    params: Mapping[str, object], la_options: Mapping[int, Mapping[str, str]]
) -> tuple[ChangeView, list[str]]:
    """Validate the change page's query parameters into a ``ChangeView`` and notes for the user.

    ``la_options`` gives, per edition year, the LAs of that edition's geography; the LA is
    checked against the geography the comparison is shown on.

    Example
    -------
    >>> view, notes = parse_change_view({"from": "2025", "to": "2019"}, {2025: {}, 2019: {}})
    >>> (view.before, view.after), notes
    ((2019, 2025), ['The link asked to compare IoD2025 with IoD2019; the first edition must be the earlier one. Showing IoD2019 → IoD2025.'])
    """
    from placemap.analysis import change

    notes: list[str] = []
    default = ChangeView()
    values: dict[str, object] = {}
    years = {v.year for v in VINTAGES}
    raw_before, raw_after = _first(params.get(CHANGE_BEFORE)), _first(params.get(CHANGE_AFTER))
    before, after = default.before, default.after
    for raw, name in ((raw_before, "first"), (raw_after, "second")):
        if raw and _edition(raw) not in years:
            notes.append(
                f'The link asked for edition "{_shown(raw)}" as the {name} edition, which Placemap does not have.'
            )
    b_ok, a_ok = _edition(raw_before) in years, _edition(raw_after) in years
    if b_ok:
        before = _edition(raw_before)
    if a_ok:
        after = _edition(raw_after)
    if before >= after:
        if b_ok and a_ok:
            notes.append(
                f"The link asked to compare IoD{before} with IoD{after}; the first edition must be the earlier one. "
                f"Showing IoD{default.before} → IoD{default.after}."
            )
        elif b_ok or a_ok:
            notes.append(
                f"IoD{before} → IoD{after} is not a comparison; showing IoD{default.before} → IoD{default.after}."
            )
        before, after = default.before, default.after
    values["before"], values["after"] = before, after

    raw = _first(params.get(CHANGE_DOMAIN))
    if raw:
        allowed = {d.id for d in change.domains_with_ranks(before, after)}
        if raw in allowed:
            values["domain"] = raw
        else:
            notes.append(
                f'"{_shown(raw)}" is not a domain with ranks in both IoD{before} and IoD{after}; showing the IMD.'
            )

    raw = _first(params.get(CHANGE_MEASURE))
    if raw:
        if raw in change.MEASURES:
            values["measure"] = raw
        else:
            notes.append(f'"{_shown(raw)}" is not a change measure; showing the change in rank position.')

    raw = _first(params.get(LA))
    if raw:
        options = la_options.get(change.geography_year(before, after), {})
        by_name = {name.casefold(): code for code, name in options.items()}
        if raw in options:
            values["la"] = raw
        elif raw.casefold() in by_name:
            values["la"] = by_name[raw.casefold()]
        else:
            fallback = options.get(default.la, default.la)
            notes.append(f'"{_shown(raw)}" is not a local authority on this comparison\'s LSOAs; showing {fallback}.')

    raw = _first(params.get(AREA))
    if raw:
        if AREA_CODE_PATTERN.match(raw.upper()):
            values["area"] = raw.upper()
        else:
            notes.append(f'"{_shown(raw)}" is not an LSOA code (they look like E01012345); showing the whole LA.')
    return replace(default, **values), notes


def read_change_view(la_options: Mapping[int, Mapping[str, str]]) -> tuple[ChangeView, list[str]]:
    """The change view this session starts from: the URL's parameters (validated), else the defaults."""
    return parse_change_view(st.query_params.to_dict(), la_options)


def write_params(params: Mapping[str, str]) -> None:
    """Make the URL hold exactly ``params`` (only when they differ, to avoid needless reruns)."""
    if st.query_params.to_dict() != dict(params):
        st.query_params.from_dict(dict(params))


def parse_share_id(params: Mapping[str, object]) -> tuple[str | None, list[str]]:
    """The saved intervention a link asks for (``?intervention=<id>``), validated, with notes.

    Example
    -------
    >>> parse_share_id({"intervention": "<script>"})
    (None, ['"\\\\<script\\\\>" is not a saved intervention\\'s link id; starting a new intervention.'])
    """
    from placemap.storage.store import valid_share_id

    raw = _first(params.get(INTERVENTION))
    if not raw:
        return None, []
    if valid_share_id(raw):
        return raw, []
    return None, [f'"{_shown(raw)}" is not a saved intervention\'s link id; starting a new intervention.']


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
    if (year := _edition(raw)) in years:
        return year, True
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


# --- Workshops and initiatives (issue 7) -------------------------------------------------
# The workshop page's shareable keys (mode, step, ws, la) live in ``placemap.community.workshop``.
W_WS_STEP, W_WS_BIG, W_WS_MAP, WS_NOTES, WS_PIN = "ws.step", "ws.big", "ws.folium", "ws.notes", "ws.pin"
W_WS_CATEGORY, W_WS_TEXT, W_WS_NAME, W_WS_PIN_KIND = "ws.category", "ws.text", "ws.first_name", "ws.pin_kind"
W_WS_PASSCODE, WS_FACILITATOR, WS_PARTICIPANT, WS_LOADED = (
    "ws.passcode",
    "ws.facilitator",
    "ws.participant",
    "ws.loaded",
)
W_WS_NEW_NAME, W_WS_NEW_VOTES, W_WS_PRIORITY, W_WS_SCORE_PLACE = (
    "ws.new_name",
    "ws.new_votes",
    "ws.priority",
    "ws.score_place",
)
W_IN_LA, W_IN_MAP, W_IN_FILTER_DOMAIN, W_IN_FILTER_SECTOR, W_IN_FILTER_STATUS, W_IN_FILTER_TEXT = (
    "init.la",
    "init.folium",
    "init.f_domain",
    "init.f_sector",
    "init.f_status",
    "init.f_text",
)


# --- Bring your own data (issue 8) -------------------------------------------------------
# One shareable key: a saved upload's share id (``?upload=<id>``).
UPLOAD = "upload"
UPLOADS = "pm.uploads"  # this session's uploaded datasets: id -> digest in ``registry.UPLOADS``
UP_NOTES, UP_LOADED = "upload.notes", "upload.loaded"
W_MAP_UPLOADED = "map.uploaded"  # the map explorer's "Your data" picker
W_UP_TABLE, W_UP_TABLE_GEO, W_UP_NAME, W_UP_SOURCE = "upload.table", "upload.table_geo", "upload.name", "upload.source"
W_UP_BOUNDS, W_UP_CRS, W_UP_NAME_COL, W_UP_YEAR = "upload.bounds", "upload.crs", "upload.name_col", "upload.year"
W_UP_MEASURE, W_UP_MAP, W_UP_ADD, W_UP_SAVE = "upload.measure", "upload.folium", "upload.add", "upload.save"
W_UP_B_NAME, W_UP_B_SOURCE, W_UP_B_ADD = "upload.b_name", "upload.b_source", "upload.b_add"


def parse_upload_id(params: Mapping[str, object]) -> tuple[str | None, list[str]]:
    """The saved upload a link asks for (``?upload=<id>``), validated, with notes.

    Example
    -------
    >>> parse_upload_id({"upload": "../etc"})
    (None, ['"\\\\.\\\\./etc" is not a saved dataset\\'s link id.'])
    """
    from placemap.storage.store import valid_share_id

    raw = _first(params.get(UPLOAD))
    if not raw:
        return None, []
    if valid_share_id(raw):
        return raw, []
    return None, [f'"{_shown(raw)}" is not a saved dataset\'s link id.']


# ---------------------------------------------------------------------------------------
# Systems view, priority finder and hot spots (issue 5). Same rules as ``parse_view``:
# every query parameter is validated, and an invalid one falls back with a note.

# Shareable keys of these pages (``v``, ``la`` and ``area`` as above; ``la`` may list
# several LA codes or names separated by commas).
X_IND, Y_IND, COLOUR_BY, THIRDS_OF = "x", "y", "col", "thirds"
DOMAINS_KEY, PCT, AT_LEAST, WEIGHTS, SPREAD, TOP_OF, SHOW = "doms", "pct", "n", "w", "spread", "top", "show"
DOMAIN, METHOD, ALPHA, FDR, PERMUTATIONS = "dom", "stat", "alpha", "fdr", "perm"
MAX_LAS = 10

# Widget keys, namespaced by page.
W_SYS = "systems."
W_PRI = "priority."
W_HOT = "hotspots."
SYS_LAST, PRI_LAST, HOT_LAST = "pm.systems", "pm.priority", "pm.hotspots"

PRIORITY_MAPS = {
    "overlap": "Overlap: how many of the chosen domains",
    "composite": "Composite index: national decile at the chosen weights",
    "stability": "Rank stability: how often in the most deprived 10%",
}
STABILITY_REFERENCES = {"england": "England's most deprived 10%", "place": "The place's most deprived 10%"}


@dataclass(frozen=True)
class SystemsView:
    """What the systems view shows."""

    year: int = DEFAULT_YEAR
    las: tuple[str, ...] = (DEFAULT_LA,)
    x: str = "income_rank"
    y: str = "education_rank"
    colour: str = "ruc"
    thirds: str = "place"
    area: str | None = None

    def to_params(self) -> dict[str, str]:
        params = {YEAR: str(self.year), LA: ",".join(self.las), X_IND: self.x, Y_IND: self.y,
                  COLOUR_BY: self.colour, THIRDS_OF: self.thirds}  # fmt: skip
        if self.area:
            params[AREA] = self.area
        return params


@dataclass(frozen=True)
class PriorityView:
    """What the priority finder shows. ``weights`` are percentages in ``priority.SEVEN_DOMAINS`` order."""

    year: int = DEFAULT_YEAR
    las: tuple[str, ...] = (DEFAULT_LA,)
    domains: tuple[str, ...] = ("income", "employment", "education", "health")
    pct: int = 10
    at_least: int = 3
    weights: tuple[float, ...] = (22.5, 22.5, 13.5, 13.5, 9.3, 9.3, 9.3)
    spread: int = 50
    top: str = "england"
    show: str = "overlap"
    # Uploaded data (issue 8): overlap conditions (id, rule, number) and one composite component (id, weight).
    conditions: tuple[tuple[str, str, float], ...] = ()
    component: tuple[str, float] | None = None

    def to_params(self) -> dict[str, str]:
        params = {
            YEAR: str(self.year), LA: ",".join(self.las), DOMAINS_KEY: ",".join(self.domains), PCT: str(self.pct),
            AT_LEAST: str(self.at_least), WEIGHTS: ",".join(f"{w:g}" for w in self.weights),
            SPREAD: str(self.spread), TOP_OF: self.top, SHOW: self.show,
        }  # fmt: skip
        if self.conditions:
            params[UP_CONDITIONS] = ",".join(f"{i}~{rule}~{number:g}" for i, rule, number in self.conditions)
        if self.component:
            params[UP_COMPONENT] = f"{self.component[0]}~{self.component[1]:g}"
        return params


@dataclass(frozen=True)
class HotspotView:
    """What the hot-spot page shows."""

    year: int = DEFAULT_YEAR
    las: tuple[str, ...] = (DEFAULT_LA,)
    domain: str = "imd"
    method: str = "lisa"
    alpha: float = 0.05
    fdr: bool = False
    permutations: int = 999

    def to_params(self) -> dict[str, str]:
        return {
            YEAR: str(self.year), LA: ",".join(self.las), DOMAIN: self.domain, METHOD: self.method,
            ALPHA: f"{self.alpha:g}", FDR: "1" if self.fdr else "0", PERMUTATIONS: str(self.permutations),
        }  # fmt: skip


def _split(raw: str | None) -> list[str]:
    return [part.strip() for part in (raw or "").split(",") if part.strip()]


def parse_place(
    params: Mapping[str, object], la_options: Mapping[int, Mapping[str, str]], years: tuple[int, ...]
) -> tuple[int, tuple[str, ...], list[str]]:
    """The edition and local authorities of a link, for the pages that take several LAs.

    ``la`` may hold up to ``MAX_LAS`` LA codes or exact names, comma-separated (or the
    parameter repeated). Unknown ones are dropped with a note; with none left, the
    default LA is used.

    Example
    -------
    >>> parse_place({"la": "E06000009,Nowhere"}, {2025: {"E06000009": "Blackpool"}}, (2025,))
    (2025, ('E06000009',), ['"Nowhere" is not a local authority in IoD2025; left out.'])
    """
    notes: list[str] = []
    year = years[0] if DEFAULT_YEAR not in years else DEFAULT_YEAR
    raw = _first(params.get(YEAR))
    if raw:
        if _edition(raw) in years:
            year = _edition(raw)
        else:
            offered = " and ".join(f"IoD{y}" for y in years)
            notes.append(f'This page shows {offered}; the link asked for "{_shown(raw)}", so it shows IoD{year}.')
    value = params.get(LA)
    parts = [p for v in value for p in _split(str(v))] if isinstance(value, (list, tuple)) else _split(_first(value))
    options = la_options.get(year, {})
    by_name = {name.casefold(): code for code, name in options.items()}
    las: list[str] = []
    for part in parts:
        code = part if part in options else by_name.get(part.casefold())
        if code is None:
            notes.append(f'"{_shown(part)}" is not a local authority in IoD{year}; left out.')
        elif code not in las:
            las.append(code)
    if len(las) > MAX_LAS:
        notes.append(f"A place can combine up to {MAX_LAS} local authorities; the first {MAX_LAS} are shown.")
        las = las[:MAX_LAS]
    if not las:
        fallback = DEFAULT_LA if DEFAULT_LA in options else next(iter(options), DEFAULT_LA)
        if parts:
            notes.append(f"No local authority in the link was found; showing {options.get(fallback, fallback)}.")
        las = [fallback]
    return year, tuple(las), notes


def _choice(params: Mapping[str, object], key: str, options, default, what: str, notes: list[str]):
    raw = _first(params.get(key))
    if not raw:
        return default
    if raw in options:
        return raw
    if raw.startswith("upload_"):
        notes.append(uploaded_id_note(raw))
        return default
    notes.append(f'"{_shown(raw)}" is not {what}; using the default.')
    return default


def _whole(params, key, low, high, default, what, notes) -> int:
    raw = _first(params.get(key))
    if not raw:
        return default
    value = parse_whole(raw, low, high)
    if value is not None:
        return value
    notes.append(f"{what} must be a whole number from {low} to {high}; using {default}.")
    return default


def parse_systems_view(
    params: Mapping[str, object],
    la_options: Mapping[int, Mapping[str, str]],
    years: tuple[int, ...],
    axis_options: Mapping[int, Mapping[str, str]],
    colour_options: Mapping[int, Mapping[str, str]],
) -> tuple[SystemsView, list[str]]:
    """Validate a systems-view link: place, the two axes, colour, thirds and the selected LSOA.

    ``axis_options``/``colour_options`` give, per edition, the indicator ids allowed on an
    axis and what the points can be coloured by (``systems.axis_options``/``colour_options``).
    """
    year, las, notes = parse_place(params, la_options, years)
    default = SystemsView()
    x = _choice(params, X_IND, axis_options[year], default.x, f"an indicator of IoD{year} for the x axis", notes)
    y = _choice(params, Y_IND, axis_options[year], default.y, f"an indicator of IoD{year} for the y axis", notes)
    colour = _choice(params, COLOUR_BY, colour_options[year], default.colour, "a colour option", notes)
    thirds = _choice(params, THIRDS_OF, ("place", "england"), default.thirds, "a choice of thirds", notes)
    area = None
    raw = _first(params.get(AREA))
    if raw:
        if AREA_CODE_PATTERN.match(raw.upper()):
            area = raw.upper()
        else:
            notes.append(f'"{_shown(raw)}" is not an LSOA code (they look like E01012345); no area is selected.')
    view = SystemsView(year=year, las=las, x=x, y=y, colour=colour, thirds=thirds, area=area)
    return view, notes


def parse_weights(raw: str | None, default: tuple[float, ...], notes: list[str]) -> tuple[float, ...]:
    """Seven comma-separated percentages (zero or more, not all zero), or ``default`` with a note.

    Example
    -------
    >>> parse_weights("50,50,0,0,0,0,0", (1.0,) * 7, [])
    (50.0, 50.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    """
    if not raw:
        return default
    parsed = [parse_decimal(p, 0, 100) for p in _split(raw)]
    values = tuple(parsed) if None not in parsed else ()
    if len(values) != len(default) or sum(values) <= 0:
        notes.append(
            f"The weights in the link must be {len(default)} numbers from 0 to 100, not all zero; "
            "using the official IMD weights."
        )
        return default
    return values


def parse_priority_view(
    params: Mapping[str, object],
    la_options: Mapping[int, Mapping[str, str]],
    years: tuple[int, ...],
    domain_options: Mapping[int, Sequence[str]],
    upload_options: Mapping[int, Sequence[str]] | None = None,
) -> tuple[PriorityView, list[str]]:
    """Validate a priority-finder link: place, overlap rule, weights, stability settings, map shown.

    ``upload_options`` lists, per edition, the uploaded indicator ids this session has
    (``uc`` conditions and the ``ucw`` component may use only those).
    """
    year, las, notes = parse_place(params, la_options, years)
    default = PriorityView()
    raw = _split(_first(params.get(DOMAINS_KEY)))
    domains = tuple(dict.fromkeys(d for d in raw if d in domain_options[year]))
    dropped = [d for d in raw if d not in domain_options[year]]
    if dropped:
        notes.append(
            f"Not a domain Placemap can overlap in IoD{year}: {', '.join(_shown(d) for d in dropped)}; left out."
        )
    uploads = (upload_options or {}).get(year, ())
    conditions = parse_upload_conditions(_first(params.get(UP_CONDITIONS)), uploads, notes)
    component = parse_upload_component(_first(params.get(UP_COMPONENT)), uploads, notes)
    if not domains and not conditions:
        domains = default.domains
    n_conditions = len(domains) + len(conditions)
    pct = _whole(params, PCT, 1, 50, default.pct, "The national threshold (percent)", notes)
    at_least = _whole(params, AT_LEAST, 1, n_conditions, min(default.at_least, n_conditions), "'At least'", notes)
    weights = parse_weights(_first(params.get(WEIGHTS)), default.weights, notes)
    spread = _whole(params, SPREAD, 0, 90, default.spread, "The spread of the random weightings", notes)
    top = _choice(params, TOP_OF, STABILITY_REFERENCES, default.top, "a choice of top decile", notes)
    show = _choice(params, SHOW, PRIORITY_MAPS, default.show, "a map Placemap offers here", notes)
    view = PriorityView(year=year, las=las, domains=domains, pct=pct, at_least=at_least, weights=weights,
                        spread=spread, top=top, show=show, conditions=conditions, component=component)  # fmt: skip
    return view, notes


def parse_hotspot_view(
    params: Mapping[str, object],
    la_options: Mapping[int, Mapping[str, str]],
    years: tuple[int, ...],
    domain_options: Mapping[int, Sequence[str]],
    methods: Sequence[str],
    alphas: Sequence[float],
    permutation_choices: Sequence[int],
) -> tuple[HotspotView, list[str]]:
    """Validate a hot-spot link: place, domain, statistic, significance level, FDR, permutations."""
    year, las, notes = parse_place(params, la_options, years)
    default = HotspotView()
    domain = _choice(params, DOMAIN, domain_options[year], default.domain, f"a domain of IoD{year}", notes)
    method = _choice(params, METHOD, methods, default.method, "a hot-spot statistic", notes)
    alpha = default.alpha
    raw = _first(params.get(ALPHA))
    if raw:
        value = parse_decimal(raw, 0, 1)
        if value in alphas:
            alpha = value
        else:
            offered = ", ".join(f"{a:g}" for a in alphas)
            notes.append(f"The significance level must be one of {offered}; using {default.alpha:g}.")
    raw = _first(params.get(FDR))
    fdr = default.fdr
    if raw:
        if raw in ("0", "1"):
            fdr = raw == "1"
        else:
            notes.append('The FDR option must be "1" (on) or "0" (off); FDR is off.')
    permutations = default.permutations
    raw = _first(params.get(PERMUTATIONS))
    if raw:
        if (number := parse_whole(raw, 0, max(permutation_choices, default=0))) in permutation_choices:
            permutations = number
        else:
            offered = ", ".join(str(p) for p in permutation_choices)
            notes.append(f"The number of permutations must be one of {offered}; using {default.permutations}.")
    view = HotspotView(year=year, las=las, domain=domain, method=method, alpha=alpha, fdr=fdr,
                       permutations=permutations)  # fmt: skip
    return view, notes


LAST_PLACE = "pm.place"  # the place last shown by one of these pages (not a widget key)


def _explorer_place() -> dict[str, str] | None:
    explorer = st.session_state.get(LAST_VIEW)
    if not explorer:
        return None
    return {YEAR: str(explorer.get("year", "")), LA: str(explorer.get("la", ""))}


def read_page_view(parse, last_key: str, share_keys: tuple[str, ...]):
    """The view a page starts from: its link if the URL has one of ``share_keys``, else the
    session's last view of the page, else the place last shown on any page, else the defaults.

    ``parse(params)`` validates a parameter mapping into ``(view, notes)``. "The place last
    shown" is the one these pages last showed, unless the map explorer changed place since.
    """
    params = st.query_params.to_dict()
    if any(k in params for k in share_keys):
        return parse(params)
    if last_key in st.session_state:
        view, _ = parse(st.session_state[last_key])
        return view, []
    place = st.session_state.get(LAST_PLACE)
    explorer = _explorer_place()
    if place and (explorer is None or explorer == place.get("explorer")):
        view, _ = parse(place["params"])
        return view, []
    if explorer:
        view, _ = parse(explorer)
        return view, []
    return parse({})


def write_page_view(params: dict[str, str], last_key: str) -> None:
    """Mirror a page's view into the URL (a shareable link) and the session."""
    st.session_state[last_key] = dict(params)
    st.session_state[LAST_PLACE] = {"params": {YEAR: params[YEAR], LA: params[LA]}, "explorer": _explorer_place()}
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)


# ---------------------------------------------------------------------------------------
# Uploaded indicators on the systems view, priority finder and hot spots (issue 8). An
# uploaded id (``upload_<dataset>_<n>``) in a link is accepted only when this session holds
# that upload; otherwise a plain note, and the page falls back.

UP_CONDITIONS, UP_COMPONENT = "uc", "ucw"
UP_RULES = ("place", "value")
# The links each of these pages reads (a link with none of them opens the session's last view).
SYSTEMS_KEYS = (YEAR, LA, X_IND, Y_IND, COLOUR_BY, THIRDS_OF, AREA)
PRIORITY_KEYS = (YEAR, LA, DOMAINS_KEY, PCT, AT_LEAST, WEIGHTS, SPREAD, TOP_OF, SHOW, UP_CONDITIONS, UP_COMPONENT)
HOTSPOT_KEYS = (YEAR, LA, DOMAIN, METHOD, ALPHA, FDR, PERMUTATIONS)


def uploaded_id_note(raw: str) -> str:
    """The note for an uploaded indicator id a link names but this session does not have.

    Example
    -------
    >>> "this browser session does not have" in uploaded_id_note("upload_ab12_0")
    True
    """
    return (
        f'The link names uploaded data ("{_shown(raw)}") that this browser session does not have: uploads stay in '
        "the session that made them. Open the dataset's saved link (?upload=…) or upload it again on the "
        "Bring your own data page; showing the default instead."
    )


def parse_upload_conditions(
    raw: str | None, allowed: Sequence[str], notes: list[str]
) -> tuple[tuple[str, str, float], ...]:
    """Uploaded overlap conditions ``id~rule~number`` (comma-separated), validated, with notes.

    ``rule`` is ``place`` (worst ``number`` % of the place, 1 to 100) or ``value`` (a
    threshold in the indicator's units, any finite number).

    Example
    -------
    >>> parse_upload_conditions("upload_a_0~place~20,upload_a_1~value~3.5", ["upload_a_0", "upload_a_1"], [])
    (('upload_a_0', 'place', 20.0), ('upload_a_1', 'value', 3.5))
    """
    out: dict[str, tuple[str, str, float]] = {}
    for part in _split(raw):
        pieces = part.split("~")
        if len(pieces) != 3 or pieces[1] not in UP_RULES:
            notes.append(
                f'"{_shown(part)}" is not a condition on uploaded data (id~place~20 or id~value~3.5); left out.'
            )
            continue
        indicator_id, rule, number_text = pieces
        if indicator_id not in allowed:
            notes.append(uploaded_id_note(indicator_id))
            continue
        number = parse_decimal(number_text) if rule == "value" else parse_decimal(number_text, 0, 100)
        if number is None or (rule == "place" and number == 0):
            notes.append(f'The number in "{_shown(part)}" is not usable; that condition was left out.')
            continue
        out.setdefault(indicator_id, (indicator_id, rule, number))
    return tuple(out.values())


def parse_upload_component(raw: str | None, allowed: Sequence[str], notes: list[str]) -> tuple[str, float] | None:
    """The composite index's uploaded component ``id~weight`` (0 to 100), validated, with notes.

    Example
    -------
    >>> parse_upload_component("upload_a_0~15", ["upload_a_0"], [])
    ('upload_a_0', 15.0)
    """
    if not raw:
        return None
    pieces = raw.split("~")
    if len(pieces) != 2:
        notes.append(f'"{_shown(raw)}" is not an uploaded component (id~weight); the index uses the seven domains.')
        return None
    indicator_id, weight_text = pieces
    if indicator_id not in allowed:
        notes.append(uploaded_id_note(indicator_id))
        return None
    weight = parse_decimal(weight_text, 0, 100)
    if weight is None:
        notes.append("The weight of your data must be a number from 0 to 100; the index uses the seven domains.")
        return None
    return indicator_id, weight


# Workshop note form: the text of the note just saved. Until the next submit, any run that finds the
# text box still holding exactly that text empties it before drawing it (a widget's value cannot be
# changed once it is on the page). Not a one-shot flag: a live-refresh run that was already on its
# way carries the browser's old form value and would put the saved text back.
WS_SAVED_TEXT = "ws.saved_text"
WS_DRAWN = "ws.drawn"  # the live fingerprint of notes and votes this screen last drew
W_WS_SUBMIT = "ws.note_submit"

# --- Uploaded areas on the profile page (issue 8) ------------------------------------------
# ``?upload_area=<dataset id>:<area id>`` opens the profile of one of the session's uploaded areas.
UPLOAD_AREA = "upload_area"
W_P_UPLOAD_AREA, P_UA_SYNCED = "profile.upload_area", "profile.upload_area_synced"
P_UA_VIEW = "profile.upload_area_view"  # the LA and LSOA pickers' values on the last run

# --- Change and evaluation with uploaded data (issue 8) ----------------------------------
# Shareable keys of the change page's "your data" mode: the uploaded dataset's id (a saved
# upload's share id opens it from the database) and the 1-based positions of its two columns.
UP_DATASET, UP_BEFORE, UP_AFTER = "ud", "ub", "ua"
UPLOAD_CHANGE_KEYS = (UP_DATASET, UP_BEFORE, UP_AFTER, LA, AREA)
CH_SOURCE_IOD, CH_SOURCE_UPLOAD = "iod", "upload"
W_CH_SOURCE, W_CH_TABLE, W_CH_UBEFORE, W_CH_UAFTER = "change.source", "change.table", "change.ubefore", "change.uafter"
W_CH_LITTLE, W_CH_ULA, W_CH_UAREA, CH_UP_NOTES = "change.little", "change.ula", "change.uarea", "change.up_notes"
W_CH_UMAP = "change.ufolium"
# The evaluation page: treated LSOAs from uploaded areas, and an uploaded outcome.
W_EV_AREAS_SET, W_EV_AREAS, W_EV_SHARE, W_EV_ADD_AREAS = "eval.areas_set", "eval.areas", "eval.share", "eval.add_areas"
W_EV_OUTCOME, W_EV_OTABLE, W_EV_OBEFORE, W_EV_OAFTER = "eval.outcome", "eval.otable", "eval.obefore", "eval.oafter"
EV_RULE = "eval.selection_rule"  # how the treated LSOAs were chosen from uploaded areas (saved with the intervention)


@dataclass(frozen=True)
class UploadChangeLink:
    """What a change-page link asks of uploaded data (``None`` where it asks nothing valid)."""

    dataset: str | None = None
    before: int | None = None  # 0-based column positions
    after: int | None = None


def parse_upload_change_link(params: Mapping[str, object], max_columns: int = 20) -> tuple[UploadChangeLink, list[str]]:
    """Validate ``ud``, ``ub`` and ``ua`` (1-based column numbers) of a change-page link, with notes.

    Example
    -------
    >>> parse_upload_change_link({"ud": "a1b2c3d4", "ub": "1", "ua": "x"})
    (UploadChangeLink(dataset='a1b2c3d4', before=0, after=None), ['"x" is not a column number of your data (1 to 20); using the last column.'])
    >>> parse_upload_change_link({"ud": "<b>"})[1]
    ['"\\\\<b\\\\>" is not an uploaded dataset\\'s id; showing the Indices of Deprivation.']
    """
    from placemap.storage.store import valid_share_id

    notes: list[str] = []
    raw = _first(params.get(UP_DATASET))
    dataset = None
    if raw:
        if valid_share_id(raw):
            dataset = raw
        else:
            notes.append(f'"{_shown(raw)}" is not an uploaded dataset\'s id; showing the Indices of Deprivation.')
    positions: list[int | None] = []
    for key, fallback in ((UP_BEFORE, "the first"), (UP_AFTER, "the last")):
        value = _first(params.get(key))
        if not value or dataset is None:
            positions.append(None)
        elif (number := parse_whole(value, 1, max_columns)) is not None:
            positions.append(number - 1)
        else:
            notes.append(
                f'"{_shown(value)}" is not a column number of your data (1 to {max_columns}); using {fallback} column.'
            )
            positions.append(None)
    return UploadChangeLink(dataset, positions[0], positions[1]), notes


@dataclass(frozen=True)
class UploadChangeView:
    """What the change page shows in "your data" mode; ``problem`` says why there is nothing to compare."""

    dataset: str
    before: int = 0
    after: int = 1
    la: str = DEFAULT_LA
    area: str | None = None
    little: float | None = None
    year: int = 2025  # the edition whose LSOAs the change is shown on
    problem: str = ""

    def to_params(self) -> dict[str, str]:
        """The view as query parameters (column numbers 1-based)."""
        params = {UP_DATASET: self.dataset, UP_BEFORE: str(self.before + 1), UP_AFTER: str(self.after + 1), LA: self.la}
        if self.area:
            params[AREA] = self.area
        return params
