"""The systems view, priority finder and hot-spot pages run on the real data and open from links.

Every indicator runs through the same page code: the official indices, the measures behind them
and a session's uploads (parametrised below).
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from placemap.data import loaders
from placemap.data.catalogue import get_vintage
from placemap.uploads.registry import UPLOADS
from placemap.uploads.table import ColumnSpec, UploadedTable

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
# The page files live in pages/ here; main renames that folder to views/ (so Streamlit does
# not auto-discover it), and these tests follow whichever folder app.py uses.
PAGES = "views" if (ROOT / "views").is_dir() else "pages"
pytestmark = pytest.mark.realdata


def _open(page: str, params: dict | None = None) -> AppTest:
    """Start the app, then open ``page`` with a link's query parameters (as a browser would)."""
    at = AppTest.from_file(APP, default_timeout=240)
    at.run()
    at.switch_page(page)
    at.query_params.clear()
    at.query_params.update(params or {})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _html(at: AppTest) -> str:
    return " ".join(h.proto.body for h in at.get("html"))


def test_systems_view_deep_link_shows_that_place_axes_colour_and_lsoa():
    at = _open(
        f"{PAGES}/systems.py",
        {
            "la": "E08000025,E08000026",
            "x": "health_rank",
            "y": "education_rank",
            "col": "la",
            "thirds": "england",
            "area": "E01008881",
        },
    )
    assert at.title[0].value == "Systems view: Birmingham and Coventry"
    assert at.sidebar.multiselect(key="systems.las").value == ["E08000025", "E08000026"]
    assert at.sidebar.selectbox(key="systems.x").value == "health_rank"
    assert at.sidebar.selectbox(key="systems.area").value == "E01008881"
    assert at.query_params["col"] == "la" and at.query_params["area"] == "E01008881"
    html = _html(at)
    assert html.count('class="pm-bv-cell"') == 9 and "Thirds of England" in html
    assert "Birmingham" in html and "Coventry" in html  # the colour key lists the LAs
    assert any("Correlation is not causation" in w.value for w in at.warning)
    assert any("most deprived third on both" in m.value for m in at.markdown)


def test_systems_view_opens_on_the_place_chosen_in_the_map_explorer():
    at = AppTest.from_file(APP, default_timeout=240)
    at.run()
    at.selectbox(key="map.la").set_value("E08000003").run()
    at.switch_page(f"{PAGES}/systems.py")
    at.query_params.clear()
    at.run()
    assert not at.exception
    assert at.title[0].value == "Systems view: Manchester"


def test_systems_view_bad_link_values_fall_back_with_a_visible_note():
    at = _open(f"{PAGES}/systems.py", {"v": "2015", "la": "Gotham", "x": "nope"})
    assert at.title[0].value == "Systems view: Blackpool"
    note = at.info[0].value
    assert "IoD2025 and IoD2019" in note and "Gotham" in note and "x axis" in note


def test_priority_finder_deep_link_rescales_weights_and_counts_the_overlap():
    at = _open(
        f"{PAGES}/priorities.py",
        {
            "la": "E06000009",
            "doms": "income,employment,education,health",
            "pct": "10",
            "n": "3",
            "w": "10,10,10,10,10,10,10",
            "show": "composite",
        },
    )
    assert at.title[0].value == "Priority finder: Blackpool"
    assert at.sidebar.radio(key="priority.show").value == "composite"
    assert any("The weights add up to 70%" in w.value for w in at.warning)
    assert [m.value for m in at.metric][:2] == ["29", "41,771"]  # LSOAs and population covered
    assert "Composite index at the chosen weights" in _html(at)
    assert at.query_params["w"] == "10,10,10,10,10,10,10"


def test_priority_finder_refuses_all_zero_weights_with_a_clear_message():
    at = _open(f"{PAGES}/priorities.py", {"la": "E06000009", "show": "stability"})
    for domain in ("income", "employment", "education", "health", "crime", "barriers", "environment"):
        at.sidebar.slider(key=f"priority.w.{domain}").set_value(0.0)
    at.run()
    assert not at.exception
    assert any("At least one domain needs a weight above zero" in e.value for e in at.error)
    at.sidebar.button(key="priority.reset").click().run()
    assert not at.error and at.sidebar.slider(key="priority.w.income").value == 22.5


def test_hot_spot_deep_link_on_an_la_set_with_an_island():
    at = _open(f"{PAGES}/hotspots.py", {"la": "E06000052,E06000053", "stat": "lisa", "perm": "99", "alpha": "0.05"})
    assert at.title[0].value == "Hot spots: Cornwall and Isles of Scilly"
    assert any("no neighbour in the place (islands)" in i.value for i in at.info)
    html = _html(at)
    assert "High-high" in html and "Not tested: no neighbour in the place (island) (1)" in html
    assert at.dataframe[0].value.shape[0] == 337


