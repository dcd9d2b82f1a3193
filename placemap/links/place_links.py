"""The ``place=TYPE:CODE`` key of every page's link: reading it strictly, and finding the nearest
valid place when the edition's geography has no such place. Pure, with doctests.

A place is a ward, MSOA, LA, upper-tier LA, combined authority, ICB, sub-ICB location, region,
uploaded area or drawn area (``placemap.data.place_types.PLACE_TYPES``). Which places exist in an
edition is asked of the caller (``exists``), and how a place of one edition's geography is carried
to another's (``carry``), so this module reads no files.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from placemap.data.catalogue import DEFAULT_YEAR, VINTAGES
from placemap.data.place_types import (
    MAX_PLACE_LENGTH,
    PLACE_TYPES,
    Place,
    nearest_type,
    types_for,
)
from placemap.links.params import first_value, known_edition, missing_edition_note

PLACE = "place"
YEAR = "v"
ENGLAND = "england"  # in a compare link, England as a whole


def parse_place(value: object) -> tuple[Place | None, str]:
    """Read a ``place=TYPE:CODE`` link value strictly; bad input gives ``None`` and a plain note.

    Examples
    --------
    >>> parse_place("ward:E05015188")
    (Place(type='ward', code='E05015188'), '')
    >>> parse_place("msoa:Blackpool 010")
    (Place(type='msoa', code='Blackpool 010'), '')
    >>> parse_place("upload:b1a2b3c4d5:A3")
    (Place(type='upload', code='b1a2b3c4d5:A3'), '')
    >>> parse_place("county:E10000017")[1]
    'The link names an unknown kind of place ("county"); it shows the default place instead.'
    >>> parse_place("ward:E0501518")[1]
    'The link\\'s ward code "E0501518" is not a valid code; it shows the default place instead.'
    >>> parse_place("<script>")[0] is None
    True
    """
    if not isinstance(value, str) or not value.strip():
        return None, "The link names no place; it shows the default place instead."
    text = value.strip()
    if len(text) > MAX_PLACE_LENGTH:
        return None, "The link's place is too long to be a place; it shows the default place instead."
    kind, sep, code = text.partition(":")
    if not sep:
        return None, "The link's place should read TYPE:CODE (e.g. ward:E05015188); it shows the default place instead."
    kind, code = kind.strip().lower(), code.strip()
    place_type = PLACE_TYPES.get(kind)
    if place_type is None:
        shown = re.sub(r"[^a-z0-9_-]", "", kind)[:20]
        return None, f'The link names an unknown kind of place ("{shown}"); it shows the default place instead.'
    if kind in ("ward", "la", "utla", "cauth", "icb", "sicb", "region"):
        code = code.upper()
    if not place_type.pattern.match(code):
        shown = re.sub(r"[^A-Za-z0-9 _-]", "", code)[:20]
        return (
            None,
            f'The link\'s {place_type.label} code "{shown}" is not a valid code; it shows the default place instead.',
        )
    return Place(kind, code), ""


@dataclass(frozen=True)
class PlaceView:
    """A place of one edition, as a link names it."""

    year: int
    place: Place

    def to_params(self) -> dict[str, str]:
        """``v`` and ``place``.

        >>> PlaceView(2025, Place("ward", "E05015188")).to_params()
        {'v': '2025', 'place': 'ward:E05015188'}
        """
        return {YEAR: str(self.year), PLACE: self.place.to_param()}


def _editions(year: int) -> list[int]:
    return [year] + [v.year for v in VINTAGES if v.year != year]


def year_param(params: Mapping[str, object], notes: list[str], years=None) -> tuple[int, bool]:
    """The link's edition (``v``) and whether the link gave it; the default, with a note, if unknown.

    >>> year_param({"v": "2019"}, [])
    (2019, True)
    >>> notes = []; year_param({"v": "1999"}, notes), len(notes)
    ((2025, False), 1)
    """
    raw = first_value(params.get(YEAR))
    years = [v.year for v in VINTAGES] if years is None else list(years)
    if (year := known_edition(raw, years)) is not None:
        return year, True
    if raw:
        notes.append(missing_edition_note(raw, DEFAULT_YEAR))
    return DEFAULT_YEAR, False


def resolve_place(
    place: Place,
    year: int,
    explicit: bool,
    exists: Callable[[int, Place], bool],
    carry: Callable[[Place, int, int, str], Place | None],
    years: list[int] | None = None,
) -> tuple[PlaceView | None, list[str]]:
    """The place to show for ``place`` in edition ``year``, and notes saying what was changed.

    A place the edition has is shown as it is. Otherwise, without an edition in the link, the
    newest edition that has it is shown; with one, the nearest valid place of that edition
    (``carry``: the place of the nearest type covering most of its LSOAs), with a note. Uploaded
    and drawn areas are not in any lookup: they are returned as they are, for their providers.

    Examples
    --------
    >>> have = {(2025, "ward:E05015188"), (2019, "ward:E05001234")}
    >>> exists = lambda y, p: (y, p.to_param()) in have
    >>> carry = lambda p, a, b, kind: Place(kind, "E05015188")
    >>> resolve_place(Place("ward", "E05001234"), 2025, False, exists, carry, [2025, 2019])
    (PlaceView(year=2019, place=Place(type='ward', code='E05001234')), [])
    >>> view, notes = resolve_place(Place("ward", "E05001234"), 2025, True, exists, carry, [2025, 2019])
    >>> view.place.code, notes[0][:47]
    ('E05015188', "The ward E05001234 is IoD2019's, not in IoD2025")
    >>> resolve_place(Place("ward", "E05999999"), 2025, True, exists, carry, [2025, 2019])[1]
    ['The link\\'s ward "E05999999" is not a ward Placemap knows in any edition; it shows the default place instead.']
    """
    place_type = PLACE_TYPES[place.type]
    if not place_type.from_lookup:
        return PlaceView(year, place), []
    order = [y for y in _editions(year) if years is None or y in years]
    if place.type in types_for(year) and exists(year, place):
        return PlaceView(year, place), []
    home = next((y for y in order if place.type in types_for(y) and exists(y, place)), None)
    if home is None:
        return None, [
            f'The link\'s {place_type.label} "{place.code}" is not a {place_type.label} Placemap knows in any '
            "edition; it shows the default place instead."
        ]
    if not explicit:
        return PlaceView(home, place), []
    kind, type_note = nearest_type(place.type, year)
    carried = carry(place, home, year, kind)
    if carried is None:
        return PlaceView(home, place), [
            f"The {place_type.label} {place.code} is not in IoD{year}'s geography and has no counterpart there; "
            f"showing IoD{home}."
        ]
    if type_note:
        return PlaceView(year, carried), [
            type_note + f" The {PLACE_TYPES[kind].label} shown covers most of {place.code}'s area."
        ]
    return PlaceView(year, carried), [
        f"The {place_type.label} {place.code} is IoD{home}'s, not in IoD{year}'s geography; showing the "
        f"{PLACE_TYPES[kind].label} of IoD{year} that covers most of its LSOAs."
    ]


def parse_place_view(
    params: Mapping[str, object],
    exists: Callable[[int, Place], bool],
    carry: Callable[[Place, int, int, str], Place | None],
    years: list[int] | None = None,
) -> tuple[PlaceView | None, list[str]]:
    """Read ``v`` and ``place`` from a link into a ``PlaceView`` (``None`` when there is no usable place).

    >>> parse_place_view({"v": "2025", "place": "region:E12000002"}, lambda y, p: True, None)
    (PlaceView(year=2025, place=Place(type='region', code='E12000002')), [])
    >>> parse_place_view({"place": "nowhere"}, lambda y, p: True, None)[0] is None
    True
    """
    notes: list[str] = []
    year, explicit = year_param(params, notes, years)
    place, note = parse_place(first_value(params.get(PLACE)))
    if place is None:
        return None, [*notes, note]
    view, more = resolve_place(place, year, explicit, exists, carry, years)
    return view, notes + more


def place_href(year: int, place: Place | str, page: str = "profile") -> str:
    """A relative link to a page showing a place.

    >>> place_href(2025, Place("ward", "E05015188"))
    'profile?v=2025&place=ward:E05015188'
    >>> place_href(2025, "msoa:Blackpool 010", "compare")
    'compare?v=2025&place=msoa:Blackpool%20010'
    """
    value = place.to_param() if isinstance(place, Place) else place
    return f"{page}?{YEAR}={year}&{PLACE}={value.replace(' ', '%20')}"


def parse_place_list(raw: str | None, limit: int) -> tuple[list[Place | str], list[str]]:
    """The places of a compare link (``cmp=ward:E05015188,la:E06000009,england``), repeats dropped.

    ``england`` stands for England as a whole. Bad items are left out with a note.

    >>> places, notes = parse_place_list("ward:E05015188,la:E06000009,england,county:x", 6)
    >>> [p if isinstance(p, str) else p.to_param() for p in places], len(notes)
    (['ward:E05015188', 'la:E06000009', 'england'], 1)
    """
    out: list[Place | str] = []
    notes: list[str] = []
    for item in dict.fromkeys(part.strip() for part in (raw or "").split(",") if part.strip()):
        if item.lower() == ENGLAND:
            out.append(ENGLAND)
            continue
        place, note = parse_place(item)
        if place is None:
            notes.append(note.replace("it shows the default place instead", "it is left out"))
        elif place not in out:
            out.append(place)
    if len(out) > limit:
        notes.append(f"Up to {limit} places can be compared; the first {limit} are shown.")
        out = out[:limit]
    return out, notes


def is_place_list(raw: str | None) -> bool:
    """Whether a compare link's ``cmp`` names places (``TYPE:CODE`` or ``england``) rather than bare codes.

    >>> is_place_list("ward:E05015188,la:E06000009"), is_place_list("E06000009,E08000003")
    (True, False)
    """
    return any(":" in part or part.strip().lower() == ENGLAND for part in (raw or "").split(","))


def explorer_params(place: Place, las: list[str], max_las: int) -> dict[str, str]:
    """The map explorer's place keys for a place: its LA, its region, or its member LAs.

    ``las`` are the LAs holding the place's LSOAs (most LSOAs first). A ward or MSOA opens its
    LA; a place of several LAs opens them together, up to ``max_las``, else its first LA's region
    is left to the caller (an empty dict).

    >>> explorer_params(Place("ward", "E05015188"), ["E06000009"], 40)
    {'la': 'E06000009'}
    >>> explorer_params(Place("region", "E12000002"), [], 40)
    {'region': 'E12000002'}
    >>> explorer_params(Place("icb", "E54000048"), ["E06000009", "E06000008"], 40)
    {'la': 'E06000008,E06000009'}
    """
    if place.type == "region":
        return {"region": place.code}
    if not las:
        return {}
    if place.type in ("ward", "msoa", "la") or len(las) == 1:
        return {"la": las[0]}
    if len(las) > max_las:
        return {}
    return {"la": ",".join(sorted(las))}
