"""Start the app's server with its libraries already imported: ``python -m placemap.ui.serve [options]``.

``streamlit run app.py`` imports nothing of the app until the first person opens a page, so that
person waits while numpy, pandas, geopandas, GDAL, folium and Placemap's own modules are imported
(about 1.3 s of the first map's 1.7 s script run on a 2-core machine). This imports them first, as
a web server's preload does, then runs Streamlit's own command line in the same process
(``streamlit run app.py`` with the options given, e.g. ``--server.port 8502``): the server reports
itself healthy once they are in memory, and the first page runs as fast as any later one.
``scripts/start.sh`` starts the app this way.
"""

from __future__ import annotations

import importlib
import logging
import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app.py"
# What the first page (the map explorer) imports, up to the modules that declare a Streamlit
# component (streamlit-folium's map): a component declared before Streamlit's runtime exists is not
# registered with it, and its frame stays empty. GDAL's lock-down comes first, before anything can
# read a file with GDAL, as at the top of app.py.
PRELOAD = (
    "placemap.uploads.gdal_safety",
    "placemap.ui.access",
    "placemap.ui.cache",
    "placemap.ui.page_setup",
    "placemap.ui.place_finder",
    "placemap.ui.state",
    "placemap.render.maps",
    "placemap.render.choropleth",
    "placemap.analysis.summary",
    "placemap.data.indicator_picker",
)
# Streamlit warns at each cached function defined before its runtime exists, and at each widget
# module made outside a script run; the caches are made when first called, inside the runtime.
_QUIET = {
    "streamlit.runtime.caching.cache_data_api": "No runtime found",
    "streamlit.runtime.caching.cache_resource_api": "No runtime found",
    "streamlit.runtime.scriptrunner_utils.script_run_context": "missing ScriptRunContext",
}


def preload() -> list[str]:
    """Import ``PRELOAD`` (without Streamlit's warnings about running outside a script) and return their names."""
    quiet = [(logging.getLogger(name), _Without(text)) for name, text in _QUIET.items()]
    for logger, without in quiet:
        logger.addFilter(without)
    try:
        for name in PRELOAD:
            importlib.import_module(name)
    finally:
        for logger, without in quiet:
            logger.removeFilter(without)
    return list(PRELOAD)


class _Without(logging.Filter):
    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def filter(self, record: logging.LogRecord) -> bool:
        return self.text not in record.getMessage()


def main(argv: list[str] | None = None) -> None:
    """``streamlit run app.py *argv`` in this process, the app's modules imported before it serves anyone.

    The preload runs once Streamlit has read its configuration and the command's options (some
    modules read it when imported, e.g. folium's Streamlit component) and before its server starts.
    """
    from streamlit.web import bootstrap, cli

    start = bootstrap.run

    def run_preloaded(*args, **kwargs):
        preload()
        return start(*args, **kwargs)

    bootstrap.run = run_preloaded
    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    cli.main()


if __name__ == "__main__":
    main()
