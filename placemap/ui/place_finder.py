"""The place search in every page's sidebar: type a name, get wards, MSOAs, LAs, counties, combined
authorities, ICBs, sub-ICB locations, regions, this session's uploaded areas and saved drawn areas, each a link
to its profile. Registers the ``upload`` and ``drawn`` place providers. Imports streamlit."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from placemap.data.catalogue import VINTAGES
from placemap.data.place_search import SEARCH_COLUMNS, ExtraPlace, register_provider
from placemap.data.place_types import PLACE_TYPES, Place
from placemap.data.prepare import escape_markdown
from placemap.links import place_links
from placemap.ui import place_cache

W_QUERY = "places.query"
MAP_NOTES = "map.place_notes"


class SessionUploads:
    """This browser session's uploaded areas as places (``upload:<dataset id>:<area id>``)."""

    def records(self, year: int) -> pd.DataFrame:
        from placemap.ui.upload_controls import session_areas
        from placemap.uploads import uploaded_boundaries as ub

        rows = [
            {
                "name": str(name),
                "type": "upload",
                "code": f"{d.id}:{area_id}",
                "n_lsoas": 0,
                "label": f"{name}, an uploaded area in {d.name}",
            }
            for d in session_areas()
            for area_id, name in zip(d.areas[ub.AREA_ID], d.areas[ub.AREA_LABEL], strict=True)
        ]
        return pd.DataFrame(rows, columns=SEARCH_COLUMNS)

    def resolve(self, year: int, code: str) -> ExtraPlace | None:
        from placemap.analysis import upload_area_profile as uap
        from placemap.ui.upload_controls import session_areas

        found = uap.find_area(session_areas(), code)
        return None if found is None else self._places(year, found[0], [found[1]])[0]

    def siblings(self, year: int, code: str, limit: int) -> list[ExtraPlace]:
        """The other areas of the uploaded dataset the area belongs to, in the dataset's order."""
        from placemap.analysis import upload_area_profile as uap
        from placemap.ui.upload_controls import session_areas

        found = uap.find_area(session_areas(), code)
        if found is None:
            return []
        dataset, area_id = found
        return self._places(year, dataset, [a for a in dataset.areas.index if a != area_id][:limit])

    @staticmethod
    def _places(year: int, dataset, area_ids: list[str]) -> list[ExtraPlace]:
        from placemap.ui import upload_cache
        from placemap.uploads import uploaded_boundaries as ub

        geojson = dataset.areas[[ub.AREA_ID, ub.AREA_LABEL, "geometry"]].to_json()
        weights = upload_cache.load_upload_overlay(year, dataset.id, geojson)
        places = []
        for area_id in area_ids:
            mine = weights[weights[ub.AREA_ID] == area_id].groupby("area_code")["share"].sum().clip(upper=1.0)
            name = str(dataset.areas.at[area_id, ub.AREA_LABEL])
            label = f"{name}, an uploaded area in {dataset.name}"
            places.append(ExtraPlace(Place("upload", f"{dataset.id}:{area_id}"), name, label, mine))
        return places


class DrawnAreas:
    """Areas people drew and saved on the Draw an area page (``drawn:<share id>``), from the database."""

    @staticmethod
    def _db():
        from placemap.ui import page_setup

        return page_setup.open_store()[0]

    def records(self, year: int) -> pd.DataFrame:
        from placemap.storage import drawn_areas
        from placemap.storage.store import StoreError

        db = self._db()
        try:
            areas = [] if db is None else drawn_areas.list_drawn_areas(db)
        except StoreError:
            areas = []  # the search still finds every other place while the database is unavailable
        rows = [
            {"name": a.name, "type": "drawn", "code": a.share_id, "n_lsoas": 0, "label": f"{a.name}, a drawn area"}
            for a in areas
        ]
        return pd.DataFrame(rows, columns=SEARCH_COLUMNS)

    def resolve(self, year: int, code: str) -> ExtraPlace | None:
        from placemap.analysis.lsoa_change import geography
        from placemap.storage import drawn_areas
        from placemap.storage.store import StoreError

        db = self._db()
        try:
            area = None if db is None else drawn_areas.get_drawn_area(db, code)
        except StoreError:
            return None
        if area is None:
            return None
        # An LSOA counts whole when its centre lies inside the drawn outline, as on the Draw page.
        members = area.members(geography(year))
        weights = pd.Series(1.0, index=pd.Index(members, name="area_code"), dtype=float)
        note = "An LSOA counts as part of a drawn area when its centre lies inside the outline."
        return ExtraPlace(Place("drawn", code), area.name, f"{area.name}, a drawn area", weights, note)

    def siblings(self, year: int, code: str, limit: int) -> list[ExtraPlace]:
        """None: drawn areas are each someone's own, not parts of one set."""
        return []


register_provider("upload", SessionUploads())
register_provider("drawn", DrawnAreas())


def _search_year() -> int:
    notes: list[str] = []
    year, _ = place_links.year_param(st.query_params.to_dict(), notes, [v.year for v in VINTAGES])
    return year


