"""Bring your own data: upload indicators (CSV/Excel) and boundaries, checked, mapped, saved and shared."""

import hashlib
import secrets

import streamlit as st
from streamlit_folium import st_folium

from placemap.community import roles
from placemap.data.catalogue import DOMAINS, VINTAGES, get_vintage
from placemap.data.place_types import Place
from placemap.data.prepare import bounds_of, escape_markdown
from placemap.links import explorer_links, place_links, upload_links
from placemap.render import export, maps, uploaded_maps
from placemap.storage import upload_store
from placemap.storage.store import StoreError
from placemap.ui import access, client, page_setup, state, upload_cache, upload_controls
from placemap.uploads import table as upload_table
from placemap.uploads import uploaded_boundaries as ub

st.title("Bring your own data", anchor=False)
st.markdown(
    "Add local figures (a council's school attendance, a food bank's referrals, a survey) or local "
    "boundaries (a neighbourhood plan area) and see them beside the official Indices of Deprivation. "
    f"Tables up to **{upload_table.size_text(upload_table.MAX_TABLE_BYTES)}** (every LSOA in England with ten columns is about "
    f"3 MB); boundary files up to **{upload_table.size_text(ub.MAX_BOUNDARY_BYTES)}** (the server's upload cap), at most "
    f"{ub.MAX_FEATURES:,} areas. A session holds up to {upload_table.MAX_SESSION_DATASETS} datasets. Uploads stay in "
    "this browser session unless you save them."
)

db, db_problem = page_setup.open_store()
share_id, notes = upload_links.parse_upload_id(st.query_params.to_dict())
st.session_state.setdefault(state.UP_NOTES, []).extend(notes)
upload_controls.open_shared_upload(db, share_id)
for note in st.session_state.pop(state.UP_NOTES, []):
    st.info(note)
actor = access.current_actor()
save_refusal = access.refusal(actor, "save_upload")


def _save(dataset, kind: str, geography: str | None, n_items: int) -> None:
    if db is None:
        st.error(escape_markdown(db_problem or "The database is unavailable."))
        return
    if save_refusal:
        st.info(f"Not saved to the database: {escape_markdown(save_refusal)}")
        return

    def within_limit() -> None:
        if refusal := client.refusal("saved_upload"):
            raise StoreError(f"Added to this session, but not saved to the database: {refusal}")

    try:
        new_id = upload_store.save_upload(
            db,
            kind,
            dataset.name,
            dataset.source,
            dataset.to_payload(),
            geography,
            n_items,
            within_limit,
            owner=actor.id,
            by=actor.label,
        )
    except StoreError as exc:
        st.error(escape_markdown(str(exc)))
        return
    st.success(f"Saved. Share it with this link: `?upload={new_id}` (anyone with the link can open it).")
    st.query_params[upload_links.UPLOAD] = new_id


tab_table, tab_bounds, tab_saved = st.tabs(["Indicators (CSV or Excel)", "Boundaries", "Your datasets"])

