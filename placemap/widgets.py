"""Shared pickers with stable keys, seeded from the URL and validated before drawing.

A widget's stored value is checked against its current options *before* the
widget is created, so a stale or hostile value (from a link, or left over after
the edition changed) falls back with a visible note instead of an exception.
"""

from __future__ import annotations

import streamlit as st

from placemap import cache, hotspots, priority, state, systems
from placemap.catalogue import (
    DEFAULT_INDICATOR,
    DEFAULT_LA,
    VINTAGES,
    domains_for,
    get_domain,
    get_indicator,
    measure_label,
    measures_for,
)
from placemap.classify import MAX_CLASSES, MIN_CLASSES, PALETTES, SCHEMES
from placemap.maps import BASEMAPS


def la_options_all() -> dict[int, dict[str, str]]:
    """LA code -> name for every edition."""
    return {v.year: cache.load_la_options(v.year) for v in VINTAGES}


def _note(text: str) -> None:
    st.session_state.setdefault(state.NOTES, []).append(text)


def clear_notes() -> None:
    """Forget fallback notes once the user changes the view themselves."""
    st.session_state[state.NOTES] = []


def _seed(view: state.View) -> None:
    ind = get_indicator(view.indicator)
    st.session_state[state.W_YEAR] = view.year
    st.session_state[state.W_LA] = view.la
    st.session_state[state.W_DOMAIN] = ind.domain
    st.session_state[state.W_MEASURE] = ind.id
    st.session_state[state.W_SCHEME] = view.scheme
    st.session_state[state.W_CLASSES] = view.k
    st.session_state[state.W_PALETTE] = view.palette
    st.session_state[state.W_BASEMAP] = view.basemap
    st.session_state[state.W_AREA] = view.area


def explorer_controls(la_options: dict[int, dict[str, str]]) -> state.View:
    """Draw the map explorer's sidebar controls and return the validated view."""
    if state.W_YEAR not in st.session_state:
        view, notes = state.read_view(la_options)
        _seed(view)
        st.session_state[state.NOTES] = list(notes)

    st.sidebar.subheader("Place")
    year = st.sidebar.selectbox(
        "Edition of the Indices of Deprivation",
        [v.year for v in VINTAGES],
        format_func=lambda y: f"IoD{y}",
        key=state.W_YEAR,
        on_change=clear_notes,
    )
    options = la_options[year]
    if st.session_state.get(state.W_LA) not in options:
        old = st.session_state.get(state.W_LA)
        if old:
            _note(
                f"{old} is not a local authority in IoD{year}'s geography; showing {options.get(DEFAULT_LA, DEFAULT_LA)}."
            )
        st.session_state[state.W_LA] = DEFAULT_LA if DEFAULT_LA in options else next(iter(options))
        st.session_state[state.W_AREA] = None
    la = st.sidebar.selectbox(
        "Local authority (type to search)",
        list(options),
        format_func=options.get,
        key=state.W_LA,
        on_change=_la_changed,
    )
    # Before the map in the tab order: the keyboard route to selecting an area.
    area = area_picker(cache.load_area_options(year, (la,)), options[la])

    st.sidebar.subheader("Indicator")
    domains = domains_for(year)
    domain_ids = [d.id for d in domains]
    previous = st.session_state.get(state.W_MEASURE) or DEFAULT_INDICATOR
    if st.session_state.get(state.W_DOMAIN) not in domain_ids:
        _note(f"{get_domain(st.session_state[state.W_DOMAIN]).label} is not published in IoD{year}; showing the IMD.")
        st.session_state[state.W_DOMAIN] = "imd"
    domain = st.sidebar.selectbox(
        "Domain",
        domain_ids,
        format_func=lambda d: get_domain(d).label,
        key=state.W_DOMAIN,
        on_change=clear_notes,
    )
    measures = measures_for(year, domain)
    measure_ids = [m.id for m in measures]
    if st.session_state.get(state.W_MEASURE) not in measure_ids:
        kind = get_indicator(previous).measure
        same_kind = [m.id for m in measures if m.measure == kind and m.subdomain is None]
        st.session_state[state.W_MEASURE] = same_kind[0] if same_kind else measure_ids[0]
        if get_indicator(previous).domain == domain:
            _note(
                f"{get_indicator(previous).label} is not published in IoD{year}; showing {get_indicator(st.session_state[state.W_MEASURE]).label}."
            )
    indicator = st.sidebar.selectbox(
        "Measure",
        measure_ids,
        format_func=lambda i: measure_label(get_indicator(i)),
        key=state.W_MEASURE,
        on_change=clear_notes,
    )

    st.sidebar.subheader("Colours")
    scheme = st.sidebar.selectbox("Classification", list(SCHEMES), format_func=SCHEMES.get, key=state.W_SCHEME)
    if scheme == "national_deciles":
        # Not a disabled slider: disabled controls are hard to read (and skipped by screen readers).
        st.sidebar.caption("National deciles always use England's ten deciles.")
        k = 10
    else:
        k = st.sidebar.slider("Number of classes", MIN_CLASSES, MAX_CLASSES, key=state.W_CLASSES)
    palette = st.sidebar.selectbox(
        "Palette (colour-blind safe)",
        list(PALETTES),
        format_func=lambda p: PALETTES[p][0],
        key=state.W_PALETTE,
    )
    basemap = st.sidebar.radio("Basemap", list(BASEMAPS), format_func=BASEMAPS.get, key=state.W_BASEMAP)
    return state.View(
        year=year,
        la=la,
        indicator=indicator,
        scheme=scheme,
        k=k,
        palette=palette,
        area=area,
        basemap=basemap,
    )


