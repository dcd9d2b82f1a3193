"""Area profile: one LSOA, one local authority or a place of any type, in charts, tables and words, with exports."""

import streamlit as st

from placemap.analysis import profile, similar
from placemap.data import la_summaries, prepare
from placemap.data.catalogue import BOUNDARY_ATTRIBUTION, get_vintage
from placemap.links import explorer_links, profile_links
from placemap.render import charts, export, maps
from placemap.ui import (
    cache,
    chart_cache,
    downloads,
    map_panel,
    page_setup,
    place_profile,
    profile_cache,
    profile_controls,
    state,
)
from placemap.ui.measure_profile import measure_spine_section, place_measures_section

la_options = page_setup.la_options_all()
place_profile.place_choice()  # ?place=TYPE:CODE (or an old ?upload_area=, ?upload=) seeds the pickers below
view = profile_controls.profile_controls(la_options)
shown_place = place_profile.active_place(view)
place_profile.uploaded_area_picker(shown_place)
if shown_place is not None:
    place_profile.show_place_profile(shown_place)
    st.stop()
profile_controls.write_profile_view(view)
vintage = get_vintage(view.year)
areas = cache.load_areas(view.year)
la_name = la_options[view.year][view.la]
code = view.area or view.la
kind = profile.LSOA if view.area else profile.LA
md = prepare.escape_markdown


def _similar_section(title: str, table, code_column: str) -> None:
    st.header(title, anchor=False)
    st.caption(similar.similarity_note(view.year, kind))
    links = table.assign(Profile=[profile_links.profile_href(view.year, c) for c in table[code_column]])
    left, right = st.columns([3, 2], gap="medium")
    with left:
        st.dataframe(
            links,
            hide_index=True,
            width="stretch",
            column_config={
                "Distance": st.column_config.NumberColumn(format="%.3f", help="0 = identical domain profile"),
                "Profile": st.column_config.LinkColumn("Profile", display_text="Open profile"),
            },
        )
        downloads.table_download(
            table,
            export.csv_header(f"{title}: {name}", vintage, similar.similarity_note(view.year, kind)),
            export.safe_filename("placemap", code, view.year, "similar"),
            key="profile.similar.csv",
            label="Similar areas as CSV",
        )
        st.page_link(
            "views/compare.py",
            label="Compare with the five most similar",
            icon=":material/compare_arrows:",
            query_params={
                explorer_links.YEAR: str(view.year),
                profile_links.COMPARE: ",".join([code, *table[code_column][:5]]),
            },
        )
    with right:
        data = profile_cache.load_similar_map(view.year, code)
        base = maps.build_base_map(
            data["features"],
            data["bounds"],
            la_features=data["las"],
            attribution=maps.edition_attribution(vintage),
        )
        map_panel.show_map(
            base,
            "profile.similar.map",
            [
                maps.build_style_layer(data["payload"]),
                maps.build_marker_layer(data["points"], "Similar areas", context=data["england"]),
            ],
            height=420,
        )
        st.caption(
            "Magenta: this area; yellow: the similar areas (hover for their names and rank); black lines: "
            "their local authorities."
        )


def _place_map() -> None:
    layers = cache.load_place_layers(view.year, (view.la,))
    classification, payload = cache.load_classification(
        view.year, (view.la,), profile_cache.IMD_DECILE, "national_deciles", 10, "viridis"
    )
    highlight = maps.build_highlight_layer(cache.area_features(view.year, view.area) if view.area else None)
    map_panel.show_place_style_map(
        layers,
        maps.edition_attribution(vintage),
        payload,
        "profile.map",
        extra=[highlight],
        context=False,
        height=460,
    )
    st.html(
        maps.LEGEND_CSS
        + maps.legend_html(
            "IMD: national decile", f"{vintage.label} · LSOAs of {la_name} · 1 = most deprived 10%", classification
        )
    )
    outlined = "The LSOA is outlined in magenta. " if view.area else ""
    st.caption(f"{outlined}Hover over an area for its name and decile. {BOUNDARY_ATTRIBUTION}")
    downloads.map_downloads(
        view.year, view.la, profile_cache.IMD_DECILE, "national_deciles", 10, "viridis", view.area, key="profile.mapdl"
    )


