"""The Draw an area page's link: a saved drawn area as ``place=drawn:<share id>``, the edition, the LA to centre on. Pure.

Example
-------
>>> view, notes = parse_draw_link({"place": "drawn:AbCdEfGh12345678", "v": "2019"}, {"E06000009": "Blackpool"})
>>> view.share_id, view.year, notes
('AbCdEfGh12345678', 2019, [])
>>> parse_draw_link({"place": "drawn:../../x"}, {})[1][0].endswith("is not a drawn area's link; draw a new area, or check the link.")
True
>>> draw_href("AbCdEfGh12345678", 2025)
'/draw?place=drawn%3AAbCdEfGh12345678&v=2025'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from placemap.data.catalogue import VINTAGES
from placemap.links.explorer_links import LA, YEAR
from placemap.links.params import first_value, known_edition, la_code_named, missing_edition_note, shown

PLACE = "place"
DRAWN = "drawn"
PAGE_PATH = "/draw"
DEFAULT_YEAR = 2025
_SHARE_ID_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


@dataclass(frozen=True)
class DrawView:
    """What a Draw an area link asks for: a saved area (or none), an edition, an LA to centre on."""

    share_id: str | None = None
    year: int = DEFAULT_YEAR
    la_code: str | None = None


def drawn_place(share_id: str) -> str:
    """The ``place`` value of a drawn area: ``drawn:<share id>``."""
    return f"{DRAWN}:{share_id}"


def drawn_share_id(value: str | None) -> str | None:
    """The share id a ``place`` value names if it is a drawn area's (``drawn:<id>``), else ``None``.

    >>> drawn_share_id("drawn:AbCdEfGh12345678"), drawn_share_id("ward:E05015188"), drawn_share_id("drawn:<x>")
    ('AbCdEfGh12345678', None, None)
    """
    kind, _, code = (value or "").strip().partition(":")
    if kind != DRAWN or not 8 <= len(code) <= 43 or not set(code) <= _SHARE_ID_CHARS:
        return None
    return code


def parse_draw_link(params: Mapping[str, object], la_options: Mapping[str, str]) -> tuple[DrawView, list[str]]:
    """The view a Draw an area link describes, and plain notes for the values it could not use."""
    notes: list[str] = []
    raw_place = first_value(params.get(PLACE))
    share_id = drawn_share_id(raw_place)
    if raw_place and share_id is None:
        kind = raw_place.partition(":")[0]
        if kind == DRAWN or ":" not in raw_place:
            notes.append(f'"{shown(raw_place)}" is not a drawn area\'s link; draw a new area, or check the link.')
        else:
            notes.append(
                f'This page opens drawn areas; "{shown(raw_place)}" is another kind of place (open it on the Area profile).'
            )
    raw_year = first_value(params.get(YEAR))
    year = known_edition(raw_year, tuple(v.year for v in VINTAGES))
    if raw_year and year is None:
        notes.append(missing_edition_note(raw_year, DEFAULT_YEAR))
    raw_la = first_value(params.get(LA))
    la_code = la_code_named(raw_la, la_options) if raw_la else None
    if raw_la and la_code is None:
        notes.append(f'"{shown(raw_la)}" is not a local authority Placemap knows; pick one in the sidebar.')
    return DrawView(share_id, year or DEFAULT_YEAR, la_code), notes


def draw_params(share_id: str | None, year: int, la_code: str | None = None) -> dict[str, str]:
    """The query parameters of the page's view: a saved area and edition, or the LA and edition to draw in.

    >>> draw_params(None, 2025, "E06000009")
    {'v': '2025', 'la': 'E06000009'}
    """
    if share_id:
        return {PLACE: drawn_place(share_id), YEAR: str(year)}
    return {YEAR: str(year), **({LA: la_code} if la_code else {})}


def draw_href(share_id: str, year: int) -> str:
    """The address of a saved drawn area on the Draw an area page."""
    return f"{PAGE_PATH}?{urlencode(draw_params(share_id, year))}"
