"""The profile page for a place of any type (``?place=TYPE:CODE``): its LSOAs on a map, its deciles,
its File 10 summary measures and ranks, its neighbours or member LAs, and exports. Imports streamlit.

``place_choice`` runs before the profile's pickers (so it can seed them); ``active_place`` after
them decides whether the place is still what the page shows.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from placemap.analysis import place_profile as pp
from placemap.analysis import place_summaries as ps
from placemap.analysis import profile
from placemap.analysis import upload_area_profile as uap
from placemap.data import prepare
from placemap.data.catalogue import BOUNDARY_ATTRIBUTION, VINTAGES, get_vintage
from placemap.data.place_search import resolve_extra, sibling_places
from placemap.data.place_types import PLACE_TYPES, Place
from placemap.links import place_links, profile_links, upload_links
from placemap.render import charts, choropleth, export, maps, report
from placemap.ui import (
    cache,
    chart_cache,
    downloads,
    map_panel,
    measure_profile,
    page_setup,
    place_cache,
    state,
    upload_controls,
)

PLACE_VIEW, PLACE_SYNCED, PLACE_BASE = "profile.place", "profile.place_synced", "profile.place_base"
PLACE_NOTES = "profile.place_notes"  # notes of the last link read, shown once the pickers have run
VECTOR_LIMIT = 3_000  # above this many LSOAs the map shows the place's LAs instead
md = prepare.escape_markdown


@dataclass(frozen=True)
class ShownPlace:
    """A resolved place: what it is, its LSOAs and the weight each counts with (1 unless cut by a boundary)."""

    year: int
    place: Place
    name: str
    label: str
    weights: pd.Series
    note: str = ""  # how its LSOAs were found, for places not in the lookups

    @property
    def lsoas(self) -> list[str]:
        return sorted(self.weights.index)


def _years() -> list[int]:
    return [v.year for v in VINTAGES]


def place_choice() -> None:
    """Read ``?place=`` when it is new: seed the profile's pickers and remember the place to show.

    An LA opens the LA profile (its own link); every other place, uploaded areas included,
    this module's profile. A bad or unknown place leaves a note and the page shows its default.
    """
    _open_saved_upload()  # first: a saved dataset's uploaded areas are places too
    old_key = st.query_params.get(profile_links.UPLOAD_AREA)
    if old_key is not None:  # an uploaded area's older link (``?upload_area=<dataset id>:<area id>``)
        del st.query_params[profile_links.UPLOAD_AREA]
        if not st.query_params.get(place_links.PLACE):
            st.query_params[place_links.PLACE] = Place("upload", old_key).to_param()
    raw = st.query_params.get(place_links.PLACE)
    if not raw:
        st.session_state[PLACE_VIEW] = st.session_state[PLACE_SYNCED] = None
        return
    if raw == st.session_state.get(PLACE_SYNCED):
        return
    st.session_state[PLACE_SYNCED] = raw
    view, notes = place_links.parse_place_view(
        st.query_params.to_dict(), place_cache.place_exists, place_cache.carry, _years()
    )
    st.session_state[PLACE_NOTES] = notes
    st.session_state[PLACE_VIEW] = None
    if view is None:
        del st.query_params[place_links.PLACE]
        return
    shown = _resolve(view)
    if shown is None:
        st.session_state[PLACE_NOTES] = [
            *notes,
            f"The link's {PLACE_TYPES[view.place.type].label} ({view.place.code[:20]}) is not a place Placemap can "
            "open here (it may have been deleted, or belong to another browser session); showing the default place.",
        ]
        del st.query_params[place_links.PLACE]
        return
    la = _main_la(shown)
    st.session_state[state.W_P_YEAR] = view.year
    st.session_state[state.W_P_LA] = la
    st.session_state[state.W_P_AREA] = None
    st.session_state[state.P_SYNCED] = {place_links.YEAR: str(view.year)}
    if view.place.type == "la":
        del st.query_params[place_links.PLACE]
        return
    st.session_state[PLACE_VIEW] = shown
    st.session_state[PLACE_BASE] = (view.year, la, None)


def _open_saved_upload() -> None:
    """A link's ``?upload=<id>`` (a saved dataset) opens it for this session, as on the upload page."""
    if not st.query_params.get(upload_links.UPLOAD):
        return
    share_id, notes = upload_links.parse_upload_id(st.query_params.to_dict())
    upload_controls.open_shared_upload(page_setup.open_store()[0], share_id)
    for note in notes + st.session_state.pop(state.UP_NOTES, []):
        st.info(note, icon=":material/info:")


