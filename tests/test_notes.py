"""Notes: validation, escaping on the map and in the list, and safe exports."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from placemap.community import notes
from placemap.data.prepare import feature_collection
from placemap.render import maps

from .conftest import make_boundaries

HOSTILE = "<img src=x onerror=alert(1)>"


def _saved(text: str = HOSTILE, hidden: bool = False, first_name: str | None = "<b>Bo</b>") -> notes.Note:
    return notes.Note(
        "concern",
        text,
        first_name,
        "point",
        53.805,
        -3.045,
        id=1,
        hidden=hidden,
        created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )


def test_a_hostile_note_is_text_in_the_rendered_map():
    b = make_boundaries()
    base = maps.build_base_map(
        feature_collection(b.geometry, [{"i": i} for i in range(len(b))]), [[53.8, -3.05], [53.81, -3.0]]
    )
    html = maps.render_map_html(base, [notes.build_notes_layer([_saved()])])
    assert "<img src=x" not in html and "onerror=alert(1)>" not in html
    assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;" in html  # escaped, then made script-safe
    assert "\\u0026lt;b\\u0026gt;Bo" in html


def test_a_hostile_note_is_text_in_the_list():
    html = notes.notes_html([_saved()])
    assert "<img" not in html and "<b>Bo" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "&lt;b&gt;Bo&lt;/b&gt;" in html


def test_hidden_notes_are_left_off_the_map_and_the_list():
    hidden = _saved("secret", hidden=True)
    assert notes.marker_items([hidden]) == []
    assert "secret" not in notes.notes_html([hidden])
    assert "secret" in notes.notes_html([hidden], show_hidden=True)


@pytest.mark.parametrize(
    "args, message",
    [
        (("rant", "x", None, "point", 53.8, -3.0), "what kind of note"),
        (("idea", "   ", None, "point", 53.8, -3.0), "Write something"),
        (("idea", "x" * 281, None, "point", 53.8, -3.0), "at most 280 characters"),
        (("idea", "ok", "a" * 31, "point", 53.8, -3.0), "at most 30"),
        (("idea", "ok", "<script>", "point", 53.8, -3.0), "letters, spaces"),
        (("idea", "ok", None, "point", None, None), "Click the map"),
        (("idea", "ok", None, "point", 48.0, 2.3), "not in England"),
        (("idea", "ok", None, "area", 53.8, -3.0, None), "No LSOA was found"),
        (("idea", "ok", None, "area", 53.8, -3.0, "E01; DROP"), "not an LSOA code"),
    ],
)
def test_invalid_notes_are_refused_in_plain_words(args, message):
    with pytest.raises(notes.NoteError, match=message):
        notes.validate_note(*args)


def test_a_valid_note_is_cleaned():
    note = notes.validate_note("strength", "  Great\x00 library \n", " Siân ", "area", 53.8, -3.0, "e01012662")
    assert (note.text, note.first_name, note.area_code) == ("Great library", "Siân", "E01012662")


def test_exports_are_formula_safe_csv_and_geojson():
    note = _saved('=HYPERLINK("http://e.vil")', first_name=None)
    csv = notes.notes_csv([note], "=cmd").decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and not any(
        cell.startswith("=") for line in csv.splitlines() for cell in line.split(",")
    )
    geo = json.loads(notes.notes_geojson([note], "WS"))
    assert geo["features"][0]["geometry"] == {"type": "Point", "coordinates": [-3.045, 53.805]}
    assert geo["features"][0]["properties"]["text"] == '=HYPERLINK("http://e.vil")'
