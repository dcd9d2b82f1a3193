"""Maps of places by a File 10 measure: values in map order, classes, legend, table and link keys, on
small fixtures built in code."""

import mapclassify
import numpy as np
import pandas as pd
import pytest

from placemap.analysis.classify import NO_DATA_COLOUR, palette_colours
from placemap.links import explorer_links
from placemap.render import level_legend, place_maps

HOSTILE = "<img src=x onerror=alert(1)> & Co"


def _luminance(colour: str) -> float:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _summary() -> pd.DataFrame:
    # Four wards on the IMD: W1 the most deprived on average rank, W4 with no value.
    frame = pd.DataFrame(
        {
            "average_rank": [30000.0, 12000.0, 20000.0, np.nan],
            "proportion": [0.75, 0.0, 0.25, np.nan],
        },
        index=pd.Index(["W1", "W2", "W3", "W4"], name="place"),
    )
    for measure in ("average_rank", "proportion"):
        frame[f"rank_of_{measure}"] = frame[measure].rank(ascending=False, method="min").astype("Int64")
    return frame


def test_higher_average_rank_gets_the_darker_more_deprived_class():
    codes = ["W2", "W1", "W3", "W4"]
    values = level_legend.level_values(_summary(), codes, "average_rank")
    classification, payload = place_maps.place_classification(
        values, "average_rank", "IMD", "quantiles", 3, "viridis", "v1"
    )
    # File 10's average rank: higher = more deprived, so W1 (30,000) is in the top class.
    assert classification.classes.tolist() == [0, 2, 1, -1]
    assert payload["cls"] == [0, 2, 1, -1]
    assert classification.colours[3] == NO_DATA_COLOUR and classification.n_missing == 1
    # The same breaks as mapclassify's own quantiles of the known values.
    q = mapclassify.Quantiles(np.array([12000.0, 30000.0, 20000.0]), k=3)
    assert classification.bins == pytest.approx(list(q.bins))
    assert payload["value"] == ["12,000", "30,000", "20,000", ""]


def test_national_deciles_become_quantiles_for_places():
    values = level_legend.level_values(_summary(), ["W1", "W2", "W3"], "proportion")
    classification, _ = place_maps.place_classification(
        values, "proportion", "IMD", "national_deciles", 10, "viridis", "v"
    )
    assert classification.scheme == "quantiles"
    assert not any("Decile" in label for label in classification.labels)


def test_legend_says_which_way_is_more_deprived_and_what_was_estimated():
    values = level_legend.level_values(_summary(), ["W1", "W2", "W3", "W4"], "average_rank")
    classification, _ = place_maps.place_classification(values, "average_rank", "IMD", "quantiles", 3, "cividis", "v")
    html = level_legend.level_legend_html(f"IMD {HOSTILE}", "4 wards", classification, "average_rank", 2025)
    assert "&lt;img" in html and "<img" not in html
    assert "More deprived" in html and "Higher = more deprived" in html
    assert "the other way round" in html
    assert "estimated" in html  # IoD2025's LSOA populations are estimates
    assert "No data" in html and "(1)" in html  # W4
    assert html.index(classification.palette[-1]) < html.index(classification.palette[0])  # most deprived first
    assert classification.palette == palette_colours("cividis", len(classification.palette))
    assert _luminance(classification.palette[-1]) < _luminance(classification.palette[0])  # darker = more deprived


def test_table_lists_places_most_deprived_first_with_their_rank_among_the_type():
    names = pd.Series({"W1": HOSTILE, "W2": "Two", "W3": "Three", "W4": "Four"})
    parents = pd.Series({"W1": "Blackpool", "W2": "Blackpool", "W3": "Fylde", "W4": "Fylde"})
    table = level_legend.level_table(_summary(), ["W4", "W3", "W2", "W1"], names, parents, "average_rank", "wards")
    assert table["Code"].tolist() == ["W1", "W3", "W2", "W4"]  # no value last
    assert table["Rank among wards"].tolist()[:3] == [1, 2, 3]
    assert pd.isna(table["Rank among wards"].iloc[3])
    assert table["In"].tolist() == ["Blackpool", "Fylde", "Blackpool", "Fylde"]
    assert list(table.columns) == ["Place", "Code", "In", "Average rank", "Rank among wards"]


def test_tooltips_escape_place_names_and_carry_the_rank():
    import geopandas as gpd
    from shapely.geometry import box

    shapes = gpd.GeoDataFrame(
        {"name": [HOSTILE, "Two"]},
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)],
        index=pd.Index(["W1", "W2"], name="code"),
        crs="EPSG:4326",
    )
    labelled = shapes.assign(name=level_legend.tooltip_names(shapes["name"], pd.Series({"W1": "Blackpool"})))
    features = place_maps.place_features(labelled)
    names = [f["properties"]["n"] for f in features["features"]]
    assert names[0].startswith("&lt;img") and names[0].endswith(", Blackpool") and names[1] == "Two"
    assert level_legend.rank_strings(_summary(), ["W2", "W4"], "average_rank") == ["3", ""]


def test_method_note_names_the_estimated_2025_populations_and_the_2019_weights():
    assert "estimated" in level_legend.method_note(2025)
    assert "mid-2015" in level_legend.method_note(2019)


def test_level_link_round_trips_and_bad_values_get_a_plain_note():
    options = {2025: {"E06000009": "Blackpool"}, 2019: {"E06000009": "Blackpool"}}
    view, notes = explorer_links.parse_view(
        {"v": "2025", "la": "E06000009", "level": "ward", "measure": "proportion", "sel": "E05015188"}, options
    )
    assert (view.level, view.measure, view.level_place, notes) == ("ward", "proportion", "E05015188", [])
    assert explorer_links.parse_view(view.to_params(), options)[0] == view
    view, notes = explorer_links.parse_view({"level": "<b>", "measure": "mean", "sel": "x"}, options)
    assert view.level == "lsoa" and view.measure == "average_rank" and view.level_place is None
    assert len(notes) == 2 and "<b>" not in notes[0]  # shown escaped; "sel" means nothing at LSOA level
    assert "is not a level Placemap draws" in notes[0] and "is not a summary measure" in notes[1]
    view, notes = explorer_links.parse_view({"v": "2019", "level": "cauth"}, options)
    assert view.level == "la" and "IoD2025 only" in notes[0]
    view, notes = explorer_links.parse_view({"level": "ward", "sel": "E0601"}, options)
    assert view.level_place is None and "not a code of wards" in notes[0]
    assert "level" not in explorer_links.View().to_params()  # today's LSOA links are unchanged
