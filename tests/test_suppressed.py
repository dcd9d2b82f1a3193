"""Suppressed is not missing: small numbers withheld by the publisher show apart from "no data"
on the map, its legend, the table, the CSV and the PDF map."""

import io
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest
from PIL import Image, ImageColor

from placemap.analysis.classify import SUPPRESSED_CLASS, SUPPRESSED_COLOUR, classify_values
from placemap.data import prepare
from placemap.data.catalogue import Catalogue, get_vintage
from placemap.data.indicators import Geography, Indicator, Polarity, Ranking, Theme
from placemap.data.values import with_registered
from placemap.render import choropleth, export, maps, raster, staticmap

from .conftest import make_boundaries, make_iod_table

VINTAGE = get_vintage(2025)
KIDS = Indicator(
    "kids_test",
    "Children in income-deprived families (test)",
    "income",
    None,
    "value",
    "number of children",
    Polarity.HIGH_IS_WORSE,
    {},
    {},
    {},
    value_format="{:,.0f}",
    geography=Geography.LSOA21,
    ranking=Ranking.AMONG_PRESENT,
    theme=Theme.INCOME,
    direction="more children in income-deprived families",
)


@pytest.fixture
def national():
    areas = make_boundaries(6)
    codes = list(areas["area_code"])
    iod = make_iod_table(codes).set_index("area_code")
    frame = areas.set_index("area_code", drop=False).join(iod)
    cat = Catalogue()
    # Area 5's count was suppressed (small numbers); area 6 simply has no value.
    cat.register(
        KIDS,
        pd.Series([40.0, 30.0, 20.0, 15.0, None, None], index=codes),
        suppressed=pd.Series([False, False, False, False, True, False], index=codes),
    )
    return with_registered(frame, 2025, cat), cat


def test_classification_counts_suppressed_apart_from_no_data():
    c = classify_values(
        np.array([1.0, 2.0, np.nan, np.nan]),
        "quantiles",
        2,
        polarity="high_is_deprived",
        suppressed=np.array([False, True, True, False]),
    )
    assert c.classes.tolist()[2:] == [SUPPRESSED_CLASS, -1] and c.colours[2] == SUPPRESSED_COLOUR
    assert (c.n_suppressed, c.n_missing) == (1, 1)  # a suppressed flag on a real value is ignored


def test_map_and_legend_show_suppressed_distinctly(national):
    frame, _ = national
    classification, payload = choropleth.codes_classification(
        frame, list(prepare.areas_in(frame, ("E06000001",)).index), KIDS, VINTAGE, "quantiles", 3, "viridis"
    )
    assert payload["cls"][4] == SUPPRESSED_CLASS and payload["cls"][5] == -1
    assert payload["value"][4] == "Suppressed (small numbers)" and payload["value"][5] == "No data"
    legend = maps.legend_html(
        "Children", "IoD2025", classification, direction="Higher = more children. Darker = worse."
    )
    assert 'Suppressed (small numbers)</span> <span class="pm-count">(1)' in legend
    assert 'No data</span> <span class="pm-count">(1)' in legend
    assert "Higher = more children. Darker = worse." in legend
    image = Image.open(io.BytesIO(raster.render_choropleth(frame.geometry.to_crs(3857), classification, 300).png))
    colours = {rgb for _, rgb in image.convert("RGB").getcolors(10_000)}
    assert ImageColor.getrgb(SUPPRESSED_COLOUR) in colours  # the image map draws it too


def test_table_and_csv_say_suppressed_not_no_data(national):
    frame, _ = national
    table = prepare.indicator_table(prepare.areas_in(frame, ["E06000001"]), KIDS, 2025)
    status = table.set_index("LSOA code")["Value status"]
    assert status["E01000005"] == "Suppressed (small numbers)" and status["E01000006"] == "No data"
    assert status["E01000001"] == ""
    csv = export.to_safe_csv(table, ["Children"]).decode("utf-8-sig")
    assert "Suppressed (small numbers)" in csv and "No data" in csv


def test_pdf_map_legend_has_a_suppressed_entry(national, tmp_path):
    frame, _ = national
    classification, _ = choropleth.codes_classification(
        frame, list(prepare.areas_in(frame, ("E06000001",)).index), KIDS, VINTAGE, "quantiles", 3, "viridis"
    )
    titles = choropleth.map_titles(VINTAGE, KIDS, "Testtown", 6, "Quantiles")
    figure = staticmap.map_figure(frame, classification, **titles)
    pdf = export.figure_bytes(figure, "pdf", title=titles["title"])
    path = tmp_path / "map.pdf"
    path.write_bytes(pdf)
    text = subprocess.run([shutil.which("pdftotext"), str(path), "-"], capture_output=True, text=True, check=True)
    assert "Suppressed (small numbers) (1)" in text.stdout and "No data (1)" in text.stdout
    assert "Higher = more children in income-deprived families" in text.stdout
