"""File exports: formula-safe CSV, charts (PNG/SVG/PDF), static maps, standalone HTML maps.

Charts are rendered on the server by vl-convert through Altair (``chart.save``);
static maps are matplotlib figures (``placemap.render.staticmap``); the interactive map
is saved as one HTML file with Leaflet inlined, so it opens with no internet.
"""

from __future__ import annotations

import base64
import io
import mimetypes
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from placemap.data.catalogue import OGL, OGL_URL, Vintage
from placemap.data.prepare import escape_text
from placemap.render.assets import leaflet_source_dir
from placemap.render.maps import LEAFLET_CSS_URL, LEAFLET_JS_URL, LEGEND_CSS

if TYPE_CHECKING:  # Altair and matplotlib are imported when a chart or figure is saved, not when a page starts
    import altair as alt
    from matplotlib.figure import Figure

# A cell starting with one of these can run as a formula in Excel, LibreOffice or
# Google Sheets (OWASP "CSV injection"); tab and carriage return start one too.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> object:
    """Prefix a text cell that a spreadsheet would run as a formula with ``'``.

    Numbers are left alone (a negative number is data, not a formula).

    Example
    -------
    >>> neutralise_cell('=HYPERLINK("http://x")')
    '\\'=HYPERLINK("http://x")'
    >>> neutralise_cell(-1.5)
    -1.5
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def to_safe_csv(frame: pd.DataFrame, header_lines: list[str] | None = None) -> bytes:
    """CSV bytes (UTF-8 with BOM, for Excel) with formula-like text cells neutralised.

    ``header_lines`` (e.g. title, source, licence) are written first as ``# `` comment lines.
    """
    safe = frame.copy()
    safe.columns = [neutralise_cell(str(c)) for c in safe.columns]
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise_cell)
    prefix = "".join(f"# {neutralise_cell(line)}\n" for line in header_lines or [])
    return ("\ufeff" + prefix + safe.to_csv(index=False)).encode("utf-8")


# --- Charts, static maps and the standalone interactive map -----------------------------------

PRINT_PPI = 300  # chart PNGs are drawn at print resolution: 300 pixels per inch
FIGURE_DPI = 200  # static map PNGs: A4 width at 200 dpi is about 1,650 pixels


def csv_header(title: str, vintage: Vintage, *extra: str) -> list[str]:
    """The comment lines that open every table export: what, source, licence."""
    return [title, vintage.citation, *extra, f"Licence: {OGL} ({OGL_URL})"]


def chart_png(chart: alt.TopLevelMixin, ppi: int = PRINT_PPI) -> bytes:
    """Render an Altair chart to PNG at print resolution with vl-convert (Altair's own route)."""
    buffer = io.BytesIO()
    chart.save(buffer, format="png", ppi=ppi)
    return buffer.getvalue()


def chart_svg(chart: alt.TopLevelMixin) -> bytes:
    """Render an Altair chart to SVG (text kept as text) with vl-convert."""
    buffer = io.StringIO()
    chart.save(buffer, format="svg")
    return buffer.getvalue().encode("utf-8")


def chart_pdf(chart: alt.TopLevelMixin) -> bytes:
    """Render an Altair chart to a one-page PDF with vl-convert."""
    buffer = io.BytesIO()
    chart.save(buffer, format="pdf")
    return buffer.getvalue()


def figure_bytes(fig: Figure, fmt: str, dpi: int = FIGURE_DPI, title: str | None = None) -> bytes:
    """Save a matplotlib figure as PNG, SVG or PDF bytes; text stays text in SVG and PDF.

    Raises
    ------
    ValueError
        For a format other than png, svg or pdf.
    """
    if fmt not in ("png", "svg", "pdf"):
        raise ValueError(f"Unknown figure format {fmt!r}")
    metadata = {"Title": title} if title and fmt in ("svg", "pdf") else None
    buffer = io.BytesIO()
    import matplotlib

    with matplotlib.rc_context({"svg.fonttype": "none", "pdf.fonttype": 42}):
        fig.savefig(buffer, format=fmt, dpi=dpi, facecolor="white", metadata=metadata)
    return buffer.getvalue()


def _data_uri(path: Path) -> str:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def inline_leaflet_css(css: str, image_dir: Path) -> str:
    """Leaflet's CSS with its ``url(images/...)`` references replaced by data URIs."""

    def replace(match: re.Match) -> str:
        image = image_dir / match.group(1)
        return f"url({_data_uri(image)})" if image.is_file() else match.group(0)

    return re.sub(r"url\(images/([^)]+)\)", replace, css)


def standalone_map_html(
    html: str,
    *,
    title: str,
    panel_html: str = "",
    leaflet_dir: Path | None = None,
    js_url: str = LEAFLET_JS_URL,
    css_url: str = LEAFLET_CSS_URL,
) -> bytes:
    """Make a rendered map page work offline: Leaflet's JS and CSS (and its images) inlined.

    Parameters
    ----------
    html : from ``maps.render_map_html`` (Leaflet referenced at ``js_url``/``css_url``)
    title : the page title (escaped here)
    panel_html : an already-escaped block (title, legend, source) shown over the map's corner
    leaflet_dir : Leaflet's folder; by default the installed ``xstatic-leaflet``

    Raises
    ------
    ValueError
        If the page does not reference Leaflet where expected.
    """
    folder = leaflet_dir or leaflet_source_dir()
    js = (folder / "leaflet.js").read_text(encoding="utf-8").replace("</script", "<\\/script")
    css = inline_leaflet_css((folder / "leaflet.css").read_text(encoding="utf-8"), folder / "images")
    script_tag = f'<script src="{js_url}"></script>'
    link_tag = f'<link rel="stylesheet" href="{css_url}"/>'
    if script_tag not in html or link_tag not in html:
        raise ValueError("The map page does not load Leaflet from the app; cannot inline it")
    page = html.replace(script_tag, f"<script>{js}</script>", 1).replace(link_tag, f"<style>{css}</style>", 1)
    head = f"<title>{escape_text(title)}</title>{_PANEL_CSS}{LEGEND_CSS}"  # the panel holds the legend
    page = page.replace("<head>", f"<head>\n{head}", 1)
    if panel_html:
        page = page.replace("<body>", f'<body>\n<div class="pm-export-panel">{panel_html}</div>', 1)
    return page.encode("utf-8")


_PANEL_CSS = """<style>
.pm-export-panel {position: absolute; left: 10px; bottom: 24px; z-index: 1000; max-width: 330px;
  max-height: 70vh; overflow: auto; background: rgba(255,255,255,0.95); padding: 8px 10px; border: 1px solid #999;
  font: 12px/1.35 "DejaVu Sans", Verdana, Arial, sans-serif; color: #1f1f1f;}
.pm-export-panel h1 {font-size: 14px; margin: 0 0 2px;}
.pm-export-panel .pm-source {color: #4a4a4a; font-size: 10px; margin-top: 4px;}
</style>
"""


def safe_filename(*parts: object) -> str:
    """A file name stem from parts: lower case letters, digits, ``_`` and ``-`` only.

    Example
    -------
    >>> safe_filename("placemap", "Manchester 054C", 2025, "<spine>")
    'placemap_manchester-054c_2025_spine'
    """
    words = [re.sub(r"[^a-z0-9]+", "-", str(p).lower()).strip("-") for p in parts]
    return "_".join(w for w in words if w)
