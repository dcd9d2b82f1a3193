"""The store of server-drawn map images: saved once under their hash in the folder the app serves.

Pure file I/O (no Streamlit): the newest ``GENERATED_KEEP`` images are kept, older ones pruned."""

from __future__ import annotations

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
