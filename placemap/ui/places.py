"""Resolve a view's place (one LA, several, a region, England) to LA codes and a label."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from placemap.links import explorer_links


def place_la_codes(view: explorer_links.View, la_options: Mapping[str, str], regions: pd.DataFrame) -> tuple[str, ...]:
    """The LA codes a view covers, sorted, all present in ``la_options``.

    Example
    -------
    >>> regions = pd.DataFrame({"region_code": ["E12000002", "E12000002", "E12000007"]},
    ...                        index=["E06000009", "E08000003", "E09000001"])
    >>> place_la_codes(explorer_links.View(place="region", region="E12000002"), dict.fromkeys(regions.index, ""), regions)
    ('E06000009', 'E08000003')
    """
    if view.place == explorer_links.PLACE_ENGLAND:
        codes = list(la_options)
    elif view.place == explorer_links.PLACE_REGION:
        codes = list(regions.index[regions["region_code"] == view.region])
    elif view.place == explorer_links.PLACE_LAS:
        codes = list(view.las)
    else:
        codes = [view.la]
    return tuple(sorted(c for c in codes if c in la_options))


def place_label(view: explorer_links.View, la_options: Mapping[str, str], region_options: Mapping[str, str]) -> str:
    """A short name for the place: "Blackpool", "Manchester and Salford", "North West", "England"."""
    if view.place == explorer_links.PLACE_ENGLAND:
        return "England"
    if view.place == explorer_links.PLACE_REGION:
        return region_options.get(view.region or "", "Region")
    if view.place == explorer_links.PLACE_LAS:
        names = [la_options[c] for c in view.las if c in la_options]
        if len(names) <= 3:
            return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
        return f"{names[0]}, {names[1]} and {len(names) - 2} more local authorities"
    return la_options.get(view.la, view.la)
