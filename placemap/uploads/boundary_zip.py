"""Zipped shapefiles: check a zip before anything is extracted, then copy out only checked parts (pure, no Streamlit).

A zip is refused for entry names with ``..`` or absolute paths, too many entries, a total
stated size over the limit, or files that are not part of a shapefile; extraction copies
the parts under fixed bare names with a byte budget that does not trust the stated sizes,
and checks each part's first bytes (``file_checks.shapefile_part_problem``).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path, PurePosixPath, PureWindowsPath

from placemap.uploads import file_checks
from placemap.uploads.file_checks import SHAPEFILE_PARTS
from placemap.uploads.table import ERROR, INFO, Message, examples_text, size_text

MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_ZIP_ENTRIES = 200


def _unsafe_name(name: str) -> bool:
    posix, windows = PurePosixPath(name), PureWindowsPath(name)
    return (
        name.startswith(("/", "\\"))
        or posix.is_absolute()
        or windows.is_absolute()
        or bool(windows.drive)
        or ".." in posix.parts
        or ".." in windows.parts
    )


def check_zip(data: bytes) -> tuple[list[zipfile.ZipInfo] | None, list[Message]]:
    """The entries of a zip if it is safe to extract, else ``None`` and why (nothing is extracted)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return None, [
            Message(
                ERROR,
                "This .zip file is damaged or not a zip. Zip the shapefile's files again and upload the new .zip.",
            )
        ]
    if len(infos) > MAX_ZIP_ENTRIES:
        return None, [
            Message(
                ERROR,
                f"The zip holds {len(infos):,} files; Placemap accepts up to {MAX_ZIP_ENTRIES}. Zip only the shapefile's parts (.shp, .shx, .dbf, .prj).",
            )
        ]
    unsafe = [i.filename for i in infos if _unsafe_name(i.filename)]
    if unsafe:
        return None, [
            Message(
                ERROR,
                f"The zip contains paths that point outside its own folder ({examples_text(unsafe, 3)}), which Placemap refuses for safety. Zip the shapefile's files directly, without folders like '..' or paths starting with '/'.",
            )
        ]
    problem = file_checks.zip_member_problem([i.filename for i in infos])
    if problem:
        return None, [Message(ERROR, problem)]
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED_BYTES:
        return None, [
            Message(
                ERROR,
                f"The zip would unpack to {size_text(total)}, more than the {size_text(MAX_UNZIPPED_BYTES)} Placemap accepts, so it was not opened. Upload a smaller file (simplify the boundaries or keep only the areas you need).",
            )
        ]
    return infos, []


def extract_shapefile(data: bytes, infos: list[zipfile.ZipInfo], folder: Path) -> tuple[Path | None, list[Message]]:
    """Copy the first shapefile's checked parts into ``folder`` as ``layer.*``.

    Returns the ``.shp`` path (``None`` when refused) and messages.
    """
    messages: list[Message] = []
    infos = [i for i in infos if not file_checks.ignored_member(i.filename)]
    shp = [i for i in infos if not i.is_dir() and i.filename.lower().endswith(".shp")]
    if not shp:
        others = sorted({PurePosixPath(i.filename).suffix.lower() for i in infos if not i.is_dir()} - {""})
        hint = f" It holds {', '.join(others)} files." if others else " It is empty."
        messages.append(
            Message(
                ERROR,
                f"The zip has no .shp file, so it is not a zipped shapefile.{hint} A shapefile is several files with the same name (.shp, .shx, .dbf and .prj): zip them together, or upload GeoJSON or GeoPackage instead.",
            )
        )
        return None, messages
    if len(shp) > 1:
        messages.append(
            Message(
                INFO,
                f"The zip holds {len(shp)} shapefiles; the first, {PurePosixPath(shp[0].filename).name}, was read.",
            )
        )
    stem = PurePosixPath(shp[0].filename).with_suffix("").as_posix()
    wanted = [
        i
        for i in infos
        if PurePosixPath(i.filename).with_suffix("").as_posix() == stem
        and PurePosixPath(i.filename).suffix.lower() in SHAPEFILE_PARTS
    ]
    try:
        problem = _copy_parts(data, wanted, folder)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError):
        # The sizes or checksums in the zip do not match what it holds (or it uses a method zip cannot read).
        problem = "The zip is damaged: what it holds does not match what it says it holds, so it was not opened. Zip the shapefile's files again and upload the new .zip."
    except RuntimeError:  # zipfile's word for a password-protected entry
        problem = "The zip is password-protected, so Placemap cannot open it. Zip the shapefile's files again without a password."
    if problem:
        return None, [*messages, Message(ERROR, problem)]
    return folder / "layer.shp", messages


def _copy_parts(data: bytes, wanted: list[zipfile.ZipInfo], folder: Path) -> str | None:
    """Copy the shapefile's parts out with a byte budget that does not trust the zip's stated sizes."""
    budget = MAX_UNZIPPED_BYTES
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in wanted:
            suffix = PurePosixPath(info.filename).suffix.lower()
            # Bare name, fixed stem: nothing from the zip decides where a file is written.
            target = folder / ("layer" + suffix)
            head, size = b"", 0
            with archive.open(info) as source, open(target, "wb") as sink:
                while chunk := source.read(1 << 20):
                    budget -= len(chunk)
                    if budget < 0:  # the sizes in the zip's directory were false
                        return f"The zip unpacks to more than {size_text(MAX_UNZIPPED_BYTES)}; it was refused."
                    if len(head) < file_checks.MAX_PRJ_BYTES + 1:
                        head += chunk[: file_checks.MAX_PRJ_BYTES + 1 - len(head)]
                    size += len(chunk)
                    sink.write(chunk)
            problem = file_checks.shapefile_part_problem(suffix, head, size)
            if problem:
                return problem
    return None
