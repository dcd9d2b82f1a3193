"""Placemap's map against the naive peer, GeoDataFrame.explore(), in one run on one machine.

For each extent (Manchester; Birmingham, the largest LA; the 36 metropolitan districts;
all of England, IoD2025 on 2021 LSOAs) it measures, as medians of several runs:

* server time to build the map (Python: prepare, classify, build, render to HTML; for
  Placemap also the server-rendered image where one is used), with nothing cached;
* payload bytes the browser downloads for the map (HTML, plus the image if any);
* time from navigation to painted polygons in headless Chromium (Playwright, Debian's
  chromium), both maps loading Leaflet from the same local server, no tiles.

Then it prints the Placemap / naive ratio of each figure and writes a CSV. With
``--app`` it also starts the real app and measures an indicator switch on one LA
(time until the recoloured map has painted) and the server's resident memory with 1
and 5 browser sessions on the all-England view.

Usage: .venv/bin/python benchmarks/map_speed.py [--runs 5] [--app] [--out benchmarks/results]
"""

from __future__ import annotations

import argparse
import csv
import functools
import http.server
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import folium  # noqa: E402
import geopandas as gpd  # noqa: E402

from placemap.data import loaders, prepare  # noqa: E402
from placemap.data.catalogue import get_indicator, get_vintage  # noqa: E402
from placemap.render import choropleth, maps, raster  # noqa: E402
from placemap.render.assets import leaflet_source_dir  # noqa: E402

YEAR, INDICATOR, SCHEME, K, PALETTE = 2025, "imd_score", "quantiles", 10, "viridis"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def extents(areas) -> dict[str, tuple[str, ...]]:
    las = sorted(areas["la_code"].unique())
    return {
        "Manchester (one LA)": ("E08000003",),
        "Birmingham (largest LA)": ("E08000025",),
        "Metropolitan districts": tuple(c for c in las if c.startswith("E08")),
        "All of England": tuple(las),
    }


def build_naive(geometry: gpd.GeoDataFrame, areas, la_codes) -> str:
    """The naive peer: explore() with quantiles k=10, no tiles, Leaflet from the local server."""
    frame = geometry[geometry["la_code"].isin(la_codes)].join(areas[["IMD_score"]]).reset_index(drop=True)
    m = frame.explore(column="IMD_score", scheme="quantiles", k=10, tiles=None, legend=False)
    return m.get_root().render()


def build_placemap(geometry, projected, las, areas, la_codes, workdir: Path) -> tuple[str, int]:
    """Placemap's map exactly as the app builds it (no cache); returns (HTML, image bytes)."""
    vintage, indicator = get_vintage(YEAR), get_indicator(INDICATOR)
    place = prepare.areas_in(geometry, la_codes)
    classification, payload = choropleth.codes_classification(
        areas, list(prepare.areas_in(areas, la_codes).index), indicator, vintage, SCHEME, K, PALETTE
    )
    leaflet = {"leaflet_js": "leaflet/leaflet.js", "leaflet_css": "leaflet/leaflet.css"}
    if maps.drawing_mode(len(place), "lsoa") == maps.MODE_VECTOR:
        layers = choropleth.lsoa_layers(place, las, la_codes)
        base = maps.build_base_map(
            layers["areas"], layers["bounds"], la_features=layers["la"], ward_features=layers["wards"], **leaflet
        )
        return maps.render_map_html(base, [maps.build_style_layer(payload)]), 0
    layers = choropleth.la_layers(las, la_codes)
    image = raster.render_choropleth(projected.loc[place.index], classification)
    name = f"choropleth-{image.digest}.png"
    (workdir / name).write_bytes(image.png)
    base = maps.build_base_map(None, layers["bounds"], la_features=layers["outline"], **leaflet)
    html = maps.render_map_html(base, [maps.build_image_layer(name, image.bounds, "bench")])
    return html, len(image.png)


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


PAINTED_NAIVE = "n => document.querySelectorAll('.leaflet-overlay-pane path').length >= n"
PAINTED_PLACEMAP = "() => document.documentElement.hasAttribute('data-pm-painted')"
AFTER_TWO_FRAMES = (
    "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))))"
)


