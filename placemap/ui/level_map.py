"""The map explorer's "Show areas as": wards, MSOAs, LAs, counties, combined authorities or ICBs coloured by
a File 10 summary measure, a click selecting a place (its LSOAs drawn inside it, a link to its profile),
and the table beside the map. Imports streamlit.

The base map (the places' polygons) depends only on the edition, the level and the extent, so it stays
identical across reruns; colours, the selected place and its LSOAs travel as small feature groups."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import folium
import pandas as pd
import streamlit as st
from shapely.geometry import Point

from placemap.analysis.classify import SCHEMES
from placemap.analysis.place_summaries import INDEX_LABELS, INDEX_OF_DOMAIN, MEASURE_LABELS
from placemap.data import prepare
from placemap.data.catalogue import BOUNDARY_ATTRIBUTION, VECTOR_LSOA_LIMIT, get_indicator, get_vintage
from placemap.data.place_types import PLACE_TYPES, Place
from placemap.links import explorer_links, place_links
from placemap.render import choropleth, export, level_layers, level_legend, maps, place_maps
from placemap.ui import cache, downloads, map_panel, place_cache, state

ENGLAND_EXTENT = ("england",)  # the extent key of the national levels
_PARENT_COLUMN = {"ward": "la_name", "msoa": "la_name", "la": "region_name", "utla": "region_name"}
_PARENT_WORD = {"ward": "Local authority", "msoa": "Local authority", "la": "Region", "utla": "Region"}
LSOA_OUTLINE_STYLE = {"color": "#ffffff", "weight": 1.2, "opacity": 0.95, "fill": False}


def _lower(label: str) -> str:
    return label[:1].lower() + label[1:]  # "Proportion of LSOAs…" -> "proportion of LSOAs…"


def _upper(label: str) -> str:
    return label[:1].upper() + label[1:]  # "middle-layer super output areas (MSOAs)" keeps its MSOAs


def _note(text: str) -> None:
    st.session_state.setdefault(state.NOTES, []).append(text)


def seed(view: explorer_links.View) -> None:
    """Put a link's level, measure and selected place into the widgets' state."""
    st.session_state[state.W_LEVEL] = view.level
    st.session_state[state.W_LEVEL_MEASURE] = view.measure
    st.session_state[state.W_LEVEL_PLACE] = view.level_place


def level_controls(year: int) -> tuple[str, str]:
    """The sidebar's "Show areas as" and (for places) "Summary measure" pickers; returns (level, measure)."""
    levels = explorer_links.levels_for(year)
    level = st.session_state.get(state.W_LEVEL) or explorer_links.LEVEL_LSOA
    if level not in levels:
        if level in place_maps.MAP_LEVELS:
            _note(explorer_links.level_fallback_note(level, year))
        st.session_state[state.W_LEVEL] = "la"
        st.session_state[state.W_LEVEL_PLACE] = None
    level = st.sidebar.selectbox(
        "Show areas as",
        levels,
        format_func=place_maps.MAP_LEVELS.get,
        key=state.W_LEVEL,
        on_change=_level_changed,
        help="LSOAs, or larger places coloured by MHCLG's File 10 summary measures of their LSOAs.",
    )
    if level == explorer_links.LEVEL_LSOA:
        return level, st.session_state.get(state.W_LEVEL_MEASURE) or explorer_links.DEFAULT_LEVEL_MEASURE
    if st.session_state.get(state.W_LEVEL_MEASURE) not in place_maps.LEVEL_MEASURES:
        st.session_state[state.W_LEVEL_MEASURE] = explorer_links.DEFAULT_LEVEL_MEASURE
    measure = st.sidebar.selectbox(
        "Summary measure",
        list(place_maps.LEVEL_MEASURES),
        format_func=MEASURE_LABELS.get,
        key=state.W_LEVEL_MEASURE,
        help="File 10's measures of a place's LSOAs, for the domain chosen under Indicator.",
    )
    return level, measure


def _level_changed() -> None:
    st.session_state[state.NOTES] = []
    st.session_state[state.W_LEVEL_PLACE] = None


def extent_of(level: str, la_codes: tuple[str, ...]) -> tuple[str, ...]:
    """The cache key of the places drawn: England for the national levels, else the explorer's LAs."""
    return ENGLAND_EXTENT if level in explorer_links.NATIONAL_LEVELS else la_codes


