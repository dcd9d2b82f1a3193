"""Profile and compare pages on the real data: deep links show the right place, with exports.

Each page test runs with the official data only and again with a session's uploads (an LSOA
table, an LA table, a table on 2011 LSOAs, uploaded areas): the uploads are rows of the same
measures' spine, place table, comparison and report, and an uploaded area a place.
"""

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from placemap.analysis import measure_spine as ms
from placemap.data import loaders
from placemap.data.catalogue import get_vintage
from placemap.render import export
from placemap.uploads.registry import UPLOADS
from placemap.uploads.table import ColumnSpec, UploadedTable

APP = str(Path(__file__).resolve().parents[1] / "app.py")
pytestmark = pytest.mark.realdata
MANCHESTER_LSOAS = ["E01033658", "E01005189", "E01005203"]  # LSOAs of Manchester in 2011 and 2021
HOSTILE = "<script>alert(1)</script>"
DATA = pytest.mark.parametrize("data", ["official", "uploaded"])


def _tables() -> list[UploadedTable]:
    index = pd.Index(MANCHESTER_LSOAS, name="area_code")
    lsoa = UploadedTable(
        "t1",
        "Referrals",
        "Food bank <b>2025</b>",
        "lsoa21",
        pd.DataFrame({"r": [10.5, 12.5, 11.5]}, index=index),
        [ColumnSpec("r", f"{HOSTILE} referrals", "per 1,000")],
    )
    la = UploadedTable(
        "t2",
        "Attendance",
        "=cmd|'/c calc'!A1",
        "la",
        pd.DataFrame(
            {"a": [91.0, 94.0, 95.5]}, index=pd.Index(["E06000009", "E08000003", "E06000008"], name="area_code")
        ),
        [ColumnSpec("a", "=Attendance", "%", polarity="low_is_deprived")],
    )
    old = UploadedTable(
        "t3",
        "Old LSOAs",
        "",
        "lsoa11",
        pd.DataFrame({"o": [1.0, 3.0, 2.0]}, index=index),
        [ColumnSpec("o", "Old survey")],
    )
    return [lsoa, la, old]


def _areas():
    import geopandas as gpd

    from placemap.uploads.uploaded_boundaries import UploadedAreas

    lsoas = loaders.read_area_boundaries(loaders.data_path(get_vintage(2025).boundary_file))
    frame = gpd.GeoDataFrame(
        {"area_id": ["A1", "A2"], "area_name": [f"{HOSTILE} plan area", "Next door"]},
        geometry=[lsoas.loc[MANCHESTER_LSOAS, "geometry"].union_all(), lsoas.at["E01005190", "geometry"]],
        crs=lsoas.crs,
    ).to_crs(4326)
    return UploadedAreas("b0000001", "Plan areas", "Parish council", frame.set_index("area_id", drop=False))


def _open(page: str, params: dict, data: str = "official", areas: bool = False) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    if data == "uploaded":
        at.session_state["pm.uploads"] = UPLOADS.keep([*_tables(), *([_areas()] if areas else [])])
    at.query_params.update(params)
    at.switch_page(page).run()  # the page's file name is its url path, as in a shared link
    assert not at.exception, [e.value for e in at.exception]
    return at


def _shown_text(at: AppTest) -> str:
    return " ".join(m.value for m in (*at.markdown, *at.caption, *at.info))


def _yours(measures: pd.DataFrame) -> pd.DataFrame:
    return measures[measures["Theme"] == ms.YOUR_DATA].set_index("Measure")


def _weighted_referrals(year: int = 2025, values: tuple = (10.5, 12.5, 11.5)) -> float:
    """The referrals of the three Manchester LSOAs, each weighted by its people (the place's honest figure)."""
    from placemap.ui.upload_cache import load_lsoa_population

    people = load_lsoa_population(year).reindex(MANCHESTER_LSOAS)
    return float((people * list(values)).sum() / people.sum())


def _downloads(at: AppTest) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