def _table_beside_the_map(heading: str, map_heading: str, frame, title: str, what: str, label: str, **options) -> None:
    """A table with its CSV (``profile.<what>.csv``) on the left, the map of the LA's LSOAs on the right."""
    left, right = st.columns([1, 1], gap="medium")
    with left:
        st.header(heading, anchor=False)
        downloads.table_with_download(
            frame,
            export.csv_header(title, vintage),
            export.safe_filename("placemap", code, view.year, what),
            f"profile.{what}.csv",
            label,
            fit_height=True,
            **options,
        )
    with right:
        st.header(map_heading, anchor=False)
        _place_map()


if kind == profile.LSOA:
    row = areas.loc[view.area]
    name = str(row["area_name"])
    st.title(f"{md(name)}: area profile", anchor=False)
    st.caption(
        f"LSOA {md(view.area)} · Ward: {md(row['ward_name'])} · {md(la_name)} · {vintage.source} ({vintage.lsoa_label})"
    )
else:
    name = la_name
    st.title(f"{md(name)}: area profile", anchor=False)
    st.caption(
        f"Local authority {md(view.la)} · {int((areas['la_code'] == view.la).sum()):,} LSOAs · {vintage.source} "
        f"({vintage.la_label}). {vintage.la_note}"
    )
profile_controls.show_page_notes(state.P_NOTES)
downloads.report_download(view.year, code, name, key="profile.report")

if kind == profile.LSOA:
    table = profile.lsoa_profile_table(areas, view.area, vintage)
    st.subheader("Key points", anchor=False)
    st.markdown("\n".join(f"- {md(s)}" for s in profile.profile_sentences(table)))

    spine = chart_cache.lazy(
        charts.lsoa_spine_chart, table, name=name, code=view.area, la_name=la_name, vintage=vintage
    )
    chart_cache.show(spine, theme=None, width="content")
    downloads.chart_downloads(
        spine, export.safe_filename("placemap", view.area, view.year, "spine"), "profile.spine", name="Spine chart"
    )

    _table_beside_the_map(
        "Ranks and deciles",
        f"Where it is in {md(la_name)}",
        table[["Domain", "Rank", "Decile", "LA median rank", "In words"]],
        f"Ranks and deciles of {name} ({view.area}), {la_name}",
        "ranks",
        "Ranks and deciles as CSV",
        caption=f"The spine chart in numbers. Rank 1 = the most deprived of {vintage.n_lsoas:,} LSOAs in "
        f"England; England's middle rank is {(vintage.n_lsoas + 1) // 2:,}.",
        column_config={
            "Rank": st.column_config.NumberColumn(format="%d", help=f"1 = most deprived of {vintage.n_lsoas:,}"),
            "Decile": st.column_config.NumberColumn(format="%d", help="1 = most deprived 10% in England"),
            "LA median rank": st.column_config.NumberColumn(format="%d", help=f"The middle LSOA of {la_name}"),
        },
    )

    st.header("In each edition", anchor=False)
    history = profile_cache.load_history(view.year, view.area)
    st.caption(
        "The IMD decile of this LSOA in every edition. Editions before 2025 use 2011 LSOAs, linked to 2021 "
        "LSOAs by the ONS best-fit lookup. Compare deciles and ranks between editions, not scores."
    )
    downloads.table_with_download(
        history,
        export.csv_header(
            f"IMD decile of {name} ({view.area}) in each edition", vintage, "LSOA 2011 to 2021 lookup: ONS"
        ),
        export.safe_filename("placemap", view.area, "editions"),
        "profile.history.csv",
        "Editions as CSV",
        column_config={"IMD rank": st.column_config.NumberColumn(format="%d")},
    )
    measure_spine_section(view.year, view.area, name, la_name)  # the measures behind the indices
    _similar_section("Similar LSOAs in England", profile_cache.load_similar(view.year, view.area), "LSOA code")
