"""Workshop links, validation, summaries, charts and the initiatives register's rules."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from placemap.community import initiatives as ini
from placemap.community import workshop
from placemap.community.workshop import THEMES, WorkshopView
from placemap.render import workshop_charts

from .conftest import make_boundaries, make_iod_table

LAS = {"E06000009", "E08000003"}


def test_a_workshop_link_round_trips():
    view = WorkshopView(True, 3, "AbCdEfGh1234", "E08000003")
    assert workshop.parse_workshop_view(view.to_params(), LAS) == (view, [])
    assert view.to_params() == {"mode": "workshop", "step": "3", "ws": "AbCdEfGh1234", "la": "E08000003"}


def test_bad_workshop_link_values_fall_back_with_notes():
    view, notes = workshop.parse_workshop_view({"mode": "party", "step": "0", "ws": "<x>", "la": "E99"}, LAS)
    assert view == WorkshopView()
    assert len(notes) == 4 and all("<" not in n.replace("\\<", "") for n in notes)


def test_score_table_gives_mean_and_spread_for_every_theme():
    raw = pd.DataFrame(
        {"participant": ["a", "b", "c"], "place": ["all"] * 3, "theme": ["feeling_safe"] * 3, "score": [1, 4, 7]}
    )
    table = workshop.score_table(raw)
    assert len(table) == len(THEMES)
    safe = table.set_index("theme").loc["feeling_safe"]
    assert (safe["Mean"], safe["Lowest"], safe["Highest"], safe["People"]) == (4.0, 1, 7, 3)
    assert table.set_index("theme").loc["natural_space", "People"] == 0


def test_compass_and_vote_charts_encode_the_numbers():
    raw = pd.DataFrame(
        {"participant": ["a", "b"], "place": ["all"] * 2, "theme": ["feeling_safe"] * 2, "score": [2, 6]}
    )
    spec = workshop_charts.compass_chart(workshop.score_table(raw), "all", "Blackpool").to_dict()
    means = next(layer for layer in spec["layer"] if layer["mark"].get("type") == "point")
    assert spec["datasets"][means["data"]["name"]][0]["Mean"] == 4.0
    votes = workshop.vote_table([(1, "Parks"), (2, "Buses")], {1: 2, 2: 5})
    bar = workshop_charts.votes_bar(votes).to_dict()
    assert bar["layer"][0]["encoding"]["x"]["field"] == "Votes"
    assert list(votes["Priority"]) == ["Buses", "Parks"]


def test_summary_png_is_one_page_image():
    raw = pd.DataFrame({"participant": ["a"], "place": ["all"], "theme": ["feeling_safe"], "score": [3]})
    png = workshop.summary_png(
        "WS", "Blackpool", {"idea": 2}, workshop.vote_table([(1, "Parks")], {1: 1}), workshop.score_table(raw)
    )
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000


def test_dollar_signs_in_a_workshop_name_and_priorities_print_as_typed_in_the_summary():
    from matplotlib.text import Text

    name, priority = r"Budget $\frac$ review", "Cost $5 to $10"
    votes = workshop.vote_table([(1, priority)], {1: 2})
    png = workshop.summary_png(name, "Blackpool", {"idea": 1}, votes, workshop.score_table(pd.DataFrame()))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    fig = workshop.summary_figure(name, "Blackpool", {"idea": 1}, votes, workshop.score_table(pd.DataFrame()))
    fig.draw_without_rendering()  # makes the tick labels
    texts = [t for t in fig.findobj(Text) if t.get_text()]
    assert f"{name}: Blackpool" in [t.get_text() for t in texts]
    assert any(priority in t.get_text() for t in texts)
    assert not [t.get_text() for t in texts if "$" in t.get_text() and t.get_parse_math()]


def test_scores_and_votes_export_as_formula_safe_csv_without_participant_ids():
    raw = pd.DataFrame({"participant": ["secret-id-1"], "place": ["all"], "theme": ["feeling_safe"], "score": [3]})
    text = workshop.scores_csv(raw, "=WS").decode("utf-8-sig")
    assert "secret-id-1" not in text and "Feeling safe" in text
    votes = workshop.votes_csv(workshop.vote_table([(1, "=1+1")], {1: 1}), "WS").decode("utf-8-sig")
    assert "'=1+1" in votes


def test_overlap_counts_domains_in_the_most_deprived_20_percent():
    b = make_boundaries(4)
    areas = make_iod_table(list(b["area_code"])).set_index("area_code")
    counts = workshop.overlap_counts(areas)
    assert counts.tolist() == [7, 7, 0, 0]  # deciles 1, 2, 3, 4 on every domain


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x.org", "data:text/html,hi", "https://", "http://a b"])
def test_contact_links_must_be_http_or_https(url):
    with pytest.raises(ini.InitiativeError, match="http:// or https://"):
        ini.validate_url(url)


def test_initiative_validation_and_who_is_working_here():
    item = ini.Initiative(
        name=" Warm  Homes ",
        lead_org="Council",
        partners=(ini.Partner("Age UK", "vcs"),),
        area_codes=("e05000001",),
        domains=("health",),
    )
    clean = ini.validate_initiative(item)
    assert clean.name == "Warm Homes" and clean.area_codes == ("E05000001",)
    assert ini.working_here([clean], "E01000001", "E05000001") == [clean]
    assert ini.working_here([clean], "E01000001", "E05000002") == []
    assert ini.covered_lsoas(clean, {"E01000001": "E05000001", "E01000002": "E05000009"}) == {"E01000001"}
    for bad, message in [
        ({"partners": (ini.Partner("X", "mafia"),)}, "Choose a sector"),
        ({"area_codes": ()}, "LSOAs or wards"),
        ({"area_codes": ("E06000009",)}, "not an LSOA"),
        ({"start_date": dt.date(2026, 1, 1), "end_date": dt.date(2025, 1, 1)}, "before the start"),
        ({"status": "?"}, "Choose a status"),
        ({"name": "x" * 201}, "at most 200"),
    ]:
        with pytest.raises(ini.InitiativeError, match=message):
            ini.validate_initiative(ini.Initiative(**{**clean.__dict__, **bad}))


def test_initiative_fields_lose_nul_and_bidirectional_controls_like_notes_do():
    item = ini.Initiative(
        name="Warm\x00 Homes\u202e",
        lead_org="Coun\u202ecil",
        description="Heat\u2066 pumps\x00",
        partners=(ini.Partner("Age\x00 UK\u202d", "vcs"),),
        area_codes=("E05000001",),
    )
    clean = ini.validate_initiative(item)
    assert (clean.name, clean.lead_org, clean.description) == ("Warm Homes", "Council", "Heat pumps")
    assert clean.partners == (ini.Partner("Age UK", "vcs"),)


def test_a_partner_name_in_a_message_shows_as_typed_in_markdown():
    item = ini.Initiative(
        name="Warm Homes",
        lead_org="Council",
        partners=(ini.Partner("[Win](http://e.vil)", ""),),
        area_codes=("E05000001",),
    )
    with pytest.raises(ini.InitiativeError) as caught:
        ini.validate_initiative(item)
    assert "](" not in str(caught.value) and "\\[Win\\]" in str(caught.value)
