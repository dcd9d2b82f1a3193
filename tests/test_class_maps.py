"""Classes and hover text of the hand-built maps (render.class_maps and the pages' map builders), without Streamlit."""

from __future__ import annotations

import numpy as np
import pandas as pd

from placemap.analysis import hotspots, priority
from placemap.data.catalogue import get_vintage
from placemap.data.prepare import escape_text
from placemap.render import class_maps
from placemap.render.maps import edition_attribution, place_base_map, style_payload


def test_a_payload_without_ranks_or_deciles_has_blank_ones_for_every_area():
    classification = class_maps.category_classification([0, 1], ["#000000", "#111111"], ["a", "b"], "demo")
    payload = style_payload(classification, ["x", "<y>"], label="L", total=10)
    assert payload["rank"] == ["", ""] and payload["decile"] == ["", ""]
    assert payload["value"][1] == "&lt;y&gt;"


def test_unclassed_areas_are_white_and_counted_as_missing():
    c = class_maps.category_classification([-1, 0, 0], ["#123456"], ["one"], "demo")
    assert c.colours == ["#ffffff", "#123456", "#123456"]
    assert c.counts == [2] and c.n_missing == 1


def test_the_coverage_map_caps_at_three_or_more_and_says_how_many_initiatives():
    classification, payload = class_maps.coverage_map([0, 2, 7, 1], 33755, "v1")
    assert list(classification.classes) == [0, 2, 3, 1]
    assert classification.labels[-1] == "3 or more initiatives"
    assert payload["value"] == ["0 initiatives", "2 initiatives", "7 initiatives", "1 initiative"]
    assert payload["total"] == "33,755" and payload["label"] == "Initiatives working here"


def test_the_composite_map_shows_score_rank_and_decile_of_each_area():
    composite = pd.DataFrame(
        {"score": [1.234, 0.5], "rank": [1, 20000], "decile": [1, 7], "imd_rank": [3, 18000]}, index=["A", "B"]
    )
    classification, payload = priority.composite_map(composite, "Composite index", 33755, "v")
    assert payload["value"] == ["1.23 (official IMD rank 3)", "0.50 (official IMD rank 18,000)"]
    assert payload["rank"] == ["1", "20,000"] and payload["decile"] == ["1", "7"]
    assert len(classification.classes) == 2


def test_the_stability_map_says_the_share_of_weightings():
    _, payload = class_maps.stability_map(np.array([0.25, 0.9]), 100, "v")
    assert payload["value"] == [
        f"25% of {priority.STABILITY_DRAWS:,} weightings",
        f"90% of {priority.STABILITY_DRAWS:,} weightings",
    ]
    assert payload["label"] == "In the most deprived 10%"


def test_the_similar_map_puts_this_area_first_and_ranks_the_others():
    classification, payload = class_maps.similar_map(
        [0.1, 0.2], ["; IMD decile 1", "; IMD decile 2"], "#e6007e", "#ffd84d", "v"
    )
    assert list(classification.classes) == [1, 0, 0] and classification.counts == [2, 1]
    assert payload["value"][0] == "This area"
    assert payload["value"][2] == "No. 2 most similar (distance 0.200; IMD decile 2)"
    assert payload["palette"] == ["#ffd84d", "#e6007e"]


def test_the_hotspot_map_names_each_cluster_with_its_pseudo_p_value():
    stats = hotspots.LocalStatistics(
        method="lisa",
        tested=np.array([True, True, False]),
        statistic=np.array([1.0, 0.1, np.nan]),
        quadrant=np.array([1, 3, 0]),
        p_sim=np.array([0.001, 0.5, np.nan]),
        permutations=999,
        seed=0,
        n_islands=1,
    )
    classification, payload, _ = hotspots.hotspot_map(
        stats,
        0.05,
        False,
        label=hotspots.METHODS["lisa"],
        total=10,
        version="v",
        ranks=["1", "2", "3"],
        deciles=["1", "1", "1"],
    )
    table = hotspots.class_table("lisa")
    assert payload["value"][0] == f"{table[0][0].split(':')[0]} (pseudo p = 0.001)"
    assert payload["value"][2] == hotspots.NOT_TESTED_LABEL
    assert classification.n_missing == 1 and classification.colours[2] == "#ffffff"
    assert classification.counts[0] == 1 and classification.counts[-1] == 1
    assert payload["label"] == escape_text(hotspots.METHODS["lisa"])


def test_a_place_map_without_context_leaves_the_neighbouring_las_out():
    square = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"c": "X", "n": "NEIGHBOURLA"},
                "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]]},
            }
        ],
    }
    empty = {"type": "FeatureCollection", "features": []}
    layers = {"areas": empty, "bounds": [[0, 0], [1, 1]], "la": empty, "wards": empty, "context": square}
    attribution = edition_attribution(get_vintage(2019))
    with_context = place_base_map(layers, attribution).get_root().render()
    without = place_base_map(layers, attribution, context=False).get_root().render()
    assert "NEIGHBOURLA" in with_context and "NEIGHBOURLA" not in without
    assert "IoD2019, MHCLG" in without