def test_hot_spot_bad_link_values_fall_back_with_a_visible_note():
    at = _open(f"{PAGES}/hotspots.py", {"la": "E06000009", "stat": "gi", "alpha": "0.5", "perm": "99"})
    assert "significance level must be one of" in at.info[0].value
    assert at.sidebar.select_slider(key="hotspots.alpha").value == 0.05
    assert "Getis-Ord Gi* hot and cold spots" in _html(at)


def test_the_place_travels_between_these_pages_unless_the_map_explorer_changed_it():
    at = _open(f"{PAGES}/systems.py", {"la": "E08000025,E08000026"})
    at.switch_page(f"{PAGES}/hotspots.py")
    at.query_params.clear()  # the sidebar's page links carry no query parameters
    at.run()
    assert at.title[0].value == "Hot spots: Birmingham and Coventry"
    at.switch_page(f"{PAGES}/map.py").run()
    if at.sidebar.radio(key="map.place").value != "la":  # the two LAs arrived as "several LAs"
        at.sidebar.radio(key="map.place").set_value("la").run()
    at.selectbox(key="map.la").set_value("E08000003").run()
    at.switch_page(f"{PAGES}/priorities.py")
    at.query_params.clear()
    at.run()
    assert not at.exception and at.title[0].value == "Priority finder: Manchester"


# ------------------------------------------------------------------ any catalogue indicator, uploads included

LSOA_ID, LA_ID = "upload_ab12cd34_0", "upload_la000001_0"
CHILDREN = "children_in_income_deprived_families_2019"  # a measure behind the indices (IoD2019)
YOUR_X = "Your data: <b>x</b> (Referrals <i>)"


def _tables() -> dict:
    """Blackpool's 94 LSOAs (2021) with values 0..93, the first four missing; and an LA-level rate."""
    areas = loaders.read_areas(get_vintage(2025))
    codes = areas.index[areas["la_code"] == "E06000009"].sort_values()
    values = np.arange(len(codes), dtype=float)
    values[:4] = np.nan
    lsoa = UploadedTable(
        "ab12cd34",
        "Referrals <i>",
        "Food bank, 2025",
        "lsoa21",
        pd.DataFrame({"v": values}, index=pd.Index(codes, name="area_code")),
        [ColumnSpec("v", "<b>x</b>", "per 1,000")],
    )
    la = UploadedTable(
        "la000001",
        "LA rates",
        "Council",
        "la",
        pd.DataFrame({"r": [5.0, 7.0]}, index=pd.Index(["E06000009", "E06000008"], name="area_code")),
        [ColumnSpec("r", "Rate")],
    )
    return {lsoa.id: lsoa, la.id: la}


def _open_with_uploads(page: str, params: dict, uploads: bool = True) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=300)
    if uploads:
        at.session_state["pm.uploads"] = UPLOADS.keep(_tables().values())
    at.run()
    at.switch_page(page)
    at.query_params.clear()
    at.query_params.update(params)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("kind", ["official", "uploaded"])
def test_systems_view_plots_any_indicator_against_another_with_its_source_and_escaped_label(kind):
    x, y = ("health_rank", "education_rank") if kind == "official" else (LSOA_ID, LA_ID)
    at = _open_with_uploads(f"{PAGES}/systems.py", {"la": "E06000009", "x": x, "y": y, "thirds": "england"})
    selectbox = at.sidebar.selectbox(key="systems.x")
    assert selectbox.value == x and YOUR_X in selectbox.options  # uploads are offered beside the official ones
    html = _html(at)
    matrix = at.dataframe[-1].value
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Scatter as PNG (print, 300 ppi)" in labels and "Download the correlation matrix (CSV)" in labels
    assert html.count('class="pm-bv-cell"') == 9
    assert YOUR_X in matrix.columns  # what the session brought is correlated with the domains
    if kind == "official":
        assert at.header[0].value == "Health Deprivation and Disability against Education, Skills and Training"
        assert not any("source as stated" in i.value for i in at.info)
        assert not any("mostly compare wards" in w.value for w in at.warning)
        assert any("94 LSOAs of Blackpool." in c.value for c in at.caption)
        return
    assert at.header[0].value == "\\<b\\>x\\</b\\> against Rate"  # markdown-escaped, shown literally
    assert any("source as stated\\: Food bank, 2025" in i.value for i in at.info)
    assert any("each LSOA shows its local authority's value" in i.value for i in at.info)
    assert any("correlations with it mostly compare wards" in w.value for w in at.warning)
    assert any("90 LSOAs of Blackpool with values on both (of 94)" in c.value for c in at.caption)
    assert any("no published national rank" in c.value for c in at.caption)  # England's thirds of uploaded data
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html  # the bivariate legend
    assert "No data (4)" in html