@DATA
def test_lsoa_profile_from_a_deep_link(data):
    at = _open("views/profile.py", {"area": "E01033658"}, data)
    assert at.title[0].value == "Manchester 054C: area profile"
    assert at.sidebar.selectbox(key="profile.la").value == "E08000003"
    assert at.sidebar.selectbox(key="profile.area").value == "E01033658"
    points = at.markdown[0].value
    assert "Among the 10% most deprived LSOAs in England for Crime" in points
    ranks, history, measures, similar = (d.value for d in at.dataframe)
    assert len(ranks) == 14 and ranks["Domain"].iloc[0] == "Index of Multiple Deprivation (IMD)"
    # The spine of measures: IoD2025's 28 and Census 2021's 7, with the LA's and England's figures.
    assert len(measures) == 35 + 2 * (data == "uploaded")
    assert {"This LSOA", "Local authority", "England", ms.RANK, ms.RANK_LA} <= set(measures.columns)
    assert "Measures behind the indices" in [h.value for h in at.header]
    assert history["Edition"].tolist() == ["IoD2025", "IoD2019", "IoD2015"]
    assert len(similar) == 10 and "E01033658" not in similar["LSOA code"].tolist()
    assert (at.query_params["area"], at.query_params["la"]) == ("E01033658", "E08000003")  # a shareable link
    labels = _downloads(at)
    assert labels[0] == "Download the profile report (PDF)"
    assert {"Spine chart as PNG (print, 300 ppi)", "Spine chart as SVG", "Map as PNG", "Map as SVG"} <= set(labels)
    assert {"Ranks and deciles as CSV", "Editions as CSV", "Measures as CSV", "Similar areas as CSV"} <= set(labels)
    assert len(labels) == len(set(labels))  # each button says what it saves
    assert {"Measures chart as PNG (print, 300 ppi)", "Measures chart as SVG"} <= set(labels)
    if data == "official":
        assert _yours(measures).empty
        return
    yours = _yours(measures)
    referrals, attendance = yours.loc[f"{HOSTILE} referrals"], yours.loc["=Attendance"]
    assert referrals["This LSOA"] == 10.5 and referrals[ms.RANK_LA] == "3 of 3 LSOAs"  # lowest is best
    assert referrals["Edition"] == "Your data: Food bank <b>2025</b> (As stated by the uploader)"
    assert referrals["Local authority"] == pytest.approx(_weighted_referrals())  # not the median 11.5
    assert "population-weighted mean" in referrals["How the LA figure was made"]
    assert attendance[ms.RANK] == "2 of 3 local authorities"  # lower is worse: Blackpool's 91 is the worst
    assert "each LSOA shows its local authority's value" in attendance["How the LA figure was made"]
    shown = _shown_text(at)
    assert "Old survey is on LSOAs \\(2011\\)" in shown and "choose IoD2019 or IoD2015" in shown
    assert "<script>" not in shown and "<b>" not in shown
    assert "Food bank \\<b\\>2025\\</b\\>" in shown  # the stated source, shown literally
    csv = export.to_safe_csv(measures).decode("utf-8-sig")
    assert "'=Attendance" in csv and "\n=Attendance" not in csv and ",=Attendance" not in csv


@DATA
def test_la_profile_from_a_deep_link_shows_official_measures_and_similar_authorities(data):
    at = _open("views/profile.py", {"la": "E08000003", "v": "2019"}, data)
    assert at.title[0].value == "Manchester: area profile"
    assert "English Indices of Deprivation 2019" in at.caption[0].value
    deciles, official, measures, most, least, similar = (d.value for d in at.dataframe)
    assert deciles["LSOAs"].iloc[0] == 282  # Manchester's 2011 LSOAs
    imd = official.set_index("Domain").loc["Index of Multiple Deprivation (IMD)"]
    file10 = loaders.read_la_summaries(get_vintage(2019)).loc["E08000003"]
    assert imd["Rank of average score"] == file10["IMD - Rank of average score"] == 6
    assert most["IMD rank"].is_monotonic_increasing and least["IMD rank"].is_monotonic_decreasing
    assert most["IMD decile"].iloc[0] == 1 and least["IMD rank"].iloc[0] > 25_000
    assert len(similar) == 10 and "E08000003" not in similar["LA code"].tolist()
    assert "Rank of average score" in official.columns
    assert {
        "Deciles chart as SVG",
        "Deciles table as CSV",
        "Summary measures as CSV",
        "Most deprived LSOAs as CSV",
        "Measures as CSV",
    } <= set(_downloads(at))
    income = measures.set_index("Measure").loc["People in income deprivation"]
    assert "never an average" in income["How the place's figure was made"]
    if data == "official":
        assert _yours(measures).empty
        return
    yours = _yours(measures)  # IoD2019: the 2011-LSOA upload joins, the 2021 one is refused with a note
    old = yours.loc["Old survey"]
    assert old["This place"] == pytest.approx(_weighted_referrals(2019, (1.0, 3.0, 2.0)))  # not the median 2
    assert "its 3 of 282 LSOAs with a value (lowest 1, highest 3, median 2)" in old["How the place's figure was made"]
    attendance = yours.loc["=Attendance"]
    assert attendance["This place"] == 94.0 and attendance[ms.RANK] == "2 of 3 local authorities"
    assert f"{HOSTILE} referrals" not in yours.index
    assert "referrals is on LSOAs \\(2021\\)" in _shown_text(at)


