"""Process-wide GDAL lock-down for reading uploaded files; import it before anything reads a file with GDAL.

GDAL chooses a driver from a file's content, not its name, and several drivers (the OGR VRT, WFS,
OGC API, GDAL algorithm pipelines, …) read other files on the server or fetch URLs. An uploaded
file must only ever be read as a GeoPackage or a shapefile, so every other vector driver is
switched off for the whole process, network file systems are made unusable, and SQLite (under
GeoPackage) is told not to trust functions named in a file's schema.

Importing the module applies the settings once; ``LOCKED_DOWN`` says whether they took effect
(uploads of boundaries are refused when they did not).
"""

from __future__ import annotations

import os
import warnings

# The only drivers an upload is read with; GeoJSON is parsed by Placemap itself, but the GeoJSON
# driver is kept so code elsewhere in the process can still write it. MEM holds in-memory results.
ALLOWED_DRIVERS = ("GPKG", "ESRI Shapefile", "GeoJSON", "MEM")
# Raster and network drivers are named too: a vector open does not use them, but nothing should.
ALWAYS_SKIPPED = (
    "VRT",
    "OGR_VRT",
    "WFS",
    "OAPIF",
    "OGCAPI",
    "CSW",
    "WMS",
    "WMTS",
    "GDALG",
    "HTTP",
    "GTI",
    "STACIT",
    "STACTA",
    "DAAS",
    "EEDA",
    "EEDAI",
    "NGW",
    "PLMOSAIC",
    "PLSCENES",
    "GPSBabel",
    "SQLite",
    "ADBC",
    "AIVector",
    "Elasticsearch",
    "Carto",
    "AmigoCloud",
    "MBTiles",
    "PMTiles",
    "PDF",
)
NETWORK_OPTIONS = {
    # /vsicurl/ and its friends only open names with these extensions: none exists.
    "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".placemap-no-network",
    "CPL_VSIL_CURL_NON_CACHED": "/vsicurl/",
    "GDAL_HTTP_MAX_RETRY": "0",
    "GDAL_HTTP_TIMEOUT": "1",
    "GDAL_HTTP_CONNECTTIMEOUT": "1",
    # Every HTTP request GDAL makes goes to a closed local port, so it fails at once.
    "GDAL_HTTP_PROXY": "127.0.0.1:9",
    "OGR_SQLITE_PRAGMA": "trusted_schema=0",
    "GDAL_VRT_ENABLE_PYTHON": "NO",
}


def _skip_list(registered: list[str]) -> str:
    names = [d for d in registered if d not in ALLOWED_DRIVERS]
    return ",".join(sorted(set(names) | set(ALWAYS_SKIPPED)))


def _lock_down() -> bool:
    # Environment first, so a GDAL registration that has not happened yet already skips them.
    os.environ.update(NETWORK_OPTIONS)
    os.environ["GDAL_SKIP"] = ",".join(ALWAYS_SKIPPED)
    import pyogrio
    from pyogrio import _ogr

    skip = _skip_list(list(pyogrio.list_drivers()))
    os.environ["GDAL_SKIP"] = skip
    pyogrio.set_gdal_config_options({**NETWORK_OPTIONS, "GDAL_SKIP": skip})
    register = getattr(_ogr, "_register_drivers", None)
    if register is not None:
        # Registering again deregisters every driver named in GDAL_SKIP, even if pyogrio was
        # imported (and registered them all) before this module.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "unable to find driver X to unload": X is not built in
            register()
    return set(pyogrio.list_drivers()) <= set(ALLOWED_DRIVERS)


LOCKED_DOWN = _lock_down()