@st.cache_resource(show_spinner="Drawing places…", max_entries=32)
def load_level_places(year: int, level: str, extent: tuple[str, ...]) -> dict:
    """The places of a level in an extent (read-only, shared): feature order, GeoJSON, bounds, names, parents."""
    shapes = place_cache.load_place_shapes(year, level)
    lookup = place_cache.load_place_lookup(year)
    if extent != ENGLAND_EXTENT:
        inside = lookup.loc[lookup["la_code"].isin(extent), f"{level}_code"].dropna().unique()
        shapes = shapes[shapes.index.isin(inside)]
    parent_column = _PARENT_COLUMN.get(level)
    parents = None
    if parent_column:
        parents = lookup.dropna(subset=[f"{level}_code"]).groupby(f"{level}_code")[parent_column].first()
        parents = parents.reindex(shapes.index)
    names = shapes["name"]
    labelled = shapes.assign(name=level_legend.tooltip_names(names, parents).to_numpy())
    lsoas = None
    if extent != ENGLAND_EXTENT:
        codes = lookup.index[lookup["la_code"].isin(extent)]
        if len(codes) <= VECTOR_LSOA_LIMIT:  # beyond that, too heavy to send for a zoomed-in detail
            lsoas = place_maps.lsoa_outlines(cache.load_geometry(year).loc[sorted(codes)])
    return {
        "lsoas": lsoas,
        "codes": list(shapes.index),
        "features": place_maps.place_features(labelled),
        "bounds": prepare.bounds_of(shapes),
        "names": names,
        "parents": parents,
    }


@st.cache_resource(max_entries=32, show_spinner=False)
def _la_outlines(year: int, la_codes: tuple[str, ...]) -> dict:
    # Dissolved from the same LSOAs as the places, so the outline follows their edges exactly.
    shapes = place_cache.load_place_shapes(year, "la")
    mine = shapes[shapes.index.isin(la_codes)]
    return prepare.outline_features(mine.set_geometry(mine.geometry.simplify(place_maps.SIMPLIFY_DEGREES)), "name")


def _index_summary(year: int, level: str, index: str) -> pd.DataFrame:
    every = place_cache.load_place_summaries(year, level)
    return every.xs(index, level="index")


@st.cache_data(max_entries=128, show_spinner=False)
def load_level_style(
    year: int, level: str, extent: tuple[str, ...], index: str, measure: str, scheme: str, k: int, palette: str
):
    """The classification, the browser's style arrays and the table of a level's places on one measure."""
    places = load_level_places(year, level, extent)
    summary = _index_summary(year, level, index)
    codes = places["codes"]
    values = level_legend.level_values(summary, codes, measure)
    version = f"{year}:{level}:{len(codes)}:{index}:{measure}:{scheme}:{k}:{palette}"
    classification, payload = place_maps.place_classification(
        values, measure, INDEX_LABELS[index], scheme, k, palette, version
    )
    payload["rank"] = level_legend.rank_strings(summary, codes, measure)
    payload["total"] = f"{int(summary[measure].notna().sum()):,} {PLACE_TYPES[level].plural}"
    table = level_legend.level_table(
        summary, codes, places["names"], places["parents"], measure, PLACE_TYPES[level].plural
    )
    if places["parents"] is not None:
        table = table.rename(columns={"In": _PARENT_WORD[level]})
    return classification, payload, table


def place_at(year: int, level: str, extent: tuple[str, ...], lat: float, lng: float) -> str | None:
    """The code of the place of ``level`` (within ``extent``) under a point, or ``None``."""
    shapes = place_cache.load_place_shapes(year, level)
    hits = shapes.sindex.query(Point(lng, lat), predicate="intersects")
    codes = set(load_level_places(year, level, extent)["codes"])
    found = [shapes.index[i] for i in hits if shapes.index[i] in codes]
    return str(found[0]) if found else None


def _handle_click(year: int, level: str, extent: tuple[str, ...]) -> None:
    from placemap.ui.page_setup import clicked_point

    point = clicked_point(state.W_LEVEL_MAP)
    if point is None:
        return
    code = place_at(year, level, extent, *point)
    if code:
        st.session_state[state.W_LEVEL_PLACE] = code
        st.session_state[state.NOTES] = []


@st.cache_data(max_entries=64, show_spinner=False)
def _selection_layers(year: int, level: str, code: str, indicator_id: str, palette: str):
    """The selected place's outline, its LSOAs filled by national decile of the indicator, their codes
    and that classification (``None`` for a place with more LSOAs than are drawn as polygons)."""
    shapes = place_cache.load_place_shapes(year, level)
    outline = prepare.outline_features(shapes.loc[[code]], "name")
    lookup = place_cache.load_place_lookup(year)
    lsoa_codes = sorted(lookup.index[lookup[f"{level}_code"] == code])
    lsoas = cache.load_geometry(year).loc[lsoa_codes]
    features = place_maps.lsoa_outlines(lsoas)
    if len(lsoa_codes) > VECTOR_LSOA_LIMIT:
        return outline, features, lsoa_codes, None
    classification, _ = choropleth.codes_classification(
        cache.load_areas(year),
        lsoa_codes,
        get_indicator(indicator_id),
        get_vintage(year),
        "national_deciles",
        10,
        palette,
    )
    return outline, level_legend.coloured_outlines(features, classification.colours), lsoa_codes, classification