def place_search_sidebar() -> None:
    """The sidebar's "Find a place" box and its matches, each a link to the place's profile."""
    year = _search_year()
    query = st.sidebar.text_input(
        "Find a place",
        key=W_QUERY,
        max_chars=80,
        placeholder="A ward, town, council or ICB",
        help="Wards, neighbourhoods (MSOAs), councils, counties, combined authorities, ICBs, regions and your "
        f"uploaded areas, in IoD{year}'s geography.",
    )
    if not query or len(query.strip()) < 2:
        return
    found = place_cache.search(year, query)
    if not len(found):
        st.sidebar.caption(f"No place in IoD{year}'s geography matches “{escape_markdown(query[:40])}”.")
        return
    for row in found.itertuples():
        st.sidebar.page_link(
            "views/profile.py",
            label=escape_markdown(row.label),
            icon=":material/location_on:",
            query_params={place_links.YEAR: str(year), place_links.PLACE: f"{row.type}:{row.code}"},
        )


def open_place_on_map() -> None:
    """A map link with ``?place=TYPE:CODE`` becomes the explorer's own keys (its LA, LAs or region), with a note."""
    from placemap.links.explorer_links import LEVEL, LEVEL_PLACE, MAX_LAS, levels_for

    raw = st.query_params.get(place_links.PLACE)
    if not raw:
        return
    years = [v.year for v in VINTAGES]
    view, notes = place_links.parse_place_view(
        st.query_params.to_dict(), place_cache.place_exists, place_cache.carry, years
    )
    del st.query_params[place_links.PLACE]
    if view is not None and PLACE_TYPES[view.place.type].from_lookup:
        lookup = place_cache.load_place_lookup(view.year)
        mine = lookup[lookup[f"{view.place.type}_code"] == view.place.code]
        las = list(mine["la_code"].value_counts().index)
        keys = place_links.explorer_params(view.place, las, MAX_LAS)
        if not keys and len(mine):
            keys = {"region": str(mine["region_code"].mode().iloc[0])}
            notes.append("The place spans more local authorities than the map shows at once; showing its region.")
        st.query_params.update({place_links.YEAR: str(view.year), **keys})
        if view.place.type != "la" and view.place.type in levels_for(view.year):
            # Drawn at its own level, selected, with its LSOAs inside it.
            st.query_params.update({LEVEL: view.place.type, LEVEL_PLACE: view.place.code})
        if keys.get("region") and "la" in st.query_params:
            del st.query_params["la"]
    elif view is not None:
        notes.append("Uploaded and drawn areas are outlined on the map; open their profile for their figures.")
    st.session_state[MAP_NOTES] = notes


def add_map_notes() -> None:
    """Hand the notes of a map link's place to the explorer's notes (after its controls have read the link)."""
    from placemap.ui import state

    if pending := st.session_state.pop(MAP_NOTES, None):
        st.session_state[state.NOTES] = [*(st.session_state.get(state.NOTES) or []), *pending]


# Pages that work by local authority, and how many LAs their ``la=`` key takes at once.
PAGE_LAS = {
    "systems": 10,
    "priorities": 10,
    "hotspots": 10,
    "change": 1,
    "initiatives": 1,
    "workshop": 1,
}


def open_place_on_page(url_path: str) -> None:
    """``?place=TYPE:CODE`` on a page that works by local authority: its LA (or LAs), with a note saying so."""
    from placemap.data.place_search import resolve_extra
    from placemap.ui import cache

    max_las = PAGE_LAS.get(url_path)
    raw = st.query_params.get(place_links.PLACE)
    if max_las is None or not raw:
        return
    years = [v.year for v in VINTAGES]
    view, notes = place_links.parse_place_view(
        st.query_params.to_dict(), place_cache.place_exists, place_cache.carry, years
    )
    del st.query_params[place_links.PLACE]
    if view is not None:
        if PLACE_TYPES[view.place.type].from_lookup:
            lookup = place_cache.load_place_lookup(view.year)
            lsoas = lookup.index[lookup[f"{view.place.type}_code"] == view.place.code]
            label = place_cache.place_name(view.year, view.place)[1]
        else:
            extra = resolve_extra(view.year, view.place)
            lsoas, label = (extra.lsoas, extra.label) if extra is not None else ([], view.place.code)
        areas = cache.load_areas(view.year)
        las = list(areas["la_code"].reindex(lsoas).dropna().value_counts().index)
        if las:
            chosen = las if len(las) <= max_las else las[:1]
            st.query_params.update({place_links.YEAR: str(view.year), "la": ",".join(chosen)})
            if view.place.type != "la":
                names = cache.load_la_options(view.year)
                shown = ", ".join(str(names.get(c, c)) for c in chosen)
                more = f" (the one holding most of it, of {len(las)})" if len(chosen) < len(las) else ""
                notes.append(f"This page works by local authority: showing {shown}{more} for {label}.")
        else:
            notes.append(f"{label} holds no LSOA of IoD{view.year}'s geography; showing the default local authority.")
    if notes:
        st.info("\n".join(f"- {escape_markdown(n)}" for n in notes), icon=":material/info:")
