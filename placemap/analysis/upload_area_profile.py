"""Uploaded areas (e.g. neighbourhood plan areas) by name: the key a link names one by, and the session's choices.

Pure: no Streamlit. An uploaded area is a place (``upload:<dataset id>:<area id>``) whose
LSOAs come from ``uploaded_boundaries``' population-weighted overlay, profiled like every
other place; older links name it as ``?upload_area=<dataset id>:<area id>``.

Example
-------
>>> parse_area_key("b1a2b3c4:A3")
('b1a2b3c4', 'A3')
>>> parse_area_key("../x") is None
True
"""

from __future__ import annotations

import re

from placemap.uploads import uploaded_boundaries as ub

_KEY = re.compile(r"^([A-Za-z0-9_-]{1,64}):(A[0-9]{1,5})$")


def parse_area_key(raw: str | None) -> tuple[str, str] | None:
    """``(dataset id, area id)`` from a link value, or ``None`` when it is not one."""
    match = _KEY.match((raw or "").strip())
    return (match.group(1), match.group(2)) if match else None


def find_area(datasets: list[ub.UploadedAreas], key: str | None) -> tuple[ub.UploadedAreas, str] | None:
    """The session's uploaded areas dataset and area id a link value names, if the session has them."""
    parsed = parse_area_key(key)
    if parsed is None:
        return None
    dataset_id, area_id = parsed
    for dataset in datasets:
        if dataset.id == dataset_id and area_id in dataset.areas.index:
            return dataset, area_id
    return None


def area_options(datasets: list[ub.UploadedAreas]) -> dict[str, str]:
    """Link value -> "area name (dataset name)" for every uploaded area of the session."""
    return {
        f"{d.id}:{a}": f"{n} ({d.name})"
        for d in datasets
        for a, n in zip(d.areas[ub.AREA_ID], d.areas[ub.AREA_LABEL], strict=True)
    }