def test_a_link_to_an_unknown_lsoa_opens_the_default_la_with_a_note():
    at = _open("views/profile.py", {"area": "E01999999"})
    assert at.title[0].value == "Blackpool: area profile"
    assert "E01999999 is not an LSOA in any edition" in at.info[0].value


@DATA
def test_compare_page_draws_one_chart_per_domain_and_a_table(data):
    at = _open("views/compare.py", {"cmp": "E08000003,E06000009", "v": "2025"}, data)
    assert not at.info or data == "uploaded"  # a valid link needs no note (the 2011-LSOA upload gets one)
    charts = at.get("vega_lite_chart")
    picked = at.multiselect(key="compare.measures.charts")
    # IMD, seven domains, six sub-domains; then a chart per measure picked: the uploads, else the first three.
    assert len(charts) == 14 + len(picked.value) and len(picked.value) == (2 if data == "uploaded" else 3)
    titles = [picked.format_func(v) for v in picked.value]
    assert all(t.startswith(ms.YOUR_DATA) for t in titles) == (data == "uploaded")
    assert sum(label.endswith("as SVG") for label in _downloads(at)) == len(charts)  # each chart exports
    table = at.dataframe[0].value
    assert set(table["Local authority"]) == {"Manchester (E08000003)", "Blackpool (E06000009)"}
    assert at.sidebar.multiselect(key="compare.las").value == ["E08000003", "E06000009"]
    assert [link.proto.query_string for link in at.get("page_link")] == ["v=2025&la=E08000003", "v=2025&la=E06000009"]
    measures = next(d.value for d in at.dataframe if "Higher means" in d.value.columns)
    assert {"Manchester (E08000003)", "Blackpool (E06000009)", "England"} <= set(measures.columns)
    income = measures.set_index("Measure").loc["People in income deprivation"]
    assert income["Blackpool (E06000009)"] > income["England"]  # from Blackpool's LSOAs' summed counts
    assert income["Blackpool (E06000009): rank (1 = worst)"] == "–"  # its shown figure is a middle LSOA: no rank
    households = measures.set_index("Measure").loc["Households deprived in two or more dimensions"]
    rank, of = households["Blackpool (E06000009): rank (1 = worst)"].split(" of ")
    assert int(rank) <= 30 and of == "296 local authorities"  # among England's LAs, each from its summed counts
    if data == "uploaded":
        yours = _yours(measures)
        assert yours.loc["=Attendance", ["Blackpool (E06000009)", "Manchester (E08000003)"]].tolist() == [91.0, 94.0]
        assert yours.loc["=Attendance", "Blackpool (E06000009): rank (1 = worst)"] == "1 of 3 local authorities"
        referrals = yours.loc[f"{HOSTILE} referrals", "Manchester (E08000003)"]
        assert referrals == pytest.approx(_weighted_referrals()) and referrals != 11.5  # not the median
        assert yours.loc[f"{HOSTILE} referrals", "Edition"].startswith("Your data: Food bank")


@DATA
def test_compare_lsoas_from_a_link_and_change_the_selection(data):
    at = _open("views/compare.py", {"cmp": "E01033658,E01005189"}, data)
    assert at.sidebar.radio(key="compare.kind").value == "lsoa"
    if data == "uploaded":
        measures = next(d.value for d in at.dataframe if "Higher means" in d.value.columns)
        referrals = _yours(measures).loc[f"{HOSTILE} referrals"]
        assert referrals[["Manchester 054C (E01033658)", "Manchester 017D (E01005189)"]].tolist() == [10.5, 12.5]
        assert referrals["Manchester 017D (E01005189): rank (1 = worst)"] == "1 of 3 LSOAs"
        assert "Old survey is on LSOAs \\(2011\\)" in _shown_text(at)
    measures = next(d.value for d in at.dataframe if "Higher means" in d.value.columns)
    income = measures.set_index("Measure").loc["People in income deprivation"]
    assert income["Manchester 054C (E01033658): rank (1 = worst)"].endswith("of 33,755 LSOAs")  # among England's
    assert len(at.dataframe[0].value) == 14 * 2  # every domain and sub-domain, two LSOAs
    at.sidebar.multiselect(key="compare.lsoas").select("E01005203").run()
    assert not at.exception
    assert at.query_params["cmp"] == "E01033658,E01005189,E01005203"
    assert len(at.dataframe[0].value) == 14 * 3


