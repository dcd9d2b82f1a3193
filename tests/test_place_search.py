"""One place search: the best match first, codes typed in full, and providers of drawn and uploaded places."""

import pandas as pd
import pytest

from placemap.data import place_search as search
from placemap.data.place_types import Place

RECORDS = pd.DataFrame(
    {
        "name": ["Blackpool", "Bloomfield", "Blackpool 010", "South Blackpool", "King's Lynn and West Norfolk"],
        "type": ["la", "ward", "msoa", "ward", "la"],
        "code": ["E06000009", "E05015188", "Blackpool 010", "E05000001", "E07000146"],
        "n_lsoas": [94, 5, 5, 6, 80],
        "label": [
            "Blackpool, a local authority in North West",
            "Bloomfield, a ward in Blackpool",
            "Blackpool 010, a middle-layer super output area (MSOA) in Blackpool",
            "South Blackpool, a ward in Somewhere",
            "King's Lynn and West Norfolk, a local authority in East of England",
        ],
    }
)


def test_a_whole_name_comes_before_names_that_start_with_it_and_names_that_contain_it():
    found = search.search_places(RECORDS, "blackpool")
    assert found["code"].tolist() == ["E06000009", "Blackpool 010", "E05000001"]


def test_search_ignores_case_punctuation_and_ampersands():
    assert search.search_places(RECORDS, "kings lynn & west")["code"].tolist() == ["E07000146"]


def test_a_code_typed_in_full_finds_its_place():
    assert search.search_places(RECORDS, "e05015188")["label"].tolist() == ["Bloomfield, a ward in Blackpool"]


@pytest.mark.parametrize("query", ["", "b", " ", "zzzz"])
def test_short_or_unmatched_queries_find_nothing(query):
    assert search.search_places(RECORDS, query).empty


def test_results_are_capped_at_the_limit():
    assert len(search.search_places(RECORDS, "b", limit=2)) == 0
    assert len(search.search_places(RECORDS, "bl", limit=2)) == 2


class _Drawn:
    def records(self, year):
        return pd.DataFrame(
            [
                {
                    "name": "Our patch",
                    "type": "drawn",
                    "code": "0a1b2c3d",
                    "n_lsoas": 2,
                    "label": "Our patch, a drawn area",
                }
            ]
        )

    def resolve(self, year, code):
        if code != "0a1b2c3d":
            return None
        weights = pd.Series([1.0, 0.5], index=["E01000001", "E01000002"])
        return search.ExtraPlace(Place("drawn", code), "Our patch", "Our patch, a drawn area", weights)

    def siblings(self, year, code, limit):
        weights = pd.Series([1.0], index=["E01000003"])
        return [search.ExtraPlace(Place("drawn", f"{code}{i}"), f"Patch {i}", "", weights) for i in range(20)]


def test_a_registered_provider_puts_its_places_in_search_and_resolves_them():
    search.register_provider("drawn", _Drawn())
    try:
        assert search.search_places(search.extra_records(2025), "our patch")["code"].tolist() == ["0a1b2c3d"]
        place = search.resolve_extra(2025, Place("drawn", "0a1b2c3d"))
        assert place.lsoas == ["E01000001", "E01000002"]
        assert search.resolve_extra(2025, Place("drawn", "ffffffff")) is None
        beside = search.sibling_places(2025, Place("drawn", "0a1b2c3d"), limit=3)
        assert [p.name for p in beside] == ["Patch 0", "Patch 1", "Patch 2"]  # the provider's, kept small
    finally:
        search._PROVIDERS.pop("drawn", None)


def test_lookup_types_take_no_provider():
    with pytest.raises(ValueError, match="uploaded or drawn"):
        search.register_provider("ward", _Drawn())