@pytest.mark.parametrize("kind", ["measure", "uploaded"])
def test_priority_finder_takes_a_condition_and_a_composite_component_of_any_indicator(kind):
    indicator_id, year, label = (
        (CHILDREN, "2019", "Children in income-deprived families (IoD2019)")
        if kind == "measure"
        else (LSOA_ID, "2025", "<b>x</b>")
    )
    at = _open_with_uploads(
        f"{PAGES}/priorities.py",
        {
            "v": year,
            "la": "E06000009",
            "doms": "income",
            "n": "2",
            "uc": f"{indicator_id}~place~20",
            "ucw": f"{indicator_id}~20",
            "show": "composite",
        },
    )
    assert at.sidebar.multiselect(key="priority.uc").value == [indicator_id]
    assert at.query_params["uc"] == f"{indicator_id}~place~20" and at.query_params["ucw"] == f"{indicator_id}~20"
    overlap = at.dataframe[0].value
    column = YOUR_X if kind == "uploaded" else label
    # The place's worst 20% of the LSOAs with a value (higher is worse), and in England's most deprived 10% on income.
    present = overlap[column].dropna()
    worst = overlap[column] >= present.sort_values(ascending=False).iloc[int(len(present) * 0.2) - 1]
    both = worst & overlap["Which"].str.contains("Income")
    assert int(overlap["Meets the rule"].sum()) == int(both.sum()) > 0
    missing = int(overlap[column].isna().sum())
    assert any(f"{missing} of the place's 94 LSOAs have no value" in c.value for c in at.caption) == (missing > 0)
    assert [m.value for m in at.metric][3] == "—"  # England's share is not comparable with a place-relative rule
    n_defined = 90 if kind == "uploaded" else None
    info = " ".join(i.value for i in at.info)
    assert "the index is computed only where it has a value: **" in info
    assert n_defined is None or f"**{n_defined}** of England's LSOAs" in info
    html = _html(at)
    shown = "Composite index with &lt;b&gt;x&lt;/b&gt;" if kind == "uploaded" else f"Composite index with {label}"
    assert shown in html and "<b>x</b>" not in html  # the legend names the component, escaped
    assert "Download the composite index with this component (CSV)" in [
        b.proto.label for b in at.get("download_button")
    ]


@pytest.mark.parametrize(
    ("kind", "year", "dom"),
    [("official", "2025", "income"), ("measure", "2019", CHILDREN), ("uploaded", "2025", LSOA_ID)],
)
def test_hot_spots_run_on_any_indicator_and_say_how_many_were_left_out(kind, year, dom):
    at = _open_with_uploads(f"{PAGES}/hotspots.py", {"v": year, "la": "E06000009", "dom": dom, "perm": "99"})
    assert at.sidebar.selectbox(key="hotspots.dom").value == dom
    table = at.dataframe[0].value
    no_value = int((table["Class"] == "Not tested: no value in the data").sum())
    html = _html(at)
    computed = " ".join(m.value for m in at.markdown)
    if kind == "official":
        assert no_value == 0 and not any("have no value" in i.value for i in at.info)
        assert "national rank on Income" in computed
        return
    assert "among England's LSOAs that have a value" in computed  # ranked like any indicator without a rank
    assert (no_value == 4) == (kind == "uploaded")
    if no_value:
        assert any(f"{no_value} of the 94 LSOAs have no value in the data" in i.value for i in at.info)
        assert f"{no_value} with no value in the data" in html
    if kind == "uploaded":
        assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html


@pytest.mark.parametrize(
    ("page", "params", "key", "fallback", "uploads"),
    [
        ("systems", {"la": "E06000009", "x": LSOA_ID}, "systems.x", "income_rank", False),
        ("hotspots", {"la": "E06000009", "dom": LSOA_ID, "perm": "99"}, "hotspots.dom", "imd", False),
        ("priorities", {"la": "E06000009", "uc": f"{LSOA_ID}~place~20"}, None, None, False),
        ("systems", {"la": "E06000009", "x": LSOA_ID}, "systems.x", "income_rank", True),
        ("hotspots", {"la": "E06000009", "dom": LSOA_ID, "perm": "99"}, "hotspots.dom", "imd", True),
    ],
    ids=["systems-gone", "hotspots-gone", "priorities-gone", "systems-2021-lsoas-on-2019", "hotspots-2021-on-2019"],
)
def test_an_uploaded_indicator_that_cannot_be_shown_gives_a_plain_note(page, params, key, fallback, uploads):
    at = _open_with_uploads(f"{PAGES}/{page}.py", params, uploads=uploads)
    if uploads:  # shown on IoD2025; then the edition changes to IoD2019, whose 2011 LSOAs it does not match
        assert at.sidebar.selectbox(key=key).value == params.get("x", params.get("dom"))
        at.sidebar.selectbox(key=f"{key.split('.')[0]}.year").set_value(2019).run()
        assert not at.exception
    notes = " ".join(i.value for i in at.info)
    if uploads:
        assert "choose IoD2025" in notes and "2011 and 2021" in notes  # refused, never guessed
    else:
        assert "this browser session does not have" in notes
    if key:
        assert at.sidebar.selectbox(key=key).value == fallback
