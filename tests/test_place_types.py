"""Place types: strict parsing of place=TYPE:CODE, the MSOA naming rule, the lookup and search labels."""

import pandas as pd
import pytest

from placemap.data import place_types as pt
from placemap.links import place_links


@pytest.mark.parametrize(
    "value",
    [
        "ward:E05015188",
        "msoa:Blackpool 010",
        "la:E06000009",
        "utla:E10000017",
        "cauth:E47000001",
        "icb:E54000048",
        "sicb:E38000226",
        "region:E12000002",
        "upload:AbC_123-xyz",
        "drawn:0a1b2c3d4e5f",
    ],
)
def test_every_place_type_parses_with_its_own_code_pattern(value):
    place, note = place_links.parse_place(value)
    assert note == ""
    assert place.to_param() == value


def test_the_type_is_read_case_blind_and_spaces_around_are_ignored():
    assert place_links.parse_place("  WARD:E05015188 ") == (pt.Place("ward", "E05015188"), "")


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("county:E10000017", "unknown kind of place"),
        ("ward:E06000009", "not a valid code"),
        ("la:E05015188", "not a valid code"),
        ("E05015188", "TYPE:CODE"),
        ("", "names no place"),
        ("ward:" + "E" * 100, "too long"),
        ("msoa:Blackpool 10", "not a valid code"),
        ("upload:short", "not a valid code"),
    ],
)
def test_bad_places_give_none_and_a_plain_note(value, words):
    place, note = place_links.parse_place(value)
    assert place is None
    assert words in note
    assert "default place" in note


def test_a_note_never_echoes_markup_from_the_link():
    place, note = place_links.parse_place("<b>x</b>:<script>alert(1)</script>")
    assert place is None
    assert "<" not in note and ">" not in note


def test_a_non_string_place_is_refused():
    assert place_links.parse_place(["ward:E05015188"])[0] is None


def test_an_lsoa_lies_in_the_msoa_its_name_starts_with():
    assert pt.msoa_name("Blackpool 010A") == "Blackpool 010"
    assert pt.msoa_name("King's Lynn and West Norfolk 005C") == "King's Lynn and West Norfolk 005"
    assert pt.msoa_name("Blackpool 010") is None


def test_types_defined_on_2021_lsoas_point_2019_users_to_the_nearest_type():
    assert "utla" not in pt.types_for(2019)
    assert pt.types_for(2025) == ["ward", "msoa", "la", "utla", "cauth", "icb", "sicb", "region"]
    kind, note = pt.nearest_type("utla", 2019)
    assert kind == "la"
    assert "IoD2025 only" in note and "local authorities" in note
    assert pt.nearest_type("utla", 2025) == ("utla", "")


