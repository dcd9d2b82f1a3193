"""Links of the systems view, priority finder and hot-spot page: validated, with notes on fallbacks."""

from __future__ import annotations

import pytest

from placemap.analysis import hotspots, priority, systems
from placemap.links.systems_links import (
    HotspotView,
    PriorityView,
    SystemsView,
    parse_hotspot_view,
    parse_place,
    parse_priority_view,
    parse_systems_view,
)

LAS = {
    2025: {"E06000009": "Blackpool", "E08000025": "Birmingham", "E08000003": "Manchester"},
    2019: {"E06000009": "Blackpool", "E08000025": "Birmingham"},
}
YEARS = (2025, 2019)
AXES = {y: systems.axis_options(y) for y in YEARS}
COLOURS = {y: systems.colour_options(y, 2) for y in YEARS}
OVERLAP = {
    2025: ["income", "employment", "education", "health", "crime", "barriers", "environment"],
    2019: ["income", "employment", "education", "health", "crime", "barriers", "environment", "idaci"],
}
HOT = {2025: ["imd", "income", "health"], 2019: ["imd", "income", "health", "idaci"]}


def _systems(params):
    return parse_systems_view(params, LAS, YEARS, AXES, COLOURS)


def _priority(params):
    return parse_priority_view(params, LAS, YEARS, OVERLAP)


def _hotspots(params):
    return parse_hotspot_view(
        params, LAS, YEARS, HOT, list(hotspots.METHODS), hotspots.ALPHAS, hotspots.PERMUTATION_CHOICES
    )


def test_several_las_by_code_or_name_in_one_parameter_or_repeated():
    assert parse_place({"la": "E08000025, manchester"}, LAS, YEARS)[1] == ("E08000025", "E08000003")
    assert parse_place({"la": ["E08000025", "Blackpool"]}, LAS, YEARS)[1] == ("E08000025", "E06000009")


def test_unknown_las_are_left_out_and_an_empty_place_falls_back_to_the_default():
    year, las, notes = parse_place({"la": "<b>Gotham</b>", "v": "2015"}, LAS, YEARS)
    assert (year, las) == (2025, ("E06000009",))
    assert "IoD2025 and IoD2019" in notes[0] and "\\<b\\>Gotham" in notes[1] and "showing Blackpool" in notes[2]


@pytest.mark.parametrize(
    "view, parse",
    [
        (
            SystemsView(
                year=2019,
                las=("E08000025", "E06000009"),
                x="health_rank",
                y="idaci_decile",
                colour="la",
                thirds="england",
                area="E01009001",
            ),
            _systems,
        ),
        (
            PriorityView(
                year=2019,
                las=("E08000025",),
                domains=("idaci", "crime"),
                pct=20,
                at_least=2,
                weights=(50.0, 50.0, 0.0, 0.0, 0.0, 0.0, 0.0),
                spread=30,
                top="place",
                show="stability",
            ),
            _priority,
        ),
        (
            HotspotView(
                year=2019, las=("E06000009",), domain="idaci", method="gi", alpha=0.01, fdr=True, permutations=499
            ),
            _hotspots,
        ),
    ],
)
def test_a_full_link_round_trips(view, parse):
    parsed, notes = parse(view.to_params())
    assert parsed == view and notes == []


@pytest.mark.parametrize(
    "params, note",
    [
        ({"x": "imd_score", "v": "2019"}, "not an indicator of IoD2019 for the x axis"),
        ({"col": "rainbow"}, "not a colour option"),
        ({"thirds": "fifths"}, "not a choice of thirds"),
        ({"area": "DROP TABLE"}, "not an LSOA code"),
    ],
)
def test_bad_systems_link_values_fall_back_with_a_note(params, note):
    view, notes = _systems(params)
    assert any(note in n for n in notes)
    assert view.x == SystemsView.x or "x" not in params


@pytest.mark.parametrize(
    "params, note",
    [
        ({"w": "1,2,3"}, "must be 7 numbers from 0 to 100"),
        ({"w": "0,0,0,0,0,0,0"}, "not all zero"),
        ({"w": "a,b,c,d,e,f,g"}, "using the official IMD weights"),
        ({"doms": "income,wellbeing"}, "Not a domain Placemap can overlap in IoD2025: wellbeing"),
        ({"pct": "99"}, "from 1 to 50"),
        ({"doms": "income,health", "n": "3"}, "from 1 to 2"),
        ({"show": "treemap"}, "not a map Placemap offers here"),
    ],
)
def test_bad_priority_link_values_fall_back_with_a_note(params, note):
    view, notes = _priority(params)
    assert any(note in n for n in notes), notes
    assert 1 <= view.at_least <= len(view.domains) and sum(view.weights) > 0


def test_weights_that_do_not_sum_to_100_are_kept_from_a_link():
    view, notes = _priority({"w": "10,10,10,10,10,10,10"})
    assert view.weights == (10.0,) * 7 and notes == []
    assert priority.normalise_weights(dict(zip(priority.SEVEN_DOMAINS, view.weights, strict=True)))[1].startswith(
        "The weights add up to 70%"
    )


@pytest.mark.parametrize(
    "params, note",
    [
        ({"alpha": "0.2"}, "must be one of 0.1, 0.05, 0.01, 0.001"),
        ({"fdr": "yes"}, "FDR is off"),
        ({"perm": "5"}, "must be one of 99, 499, 999"),
        ({"dom": "idaci"}, "not a domain of IoD2025"),
        ({"stat": "kriging"}, "not a hot-spot statistic"),
    ],
)
def test_bad_hotspot_link_values_fall_back_with_a_note(params, note):
    view, notes = _hotspots(params)
    assert any(note in n for n in notes), notes
    assert view.alpha in hotspots.ALPHAS and view.permutations in hotspots.PERMUTATION_CHOICES


# Text that str.isdigit() or float() accept but that is no number a link may carry.
BAD_NUMBERS = ["²", "٣", "9" * 5000, "nan", "inf", "1e309", "-0x1"]


@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_bad_numbers_in_any_link_fall_back_with_a_note_instead_of_raising(bad):
    from placemap.community.workshop import parse_workshop_view
    from placemap.links.change_links import parse_change_view, parse_upload_change_link
    from placemap.links.explorer_links import parse_view
    from placemap.links.profile_links import parse_profile

    for parse, params in [
        (lambda p: parse_view(p, LAS), {"v": bad, "k": bad}),
        (lambda p: parse_change_view(p, LAS), {"from": bad, "to": bad}),
        (lambda p: parse_profile(p, LAS, lambda _y, _c: None), {"v": bad}),
        (_systems, {"v": bad}),
        (_priority, {"v": bad, "pct": bad, "n": bad, "spread": bad, "w": ",".join([bad] * 7)}),
        (_hotspots, {"v": bad, "perm": bad, "alpha": bad}),
        (lambda p: parse_workshop_view(p, {"E06000009"}), {"step": bad}),
        (parse_upload_change_link, {"ud": "a1b2c3d4", "ub": bad, "ua": bad}),
    ]:
        view, notes = parse(params)
        assert notes, (params, view)


def test_uploaded_condition_and_component_numbers_must_be_finite_ascii():
    from placemap.links.systems_links import parse_upload_component, parse_upload_conditions

    for bad in BAD_NUMBERS:
        notes = []
        assert parse_upload_conditions(f"upload_a_0~value~{bad}", ["upload_a_0"], notes) == () and notes
        notes = []
        assert parse_upload_component(f"upload_a_0~{bad}", ["upload_a_0"], notes) is None and notes