def _lsoa_layer(features: dict | None) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name="Its LSOAs", control=False)
    if features and features["features"]:
        folium.GeoJson(
            features,
            style_function=lambda f: {
                **LSOA_OUTLINE_STYLE,
                **(
                    {"fill": True, "fillColor": f["properties"]["f"], "fillOpacity": 0.9}
                    if "f" in f["properties"]
                    else {}
                ),
            },
            pane=maps.PANE_OUTLINES,
            interactive=False,
        ).add_to(group)
    return group


def _index_for(indicator, year: int, level: str) -> str:
    summary = place_cache.load_place_summaries(year, level)
    present = set(summary.index.get_level_values("index"))
    index = INDEX_OF_DOMAIN.get(indicator.domain)  # IDACI, IDAOPI and uploads have no File 10 summaries
    if index not in present:
        _note(
            f"Summary measures of {indicator.label.rsplit(':', 1)[0]} are not available in IoD{year}; showing the IMD."
        )
        index = "imd"
    return index


def level_page(view: explorer_links.View, la_codes: tuple[str, ...], place_name: str) -> None:
    """The map explorer's body at a level above LSOAs: title, map, legend, selected place, table; writes the view."""
    year, level = view.year, view.level
    vintage = get_vintage(year)
    indicator = get_indicator(view.indicator)
    kind = PLACE_TYPES[level]
    extent = extent_of(level, la_codes)
    index = _index_for(indicator, year, level)
    measure = view.measure
    summary = _index_summary(year, level, index)
    if measure == "average_score" and summary[measure].isna().all():
        _note(f"IoD{year} gives no LSOA scores for {INDEX_LABELS[index]} here; showing the average rank.")
        measure = explorer_links.DEFAULT_LEVEL_MEASURE
    places = load_level_places(year, level, extent)
    classification, payload, table = load_level_style(
        year, level, extent, index, measure, view.scheme, view.k, view.palette
    )
    selected = st.session_state.get(state.W_LEVEL_PLACE)
    if selected and selected not in set(places["codes"]):
        _note(f"{selected} is not one of the {kind.plural} shown; no place is selected.")
        selected = st.session_state[state.W_LEVEL_PLACE] = None
    where = "England" if extent == ENGLAND_EXTENT else place_name
    measure_label = MEASURE_LABELS[measure]

    st.title(f"{_upper(kind.plural)} of {prepare.escape_markdown(where)}: {INDEX_LABELS[index]}", anchor=False)
    st.caption(f"{vintage.source} · {len(places['codes']):,} {kind.plural} · coloured by {_lower(measure_label)}")
    if level in explorer_links.NATIONAL_LEVELS and extent == ENGLAND_EXTENT and len(la_codes) < 300:
        st.caption(f"{_upper(kind.plural)} are drawn for all of England whatever the place chosen.")
    notes = st.session_state.get(state.NOTES) or []
    if notes:
        st.info("\n".join(f"- {n}" for n in dict.fromkeys(notes)), icon=":material/info:")

    base = maps.build_base_map(
        places["features"],
        places["bounds"],
        la_features=None if extent == ENGLAND_EXTENT else _la_outlines(year, la_codes),
        basemap=view.basemap,
        attribution=maps.edition_attribution(vintage),
    )
    if places["lsoas"] is not None:
        level_layers.zoomed_lsoa_layer(places["lsoas"]).add_to(base)  # part of the base: same on every rerun
    outline, lsoas, lsoa_codes, lsoa_classes = (
        _selection_layers(year, level, selected, indicator.id, view.palette) if selected else (None, None, [], None)
    )
    dynamic = [maps.build_style_layer(payload), _lsoa_layer(lsoas), maps.build_highlight_layer(outline)]
    col_map, col_side = st.columns([3, 2], gap="medium")
    with col_map:
        on_click = partial(_handle_click, year, level, extent)
        map_panel.show_map(
            base, state.W_LEVEL_MAP, dynamic, height=620, returned_objects=["last_clicked"], on_change=on_click
        )
        zoom_note = "" if places["lsoas"] is None else " Zoom in to see the LSOA outlines beneath."
        st.caption(
            f"Click {kind.article} {kind.label} to select it and see its LSOAs; hover for its values.{zoom_note} "
            f"{BOUNDARY_ATTRIBUTION}"
        )
    with col_side:
        _place_picker(kind, places)
        scheme = "quantiles" if view.scheme == "national_deciles" else view.scheme
        scheme_note = " (national deciles are for LSOAs)" if view.scheme == "national_deciles" else ""
        st.html(
            maps.LEGEND_CSS
            + level_legend.level_legend_html(
                f"{INDEX_LABELS[index]}: {_lower(measure_label)}",
                f"{vintage.label} · {len(places['codes']):,} {kind.plural} in {where} · {SCHEMES[scheme]}{scheme_note}",
                classification,
                measure,
                year,
            )
        )
        if selected:
            _selected_panel(view, selected, table, lsoa_codes, indicator, measure, lsoa_classes)
        else:
            st.caption(f"No {kind.label} selected. Click the map or choose one above to see its LSOAs.")

    st.header("The data beneath the map", anchor=False)
    st.caption(
        f"Geography: {kind.plural}. Ranks are among all England's {kind.plural} on {INDEX_LABELS[index]}, "
        f"1 = the most deprived. {level_legend.DIRECTION[measure]}"
    )
    number_format = {"proportion": "percent", "extent": "percent", "average_score": "%.2f"}.get(measure, "%.0f")
    st.dataframe(
        table.assign(Profile=[place_links.place_href(year, Place(level, c)) for c in table["Code"]]),
        hide_index=True,
        width="stretch",
        column_config={
            measure_label: st.column_config.NumberColumn(format=number_format),
            "Profile": st.column_config.LinkColumn("Profile", display_text="Open profile"),
        },
    )
    title = f"{INDEX_LABELS[index]}: {measure_label}, {kind.plural} of {where} (File 10 method)"
    downloads.table_download(
        table,
        export.csv_header(title, vintage, level_legend.method_note(year)),
        export.safe_filename("placemap", level, where, measure, year),
        key="map.level.csv",
        label="Download this table (CSV)",
    )
    state.write_view(replace(view, measure=measure, level_place=selected, area=None))