def _resolve(view: place_links.PlaceView) -> ShownPlace | None:
    place = view.place
    if PLACE_TYPES[place.type].from_lookup:
        lookup = place_cache.load_place_lookup(view.year)
        codes = lookup.index[lookup[f"{place.type}_code"] == place.code]
        if not len(codes):
            return None
        name, label = place_cache.place_name(view.year, place)
        return ShownPlace(view.year, place, name, label, pd.Series(1.0, index=codes))
    extra = resolve_extra(view.year, place)
    if extra is None or not len(extra.lsoas):
        return None
    return ShownPlace(view.year, place, extra.name, extra.label, extra.weights[extra.weights > 0], extra.note)


def _main_la(shown: ShownPlace) -> str:
    areas = cache.load_areas(shown.year)
    las = areas["la_code"].reindex(shown.lsoas).dropna()
    return str(las.value_counts().sort_index().idxmax()) if len(las) else profile_links.ProfileView().la


def active_place(view: profile_links.ProfileView) -> ShownPlace | None:
    """The place the page shows, or ``None`` once the pickers chose an LA or LSOA instead.

    A new edition in the picker carries the place there (the nearest valid place, with a note).
    """
    if pending := st.session_state.pop(PLACE_NOTES, None):
        st.session_state[state.P_NOTES] = [*(st.session_state.get(state.P_NOTES) or []), *pending]
    shown = st.session_state.get(PLACE_VIEW)
    if shown is None:
        return None
    year, la, area = st.session_state.get(PLACE_BASE)
    if (view.la, view.area) != (la, area):
        st.session_state[PLACE_VIEW] = st.session_state[PLACE_SYNCED] = None
        if place_links.PLACE in st.query_params:
            del st.query_params[place_links.PLACE]
        return None
    if view.year != year:
        moved, notes = place_links.resolve_place(
            shown.place, view.year, True, place_cache.place_exists, place_cache.carry, _years()
        )
        st.session_state[state.P_NOTES] = notes
        again = _resolve(moved) if moved is not None and moved.year == view.year else None
        if again is None:
            st.session_state[PLACE_VIEW] = None
            return None
        shown = again
        st.session_state[PLACE_VIEW] = shown
        st.session_state[PLACE_BASE] = (view.year, la, area)
    params = _place_params(shown.year, shown.place)
    st.session_state[PLACE_SYNCED] = params[place_links.PLACE]
    st.session_state[state.P_SYNCED] = {place_links.YEAR: params[place_links.YEAR]}
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)
    return shown


def _place_params(year: int, place: Place) -> dict[str, str]:
    """The link of a place's profile, keeping a saved upload's ``upload=`` so the link stays shareable."""
    params = place_links.PlaceView(year, place).to_params()
    saved = st.query_params.get(upload_links.UPLOAD)
    return params | ({upload_links.UPLOAD: saved} if saved else {})


def uploaded_area_picker(shown: ShownPlace | None) -> None:
    """The sidebar's "Your areas" picker (when the session holds uploaded boundaries): opens one as a place."""
    datasets = upload_controls.session_areas()
    if not datasets:
        return
    options = {None: "— none: an LSOA or local authority —"} | uap.area_options(datasets)
    current = shown.place.code if shown is not None and shown.place.type == "upload" else None
    st.session_state[state.W_P_UPLOAD_AREA] = current if current in options else None

    def opened() -> None:
        chosen = st.session_state.get(state.W_P_UPLOAD_AREA)
        year = st.session_state.get(state.W_P_YEAR)
        if chosen is not None:
            st.query_params.from_dict(_place_params(year, Place("upload", chosen)))
        elif place_links.PLACE in st.query_params:
            st.session_state[PLACE_VIEW] = st.session_state[PLACE_SYNCED] = None
            del st.query_params[place_links.PLACE]

    st.sidebar.selectbox(
        "Or one of your areas (uploaded)",
        list(options),
        format_func=options.get,
        key=state.W_P_UPLOAD_AREA,
        on_change=opened,
        help="Boundaries you uploaded on the Bring your own data page: their profile by population-weighted overlay.",
    )


def _summary(shown: ShownPlace) -> tuple[pd.DataFrame, pd.DataFrame | None, int | None]:
    """The place's measures per index, every place of its type (or ``None``), and how many there are."""
    kind = shown.place.type
    if PLACE_TYPES[kind].from_lookup:
        every = place_cache.load_place_summaries(shown.year, kind)
        return every.xs(shown.place.code, level="place"), every, every.index.get_level_values("place").nunique()
    inputs = place_cache.load_summary_inputs(shown.year)
    return pp.summarise_weighted(inputs, shown.weights, shown.year), None, None