def paint_time(browser, url: str, naive: bool, n: int) -> float:
    """Seconds from navigation start to painted polygons, in a fresh browser context."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url, wait_until="commit")
    # Both end two animation frames after the final polygons (or image) are on the page: the
    # naive page's paths appear with their colours, so two frames after they are found; Placemap
    # records that moment itself (``window.pmPaintedAt``, two frames after its colours are set or
    # its image has loaded), so waiting two more frames would count its paint twice.
    if naive:
        page.wait_for_function(PAINTED_NAIVE, arg=n, timeout=300_000, polling="raf")
        ms = page.evaluate(AFTER_TWO_FRAMES)
    else:
        page.wait_for_function(PAINTED_PLACEMAP, timeout=300_000, polling="raf")
        ms = page.evaluate("() => window.pmPaintedAt")
    context.close()
    return ms / 1000


def measure_maps(runs: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    vintage = get_vintage(YEAR)
    geometry = loaders.read_area_boundaries(loaders.data_path(vintage.boundary_file))
    areas = loaders.read_areas(vintage)
    las = loaders.read_la_boundaries(loaders.data_path(vintage.la_file))
    projected = geometry.geometry.to_crs(raster.WEB_MERCATOR)
    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        workdir = Path(tmp)
        shutil.copytree(leaflet_source_dir(), workdir / "leaflet", dirs_exist_ok=True)
        folium.Map.default_js = [("leaflet", "leaflet/leaflet.js")]  # the naive peer, offline too
        folium.Map.default_css = [("leaflet_css", "leaflet/leaflet.css")]
        server, base_url = serve(workdir)
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        # One untimed build of each first: imports and first-call set-up (mapclassify's numba code,
        # folium's templates) are paid once per process by either tool, not per map.
        warm = extents(areas)["Manchester (one LA)"]
        build_naive(geometry, areas, warm)
        build_placemap(geometry, projected, las, areas, warm, workdir)
        for label, la_codes in extents(areas).items():
            n = int(geometry["la_code"].isin(la_codes).sum())
            for tool in ("naive", "placemap"):
                build_times, html, image_bytes = [], "", 0
                for _ in range(runs if n < 10_000 or tool == "placemap" else max(2, runs // 2)):
                    started = time.perf_counter()
                    if tool == "naive":
                        html = build_naive(geometry, areas, la_codes)
                    else:
                        html, image_bytes = build_placemap(geometry, projected, las, areas, la_codes, workdir)
                    build_times.append(time.perf_counter() - started)
                page = f"{tool}-{len(la_codes)}.html"
                (workdir / page).write_text(html, encoding="utf-8")
                paints = [paint_time(browser, f"{base_url}/{page}", tool == "naive", n) for _ in range(runs)]
                row = {
                    "extent": label,
                    "lsoas": n,
                    "tool": tool,
                    "build_s": statistics.median(build_times),
                    "payload_bytes": len(html.encode("utf-8")) + image_bytes,
                    "paint_s": statistics.median(paints),
                }
                rows.append(row)
                print(
                    f"{label:26} {tool:9} {n:6} LSOAs  build {row['build_s']:6.2f} s  "
                    f"payload {row['payload_bytes'] / 1e6:7.2f} MB  paint {row['paint_s']:6.2f} s",
                    flush=True,
                )
        browser.close()
        server.shutdown()
    return rows


def ratio_table(rows: list[dict]) -> list[dict]:
    table = []
    for label in dict.fromkeys(r["extent"] for r in rows):
        naive = next(r for r in rows if r["extent"] == label and r["tool"] == "naive")
        ours = next(r for r in rows if r["extent"] == label and r["tool"] == "placemap")
        table.append(
            {
                "extent": label,
                "lsoas": ours["lsoas"],
                **{
                    f"{k}_{t}": r[k]
                    for t, r in (("naive", naive), ("placemap", ours))
                    for k in ("build_s", "payload_bytes", "paint_s")
                },
                **{f"{k}_ratio": ours[k] / naive[k] for k in ("build_s", "payload_bytes", "paint_s")},
            }
        )
    return table


def _rss_mb(pid: int, field: str = "VmRSS") -> float:
    """Resident memory of a process and its children in MB (``field="RssAnon"``: its private part only,
    without the pages of mapped files such as the cached tables, which the kernel can drop and share)."""
    total = 0
    for p in [pid, *map(int, subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split())]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith(field + ":"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total / 1024


FLOOR_SCRIPT = """
import folium, json, streamlit as st
from streamlit_folium import st_folium
folium.Map.default_js = [("leaflet", "/app/static/leaflet/leaflet.js")]
folium.Map.default_css = [("leaflet_css", "/app/static/leaflet/leaflet.css")]
st.set_page_config(layout="wide")
st.title("One folium map")
features = json.load(open({features!r}))
m = folium.Map(tiles=None, location=[53.48, -2.24], zoom_start=11)
folium.GeoJson(features, style={{"color": "#444", "weight": 0.5, "fillColor": "#3b1f6b", "fillOpacity": 0.6}}).add_to(m)
st_folium(m, key="m", height=620, use_container_width=True, returned_objects=[])
"""
FLOOR_CONFIG = '[server]\nenableStaticServing = true\nheadless = true\nfileWatcherType = "none"\n[browser]\ngatherUsageStats = false\n'
# Views timed from navigation to painted map, warm: (label, address, what to wait for).
# The map explorer's indicator picker, and the IMD's rank and decile as it lists them.
PICKER = "Indicator (grouped by theme)"
RANK_OPTION = "Overall deprivation (the indices) · Index of Multiple Deprivation (IMD): rank"
DECILE_OPTION = "Overall deprivation (the indices) · Index of Multiple Deprivation (IMD): decile"
APP_VIEWS = [
    ("Map, one LA (Manchester)", "/?la=E08000003", "map"),
    ("Map, all-England LSOAs", "/?region=england&geo=lsoa", "map"),
    ("Map, all-England LAs", "/?region=england", "map"),
    ("Profile (Manchester)", "/profile?la=E08000003", "map"),
    ("Systems view (Manchester)", "/systems?la=E08000003", "map"),
]


def start_app(script: Path, port: int, log: Path, env: dict | None = None, cwd: Path = ROOT) -> subprocess.Popen:
    """``streamlit run script`` on loopback, its output in ``log`` (a pipe nobody reads would fill and stall it)."""
    import os
    import urllib.request

    handle = log.open("w")
    # The app as scripts/start.sh starts it (its modules imported before anyone is served); any other script bare.
    command = (
        ["-m", "placemap.ui.serve"]
        if Path(script).resolve() == ROOT / "app.py"
        else ["-m", "streamlit", "run", str(script)]
    )
    process = subprocess.Popen(
        [sys.executable, *command, "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=cwd, stdout=handle, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})},
    )  # fmt: skip
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"Streamlit did not start: {log.read_text()[-2000:]}")


APP_PAINTED = """() => [...document.querySelectorAll('iframe[title="streamlit_folium.st_folium"]')].some(
    f => f.contentDocument?.documentElement?.hasAttribute('data-pm-painted'))"""
FLOOR_PAINTED = """n => [...document.querySelectorAll('iframe[title="streamlit_folium.st_folium"]')].some(
    f => (f.contentDocument?.querySelectorAll('.leaflet-overlay-pane path').length || 0) >= n)"""


def navigation_to_paint(browser, url: str, wait: str, min_paths: int = 0, context=None) -> float:
    """Seconds from ``goto`` to the map painted in its iframe (two frames later).

    In a fresh browser context (a first visit: nothing in the browser's cache) unless ``context``
    is given (a returning visitor: Streamlit's JavaScript already in that context's cache).
    ``wait="map"`` waits for Placemap's paint mark on any of the page's maps; ``"paths"`` for
    ``min_paths`` SVG paths (a plain folium map).
    """
    own = context is None
    context = browser.new_context(viewport={"width": 1400, "height": 1000}) if own else context
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url, wait_until="commit")
    if wait == "map":
        page.wait_for_function(APP_PAINTED, timeout=300_000, polling="raf")
    else:
        page.wait_for_function(FLOOR_PAINTED, arg=min_paths, timeout=300_000, polling="raf")
    page.evaluate(AFTER_TWO_FRAMES)
    seconds = time.perf_counter() - started
    page.close()
    if own:
        context.close()
    return seconds


def returning_visits(browser, url: str, wait: str, runs: int, min_paths: int = 0) -> float:
    """Median navigation -> painted of ``runs`` visits in one browser context, after one uncounted visit."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    navigation_to_paint(browser, url, wait, min_paths, context)
    times = [navigation_to_paint(browser, url, wait, min_paths, context) for _ in range(runs)]
    context.close()
    return statistics.median(times)


def server_runs(log: Path) -> list[dict]:
    """The script runs logged by ``PLACEMAP_LOG_RUN_TIMES`` (page, seconds) in a server's log."""
    from placemap.ui.run_log import parse_run_line

    found = (parse_run_line(line.strip()) for line in log.read_text(errors="replace").splitlines())
    return [{**f, "seconds": float(f["seconds"])} for f in found if f]


def measure_app(runs: int) -> dict:
    """The live app in one run: cold start, warm navigation against the floor, indicator switch, memory.

    * cold start: from launching a server (its on-disk cache of derived tables already built, as
      after any restart but the very first) to the first map painted in a browser;
    * the floor: a bare Streamlit page with one folium map of Manchester's 295 LSOAs, from the same
      machine, timed navigation -> painted like the app's views;
    * warm navigation -> map painted for several views (fresh browser context each time);
    * the indicator switch on Manchester, and the server's resident memory idle and with sessions.
    """
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "tests"))
    from e2e.conftest import MAP_FRAME, _free_port

    work = Path(tempfile.mkdtemp(prefix="placemap-appspeed-"))
    geometry = loaders.read_area_boundaries(loaders.data_path(get_vintage(YEAR).boundary_file))
    manchester = prepare.areas_in(geometry, ("E08000003",))
    (work / "features.json").write_text(manchester[["area_code", "geometry"]].to_json())
    (work / "floor.py").write_text(FLOOR_SCRIPT.format(features=str(work / "features.json")))
    (work / ".streamlit").mkdir()
    (work / ".streamlit" / "config.toml").write_text(FLOOR_CONFIG)
    (work / "static").symlink_to(ROOT / "static")
    result: dict = {}
    log = work / "app.log"
    env = {"PLACEMAP_LOG_RUN_TIMES": "1"}
    port, floor_port = _free_port(), _free_port()
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_cache.py")], check=True, capture_output=True)
    result["cache_build_s"] = time.perf_counter() - started
    print(f"Derived tables on disk (scripts/build_cache.py): {result['cache_build_s']:.1f} s", flush=True)
    launched = time.perf_counter()
    server = start_app(ROOT / "app.py", port, log, env)
    ready = time.perf_counter() - launched
    url, floor_url = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{floor_port}"
    floor = None
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
            result["rss_started_mb"] = _rss_mb(server.pid)
            first = navigation_to_paint(browser, f"{url}/", "map")
            result["server_ready_s"], result["cold_first_map_s"] = ready, first
            result["cold_total_s"] = time.perf_counter() - launched
            cold_runs = server_runs(log)
            result["cold_first_run_server_s"] = cold_runs[0]["seconds"] if cold_runs else float("nan")
            print(
                f"Cold start: server healthy {ready:.1f} s after launch; first map painted {first:.1f} s after "
                f"navigation (server script {result['cold_first_run_server_s']:.2f} s); "
                f"{result['cold_total_s']:.1f} s from launch",
                flush=True,
            )
            time.sleep(3)
            result["rss_first_map_mb"] = _rss_mb(server.pid)
            result["rss_first_map_anon_mb"] = _rss_mb(server.pid, "RssAnon")
            print(
                f"Server RSS after the first map: {result['rss_first_map_mb']:.0f} MB "
                f"({result['rss_first_map_anon_mb']:.0f} MB private)",
                flush=True,
            )
            floor = start_app(work / "floor.py", floor_port, work / "floor.log", cwd=work)
            result["floor_cold_s"] = navigation_to_paint(browser, f"{floor_url}/", "paths", len(manchester))
            print(f"Floor, first map of a just-started bare page: {result['floor_cold_s']:.1f} s", flush=True)
            floor_times = [navigation_to_paint(browser, f"{floor_url}/", "paths", len(manchester)) for _ in range(runs)]
            result["floor_paint_s"] = statistics.median(floor_times)
            result["floor_returning_s"] = returning_visits(browser, f"{floor_url}/", "paths", runs, len(manchester))
            print(
                f"Floor, bare Streamlit page with one folium map: {result['floor_paint_s']:.2f} s first visit, "
                f"{result['floor_returning_s']:.2f} s returning (browser cache warm)",
                flush=True,
            )
            for label, path, wait in APP_VIEWS:
                navigation_to_paint(browser, url + path, wait)  # its first visit fills the caches
                before = len(server_runs(log))
                times = [navigation_to_paint(browser, url + path, wait) for _ in range(runs)]
                script = [r["seconds"] for r in server_runs(log)[before:]]
                key = label.split(" (")[0].lower().replace(", ", "_").replace(" ", "_").replace("-", "_")
                result[f"paint_{key}_s"] = statistics.median(times)
                result[f"server_{key}_s"] = statistics.median(script) if script else float("nan")
                result[f"runs_{key}"] = len(script) / runs
                result[f"returning_{key}_s"] = returning_visits(browser, url + path, wait, runs)
                print(
                    f"  {label:32} navigation -> painted {result[f'paint_{key}_s']:.2f} s "
                    f"(floor + {result[f'paint_{key}_s'] - result['floor_paint_s']:.2f} s); returning "
                    f"{result[f'returning_{key}_s']:.2f} s (floor + "
                    f"{result[f'returning_{key}_s'] - result['floor_returning_s']:.2f} s); server script "
                    f"{result[f'server_{key}_s']:.3f} s per run, {result[f'runs_{key}']:.1f} runs per visit",
                    flush=True,
                )
            time.sleep(3)
            result["rss_idle_mb"] = _rss_mb(server.pid)
            result["rss_idle_anon_mb"] = _rss_mb(server.pid, "RssAnon")
            print(
                f"Server RSS: {result['rss_started_mb']:.0f} MB at start, {result['rss_idle_mb']:.0f} MB idle after "
                f"the views above ({result['rss_idle_anon_mb']:.0f} MB of it private, the rest mapped files)"
            )
            page = browser.new_page(viewport={"width": 1600, "height": 1100})
            page.goto(f"{url}/?la=E08000003&ind=imd_decile")
            frame = page.frame_locator(MAP_FRAME)
            frame.locator("html[data-pm-painted]").wait_for(state="attached", timeout=120_000)
            switches = []
            for i in range(runs):
                target = [RANK_OPTION, DECILE_OPTION][i % 2]
                for attempt in range(4):  # a rerun can close the list just opened (see load.py)
                    page.get_by_label(PICKER).scroll_into_view_if_needed()
                    page.wait_for_timeout(300)
                    page.get_by_label(PICKER).click()
                    option = page.get_by_role("option", name=target, exact=True)
                    try:
                        option.wait_for(timeout=5_000)
                        break
                    except Exception:
                        if attempt == 3:
                            raise
                started = time.perf_counter()
                option.click()
                wanted = "imd_rank" if target == RANK_OPTION else "imd_decile"
                frame.locator(f"html[data-pm-painted*='{wanted}']").wait_for(state="attached", timeout=60_000)
                switches.append(time.perf_counter() - started)
            result["switch_s"] = statistics.median(switches)
            print(f"Indicator switch on Manchester (median of {runs}): {result['switch_s']:.2f} s", flush=True)
            page.close()
            pages = []
            for n in (1, 5):
                while len(pages) < n:
                    pg = browser.new_page(viewport={"width": 1600, "height": 1100})
                    pg.goto(f"{url}/?region=england&geo=lsoa")
                    pg.frame_locator(MAP_FRAME).locator("html[data-pm-painted]").wait_for(
                        state="attached", timeout=180_000
                    )
                    pages.append(pg)
                time.sleep(2)
                result[f"rss_{n}_sessions_mb"] = _rss_mb(server.pid)
                print(
                    f"Server RSS with {n} session(s) on all-England LSOAs: {result[f'rss_{n}_sessions_mb']:.0f} MB",
                    flush=True,
                )
            browser.close()
    finally:
        for process in (server, floor):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--app", action="store_true", help="also measure the live app (cold start, floor, memory)")
    parser.add_argument("--app-only", action="store_true", help="only the live app (skip the naive peer)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args()
    if args.app_only:
        _write_app(measure_app(args.runs), args.out)
        return
    rows = measure_maps(args.runs)
    table = ratio_table(rows)
    print("\nPlacemap / naive (GeoDataFrame.explore), medians; a ratio below 1 means Placemap is smaller/faster")
    print(f"{'extent':26} {'LSOAs':>6} {'build':>22} {'payload MB':>22} {'paint':>22}")
    for r in table:
        print(
            f"{r['extent']:26} {r['lsoas']:6} "
            f"{r['build_s_placemap']:6.2f}/{r['build_s_naive']:6.2f}={r['build_s_ratio']:5.2f}  "
            f"{r['payload_bytes_placemap'] / 1e6:6.2f}/{r['payload_bytes_naive'] / 1e6:6.2f}={r['payload_bytes_ratio']:5.2f}  "
            f"{r['paint_s_placemap']:6.2f}/{r['paint_s_naive']:6.2f}={r['paint_s_ratio']:5.2f}"
        )
    args.out.mkdir(parents=True, exist_ok=True)
    with open(args.out / "map_speed.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)
    print(f"\nWritten {args.out / 'map_speed.csv'}")
    if args.app:
        _write_app(measure_app(args.runs), args.out)


def _write_app(app: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "app_speed.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(app))
        writer.writeheader()
        writer.writerow(app)
    print(f"Written {out / 'app_speed.csv'}")


if __name__ == "__main__":
    main()
