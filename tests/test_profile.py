"""Area profiles in numbers and words, on tiny areas built in code."""

import pandas as pd
import pytest

from placemap.analysis import profile
from placemap.data.catalogue import VINTAGES, get_vintage
from placemap.data.loaders import read_areas


@pytest.fixture
def areas(tiny_data_dir):
    return read_areas(get_vintage(2025), tiny_data_dir)


def test_profile_table_lists_every_domain_then_its_sub_domains(areas):
    table = profile.lsoa_profile_table(areas, "E01000001", get_vintage(2025))
    assert table["Domain"].tolist()[:5] == [
        "Index of Multiple Deprivation (IMD)",
        "Income",
        "Employment",
        "Education, Skills and Training",
        "Children and young people (sub-domain)",
    ]
    assert len(table) == 14  # IMD, seven domains, six sub-domains in 2025
    education = table.set_index("Domain").loc["Adult skills (sub-domain)"]
    assert education["Part of"] == "Education, Skills and Training" and education["level"] == "sub-domain"


def test_profile_table_places_the_area_and_its_la_median_on_the_national_scale(areas):
    row = profile.lsoa_profile_table(areas, "E01000001", get_vintage(2025)).iloc[0]
    assert row["Rank"] == 1 and row["Decile"] == 1
    assert row["Position"] == pytest.approx(100 * 0.5 / 33_755)
    assert row["LA median rank"] == 2.5  # ranks 1..4 in the fixture's one LA
    assert row["In words"] == "among the 10% most deprived in England"


def test_position_puts_englands_middle_lsoa_at_50():
    assert profile.position((33_755 + 1) / 2, 33_755) == pytest.approx(50.0)


def _sentences_for(decile):
    table = pd.DataFrame({"Domain": ["Education, Skills and Training"], "Decile": [decile], "level": ["domain"]})
    return profile.profile_sentences(table)


def test_sentence_for_the_most_deprived_decile():
    assert _sentences_for(1) == ["Among the 10% most deprived LSOAs in England for Education, Skills and Training."]


def test_sentence_for_the_middle():
    assert _sentences_for(5) == [
        "Around the middle of England's LSOAs (deciles 4 to 7) for Education, Skills and Training."
    ]


def test_sentence_for_the_least_deprived_decile():
    assert _sentences_for(10) == ["Among the 10% least deprived LSOAs in England for Education, Skills and Training."]


def test_sentences_run_most_deprived_then_middle_then_least_and_skip_sub_domains():
    table = pd.DataFrame(
        {
            "Domain": ["Crime", "Income", "Health", "Adult skills (sub-domain)"],
            "Decile": [10, 1, 6, 1],
            "level": ["domain", "domain", "domain", "sub-domain"],
        }
    )
    assert profile.profile_sentences(table) == [
        "Among the 10% most deprived LSOAs in England for Income.",
        "Around the middle of England's LSOAs (deciles 4 to 7) for Health.",
        "Among the 10% least deprived LSOAs in England for Crime.",
    ]


def _edition_tables():
    """2025 on 2021 LSOAs (A21 merged from two 2011 LSOAs, S21a/S21b split from one); 2019/2015 on 2011."""

    def table(codes, year, deciles):
        frame = pd.DataFrame(
            {"area_name": [f"Name {c}" for c in codes], "IMD_rank": range(1, len(codes) + 1), "IMD_decile": deciles},
            index=codes,
        )
        return frame

    codes21 = ["E01100001", "E01100002", "E01100003", "E01000009"]
    codes11 = ["E01000001", "E01000002", "E01000003", "E01000009"]
    tables = {2025: table(codes21, 2025, [1, 2, 3, 4]), 2019: table(codes11, 2019, [5, 6, 7, 8])}
    tables[2015] = table(codes11, 2015, [9, 10, 1, 2])
    lookup = pd.DataFrame(
        {
            "lsoa11_code": ["E01000001", "E01000002", "E01000003", "E01000003", "E01000009"],
            "lsoa21_code": ["E01100001", "E01100001", "E01100002", "E01100003", "E01000009"],
            "change_code": ["M", "M", "S", "S", "U"],
        }
    )
    return tables, lookup


def test_history_of_a_merged_2021_lsoa_shows_both_2011_lsoas_in_older_editions():
    tables, lookup = _edition_tables()
    history = profile.vintage_history("E01100001", 2025, tables, lookup, list(VINTAGES))
    assert history["Edition"].tolist() == ["IoD2025", "IoD2019", "IoD2019", "IoD2015", "IoD2015"]
    older = history[history["Edition"] == "IoD2019"]
    assert older["LSOA code"].tolist() == ["E01000001", "E01000002"]
    assert set(older["How it matches"]) == {"One of the 2011 LSOAs merged into it"}
    assert older["IMD decile"].tolist() == [5, 6]


def test_history_of_a_split_2011_lsoa_shows_its_2021_parts_and_unchanged_ones_match_directly():
    tables, lookup = _edition_tables()
    split = profile.vintage_history("E01000003", 2019, tables, lookup, list(VINTAGES))
    newest = split[split["Edition"] == "IoD2025"]
    assert newest["LSOA code"].tolist() == ["E01100002", "E01100003"]
    assert set(newest["How it matches"]) == {"One of the 2021 LSOAs it was split into"}
    assert split.loc[split["Edition"] == "IoD2019", "How it matches"].tolist() == ["This LSOA"]
    same = profile.vintage_history("E01000009", 2025, tables, lookup, list(VINTAGES))
    assert same["IMD decile"].tolist() == [4, 8, 2]
    assert same["How it matches"].tolist()[1] == "Same LSOA (unchanged 2011 to 2021)"


def test_la_decile_counts_cover_every_decile_and_add_up(areas):
    counts = profile.la_decile_counts(areas, "E06000001", get_vintage(2025))
    imd = counts[counts["row"] == "Index of Multiple Deprivation (IMD)"]
    assert imd["decile"].tolist() == list(range(1, 11))
    assert imd["count"].tolist()[:5] == [1, 1, 1, 1, 0]
    assert imd["share"].sum() == pytest.approx(1.0)
    table = profile.decile_counts_table(counts)
    assert table.columns.tolist()[:3] == ["Domain", "LSOAs", "Decile 1"] and table["LSOAs"].iloc[0] == 4


def test_la_extremes_list_most_deprived_first_and_least_deprived_first(areas):
    most, least = profile.la_extremes(areas, "E06000001", get_vintage(2025), n=2)
    assert most["LSOA code"].tolist() == ["E01000001", "E01000002"]
    assert least["LSOA code"].tolist() == ["E01000004", "E01000003"]


def test_la_sentences_give_the_share_in_the_most_deprived_tenth(areas):
    sentences = profile.la_sentences(areas, "E06000001", get_vintage(2025))
    assert sentences[0] == (
        "1 of Testtown's 4 LSOAs (25%) are among the 10% most deprived in England on the IMD (England: 10%)."
    )


def test_area_kind_tells_lsoas_from_local_authorities():
    assert [profile.area_kind(c) for c in ("E01012345", "E06000009", "E09000033", "W01000001", "")] == [
        "lsoa",
        "la",
        "la",
        None,
        None,
    ]