def _method_notes(year: int) -> list[str]:
    return [ps.WEIGHTS_NOTE[year], ps.SCORES_NOTE[year]] if ps.SCORES_NOTE[year] else [ps.WEIGHTS_NOTE[year]]


def show_place_profile(shown: ShownPlace) -> None:
    """The whole profile of one place (the page stops after it)."""
    year, place, kind = shown.year, shown.place, shown.place.type
    vintage = get_vintage(year)
    place_type = PLACE_TYPES[kind]
    areas = cache.load_areas(year)
    mine = areas.loc[shown.lsoas]
    summary, every, n_places = _summary(shown)
    stem = export.safe_filename("placemap", kind, shown.name, year)
    link = place_links.place_href(year, place)

    st.title(f"{md(shown.name)}: {place_type.label} profile", anchor=False)
    st.caption(f"{md(shown.label)} · {len(mine):,} LSOAs · {vintage.source} ({vintage.lsoa_label})")
    _show_notes()
    sentences = pp.place_sentences(shown.label, kind, summary, len(mine), n_places, estimated=year == 2025)
    table = pp.measures_table(summary, kind, n_places)
    counts = profile.decile_counts(mine, vintage)
    notes = [*_method_notes(year), *([shown.note] if shown.note else [])]
    content = report.ReportContent(
        title=f"{shown.name}: {place_type.label} profile",
        subtitle=f"{shown.label} · {vintage.label}",
        sentences=sentences,
        source_line=vintage.citation,
        tables=[
            report.ReportTable("Summary measures (File 10 method)", table.round(3), note=ps.INDEX_LABELS["imd"]),
            report.ReportTable("LSOAs in each national decile", profile.decile_counts_table(counts)),
        ],
        notes=notes,
        link=link,
    )
    content = measure_profile.place_report_section(content, year, tuple(shown.lsoas), shares=shown.weights)
    downloads.report_pdf_download(content, stem, "profile.place.report")
    st.subheader("Key points", anchor=False)
    st.markdown("\n".join(f"- {md(s)}" for s in sentences))
    st.info(" ".join(md(n) for n in notes), icon=":material/calculate:")

    st.header("Summary measures", anchor=False)
    lead = pp.LEAD_INDEX.get(kind)
    if lead:
        st.caption(f"An {place_type.label}'s profile leads with the {ps.INDEX_LABELS[lead]} domain.")
    downloads.table_with_download(
        table,
        export.csv_header(f"Summary measures of {shown.label} (File 10 method)", vintage, *notes),
        f"{stem}_measures",
        "profile.place.measures.csv",
        "Summary measures as CSV",
        caption=_reading_note(place_type.plural, n_places),
        fit_height=True,
        column_config={
            "Proportion of LSOAs in most deprived 10%": st.column_config.NumberColumn(format="percent"),
            "Extent": st.column_config.NumberColumn(format="percent"),
            "Average rank": st.column_config.NumberColumn(format="%.0f"),
            "Local concentration": st.column_config.NumberColumn(format="%.0f"),
            "Average score": st.column_config.NumberColumn(format="%.2f"),
        },
    )

    chart = chart_cache.lazy(charts.la_decile_chart, counts, la_name=shown.name, vintage=vintage)
    left, right = st.columns([1, 1], gap="medium")
    with left:
        st.header("Its LSOAs in each national decile", anchor=False)
        chart_cache.show(chart, theme=None, width="content")
        downloads.table_with_download(
            profile.decile_counts_table(counts),
            export.csv_header(f"LSOAs of {shown.label} in each national decile", vintage),
            f"{stem}_deciles",
            "profile.place.deciles.csv",
            "Deciles table as CSV",
            caption="The chart in numbers (decile 1 = England's most deprived 10%).",
        )
    with right:
        st.header("The map", anchor=False)
        _place_map(shown, vintage)

    measure_profile.place_measures_section(shown.year, tuple(shown.lsoas), shown.label, stem, shares=shown.weights)
    _compare_link(shown)
    if kind == "cauth" and every is not None:
        _member_las(shown, vintage)
    if every is not None:
        _neighbours(shown, every, vintage)
    else:
        _beside_similar(shown, summary, vintage)
    _lsoa_list(shown, mine, vintage, stem)
    st.caption(f"Sources: {vintage.citation} {BOUNDARY_ATTRIBUTION} Place lookups: ONS (OGL v3.0).")


