"""Two app servers sharing one PostgreSQL, behind nginx (deploy/nginx.conf) on loopback."""

import re
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from placemap.storage import community, store

from .conftest import MAP_FRAME, ROOT, _free_port, map_frame, start_server

pytestmark = pytest.mark.browser
COLD_PAGE_MS = 150_000  # a server's first map loads the national tables; slow when the machine is busy
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


@pytest.fixture(scope="module")
def two_servers(postgres_url):
    ports = [_free_port(), _free_port()]
    servers = [start_server(p, env={"DATABASE_URL": postgres_url}) for p in ports]
    yield [f"http://127.0.0.1:{p}" for p in ports]
    for server in servers:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def proxy_url(two_servers, tmp_path_factory):
    assert NGINX, "nginx is needed for the scale-out test: apt-get install nginx (scripts/test.sh does)"
    folder = tmp_path_factory.mktemp("nginx")
    port = _free_port()
    ports = [url.rsplit(":", 1)[1] for url in two_servers]
    config = (ROOT / "deploy" / "nginx.conf").read_text()
    config = config.replace("127.0.0.1:8501", f"127.0.0.1:{ports[0]}").replace(
        "127.0.0.1:8502", f"127.0.0.1:{ports[1]}"
    )
    config = config.replace("listen 127.0.0.1:8080", f"listen 127.0.0.1:{port}").replace(
        "/tmp/placemap-nginx", str(folder / "n")
    )
    (folder / "nginx.conf").write_text(config)
    subprocess.run([NGINX, "-t", "-c", str(folder / "nginx.conf")], check=True, capture_output=True)
    process = subprocess.Popen([NGINX, "-c", str(folder / "nginx.conf"), "-g", "daemon off;"])
    url = f"http://127.0.0.1:{port}"
    for _ in range(50):
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=20)


def test_the_app_works_through_nginx_websocket_included(page, proxy_url):
    page.goto(f"{proxy_url}/?la=E06000009")
    frame = map_frame(page)  # painting needs the Streamlit websocket to pass through the proxy
    assert frame.locator(".leaflet-overlay-pane path").count() == 94


def test_an_intervention_saved_through_one_server_opens_through_the_other(page, two_servers):
    first, second = two_servers
    page.goto(f"{first}/evaluate")
    page.get_by_label("Name", exact=True).fill("Scale-out check")
    page.keyboard.press("Tab")  # Streamlit takes a text field's value when it loses focus
    page.get_by_label("By list of LSOA codes (2011 or 2021)").fill("E01012672\nE01012737\nE01012680")
    page.keyboard.press("Tab")
    page.get_by_role("button", name="Add these codes").click()
    page.get_by_role("button", name="Save this intervention").click()
    saved = page.get_by_text("Share it with the link")
    saved.wait_for(timeout=60_000)
    share_id = re.search(r"intervention=([A-Za-z0-9_-]+)", saved.inner_text()).group(1)
    page.goto(f"{second}/evaluate?intervention={share_id}")
    page.get_by_text("Share it with the link").wait_for(timeout=60_000)
    expect(page.get_by_label("Name", exact=True)).to_have_value("Scale-out check", timeout=30_000)


def _notes_on_map(page) -> int:
    return page.frame_locator(MAP_FRAME).locator("html[data-pm-notes]").evaluate("() => window.pmNoteCount")


def test_a_workshop_note_written_through_one_server_appears_on_the_other(browser, page, two_servers, postgres_url):
    first, second = two_servers
    db = store.open_store(store.database_url({"DATABASE_URL": postgres_url}))
    try:
        ws = community.create_workshop(db, "Two servers", "E06000009")
    finally:
        db.close()
    # The shared screen is on the second server; a participant's phone reaches the first.
    page.goto(f"{second}/workshop?step=4&ws={ws.share_id}")
    map_frame(page, timeout=COLD_PAGE_MS)
    assert _notes_on_map(page) == 0
    phone = browser.new_context(viewport={"width": 1200, "height": 1000}).new_page()
    try:
        phone.goto(f"{first}/workshop?step=4&ws={ws.share_id}")
        map_frame(phone, timeout=COLD_PAGE_MS).locator(".leaflet-overlay-pane path").nth(10).click()
        phone.get_by_text("Pinned:").wait_for(timeout=60_000)
        phone.get_by_label("Your note (up to 280 characters)").fill("A crossing by the school, please")
        phone.get_by_role("button", name="Add my note").click()
        phone.wait_for_function(
            f"() => document.querySelector('{MAP_FRAME}').contentWindow.pmNoteCount === 1", timeout=60_000
        )
        expect(phone.get_by_label("Your note (up to 280 characters)")).to_have_value("")  # saved: form emptied
    finally:
        phone.context.close()
    # The shared screen refreshes its notes every 2 s from the database, whichever server wrote them.
    page.wait_for_function(
        f"() => document.querySelector('{MAP_FRAME}').contentWindow.pmNoteCount === 1", timeout=30_000
    )
    expect(page.locator(".pm-note-text").first).to_have_text("A crossing by the school, please")


def test_an_upload_saved_through_one_server_opens_through_the_other(page, two_servers, tmp_path):
    first, second = two_servers
    csv = tmp_path / "referrals.csv"
    csv.write_text("lsoa21cd,Referrals\nE01012662,12\nE01012663,30\nE01012664,7\n", encoding="utf-8")
    page.goto(f"{first}/upload")
    page.get_by_role("heading", name="Bring your own data").wait_for(timeout=60_000)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(str(csv))
    page.get_by_text("3 of 3 rows matched").wait_for(timeout=COLD_PAGE_MS)
    page.get_by_label("Name of the dataset").fill("Food bank referrals")
    page.get_by_label("Source (who published it, when, licence)").fill("Blackpool Food Bank, 2026")
    page.get_by_text("Also save it to the database, to reopen and share by link").click()
    page.get_by_role("button", name="Add to this session").click()
    saved = page.get_by_text("Share it with this link")
    saved.wait_for(timeout=60_000)
    share_id = re.search(r"upload=([A-Za-z0-9_-]+)", saved.inner_text()).group(1)
    page.goto(f"{second}/upload?upload={share_id}")
    opened = page.get_by_text("Opened the saved dataset")
    opened.wait_for(timeout=COLD_PAGE_MS)
    assert "Food bank referrals" in opened.inner_text() and "Blackpool Food Bank, 2026" in opened.inner_text()
    page.get_by_role("tab", name="Your datasets").click()
    expect(page.get_by_text("Food bank referrals (indicators)")).to_be_visible(timeout=30_000)
