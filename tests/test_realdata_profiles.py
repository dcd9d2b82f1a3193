"""Profiles, similar areas and reports on the bundled data (integration)."""

import re
import shutil
import subprocess

import pandas as pd
import pytest

from placemap.analysis import profile, similar
from placemap.data import la_summaries, loaders
from placemap.data.catalogue import VINTAGES, get_vintage
from placemap.ui import profile_cache

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def tables():
    return {v.year: loaders.read_areas(v) for v in VINTAGES}


def test_similar_lsoas_and_las_across_england_exclude_the_area_and_repeat_exactly(tables):
    vintage = get_vintage(2025)
    lsoas = similar.lsoa_positions(tables[2025], 2025, vintage.n_lsoas)
    assert lsoas.shape == (33_755, 7) and lsoas.to_numpy().min() > 0 and lsoas.to_numpy().max() < 1
    first = similar.nearest(lsoas, "E01033658")
    assert "E01033658" not in first["code"].tolist() and first["distance"].is_monotonic_increasing
    pd.testing.assert_frame_equal(first, similar.nearest(lsoas.iloc[::-1], "E01033658"))
    las = similar.la_positions(tables[2025], 2025, vintage.n_lsoas)
    assert len(las) == 296
    assert "E08000003" not in similar.nearest(las, "E08000003")["code"].tolist()


def test_official_summary_table_reads_every_edition(tables):
    for year, expected in ((2025, 4), (2019, 6)):
        summaries = loaders.read_la_summaries(get_vintage(year))
        table = la_summaries.la_summary_table(summaries, "E08000003", year).set_index("Domain")
        assert table.loc["Index of Multiple Deprivation (IMD)", "Rank of average score"] == expected
        assert table.loc["Crime", "Proportion of LSOAs in most deprived 10%"] > 0.3
    older = loaders.read_la_summaries(get_vintage(2015))
    table = la_summaries.la_summary_table(older, "E08000003", 2015)
    assert table.columns.tolist() == ["Domain", "Average score", "Proportion of LSOAs in most deprived 10%", "Extent"]
    assert la_summaries.la_summary_table(older, "E07000004", 2015).empty  # Aylesbury Vale: gone by 2021


def test_a_merged_2021_lsoa_shows_each_2011_lsoa_in_older_editions(tables):
    lookup = loaders.read_lsoa_lookup()
    merged = lookup[lookup["change_code"] == "M"]
    code = merged["lsoa21_code"].iloc[0]
    parts = sorted(merged.loc[merged["lsoa21_code"] == code, "lsoa11_code"])
    history = profile.vintage_history(code, 2025, tables, lookup, list(VINTAGES))
    assert history.loc[history["Edition"] == "IoD2019", "LSOA code"].tolist() == parts
    assert len(parts) >= 2 and set(history["Edition"]) == {"IoD2025", "IoD2019", "IoD2015"}


def test_manchester_report_pdf_holds_the_profile(tmp_path):
    pdf = profile_cache.load_report_pdf(2025, "E08000003", "profile?v=2025&la=E08000003")
    assert pdf[:5] == b"%PDF-" and 50_000 < len(pdf) < 2_000_000
    (tmp_path / "r.pdf").write_bytes(pdf)
    assert shutil.which("pdftotext"), "poppler-utils is needed: apt-get install poppler-utils"
    text = subprocess.run(["pdftotext", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True).stdout
    for expected in (
        "Manchester: area profile",
        "120 of Manchester's 295 LSOAs (41%)",
        "Official summary measures",
        "The 10 most similar local authorities",
        "Open Government Licence v3.0",
        "Crown copyright",
    ):
        assert expected in text, expected
    info = subprocess.run(["pdfinfo", str(tmp_path / "r.pdf")], capture_output=True, text=True).stdout
    assert 3 <= int(re.search(r"Pages:\s+(\d+)", info).group(1)) <= 5
