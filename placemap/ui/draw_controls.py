"""The Draw an area page's pieces: the drawing map, the checked drawing as a place, its summary, saving and editing. Imports streamlit.

The rules live in pure modules: ``placemap.uploads.drawn_shape`` checks what the browser sends,
``placemap.analysis.drawn_area`` makes it a place, ``placemap.storage.drawn_areas`` saves it,
``placemap.links.drawn_links`` reads and writes its link.
"""

from __future__ import annotations

import json

import pandas as pd
import shapely
import streamlit as st
from streamlit_folium import st_folium

from placemap.analysis import drawn_area, lsoa_change, place_summaries
from placemap.community.roles import Actor
from placemap.data import prepare
from placemap.data.catalogue import get_vintage, headline_indicators
from placemap.links import drawn_links
from placemap.render import draw_map, export, maps
from placemap.storage import drawn_areas
from placemap.storage.store import StoreError
from placemap.ui import access, cache, client, page_setup, upload_cache
from placemap.uploads import drawn_shape

# Widget keys, namespaced by page.
W_YEAR, W_LA, W_BASEMAP, W_NAME, W_RENAME = "draw.year", "draw.la", "draw.basemap", "draw.name", "draw.rename"
W_MAP, FLASH = "draw.folium", "draw.flash"
MAP_YEAR = 2025  # the drawing map shows today's LA and ward outlines, whatever the edition
YEAR_OF_GEOGRAPHY = {"lsoa11": 2019, "lsoa21": 2025}  # an edition on each LSOA geography


@st.cache_resource(show_spinner="Loading the summary inputs…", max_entries=3)
def load_summary_inputs(year: int):
    """Every LSOA of an edition with its ranks, scores and weights (``place_types.read_summary_inputs``)."""
    from placemap.data.place_types import read_summary_inputs

    return read_summary_inputs(year)


@st.cache_data(max_entries=32, show_spinner="Finding the LSOAs in your area…")
def load_drawn_place(year: int, shape_geojson: str) -> drawn_area.DrawnPlace:
    """``drawn_area.place_from_shape`` of a checked drawing on an edition's LSOAs (the GeoJSON keys the cache)."""
    shape = shapely.from_geojson(shape_geojson)
    return drawn_area.place_from_shape(
        shape, upload_cache.load_bng_geometry(year), upload_cache.load_lsoa_population(year)
    )


@st.cache_data(max_entries=32, show_spinner=False)
def load_counted_features(year: int, codes: tuple[str, ...]) -> dict:
    """GeoJSON outlines of the LSOAs that count as the area (simplified by about 2 m, for drawing)."""
    geometry = cache.load_geometry(year).geometry.reindex(list(codes)).dropna()
    simple = geometry.simplify(0.00002, preserve_topology=True)
    return prepare.feature_collection(simple, [{"c": prepare.escape_text(c)} for c in geometry.index])


def drawing_tools_missing() -> bool:
    """Whether Leaflet.draw is missing from ``static/`` (then the page says so and draws nothing)."""
    from placemap.render.assets import ensure_leaflet_draw

    return ensure_leaflet_draw() is None


def map_key(la_code: str, saved: drawn_areas.DrawnArea | None, basemap: str) -> str:
    """The drawing map's key: a new LA, saved area or background is a new map (and a fresh drawing)."""
    return f"{W_MAP}.{saved.share_id if saved else la_code}.{basemap}"


def current_drawing(key: str) -> object:
    """What the browser last drew on map ``key`` (``all_drawings``), known before the map is shown.

    streamlit-folium copies the component's value to ``st.session_state[key]`` in its change
    callback, which runs before the script: so the page can work out the counted LSOAs first and
    send them with the map in the same run.
    """
    value = st.session_state.get(key)
    return value.get("all_drawings") if isinstance(value, dict) else None


