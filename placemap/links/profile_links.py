"""Links of the profile and compare pages (and uploaded areas' profiles), and the addresses that open them. Pure."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from placemap.data.catalogue import (
    DEFAULT_LA,
    DEFAULT_YEAR,
    VINTAGES,
)
from placemap.links.explorer_links import AREA, LA, YEAR
from placemap.links.params import (
    LA_CODE_PATTERN,
    LSOA_CODE_PATTERN,
    first_value,
    known_edition,
    missing_edition_note,
    shown,
)

# Shareable keys reuse ``v``, ``la`` and ``area``; ``cmp`` lists the compared areas.
COMPARE = "cmp"


PROFILE_KEYS = (YEAR, LA, AREA)


COMPARE_KEYS = (YEAR, COMPARE)


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
    raw = first_value(params.get(YEAR))
    if (year := known_edition(raw, [v.year for v in VINTAGES])) is not None:
        return year, True
    if raw:
        notes.append(missing_edition_note(raw, DEFAULT_YEAR))
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
    raw_area = first_value(params.get(AREA))
    if raw_area:
        code = raw_area.upper()
        if not LSOA_CODE_PATTERN.match(code):
            notes.append(f'"{shown(raw_area)}" is not an LSOA code (they look like E01012345).')
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
    raw_la = first_value(params.get(LA))
    if raw_la:
        for y in _edition_order(year):
            options = la_options.get(y, {})
            by_name = {name.casefold(): c for c, name in options.items()}
            code = raw_la.upper() if raw_la.upper() in options else by_name.get(raw_la.casefold())
            if code:
                if y != year and explicit:
                    notes.append(f"{shown(raw_la)} is not a local authority of IoD{year}'s geography; showing IoD{y}.")
                return ProfileView(year=y, la=code), notes
        notes.append(f'"{shown(raw_la)}" is not a local authority Placemap knows; showing {DEFAULT_LA_NAME}.')
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
    raw = first_value(params.get(COMPARE)) or ""
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
                f'"{shown(code)}" is left out: it is not {"an LSOA" if kind == "lsoa" else "a local authority"} of IoD{year}.'
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


# ``?upload_area=<dataset id>:<area id>`` opens the profile of one of the session's uploaded areas.
UPLOAD_AREA = "upload_area"
