import pytest

from placemap.links.explorer_links import View, parse_view

LAS = {2025: {"E06000009": "Blackpool", "E08000003": "Manchester"}, 2019: {"E06000009": "Blackpool"}}


def test_a_full_link_round_trips():
    view = View(
        year=2019,
        la="E06000009",
        indicator="education_rank",
        scheme="fisher_jenks",
        k=6,
        palette="cividis",
        area="E01012345",
        basemap="positron",
    )
    parsed, notes = parse_view(view.to_params(), LAS)
    assert parsed == view and notes == []


def test_la_may_be_given_by_name_in_any_case():
    view, notes = parse_view({"la": "manchester"}, LAS)
    assert view.la == "E08000003" and notes == []


@pytest.mark.parametrize(
    "params, field, note",
    [
        ({"v": "2031"}, "year", "edition"),
        ({"la": "E06999999"}, "la", "not a local authority"),
        ({"ind": "<img src=x>"}, "indicator", "not an indicator"),
        ({"v": "2019", "ind": "imd_score"}, "indicator", "not published in IoD2019"),
        ({"scheme": "rainbow"}, "scheme", "not a classification scheme"),
        ({"k": "0"}, "k", "whole number from 3 to 10"),
        ({"k": "ten"}, "k", "whole number from 3 to 10"),
        ({"pal": "jet"}, "palette", "not a palette"),
        ({"base": "google"}, "basemap", "not a basemap"),
        ({"area": "DROP TABLE"}, "area", "not an LSOA code"),
    ],
)
def test_bad_values_fall_back_to_the_default_with_a_note(params, field, note):
    view, notes = parse_view(params, LAS)
    assert getattr(view, field) == getattr(View(), field)
    assert len(notes) == 1 and note in notes[0]


def test_notes_escape_what_the_link_said():
    _, notes = parse_view({"pal": "![x](http://e.vil/a.png)"}, LAS)
    assert "](" not in notes[0]


def test_list_values_and_whitespace_are_tolerated():
    view, notes = parse_view({"k": [" 5 "], "area": "e01012345"}, LAS)
    assert view.k == 5 and view.area == "E01012345" and notes == []