def show_draw_map(
    key: str, la_code: str, year: int, saved: drawn_areas.DrawnArea | None, counted: dict | None, basemap: str
) -> None:
    """The drawing map (what it draws comes back through ``current_drawing``).

    The base map depends only on the LA (or the saved area) and the background, so it is not
    remounted when the counted LSOAs change: those travel as a feature group.
    """
    layers = cache.load_place_layers(MAP_YEAR, (la_code,))
    base = draw_map.build_draw_map(
        layers,
        maps.edition_attribution(get_vintage(year)),
        saved=saved.geometry if saved else None,
        basemap=basemap,
    )
    st_folium(
        base,
        key=key,
        height=560,
        use_container_width=True,
        returned_objects=["all_drawings"],
        feature_group_to_add=[draw_map.build_counted_layer(counted)],
    )


def checked_drawing(drawing: object) -> drawn_shape.DrawnShape | None:
    """The browser's drawing checked (``None`` when nothing is drawn), its messages shown."""
    if not drawing:
        return None
    check = drawn_shape.check_drawing(drawing)
    page_setup.show_messages(check.messages)
    return check


def place_rows(place: drawn_area.DrawnPlace) -> list[tuple[str, float, bool]]:
    """A place's LSOAs as the rows ``drawn_areas`` saves: (code, share inside, counts)."""
    return [(str(c), float(s), bool(i)) for c, s, i in place.lsoas[["area_code", "share", "inside"]].itertuples(False)]


def shape_geojson(check: drawn_shape.DrawnShape) -> str:
    """A checked drawing's shape as GeoJSON text (the key of the cached overlays)."""
    return shapely.to_geojson(check.shape)


def drawn_place(check: drawn_shape.DrawnShape | None, year: int) -> drawn_area.DrawnPlace | None:
    """A checked drawing as a place on an edition's LSOAs, its messages shown (``None`` if it did not pass)."""
    if check is None or not check.ok:
        return None
    place = load_drawn_place(year, shape_geojson(check))
    page_setup.show_messages(place.messages)
    return place


def places_on_every_geography(check: drawn_shape.DrawnShape) -> dict[str, drawn_area.DrawnPlace]:
    """The checked drawing overlaid on the 2011 and the 2021 LSOAs (what a save keeps)."""
    return {geo: load_drawn_place(year, shape_geojson(check)) for geo, year in YEAR_OF_GEOGRAPHY.items()}


def outline_to_keep(check: drawn_shape.DrawnShape, places: dict[str, drawn_area.DrawnPlace]) -> dict:
    """The outline a save keeps: the drawing clipped to England's 2021 LSOAs (the coast), as GeoJSON."""
    clipped = places["lsoa21"].shape
    return json.loads(shapely.to_geojson(clipped if clipped is not None else check.shape))


def show_place(name: str, year: int, members: list[str], lsoas: pd.DataFrame, link: str | None = None) -> None:
    """A drawn area's summary measures (IoD File 10's method), in a sentence and a table, and its LSOAs."""
    vintage = get_vintage(year)
    md = prepare.escape_markdown
    summary = place_summaries.summarise_lsoas(load_summary_inputs(year), members, year, name="drawn")
    n_lsoas = vintage.n_lsoas
    st.subheader(f"{md(name)}: summary measures ({vintage.label})", anchor=False)
    st.markdown(drawn_area.summary_sentence(summary, n_lsoas, vintage.label))  # numbers and our words only
    table = drawn_area.summary_table(summary, n_lsoas)
    st.dataframe(table, hide_index=True, width="stretch")
    st.caption(
        "Measured over the LSOAs whose centre lies inside the area, each weighted by its population, by MHCLG's "
        f"method for local authorities (IoD File 10). Average rank and local concentration count {n_lsoas:,} as the "
        "most deprived. "
        + md(place_summaries.WEIGHTS_NOTE.get(year, ""))
        + " "
        + md(place_summaries.SCORES_NOTE.get(year, ""))
    )
    areas = cache.load_areas(year)
    imd = next(i for i in headline_indicators(year, "rank") if i.domain == "imd")
    population = upload_cache.load_lsoa_population(year)
    rows = drawn_area.lsoas_table(lsoas, areas, imd.decile_column(year), population)
    st.subheader(f"Its LSOAs ({len(members):,} counted, {len(rows):,} overlapped)", anchor=False)
    st.dataframe(rows, hide_index=True, width="stretch")
    lines = [f"{name}: the LSOAs of a drawn area ({vintage.label})"] + ([f"Link: {link}"] if link else [])
    st.download_button(
        "Download the LSOAs (CSV)",
        export.to_safe_csv(rows, lines),
        file_name=export.safe_filename("placemap", name, "lsoas", year) + ".csv",
        mime="text/csv",
        key="draw.dl.lsoas",
    )


