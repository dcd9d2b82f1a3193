"""Export files are valid and say what they are: magic bytes, sizes, pages, title and source text."""

import dataclasses
import re
import shutil
import struct
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from placemap.analysis.classify import classify_values
from placemap.data import prepare
from placemap.data.catalogue import BOUNDARY_ATTRIBUTION, IOD_ATTRIBUTION, get_vintage
from placemap.data.loaders import read_areas
from placemap.render import assets, charts, export, maps, report, staticmap

from .conftest import HOSTILE_NAME, make_boundaries

VINTAGE = get_vintage(2025)


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "poppler-utils is needed for PDF checks: apt-get install poppler-utils"
    path = tmp_path / "file.pdf"
    path.write_bytes(pdf)
    return subprocess.run([pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _pdf_pages(pdf: bytes, tmp_path: Path) -> int:
    path = tmp_path / "pages.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def _png_size(png: bytes) -> tuple[int, int]:
    return struct.unpack(">II", png[16:24])


def _chart():
    rows = pd.DataFrame(
        {
            "row": ["Income", "Crime"],
            "position": [4.0, 80.0],
            "rank": [1300, 27000],
            "decile": [1, 9],
            "reference": [30.0, 35.0],
        }
    )
    return charts.spine_chart(
        rows,
        title="Testtown 001A: every domain",
        subtitle="LSOA E01000001 · IoD2025",
        footer=charts.source_footer(VINTAGE),
        total=VINTAGE.n_lsoas,
    )


@pytest.fixture(scope="module")
def chart():
    return _chart()


def test_chart_png_is_a_print_resolution_png(chart):
    png = export.chart_png(chart)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert 20_000 < len(png) < 3_000_000
    width, _ = _png_size(png)
    assert width > 4 * 500  # 300 ppi is ~4.2 times the 72-ppi screen size (chart about 700 px wide)
    phys = png.index(b"pHYs")
    assert struct.unpack(">II", png[phys + 4 : phys + 12]) == (11811, 11811)  # 300 pixels per inch, per metre


def test_chart_svg_holds_title_subtitle_source_and_licence_as_text(chart):
    svg = export.chart_svg(chart).decode("utf-8")
    assert svg.lstrip().startswith("<svg")
    assert 5_000 < len(svg) < 1_000_000
    for text in ("Testtown 001A: every domain", "LSOA E01000001 · IoD2025", "English Indices of Deprivation 2025"):
        assert text in svg
    assert "Open Government Licence v3.0" in svg


def test_chart_pdf_is_one_page_with_its_title(chart, tmp_path):
    pdf = export.chart_pdf(chart)
    assert pdf[:5] == b"%PDF-" and _pdf_pages(pdf, tmp_path) == 1
    assert "Testtown 001A: every domain" in _pdf_text(pdf, tmp_path)


@pytest.fixture(scope="module")
def classified():
    areas = make_boundaries(6)
    classification = classify_values(
        np.array([1.0, 2.0, 3.0, 4.0, 5.0, np.nan]), "quantiles", 3, polarity="high_is_deprived", palette="magma"
    )
    return areas.set_index("area_code", drop=False), classification


def _figure(classified, **kwargs):
    areas, classification = classified
    return staticmap.map_figure(
        areas,
        classification,
        title="Testtown: IMD score",
        subtitle="IoD2025 · 6 LSOAs · Quantiles",
        legend_title="IMD score",
        source_lines=[VINTAGE.citation, BOUNDARY_ATTRIBUTION],
        **kwargs,
    )


def test_static_map_uses_the_interactive_maps_own_colours(classified):
    _, classification = classified
    fig = _figure(classified)
    faces = [to_hex(c) for c in fig.axes[0].collections[0].get_facecolor()]
    expected = [c for c, k in zip(classification.colours, classification.classes, strict=True) if k >= 0]
    assert faces == expected
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend[0] == f"{classification.labels[-1]} ({classification.counts[-1]})"  # most deprived first
    assert legend[-1] == "No data (1)"


def test_static_map_exports_are_valid_and_carry_title_legend_and_source(classified, tmp_path):
    fig = _figure(classified, highlight=classified[0].iloc[[0]], highlight_label="Testtown 001A $5 & <b>")
    png = export.figure_bytes(fig, "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and 10_000 < len(png) < 3_000_000
    svg = export.figure_bytes(fig, "svg", title="Testtown: IMD score").decode("utf-8")
    assert "<svg" in svg[:500]
    for text in ("Testtown: IMD score", "No data (1)", "Testtown 001A $5 &amp; &lt;b&gt;", "Open Government Licence"):
        assert text in svg
    assert all(colour in svg for colour in classified[1].palette)
    pdf = export.figure_bytes(fig, "pdf")
    assert pdf[:5] == b"%PDF-" and _pdf_pages(pdf, tmp_path) == 1
    text = _pdf_text(pdf, tmp_path)
    assert "Testtown: IMD score" in text and "Crown copyright" in text


def test_static_map_refuses_mismatched_areas_and_classes(classified):
    areas, classification = classified
    with pytest.raises(ValueError, match="5 areas but 6 classified values"):
        staticmap.map_figure(areas.iloc[:5], classification, title="t", subtitle="s", legend_title="l", source_lines=[])


def test_standalone_map_html_inlines_leaflet_and_escapes_names(tmp_path):
    areas = make_boundaries(hostile=True)
    classification = classify_values(np.array([1.0, 2.0, 3.0, 4.0]), "quantiles", 2, polarity="high_is_deprived")
    payload = maps.style_payload(classification, ["1"] * 4, ["1"] * 4, ["1"] * 4, "IMD", 33_755)
    base = maps.build_base_map(prepare.area_features(areas), prepare.bounds_of(areas))
    page = maps.render_map_html(base, [maps.build_style_layer(payload), maps.build_highlight_layer(None)])
    html = export.standalone_map_html(page, title=HOSTILE_NAME, panel_html="<h1>Testtown</h1>").decode("utf-8")
    assert maps.LEAFLET_JS_URL not in html and maps.LEAFLET_CSS_URL not in html
    assert re.findall(r"<script[^>]*\bsrc=|<link[^>]*\bhref=", html) == []  # nothing loaded from anywhere
    leaflet = (assets.leaflet_source_dir() / "leaflet.js").read_text(encoding="utf-8")
    assert leaflet[:300] in html and leaflet[-300:] in html  # Leaflet itself is in the file
    assert "url(data:image/png;base64," in html  # its control images too
    assert "<title>&lt;script&gt;" in html and "<title><script>" not in html
    assert '<div class="pm-export-panel"><h1>Testtown</h1></div>' in html
    assert 150_000 < len(html) < 2_000_000


def test_table_csv_opens_with_source_and_neutralises_formulas():
    frame = pd.DataFrame(
        {"LSOA name": ['=HYPERLINK("x")', "+1", "-1+2", "@SUM(A1)", "Testtown"], "Rank": [1, 2, 3, 4, -5]}
    )
    text = export.to_safe_csv(frame, export.csv_header("Ranks of Testtown", VINTAGE)).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "# Ranks of Testtown"
    assert lines[1] == f"# {VINTAGE.citation}"
    assert lines[2].startswith("# Licence: Open Government Licence v3.0")
    assert lines[3:] == [
        "LSOA name,Rank",
        '"\'=HYPERLINK(""x"")",1',
        "'+1,2",
        "'-1+2,3",
        "'@SUM(A1),4",
        "Testtown,-5",  # a negative number is data, not a formula
    ]


def test_file_names_are_safe():
    assert export.safe_filename("placemap", "../../etc/passwd", "<b>") == "placemap_etc-passwd_b"


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory):
    folder = tmp_path_factory.mktemp("data")
    from .conftest import make_iod_table

    areas_geo = make_boundaries(hostile=True)
    (folder / "boundaries").mkdir()
    (folder / "iod").mkdir()
    areas_geo.to_parquet(folder / VINTAGE.boundary_file)
    make_iod_table(list(areas_geo["area_code"])).to_parquet(folder / VINTAGE.iod_file)
    areas = read_areas(VINTAGE, folder)
    classification = classify_values(
        areas["IMD_decile"].to_numpy(float), "quantiles", 3, polarity="low_is_deprived", palette="viridis"
    )
    geometry = areas_geo.set_index("area_code", drop=False)
    content = report.lsoa_report(report.ReportBasis(areas, VINTAGE, geometry, classification), "E01000002")
    return report.build_report_pdf(content)


def test_the_report_lists_similar_areas_only_when_it_is_given_some(tmp_path):
    from .conftest import make_iod_table

    areas_geo = make_boundaries()
    (tmp_path / "boundaries").mkdir()
    (tmp_path / "iod").mkdir()
    areas_geo.to_parquet(tmp_path / VINTAGE.boundary_file)
    make_iod_table(list(areas_geo["area_code"])).to_parquet(tmp_path / VINTAGE.iod_file)
    areas = read_areas(VINTAGE, tmp_path)
    classification = classify_values(
        areas["IMD_decile"].to_numpy(float), "quantiles", 3, polarity="low_is_deprived", palette="viridis"
    )
    basis = report.ReportBasis(areas, VINTAGE, areas_geo.set_index("area_code", drop=False), classification)
    similar = pd.DataFrame({"#": [1], "LSOA code": ["E01000003"], "Name": ["Testtown 003A"]})
    titles = [t.heading for t in report.lsoa_report(basis, "E01000002").tables]
    with_similar = report.lsoa_report(
        dataclasses.replace(basis, similar_areas=similar, similarity_note="Nearest on the domains."), "E01000002"
    ).tables
    assert "The 10 most similar LSOAs in England" not in titles
    assert with_similar[-1].heading == "The 10 most similar LSOAs in England"
    assert with_similar[-1].note == "Nearest on the domains." and with_similar[-1].frame.equals(similar)


def test_report_pdf_is_valid_with_title_source_and_licence(report_pdf, tmp_path):
    assert report_pdf[:5] == b"%PDF-"
    assert 20_000 < len(report_pdf) < 3_000_000
    assert 2 <= _pdf_pages(report_pdf, tmp_path) <= 5
    text = _pdf_text(report_pdf, tmp_path)
    assert "Testtown 002A: area profile" in text
    assert "Key points" in text and "Ranks and deciles" in text
    assert "English Indices of Deprivation 2025, MHCLG" in text and IOD_ATTRIBUTION.split(" licensed")[0] in text
    assert "Page 1 of" in text


def test_report_pages_render_to_png_with_ink_on_them(report_pdf, tmp_path):
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "poppler-utils is needed to render PDF pages: apt-get install poppler-utils"
    (tmp_path / "report.pdf").write_bytes(report_pdf)
    subprocess.run([pdftoppm, "-r", "40", "-png", str(tmp_path / "report.pdf"), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == _pdf_pages(report_pdf, tmp_path)
    from matplotlib.image import imread

    first = imread(pages[0])
    assert first.shape[0] > first.shape[1]  # A4 portrait
    assert (first[..., :3] < 0.5).mean() > 0.01  # text, map and chart: not a blank page
