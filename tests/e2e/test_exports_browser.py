"""Downloads in a real browser: a click gives a file, and the saved map works offline."""

from pathlib import Path

import pytest

from .conftest import map_frame, wait_until_idle

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def _download(page, name: str, timeout: int = 90_000) -> bytes:
    with page.expect_download(timeout=timeout) as info:
        page.get_by_role("button", name=name, exact=True).click()
    return Path(info.value.path()).read_bytes()


def test_profile_page_downloads_a_csv_and_the_pdf_report(page, server_url):
    page.goto(f"{server_url}/profile?area=E01033658")
    page.get_by_role("heading", name="Manchester 054C: area profile").wait_for(timeout=90_000)
    page.get_by_role("heading", name="Similar LSOAs in England").wait_for(timeout=90_000)
    csv = _download(page, "Ranks and deciles as CSV").decode("utf-8-sig")
    assert csv.startswith("# Ranks and deciles of Manchester 054C (E01033658), Manchester\n")
    assert "Index of Multiple Deprivation (IMD),13707,5," in csv
    pdf = _download(page, "Download the profile report (PDF)")
    assert pdf[:5] == b"%PDF-" and len(pdf) > 50_000


def test_a_compared_measures_chart_downloads_as_svg_with_its_title_source_and_licence(page, server_url):
    page.goto(f"{server_url}/compare?cmp=E08000003,E06000009&v=2025")
    page.get_by_role("heading", name="Measures behind the indices").wait_for(timeout=120_000)
    page.get_by_text("Measures to chart").wait_for(timeout=60_000)
    buttons = page.get_by_role("button", name="Chart as SVG", exact=True)
    # The measures' charts come after the domains' (3 picked by default): wait until they are all on the page.
    seen, steady = -1, 0
    for _ in range(240):  # at most two minutes
        if steady >= 4:
            break
        page.wait_for_timeout(500)
        count = buttons.count()
        seen, steady = count, steady + 1 if count == seen else 0
    with page.expect_download(timeout=90_000) as info:
        buttons.last.click()  # the last measure charted
    svg = Path(info.value.path()).read_text()
    assert svg.lstrip().startswith("<svg") and ": the areas compared" in svg
    assert "Source: " in svg and "Open Government Licence" in svg


def test_the_saved_interactive_map_paints_from_a_file_with_no_network(page, server_url, browser, tmp_path):
    page.goto(server_url)
    map_frame(page)
    html = _download(page, "Interactive map (HTML)")
    saved = tmp_path / "map.html"
    saved.write_bytes(html)
    offline = browser.new_context()
    requests = []
    offline.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    tab = offline.new_page()
    tab.on("request", lambda r: requests.append(r.url))
    tab.goto(saved.as_uri())
    tab.wait_for_function("window.pmFeatureCount === 94", timeout=30_000)  # Blackpool's LSOAs
    assert tab.locator(".leaflet-overlay-pane path").count() >= 94
    assert "Blackpool: Index of Multiple Deprivation (IMD): decile" in tab.locator(".pm-export-panel").inner_text()
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    offline.close()


def test_no_serious_accessibility_violations_in_a_profile_page(page, server_url):
    page.goto(f"{server_url}/profile?la=E08000003")
    page.get_by_role("heading", name="Manchester: area profile").wait_for(timeout=90_000)
    page.get_by_role("heading", name="Similar local authorities").wait_for(timeout=60_000)
    wait_until_idle(page)
    page.add_script_tag(path=str(AXE))
    # What a reader sees is the settled page: a late rerun (the similar-areas list arrives last)
    # can leave the previous run's elements dimmed for a moment, so a finding must persist.
    for _ in range(3):
        result = page.evaluate(
            """async () => {
                const r = await axe.run(document, {exclude: [['iframe']]});
                return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
                    .map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
            }"""
        )
        if not result:
            break
        wait_until_idle(page, settle_ms=2_000)
    assert result == []