def test_map_side_panel_links_to_the_selected_areas_profile_and_offers_map_exports():
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params.update({"la": "E08000003", "area": "E01033658", "v": "2025"})
    at.run()
    assert not at.exception
    links = [link.proto for link in at.get("page_link")]
    assert [(link.label, link.query_string) for link in links] == [("Open profile", "v=2025&area=E01033658")]
    assert {"Map as PNG", "Map as SVG", "Interactive map (HTML)"} <= set(_downloads(at))


def test_switching_to_an_edition_without_the_la_says_so_and_shows_blackpool():
    at = _open("views/profile.py", {"la": "E06000060"})  # Buckinghamshire: a unitary authority since 2020
    assert at.title[0].value == "Buckinghamshire: area profile"
    at.sidebar.selectbox(key="profile.year").set_value(2015).run()
    assert at.title[0].value == "Blackpool: area profile"
    assert "E06000060 is not a local authority of IoD2015's geography; showing Blackpool." in at.info[0].value


@pytest.mark.parametrize(
    ("data", "params", "title"),
    [
        ("official", {"place": "ward:E05015188"}, "Bloomfield: ward profile"),
        ("uploaded", {"v": "2025", "upload_area": "b0000001:A1"}, f"{HOSTILE} plan area: uploaded area profile"),
    ],
    ids=["official place", "uploaded area, by its older link"],
)
def test_a_place_and_an_uploaded_area_open_the_same_place_profile(data, params, title):
    at = _open("views/profile.py", params, data, areas=True)
    escaped = title.replace("<", "\\<").replace(">", "\\>").replace("(", "\\(").replace(")", "\\)")
    assert at.title[0].value == escaped
    assert {"Average rank", "Extent", "Local concentration"} <= set(at.dataframe[0].value.columns)
    measures = next(d.value for d in at.dataframe if "This place" in d.value.columns)
    assert "People in income deprivation" in set(measures["Measure"])
    lsoas = next(d.value for d in at.dataframe if "LSOA code" in d.value.columns)
    labels = set(_downloads(at))
    assert {"Download the profile report (PDF)", "Measures as CSV", "LSOAs as CSV"} <= labels
    headers = [h.value for h in at.header]
    if data == "official":
        assert at.query_params["place"] == "ward:E05015188" and "Share counted" not in lsoas.columns
        assert "Neighbouring wards" in headers and "Beside similar places" not in headers
        return
    beside = next(d.value for d in at.dataframe if "Profile" in d.value.columns and "Extent" in d.value.columns)
    assert "Beside similar places" in headers and list(beside["Name"]) == [f"{HOSTILE} plan area", "Next door"]
    assert beside["Profile"].iloc[1].endswith("place=upload:b0000001:A2")  # opens the other area's profile
    assert at.query_params["place"] == "upload:b0000001:A1" and "upload_area" not in at.query_params
    assert at.sidebar.selectbox(key="profile.upload_area").value == "b0000001:A1"
    assert sorted(lsoas["LSOA code"]) == sorted(MANCHESTER_LSOAS)  # exactly the three LSOAs it was made of
    assert lsoas["Share counted"].min() > 0.99  # by the population-weighted overlay
    compare = [link.proto.query_string for link in at.get("page_link") if "cmp=" in link.proto.query_string]
    assert compare and "upload%3Ab0000001%3AA1" in compare[0]
    referrals = _yours(measures).loc[f"{HOSTILE} referrals"]
    assert referrals["This place"] == pytest.approx(_weighted_referrals(), rel=1e-3)  # shares of nearly 1
    assert "population-weighted mean of its 3 of 3 LSOAs with a value" in referrals["How the place's figure was made"]
    assert "<script>" not in _shown_text(at)