def _la_changed() -> None:
    clear_notes()
    st.session_state[state.W_AREA] = None


def area_picker(area_options: dict[str, str], la_name: str) -> str | None:
    """The keyboard route to selecting an area: a searchable list of the place's LSOAs."""
    current = st.session_state.get(state.W_AREA)
    if current and current not in area_options:
        _note(f"{current} is not an LSOA of {la_name} in this edition; no area is selected.")
        st.session_state[state.W_AREA] = None
    return st.sidebar.selectbox(
        "Area: an LSOA (type a name or code, or click the map)",
        [None, *area_options],
        format_func=lambda c: "—" if c is None else area_options[c],
        key=state.W_AREA,
    )


def handle_map_click(year: int, la_codes: tuple[str, ...]) -> None:
    """``st_folium`` callback: turn a clicked point into the selected area (runs before the page)."""
    value = st.session_state.get(state.W_MAP) or {}
    clicked = value.get("last_clicked") if isinstance(value, dict) else None
    if not clicked:
        return
    try:
        lat, lng = float(clicked["lat"]), float(clicked["lng"])
    except (KeyError, TypeError, ValueError):
        return
    code = cache.area_at(year, la_codes, lat, lng)
    if code:
        st.session_state[state.W_AREA] = code
        clear_notes()


def show_notes() -> None:
    """Show the fallback notes (invalid link values and the like) as one visible message."""
    notes = st.session_state.get(state.NOTES) or []
    if notes:
        st.info("\n".join(f"- {n}" for n in dict.fromkeys(notes)), icon=":material/info:")


HOUSE_CSS = """
<style>
/* Streamlit's captions are light grey (contrast 3.9:1); darken them to pass WCAG AA 4.5:1. */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { color: #4a4a4a !important; opacity: 1 !important; }
[data-testid="stSidebar"] [data-testid="stCaptionContainer"] p { color: #454545 !important; }
</style>
"""


def apply_house_style() -> None:
    """Inject the app-wide CSS (readable captions)."""
    st.html(HOUSE_CSS)


# ---------------------------------------------------------------------------------------
# Systems view, priority finder and hot spots (issue 5): the same pattern as the map
# explorer's controls. Each page seeds its widgets once from its link (or the session's
# last view of the page), validates stored values against the current options before
# drawing a widget, and collects fallback notes under ``<page prefix>notes``.


def _page_note(prefix: str, text: str) -> None:
    st.session_state.setdefault(prefix + "notes", []).append(text)


def show_page_notes(prefix: str) -> None:
    """Show a page's fallback notes as one visible message."""
    notes = st.session_state.get(prefix + "notes") or []
    if notes:
        st.info("\n".join(f"- {n}" for n in dict.fromkeys(notes)), icon=":material/info:")


