"""Load test: N simultaneous real browser sessions through a realistic journey.

Starts the app on loopback (SQLite in a temporary folder unless DATABASE_URL is set; one
workshop is created there for the notes), then runs N Playwright browser contexts at once
(one Chromium, N sessions). Sessions arrive over a ramp (``--ramp`` seconds, as people open a
shared link over a few seconds rather than in the same millisecond) and pause between steps
as a reader does (``--think`` seconds, uniformly random). Each session completes the journey
at least once and repeats it until the window (``--seconds``) closes: open the map for a local
authority, switch the indicator, select an area by clicking it, open its profile, add a
workshop note. Reports errors, the median and 95th-percentile time of each step (think time
excluded), and the server's resident memory, for each N. A failed step saves a screenshot in
the output folder.

Here the browsers share the server's two cores, which no real deployment does (each person's
browser runs on their own device). So the browsers run at a lower priority (``--browser-nice``,
default 10): the server gets the CPU first and the browsers the rest. ``--browser-nice 0``
gives them equal priority. With ``--pin`` (the default on a machine of two or more cores) the
server runs on the first core and the browsers on the others (``sched_setaffinity``, as
``taskset`` does), so the browsers cannot take the server's core at all. The report prints the
server's own CPU use beside the window.

The server logs each script run (``PLACEMAP_LOG_RUN_TIMES=1``), and the report gives, per page,
the server's own script time per run (median and 95th percentile) apart from the browser-side
step times, which include the browsers' work and the network.

Each session sends its own ``X-Forwarded-For`` address (from 198.51.100.0/24, a documentation
range) and the server is started with ``PLACEMAP_TRUSTED_PROXIES=127.0.0.1`` for the benchmark
only, so the per-client rate limits see N people rather than one address making N people's
writes (``--one-address`` sends every session from 127.0.0.1, as before).

Usage: .venv/bin/python benchmarks/load.py [--sessions 1 5 20] [--seconds 60] [--ramp 20] [--think 2 5]
       [--browser-nice 10] [--pin | --no-pin] [--one-address]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
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

from e2e.conftest import CHROMIUM_ARGS, MAP_FRAME, _free_port  # noqa: E402
from map_speed import PICKER, RANK_OPTION, _rss_mb, server_runs, start_app  # noqa: E402

LAS = ["E06000009", "E08000003", "E06000030", "E07000147", "E06000041", "E08000025", "E08000012"]
STEPS = ["open map", "switch indicator", "select area", "open profile", "add note"]
PAINTED = "html[data-pm-painted]"
STEP_TIMEOUT_MS = 180_000


async def journey(
    browser,
    url: str,
    deadline: float,
    times: dict,
    errors: dict,
    rng: random.Random,
    delay: float,
    think: tuple[float, float],
    shots: Path,
    name: str,
    address: str | None = None,
) -> None:
    """One session: arrive after ``delay``, do the journey once, then repeat it until ``deadline``.

    ``address`` is sent as ``X-Forwarded-For`` (the server trusts loopback as its proxy in the benchmark).
    """
    await asyncio.sleep(delay)
    headers = {"X-Forwarded-For": address} if address else {}
    context = await browser.new_context(viewport={"width": 1400, "height": 1000}, extra_http_headers=headers)
    # Slow is a time to report, not an error: with 20 sessions the browsers share the server's two cores.
    context.set_default_timeout(STEP_TIMEOUT_MS)
    context.set_default_navigation_timeout(STEP_TIMEOUT_MS)
    page = await context.new_page()
    rounds = 0
    while rounds == 0 or time.monotonic() < deadline:
        rounds += 1
        la = rng.choice(LAS)
        for step in STEPS:
            started = time.monotonic()
            try:
                await STEP_FUNCTIONS[step](page, url, la, rng)
            except Exception as exc:  # noqa: BLE001 - any failure of a step is an error to count
                errors[step].append(f"{type(exc).__name__}: {str(exc)[:160]}")
                shots.mkdir(parents=True, exist_ok=True)
                with contextlib.suppress(Exception):
                    await page.screenshot(path=shots / f"error_{name}_{rounds}_{step.replace(' ', '_')}.png")
                break
            times[step].append(time.monotonic() - started)
            await asyncio.sleep(rng.uniform(*think))
        if rounds > 1 and time.monotonic() >= deadline:
            break
    await context.close()


IDLE = (
    "() => !document.querySelector('[data-stale=\"true\"]')"
    " && !document.querySelector('[data-testid=\"stStatusWidget\"]')"
    " && !document.querySelector('[data-testid=\"stSpinner\"]')"
)
# Points inside areas a person could click: the centre of each area's box, kept only where
# that area (not the layer control, a neighbour or an outline) is what lies under the pointer.
CLICKABLE = """() => [...document.querySelectorAll('.leaflet-overlay-pane path.leaflet-interactive')]
    .map(p => { const r = p.getBoundingClientRect(); const x = r.x + r.width / 2, y = r.y + r.height / 2;
                return r.width > 4 && r.height > 4 && document.elementFromPoint(x, y) === p ? [x, y] : null; })
    .filter(Boolean)"""


async def idle(page) -> None:
    """Wait until Streamlit has finished its run (a person waits for the page to settle too)."""
    await page.wait_for_function(IDLE, timeout=STEP_TIMEOUT_MS)
    await page.wait_for_timeout(300)
    await page.wait_for_function(IDLE, timeout=STEP_TIMEOUT_MS)


async def click_an_area(page, rng) -> None:
    """Click a random area of the map where it can be seen and clicked."""
    element = await page.wait_for_selector(MAP_FRAME)
    await element.scroll_into_view_if_needed()
    frame = await element.content_frame()
    points = await frame.evaluate(CLICKABLE)
    x, y = rng.choice(points)
    box = await element.bounding_box()
    await page.mouse.click(box["x"] + x, box["y"] + y)


async def open_map(page, url, la, rng):
    await page.goto(f"{url}/?la={la}&ind=imd_decile")
    await page.frame_locator(MAP_FRAME).locator(PAINTED).wait_for(state="attached", timeout=STEP_TIMEOUT_MS)
    await idle(page)


async def switch_indicator(page, url, la, rng):
    # Reopen the list if a rerun closed it (see tests/e2e/conftest.choose_option).
    for attempt in range(4):
        # Scroll first, as a person does: the list closes on a scroll that lands just after the click.
        await page.get_by_label(PICKER).scroll_into_view_if_needed()
        await page.wait_for_timeout(300)
        await page.get_by_label(PICKER).click()
        option = page.get_by_role("option", name=RANK_OPTION, exact=True)
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
        .wait_for(state="attached", timeout=STEP_TIMEOUT_MS)
    )
    await idle(page)


async def select_area(page, url, la, rng):
    await click_an_area(page, rng)
    await page.get_by_text("Ward:").first.wait_for(timeout=STEP_TIMEOUT_MS)
    await idle(page)


async def open_profile(page, url, la, rng):
    await page.get_by_role("link", name="Open profile").first.click()
    await page.wait_for_url("**/profile**", timeout=STEP_TIMEOUT_MS)
    await page.locator('[data-testid="stVegaLiteChart"]').first.wait_for(timeout=STEP_TIMEOUT_MS)
    await idle(page)


WORKSHOP: dict[str, str] = {}  # share id of the workshop the sessions write to (made in main)


async def add_note(page, url, la, rng):
    await page.goto(f"{url}/workshop?mode=workshop&step=4&ws={WORKSHOP['id']}")
    await page.frame_locator(MAP_FRAME).locator(PAINTED).wait_for(state="attached", timeout=STEP_TIMEOUT_MS)
    await idle(page)
    frame = page.frame_locator(MAP_FRAME)
    before = await frame.locator("html").evaluate("() => window.pmNoteCount || 0")
    await click_an_area(page, rng)
    await page.get_by_text("Pinned:").wait_for(timeout=STEP_TIMEOUT_MS)
    await idle(page)
    await page.get_by_label("Your note (up to 280 characters)").fill(f"Load test note {rng.random():.6f}")
    await page.get_by_role("button", name="Add my note").click()
    await page.wait_for_function(
        f"n => document.querySelector('{MAP_FRAME}').contentWindow.pmNoteCount > n",
        arg=before,
        timeout=STEP_TIMEOUT_MS,
    )


STEP_FUNCTIONS = {
    "open map": open_map,
    "switch indicator": switch_indicator,
    "select area": select_area,
    "open profile": open_profile,
    "add note": add_note,
}


async def warm_up(url: str) -> None:
    """Load the national data once (as the first user would), so the levels measure a warm server."""
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        page = await browser.new_page()
        await open_map(page, url, LAS[0], random.Random(0))
        await browser.close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (from /proc; Linux only)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else (values[0] if values else float("nan"))


async def run_level(
    url: str,
    server_pid: int,
    sessions: int,
    seconds: float,
    ramp: float,
    think: tuple[float, float],
    shots: Path,
    one_address: bool = False,
) -> dict:
    from playwright.async_api import async_playwright

    times = {s: [] for s in STEPS}
    errors = {s: [] for s in STEPS}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        started = time.monotonic()
        deadline = started + seconds
        peak = [0.0]
        running = [True]

        async def sample_memory():
            while running[0]:
                peak[0] = max(peak[0], _rss_mb(server_pid))
                await asyncio.sleep(1)

        sampler = asyncio.create_task(sample_memory())
        cpu_before = cpu_seconds(server_pid)
        await asyncio.gather(
            *(
                journey(
                    browser,
                    url,
                    deadline,
                    times,
                    errors,
                    random.Random(i),
                    ramp * i / max(sessions, 1),
                    think,
                    shots,
                    f"n{sessions}_s{i}",
                    None if one_address else f"198.51.100.{i + 1}",
                )
                for i in range(sessions)
            )
        )
        running[0] = False
        await sampler
        elapsed = time.monotonic() - started
        server_cpu = cpu_seconds(server_pid) - cpu_before
        await browser.close()
    return {
        "sessions": sessions,
        "times": times,
        "errors": errors,
        "rss_peak_mb": peak[0],
        "elapsed": elapsed,
        "server_cpu_s": server_cpu,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 5, 20])
    parser.add_argument("--seconds", type=float, default=60, help="window; every session finishes one journey")
    parser.add_argument("--ramp", type=float, default=20, help="sessions arrive evenly over this many seconds")
    parser.add_argument(
        "--browser-nice",
        type=int,
        default=10,
        help="run the browsers at this nice level (0 = same priority as the server); see the docstring",
    )
    parser.add_argument("--think", type=float, nargs=2, default=[2, 5], help="pause between steps (s)")
    parser.add_argument(
        "--pin",
        action=argparse.BooleanOptionalAction,
        default=len(os.sched_getaffinity(0)) >= 2,
        help="server on the first core, browsers on the others (default with two or more cores)",
    )
    parser.add_argument("--one-address", action="store_true", help="every session from 127.0.0.1 (no X-Forwarded-For)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="placemap-load-")
    env = {"PLACEMAP_DB_PATH": str(Path(folder) / "load.db"), "DATABASE_URL": ""}
    if os.environ.get("DATABASE_URL"):
        env = {}
    sys.path.insert(0, str(ROOT))
    from placemap.storage import community, store

    db = store.open_store(os.environ.get("DATABASE_URL") or f"sqlite:///{Path(folder) / 'load.db'}")
    WORKSHOP["id"] = community.create_workshop(db, "Load test", "E06000009").share_id
    db.close()
    port = _free_port()
    env |= {"PLACEMAP_LOG_RUN_TIMES": "1", "PLACEMAP_TRUSTED_PROXIES": "127.0.0.1"}
    cores = sorted(os.sched_getaffinity(0))
    if args.pin:  # the server (started now) inherits the first core; the browsers (started later) the rest
        os.sched_setaffinity(0, {cores[0]})
    log = Path(folder) / "server.log"
    server = start_app(ROOT / "app.py", port, log, env)
    if args.pin:
        os.sched_setaffinity(0, set(cores[1:]))
    url = f"http://127.0.0.1:{port}"
    rows = []
    try:
        idle = _rss_mb(server.pid)
        started = time.monotonic()
        # The browsers are started after this, from this process: at a lower priority they stand in for
        # browsers on people's own machines, and the server's timings are not starved by them.
        os.nice(args.browser_nice)
        asyncio.run(warm_up(url))
        warm = _rss_mb(server.pid)
        print(
            f"Server RSS at start: {idle:.0f} MB; cold first map (data loads into the shared cache): "
            f"{time.monotonic() - started:.1f} s, then {warm:.0f} MB"
        )
        for n in args.sessions:
            logged = len(server_runs(log))
            result = asyncio.run(
                run_level(
                    url,
                    server.pid,
                    n,
                    args.seconds,
                    args.ramp,
                    tuple(args.think),
                    args.out / "load_errors",
                    args.one_address,
                )
            )
            runs = server_runs(log)[logged:]
            journeys = len(result["times"][STEPS[-1]])
            print(
                f"\nN = {n} sessions (arriving over {args.ramp:.0f} s, {args.think[0]:.0f}-{args.think[1]:.0f} s "
                f"think time), window {args.seconds:.0f} s, ran {result['elapsed']:.0f} s: {journeys} journeys "
                f"completed; peak server RSS {result['rss_peak_mb']:.0f} MB "
                f"(+{(result['rss_peak_mb'] - warm) / n:.1f} MB per session over the warm server); server CPU "
                f"{result['server_cpu_s']:.0f} s of {2 * result['elapsed']:.0f} core-seconds"
            )
            print(f"  {'step':18} {'done':>5} {'errors':>6} {'median s':>9} {'p95 s':>7}")
            for step in STEPS:
                done, errs = result["times"][step], result["errors"][step]
                median = statistics.median(done) if done else float("nan")
                print(f"  {step:18} {len(done):5} {len(errs):6} {median:9.2f} {p95(done):7.2f}")
                rows.append(
                    {
                        "sessions": n,
                        "step": step,
                        "done": len(done),
                        "errors": len(errs),
                        "median_s": median,
                        "p95_s": p95(done),
                        "cpu_median_s": float("nan"),
                        "cpu_p95_s": float("nan"),
                        "rss_peak_mb": result["rss_peak_mb"],
                        "rss_warm_mb": warm,
                    }
                )
                for e in sorted(set(errs))[:3]:
                    print(f"      e.g. {e}")
            busy = sum(r["seconds"] for r in runs)
            used = sum(float(r.get("cpu", 0)) for r in runs)
            print(
                f"  server script runs: {len(runs)}, {busy:.0f} s of script time in {result['elapsed']:.0f} s, "
                f"{used:.0f} s of it on the processor ({used / result['elapsed']:.0%} of one core)"
            )
            print(
                f"  {'page (server side)':18} {'runs':>5} {'median s':>9} {'p95 s':>7}   {'CPU median s':>12} {'CPU p95 s':>9}"
            )
            for page in sorted({r["page"] for r in runs}):
                mine = [r for r in runs if r["page"] == page]
                times = [r["seconds"] for r in mine]
                cpu = [float(r["cpu"]) for r in mine if "cpu" in r]
                cpu_median = statistics.median(cpu) if cpu else float("nan")
                print(
                    f"  {page:18} {len(times):5} {statistics.median(times):9.3f} {p95(times):7.3f}   "
                    f"{cpu_median:12.3f} {p95(cpu):9.3f}"
                )
                rows.append(
                    {
                        "sessions": n,
                        "step": f"server: {page}",
                        "done": len(times),
                        "errors": sum(r.get("outcome") == "error" for r in mine),
                        "median_s": statistics.median(times),
                        "p95_s": p95(times),
                        "cpu_median_s": cpu_median,
                        "cpu_p95_s": p95(cpu),
                        "rss_peak_mb": result["rss_peak_mb"],
                        "rss_warm_mb": warm,
                    }
                )
            print(
                "  (wall time of a run includes waiting for other sessions' runs on the server's core; "
                "CPU is the run's own processor time)"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
        args.out.mkdir(parents=True, exist_ok=True)
        shutil.copy(log, args.out / "load_server.log")  # every run's line, for a closer look
        shutil.rmtree(folder, ignore_errors=True)
    with open(args.out / "load.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"\nWritten {args.out / 'load.csv'}")


if __name__ == "__main__":
    main()
