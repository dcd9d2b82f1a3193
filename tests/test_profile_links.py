"""Profile and compare links: validated into views, with a visible note for every fix."""

from placemap.links import profile_links

LAS = {
    2025: {"E06000009": "Blackpool", "E08000003": "Manchester", "E06000060": "Buckinghamshire"},
    2019: {"E06000009": "Blackpool", "E08000003": "Manchester", "E07000004": "Aylesbury Vale"},
    2015: {"E06000009": "Blackpool", "E08000003": "Manchester", "E07000004": "Aylesbury Vale"},
}
LSOAS = {2025: {"E01033658": "E08000003"}, 2019: {"E01005062": "E08000003"}, 2015: {"E01005062": "E08000003"}}


def area_la(year, code):
    return LSOAS[year].get(code)


def test_an_lsoa_link_opens_its_profile_with_its_la():
    view, notes = profile_links.parse_profile({"area": "e01033658"}, LAS, area_la)
    assert view == profile_links.ProfileView(year=2025, la="E08000003", area="E01033658") and notes == []
    assert view.to_params() == {"v": "2025", "la": "E08000003", "area": "E01033658"}


def test_an_la_link_works_by_code_or_name():
    assert profile_links.parse_profile({"la": "E08000003"}, LAS, area_la)[0] == profile_links.ProfileView(
        la="E08000003"
    )
    assert profile_links.parse_profile({"la": "manchester", "v": "2019"}, LAS, area_la)[0].year == 2019


def test_a_2011_lsoa_asked_in_iod2025_opens_in_the_edition_that_has_it_with_a_note():
    view, notes = profile_links.parse_profile({"area": "E01005062", "v": "2025"}, LAS, area_la)
    assert (view.year, view.area) == (2019, "E01005062")
    assert notes == ["E01005062 is not an LSOA of IoD2025's geography; showing IoD2019."]


def test_an_la_of_another_geography_switches_edition_and_bad_values_fall_back():
    view, notes = profile_links.parse_profile({"la": "E07000004", "v": "2025"}, LAS, area_la)
    assert (view.year, view.la) == (2019, "E07000004") and "showing IoD2019" in notes[0]
    view, notes = profile_links.parse_profile({"area": "<b>x</b>", "la": "Nowhere[1](x)"}, LAS, area_la)
    assert view == profile_links.ProfileView()
    assert "is not an LSOA code" in notes[0] and "\\[1\\]\\(x\\)" in notes[1]  # echoed escaped


def test_compare_links_keep_one_kind_up_to_six_and_note_the_rest():
    view, notes = profile_links.parse_compare({"cmp": "E08000003,E06000009,E01033658,E99"}, LAS, area_la)
    assert (view.kind, view.codes) == ("la", ("E08000003", "E06000009"))
    assert len(notes) == 2
    many = ",".join(["E08000003", "E06000009", "E06000060"] * 3)
    assert profile_links.parse_compare({"cmp": many}, LAS, area_la)[0].codes == ("E08000003", "E06000009", "E06000060")


def test_compare_with_fewer_than_two_areas_shows_the_example_with_a_note():
    view, notes = profile_links.parse_compare({"cmp": "E01033658"}, LAS, area_la)
    assert view == profile_links.CompareView() and "at least two" in notes[-1]
    assert profile_links.parse_compare({}, LAS, area_la) == (profile_links.CompareView(), [])


def test_links_to_profiles_and_comparisons():
    assert profile_links.profile_href(2025, "E06000009") == "profile?v=2025&la=E06000009"
    assert profile_links.compare_href(2019, ["E01000001", "E01000002"]) == "compare?v=2019&cmp=E01000001,E01000002"