def _show_notes() -> None:
    notes = st.session_state.get(state.P_NOTES) or []
    if notes:
        st.info("\n".join(f"- {n}" for n in dict.fromkeys(notes)), icon=":material/info:")


def _reading_note(plural: str, n_places: int | None) -> str:
    ranks = f" Ranks are among England's {n_places:,} {plural}, 1 = the most deprived." if n_places else ""
    return (
        "MHCLG's File 10 method, applied to this place's LSOAs. Average rank: the population-weighted average of "
        "its LSOAs' ranks counted the other way round (higher = more deprived). Proportion: the share of its LSOAs "
        "in England's most deprived 10%. Extent: the share of its people in England's most deprived 30% of LSOAs "
        "(the most deprived 10% counting fully, then sliding). Local concentration: the average rank of its most "
        "deprived LSOAs holding 10% of its people." + ranks
    )


def _place_map(shown: ShownPlace, vintage) -> None:
    codes = shown.lsoas
    if PLACE_TYPES[shown.place.type].from_lookup and shown.place.type != "region":
        st.page_link(
            "views/map.py",
            label=f"See it among England's {PLACE_TYPES[shown.place.type].plural} on the map explorer",
            icon=":material/map:",
            query_params={place_links.YEAR: str(shown.year), place_links.PLACE: shown.place.to_param()},
        )
    if len(codes) > VECTOR_LIMIT:
        st.caption(
            f"{md(shown.name)} has {len(codes):,} LSOAs: open it on the map explorer at a larger level "
            "(Show areas as) to see it drawn."
        )
        return
    geometry = cache.load_geometry(shown.year).loc[codes].sort_index()
    areas = cache.load_areas(shown.year)
    classification, payload = choropleth.codes_classification(
        areas, list(geometry.index), _imd_decile(), vintage, "national_deciles", 10, "viridis"
    )
    outline = geometry.dissolve().assign(name=shown.name)
    base = maps.build_base_map(
        prepare.area_features(geometry),
        prepare.bounds_of(geometry),
        la_features=prepare.outline_features(outline, "name"),
        attribution=maps.edition_attribution(vintage),
    )
    map_panel.show_map(base, "profile.place.map", [maps.build_style_layer(payload)], height=460)
    st.html(
        maps.LEGEND_CSS
        + maps.legend_html(
            "IMD: national decile", f"{vintage.label} · LSOAs of {shown.name} · 1 = most deprived 10%", classification
        )
    )
    st.caption(
        f"Hover over an LSOA for its name and decile; the black line is the place's outline. {BOUNDARY_ATTRIBUTION}"
    )


def _imd_decile():
    from placemap.data.catalogue import get_indicator

    return get_indicator("imd_decile")


def _member_las(shown: ShownPlace, vintage) -> None:
    lookup = place_cache.load_place_lookup(shown.year)
    members = pp.member_las(lookup, shown.place)
    las = place_cache.load_place_summaries(shown.year, "la")
    names = lookup.groupby("la_code")["la_name"].first()
    table = pp.peers_table(las, members, names)
    st.header("Its member local authorities", anchor=False)
    st.caption(
        "Combined authorities as of 2023 (before the 2024 changes). Each member authority on the IMD, by the same "
        f"method; ranks among England's {las.index.get_level_values('place').nunique():,} local authorities."
    )
    _peer_table(table, shown, "la", vintage, "members")


def _neighbours(shown: ShownPlace, every: pd.DataFrame, vintage) -> None:
    kind = shown.place.type
    shapes = place_cache.load_place_shapes(shown.year, kind)
    near = pp.neighbours(shapes, shown.place.code)
    plural = PLACE_TYPES[kind].plural
    st.header(f"Neighbouring {plural}", anchor=False)
    if not near:
        st.caption(f"No {plural} share a border with {md(shown.name)}.")
        return
    table = pp.peers_table(every, [shown.place.code, *near], shapes["name"])
    st.caption(f"{md(shown.name)} (first row) beside the {plural} that share a border with it, on the IMD.")
    _peer_table(table, shown, kind, vintage, "neighbours")
    codes = [f"{kind}:{c}" for c in [shown.place.code, *near][:6]]
    st.page_link(
        "views/compare.py",
        label=f"Compare with its neighbouring {plural}",
        icon=":material/compare_arrows:",
        query_params={place_links.YEAR: str(shown.year), profile_links.COMPARE: ",".join(codes)},
    )


