"""A place plan in a real browser: build a two-outcome plan for a ward, reopen its link, download the plan on a page."""

import secrets
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import choose_option, wait_until_idle

pytestmark = pytest.mark.browser


def _add_outcome(page, name: str, target: str, indicator: str | None = None) -> None:
    page.get_by_role("textbox", name="Outcome", exact=True).fill(name)
    if indicator:
        choose_option(page, "Indicator", indicator)
    page.get_by_label("Target value", exact=True).fill(target)
    page.get_by_role("button", name="Add the outcome").click()
    page.get_by_text(f'Outcome "{name}" added.').wait_for(timeout=120_000)
    wait_until_idle(page)


def test_a_two_outcome_plan_for_bloomfield_reopens_from_its_link_and_prints_on_a_page(page, server_url, tmp_path):
    name = f"Bloomfield together {secrets.token_hex(3)}"
    page.goto(f"{server_url}/plan")
    page.get_by_role("heading", name="Write a new plan").wait_for(timeout=120_000)
    search = page.get_by_role("textbox", name="Find the plan's place")
    search.fill("Bloomfield")
    search.press("Enter")
    page.get_by_text("Place", exact=True).wait_for(timeout=120_000)  # the place search offers its matches
    wait_until_idle(page)
    page.get_by_label("Plan name").fill(name)
    page.get_by_label("Shared aim").fill("Every child in Bloomfield grows up free of poverty.")
    page.get_by_role("button", name="Save the plan").click()
    page.get_by_role("heading", name=name, exact=True).wait_for(timeout=120_000)
    wait_until_idle(page)

    _add_outcome(page, "More people in work", "9000")
    page.get_by_text("Add an outcome", exact=True).click()
    _add_outcome(page, "Healthier lives", "8000", indicator="Health Deprivation and Disability: rank")

    link = page.url
    assert "plan=" in link
    page.goto(link)
    for outcome in ("More people in work", "Healthier lives"):
        page.get_by_role("heading", name=outcome, exact=True).wait_for(timeout=120_000)
    wait_until_idle(page)
    assert "Bloomfield (ward)" in page.inner_text("body")

    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name="Plan on a page (PDF)").click()
    pdf = Path(info.value.path())
    assert pdf.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run([shutil.which("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = " ".join(text.split())
    assert name in text and "More people in work" in text and "Healthier lives" in text
    assert "English Indices of Deprivation" in text
