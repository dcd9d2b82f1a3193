"""Uploaded indicators on the systems view, priority finder and hot spots: the pure parts, on tiny fixtures."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from placemap.analysis import hotspots, priority, systems
from placemap.analysis import systems_upload as su
from placemap.data.catalogue import get_indicator, get_vintage
from placemap.links import systems_links
from placemap.render import charts, charts_systems, export
from placemap.uploads.table import ColumnSpec, UploadedTable

from .conftest import make_boundaries, make_iod_table

HOSTILE = "<b>x</b>"


def _national(n: int = 12) -> pd.DataFrame:
    """``n`` areas, two LAs (the first half in E06000001); area i has rank i+1 on every domain."""
    b = make_boundaries(n)
    b.loc[b.index[n // 2 :], "la_code"] = "E06000002"
    table = make_iod_table(list(b["area_code"]))
    frame = pd.DataFrame(b.drop(columns="geometry")).set_index("area_code", drop=False)
    return frame.join(table.set_index("area_code"))


def _lsoa_table(national: pd.DataFrame, values, polarity: str = "high_is_deprived", label: str = HOSTILE):
    index = pd.Index(national.index[: len(values)], name="area_code")
    return UploadedTable(
        "ab12cd34",
        "Referrals <i>",
        "Food bank =cmd",
        "lsoa21",
        pd.DataFrame({"v": np.asarray(values, dtype=float)}, index=index),
        [ColumnSpec("v", label, "per 1,000", polarity=polarity)],
    )


def _la_table():
    values = pd.DataFrame({"r": [5.0, 9.0]}, index=pd.Index(["E06000001", "E06000002"], name="area_code"))
    return UploadedTable("la000001", "LA rates", "Council", "la", values, [ColumnSpec("r", "Rate")])


def test_uploads_join_their_edition_with_labelled_options_and_are_refused_on_the_other():
    national = _national()
    table = _lsoa_table(national, [1.0, 2.0, 3.0])
    joined = su.join_uploads([table, _la_table()], 2025, national)
    assert joined.options() == {
        "upload_ab12cd34_0": "Your data: <b>x</b> (Referrals <i>)",
        "upload_la000001_0": "Your data: Rate (LA rates)",
    }
    uploaded = joined.frame["upload_ab12cd34_0"]
    assert uploaded.iloc[:3].tolist() == [1.0, 2.0, 3.0]
    assert uploaded.iloc[3:].isna().all()  # LSOAs the table does not list have no value, not zero
    assert joined.frame["upload_la000001_0"].tolist() == [5.0] * 6 + [9.0] * 6  # each LSOA takes its LA's value
    assert joined.broadcast("upload_la000001_0") and not joined.broadcast("upload_ab12cd34_0")
    assert "each LSOA shows its local authority's value" in joined.source_line("upload_la000001_0")
    on_2019 = su.join_uploads([table], 2019, national)
    assert not on_2019 and "choose IoD2025" in on_2019.refused["upload_ab12cd34_0"]


def test_augment_adds_the_uploaded_columns_without_changing_the_shared_table():
    national = _national()
    joined = su.join_uploads([_lsoa_table(national, [1.0, 2.0])], 2025, national)
    augmented = joined.augment(national)
    assert "upload_ab12cd34_0" in augmented.columns and "upload_ab12cd34_0" not in national.columns
    indicator = joined.resolve("upload_ab12cd34_0")
    assert indicator.column(2025) == "upload_ab12cd34_0" and joined.resolve("income_rank").id == "income_rank"


def test_the_scatter_keeps_only_lsoas_with_values_on_both_axes():
    national = _national()
    joined = su.join_uploads([_lsoa_table(national, [4.0, np.nan, 6.0])], 2025, national)
    areas = joined.augment(national)
    context = pd.DataFrame({"ruc_label": "Urban"}, index=areas.index)
    frame = systems.scatter_frame(areas, context, 2025, joined.resolve("upload_ab12cd34_0"), "income_rank", "ruc")
    assert frame["code"].tolist() == ["E01000001", "E01000003"]
    assert frame["x"].tolist() == [4.0, 6.0] and frame["y"].tolist() == [1.0, 3.0]


@pytest.mark.parametrize(("polarity", "most_deprived"), [("high_is_deprived", 5), ("low_is_deprived", 0)])
def test_thirds_of_uploaded_data_rank_it_by_its_polarity_among_areas_with_a_value(polarity, most_deprived):
    national = _national()
    joined = su.join_uploads([_lsoa_table(national, [1, 2, 3, 4, 5, 6], polarity)], 2025, national)
    augmented = joined.augment(national)
    indicator = joined.resolve("upload_ab12cd34_0")
    england = systems.thirds(augmented, augmented, indicator, 2025, "england")
    assert (england[6:] == -1).all()  # no value: no third
    assert england[most_deprived] == 2 and england[5 - most_deprived] == 0
    assert sorted(england[:6].tolist()) == [0, 0, 1, 1, 2, 2]  # England's thirds of the six with a value


def test_correlation_with_uploaded_data_is_positive_when_both_are_more_deprived_together():
    national = _national()
    # Higher = worse, and highest where the domain rank is 1 (most deprived): moves with deprivation.
    joined = su.join_uploads([_lsoa_table(national, np.arange(12, 0, -1))], 2025, national)
    areas = joined.augment(national)
    extra, notes = su.matrix_columns(joined, areas)
    matrix = systems.correlation_matrix(areas, 2025, extra=extra)
    assert matrix.loc["Income", "Your data: <b>x</b> (Referrals <i>)"] == pytest.approx(1.0)
    assert notes == []


def test_matrix_leaves_out_uploads_with_too_few_or_equal_values_and_says_so():
    national = _national()
    joined = su.join_uploads([_lsoa_table(national, [1.0, 2.0]), _la_table()], 2025, national)
    areas = joined.augment(national).iloc[:6]  # one LA: the LA rate is the same everywhere
    extra, notes = su.matrix_columns(joined, areas)
    assert extra == {}
    assert "too few to correlate" in notes[0] and "same value across this place" in notes[1]


def test_condition_hits_follow_the_polarity_the_threshold_and_the_place():
    values = np.array([5.0, 1.0, np.nan, 3.0, 9.0, 7.0])
    everywhere = np.ones(6, dtype=bool)
    high = su.condition_hits(values, "high_is_deprived", su.Condition("u", "value", 5), everywhere)
    low = su.condition_hits(values, "low_is_deprived", su.Condition("u", "value", 3), everywhere)
    assert high.tolist() == [True, False, False, False, True, True]
    assert low.tolist() == [False, True, False, True, False, False]
    place = np.array([1, 1, 1, 1, 0, 0], dtype=bool)  # worst 50% of the 3 with a value in the place: 1 LSOA
    worst = su.condition_hits(values, "high_is_deprived", su.Condition("u", "place", 50), place)
    assert worst.tolist() == [True, False, False, False, False, False]
    with pytest.raises(ValueError, match="between 0% and 100%"):
        su.condition_hits(values, "high_is_deprived", su.Condition("u", "place", 0), place)


def test_overlap_counts_uploaded_conditions_like_domains_with_population():
    national = _national()
    population = pd.Series(100.0, index=national.index)
    hits = np.zeros(12, dtype=bool)
    hits[[1, 2]] = True
    # Income: rank <= 10% of 12 = 1 -> only area 1; with the uploaded condition, at least 1 of 2.
    result = priority.overlap(
        national, 2025, ["E06000001"], ["income"], 10, 1, population, extra=[("Referrals at or above 3", hits)]
    )
    assert result.n_conditions == 2 and result.count == 3 and result.population == 300
    assert result.table.set_index("area_code").loc["E01000002", "which"] == "Referrals at or above 3"
    classes = priority.overlap_classification(result, list(national.index[:6]))
    assert classes.labels[-1] == "2 of 2 conditions (meets the rule)"
    with pytest.raises(ValueError, match="between 1 and 2"):
        priority.overlap(national, 2025, ["E06000001"], ["income"], 10, 3, extra=[("x", hits)])


def test_composite_with_upload_is_ranked_only_where_the_upload_has_a_value():
    national = _national()
    values = pd.Series(np.r_[np.arange(10, 0, -1.0), [np.nan, np.nan]], index=national.index)
    seven = dict(priority.OFFICIAL_WEIGHTS)
    only_upload = su.composite_with_upload(national, 2025, dict.fromkeys(seven, 0.0), values, "high_is_deprived", 50)
    assert only_upload["rank"].iloc[:10].tolist() == list(range(1, 11))  # the upload's own order
    assert only_upload["score"].iloc[10:].isna().all()
    no_upload = su.composite_with_upload(national, 2025, seven, values, "high_is_deprived", 0)
    official = priority.composite_index(national, 2025, seven)["rank"].iloc[:10]
    assert no_upload["rank"].iloc[:10].tolist() == official.rank(method="min").astype(int).tolist()
    assert no_upload["decile"].iloc[0] == 1 and no_upload["imd_rank"].iloc[:10].tolist() == list(range(1, 11))
    with pytest.raises(ValueError, match="at least 10"):
        su.composite_with_upload(national, 2025, seven, values.iloc[:5], "high_is_deprived", 10)


def test_need_percentile_of_uploaded_values_runs_from_the_most_deprived_at_100():
    assert hotspots.need_percentile_among(np.array([2.0, np.nan, 1.0]), "low_is_deprived").tolist()[::2] == [
        50.0,
        100.0,
    ]


@pytest.mark.parametrize(
    ("values", "polarity"),
    [(np.array([30.0, 20.0, 10.0]), "high_is_deprived"), (np.array([1.0, 2.0, 3.0]), "low_is_deprived")],
    ids=["higher-is-worse", "lower-is-worse"],
)
def test_uploaded_values_and_official_ranks_in_the_same_order_get_the_same_need_percentile(values, polarity):
    official = hotspots.need_percentile(np.array([1, 2, 3]), 3)  # national ranks, 1 = most deprived
    assert hotspots.need_percentile_among(values, polarity).tolist() == official.tolist()


def test_hot_spots_on_uploaded_data_leave_out_lsoas_without_a_value_and_escape_the_tooltip():
    geometry = make_boundaries(9).geometry
    values = np.array([90, 80, 85, np.nan, 20, 10, 15, 12, 11], dtype=float)
    stats = hotspots.local_statistics(values, geometry, "lisa", permutations=99)
    assert not stats.tested[3] and stats.tested.sum() == 8  # the gap splits the row; no one is stranded
    national = _national()
    joined = su.join_uploads([_lsoa_table(national, [1.0])], 2025, national)
    indicator = joined.resolve("upload_ab12cd34_0")
    classification, payload, cutoff = hotspots.hotspot_map(
        stats, 0.05, False, label=f"{indicator.label}: LISA", total=100, version="v", values=values, indicator=indicator
    )
    assert classification.n_missing == int((~stats.tested).sum()) and cutoff == 0.05
    assert payload["value"][3] == hotspots.NO_VALUE_LABEL
    assert all("<b>" not in v for v in payload["value"]) and "&lt;b&gt;x&lt;/b&gt;" in payload["label"]


@pytest.mark.parametrize("kind", ["official", "uploaded"])
def test_one_hot_spot_map_serves_official_and_uploaded_indicators_alike(kind):
    geometry = make_boundaries(9).geometry
    need = np.array([90, 80, 85, 70, 20, 10, 15, 12, 11], dtype=float)
    stats = hotspots.local_statistics(need, geometry, "gi", permutations=99)
    if kind == "official":
        extra = {"ranks": [f"{i + 1:,}" for i in range(9)], "deciles": ["1"] * 9}
    else:
        national = _national()
        indicator = su.join_uploads([_lsoa_table(national, [1.0])], 2025, national).resolve("upload_ab12cd34_0")
        extra = {"values": need, "indicator": indicator}
    classification, payload, cutoff = hotspots.hotspot_map(stats, 0.05, False, label="L", total=9, version="v", **extra)
    assert classification.labels == [name for name, _ in hotspots.GI_CLASSES] and cutoff == 0.05
    assert list(classification.classes) == list(hotspots.hotspot_classes(stats, 0.05, False))
    assert all("pseudo p = " in v for v in payload["value"])  # every LSOA was tested
    # an uploaded indicator's tooltip quotes its value; an official one carries national ranks instead
    assert all((";" in v) == (kind == "uploaded") for v in payload["value"])
    assert (payload["rank"][0] == "1") == (kind == "official")


@pytest.mark.parametrize("kind", ["official", "uploaded"])
def test_one_bivariate_map_serves_official_and_uploaded_axes_alike(kind):
    national = _national()
    joined = su.join_uploads([_lsoa_table(national, np.arange(12.0))], 2025, national)
    augmented = joined.augment(national)
    areas = augmented.iloc[:6]
    x = get_indicator("health_rank") if kind == "official" else joined.resolve("upload_ab12cd34_0")
    result, payload = systems.bivariate_map(areas, augmented, 2025, x, get_indicator("income_rank"), "place", 12)
    assert sum(result.classification.counts) == 6 and len(payload["value"]) == 6
    expected = "Health Deprivation and Disability" if kind == "official" else "&lt;b&gt;x&lt;/b&gt;"
    assert payload["label"].startswith(expected) and payload["label"].endswith("× Income")
    assert "<b>" not in "".join(payload["value"]) and "<b>" not in payload["label"]


def test_exports_name_the_uploaded_source_and_neutralise_formulas():
    national = _national()
    joined = su.join_uploads([_lsoa_table(national, [1.0, 2.0])], 2025, national)
    lines = joined.source_lines(["upload_ab12cd34_0", "income_rank", "upload_ab12cd34_0"])
    assert lines == [
        "Your data: <b>x</b> (per 1,000), from the uploaded dataset Referrals <i>; source as stated: Food bank =cmd."
    ]
    table = pd.DataFrame({"=bad": ["=HYPERLINK()"], "v": [1.0]})
    csv = export.to_safe_csv(table, ["t", *lines]).decode("utf-8-sig")
    assert "# Your data: <b>x</b> (per 1,000)" in csv and "'=bad" in csv and "'=HYPERLINK()" in csv


def test_the_scatter_png_carries_the_uploaded_source_in_its_footer():
    national = _national()
    joined = su.join_uploads([_lsoa_table(national, np.arange(12.0))], 2025, national)
    areas = joined.augment(national)
    x = joined.resolve("upload_ab12cd34_0")
    y = get_indicator("income_rank")
    frame = systems.scatter_frame(areas, pd.DataFrame({"ruc_label": "Urban"}, index=areas.index), 2025, x, y, "ruc")
    chart = charts_systems.scatter_chart(frame, x, y, "Rural-urban", ["Urban"], ["#000000"])
    footer = [f"Source: {get_vintage(2025).source}.", *joined.source_lines([x.id])]
    framed = charts.framed(charts_systems.for_export(chart), title="t", subtitle="s", footer=footer)
    assert "source as stated: Food bank =cmd" in json.dumps(framed.to_dict())
    png = export.chart_png(framed, ppi=72)
    assert png.startswith(b"\x89PNG")


def test_links_accept_uploaded_ids_only_when_the_session_has_them():
    notes: list[str] = []
    assert systems_links.parse_upload_conditions("upload_zz_0~place~20", ["upload_ab_0"], notes) == ()
    assert "this browser session does not have" in notes[0]
    notes.clear()
    assert systems_links.parse_upload_conditions("upload_ab_0~place~0,x", ["upload_ab_0"], notes) == ()
    assert len(notes) == 2
    assert systems_links.parse_upload_component("upload_ab_0~150", ["upload_ab_0"], notes) is None
    view, notes = systems_links.parse_systems_view(
        {"x": "upload_gone_0"},
        {2025: {"E06000009": "Blackpool"}},
        (2025,),
        {2025: {"income_rank": "Income"}},
        {2025: {"ruc": "RUC"}},
    )
    assert view.x == "income_rank" and "this browser session does not have" in notes[0]


def test_a_priority_view_with_uploaded_data_round_trips_through_its_link():
    view = systems_links.PriorityView(conditions=(("upload_ab_0", "value", 3.5),), component=("upload_ab_0", 12.5))
    params = view.to_params()
    assert params["uc"] == "upload_ab_0~value~3.5" and params["ucw"] == "upload_ab_0~12.5"
    parsed, notes = systems_links.parse_priority_view(
        params,
        {2025: {"E06000009": "Blackpool"}},
        (2025,),
        {2025: ["income", "employment", "education", "health"]},
        {2025: ["upload_ab_0"]},
    )
    assert notes == [] and parsed.conditions == view.conditions and parsed.component == view.component
    assert "uc" not in systems_links.PriorityView().to_params()  # links without uploaded data are unchanged