def _beside_similar(shown: ShownPlace, summary: pd.DataFrame, vintage) -> None:
    """The places its provider sets beside it (an uploaded area: the other areas of its dataset), on the IMD."""
    beside = sibling_places(shown.year, shown.place, pp.MAX_NEIGHBOURS)
    if not beside:
        return
    inputs = place_cache.load_summary_inputs(shown.year)
    summaries = {shown.place.code: summary} | {
        p.place.code: pp.summarise_weighted(inputs, p.weights, shown.year) for p in beside
    }
    names = pd.Series({shown.place.code: shown.name} | {p.place.code: p.name for p in beside})
    table = pp.peers_table(pp.stacked(summaries), list(summaries), names)
    st.header("Beside similar places", anchor=False)
    st.caption(
        f"{md(shown.name)} (first row) beside the other {PLACE_TYPES[shown.place.type].plural} it came with (at most "
        f"{pp.MAX_NEIGHBOURS:,}), on the IMD, each made from its LSOAs by the same method."
    )
    _peer_table(table, shown, shown.place.type, vintage, "similar")


def _peer_table(table: pd.DataFrame, shown: ShownPlace, kind: str, vintage, key: str) -> None:
    links = table.assign(Profile=[place_links.place_href(shown.year, Place(kind, c)) for c in table["Code"]])
    st.dataframe(
        links,
        hide_index=True,
        width="stretch",
        column_config={
            "Profile": st.column_config.LinkColumn("Profile", display_text="Open profile"),
            "Proportion in most deprived 10%": st.column_config.NumberColumn(format="percent"),
            "Extent": st.column_config.NumberColumn(format="percent"),
        },
    )
    downloads.table_download(
        table,
        export.csv_header(f"{shown.label}: {key}", vintage, *_method_notes(shown.year)),
        export.safe_filename("placemap", shown.place.type, shown.name, shown.year, key),
        key=f"profile.place.{key}.csv",
        label=f"{key.capitalize()} as CSV",
    )


def _lsoa_list(shown: ShownPlace, mine: pd.DataFrame, vintage, stem: str) -> None:
    ind = _imd_decile()
    table = pd.DataFrame(
        {
            "LSOA code": mine.index,
            "LSOA name": mine["area_name"].to_numpy(),
            "Local authority": mine["la_name"].to_numpy(),
            "IMD rank": mine[ind.rank_column(shown.year)].to_numpy(),
            "IMD decile": mine[ind.decile_column(shown.year)].to_numpy(),
        }
    ).sort_values(["IMD rank", "LSOA code"])
    if not (shown.weights == 1).all():
        table["Share counted"] = shown.weights.reindex(table["LSOA code"]).round(3).to_numpy()
    st.header("Its LSOAs", anchor=False)
    st.dataframe(
        table.assign(Profile=[profile_links.profile_href(shown.year, c) for c in table["LSOA code"]]),
        hide_index=True,
        width="stretch",
        column_config={
            "Profile": st.column_config.LinkColumn("Profile", display_text="Open profile"),
            "IMD rank": st.column_config.NumberColumn(format="%d"),
        },
    )
    downloads.table_download(
        table,
        export.csv_header(f"LSOAs of {shown.label}", vintage),
        f"{stem}_lsoas",
        key="profile.place.lsoas.csv",
        label="LSOAs as CSV",
    )


def _compare_link(shown: ShownPlace) -> None:
    """A link comparing the place with the larger places that hold it (its LA, ICB, region) and England."""
    lookup = place_cache.load_place_lookup(shown.year)
    mine = lookup.reindex(shown.lsoas)
    items = [shown.place.to_param()]
    for kind in ("la", "utla", "icb", "region"):
        column = f"{kind}_code"
        if kind == shown.place.type or column not in mine or (kind == "utla" and shown.place.type != "ward"):
            continue
        held = mine[column].dropna()
        if len(held) and held.value_counts().iloc[0] == len(mine):
            items.append(f"{kind}:{held.iloc[0]}")
    items.append(place_links.ENGLAND)
    st.page_link(
        "views/compare.py",
        label="Compare with the places that hold it and England",
        icon=":material/compare_arrows:",
        query_params={place_links.YEAR: str(shown.year), profile_links.COMPARE: ",".join(items[:6])},
    )
    st.page_link(
        "views/plan.py",
        label="Write a place plan for this place",
        icon=":material/flag:",
        query_params={place_links.PLACE: shown.place.to_param()},
    )