def _clear_page_notes(prefix: str) -> None:
    st.session_state[prefix + "notes"] = []


def _seed_page(prefix: str, values: dict, notes: list[str]) -> None:
    for key, value in values.items():
        st.session_state[prefix + key] = value
    st.session_state[prefix + "notes"] = list(notes)


def place_controls(
    prefix: str, la_options: dict[int, dict[str, str]], years: tuple[int, ...]
) -> tuple[int, tuple[str, ...]]:
    """Edition and local authorities (several allowed) in the sidebar; stops the page if none is chosen."""
    st.sidebar.subheader("Place")
    year = st.sidebar.selectbox(
        "Edition of the Indices of Deprivation",
        list(years),
        format_func=lambda y: f"IoD{y}",
        key=prefix + "year",
        on_change=_clear_page_notes,
        args=(prefix,),
        help="IoD2015 is not offered here: the bundled 2015 data has no domain ranks.",
    )
    options = la_options[year]
    stored = list(st.session_state.get(prefix + "las") or [])
    kept = [c for c in stored if c in options]
    if len(kept) < len(stored):
        gone = ", ".join(c for c in stored if c not in options)
        _page_note(prefix, f"Not a local authority in IoD{year}'s geography: {gone}; left out.")
        if not kept:
            kept = [DEFAULT_LA if DEFAULT_LA in options else next(iter(options))]
        st.session_state[prefix + "las"] = kept
    las = st.sidebar.multiselect(
        f"Local authorities (type to search; up to {state.MAX_LAS})",
        list(options),
        format_func=options.get,
        key=prefix + "las",
        max_selections=state.MAX_LAS,
        on_change=_clear_page_notes,
        args=(prefix,),
    )
    if not las:
        st.info("Choose at least one local authority under **Place** in the sidebar.", icon=":material/info:")
        st.stop()
    return year, tuple(las)


def place_name(la_options: dict[int, dict[str, str]], year: int, las: tuple[str, ...]) -> str:
    """A place's name for titles: one LA's name, or the first two and how many more."""
    names = [la_options[year].get(c, c) for c in las]
    if len(names) <= 2:
        return " and ".join(names)
    return f"{names[0]}, {names[1]} and {len(names) - 2} more"


def systems_controls(la_options: dict[int, dict[str, str]]) -> state.SystemsView:
    """The systems view's sidebar: place, the LSOA picked, the two indicators, colour and thirds."""
    p = state.W_SYS
    years = tuple(priority.years_with_domains([v.year for v in VINTAGES]))
    axis = {y: systems.axis_options(y) for y in years}
    colours = {y: systems.colour_options(y, n_las=2) for y in years}
    if p + "year" not in st.session_state:
        view, notes = state.read_page_view(
            lambda params: state.parse_systems_view(params, la_options, years, axis, colours),
            state.SYS_LAST,
            (state.YEAR, state.LA, state.X_IND, state.Y_IND, state.COLOUR_BY, state.THIRDS_OF, state.AREA),
        )
        _seed_page(p, {"year": view.year, "las": list(view.las), "x": view.x, "y": view.y,
                       "colour": view.colour, "thirds": view.thirds, "area": view.area}, notes)  # fmt: skip
    year, las = place_controls(p, la_options, years)
    area_options = cache.load_area_options(year, las)
    current = st.session_state.get(p + "area")
    if current and current not in area_options:
        _page_note(p, f"{current} is not an LSOA of the chosen place in IoD{year}; no area is selected.")
        st.session_state[p + "area"] = None
    area = st.sidebar.selectbox(
        "Area: an LSOA (type a name or code, or click the map)",
        [None, *area_options],
        format_func=lambda c: "—" if c is None else area_options[c],
        key=p + "area",
    )

    st.sidebar.subheader("Compare")
    options = axis[year]
    for key, default in (("x", state.SystemsView.x), ("y", state.SystemsView.y)):
        if st.session_state.get(p + key) not in options:
            _page_note(p, f"That indicator is not published in IoD{year}; showing {options[default]}.")
            st.session_state[p + key] = default
    x = st.sidebar.selectbox("Across (x axis)", list(options), format_func=options.get, key=p + "x")
    y = st.sidebar.selectbox("Up (y axis)", list(options), format_func=options.get, key=p + "y")
    colour_opts = systems.colour_options(year, n_las=len(las))
    if st.session_state.get(p + "colour") not in colour_opts:
        if st.session_state.get(p + "colour") == systems.COLOUR_LA:
            _page_note(
                p, f"Colour by local authority needs 2 to {systems.MAX_COLOUR_LAS} LAs; colouring by rural-urban class."
            )
        st.session_state[p + "colour"] = systems.COLOUR_RUC
    colour = st.sidebar.selectbox(
        "Colour the points by", list(colour_opts), format_func=colour_opts.get, key=p + "colour"
    )
    thirds = st.sidebar.radio(
        "Bivariate map: split each indicator into",
        list(systems.THIRDS),
        format_func=systems.THIRDS.get,
        key=p + "thirds",
        help="Three equal-count groups of the chosen place's LSOAs, or England's thirds by national rank.",
    )
    return state.SystemsView(year=year, las=las, x=x, y=y, colour=colour, thirds=thirds, area=area)


