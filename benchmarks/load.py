"""Load test: N simultaneous real browser sessions through a realistic journey.

Starts the app on loopback (SQLite in a temporary folder unless DATABASE_URL is set; one
workshop is created there for the notes), then runs
N Playwright browser contexts at once (one Chromium, N sessions) for a bounded time. Each
session repeats the journey: open the map for a local authority, switch the indicator, select
an area by clicking it, open its profile, add a workshop note. Reports errors, the median and
95th-percentile time of each step, and the server's resident memory, for each N.

Usage: .venv/bin/python benchmarks/load.py [--sessions 1 5 20] [--seconds 60]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from e2e.conftest import CHROMIUM_ARGS, MAP_FRAME, _free_port, start_server  # noqa: E402
from map_speed import _rss_mb  # noqa: E402

LAS = ["E06000009", "E08000003", "E06000030", "E07000147", "E06000041", "E08000025", "E08000012"]
STEPS = ["open map", "switch indicator", "select area", "open profile", "add note"]
PAINTED = "html[data-pm-painted]"
STEP_TIMEOUT_MS = 180_000


async def journey(browser, url: str, deadline: float, times: dict, errors: dict, rng: random.Random) -> None:
    """One session: repeat the journey until ``deadline``; record each step's time or error."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    # Slow is a time to report, not an error: with 20 sessions the browsers share the server's two cores.
    context.set_default_timeout(STEP_TIMEOUT_MS)
    context.set_default_navigation_timeout(STEP_TIMEOUT_MS)
    page = await context.new_page()
    while time.monotonic() < deadline:
        la = rng.choice(LAS)
        for step in STEPS:
            started = time.monotonic()
            try:
                await STEP_FUNCTIONS[step](page, url, la, rng)
            except Exception as exc:  # noqa: BLE001 - any failure of a step is an error to count
                errors[step].append(f"{type(exc).__name__}: {str(exc)[:120]}")
                break
            times[step].append(time.monotonic() - started)
            if time.monotonic() >= deadline:
                break
    await context.close()


async def open_map(page, url, la, rng):
    await page.goto(f"{url}/?la={la}&ind=imd_decile")
    await page.frame_locator(MAP_FRAME).locator(PAINTED).wait_for(state="attached", timeout=120_000)


async def switch_indicator(page, url, la, rng):
    # Reopen the list if the map's first rerun closed it (see tests/e2e/conftest.choose_option).
    for attempt in range(4):
        await page.get_by_label("Measure").click()
        option = page.get_by_role("option", name="Rank", exact=True)
        try:
            await option.wait_for(timeout=5_000)
            await option.click()
            break
        except Exception:
            if attempt == 3:
                raise
    await (
        page.frame_locator(MAP_FRAME)
        .locator("html[data-pm-painted*='imd_rank']")
        .wait_for(state="attached", timeout=120_000)
    )


async def select_area(page, url, la, rng):
    paths = page.frame_locator(MAP_FRAME).locator(".leaflet-overlay-pane path")
    count = await paths.count()
    await paths.nth(rng.randrange(count)).click()
    await page.get_by_text("Ward:").first.wait_for(timeout=120_000)


async def open_profile(page, url, la, rng):
    await page.get_by_role("link", name="Open profile").first.click()
    await page.wait_for_url("**/profile**", timeout=120_000)
    await page.locator('[data-testid="stVegaLiteChart"]').first.wait_for(timeout=120_000)


WORKSHOP: dict[str, str] = {}  # share id of the workshop the sessions write to (made in main)


