"""Time the PDF profile reports and measure the size of every export.

Run from the repository folder: ``python benchmarks/report_figures.py [out_dir]``.
Prints one line per figure; writes the files to ``out_dir`` (default: a temporary folder)
so they can be opened and looked at. Uses the cached loaders outside Streamlit.
"""

from __future__ import annotations

import logging
import sys
import tempfile
import time
from pathlib import Path

logging.getLogger("streamlit").setLevel(logging.ERROR)
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from placemap.analysis import profile  # noqa: E402
from placemap.data.catalogue import BOUNDARY_ATTRIBUTION, get_vintage  # noqa: E402
from placemap.render import charts, export, maps, staticmap  # noqa: E402
from placemap.ui import cache, profile_cache  # noqa: E402

LA, LSOA, YEAR = "E08000003", "E01033658", 2025  # Manchester; Manchester 054C


def _timed(label: str, make):
    start = time.perf_counter()
    value = make()
    print(f"{label}: {time.perf_counter() - start:.2f} s")
    return value


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    vintage = get_vintage(YEAR)
    _timed(
        "load IoD2025, boundaries, lookup, other editions (once per server)",
        lambda: (
            cache.load_areas(YEAR),
            cache.load_geometry(YEAR),
            profile_cache.load_lsoa_lookup_raw(),
            [cache.load_areas(y) for y in (2019, 2015)],
            profile_cache.load_domain_profiles(YEAR, "lsoa"),
            profile_cache.load_domain_profiles(YEAR, "la"),
        ),
    )
    files: dict[str, bytes] = {}
    files["report_manchester_la.pdf"] = _timed(
        "PDF report, Manchester (LA)", lambda: profile_cache.load_report_pdf.__wrapped__(YEAR, LA)
    )
    files["report_manchester_054C_lsoa.pdf"] = _timed(
        "PDF report, Manchester 054C (LSOA)", lambda: profile_cache.load_report_pdf.__wrapped__(YEAR, LSOA)
    )
    areas = cache.load_areas(YEAR)
    table = profile.lsoa_profile_table(areas, LSOA, vintage)
    spine = charts.lsoa_spine_chart(table, name="Manchester 054C", code=LSOA, la_name="Manchester", vintage=vintage)
    files["spine.png"] = _timed("spine chart PNG (300 ppi)", lambda: export.chart_png(spine))
    files["spine.svg"] = _timed("spine chart SVG", lambda: export.chart_svg(spine))
    counts = profile.la_decile_counts(areas, LA, vintage)
    deciles = charts.la_decile_chart(counts, la_name="Manchester", vintage=vintage)
    files["deciles.png"] = _timed("decile distribution PNG (300 ppi)", lambda: export.chart_png(deciles))
    files["deciles.svg"] = export.chart_svg(deciles)
    files["profile_table.csv"] = export.to_safe_csv(table, export.csv_header("Manchester 054C", vintage))
    geometry, classification = profile_cache.map_geometry_and_classes(YEAR, LA)

    def static(fmt: str) -> bytes:
        fig = staticmap.map_figure(
            geometry,
            classification,
            title="Manchester: IMD decile",
            subtitle=f"{vintage.label} · 295 LSOAs",
            legend_title="IMD decile",
            source_lines=[vintage.citation, BOUNDARY_ATTRIBUTION],
        )
        return export.figure_bytes(fig, fmt)

    files["map.png"] = _timed("static map PNG (200 dpi)", lambda: static("png"))
    files["map.svg"] = _timed("static map SVG", lambda: static("svg"))
    layers = cache.load_place_layers(YEAR, (LA,))
    _, payload = cache.load_classification(YEAR, (LA,), "imd_decile", "national_deciles", 10, "viridis")

    def html() -> bytes:
        base = maps.build_base_map(layers["areas"], layers["bounds"], la_features=layers["la"])
        page = maps.render_map_html(base, [maps.build_style_layer(payload), maps.build_highlight_layer(None)])
        return export.standalone_map_html(page, title="Manchester: IMD decile")

    files["map.html"] = _timed("interactive map HTML (Leaflet inlined)", html)
    for name, data in files.items():
        (out / name).write_bytes(data)
        print(f"size {name}: {len(data) / 1024:,.0f} KB")
    print(f"files in {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="placemap-exports-")))