def handle_page_map_click(map_key: str, area_key: str, year: int, la_codes: tuple[str, ...]) -> None:
    """``st_folium`` callback for the systems map: a clicked point selects the LSOA under it."""
    value = st.session_state.get(map_key) or {}
    clicked = value.get("last_clicked") if isinstance(value, dict) else None
    if not clicked:
        return
    try:
        lat, lng = float(clicked["lat"]), float(clicked["lng"])
    except (KeyError, TypeError, ValueError):
        return
    code = cache.area_at(year, la_codes, lat, lng)
    if code:
        st.session_state[area_key] = code


def _reset_weights(prefix: str) -> None:
    for domain in priority.SEVEN_DOMAINS:
        st.session_state[f"{prefix}w.{domain}"] = priority.OFFICIAL_WEIGHTS[domain]


def priority_controls(la_options: dict[int, dict[str, str]]) -> state.PriorityView:
    """The priority finder's sidebar: place, overlap rule, weights, stability settings, map shown."""
    p = state.W_PRI
    years = tuple(priority.years_with_domains([v.year for v in VINTAGES]))
    overlap_domains = {y: [d.id for d in domains_for(y) if d.id != "imd"] for y in years}
    if p + "year" not in st.session_state:
        view, notes = state.read_page_view(
            lambda params: state.parse_priority_view(params, la_options, years, overlap_domains),
            state.PRI_LAST,
            (state.YEAR, state.LA, state.DOMAINS_KEY, state.PCT, state.AT_LEAST, state.WEIGHTS, state.SPREAD,
             state.TOP_OF, state.SHOW),
        )  # fmt: skip
        values = {"year": view.year, "las": list(view.las), "doms": list(view.domains), "pct": view.pct,
                  "n": view.at_least, "spread": view.spread, "top": view.top, "show": view.show}  # fmt: skip
        values |= {f"w.{d}": w for d, w in zip(priority.SEVEN_DOMAINS, view.weights, strict=True)}
        _seed_page(p, values, notes)
    year, las = place_controls(p, la_options, years)
    show = st.sidebar.radio(
        "The map shows", list(state.PRIORITY_MAPS), format_func=state.PRIORITY_MAPS.get, key=p + "show"
    )

    st.sidebar.subheader("Where needs overlap")
    allowed = overlap_domains[year]
    stored = [d for d in st.session_state.get(p + "doms") or [] if d in allowed]
    if stored != list(st.session_state.get(p + "doms") or []):
        _page_note(p, f"Some domains are not published in IoD{year}; they were left out.")
        st.session_state[p + "doms"] = stored
    domains = st.sidebar.multiselect("Domains", allowed, format_func=lambda d: get_domain(d).label, key=p + "doms")
    pct = st.sidebar.slider("In England's most deprived … %", 1, 50, key=p + "pct")
    if domains:
        counts = list(range(1, len(domains) + 1))
        if st.session_state.get(p + "n") not in counts:
            st.session_state[p + "n"] = min(max(int(st.session_state.get(p + "n") or 1), 1), len(domains))
        at_least = st.sidebar.selectbox(
            "… on at least this many of them", counts, key=p + "n", format_func=lambda k: f"{k} of {len(domains)}"
        )
    else:
        at_least = 1

    st.sidebar.subheader("Composite index weights (%)")
    st.sidebar.caption("Defaults: the official IMD weights. Weights that do not add up to 100% are rescaled.")
    weights = []
    for domain in priority.SEVEN_DOMAINS:
        weights.append(
            st.sidebar.slider(get_domain(domain).label, 0.0, 100.0, step=0.5, key=f"{p}w.{domain}", format="%.1f%%")
        )
    st.sidebar.button("Reset to the official IMD weights", on_click=_reset_weights, args=(p,), key=p + "reset")

    st.sidebar.subheader("Rank stability")
    spread = st.sidebar.slider(
        "How far each weight may wander (±%)",
        0,
        90,
        step=5,
        key=p + "spread",
        help="Each of 1,000 random weightings multiplies every weight by a factor between 1 − x and 1 + x, "
        "then rescales them to 100%.",
    )
    top = st.sidebar.radio(
        "Top decile of need among",
        list(state.STABILITY_REFERENCES),
        format_func=state.STABILITY_REFERENCES.get,
        key=p + "top",
    )
    return state.PriorityView(
        year=year, las=las, domains=tuple(domains), pct=pct, at_least=at_least,
        weights=tuple(float(w) for w in weights), spread=spread, top=top, show=show,
    )  # fmt: skip


