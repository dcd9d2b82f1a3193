"""Cached places of every type: the lookups, search records, File 10 summaries and dissolved shapes,
once per server process. Imports streamlit."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import streamlit as st

from placemap.analysis import place_profile, place_summaries
from placemap.data import loaders, place_search, place_types
from placemap.data.catalogue import get_vintage
from placemap.data.place_types import Place
from placemap.render import place_maps
from placemap.ui.cache import default_data_dir, load_geometry


@st.cache_resource(show_spinner="Loading places…")
def load_place_lookup(year: int, data_dir: str | None = None) -> pd.DataFrame:
    """Each LSOA of an edition with its place of every type (read-only, shared)."""
    return place_types.read_place_lookup(year, data_dir or default_data_dir())


@st.cache_resource(show_spinner="Loading places…")
def load_place_records(year: int, data_dir: str | None = None) -> pd.DataFrame:
    """Search records (with their search keys) of every lookup place of an edition, indexed by ``TYPE:CODE``."""
    records = place_search.with_search_keys(place_types.place_records(load_place_lookup(year, data_dir), year))
    return records.set_index(records["type"] + ":" + records["code"], drop=False)


def search(year: int, query: str, limit: int = place_search.DEFAULT_LIMIT) -> pd.DataFrame:
    """The places of an edition (and the registered providers' places) best matching ``query``."""
    found = place_search.search_places(load_place_records(year), query, limit)
    extra = place_search.search_places(place_search.extra_records(year), query, limit)
    if not len(extra):
        return found
    return pd.concat([found, extra], ignore_index=True).head(limit)


@st.cache_resource(show_spinner="Loading populations and ranks…")
def load_summary_inputs(year: int, data_dir: str | None = None) -> pd.DataFrame:
    """Every LSOA with its places, ranks, scores and weighting populations (read-only, shared)."""
    return place_types.read_summary_inputs(year, data_dir or default_data_dir())


@st.cache_resource(show_spinner="Summarising places (File 10 method)…", max_entries=24)
def load_place_summaries(year: int, kind: str, data_dir: str | None = None) -> pd.DataFrame:
    """File 10 measures and ranks of every place of a type (read-only, shared)."""
    return place_summaries.summarise_edition(load_summary_inputs(year, data_dir), year, kind)


@st.cache_resource(show_spinner="Drawing places…", max_entries=24)
def load_place_shapes(year: int, kind: str, data_dir: str | None = None) -> gpd.GeoDataFrame:
    """One polygon per place of a type, dissolved from the LSOAs once per process (read-only, shared)."""
    return place_maps.dissolve_places(load_geometry(year, data_dir), load_place_lookup(year, data_dir), kind)


def place_exists(year: int, place: Place) -> bool:
    """Whether a lookup place is in an edition's geography."""
    records = load_place_records(year)
    return place.to_param() in records.index


def carry(place: Place, from_year: int, to_year: int, kind: str) -> Place | None:
    """The place of ``kind`` in ``to_year``'s geography covering most of ``place`` (from ``from_year``'s)."""
    same = get_vintage(from_year).boundary_file == get_vintage(to_year).boundary_file
    pairs = None if same else _lsoa_pairs()
    return place_profile.carry_place(place, load_place_lookup(from_year), load_place_lookup(to_year), pairs, kind)


@st.cache_resource
def _lsoa_pairs(data_dir: str | None = None) -> pd.DataFrame:
    return loaders.read_lsoa_lookup(data_dir or default_data_dir())[["lsoa11_code", "lsoa21_code"]]


def place_name(year: int, place: Place) -> tuple[str, str]:
    """A lookup place's name and its search label ("Bloomfield, a ward in Blackpool")."""
    records = load_place_records(year)
    key = place.to_param()
    if key not in records.index:
        return place.code, place.code
    return str(records.at[key, "name"]), str(records.at[key, "label"])
