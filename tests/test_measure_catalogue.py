"""The measures behind the indices and the Census dimensions are catalogue indicators on every page."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from placemap.data import catalogue
from placemap.data.catalogue import CATALOGUE, Catalogue
from placemap.data.indicators import Geography, Polarity, Ranking
from placemap.data.measure_catalogue import measure_indicator, measure_values, register_measures
from placemap.data.measure_records import get_measure, measures_for

APP = str(Path(__file__).resolve().parents[1] / "app.py")
CHILDREN = "children_in_income_deprived_families_2019"


def test_every_measure_of_every_edition_is_one_indicator_with_its_definition_unit_and_source():
    cat = Catalogue()
    added = register_measures(cat)
    assert len(added) == sum(len(measures_for(y)) for y in (2019, 2025, 2011, 2021))
    for ind in added:
        assert ind.definition and ind.unit and ind.source and ind.licence and ind.period
        assert ind.ranking is Ranking.AMONG_PRESENT and not ind.official
    assert register_measures(cat) == []  # once per process, whatever calls it again


def test_a_measure_that_runs_the_other_way_keeps_its_direction_in_the_catalogue():
    connectivity = measure_indicator(get_measure("connectivity_score", 2025))
    assert connectivity.polarity is Polarity.LOW_IS_WORSE
    assert "Darker = worse, so darker = lower here." in connectivity.notes
    children = measure_indicator(get_measure("children_in_income_deprived_families", 2019))
    assert children.polarity is Polarity.HIGH_IS_WORSE and children.unit == "% of children aged 0–15"


def test_measures_join_the_editions_on_their_own_lsoa_geography():
    assert CATALOGUE.get(CHILDREN).geography is Geography.LSOA11
    assert CATALOGUE.get("households_deprived_in_2_or_more_2021").joins(2025)
    assert not CATALOGUE.get("households_deprived_in_2_or_more_2021").joins(2019)
    assert CHILDREN in {i.id for i in catalogue.measures_for(2019, "income")}


@pytest.mark.realdata
def test_children_in_income_deprived_families_are_a_share_of_children_per_lsoa():
    values = measure_values(get_measure("children_in_income_deprived_families", 2019))
    assert len(values) == 32_844
    assert 0 <= values.min() and values.max() <= 100
    assert values.isna().sum() > 4_000  # the suppressed numerators have no rate


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("page", "params", "key"),
    [
        ("map", {"la": "E06000009", "v": "2019", "ind": CHILDREN}, "map.measure"),
        ("systems", {"la": "E06000009", "v": "2019", "x": CHILDREN, "y": "health_rank"}, "systems.x"),
        ("hotspots", {"la": "E06000009", "v": "2019", "dom": CHILDREN, "perm": "99"}, "hotspots.dom"),
    ],
)
def test_a_councillor_opens_blackpool_on_children_in_income_deprived_families(page, params, key):
    at = AppTest.from_file(APP, default_timeout=240)
    if page != "map":
        at.run()
        at.switch_page(f"views/{page}.py")
        at.query_params.clear()
    at.query_params.update(params)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.sidebar.selectbox(key=key).value == CHILDREN
    shown = " ".join(str(e.value) for kind in ("title", "subheader", "caption", "markdown") for e in getattr(at, kind))
    assert "Children in income-deprived families (IoD2019)" in shown.replace("\\", "")  # markdown escapes


@pytest.mark.realdata
def test_priority_finder_counts_children_in_income_deprived_families_at_or_above_30_percent():
    at = AppTest.from_file(APP, default_timeout=240)
    at.run()
    at.switch_page("views/priorities.py")
    at.query_params.clear()
    at.query_params.update({"la": "E06000009", "v": "2019", "doms": "", "uc": f"{CHILDREN}~value~30"})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.sidebar.multiselect(key="priority.uc").value == [CHILDREN]
    text = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "Children in income-deprived families (IoD2019) at or above 30" in text
    table = at.dataframe[0].value
    label = "Children in income-deprived families (IoD2019)"
    assert label in table.columns and (table.loc[table["Meets the rule"], label] >= 30).all()