else:
    summaries = profile_cache.load_la_summaries(view.year)
    official = la_summaries.la_summary_table(summaries, view.la, view.year)
    n_las = la_summaries.la_count(summaries)
    sentences, counts = profile_cache.load_la_key_points(view.year, view.la)
    st.subheader("Key points", anchor=False)
    st.markdown("\n".join(f"- {md(s)}" for s in sentences))

    distribution = chart_cache.lazy(charts.la_decile_chart, counts, la_name=la_name, vintage=vintage)
    chart_cache.show(distribution, theme=None, width="content")
    downloads.chart_downloads(
        distribution,
        export.safe_filename("placemap", view.la, view.year, "deciles"),
        "profile.deciles",
        name="Deciles chart",
    )

    _table_beside_the_map(
        "LSOAs in each national decile",
        "The map",
        profile.decile_counts_table(counts),
        f"LSOAs of {la_name} in each national decile",
        "deciles",
        "Deciles table as CSV",
        caption="The chart in numbers: how many of the LA's LSOAs are in each national decile (1 = most deprived 10%).",
    )

    st.header("Official summary measures", anchor=False)
    st.caption(f"{la_summaries.READING_NOTE} Ranks are out of {n_las} local authorities.")
    if vintage.year in la_summaries.NOTES:
        st.caption(la_summaries.NOTES[vintage.year])
    if len(official):
        downloads.table_with_download(
            official,
            export.csv_header(
                f"Official LA summary measures of {la_name}", vintage, f"Table: {vintage.summary_file.split('/')[-1]}"
            ),
            export.safe_filename("placemap", view.la, view.year, "summary"),
            "profile.summary.csv",
            "Summary measures as CSV",
            column_config={
                "Proportion of LSOAs in most deprived 10%": st.column_config.NumberColumn(format="percent"),
                "Extent": st.column_config.NumberColumn(format="percent"),
            },
        )
    else:
        st.info(f"The {vintage.label} summary table has no row for {md(la_name)} ({view.la}).")

    place_measures_section(
        view.year,
        tuple(areas.index[areas["la_code"] == view.la]),
        la_name,
        export.safe_filename("placemap", view.la, view.year),
        key="profile.la.measures.csv",
    )

    st.header("Most and least deprived LSOAs", anchor=False)
    most, least = profile.la_extremes(areas, view.la, vintage, n=10)
    link_config = {
        "Profile": st.column_config.LinkColumn("Profile", display_text="Open profile"),
        "IMD rank": st.column_config.NumberColumn(format="%d"),
    }
    extremes = (("Most deprived (IMD)", most, "most"), ("Least deprived (IMD)", least, "least"))
    for column, (heading, frame, key) in zip(st.columns(2, gap="medium"), extremes, strict=True):
        with column:
            st.subheader(heading, anchor=False)
            st.dataframe(
                frame.drop(columns=["Ward"]).assign(
                    Profile=[profile_links.profile_href(view.year, c) for c in frame["LSOA code"]]
                ),
                hide_index=True,
                width="stretch",
                column_config=link_config,
            )
            downloads.table_download(
                frame,
                export.csv_header(f"{heading} LSOAs of {la_name}", vintage),
                export.safe_filename("placemap", view.la, view.year, key),
                key=f"profile.{key}.csv",
                label=f"{heading.split(' (')[0]} LSOAs as CSV",
            )
    _similar_section("Similar local authorities", profile_cache.load_similar(view.year, view.la), "LA code")

st.caption(
    f"Sources: {vintage.citation} {BOUNDARY_ATTRIBUTION} See *About the data* for licences and how to read ranks."
)
