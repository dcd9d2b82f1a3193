"""Query parameters <-> view state. The shareable keys live here.

``parse_view`` is pure (testable without Streamlit): it validates every query
parameter and falls back to the default with a plain-language note, never an
exception. The Streamlit helpers below seed widgets from it and write the
current view back to the URL.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
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

    def to_params(self) -> dict[str, str]:
        return {
            YEAR: str(self.year), LA: ",".join(self.las), DOMAINS_KEY: ",".join(self.domains), PCT: str(self.pct),
            AT_LEAST: str(self.at_least), WEIGHTS: ",".join(f"{w:g}" for w in self.weights),
            SPREAD: str(self.spread), TOP_OF: self.top, SHOW: self.show,
        }  # fmt: skip


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
        if raw.isdigit() and int(raw) in years:
            year = int(raw)
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
    notes.append(f'"{_shown(raw)}" is not {what}; using the default.')
    return default


def _whole(params, key, low, high, default, what, notes) -> int:
    raw = _first(params.get(key))
    if not raw:
        return default
    if raw.isdigit() and low <= int(raw) <= high:
        return int(raw)
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
    parts = _split(raw)
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        values = ()
    if len(values) != len(default) or any(not 0 <= v <= 100 for v in values) or sum(values) <= 0:
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
) -> tuple[PriorityView, list[str]]:
    """Validate a priority-finder link: place, overlap rule, weights, stability settings, map shown."""
    year, las, notes = parse_place(params, la_options, years)
    default = PriorityView()
    raw = _split(_first(params.get(DOMAINS_KEY)))
    domains = tuple(dict.fromkeys(d for d in raw if d in domain_options[year]))
    dropped = [d for d in raw if d not in domain_options[year]]
    if dropped:
        notes.append(
            f"Not a domain Placemap can overlap in IoD{year}: {', '.join(_shown(d) for d in dropped)}; left out."
        )
    if not domains:
        domains = default.domains
    pct = _whole(params, PCT, 1, 50, default.pct, "The national threshold (percent)", notes)
    at_least = _whole(params, AT_LEAST, 1, len(domains), min(default.at_least, len(domains)), "'At least'", notes)
    weights = parse_weights(_first(params.get(WEIGHTS)), default.weights, notes)
    spread = _whole(params, SPREAD, 0, 90, default.spread, "The spread of the random weightings", notes)
    top = _choice(params, TOP_OF, STABILITY_REFERENCES, default.top, "a choice of top decile", notes)
    show = _choice(params, SHOW, PRIORITY_MAPS, default.show, "a map Placemap offers here", notes)
    view = PriorityView(year=year, las=las, domains=domains, pct=pct, at_least=at_least, weights=weights,
                        spread=spread, top=top, show=show)  # fmt: skip
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
        try:
            value = float(raw)
        except ValueError:
            value = float("nan")
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
        if raw.isdigit() and int(raw) in permutation_choices:
            permutations = int(raw)
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
