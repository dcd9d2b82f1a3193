"""A councillor opens Blackpool, finds "children in income-deprived families" in the themed picker, and reads it."""

import pytest

from .conftest import choose_option, map_frame, wait_until_idle

pytestmark = pytest.mark.browser
PICKER = "Indicator (grouped by theme)"
CHILDREN = "Income and poverty · Children in income-deprived families (IoD2019)"


def test_blackpool_children_in_income_deprived_families_from_the_themed_picker(page, server_url):
    page.goto(f"{server_url}/?la=E06000009&v=2019")
    map_frame(page)
    wait_until_idle(page)
    search = page.get_by_label("Search indicators")
    search.fill("child poverty")
    search.press("Enter")
    page.get_by_role("heading", name="Blackpool: Children in income-deprived families (IoD2019)").wait_for(
        timeout=60_000
    )
    wait_until_idle(page)
    choose_option(page, PICKER, CHILDREN)  # the themed list offers it by its theme, first
    legend = page.locator(".pm-legend")
    legend.wait_for()
    text = legend.inner_text()
    assert "Higher = more children in income-deprived families (% of children aged 0–15). Darker = worse." in text
    assert "No data" in text
    page.wait_for_function(
        "() => document.querySelector('iframe[title=\"streamlit_folium.st_folium\"]').contentDocument"
        ".documentElement.getAttribute('data-pm-painted').includes('children_in_income_deprived_families_2019')",
        timeout=30_000,
    )
    page.get_by_role("heading", name="The data beneath the map").wait_for()
    assert page.locator('[data-testid="stDataFrame"]').last.is_visible()
    assert page.get_by_text("File 8 (underlying indicators)", exact=False).first.is_visible()  # its source
    page.wait_for_function("() => location.search.includes('ind=children_in_income_deprived_families_2019')")