def test_an_uploaded_area_compares_as_a_place_beside_its_la_and_england():
    at = _open("views/compare.py", {"v": "2025", "cmp": "upload:b0000001:A1,la:E08000003,england"}, "uploaded", True)
    table = next(d.value for d in at.dataframe)
    places = [f"{HOSTILE} plan area (uploaded area)", "Manchester (local authority)", "England"]
    assert set(places) <= set(table.columns)
    measures = next(d.value for d in at.dataframe if "Higher means" in d.value.columns)
    referrals = _yours(measures).loc[f"{HOSTILE} referrals"]
    assert referrals[places[0]] == pytest.approx(_weighted_referrals(), rel=1e-3)  # weighted, as on its profile
    picked = at.multiselect(key="compare.measures.charts")
    assert [picked.format_func(v) for v in picked.value] == [
        f"{ms.YOUR_DATA} · {HOSTILE} referrals",
        f"{ms.YOUR_DATA} · =Attendance",
    ]


def test_a_link_to_an_uploaded_area_the_session_lacks_gets_a_note():
    at = _open("views/profile.py", {"v": "2025", "upload_area": "b0000009:A1"}, "uploaded")
    assert at.title[0].value == "Blackpool: area profile"
    assert any("belong to another browser session" in i.value for i in at.info)


def test_choosing_an_lsoa_leaves_the_uploaded_area_for_the_lsoas_profile():
    at = _open("views/profile.py", {"v": "2025", "place": "upload:b0000001:A1"}, "uploaded", areas=True)
    assert at.title[0].value.endswith("plan area: uploaded area profile")
    at.sidebar.selectbox(key="profile.area").select("E01033658").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Manchester 054C: area profile"
    assert at.sidebar.selectbox(key="profile.upload_area").value is None
    assert "place" not in at.query_params and at.query_params["area"] == "E01033658"


def test_choosing_one_of_your_areas_in_the_sidebar_opens_its_profile():
    at = _open("views/profile.py", {"v": "2025", "area": "E01033658"}, "uploaded", areas=True)
    at.sidebar.selectbox(key="profile.upload_area").select("b0000001:A1").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value.endswith("plan area: uploaded area profile")
    assert at.query_params["place"] == "upload:b0000001:A1" and "area" not in at.query_params


def test_a_saved_areas_link_opens_the_area_profile_in_a_new_session(tmp_path, monkeypatch):
    from placemap.storage import store, upload_store

    monkeypatch.setenv("PLACEMAP_DB_PATH", str(tmp_path / "placemap.db"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    areas = _areas()
    db = store.open_store(store.database_url())
    share_id = upload_store.save_upload(db, "areas", areas.name, areas.source, areas.to_payload(), None, 1)
    at = _open("views/profile.py", {"v": "2025", "upload": share_id, "upload_area": f"{share_id}:A1"})
    assert at.title[0].value.endswith("plan area: uploaded area profile")
    assert any("Opened the saved dataset" in i.value for i in at.info)
    assert at.query_params["upload"] == share_id  # the link stays shareable


@DATA
def test_the_profile_report_pdf_lists_the_measures_and_the_sessions_data(data, tmp_path):
    import shutil
    import subprocess

    from placemap.data.catalogue import CATALOGUE
    from placemap.ui import profile_cache

    catalogue = CATALOGUE.with_uploads(_tables() if data == "uploaded" else [])
    pdf = profile_cache.load_report_pdf(
        2025, "E01033658", "", catalogue_key=str(catalogue.version), _catalogue=catalogue
    )
    (tmp_path / "r.pdf").write_bytes(pdf)
    text = subprocess.run(
        [shutil.which("pdftotext"), str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Measures behind the indices" in text and "People in income deprivation" in text
    if data == "uploaded":
        assert "=Attendance" in text and "Your data: Food bank <b>2025</b> (As stated by the uploader)" in text
        assert "Old survey is on LSOAs (2011)" in text  # the upload that cannot join, said in one line
    else:
        assert "Your data" not in text


def test_the_profiles_map_files_are_a_figure_with_the_area_and_an_offline_page():
    from placemap.ui import profile_cache

    choice = profile_cache.MapFile(2025, "E06000009", "imd_decile", "national_deciles", 10, "viridis", "E01012663")
    svg = profile_cache.load_map_file(choice, "svg").decode()
    assert svg.startswith("<?xml") and "Blackpool 001A (E01012663)" in svg  # the outlined LSOA, named
    page = profile_cache.load_map_file(choice._replace(area=None), "html").decode()
    assert "<html" in page.lower() and "L.map" in page and "Blackpool" in page