def write_link(share_id: str | None, year: int, la_code: str | None) -> None:
    """Mirror the page's view into the address, so what is shown is a link (a saved area's, or the LA's)."""
    params = drawn_links.draw_params(share_id, year, la_code)
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)


def _limit() -> None:
    if refusal := client.refusal("drawn_area"):
        raise StoreError(f"Not saved: {refusal}")


def save_form(db, actor: Actor, check: drawn_shape.DrawnShape, la_code: str, year: int) -> None:
    """Name the drawn area and save it (editors); a saved area reopens from ``?place=drawn:<id>``."""
    st.subheader("Save the area", anchor=False)
    refusal = access.refusal(actor, "save_drawn_area")
    if refusal:
        st.info(f"Saving needs a role: {prepare.escape_markdown(refusal)}")
        return
    name = st.text_input("Name of the area", max_chars=drawn_areas.MAX_NAME, key=W_NAME)
    if not st.button("Save the area", type="primary", key="draw.save"):
        return
    if db is None:
        st.error("The database is unavailable, so the area cannot be saved.")
        return
    places = places_on_every_geography(check)
    try:
        share_id = drawn_areas.save_drawn_area(
            db,
            actor,
            name,
            outline_to_keep(check, places),
            {geo: place_rows(place) for geo, place in places.items()},
            la_code=la_code,
            n_vertices=check.n_vertices,
            area_km2=check.area_km2,
            before_write=_limit,
        )
    except StoreError as exc:
        st.error(prepare.escape_markdown(str(exc)))
        return
    st.session_state[FLASH] = f"Saved. Anyone with this link can open it: `{drawn_links.draw_href(share_id, year)}`"
    st.query_params.from_dict(drawn_links.draw_params(share_id, year))
    st.rerun()


def edit_form(db, actor: Actor, saved: drawn_areas.DrawnArea, check: drawn_shape.DrawnShape | None) -> None:
    """Rename a saved area, or save the outline drawn or reshaped on the map (editors only)."""
    refusal = access.refusal(actor, "edit_boundary")
    if refusal:
        st.caption(f"Editing this area needs a role: {prepare.escape_markdown(refusal)}")
        return
    with st.expander("Edit this area (rename it, or reshape it on the map with the edit tool and save)"):
        name = st.text_input("New name", value=saved.name, max_chars=drawn_areas.MAX_NAME, key=W_RENAME)
        reshaped = check is not None and check.ok
        label = "Save the new name and outline" if reshaped else "Save the new name"
        if not st.button(label, key="draw.update"):
            return
        kwargs: dict = {"name": name}
        if reshaped:
            places = places_on_every_geography(check)
            kwargs |= {
                "geometry": outline_to_keep(check, places),
                "lsoas": {geo: place_rows(place) for geo, place in places.items()},
                "n_vertices": check.n_vertices,
                "area_km2": check.area_km2,
            }
        try:
            drawn_areas.update_drawn_area(db, actor, saved.share_id, before_write=_limit, **kwargs)
        except StoreError as exc:
            st.error(prepare.escape_markdown(str(exc)))
            return
        st.session_state[FLASH] = "Saved the changes; the link stays the same."
        st.rerun()


def saved_lsoas(saved: drawn_areas.DrawnArea, year: int) -> tuple[list[str], pd.DataFrame]:
    """A saved area's counted LSOAs and all its rows on an edition's geography (as ``drawn_area.lsoas_table`` takes them)."""
    geography = lsoa_change.geography(year)
    rows = [(x.area_code, x.share, x.inside) for x in saved.lsoas if x.geography == geography]
    return saved.members(geography), pd.DataFrame(rows, columns=["area_code", "share", "inside"])