def hotspot_controls(la_options: dict[int, dict[str, str]]) -> state.HotspotView:
    """The hot-spot page's sidebar: place, domain, statistic, significance level, FDR, permutations."""
    p = state.W_HOT
    years = tuple(priority.years_with_domains([v.year for v in VINTAGES]))
    domain_options = {y: [d.id for d in domains_for(y)] for y in years}
    if p + "year" not in st.session_state:
        view, notes = state.read_page_view(
            lambda params: state.parse_hotspot_view(
                params, la_options, years, domain_options, list(hotspots.METHODS), hotspots.ALPHAS,
                hotspots.PERMUTATION_CHOICES,
            ),
            state.HOT_LAST,
            (state.YEAR, state.LA, state.DOMAIN, state.METHOD, state.ALPHA, state.FDR, state.PERMUTATIONS),
        )  # fmt: skip
        _seed_page(p, {"year": view.year, "las": list(view.las), "dom": view.domain, "stat": view.method,
                       "alpha": view.alpha, "fdr": view.fdr, "perm": view.permutations}, notes)  # fmt: skip
    year, las = place_controls(p, la_options, years)
    st.sidebar.subheader("Hot spots")
    allowed = domain_options[year]
    if st.session_state.get(p + "dom") not in allowed:
        _page_note(p, f"That domain is not published in IoD{year}; showing the IMD.")
        st.session_state[p + "dom"] = "imd"
    domain = st.sidebar.selectbox("Domain", allowed, format_func=lambda d: get_domain(d).label, key=p + "dom")
    method = st.sidebar.radio("Statistic", list(hotspots.METHODS), format_func=hotspots.METHODS.get, key=p + "stat")
    alpha = st.sidebar.select_slider(
        "Significance level", options=list(hotspots.ALPHAS), key=p + "alpha", format_func=lambda a: f"{a:g}"
    )
    fdr = st.sidebar.checkbox(
        "Control the false discovery rate (FDR)",
        key=p + "fdr",
        help="Many LSOAs are tested at once; the FDR option (Benjamini-Hochberg, esda.fdr) lowers the "
        "p-value cut-off so that few of the LSOAs called significant are false alarms.",
    )
    permutations = st.sidebar.selectbox(
        "Permutations", list(hotspots.PERMUTATION_CHOICES), key=p + "perm", format_func=lambda k: f"{k:,}"
    )
    return state.HotspotView(year=year, las=las, domain=domain, method=method, alpha=alpha, fdr=fdr,
                             permutations=permutations)  # fmt: skip