async def add_note(page, url, la, rng):
    await page.goto(f"{url}/workshop?mode=workshop&step=4&ws={WORKSHOP['id']}")
    await page.frame_locator(MAP_FRAME).locator(PAINTED).wait_for(state="attached", timeout=120_000)
    frame = page.frame_locator(MAP_FRAME)
    before = await frame.locator("html").evaluate("() => window.pmNoteCount || 0")
    paths = frame.locator(".leaflet-overlay-pane path")
    await paths.nth(rng.randrange(await paths.count())).click()
    await page.get_by_text("Pinned:").wait_for(timeout=120_000)
    await page.get_by_label("Your note (up to 280 characters)").fill(f"Load test note {rng.random():.6f}")
    await page.get_by_role("button", name="Add my note").click()
    await page.wait_for_function(
        f"n => document.querySelector('{MAP_FRAME}').contentWindow.pmNoteCount > n", arg=before, timeout=120_000
    )


STEP_FUNCTIONS = {
    "open map": open_map, "switch indicator": switch_indicator, "select area": select_area,
    "open profile": open_profile, "add note": add_note,
}  # fmt: skip


async def warm_up(url: str) -> None:
    """Load the national data once (as the first user would), so the levels measure a warm server."""
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        page = await browser.new_page()
        await open_map(page, url, LAS[0], random.Random(0))
        await browser.close()


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else (values[0] if values else float("nan"))


async def run_level(url: str, server_pid: int, sessions: int, seconds: float) -> dict:
    from playwright.async_api import async_playwright

    times = {s: [] for s in STEPS}
    errors = {s: [] for s in STEPS}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        deadline = time.monotonic() + seconds
        peak = [0.0]

        async def sample_memory():
            while time.monotonic() < deadline:
                peak[0] = max(peak[0], _rss_mb(server_pid))
                await asyncio.sleep(1)

        await asyncio.gather(
            sample_memory(),
            *(journey(browser, url, deadline, times, errors, random.Random(i)) for i in range(sessions)),
        )
        await browser.close()
    return {"sessions": sessions, "times": times, "errors": errors, "rss_peak_mb": peak[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 5, 20])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="placemap-load-")
    env = {"PLACEMAP_DB_PATH": str(Path(folder) / "load.db"), "DATABASE_URL": ""}
    if os.environ.get("DATABASE_URL"):
        env = {}
    sys.path.insert(0, str(ROOT))
    from placemap import community, store

    db = store.open_store(os.environ.get("DATABASE_URL") or f"sqlite:///{Path(folder) / 'load.db'}")
    WORKSHOP["id"] = community.create_workshop(db, "Load test", "E06000009").share_id
    db.close()
    port = _free_port()
    server = start_server(port, env=env)
    url = f"http://127.0.0.1:{port}"
    rows = []
    try:
        idle = _rss_mb(server.pid)
        started = time.monotonic()
        asyncio.run(warm_up(url))
        print(f"Server RSS at start: {idle:.0f} MB; cold first map (data loads into the shared cache): "
              f"{time.monotonic() - started:.1f} s, then {_rss_mb(server.pid):.0f} MB")  # fmt: skip
        for n in args.sessions:
            result = asyncio.run(run_level(url, server.pid, n, args.seconds))
            print(f"\nN = {n} sessions for {args.seconds:.0f} s: peak server RSS {result['rss_peak_mb']:.0f} MB")
            print(f"  {'step':18} {'done':>5} {'errors':>6} {'median s':>9} {'p95 s':>7}")
            for step in STEPS:
                done, errs = result["times"][step], result["errors"][step]
                median = statistics.median(done) if done else float("nan")
                print(f"  {step:18} {len(done):5} {len(errs):6} {median:9.2f} {p95(done):7.2f}")
                rows.append({"sessions": n, "step": step, "done": len(done), "errors": len(errs),
                             "median_s": median, "p95_s": p95(done), "rss_peak_mb": result["rss_peak_mb"]})  # fmt: skip
                for e in sorted(set(errs))[:3]:
                    print(f"      e.g. {e}")
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)
    args.out.mkdir(parents=True, exist_ok=True)
    with open(args.out / "load.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"\nWritten {args.out / 'load.csv'}")


if __name__ == "__main__":
    main()
