"""A real upload in the browser: a small CSV becomes an indicator on the map explorer."""

import pytest

from .conftest import MAP_FRAME, map_frame

pytestmark = pytest.mark.browser


def _upload_and_open_the_map(page, server_url, csv) -> None:
    """Upload a three-row CSV on the Bring your own data page, add it, and follow the link to the map."""
    page.goto(f"{server_url}/upload")
    page.get_by_role("heading", name="Bring your own data").wait_for(timeout=60_000)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(str(csv))
    page.get_by_text("3 of 3 rows matched").wait_for(timeout=60_000)
    page.get_by_role("button", name="Add to this session").click()
    page.get_by_text("Added 1 indicator(s)").wait_for(timeout=30_000)
    page.get_by_role("link", name="Open the map explorer").click()


def test_an_uploaded_csv_is_mapped_on_the_explorer(page, server_url, tmp_path):
    csv = tmp_path / "referrals.csv"
    csv.write_text("lsoa21cd,Referrals\nE01012662,12\nE01012663,30\nE01012664,7\n", encoding="utf-8")
    _upload_and_open_the_map(page, server_url, csv)
    frame = map_frame(page)
    page.get_by_text("3 of 94 LSOAs have a value", exact=False).wait_for(timeout=60_000)
    page.wait_for_function(
        "() => document.querySelector('iframe[title=\"streamlit_folium.st_folium\"]').contentDocument"
        ".documentElement.getAttribute('data-pm-painted').includes('-upload_')",
        timeout=30_000,
    )
    assert frame.evaluate("window.pmStyle.label") == "Referrals"
    assert frame.evaluate("window.pmStyle.value.filter(v => v !== 'No data').length") == 3
    assert "Referrals" in page.locator(".pm-legend").inner_text()


def test_an_uploaded_ward_csv_colours_each_lsoa_by_its_ward_with_tooltips(page, server_url, tmp_path):
    csv = tmp_path / "absence.csv"
    # Three wards of Blackpool (2024): Anchorsholme, Bispham, Bloomfield.
    csv.write_text("ward_code,Absence\nE05015186,4.5\nE05015187,9.1\nE05015188,6.0\n", encoding="utf-8")
    _upload_and_open_the_map(page, server_url, csv)
    page.get_by_text("each LSOA shows its ward", exact=False).wait_for(timeout=60_000)
    frame = map_frame(page)
    page.wait_for_function(
        "() => document.querySelector('iframe[title=\"streamlit_folium.st_folium\"]').contentDocument"
        ".documentElement.getAttribute('data-pm-painted').includes('-upload_')",
        timeout=30_000,
    )
    # The LSOAs of the three wards (of Blackpool's 94) take their ward's value; hovering shows it.
    assert frame.evaluate("window.pmStyle.value.filter(v => v !== 'No data').length") > 3
    assert "94 LSOAs in Blackpool" in page.locator(".pm-legend").inner_text()
    page.locator(MAP_FRAME).hover()
    frame.locator(".leaflet-tooltip").wait_for(timeout=10_000)
    assert "Absence" in frame.locator(".leaflet-tooltip").inner_text()
