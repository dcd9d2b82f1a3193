"""One place search: match a typed name against places of every type, and the providers of places
that are not in the bundled lookups (uploaded areas, drawn areas). Pure: no Streamlit, no files.

Search records are ``place_types.place_records`` rows (``name``, ``type``, ``code``, ``n_lsoas``,
``label``). A place type that is not in the lookups (``upload``, ``drawn``) plugs in through
``register_provider(kind, provider)``: the provider lists its places for the search and resolves
a code to an ``ExtraPlace`` (its LSOAs and their weights), so every page that takes ``place=`` can
show it without a change. The drawn-area store registers ``drawn``; the session's uploads
register ``upload``.

Example
-------
>>> records = pd.DataFrame({"name": ["Bloomfield", "Blackpool", "Bloomsbury"], "type": ["ward", "la", "ward"],
...     "code": ["E05015188", "E06000009", "E05000129"], "n_lsoas": [7, 94, 8],
...     "label": ["Bloomfield, a ward in Blackpool", "Blackpool, a local authority in North West",
...               "Bloomsbury, a ward in Camden"]})
>>> search_places(records, "bloom")["label"].tolist()
['Bloomfield, a ward in Blackpool', 'Bloomsbury, a ward in Camden']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

import pandas as pd

from placemap.data.place_types import PLACE_TYPES, Place

SEARCH_COLUMNS = ["name", "type", "code", "n_lsoas", "label"]
# Bigger places first when names match equally well: a search for "Blackpool" wants the LA first.
TYPE_ORDER = ["la", "utla", "cauth", "icb", "region", "sicb", "ward", "msoa", "upload", "drawn"]
MIN_QUERY = 2
MAX_QUERY = 80
DEFAULT_LIMIT = 8


def normalise(text: object) -> str:
    """A name as search compares it: case-blind, "&" as "and", punctuation as spaces.

    >>> normalise("King's Lynn & West  Norfolk")
    'kings lynn and west norfolk'
    """
    value = re.sub(r"['\u2019]", "", str(text or "").casefold()).replace("&", " and ")
    return " ".join(re.sub(r"[^\w]+", " ", value).split())


def with_search_keys(records: pd.DataFrame) -> pd.DataFrame:
    """``records`` with the ``key`` column search matches on (build once, then search many times)."""
    keys = records["name"].map(normalise) if len(records) else pd.Series([], dtype=object)
    return records.assign(key=keys.to_numpy(), order=records["type"].map(_type_order).to_numpy())


def _type_order(kind: str) -> int:
    return TYPE_ORDER.index(kind) if kind in TYPE_ORDER else len(TYPE_ORDER)


def search_places(records: pd.DataFrame, query: str, limit: int = DEFAULT_LIMIT) -> pd.DataFrame:
    """The places whose name best matches ``query``: best first, at most ``limit``.

    A whole name beats a name that starts with the query, which beats a word that starts with
    it, which beats the query anywhere in the name; a code typed in full matches its place. Ties
    go to the bigger type of place, then the shorter name. A query shorter than two characters
    finds nothing.

    >>> records = pd.DataFrame({"name": ["Manchester", "Greater Manchester", "Manchester 001"],
    ...     "type": ["la", "cauth", "msoa"], "code": ["E08000003", "E47000001", "Manchester 001"],
    ...     "n_lsoas": [295, 1700, 5], "label": ["M", "GM", "M1"]})
    >>> search_places(records, "manchester")["code"].tolist()
    ['E08000003', 'Manchester 001', 'E47000001']
    >>> search_places(records, "e47000001")["code"].tolist()
    ['E47000001']
    >>> len(search_places(records, "m"))
    0
    """
    q = normalise(str(query or "")[:MAX_QUERY])
    if len(q) < MIN_QUERY or not len(records):
        return pd.DataFrame(columns=SEARCH_COLUMNS)
    keyed = records if "key" in records else with_search_keys(records)
    keys = keyed["key"]
    padded = " " + keys
    score = pd.Series(9, index=keyed.index)
    score = score.mask(keys.str.contains(q, regex=False), 3)
    score = score.mask(padded.str.contains(" " + q, regex=False), 2)
    score = score.mask(keys.str.startswith(q), 1)
    score = score.mask(keys == q, 0)
    score = score.mask(keyed["code"].str.casefold() == str(query).strip().casefold(), 0)
    found = keyed.assign(_score=score, _length=keys.str.len())[score < 9]
    found = found.sort_values(["_score", "order", "_length", "name"], kind="stable")
    return found.head(limit)[SEARCH_COLUMNS].reset_index(drop=True)


@dataclass(frozen=True)
class ExtraPlace:
    """A place that is not in the bundled lookups, resolved by its provider.

    ``weights`` maps each LSOA it covers to the share of the LSOA's people counted in it
    (1 for an LSOA wholly inside; less for one a drawn or uploaded boundary cuts).
    """

    place: Place
    name: str
    label: str
    weights: pd.Series = field(compare=False)
    note: str = ""

    @property
    def lsoas(self) -> list[str]:
        """The LSOAs it covers, sorted."""
        return sorted(self.weights.index[self.weights > 0])


class PlaceProvider(Protocol):
    """What a provider of one place type answers: its places for the search, one place by code, and
    the places to show beside it (the other areas of an uploaded dataset; none for a drawn area)."""

    def records(self, year: int) -> pd.DataFrame:  # columns SEARCH_COLUMNS
        ...

    def resolve(self, year: int, code: str) -> ExtraPlace | None: ...

    def siblings(self, year: int, code: str, limit: int) -> list[ExtraPlace]: ...


_PROVIDERS: dict[str, PlaceProvider] = {}


def register_provider(kind: str, provider: PlaceProvider) -> None:
    """Make ``provider`` answer for places of type ``kind`` (``upload`` or ``drawn``); a later call replaces it.

    Raises
    ------
    ValueError
        If ``kind`` is not a place type, or is one the bundled lookups already hold.
    """
    place_type = PLACE_TYPES.get(kind)
    if place_type is None or place_type.from_lookup:
        raise ValueError(f"Only uploaded or drawn place types take a provider, not {kind!r}")
    _PROVIDERS[kind] = provider


def provider_for(kind: str) -> PlaceProvider | None:
    """The registered provider of a place type, or ``None``."""
    return _PROVIDERS.get(kind)


def extra_records(year: int) -> pd.DataFrame:
    """Search records of every registered provider's places for an edition."""
    frames = [p.records(year) for p in _PROVIDERS.values()]
    frames = [f[SEARCH_COLUMNS] for f in frames if f is not None and len(f)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=SEARCH_COLUMNS)


def sibling_places(year: int, place: Place, limit: int = 12) -> list[ExtraPlace]:
    """The places its provider shows beside an uploaded or drawn place (at most ``limit``, not itself)."""
    provider = provider_for(place.type)
    return [] if provider is None else provider.siblings(year, place.code, limit)[:limit]


def resolve_extra(year: int, place: Place) -> ExtraPlace | None:
    """An uploaded or drawn place from its provider; ``None`` when no provider knows it."""
    provider = provider_for(place.type)
    return None if provider is None else provider.resolve(year, place.code)
