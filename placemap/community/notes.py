"""People's notes on the map: validation, the map layer, the list, and exports.

A note is pinned to an LSOA (shown at the LSOA's centre) or to the exact point clicked.
Every string is checked here before it reaches the database and escaped before it
reaches HTML: the map layer sends escaped strings as script-safe JSON and builds its
tooltips in the browser, so nothing a participant types can become markup or script.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass

import folium
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from placemap.data.prepare import escape_text, script_safe_json
from placemap.render.export import to_safe_csv

STRENGTH, CONCERN, IDEA = "strength", "concern", "idea"
CATEGORIES = {STRENGTH: "Strength or asset", CONCERN: "Concern", IDEA: "Idea"}
# Okabe-Ito (colour-blind safe), and a different marker shape per category so colour is not the only cue.
CATEGORY_COLOURS = {STRENGTH: "#009E73", CONCERN: "#D55E00", IDEA: "#0072B2"}
CATEGORY_SYMBOLS = {STRENGTH: "+", CONCERN: "!", IDEA: "?"}
PIN_AREA, PIN_POINT = "area", "point"
PINS = {PIN_AREA: "The area (LSOA) I clicked", PIN_POINT: "The exact point I clicked"}
TEXT_MAX = 280
NAME_MAX = 30
_NAME_PATTERN = re.compile(r"^[^\W\d_][\w' .-]*$", re.UNICODE)
_AREA_PATTERN = re.compile(r"^E0[0-9]{7}$")


class NoteError(ValueError):
    """A note that cannot be saved; the message says why, in plain words."""


@dataclass(frozen=True)
class NoteInput:
    """A validated note, ready to save."""

    category: str
    text: str
    first_name: str | None
    pinned_to: str
    lat: float
    lng: float
    area_code: str | None = None


@dataclass(frozen=True, kw_only=True)
class Note(NoteInput):
    """A saved note: what was written, plus its id, whether it is hidden and when it was saved."""

    id: int
    hidden: bool
    created_at: dt.datetime


def clean_text(text: object) -> str:
    r"""Typed text without control or format characters (new lines kept), surrounding space stripped.

    Drops NUL, bidirectional overrides and other invisible characters (Unicode category C) that
    could hide or reorder what others read; every script and emoji stays.

    Example
    -------
    >>> clean_text(" Park\x00 \u202egnp.exe\nbench ")
    'Park gnp.exe\nbench'
    """
    value = "" if text is None else str(text)
    value = "".join(ch for ch in value if ch == "\n" or unicodedata.category(ch)[0] != "C")
    return value.strip()


def validate_note(
    category: str,
    text: str,
    first_name: str | None,
    pinned_to: str,
    lat: float | None,
    lng: float | None,
    area_code: str | None = None,
) -> NoteInput:
    """Check a note from the form; return it cleaned or raise ``NoteError``.

    Example
    -------
    >>> validate_note("idea", "  More benches  ", "", "point", 53.8, -3.05).text
    'More benches'
    >>> validate_note("rant", "x", None, "point", 53.8, -3.05)
    Traceback (most recent call last):
    ...
    placemap.community.notes.NoteError: Choose what kind of note this is: Strength or asset, Concern or Idea.
    """
    if category not in CATEGORIES:
        raise NoteError("Choose what kind of note this is: Strength or asset, Concern or Idea.")
    body = clean_text(text)
    if not body:
        raise NoteError("Write something in the note first.")
    if len(body) > TEXT_MAX:
        raise NoteError(f"A note can be at most {TEXT_MAX} characters; this one has {len(body)}. Please shorten it.")
    name = clean_text(first_name) or None
    if name is not None:
        if len(name) > NAME_MAX:
            raise NoteError(f"A first name can be at most {NAME_MAX} characters.")
        if not _NAME_PATTERN.match(name):
            raise NoteError("A first name can use letters, spaces, hyphens and apostrophes only (or leave it empty).")
    if pinned_to not in PINS:
        raise NoteError("Choose whether the note is about the area or the exact point.")
    try:
        lat_f, lng_f = float(lat), float(lng)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise NoteError("Click the map to choose where the note goes.") from None
    if not (49.5 <= lat_f <= 56.0 and -6.5 <= lng_f <= 2.0):
        raise NoteError("That point is not in England; click the map to choose where the note goes.")
    code = (area_code or "").strip().upper() or None
    if code is not None and not _AREA_PATTERN.match(code):
        raise NoteError("That is not an LSOA code.")
    if pinned_to == PIN_AREA and code is None:
        raise NoteError("No LSOA was found where you clicked; click inside the place, or pin to the exact point.")
    return NoteInput(category, body, name, pinned_to, round(lat_f, 6), round(lng_f, 6), code)


class NotesMarkers(MacroElement):
    """Circle markers for notes; tooltips hold pre-escaped HTML built from script-safe JSON."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (group) {
  var notes = {{ this.data }};
  notes.forEach(function (n) {
    var m = L.circleMarker([n.lat, n.lng], {radius: 11, color: "#000000", weight: 2,
                                            fillColor: n.colour, fillOpacity: 0.95});
    m.bindTooltip("<strong>" + n.symbol + " " + n.kind + "</strong><br>" + n.text + "<br><em>" + n.who + "</em>",
                  {className: "pm-note-tip"});
    m.addTo(group);
  });
  window.pmNoteCount = notes.length;
  document.documentElement.setAttribute("data-pm-notes", {{ this.version|tojson }});
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, items: list[dict], version: str):
        super().__init__()
        self._name = "NotesMarkers"
        self.data = script_safe_json(items)
        self.version = escape_text(version)


