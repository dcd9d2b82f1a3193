"""ONS lookups: rural-urban classes and populations carried between LSOA 2011 and 2021."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from placemap.data import lookups


def _lookup(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["lsoa11_code", "lsoa21_code", "change_code"])


def test_population_is_kept_for_unchanged_summed_for_merged_and_unknown_for_split_or_redrawn():
    lookup = _lookup(
        [
            ("A", "A", "U"),
            ("B", "M", "M"),
            ("C", "M", "M"),
            ("D", "D1", "S"),
            ("D", "D2", "S"),
            ("E", "X1", "X"),
            ("F", "X1", "X"),
        ]
    )
    population = pd.Series({"A": 1500.0, "B": 700.0, "C": 800.0, "D": 3000.0, "E": 100.0, "F": 200.0})
    carried = lookups.population_for_lsoa21(population, lookup)
    assert carried["A"] == 1500 and carried["M"] == 1500
    assert carried[["D1", "D2", "X1"]].isna().all()


def test_rural_urban_class_of_a_split_2011_lsoa_is_mixed_only_when_its_parts_differ():
    ruc = pd.DataFrame({"ruc_label": ["Urban", "Rural", "Urban"]}, index=["N1", "N2", "N3"])
    lookup = _lookup([("A", "N1", "U"), ("B", "N2", "S"), ("B", "N3", "S"), ("C", "N1", "S"), ("C", "N3", "S")])
    labels = lookups.ruc_for_lsoa11(ruc, lookup)
    assert labels.to_dict() == {"A": "Urban", "B": lookups.RUC_MIXED, "C": "Urban"}


def test_a_rural_urban_code_without_a_label_is_a_clear_error(tmp_path):
    (tmp_path / "lookups").mkdir()
    pd.DataFrame({"lsoa21_code": ["E01000001"], "ruc21_code": ["ZZ9"], "ruc": ["?"]}).to_csv(
        tmp_path / lookups.RUC_FILE, index=False
    )
    pd.DataFrame({"ruc21_code": ["UN1"], "classification": ["Urban"]}).to_csv(
        tmp_path / lookups.RUC_CODES_FILE, index=False
    )
    with pytest.raises(ValueError, match=r"ruc21_lsoa21_england\.csv: rural-urban code\(s\) with no label .*ZZ9"):
        lookups.read_ruc(tmp_path)


@pytest.mark.realdata
def test_real_context_covers_every_lsoa_of_both_editions():
    c2019 = lookups.read_area_context(2019)
    assert len(c2019) == 32_844 and c2019["population"].notna().all()
    assert c2019["population"].sum() == pytest.approx(54_728_204)  # England, mid-2015 (IoD2019 denominators)
    c2025 = lookups.read_area_context(2025)
    assert len(c2025) == 33_755 and c2025["ruc_label"].notna().all()
    known = c2025["population"].notna()
    assert 0.9 < known.mean() < 1.0  # split and redrawn 2021 LSOAs have no carried population
    assert np.isclose(c2025["population"].sum(), 52_559_622)
