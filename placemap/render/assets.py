"""Copy Leaflet from the ``xstatic-leaflet`` package into the app's ``static/`` folder.

Streamlit serves ``static/`` beside ``app.py`` at ``/app/static/`` when
``server.enableStaticServing`` is on, so the map loads Leaflet from the app
itself and paints with no internet. The copy is generated, not committed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from xstatic.pkg import leaflet as xstatic_leaflet

STATIC_DIR = Path(__file__).resolve().parents[2] / "static"


def leaflet_source_dir() -> Path:
    """Folder of the installed Leaflet distribution (``leaflet.js``, ``leaflet.css``, ``images/``)."""
    return Path(xstatic_leaflet.BASE_DIR)


def ensure_leaflet(static_dir: Path = STATIC_DIR) -> Path:
    """Copy Leaflet into ``static_dir/leaflet`` if it is not there yet; return that folder."""
    target = static_dir / "leaflet"
    if not (target / "leaflet.js").exists() or not (target / "leaflet.css").exists():
        target.mkdir(parents=True, exist_ok=True)
        source = leaflet_source_dir()
        for name in ("leaflet.js", "leaflet.css"):
            shutil.copyfile(source / name, target / name)
        if (source / "images").is_dir():
            shutil.copytree(source / "images", target / "images", dirs_exist_ok=True)
    return target


if __name__ == "__main__":
    print(ensure_leaflet())
