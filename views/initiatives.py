"""Initiatives and partners: who is working where, on what, with whom."""

import datetime as dt

import streamlit as st

from placemap.community import initiatives as ini
from placemap.community.workshop import ModerationError
from placemap.data import prepare
from placemap.data.catalogue import BOUNDARY_ATTRIBUTION, DEFAULT_LA
from placemap.render import export, maps
from placemap.storage import community, store
from placemap.ui import access, cache, client, map_panel, page_setup, state, workshop_cache

YEAR = 2025
la_options = cache.load_la_options(YEAR)
db, db_error = page_setup.open_store()

st.title("Initiatives and partners", anchor=False)
st.markdown(
    "Place-based initiatives recorded by councils, schools, health, police, the voluntary and community sector, "
    "businesses and residents: what they work on, where, and with whom. Areas are IoD2025's LSOAs (2021) and wards."
)
if db_error:
    st.error(f"The register is unavailable: {prepare.escape_markdown(db_error)}", icon=":material/database:")
items: list[ini.Initiative] = []
if db is not None:
    try:
        items = community.list_initiatives(db)
    except store.StoreError as exc:
        st.error(prepare.escape_markdown(str(exc)))

st.session_state.setdefault(state.W_IN_LA, DEFAULT_LA)
la = st.sidebar.selectbox("Local authority", list(la_options), format_func=la_options.get, key=state.W_IN_LA)
st.sidebar.subheader("Filter the list")
f_domain = st.sidebar.selectbox(
    "Domain",
    [None, *ini.DOMAIN_OPTIONS],
    format_func=lambda d: "Any" if d is None else ini.DOMAIN_OPTIONS[d],
    key=state.W_IN_FILTER_DOMAIN,
)
f_sector = st.sidebar.selectbox(
    "Partner sector",
    [None, *ini.SECTORS],
    format_func=lambda s: "Any" if s is None else ini.SECTORS[s],
    key=state.W_IN_FILTER_SECTOR,
)
f_status = st.sidebar.selectbox(
    "Status",
    [None, *ini.STATUSES],
    format_func=lambda s: "Any" if s is None else ini.STATUSES[s],
    key=state.W_IN_FILTER_STATUS,
)
f_text = st.sidebar.text_input("Name or organisation contains", max_chars=100, key=state.W_IN_FILTER_TEXT)

areas = prepare.areas_in(cache.load_areas(YEAR), (la,))
ward_of = dict(zip(areas.index, areas["ward_code"], strict=True))
local_codes = set(areas.index) | set(areas["ward_code"])
local = ini.filter_initiatives(items, domain=f_domain, sector=f_sector, status=f_status, text=f_text, codes=local_codes)
counts = tuple(int(c) for c in ini.coverage_counts(local, list(areas.index), ward_of))
classification, payload = workshop_cache.load_coverage_style(YEAR, la, counts)
layers = cache.load_place_layers(YEAR, (la,))

map_col, side_col = st.columns([3, 2], gap="medium")
with map_col:
    map_panel.show_place_style_map(
        layers, "Boundaries: ONS · OGL v3.0", payload, state.W_IN_MAP, context=False, height=520
    )
    st.caption(f"Each LSOA coloured by how many of the listed initiatives cover it. {BOUNDARY_ATTRIBUTION}")
with side_col:
    st.html(maps.LEGEND_CSS + maps.legend_html("Initiatives working here", la_options[la], classification))

st.header(f"Initiatives in {la_options[la]} ({len(local)})", anchor=False)
table = ini.initiatives_frame(local)
st.dataframe(table, hide_index=True, width="stretch", column_config={"Contact": st.column_config.LinkColumn("Contact")})
st.download_button(
    "Download the list (CSV)",
    export.to_safe_csv(table, [f"Initiatives in {la_options[la]}", "Placemap"]),
    file_name=f"placemap_initiatives_{la}.csv",
    mime="text/csv",
    icon=":material/download:",
)

st.header("Record an initiative", anchor=False)
actor = access.current_actor()
write_refusal = access.refusal(actor, "write_initiative")  # a viewer (below editor) cannot moderate either
if db is None:
    st.caption("Recording needs the database (see above).")
elif write_refusal:
    st.info(f"Recording an initiative: {prepare.escape_markdown(write_refusal)}", icon=":material/lock:")
else:
    area_options = cache.load_area_options(YEAR, (la,))
    wards = areas[["ward_code", "ward_name"]].drop_duplicates().sort_values("ward_name")
    ward_names = dict(zip(wards["ward_code"], wards["ward_name"], strict=True))
    with st.form("init.form"):
        name = st.text_input("Name of the initiative", max_chars=ini.NAME_MAX)
        lead = st.text_input("Lead organisation", max_chars=ini.ORG_MAX)
        st.markdown("Partner organisations (one per row, with their sector)")
        partners = st.data_editor(
            [{"Organisation": "", "Sector": None}],
            num_rows="dynamic",
            key="init.partners",
            width="stretch",
            column_config={
                "Organisation": st.column_config.TextColumn(max_chars=ini.ORG_MAX),
                "Sector": st.column_config.SelectboxColumn(options=list(ini.SECTORS.values())),
            },
        )
        domains = st.multiselect("Domains it works on", list(ini.DOMAIN_OPTIONS), format_func=ini.DOMAIN_OPTIONS.get)
        chosen_wards = st.multiselect("Wards covered", list(ward_names), format_func=ward_names.get)
        chosen_lsoas = st.multiselect("LSOAs covered", list(area_options), format_func=area_options.get)
        c1, c2, c3 = st.columns(3)
        status = c1.selectbox("Status", list(ini.STATUSES), format_func=ini.STATUSES.get, index=1)
        start = c2.date_input("Start date", value=None, min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1))
        end = c3.date_input(
            "End date (if known)", value=None, min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1)
        )
        url = st.text_input("Contact link (https://…)", max_chars=ini.URL_MAX)
        description = st.text_area("What it does", max_chars=ini.DESCRIPTION_MAX)
        if st.form_submit_button("Save the initiative", type="primary"):
            by_label = {v: k for k, v in ini.SECTORS.items()}
            try:
                item = ini.validate_initiative(
                    ini.Initiative(
                        name=name,
                        lead_org=lead,
                        domains=tuple(domains),
                        status=status,
                        start_date=start,
                        end_date=end,
                        partners=tuple(
                            ini.Partner(str(r.get("Organisation") or ""), by_label.get(r.get("Sector"), ""))
                            for r in partners
                        ),
                        area_codes=(*chosen_wards, *chosen_lsoas),
                        contact_url=url,
                        description=description,
                    )
                )
                if refusal := client.refusal("initiative"):  # after the checks: a mistake does not use it up
                    raise ini.InitiativeError(refusal)
                community.save_initiative(db, item, by=actor.label)
            except ini.InitiativeError as exc:
                st.warning(f"Not saved: {exc}")
            except store.StoreError as exc:
                st.error(f"Not saved: {prepare.escape_markdown(str(exc))}")
            else:
                st.success("Saved. It is on the map and in the list.")
                st.rerun()

    facilitator = access.moderator_grant(".init")
    if facilitator is not None and local:
        names = {i.share_id: i.name for i in local}
        target = st.selectbox("Remove an initiative from the register", list(names), format_func=names.get)
        if st.button("Remove", key="init.remove"):
            try:
                community.delete_initiative(db, facilitator, target, by=actor.label)
            except (ModerationError, store.StoreError) as exc:
                st.error(f"Not removed: {prepare.escape_markdown(str(exc))}")
            else:
                st.rerun()
    access.changes_expander(db, actor, ("initiative",))
