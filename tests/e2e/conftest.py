"""A real Streamlit server on loopback and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, env: dict | None = None, args: tuple[str, ...] = ()) -> subprocess.Popen:
    """Start the app on 127.0.0.1:``port`` (``args``: more ``streamlit run`` options) and wait until it is healthy."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "placemap.ui.serve",  # as scripts/start.sh starts it: streamlit run app.py, modules preloaded
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            *args,
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, **(env or {})},
    )
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"Streamlit did not start: {process.stdout.read().decode()[-2000:]}")


@pytest.fixture(scope="session")
def server_url(tmp_path_factory):
    # Its own database file, so parallel test workers never share one.
    port = _free_port()
    process = start_server(port, env={"PLACEMAP_DB_PATH": str(tmp_path_factory.mktemp("db") / "placemap.db")})
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    assert executable, "Debian's chromium is needed for browser tests: apt-get install chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1100})
    pg = context.new_page()
    pg.requests = []
    pg.on("request", lambda r: pg.requests.append(r.url))
    yield pg
    context.close()


def map_frame(page, timeout: int = 60_000):
    """The Leaflet map's frame (the streamlit-folium iframe), once the map has painted (``timeout`` in ms)."""
    page.frame_locator(MAP_FRAME).locator("html[data-pm-painted]").wait_for(state="attached", timeout=timeout)
    return page.locator(MAP_FRAME).element_handle().content_frame()


def choose_option(page, label: str, option: str, attempts: int = 4) -> None:
    """Pick ``option`` from the select box ``label``, reopening it if a rerun closed it first.

    When the map first paints, streamlit-folium reports its initial value and Streamlit reruns;
    a dropdown opened at that moment is closed by the re-render.
    """
    for attempt in range(attempts):
        # Scroll first, as a person does: the list closes on a scroll that lands just after the click.
        page.get_by_label(label).scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        page.get_by_label(label).click()
        target = page.get_by_role("option", name=option, exact=True)
        try:
            target.wait_for(timeout=5_000)
            target.click()
            return
        except Exception:
            if attempt == attempts - 1:
                raise


IDLE = (
    "() => !document.querySelector('[data-stale=\"true\"]')"
    " && !document.querySelector('[data-testid=\"stStatusWidget\"]')"
    " && !document.querySelector('[data-testid=\"stSpinner\"]')"
)


def wait_until_idle(page, settle_ms: int = 500) -> None:
    """Wait until Streamlit has finished its run: no faded (stale) elements, no running status.

    Streamlit dims the previous run's elements while a rerun is in progress; checking colour
    contrast at that moment would measure the dimmed text, not what a reader sees.
    """
    page.wait_for_function(IDLE, timeout=120_000)
    page.wait_for_timeout(settle_ms)
    page.wait_for_function(IDLE, timeout=120_000)