def _write_tiny_data(root):
    (root / "boundaries").mkdir()
    (root / "lookups").mkdir()
    (root / "iod").mkdir()
    lsoas = pd.DataFrame(
        {
            "area_code": ["E01000001", "E01000002", "E01000003", "E01000004"],
            "area_name": ["Blackpool 010A", "Blackpool 010B", "Blackpool 011A", "Wyre 001A"],
            "ward_code": ["E05015188", "E05015188", "E05015189", "E05009999"],
            "ward_name": ["Bloomfield", "Bloomfield", "Brunswick", "Garstang"],
            "la_code": ["E06000009", "E06000009", "E06000009", "E07000128"],
            "la_name": ["Blackpool", "Blackpool", "Blackpool", "Wyre"],
        }
    )
    lsoas.to_parquet(root / "boundaries" / "lsoa21.parquet")
    pd.DataFrame(
        {
            "la_vintage": [2024, 2024],
            "la_code": ["E06000009", "E07000128"],
            "la_name": ["Blackpool", "Wyre"],
            "region_code": ["E12000002"] * 2,
            "region_name": ["North West"] * 2,
        }
    ).to_csv(root / "lookups" / "la_regions_england.csv", index=False)
    pd.DataFrame({"lsoa21_code": lsoas["area_code"], "sicb24_code": ["E38000015"] * 3 + ["E38000227"]}).to_parquet(
        root / "lookups" / "lsoa21_sicb24_england.parquet"
    )
    pd.DataFrame(
        {
            "sicb24_code": ["E38000015", "E38000227"],
            "sicb24_name": ["Blackpool place", "Wyre place"],
            "icb24_code": ["E54000048"] * 2,
            "icb24_name": ["Lancashire and South Cumbria ICB"] * 2,
        }
    ).to_csv(root / "lookups" / "sicb24_icb24_england.csv", index=False)
    pd.DataFrame(
        {
            "ltla23_code": ["E06000009", "E07000128"],
            "ltla23_name": ["Blackpool", "Wyre"],
            "utla23_code": ["E06000009", "E10000017"],
            "utla23_name": ["Blackpool", "Lancashire"],
        }
    ).to_csv(root / "lookups" / "lad23_utla23_england.csv", index=False)
    # Neither is in a combined authority: the lookup lists only LAs that are.
    pd.DataFrame(
        {
            "ltla23_code": ["E08000003"],
            "ltla23_name": ["Manchester"],
            "cauth23_code": ["E47000001"],
            "cauth23_name": ["GM"],
        }
    ).to_csv(root / "lookups" / "lad23_cauth23_england.csv", index=False)
    return lsoas


@pytest.fixture
def tiny(tmp_path):
    _write_tiny_data(tmp_path)
    return tmp_path


def test_the_lookup_gives_each_lsoa_its_place_of_every_type(tiny):
    lookup = pt.read_place_lookup(2025, tiny)
    row = lookup.loc["E01000004"]
    assert (row["ward_name"], row["msoa_code"], row["utla_name"], row["icb_code"], row["sicb_name"]) == (
        "Garstang",
        "Wyre 001",
        "Lancashire",
        "E54000048",
        "Wyre place",
    )
    assert lookup["region_name"].eq("North West").all()
    assert lookup["cauth_code"].isna().all()
    assert pt.lsoas_of(lookup, pt.Place("msoa", "Blackpool 010")) == ["E01000001", "E01000002"]


def test_an_lsoa_missing_from_a_lookup_that_must_cover_england_is_an_error(tiny):
    sicb = pd.read_parquet(tiny / "lookups" / "lsoa21_sicb24_england.parquet").iloc[:3]
    sicb.to_parquet(tiny / "lookups" / "lsoa21_sicb24_england.parquet")
    with pytest.raises(ValueError, match=r"no place of type icb \(1\), sicb \(1\)"):
        pt.read_place_lookup(2025, tiny)


def test_a_missing_lookup_file_is_named_in_the_error(tiny):
    (tiny / "lookups" / "lad23_utla23_england.csv").unlink()
    with pytest.raises(ValueError, match=r"lad23_utla23_england\.csv: file not found"):
        pt.read_place_lookup(2025, tiny)


def test_search_labels_say_what_a_place_is_and_where(tiny):
    records = pt.place_records(pt.read_place_lookup(2025, tiny), 2025).set_index("code")
    assert records.loc["E05015188", "label"] == "Bloomfield, a ward in Blackpool"
    assert records.loc["E05015188", "n_lsoas"] == 2
    assert (
        records.loc["Blackpool 011", "label"] == "Blackpool 011, a middle-layer super output area (MSOA) in Blackpool"
    )
    assert records.loc["E10000017", "label"] == "Lancashire, an upper-tier local authority in North West"
    assert records.loc["E38000227", "label"] == "Wyre place, a sub-ICB location in Lancashire and South Cumbria ICB"
    assert records.loc["E12000002", "label"] == "North West, a region of England"
    assert "cauth" not in set(records["type"])


def test_an_unknown_edition_has_no_place_lookup(tiny):
    with pytest.raises(ValueError, match="No place lookup for IoD2010"):
        pt.read_place_lookup(2010, tiny)
