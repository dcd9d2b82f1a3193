import numpy as np
import pandas as pd
import pytest

from placemap.data.catalogue import Catalogue, get_indicator
from placemap.data.indicators import Geography, Indicator, Polarity
from placemap.data.values import indicator_values, joined_frame, with_registered

AREAS = pd.DataFrame(
    {"la_code": ["E1", "E1", "E2"], "ward_code": ["W1", "W2", "W3"], "IMD_rank": [3.0, 1.0, 2.0]},
    index=pd.Index(["L1", "L2", "L3"], name="area_code"),
)


def _ind(geography: Geography) -> Indicator:
    return Indicator(
        f"m_{geography}", "Measure", "local", None, "value", "", Polarity.HIGH_IS_WORSE, {}, {}, {}, geography=geography
    )


@pytest.mark.parametrize(
    ("indicator", "raw", "expected", "note"),
    [
        (get_indicator("imd_rank"), None, [3.0, 1.0, 2.0], ""),
        (_ind(Geography.LSOA21), pd.Series({"L1": 5.0, "L3": 7.0}), [5.0, np.nan, 7.0], ""),
        (_ind(Geography.WARD), pd.Series({"W2": 4.0}), [np.nan, 4.0, np.nan], "each LSOA shows its ward's value"),
        (_ind(Geography.LA), pd.Series({"E1": 9.0}), [9.0, 9.0, np.nan], "its local authority's value"),
    ],
    ids=["official", "lsoa", "ward", "la"],
)
def test_every_kind_of_indicator_reaches_an_editions_lsoas_through_one_accessor(indicator, raw, expected, note):
    joined = indicator_values(indicator, 2025, AREAS, raw)
    assert joined.ok and joined.values.tolist() == pytest.approx(expected, nan_ok=True) and note in joined.note


def test_a_2011_coded_indicator_is_refused_on_2021_areas_with_a_note():
    joined = indicator_values(_ind(Geography.LSOA11), 2025, AREAS, pd.Series({"L1": 1.0}))
    assert not joined.ok and "choose IoD2019 or IoD2015" in joined.note and "does not guess" in joined.note


def test_an_official_indicator_missing_from_an_edition_is_refused_with_a_note():
    joined = indicator_values(get_indicator("imd_score"), 2019, AREAS)
    assert not joined.ok and "not published in the IoD2019 edition" in joined.note


def test_registered_indicators_are_joined_into_the_national_table_by_id():
    cat = Catalogue()
    cat.register(_ind(Geography.LA), pd.Series({"E2": 1.5}))
    cat.register(_ind(Geography.LSOA11), pd.Series({"L1": 1.0}))
    frame = with_registered(AREAS, 2025, cat)
    assert frame["m_la"].tolist() == pytest.approx([np.nan, np.nan, 1.5], nan_ok=True)
    assert "m_lsoa11" not in frame.columns and "m_la" not in AREAS.columns
    table, joined = joined_frame(cat.registered(), 2019, AREAS, cat)
    assert [i.id for i in joined] == ["m_la", "m_lsoa11"] and table["m_lsoa11"].iloc[0] == 1.0