def marker_items(notes: list[Note]) -> list[dict]:
    """What the browser needs for each visible note, every string HTML-escaped."""
    return [
        {
            "lat": n.lat,
            "lng": n.lng,
            "colour": CATEGORY_COLOURS.get(n.category, "#000000"),
            "symbol": escape_text(CATEGORY_SYMBOLS.get(n.category, "")),
            "kind": escape_text(CATEGORIES.get(n.category, n.category)),
            "text": escape_text(n.text).replace("\n", "<br>"),
            "who": escape_text(n.first_name or "Someone"),
        }
        for n in notes
        if not n.hidden
    ]


def build_notes_layer(notes: list[Note]) -> folium.FeatureGroup:
    """A feature group of the visible notes (for ``st_folium(feature_group_to_add=...)``)."""
    group = folium.FeatureGroup(name="People's notes", control=False)
    items = marker_items(notes)
    version = f"{len(items)}-{max((n.id for n in notes), default=0)}"
    group.add_child(NotesMarkers(items, version))
    return group


def notes_html(notes: list[Note], show_hidden: bool = False) -> str:
    """The notes as an HTML list (newest first), every user string escaped."""
    items = []
    for n in sorted(notes, key=lambda x: x.id, reverse=True):
        if n.hidden and not show_hidden:
            continue
        hidden = ' <span class="pm-note-hidden">(hidden)</span>' if n.hidden else ""
        place = f" · {escape_text(n.area_code)}" if n.area_code else ""
        items.append(
            f'<li class="pm-note pm-note-{escape_text(n.category)}" style="border-color:'
            f'{CATEGORY_COLOURS.get(n.category, "#000")}">'
            f'<span class="pm-note-kind">{escape_text(CATEGORY_SYMBOLS.get(n.category, ""))} '
            f"{escape_text(CATEGORIES.get(n.category, n.category))}</span>{hidden}"
            f'<p class="pm-note-text">{escape_text(n.text)}</p>'
            f'<span class="pm-note-who">{escape_text(n.first_name or "Someone")}{place} · #{n.id}</span></li>'
        )
    if not items:
        return '<p class="pm-notes-empty">No notes yet. Click the map, then write a note below it.</p>'
    return f'<ul class="pm-notes" aria-label="People\'s notes">{"".join(items)}</ul>'


NOTES_CSS = """
<style>
.pm-notes {list-style: none; padding: 0; margin: 0; max-height: 42rem; overflow-y: auto;}
.pm-note {border-left: 0.5rem solid; padding: 0.3rem 0.6rem; margin: 0 0 0.6rem 0; background: #f7f7f7;}
.pm-note-kind {font-weight: 700;}
.pm-note-text {margin: 0.2rem 0; white-space: pre-wrap; overflow-wrap: anywhere;}
.pm-note-who, .pm-note-hidden {color: #333; font-size: 0.9em;}
</style>
"""


def notes_frame(notes: list[Note]) -> pd.DataFrame:
    """The notes as a table (for the page and the CSV export)."""
    return pd.DataFrame(
        {
            "Note id": [n.id for n in notes],
            "Category": [CATEGORIES.get(n.category, n.category) for n in notes],
            "Note": [n.text for n in notes],
            "First name": [n.first_name or "" for n in notes],
            "Pinned to": [PINS.get(n.pinned_to, n.pinned_to) for n in notes],
            "LSOA code": [n.area_code or "" for n in notes],
            "Latitude": [n.lat for n in notes],
            "Longitude": [n.lng for n in notes],
            "Hidden by facilitator": ["yes" if n.hidden else "no" for n in notes],
            "Added (UTC)": [f"{n.created_at:%Y-%m-%d %H:%M:%S}" for n in notes],
        }
    )


def notes_csv(notes: list[Note], workshop_name: str) -> bytes:
    """The notes as formula-safe CSV."""
    return to_safe_csv(notes_frame(notes), [f"Notes from the workshop: {workshop_name}", "Placemap"])


def notes_geojson(notes: list[Note], workshop_name: str) -> bytes:
    """The notes as a GeoJSON FeatureCollection (points, WGS84); text is left as typed (it is data, not HTML)."""
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [n.lng, n.lat]},
            "properties": {
                "id": n.id,
                "category": n.category,
                "text": n.text,
                "first_name": n.first_name,
                "pinned_to": n.pinned_to,
                "lsoa_code": n.area_code,
                "hidden": n.hidden,
                "created_at": n.created_at.isoformat(),
            },
        }
        for n in notes
    ]
    collection = {"type": "FeatureCollection", "name": workshop_name, "features": features}
    return json.dumps(collection, ensure_ascii=False, indent=1).encode("utf-8")