PICKER_LIMIT = 8_000  # every ward or MSOA of England fits; the list is searched as you type


def _place_picker(kind, places: dict) -> None:
    """The keyboard route to selecting a place: a searchable list of the places drawn (the map's twin)."""
    codes = places["codes"]
    if len(codes) > PICKER_LIMIT:
        return
    labels = level_legend.tooltip_names(places["names"], places["parents"])
    st.selectbox(
        f"Select {kind.article} {kind.label} (type a name, or click the map)",
        [None, *codes],
        format_func=lambda c: "—" if c is None else str(labels.get(c, c)),
        key=state.W_LEVEL_PLACE,
    )


def _selected_panel(
    view, code: str, table: pd.DataFrame, lsoa_codes: list[str], indicator, measure: str, lsoa_classes
) -> None:
    kind = PLACE_TYPES[view.level]
    row = table[table["Code"] == code].iloc[0]
    st.header(prepare.escape_markdown(row["Place"]), anchor=False)
    rank_column = f"Rank among {kind.plural}"
    value = row[MEASURE_LABELS[measure]]
    shown_value = "no data" if pd.isna(value) else level_legend.formatted(pd.Series([value]), measure)[0]
    rank = "" if pd.isna(row[rank_column]) else f"; rank {int(row[rank_column]):,} of England's {kind.plural}"
    st.markdown(
        f"{prepare.escape_markdown(code)} · {prepare.escape_markdown(MEASURE_LABELS[measure])}: "
        f"**{prepare.escape_markdown(shown_value)}**{prepare.escape_markdown(rank)}"
    )
    st.page_link(
        "views/profile.py",
        label=f"Open the profile of {prepare.escape_markdown(row['Place'])}",
        icon=":material/description:",
        query_params={place_links.YEAR: str(view.year), place_links.PLACE: Place(view.level, code).to_param()},
    )
    areas = cache.load_areas(view.year)
    decile = indicator.decile_column(view.year)
    mine = areas.loc[[c for c in lsoa_codes if c in areas.index]]
    short = indicator.label.rsplit(":", 1)[0]
    if lsoa_classes is None:
        st.caption(f"Its {len(mine):,} LSOAs, outlined in white on the map:")
    else:
        st.caption(f"Its {len(mine):,} LSOAs, drawn inside it by national decile of {short}:")
        st.html(
            maps.LEGEND_CSS
            + maps.legend_html(
                f"Its LSOAs: {short}", f"{get_vintage(view.year).label} · national deciles", lsoa_classes
            )
        )
    st.dataframe(
        pd.DataFrame(
            {
                "LSOA": mine["area_name"].to_numpy(),
                "Code": mine.index,
                f"{indicator.label.rsplit(':', 1)[0]}: decile": mine[decile].to_numpy(),
            }
        ).sort_values(f"{indicator.label.rsplit(':', 1)[0]}: decile", kind="stable"),
        hide_index=True,
        width="stretch",
        height=min(300, 38 + 35 * len(mine)),
    )
