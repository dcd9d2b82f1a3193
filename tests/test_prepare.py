import json

import pandas as pd

from placemap.data import prepare
from placemap.data.catalogue import get_indicator

from .conftest import make_boundaries


def test_script_safe_json_cannot_close_a_script_element():
    text = prepare.script_safe_json({"n": "</script><script>alert(1)</script>"})
    assert "</script>" not in text and "<" not in text
    assert json.loads(text)["n"] == "</script><script>alert(1)</script>"


def test_escape_markdown_stops_links_and_images():
    assert "](" not in prepare.escape_markdown("![x](http://e.vil/a.png)")


def test_find_area_at_returns_the_containing_area_or_none():
    areas = make_boundaries()
    assert prepare.find_area_at(areas, 53.805, -3.025) == "E01000003"
    assert prepare.find_area_at(areas, 51.5, -0.1) is None


def test_ward_outlines_dissolve_lsoas_into_one_shape_per_ward():
    wards = prepare.ward_outlines(make_boundaries())
    assert sorted(wards["ward_name"]) == ["North ward", "South ward"]
    assert wards.geometry.area.sum() == make_boundaries().geometry.area.sum()


def test_area_features_are_indexed_in_order_and_escaped():
    fc = prepare.area_features(make_boundaries(hostile=True))
    assert [f["properties"]["i"] for f in fc["features"]] == [0, 1, 2, 3]
    assert fc["features"][0]["properties"]["n"].startswith("&lt;script&gt;")


def test_national_decile_bins_are_each_deciles_largest_value():
    frame = pd.DataFrame({"IMD_rank": range(1, 21), "IMD_decile": [(r - 1) // 2 + 1 for r in range(1, 21)]})
    assert prepare.national_decile_bins(frame, get_indicator("imd_rank"), 2025) == [float(x) for x in range(2, 21, 2)]


def test_neighbouring_las_touch_the_chosen_one_but_exclude_it():
    a = make_boundaries(2, "E06000001").dissolve(by="la_code", as_index=False)
    b = make_boundaries(2, "E06000002").dissolve(by="la_code", as_index=False)
    b["geometry"] = b.geometry.translate(0.02)  # touches a
    c = make_boundaries(2, "E06000003").dissolve(by="la_code", as_index=False)
    c["geometry"] = c.geometry.translate(1.0)  # far away
    las = pd.concat([a, b, c], ignore_index=True).set_geometry("geometry")
    assert list(prepare.neighbouring_las(las, ["E06000001"])["la_code"]) == ["E06000002"]