with tab_table:
    st.markdown(
        "One row per area, a column of area codes (LSOA 2011 or 2021 `E01…`, ward `E05…`, local authority "
        "`E06…`–`E09…`) or names that match exactly, and one column per indicator. CSV (comma, semicolon "
        "or tab; UTF-8 or Windows-1252) or Excel (.xlsx, first sheet)."
    )
    file = st.file_uploader(
        "Table of indicators",
        type=["csv", "txt", "tsv", "xlsx"],
        key=state.W_UP_TABLE,
        max_upload_size=upload_table.MAX_TABLE_BYTES // (1024 * 1024),
    )
    if file is not None:
        data = file.getvalue()
        geo_choice = st.selectbox(
            "Geography of the codes",
            [None, *upload_table.GEOGRAPHY_LABELS],
            key=state.W_UP_TABLE_GEO,
            format_func=lambda g: "Detect from the codes" if g is None else upload_table.GEOGRAPHY_LABELS[g],
        )
        check = upload_cache.check_uploaded_table(data, file.name, geo_choice)
        page_setup.show_messages(check.messages)
        if check.raw is not None:
            st.subheader("Preview", anchor=False)
            st.caption(
                f"The first rows as read ({check.encoding or 'Excel'}"
                f"{', ' + upload_table.DELIMITERS[check.delimiter] + '-separated' if check.delimiter else ''}). "
                f"Key column: {escape_markdown(check.key_column or 'none found')}."
            )
            st.dataframe(check.raw.head(10), hide_index=True, width="stretch")
        for frame, what, filename in (
            (check.unmatched, "Rows that did not match an area", "unmatched_rows.csv"),
            (check.non_numeric, "Cells that are not numbers", "cells_not_numbers.csv"),
        ):
            if frame is not None and len(frame):
                st.subheader(what, anchor=False)
                st.dataframe(frame.head(200), hide_index=True, width="stretch")
                st.download_button(
                    f"Download the {len(frame):,} rows (CSV)",
                    export.to_safe_csv(frame, [what, f"File: {file.name}"]),
                    file_name=filename,
                    mime="text/csv",
                    key=f"upload.dl.{filename}",
                )
        if check.ok:
            st.subheader("Describe each indicator", anchor=False)
            domains = {upload_table.LOCAL_DOMAIN: "Local data (not a domain of deprivation)"} | {
                d.id: d.label for d in DOMAINS if d.parent is None
            }
            with st.form("upload.describe"):
                specs = []
                for i, column in enumerate(check.value_columns):
                    st.markdown(f"**Column {i + 1}: {escape_markdown(column)}**")
                    c1, c2, c3, c4 = st.columns([3, 2, 2, 3])
                    label = c1.text_input("Label", value=column[:80], key=f"upload.label.{i}", max_chars=120)
                    unit = c2.text_input("Unit", key=f"upload.unit.{i}", max_chars=40, placeholder="e.g. % of pupils")
                    domain = c3.selectbox("Domain", list(domains), format_func=domains.get, key=f"upload.domain.{i}")
                    polarity = c4.radio(
                        "Which way is worse?",
                        list(upload_table.POLARITIES),
                        format_func=upload_table.POLARITIES.get,
                        key=f"upload.polarity.{i}",
                    )
                    specs.append(upload_table.ColumnSpec(column, label, unit, domain, polarity))
                name = st.text_input("Name of the dataset", value=file.name.rsplit(".", 1)[0][:80], key=state.W_UP_NAME)
                source = st.text_area("Source (who published it, when, licence)", key=state.W_UP_SOURCE, max_chars=1000)
                save = not save_refusal and st.checkbox(
                    "Also save it to the database, to reopen and share by link", key=state.W_UP_SAVE
                )
                added = st.form_submit_button("Add to this session", type="primary")
            if added:
                table = upload_table.UploadedTable(
                    secrets.token_hex(4),
                    name.strip() or file.name,
                    source.strip(),
                    check.geography,
                    check.values,
                    specs,
                )
                problem = upload_controls.add_to_session(table, len(data))
                if problem:
                    st.error(problem)
                else:
                    st.session_state[state.W_MAP_UPLOADED] = table.indicators()[0].id
                    st.success(
                        f"Added {len(specs)} indicator(s) for this session. Choose them under **Your data** on the map explorer, and find them on the profile, compare, systems, priority, hot-spot, change and evaluation pages."
                    )
                    if save:
                        _save(table, "indicators", check.geography, len(table.values))
            st.page_link("views/map.py", label="Open the map explorer", icon=":material/map:")

