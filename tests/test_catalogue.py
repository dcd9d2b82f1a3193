import numpy as np
import pandas as pd
import pytest

from placemap.data import catalogue
from placemap.data.catalogue import get_indicator, indicators_for
from placemap.data.indicators import Geography, Indicator, Polarity, Theme, ValueKind, rank_among


def test_every_edition_offers_the_imd_and_its_measures():
    # The published measures first, then the Census household dimensions of the same LSOA geography.
    assert [i.measure for i in catalogue.measures_for(2025, "imd") if i.official] == ["score", "rank", "decile"]
    assert [i.measure for i in catalogue.measures_for(2019, "imd") if i.official] == ["rank", "decile"]
    assert [i.measure for i in catalogue.measures_for(2015, "imd") if i.official] == ["score", "rank", "decile"]
    assert [i.measure for i in catalogue.measures_for(2025, "imd")][:3] == ["score", "rank", "decile"]


def test_seven_domains_and_supplementary_indices_where_present():
    assert [d.id for d in catalogue.domains_for(2019)] == [
        "imd",
        "income",
        "employment",
        "education",
        "health",
        "crime",
        "barriers",
        "environment",
        "idaci",
        "idaopi",
    ]
    assert "idaci" not in [d.id for d in catalogue.domains_for(2025)]
    # IoD2015 bundles the IMD and sub-domains only, grouped under their domains
    assert [d.id for d in catalogue.domains_for(2015)] == ["imd", "education", "barriers", "environment"]


def test_polarity_puts_deprived_end_first_for_ranks_and_last_for_scores():
    assert get_indicator("income_rank").polarity == Polarity.LOW_IS_WORSE
    assert get_indicator("income_decile").polarity == Polarity.LOW_IS_WORSE
    assert get_indicator("health_score").polarity == Polarity.HIGH_IS_WORSE


def test_barriers_column_name_differs_between_editions():
    ind = get_indicator("barriers_rank")
    assert ind.column(2025) == "Housing_and_Services_rank"
    assert ind.column(2019) == "Housing_and_Access_rank"


def test_asking_for_an_unpublished_edition_says_so():
    with pytest.raises(ValueError, match="not published in the 2019 edition"):
        get_indicator("imd_score").column(2019)
    with pytest.raises(ValueError, match="Unknown indicator"):
        get_indicator("no_such_thing")


def test_indicator_ids_are_unique_and_labels_come_from_the_catalogue():
    ids = [i.id for i in catalogue.INDICATORS]
    assert len(ids) == len(set(ids))
    assert all(i.label and i.unit and i.source and i.licence for i in catalogue.INDICATORS)
    assert catalogue.measure_label(get_indicator("education_adult_skills_rank")) == "Adult skills sub-domain: rank"


def test_rates_are_formatted_as_percentages_and_missing_as_no_data():
    assert get_indicator("income_score").format(0.1234) == "12.3%"
    assert get_indicator("imd_rank").format(1234) == "1,234"
    assert get_indicator("imd_rank").format(float("nan")) == "No data"
    assert len(indicators_for(2025)) > 20


def test_tied_values_share_the_lowest_rank_and_missing_values_stay_unranked():
    ranks = rank_among(pd.Series([5.0, None, 9.0, 5.0]), Polarity.HIGH_IS_WORSE)
    assert ranks.tolist()[0] == 2.0 and ranks.tolist()[2:] == [1.0, 2.0] and np.isnan(ranks.iloc[1])


def test_pages_that_rank_uploaded_data_share_one_tie_rule():
    from placemap.analysis.hotspots import need_percentile_among
    from placemap.analysis.measure_spine import rank_text

    values = pd.Series([1.0, 3.0, 3.0])
    ranks = rank_among(values, Polarity.LOW_IS_WORSE)
    assert [rank_text(ranks, i, "LSOAs") for i in range(3)] == ["1 of 3 LSOAs", "2 of 3 LSOAs", "2 of 3 LSOAs"]
    assert need_percentile_among(values.to_numpy(), Polarity.HIGH_IS_WORSE).round(1).tolist() == [33.3, 100.0, 100.0]


def test_polarity_reads_the_strings_saved_uploads_hold_and_falls_back_to_higher_is_worse():
    assert Polarity.parse("low_is_deprived") is Polarity.LOW_IS_WORSE
    assert Polarity.parse("<b>") is Polarity.HIGH_IS_WORSE
    assert get_indicator("imd_rank").polarity is Polarity.LOW_IS_WORSE


def test_official_indicators_carry_a_theme_a_value_kind_and_a_short_label():
    ind = get_indicator("income_score")
    assert (ind.theme, ind.value_kind, ind.short_label) == (Theme.INCOME, ValueKind.RATE, "Income")
    assert get_indicator("barriers_wider_barriers_rank").theme is Theme.HOUSING


def _local_indicator(indicator_id: str = "pupil_absence", **kw) -> Indicator:
    fields = dict(geography=Geography.LA, theme=Theme.EDUCATION, value_kind=ValueKind.RATE)
    return Indicator(
        indicator_id,
        "Pupil absence",
        "education",
        None,
        "value",
        "%",
        Polarity.HIGH_IS_WORSE,
        {},
        {},
        {},
        **(fields | kw),
    )


def test_a_registered_indicator_resolves_by_id_and_is_listed_for_the_editions_it_joins():
    cat = catalogue.Catalogue(catalogue.INDICATORS)
    cat.register(_local_indicator(), pd.Series({"E06000009": 7.5}))
    cat.register(_local_indicator("lsoa_measure", geography=Geography.LSOA21), lambda: pd.Series({"E01": 1.0}))
    assert cat.get("pupil_absence").label == "Pupil absence"
    assert [i.id for i in cat.registered()] == ["pupil_absence", "lsoa_measure"]
    assert "lsoa_measure" in [i.id for i in cat.for_edition(2025)]
    assert "lsoa_measure" not in [i.id for i in cat.for_edition(2019)]  # 2021 LSOAs are not IoD2019's
    assert cat.values_source("lsoa_measure").tolist() == [1.0]
    assert cat.themes(2019)[Theme.EDUCATION][-1].id == "pupil_absence"
    assert cat.get("pupil_absence").column(2019) == "pupil_absence"  # named by its id where joined


def test_the_catalogue_refuses_to_replace_an_official_indicator_or_to_register_one_without_values():
    cat = catalogue.Catalogue(catalogue.INDICATORS)
    with pytest.raises(ValueError, match="official indicator"):
        cat.register(get_indicator("imd_rank"), pd.Series(dtype=float))
    with pytest.raises(ValueError, match="needs its values"):
        cat.register(_local_indicator())
    with pytest.raises(ValueError, match="Unknown indicator"):
        cat.get("pupil_absence")


def test_a_sessions_catalogue_resolves_its_uploads_without_listing_them_in_the_process_catalogue():
    from placemap.uploads.table import ColumnSpec, UploadedTable

    table = UploadedTable(
        "d1",
        "Absence",
        "Council",
        "la",
        pd.DataFrame({"rate": [91.5]}, index=pd.Index(["E06000009"], name="area_code")),
        [ColumnSpec("rate", "Attendance", "%")],
    )
    session = catalogue.CATALOGUE.with_uploads([table])
    assert session.get("upload_d1_0").label == "Attendance"
    assert session.values_source("upload_d1_0").tolist() == [91.5]
    assert "upload_d1_0" not in catalogue.CATALOGUE
