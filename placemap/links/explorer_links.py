"""The map explorer's link: its shareable keys, the ``View`` it describes, and parsing it.

``parse_view`` is pure: it validates every query parameter and falls back to the default with a
plain-language note, never an exception."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from placemap.analysis.classify import MAX_CLASSES, MIN_CLASSES, PALETTES, SCHEMES
from placemap.data.catalogue import (
    DEFAULT_INDICATOR,
    DEFAULT_LA,
    DEFAULT_YEAR,
    ENGLAND,
    VINTAGES,
    get_indicator,
)
from placemap.data.place_types import PLACE_TYPES, types_for
from placemap.links.linkvalues import parse_whole
from placemap.links.params import (
    AREA_CODE_PATTERN,
    first_value,
    known_edition,
    la_code_named,
    missing_edition_note,
    pick_choice,
    shown,
)
from placemap.render.maps import BASEMAPS
from placemap.render.place_maps import LEVEL_MEASURES, MAP_LEVELS

# Shareable query-parameter keys (short, stable: they appear in links people send).
YEAR, LA, INDICATOR, SCHEME, CLASSES, PALETTE, AREA, BASEMAP = "v", "la", "ind", "scheme", "k", "pal", "area", "base"


REGION, GEOGRAPHY = "region", "geo"


# "Show areas as": the place type drawn, the File 10 measure colouring it, and the selected place's code.
LEVEL, LEVEL_MEASURE, LEVEL_PLACE = "level", "measure", "sel"


SHARE_KEYS = (
    YEAR,
    LA,
    INDICATOR,
    SCHEME,
    CLASSES,
    PALETTE,
    AREA,
    BASEMAP,
    REGION,
    GEOGRAPHY,
    LEVEL,
    LEVEL_MEASURE,
    LEVEL_PLACE,
)


LEVEL_LSOA, DEFAULT_LEVEL_MEASURE = "lsoa", "average_rank"
NATIONAL_LEVELS = ("la", "utla", "cauth", "icb")  # drawn for all of England whatever the place


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


MAX_LAS = 40  # the map explorer's 'Several local authorities'


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
    level: str = LEVEL_LSOA
    measure: str = DEFAULT_LEVEL_MEASURE
    level_place: str | None = None  # the code of the selected place at ``level``

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
            {
                INDICATOR: self.indicator,
                SCHEME: self.scheme,
                CLASSES: str(self.k),
                PALETTE: self.palette,
                BASEMAP: self.basemap,
            }
        )
        if self.place != PLACE_LA and self.geo:
            params[GEOGRAPHY] = self.geo
        if self.area and self.level == LEVEL_LSOA:
            params[AREA] = self.area
        if self.level != LEVEL_LSOA:
            params[LEVEL], params[LEVEL_MEASURE] = self.level, self.measure
            if self.level_place:
                params[LEVEL_PLACE] = self.level_place
        return params


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

    raw = first_value(params.get(YEAR))
    year = known_edition(raw, {v.year for v in VINTAGES})
    if raw and year is None:
        notes.append(missing_edition_note(raw, default.year))
    values["year"] = year = year or default.year

    raw = first_value(params.get(LA))
    if raw:
        options = la_options.get(year, {})
        found = []
        for part in raw.split(",")[: MAX_LAS + 1]:
            part = part.strip()
            if code := la_code_named(part, options):
                found.append(code)
            elif part:
                fallback = "" if found or "," in raw else f"; showing {options.get(default.la, default.la)}"
                notes.append(f'"{shown(part)}" is not a local authority in IoD{year}{fallback}.')
        found = list(dict.fromkeys(found))
        if len(found) > MAX_LAS:
            notes.append(f"At most {MAX_LAS} local authorities can be shown together; choose a region instead.")
            found = found[:MAX_LAS]
        if len(found) == 1:
            values["la"] = found[0]
        elif len(found) > 1:
            values["la"], values["las"], values["place"] = found[0], tuple(found), PLACE_LAS

    raw = first_value(params.get(REGION))
    if raw:
        if raw.casefold() in (ENGLAND.casefold(), "england"):
            values["place"] = PLACE_ENGLAND
        elif raw.upper() in (region_options or {}):
            values["place"], values["region"] = PLACE_REGION, raw.upper()
        else:
            notes.append(f'"{shown(raw)}" is not an English region code (E12000001 to E12000009) or England.')

    raw = first_value(params.get(INDICATOR))
    if raw:
        try:
            ind = get_indicator(raw)
        except ValueError:
            notes.append(f'"{shown(raw)}" is not an indicator Placemap knows; showing the IMD decile.')
        else:
            if ind.joins(year):
                values["indicator"] = raw
            else:
                notes.append(f"{ind.label} is not published in IoD{year}; showing the IMD decile.")

    raw = first_value(params.get(CLASSES))
    if raw:
        k = parse_whole(raw, MIN_CLASSES, MAX_CLASSES)
        if k is not None:
            values["k"] = k
        else:
            notes.append(
                f"The number of classes must be a whole number from {MIN_CLASSES} to {MAX_CLASSES}; using {default.k}."
            )

    for key, param, options, problem in _CHOICES:
        if chosen := pick_choice(first_value(params.get(param)), options, notes, problem):
            values[key] = chosen

    raw = first_value(params.get(AREA))
    if raw:
        if AREA_CODE_PATTERN.match(raw.upper()):
            values["area"] = raw.upper()
        else:
            notes.append(f'"{shown(raw)}" is not an LSOA code (they look like E01012345); no area is selected.')

    values.update(parse_level(params, year, notes))
    return replace(default, **values), notes


# The view's fields chosen from a fixed list: field, query parameter, the options, the note's words.
_CHOICES = (
    ("geo", GEOGRAPHY, GEOGRAPHIES, 'is not a geography; use "lsoa" or "la".'),
    ("scheme", SCHEME, SCHEMES, "is not a classification scheme; using national deciles."),
    ("palette", PALETTE, PALETTES, "is not a palette Placemap offers; using viridis."),
    ("basemap", BASEMAP, BASEMAPS, "is not a basemap option; showing no basemap."),
)


def levels_for(year: int) -> list[str]:
    """The "Show areas as" levels that exist for an edition's geography (LSOAs first).

    >>> levels_for(2019)
    ['lsoa', 'ward', 'msoa', 'la']
    """
    return [k for k in MAP_LEVELS if k == LEVEL_LSOA or k in types_for(year)]


def level_fallback_note(level: str, year: int) -> str:
    """Why a level is not drawn for an edition, and what is shown instead (local authorities).

    >>> level_fallback_note("icb", 2019)
    'Integrated care boards are defined on the 2021 LSOAs, so they exist for IoD2025 only; showing local authorities.'
    """
    return (
        f"{MAP_LEVELS[level]} are defined on the 2021 LSOAs, so they exist for IoD2025 only; showing local authorities."
    )


def parse_level(params: Mapping[str, object], year: int, notes: list[str]) -> dict[str, object]:
    """The ``level``, ``measure`` and ``sel`` keys of a map link as ``View`` fields (bad values: a note, the default).

    Example
    -------
    >>> notes = []
    >>> parse_level({"level": "ward", "measure": "proportion", "sel": "e05015188"}, 2025, notes)
    {'level': 'ward', 'measure': 'proportion', 'level_place': 'E05015188'}
    >>> parse_level({"level": "parish", "measure": "mean"}, 2025, notes), notes[0]
    ({}, '"parish" is not a level Placemap draws; use lsoa, ward, msoa, la, utla, cauth or icb. Showing LSOAs.')
    >>> parse_level({"level": "icb"}, 2019, [])
    {'level': 'la'}
    """
    values: dict[str, object] = {}
    level = pick_choice(
        first_value(params.get(LEVEL)),
        MAP_LEVELS,
        notes,
        f"is not a level Placemap draws; use {', '.join(list(MAP_LEVELS)[:-1])} or {list(MAP_LEVELS)[-1]}. "
        "Showing LSOAs.",
    )
    if level and level not in levels_for(year):
        notes.append(level_fallback_note(level, year))
        level = "la"
    if level and level != LEVEL_LSOA:
        values["level"] = level
    if chosen := pick_choice(
        first_value(params.get(LEVEL_MEASURE)),
        LEVEL_MEASURES,
        notes,
        "is not a summary measure; use average_rank, average_score, proportion, extent or "
        "local_concentration. Showing the average rank.",
    ):
        values["measure"] = chosen
    raw = first_value(params.get(LEVEL_PLACE))
    if raw and level and level != LEVEL_LSOA:
        code = raw.strip() if level == "msoa" else raw.strip().upper()
        if PLACE_TYPES[level].pattern.match(code):
            values["level_place"] = code
        else:
            notes.append(f'"{shown(raw)}" is not a code of {PLACE_TYPES[level].plural}; no place is selected.')
    return values


def view_from_dict(data: Mapping[str, object]) -> View:
    """Rebuild a ``View`` saved with ``asdict`` (the session's last view)."""
    values = {k: v for k, v in data.items() if k in View.__dataclass_fields__}
    values["las"] = tuple(values.get("las") or ())
    return View(**values)
