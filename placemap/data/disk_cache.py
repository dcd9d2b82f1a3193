"""Derived tables kept on disk between server starts, keyed by digests of the files and code they come from.

Pure: no Streamlit. What every server start would otherwise recompute (an edition's LSOA table
joined to its names and the registered measures, classifications of national tables) is written
once to a cache folder (``PLACEMAP_CACHE_DIR``, by default ``.cache/`` beside ``data/``) and read
back on later starts. Each file's name carries a digest of its inputs (the data files' contents
and Placemap's own source code), so changing a data file or the code that derives from it makes
a new file and the stale one is removed: a cache can be deleted at any time and is never wrong,
only slower to rebuild. Frames are Arrow IPC files read memory-mapped, their columns views of the
file (read-only: a frame read from here is shared and must be copied before it is changed); other
results are pickled (the folder is the app's own, never a user's upload).

Example
-------
>>> import tempfile, pandas as pd
>>> folder = tempfile.mkdtemp()
>>> build = lambda: pd.DataFrame({"x": [1.5, 2.5]}, index=pd.Index(["a", "b"], name="code"))
>>> cached_frame("demo", [], build, cache_dir=folder).loc["b", "x"]
np.float64(2.5)
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pandas as pd

log = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parents[1]
CACHE_DIR = Path(os.environ.get("PLACEMAP_CACHE_DIR", PACKAGE_DIR.parent / ".cache"))
FORMAT = 1  # bump when the layout of the cached files changes
MAX_FILES = 2000  # per kind: past this, the least recently written files are removed

_DIGESTS: dict[tuple[str, int, int], str] = {}


def file_digest(path: Path | str) -> str:
    """BLAKE2b digest of a file's content (memoised per size and modification time in this process).

    Raises ``FileNotFoundError`` if the file is missing.
    """
    path = Path(path)
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    digest = _DIGESTS.get(key)
    if digest is None:
        h = hashlib.blake2b(digest_size=16)
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                h.update(block)
        digest = _DIGESTS[key] = h.hexdigest()
    return digest


def folder_files(folder: Path | str, pattern: str = "*") -> list[Path]:
    """Every file under ``folder`` matching ``pattern`` (recursively), sorted; ``[]`` if it is missing."""
    folder = Path(folder)
    return sorted(p for p in folder.rglob(pattern) if p.is_file()) if folder.exists() else []


def code_files() -> list[Path]:
    """Placemap's own source files: a cached result is rebuilt whenever the code that derives it changes."""
    return folder_files(PACKAGE_DIR, "*.py")


def inputs_key(inputs: Iterable[Path | str], *parts: Any) -> str:
    """One short digest of the input files' contents (missing files count as missing) and ``parts``."""
    h = hashlib.blake2b(digest_size=10)
    h.update(repr((FORMAT, parts)).encode())
    for path in inputs:
        path = Path(path)
        h.update(path.name.encode())
        h.update(file_digest(path).encode() if path.exists() else b"missing")
    return h.hexdigest()


def args_name(prefix: str, *args: Any) -> str:
    """A cache name for one call of a builder: ``prefix`` and a digest of its arguments (no ``-``)."""
    return f"{prefix}_{hashlib.blake2b(repr(args).encode(), digest_size=8).hexdigest()}"


def _cache_path(name: str, inputs: list[Path], parts: tuple, suffix: str, cache_dir: Path | str | None) -> Path:
    # The stem names the inputs by path, the key by content: a file with the same stem and another key
    # is a stale version of this one (its data changed) and is removed when this one is written.
    where = hashlib.blake2b(repr([str(Path(p).resolve()) for p in inputs]).encode(), digest_size=6).hexdigest()
    folder = Path(cache_dir or CACHE_DIR)
    return folder / f"{name}_{where}-{inputs_key(inputs, *parts)}{suffix}"


def _write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Write through a temporary file and rename, so a reader never sees half a file; drop stale versions."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        os.close(fd)
        write(Path(tmp))
        os.replace(tmp, path)
    except OSError as problem:  # a read-only or full disk: the app still works, only slower to start
        log.warning("Could not write the cache file %s: %s", path, problem)
        return
    stem = path.name.rsplit("-", 1)[0]
    for old in path.parent.glob(f"{stem}-*{path.suffix}"):
        if old != path and old.name.rsplit("-", 1)[0] == stem:
            old.unlink(missing_ok=True)
    kept = list(path.parent.glob(f"*{path.suffix}"))
    if len(kept) > MAX_FILES:
        try:
            kept.sort(key=lambda p: p.stat().st_mtime_ns)
            for old in kept[: len(kept) - MAX_FILES]:
                old.unlink(missing_ok=True)
        except OSError:  # another server is pruning the same folder
            pass


def cached_frame(
    name: str,
    inputs: Iterable[Path | str],
    build: Callable[[], pd.DataFrame],
    *parts: Any,
    cache_dir: Path | str | None = None,
) -> pd.DataFrame:
    """``build()``'s frame, read from the cache when its inputs and ``parts`` are unchanged.

    Parameters
    ----------
    name : the cached table's name (a file-name stem without ``-``)
    inputs : the files the frame is derived from
    build : makes the frame (index and column names are kept; columns must be Arrow-friendly)
    parts : anything else the frame depends on (its ``repr`` goes into the key)
    cache_dir : the cache folder (``CACHE_DIR`` when not given)

    Returns
    -------
    pandas.DataFrame
        Equal to ``build()``'s, index, columns and dtypes included.
    """
    import pyarrow as pa
    import pyarrow.feather as feather

    path = _cache_path(name, list(inputs), parts, ".arrow", cache_dir)
    if path.exists():
        try:
            # split_blocks: each column stays a view of the mapped file where Arrow allows it (numbers
            # without gaps), so a table costs only the pages of the columns a page reads, shared with
            # the page cache, instead of a private copy of every column (~40 MB per edition).
            return feather.read_table(path, memory_map=True).to_pandas(split_blocks=True)
        except (OSError, pa.ArrowInvalid) as problem:
            log.warning("Rebuilding the unreadable cache file %s: %s", path, problem)
    frame = build()
    table = pa.Table.from_pandas(frame, preserve_index=True)
    _write_atomically(path, lambda tmp: feather.write_feather(table, tmp, compression="uncompressed"))
    return frame


def cached_object(
    name: str,
    inputs: Iterable[Path | str],
    build: Callable[[], Any],
    *parts: Any,
    cache_dir: Path | str | None = None,
) -> Any:
    """``build()``'s result (any picklable value), read from the cache when inputs and ``parts`` are unchanged."""
    path = _cache_path(name, list(inputs), parts, ".pickle", cache_dir)
    if path.exists():
        try:
            with path.open("rb") as handle:
                return pickle.load(handle)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError) as problem:
            log.warning("Rebuilding the unreadable cache file %s: %s", path, problem)
    value = build()

    def write(tmp: Path) -> None:
        with tmp.open("wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)

    _write_atomically(path, write)
    return value
