"""Build the on-disk cache of derived tables before the server starts (what its first start would do).

Every edition's LSOA table joined to its names and the bundled measures, the LA lists, and the
default view's map layers and classification are written to the cache folder
(``PLACEMAP_CACHE_DIR``, by default ``.cache/``); a later server start reads them instead of
recomputing them. Files whose inputs have not changed are kept, so running it again is quick.

Usage: .venv/bin/python scripts/build_cache.py
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    logging.getLogger("streamlit").setLevel(logging.ERROR)  # "no runtime" warnings of a bare script
    from placemap.data import disk_cache
    from placemap.data.catalogue import DEFAULT_INDICATOR, DEFAULT_LA, VINTAGES
    from placemap.links.explorer_links import View
    from placemap.ui import cache

    started = time.perf_counter()
    for vintage in VINTAGES:
        cache.load_areas(vintage.year)
        cache.load_la_options(vintage.year)
    view = View()
    cache.load_place_layers(view.year, (DEFAULT_LA,))
    cache.load_classification(view.year, (DEFAULT_LA,), DEFAULT_INDICATOR, view.scheme, view.k, view.palette)
    print(f"Derived tables ready in {disk_cache.CACHE_DIR} ({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
