"""Similar areas: the LSOAs (or LAs) whose domain profile is nearest to an area's.

The measure, stated on the page by :func:`similarity_note`:

* each LSOA is described by its national position on each domain of the edition
  (``(rank - 0.5) / n``: 0 = most deprived in England, 1 = least deprived);
  the IMD itself is left out, since it is a weighted sum of the domains;
  IoD2015's bundled data has no domain ranks, so its six sub-domains are used;
* an LA is described by the average of its LSOAs' positions on the same domains;
* similarity is the Euclidean distance between two such profiles (0 = identical);
  ties are broken by area code, so results never depend on row order;
* an area is never its own neighbour.

Example
-------
>>> import pandas as pd
>>> p = pd.DataFrame({"a": [0.1, 0.2, 0.9, 0.2]}, index=["E4", "E1", "E2", "E3"])
>>> nearest(p, "E1", 2)["code"].tolist()
['E3', 'E4']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from placemap.analysis.profile import indicator_name
from placemap.data.catalogue import Indicator, indicators_for
from placemap.data.loaders import AREA_NAME, LA_CODE, LA_NAME

DEFAULT_N = 10


def similarity_indicators(year: int) -> list[Indicator]:
    """The rank indicators that describe an area's profile in an edition."""
    ranks = [i for i in indicators_for(year) if i.measure == "rank"]
    domains = [i for i in ranks if i.subdomain is None and i.domain not in ("imd", "idaci", "idaopi")]
    return domains or [i for i in ranks if i.subdomain is not None]


def lsoa_positions(areas: pd.DataFrame, year: int, n_lsoas: int) -> pd.DataFrame:
    """Each LSOA's national position (0..1) on every similarity indicator, indexed by code.

    LSOAs with a missing rank are left out (they cannot be compared).
    """
    columns = {indicator_name(i): i.rank_column(year) for i in similarity_indicators(year)}
    frame = pd.DataFrame({name: (areas[col].astype(float) - 0.5) / n_lsoas for name, col in columns.items()})
    return frame.dropna()


def la_positions(areas: pd.DataFrame, year: int, n_lsoas: int) -> pd.DataFrame:
    """Each LA's average LSOA position (0..1) on every similarity indicator, indexed by LA code."""
    positions = lsoa_positions(areas, year, n_lsoas)
    return positions.groupby(areas.loc[positions.index, LA_CODE]).mean().rename_axis(None)


def nearest(positions: pd.DataFrame, code: str, n: int = DEFAULT_N) -> pd.DataFrame:
    """The ``n`` areas nearest to ``code`` by Euclidean distance, never ``code`` itself.

    Parameters
    ----------
    positions : one row per area (index = code), one column per indicator
    code : the area to match
    n : how many neighbours

    Returns
    -------
    Columns ``code``, ``distance`` and ``similarity rank`` (1 = most similar),
    sorted by distance then code.

    Raises
    ------
    KeyError
        If ``code`` has no profile in ``positions``.
    """
    if code not in positions.index:
        raise KeyError(f"{code} has no complete domain profile to compare")
    values = positions.to_numpy(dtype=float)
    target = positions.loc[code].to_numpy(dtype=float)
    distance = np.sqrt(((values - target) ** 2).sum(axis=1))
    codes = positions.index.to_numpy(dtype=str)
    others = codes != code
    codes, distance = codes[others], distance[others]
    # Round away floating-point noise so equal profiles tie exactly, then break ties by code.
    order = np.lexsort((codes, np.round(distance, 12)))[:n]
    return pd.DataFrame(
        {"code": codes[order], "distance": distance[order], "similarity rank": np.arange(1, len(order) + 1)}
    )


def similarity_note(year: int, kind: str = "lsoa") -> str:
    """One paragraph for the page: how similarity is measured for this edition and kind of area."""
    names = ", ".join(indicator_name(i) for i in similarity_indicators(year))
    what = "each LSOA's national position on" if kind == "lsoa" else "each local authority's average LSOA position on"
    return (
        f"Similarity compares {what} {names} (0 = most deprived in England, 1 = least deprived). "
        "The distance is the straight-line (Euclidean) distance between two such profiles: 0 means "
        "identical positions on every domain. The overall IMD is left out because it is a weighted sum of "
        "the domains. Ties are broken by area code, and an area is never listed as similar to itself."
    )


def describe_lsoas(neighbours: pd.DataFrame, areas: pd.DataFrame, imd_decile_column: str) -> pd.DataFrame:
    """The similar LSOAs as a table for people: rank, code, name, LA, distance, IMD decile."""
    rows = areas.loc[neighbours["code"]]
    return pd.DataFrame(
        {
            "#": neighbours["similarity rank"].to_numpy(),
            "LSOA code": neighbours["code"].to_numpy(),
            "LSOA name": rows[AREA_NAME].to_numpy(),
            "Local authority": rows[LA_NAME].to_numpy(),
            "Distance": neighbours["distance"].round(4).to_numpy(),
            "IMD decile": rows[imd_decile_column].to_numpy(),
        }
    )


def describe_las(neighbours: pd.DataFrame, la_names: dict[str, str]) -> pd.DataFrame:
    """The similar LAs as a table for people: rank, code, name, distance."""
    return pd.DataFrame(
        {
            "#": neighbours["similarity rank"].to_numpy(),
            "LA code": neighbours["code"].to_numpy(),
            "Local authority": [la_names.get(c, c) for c in neighbours["code"]],
            "Distance": neighbours["distance"].round(4).to_numpy(),
        }
    )