with tab_bounds:
    st.markdown(
        "GeoJSON, GeoPackage or a zipped shapefile of your own areas, in any stated coordinate reference "
        "system. The official indicators are aggregated to them by population-weighted overlay."
    )
    file = st.file_uploader("Boundary file", type=["geojson", "json", "gpkg", "zip"], key=state.W_UP_BOUNDS)
    crs = st.text_input(
        "CRS, if the file does not state one", key=state.W_UP_CRS, max_chars=40, placeholder="e.g. EPSG:27700"
    ).strip()
    if file is not None:
        data = file.getvalue()
        check = upload_cache.check_uploaded_boundaries(
            data, file.name, crs or None, st.session_state.get(state.W_UP_NAME_COL)
        )
        page_setup.show_messages(check.messages)
        if check.ok:
            if check.columns:
                st.selectbox(
                    "Column of area names",
                    check.columns,
                    key=state.W_UP_NAME_COL,
                    index=check.columns.index(check.name_column) if check.name_column in check.columns else 0,
                )
            dataset_id = "b" + hashlib.sha1(data).hexdigest()[:8]  # the same file keeps its id across reruns
            areas = ub.UploadedAreas(dataset_id, file.name.rsplit(".", 1)[0][:80], "", check.areas)
            year = st.selectbox(
                "Edition to aggregate", [v.year for v in VINTAGES], format_func=lambda y: f"IoD{y}", key=state.W_UP_YEAR
            )
            measures = ub.aggregate_measures(year)
            geojson = check.areas[[ub.AREA_ID, ub.AREA_LABEL, "geometry"]].to_json()
            aggregates = upload_cache.load_upload_aggregates(year, dataset_id, geojson)
            by_column = {m.column: m for m in measures}
            measure = by_column[
                st.selectbox(
                    "Measure", list(by_column), format_func=lambda c: by_column[c].label, key=state.W_UP_MEASURE
                )
            ]
            st.caption(
                f"**Method.** {ub.METHOD_NOTE}"
                + (f" {ub.POPULATION_2025_NOTE}" if year == 2025 else " Weights: IoD2019's mid-2015 LSOA populations.")
            )
            vintage = get_vintage(year)
            classification, payload, table = uploaded_maps.areas_choropleth(
                areas, aggregates, measure, 5, "viridis", vintage.n_lsoas
            )
            features = areas.features()
            col_map, col_side = st.columns([3, 2], gap="medium")
            with col_map:
                base = maps.build_base_map(
                    features, bounds_of(check.areas), attribution=f"{vintage.label}, MHCLG · Your boundaries"
                )
                st_folium(
                    base,
                    key=state.W_UP_MAP,
                    height=480,
                    use_container_width=True,
                    returned_objects=[],
                    feature_group_to_add=[maps.build_style_layer(payload)],
                )
            with col_side:
                st.html(
                    maps.LEGEND_CSS
                    + maps.legend_html(
                        measure.label, f"{vintage.label} · your {len(table)} areas · quantiles", classification
                    )
                )
            st.dataframe(table, hide_index=True, width="stretch")
            full = uploaded_maps.aggregates_table(areas, aggregates, measures)
            st.download_button(
                "Download every measure for your areas (CSV)",
                export.to_safe_csv(
                    full, [f"Official measures aggregated to {file.name}", vintage.citation, ub.METHOD_NOTE]
                ),
                file_name=f"placemap_your_areas_{year}.csv",
                mime="text/csv",
                key="upload.dl.areas",
            )
            with st.form("upload.keep_areas"):
                name = st.text_input("Name of the areas", value=areas.name, key=state.W_UP_B_NAME, max_chars=200)
                source = st.text_area("Source of the boundaries", key=state.W_UP_B_SOURCE, max_chars=1000)
                save = not save_refusal and st.checkbox(
                    "Also save them to the database, to reopen and share by link", key="upload.b_save"
                )
                if st.form_submit_button("Add to this session (shown as outlines on the map explorer)"):
                    kept = ub.UploadedAreas(dataset_id, name.strip() or areas.name, source.strip(), check.areas)
                    problem = upload_controls.add_to_session(kept, len(data))
                    if problem:
                        st.error(problem)
                    else:
                        st.success(
                            "Added: your areas are drawn as orange dashed outlines on the map explorer, and each has a profile."
                        )
                        st.page_link(
                            "views/profile.py",
                            label="Open the profile of your first area",
                            icon=":material/article:",
                            query_params={
                                explorer_links.YEAR: str(year),
                                place_links.PLACE: Place("upload", f"{kept.id}:{kept.areas.index[0]}").to_param(),
                            },
                        )
                        if save:
                            _save(kept, "areas", None, len(kept.areas))

with tab_saved:
    st.subheader("In this session", anchor=False)
    datasets = upload_controls.session_uploads()
    if not datasets:
        st.caption("Nothing uploaded in this session yet.")
    for dataset_id, dataset in list(datasets.items()):
        c1, c2 = st.columns([5, 1])
        kind = "indicators" if isinstance(dataset, upload_table.UploadedTable) else "areas"
        c1.markdown(
            f"**{escape_markdown(dataset.name)}** ({kind}) · source: {escape_markdown(dataset.source or 'not stated')}"
        )
        if c2.button("Remove", key=f"upload.remove.{dataset_id}"):
            upload_controls.remove_from_session(dataset_id)
            st.rerun()
    # Everyone's saved datasets for moderators; otherwise only one's own (others' share ids stay private).
    everyone = roles.can(actor.role, "delete_any_upload")
    st.subheader("Saved in the database" if everyone else "Saved in the database by you", anchor=False)
    if save_refusal:
        st.caption(f"Saving to the database: {escape_markdown(save_refusal)}")
    if db is None:
        st.warning(escape_markdown(db_problem or "The database is unavailable."))
    else:
        try:
            saved = upload_store.list_uploads(db) if everyone else upload_store.list_uploads(db, owner=actor.id)
        except StoreError as exc:
            saved = []
            st.warning(escape_markdown(str(exc)))
        if not saved:
            st.caption("No saved datasets yet.")
        for item in saved:
            c1, c2, c3 = st.columns([5, 1, 1])
            c1.markdown(
                f"**{escape_markdown(item.name)}** · {item.kind} · {item.n_items:,} rows/areas · source: "
                f"{escape_markdown(item.source)} · saved {item.created_at:%d %b %Y}"
            )
            c2.link_button("Open", f"?{upload_links.UPLOAD}={item.share_id}")
            may_delete = roles.can(actor.role, "delete_upload", owner=item.created_by, actor_id=actor.id)
            if may_delete and c3.button("Delete", key=f"upload.delete.{item.share_id}"):
                try:
                    upload_store.delete_upload(db, item.share_id, owner=actor.id, any_owner=everyone, by=actor.label)
                except StoreError as exc:
                    st.error(escape_markdown(str(exc)))
                else:
                    upload_controls.remove_from_session(item.share_id)
                    st.rerun()
    st.caption(
        "Anyone with a saved dataset's link can open it; only the person who saved it, or a moderator, "
        'can delete it. Without sign-in, "the person who saved it" is this browser session.'
    )
    access.changes_expander(db, actor, ("upload",))
