"""The store of server-drawn map images: saved once under their hash in the folder the app serves.

Pure file I/O (no Streamlit): the newest ``GENERATED_KEEP`` images are kept, older ones pruned."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

from placemap.render import raster
from placemap.render.assets import STATIC_DIR

GENERATED_DIR = STATIC_DIR / "generated"


GENERATED_KEEP = 200  # newest images kept on disk (a few hundred KB each)


def _prune(folder: Path, keep: int = GENERATED_KEEP) -> None:
    files = sorted(folder.glob("choropleth-*.png"), key=lambda f: f.stat().st_mtime, reverse=True)
    for old in files[keep:]:
        old.unlink(missing_ok=True)


GENERATED_URL = "/app/static/generated"


def write_generated(image: raster.RasterChoropleth, out_dir: str | None) -> str:
    """Save a rendered image under its hash (once) in the served folder; its URL."""
    target = Path(out_dir) if out_dir else GENERATED_DIR
    target.mkdir(parents=True, exist_ok=True)
    name = f"choropleth-{image.digest}.png"
    if not (target / name).exists():
        (target / name).write_bytes(image.png)
        _prune(target)
    return f"{GENERATED_URL}/{name}"


TILES_DIR, TILES_URL = "tiles", f"{GENERATED_URL}/tiles"
TILE_SETS_KEEP = 40  # newest views' tile folders kept (a view's tiles are a few hundred KB to a few MB)


def tile_folder(key: str, out_dir: str | None = None) -> Path:
    """The folder of one view's tiles (``key``: the hash of the view's image, so one per classification)."""
    if not key.isalnum():
        raise ValueError("A tile key is letters and digits only")
    return (Path(out_dir) if out_dir else GENERATED_DIR) / TILES_DIR / key


def tile_url_template(key: str) -> str:
    """Leaflet's URL template for a view's tiles, served by the app."""
    tile_folder(key)  # checks the key
    return f"{TILES_URL}/{key}/{{z}}/{{x}}/{{y}}.png"


def missing_tiles(
    key: str, zoom: int, tiles: list[tuple[int, int]], out_dir: str | None = None
) -> list[tuple[int, int]]:
    """Those of ``tiles`` (column, row) at ``zoom`` that are not on disk yet."""
    folder = tile_folder(key, out_dir) / str(zoom)
    return [(c, r) for c, r in tiles if not (folder / str(c) / f"{r}.png").exists()]


def write_tiles(key: str, zoom: int, tiles: dict[tuple[int, int], bytes], out_dir: str | None = None) -> None:
    """Save rendered tiles as ``key/z/x/y.png``; prune the oldest views' tile folders."""
    folder = tile_folder(key, out_dir)
    new = not folder.exists()
    for (column, row), png in tiles.items():
        path = folder / str(zoom) / str(column) / f"{row}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{row}.{os.getpid()}.{threading.get_ident()}.part")  # never half a tile served
        partial.write_bytes(png)
        os.replace(partial, path)
    if new:
        sets = sorted((folder.parent).iterdir(), key=lambda f: f.stat().st_mtime, reverse=True)
        for old in sets[TILE_SETS_KEEP:]:
            shutil.rmtree(old, ignore_errors=True)
