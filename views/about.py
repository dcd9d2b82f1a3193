"""About the data: what each dataset is, its edition, licence and attribution; how to read ranks."""

import streamlit as st

from placemap.data.catalogue import (
    BOUNDARY_ATTRIBUTION,
    DOMAINS,
    IOD_ATTRIBUTION,
    OGL_URL,
    VINTAGES,
)
from placemap.ui import access, page_setup, upload_controls

st.title("About the data")
st.markdown(
    "Placemap ships real open data for every Lower layer Super Output Area (LSOA) in England. "
    "LSOAs are small areas of about 1,500 residents; local authority districts (LAs) are made of them."
)

st.header("How to read the Indices of Deprivation")
st.markdown(
    """
- **Rank**: 1 is the most deprived LSOA in England; the largest rank is the least deprived.
- **Decile**: England's LSOAs split into ten equal groups by rank; **decile 1 is the most deprived 10%**.
- **Score**: the published domain score; a higher score means more deprived. Income and employment
  scores are the share of people who are deprived.
- Deprivation is relative: an area outside the most deprived 10% may still have many deprived people.
- **Scores are not comparable between editions** (2015, 2019, 2025): methods, indicators and LSOA
  boundaries changed. MHCLG advises comparing ranks and deciles between editions, not scores.
- On the map every indicator is drawn the same way round: **darker = more deprived**, whatever the
  measure; areas with no data are white with a dashed outline and named "No data" in the legend.
"""
)

st.header("Domains")
st.dataframe(
    [
        {
            "Domain": d.label,
            "What it measures": d.description,
            "Part of": d.parent or "",
            "IMD weight": f"{d.weight:.1%}" if d.weight else "",
        }
        for d in DOMAINS
    ],
    hide_index=True,
    width="stretch",
)

st.header("Datasets")
st.dataframe(
    [
        {
            "Dataset": f"{v.label}: LSOA ranks, deciles{', scores' if v.year != 2019 else ''}",
            "Publisher": v.source,
            "Geography": f"{v.n_lsoas:,} LSOAs ({v.lsoa_label})",
            "Licence": "OGL v3.0",
        }
        for v in VINTAGES
    ]
    + [
        {
            "Dataset": "IoD LA summaries (2025, 2019)",
            "Publisher": "MHCLG (File 10)",
            "Geography": "Local authority districts",
            "Licence": "OGL v3.0",
        },
        {
            "Dataset": "IoD2015 LA summaries re-aggregated to 2021 LAs (not official)",
            "Publisher": "humaniverse/IMD",
            "Geography": "2021 LAs",
            "Licence": "OGL v3.0",
        },
        {
            "Dataset": "LSOA (2021) boundaries, full clipped, simplified",
            "Publisher": "ONS via geographr",
            "Geography": "33,755 LSOAs",
            "Licence": "OGL v3.0",
        },
        {
            "Dataset": "LSOA (2011) boundaries, super generalised clipped (BSC)",
            "Publisher": "ONS",
            "Geography": "32,844 LSOAs",
            "Licence": "OGL v3.0",
        },
        {
            "Dataset": "LAD (July 2024) boundaries, ultra generalised clipped (BUC)",
            "Publisher": "ONS",
            "Geography": "296 LAs",
            "Licence": "OGL v3.0",
        },
        {
            "Dataset": "LAD (2019) outlines dissolved from LSOA 2011 BSC (derived, not official)",
            "Publisher": "Placemap from ONS",
            "Geography": "317 LAs",
            "Licence": "OGL v3.0",
        },
        {
            "Dataset": "LSOA→ward→LA lookups (2011→2019, 2021→2024), LSOA 2011→2021 lookup, Rural-Urban Classification 2021",
            "Publisher": "ONS",
            "Geography": "LSOAs",
            "Licence": "OGL v3.0",
        },
        {
            "Dataset": "LA→region lookups (ONS, December 2015 and December 2018), carried to the 2019 and 2024 LAs (derived)",
            "Publisher": "ONS; Placemap",
            "Geography": "LAs, 9 regions",
            "Licence": "OGL v3.0",
        },
    ],
    hide_index=True,
    width="stretch",
)
st.markdown(
    "Ward outlines on the map are LSOAs dissolved by their best-fit ward, so they follow LSOA edges. "
    "The full list of files, sources and processing steps is in `data/README.md`."
)

st.header("Uploaded datasets")
st.caption(
    "Data users added on the Bring your own data page, with the source they stated. Placemap checks their "
    "format and codes, not their content."
)
_uploaded = upload_controls.uploaded_datasets_table()
if _uploaded:
    st.dataframe(_uploaded, hide_index=True, width="stretch")
else:
    st.markdown("None yet.")
access.changes_expander(page_setup.open_store()[0], access.current_actor())

st.header("Attribution")
st.markdown(
    f"""
- Indices of Deprivation, lookups and classifications: *{IOD_ATTRIBUTION}* Published by the Ministry of
  Housing, Communities and Local Government (MHCLG; DCLG in 2015, DLUHC 2021–2024).
- Boundaries: *{BOUNDARY_ATTRIBUTION}*
- Licence: [Open Government Licence v3.0]({OGL_URL}).
"""
)
