"""A real upload in the browser: two columns of a CSV become a change map on the change page."""

import pytest

from .conftest import map_frame

pytestmark = pytest.mark.browser


def test_two_uploaded_columns_become_a_change_map(page, server_url, tmp_path):
    csv = tmp_path / "attendance.csv"
    csv.write_text(
        "lsoa21cd,Attendance 2022,Attendance 2024\nE01012662,90.5,93.0\nE01012663,95.0,90.0\nE01012664,92.0,92.1\n",
        encoding="utf-8",
    )
    page.goto(f"{server_url}/upload")
    page.get_by_role("heading", name="Bring your own data").wait_for(timeout=60_000)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(str(csv))
    page.get_by_text("3 of 3 rows matched").wait_for(timeout=60_000)
    page.get_by_text("Lower values are worse (darker on the map)").first.click()  # attendance: higher is better
    page.get_by_text("Lower values are worse (darker on the map)").nth(1).click()
    page.get_by_role("button", name="Add to this session").click()
    page.get_by_text("Added 2 indicator(s)").wait_for(timeout=30_000)
    page.locator('[data-testid="stSidebarNav"] a', has_text="Change over time").click()  # same session
    page.get_by_text("Your data (two columns of an uploaded table)").click(timeout=90_000)
    page.get_by_role("heading", name="Change in your data: attendance").wait_for(timeout=60_000)
    frame = map_frame(page)
    page.wait_for_function(
        "() => (document.querySelector('iframe[title=\"streamlit_folium.st_folium\"]').contentDocument"
        ".documentElement.getAttribute('data-pm-painted') || '').startsWith('pair-upload_')",
        timeout=60_000,
    )
    values = frame.evaluate("window.pmStyle.value.filter(v => !v.startsWith('No data'))")
    assert sorted(values) == [
        "+0.1 (little or no change): 92 → 92.1",
        "+2.5 (better): 90.5 → 93",
        "-5 (worse): 95 → 90",
    ]
    legend = page.locator(".pm-legend").inner_text()
    assert "Worse (red)" in legend and "No data" in legend
