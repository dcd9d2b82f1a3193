"""Copy Leaflet (``xstatic-leaflet``) and Leaflet.draw (npm ``leaflet-draw``) into the app's ``static/`` folder.

Streamlit serves ``static/`` beside ``app.py`` at ``/app/static/`` when
``server.enableStaticServing`` is on, so the map loads Leaflet and its drawing tools from the
app itself and paints with no internet. The copies are generated, not committed: Leaflet comes
with the Python packages (``requirements.txt``), Leaflet.draw with ``npm install`` (its version
pinned in ``package.json`` and ``package-lock.json``), which ``scripts/start.sh`` runs.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from xstatic.pkg import leaflet as xstatic_leaflet

ROOT = Path(__file__).resolve().parents[2]
STATIC_DIR = ROOT / "static"
LEAFLET_DRAW_SOURCE = ROOT / "node_modules" / "leaflet-draw" / "dist"
LEAFLET_DRAW_FILES = ("leaflet.draw.js", "leaflet.draw.css")


def leaflet_source_dir() -> Path:
    """Folder of the installed Leaflet distribution (``leaflet.js``, ``leaflet.css``, ``images/``)."""
    return Path(xstatic_leaflet.BASE_DIR)


def _copy(source: Path, target: Path, names: tuple[str, ...]) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copyfile(source / name, target / name)
    if (source / "images").is_dir():
        shutil.copytree(source / "images", target / "images", dirs_exist_ok=True)


def ensure_leaflet(static_dir: Path = STATIC_DIR) -> Path:
    """Copy Leaflet into ``static_dir/leaflet`` if it is not there yet; return that folder."""
    target = static_dir / "leaflet"
    if not (target / "leaflet.js").exists() or not (target / "leaflet.css").exists():
        _copy(leaflet_source_dir(), target, ("leaflet.js", "leaflet.css"))
    return target


def ensure_leaflet_draw(static_dir: Path = STATIC_DIR, source: Path = LEAFLET_DRAW_SOURCE) -> Path | None:
    """Copy Leaflet.draw into ``static_dir/leaflet-draw`` if it is not there yet; return that folder.

    ``None`` when it is neither there nor installed (``npm install`` not run): the drawing page
    then says so instead of loading the tools from anywhere else.
    """
    target = static_dir / "leaflet-draw"
    if all((target / name).exists() for name in LEAFLET_DRAW_FILES):
        return target
    if not all((source / name).exists() for name in LEAFLET_DRAW_FILES):
        return None
    _copy(source, target, LEAFLET_DRAW_FILES)
    return target


if __name__ == "__main__":
    print(ensure_leaflet())
    print(ensure_leaflet_draw() or "Leaflet.draw is not installed: run npm install (the Draw an area page needs it)")
