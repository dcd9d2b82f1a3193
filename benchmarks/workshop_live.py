"""Workshop figures: notes written per second by 20 concurrent writers (SQLite), and how long a
new note takes to appear on another browser session's workshop page.

    .venv/bin/python benchmarks/workshop_live.py [--shot docs/workshop-mode.png]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from placemap.community import notes  # noqa: E402
from placemap.storage import community, store  # noqa: E402
from tests.e2e.conftest import CHROMIUM_ARGS, MAP_FRAME, _free_port, start_server  # noqa: E402
from tests.test_community import _concurrent_notes  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shot", help="save a 1920x1080 screenshot of workshop mode here")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="placemap-bench-"))
    rates = []
    for run in range(3):
        count, errors, elapsed = _concurrent_notes(f"sqlite:///{folder / f'busy{run}.db'}", 20, 25)
        assert not errors and count == 500
        rates.append(count / elapsed)
    print(f"SQLite, 20 concurrent writers x 25 notes: {statistics.median(rates):,.0f} notes/s (median of 3)")

    path = folder / "live.db"
    db = store.open_store(f"sqlite:///{path}")
    ws = community.create_workshop(db, "Benchmark", "E06000009")
    port = _free_port()
    server = start_server(port, {"PLACEMAP_DB_PATH": str(path), "DATABASE_URL": ""})
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            page.goto(f"http://127.0.0.1:{port}/workshop?mode=workshop&step=4&ws={ws.share_id}")
            page.frame_locator(MAP_FRAME).locator("html[data-pm-notes]").wait_for(state="attached", timeout=90_000)
            delays = []
            for i in range(5):
                note = notes.validate_note(
                    "idea", f"Idea number {i}: a community garden", "Sam", "point", 53.815 + i * 0.002, -3.04
                )
                started = time.perf_counter()
                community.add_note(db, ws, note)  # what another participant's session does when they press "Add"
                page.wait_for_function(
                    f"() => document.querySelector('{MAP_FRAME}').contentWindow.pmNoteCount === {i + 1}",
                    timeout=30_000,
                    polling=50,
                )
                delays.append(time.perf_counter() - started)
            print(
                f"New note on another session's workshop page: median {statistics.median(delays):.2f} s, "
                f"max {max(delays):.2f} s (5 notes; the page refreshes notes every 2 s)"
            )
            if args.shot:
                page.wait_for_timeout(1500)
                page.screenshot(path=args.shot)
                print(f"Screenshot: {args.shot}")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
        db.close()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
