"""Controls of the systems view, priority finder and hot spots, seeded from their links, any catalogue indicator. Imports streamlit."""

from __future__ import annotations

import streamlit as st

from placemap.analysis import hotspots, priority, systems
from placemap.data.catalogue import CATALOGUE, DEFAULT_LA, VINTAGES, domains_for, get_domain, get_vintage
from placemap.data.indicator_picker import direction_line
from placemap.data.indicators import Polarity
from placemap.data.prepare import escape_markdown
from placemap.links import systems_links
from placemap.ui import cache, state
from placemap.ui.page_setup import clicked_point, edition_picker, la_options_all
from placemap.ui.upload_controls import session_tables


def _prefixed_note(prefix: str, text: str) -> None:
    st.session_state.setdefault(prefix + "notes", []).append(text)


def show_prefixed_notes(prefix: str) -> None:
    """Show a page's fallback notes as one visible message."""
    notes = st.session_state.get(prefix + "notes") or []
    if notes:
        st.info("\n".join(f"- {n}" for n in dict.fromkeys(notes)), icon=":material/info:")


def page_heading(prefix: str, title: str, caption: list[str], intro: str, sources: list[str]) -> None:
    """A page's title (markdown, escaped by the caller), caption and introduction, its fallback notes, and
    one line naming each indicator's source that is not the edition's own (``EditionIndicators.source_lines``)."""
    st.title(title, anchor=False)
    st.caption(" · ".join(caption))
    st.markdown(intro)
    show_prefixed_notes(prefix)
    for line in sources:
        st.info(escape_markdown(line), icon=":material/dataset:")


def _clear_page_notes(prefix: str) -> None:
    st.session_state[prefix + "notes"] = []


def _seed_page(
    prefix: str, view, notes: list[str], keys: dict[str, str] | None = None, extra: dict | None = None
) -> None:
    # The view's fields (tuples as lists) under their widget keys (``keys`` renames; ``None`` leaves one out).
    values = {(keys or {}).get(k, k): list(v) if isinstance(v, tuple) else v for k, v in view.__dict__.items()}
    for key, value in (values | (extra or {})).items():
        if key is not None:
            st.session_state[prefix + key] = value
    st.session_state[prefix + "notes"] = list(notes)


def place_controls(
    prefix: str, la_options: dict[int, dict[str, str]], years: tuple[int, ...]
) -> tuple[int, tuple[str, ...]]:
    """Edition and local authorities (several allowed) in the sidebar; stops the page if none is chosen."""
    st.sidebar.subheader("Place")
    year = edition_picker(
        prefix + "year",
        years,
        _clear_page_notes,
        (prefix,),
        help="IoD2015 is not offered here: the bundled 2015 data has no domain ranks.",
    )
    options = la_options[year]
    stored = list(st.session_state.get(prefix + "las") or [])
    kept = [c for c in stored if c in options]
    if len(kept) < len(stored):
        gone = ", ".join(c for c in stored if c not in options)
        _prefixed_note(prefix, f"Not a local authority in IoD{year}'s geography: {gone}; left out.")
        if not kept:
            kept = [DEFAULT_LA if DEFAULT_LA in options else next(iter(options))]
        st.session_state[prefix + "las"] = kept
    las = st.sidebar.multiselect(
        f"Local authorities (type to search; up to {systems_links.MAX_PAGE_LAS})",
        list(options),
        format_func=options.get,
        key=prefix + "las",
        max_selections=systems_links.MAX_PAGE_LAS,
        on_change=_clear_page_notes,
        args=(prefix,),
    )
    if not las:
        st.info("Choose at least one local authority under **Place** in the sidebar.", icon=":material/info:")
        st.stop()
    return year, tuple(las)


def page_context(controls):
    """Run a page's sidebar ``controls`` and return what each of these pages starts from.

    ``(view, vintage, place, place_md, data)``: the view, its edition, the place's name (plain,
    and escaped for markdown) and every catalogue indicator on the edition (``page_indicators``).
    """
    la_options = la_options_all()
    view = controls(la_options)
    place = place_name(la_options, view.year, view.las)
    return view, get_vintage(view.year), place, escape_markdown(place), page_indicators(view.year)


def place_name(la_options: dict[int, dict[str, str]], year: int, las: tuple[str, ...]) -> str:
    """A place's name for titles: one LA's name, or the first two and how many more."""
    names = [la_options[year].get(c, c) for c in las]
    if len(names) <= 2:
        return " and ".join(names)
    return f"{names[0]}, {names[1]} and {len(names) - 2} more"


def systems_controls(la_options: dict[int, dict[str, str]]) -> systems_links.SystemsView:
    """The systems view's sidebar: place, the LSOA picked, the two indicators, colour and thirds."""
    p = state.W_SYS
    years = tuple(priority.years_with_domains([v.year for v in VINTAGES]))
    data = {y: page_indicators(y) for y in years}
    axis = {y: data[y].options() for y in years}
    colours = {y: systems.colour_options(y, n_las=2) for y in years}
    if p + "year" not in st.session_state:
        view, notes = state.read_page_view(
            lambda params: systems_links.parse_systems_view(params, la_options, years, axis, colours),
            state.SYS_LAST,
            systems_links.SYSTEMS_KEYS,
        )
        _seed_page(p, view, notes)
    year, las = place_controls(p, la_options, years)
    area_options = cache.load_area_options(year, las)
    current = st.session_state.get(p + "area")
    if current and current not in area_options:
        _prefixed_note(p, f"{current} is not an LSOA of the chosen place in IoD{year}; no area is selected.")
        st.session_state[p + "area"] = None
    area = st.sidebar.selectbox(
        "Area: an LSOA (type a name or code, or click the map)",
        [None, *area_options],
        format_func=lambda c: "—" if c is None else area_options[c],
        key=p + "area",
    )

    st.sidebar.subheader("Compare")
    options = axis[year]
    for key, default in (("x", systems_links.SystemsView.x), ("y", systems_links.SystemsView.y)):
        if st.session_state.get(p + key) not in options:
            why = _fallback_note(st.session_state.get(p + key), data[year], "indicator")
            _prefixed_note(p, f"{why} Showing {options[default]}.")
            st.session_state[p + key] = default
    x = st.sidebar.selectbox("Across (x axis)", list(options), format_func=options.get, key=p + "x", help=_THEMED)
    _describe(data[year].get(x))
    y = st.sidebar.selectbox("Up (y axis)", list(options), format_func=options.get, key=p + "y", help=_THEMED)
    _describe(data[year].get(y))
    colour_opts = systems.colour_options(year, n_las=len(las))
    if st.session_state.get(p + "colour") not in colour_opts:
        if st.session_state.get(p + "colour") == systems.COLOUR_LA:
            _prefixed_note(
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
    return systems_links.SystemsView(year=year, las=las, x=x, y=y, colour=colour, thirds=thirds, area=area)


_THEMED = "Grouped by theme: type a theme or a few words of a name (e.g. child poverty, GP) to narrow the list."


def _describe(indicator) -> None:
    st.sidebar.caption(escape_markdown(f"{direction_line(indicator)} {indicator.period} · {indicator.source}"))


def handle_page_map_click(map_key: str, area_key: str, year: int, la_codes: tuple[str, ...]) -> None:
    """``st_folium`` callback for the systems map: a clicked point selects the LSOA under it."""
    point = clicked_point(map_key)
    if point is None:
        return
    lat, lng = point
    code = cache.area_at(year, la_codes, lat, lng)
    if code:
        st.session_state[area_key] = code


def _reset_weights(prefix: str) -> None:
    for domain in priority.SEVEN_DOMAINS:
        st.session_state[f"{prefix}w.{domain}"] = priority.OFFICIAL_WEIGHTS[domain]


def priority_controls(la_options: dict[int, dict[str, str]]) -> systems_links.PriorityView:
    """The priority finder's sidebar: place, overlap rule, weights, stability settings, map shown."""
    p = state.W_PRI
    years = tuple(priority.years_with_domains([v.year for v in VINTAGES]))
    overlap_domains = {y: [d.id for d in domains_for(y) if d.id != "imd"] for y in years}
    data = {y: page_indicators(y) for y in years}
    others = {y: list(data[y].options(official=False)) for y in years}  # measures and uploads
    if p + "year" not in st.session_state:
        view, notes = state.read_page_view(
            lambda params: systems_links.parse_priority_view(params, la_options, years, overlap_domains, others),
            state.PRI_LAST,
            systems_links.PRIORITY_KEYS,
        )
        keys = {"domains": "doms", "at_least": "n", "weights": None, "conditions": None, "component": None}
        weights = {f"w.{d}": w for d, w in zip(priority.SEVEN_DOMAINS, view.weights, strict=True)}
        _seed_page(p, view, notes, keys, weights | _condition_seed(view))
    year, las = place_controls(p, la_options, years)
    show = st.sidebar.radio(
        "The map shows", list(systems_links.PRIORITY_MAPS), format_func=systems_links.PRIORITY_MAPS.get, key=p + "show"
    )

    st.sidebar.subheader("Where needs overlap")
    allowed = overlap_domains[year]
    stored = [d for d in st.session_state.get(p + "doms") or [] if d in allowed]
    if stored != list(st.session_state.get(p + "doms") or []):
        _prefixed_note(p, f"Some domains are not published in IoD{year}; they were left out.")
        st.session_state[p + "doms"] = stored
    domains = st.sidebar.multiselect("Domains", allowed, format_func=lambda d: get_domain(d).label, key=p + "doms")
    pct = st.sidebar.slider("In England's most deprived … %", 1, 50, key=p + "pct")
    conditions = condition_controls(p, data[year])
    n_conditions = len(domains) + len(conditions)
    if n_conditions:
        counts = list(range(1, n_conditions + 1))
        if st.session_state.get(p + "n") not in counts:
            st.session_state[p + "n"] = min(max(int(st.session_state.get(p + "n") or 1), 1), n_conditions)
        at_least = st.sidebar.selectbox(
            "… on at least this many of them", counts, key=p + "n", format_func=lambda k: f"{k} of {n_conditions}"
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
    component = component_control(p, data[year])
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
        list(systems_links.STABILITY_REFERENCES),
        format_func=systems_links.STABILITY_REFERENCES.get,
        key=p + "top",
    )
    return systems_links.PriorityView(
        year=year,
        las=las,
        domains=tuple(domains),
        pct=pct,
        at_least=at_least,
        weights=tuple(float(w) for w in weights),
        spread=spread,
        top=top,
        show=show,
        conditions=conditions,
        component=component,
    )


def hotspot_controls(la_options: dict[int, dict[str, str]]) -> systems_links.HotspotView:
    """The hot-spot page's sidebar: place, domain, statistic, significance level, FDR, permutations."""
    p = state.W_HOT
    years = tuple(priority.years_with_domains([v.year for v in VINTAGES]))
    data = {y: page_indicators(y) for y in years}
    labels = {y: {d.id: d.label for d in domains_for(y)} | data[y].options(official=False) for y in years}
    domain_options = {y: list(labels[y]) for y in years}
    if p + "year" not in st.session_state:
        view, notes = state.read_page_view(
            lambda params: systems_links.parse_hotspot_view(
                params,
                la_options,
                years,
                domain_options,
                list(hotspots.METHODS),
                hotspots.ALPHAS,
                hotspots.PERMUTATION_CHOICES,
            ),
            state.HOT_LAST,
            systems_links.HOTSPOT_KEYS,
        )
        _seed_page(p, view, notes, {"domain": "dom", "method": "stat", "permutations": "perm"})
    year, las = place_controls(p, la_options, years)
    st.sidebar.subheader("Hot spots")
    allowed = domain_options[year]
    if st.session_state.get(p + "dom") not in allowed:
        why = _fallback_note(st.session_state.get(p + "dom"), data[year], "domain")
        _prefixed_note(p, f"{why} Showing the IMD.")
        st.session_state[p + "dom"] = "imd"
    domain = st.sidebar.selectbox(
        "Domain, measure or your data", allowed, format_func=labels[year].get, key=p + "dom", help=_THEMED
    )
    _describe(hotspots.indicator_for(domain, data[year].catalogue))
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
    return systems_links.HotspotView(
        year=year, las=las, domain=domain, method=method, alpha=alpha, fdr=fdr, permutations=permutations
    )


def page_indicators(year: int) -> systems.EditionIndicators:
    """Every catalogue indicator on edition ``year``: the shared table, with this session's uploads joined in."""
    from placemap.ui.systems_cache import load_edition_indicators

    tables = session_tables()
    digests = st.session_state.get(state.UPLOADS) or {}
    return load_edition_indicators(year, CATALOGUE.version, tuple(digests.get(t.id, t.id) for t in tables), tables)


def _fallback_note(stored: object, data: systems.EditionIndicators, what: str) -> str:
    """Why a stored indicator is not offered: it does not join this edition, the session lacks it, or it is unknown."""
    if stored in data.refused:
        return escape_markdown(data.refused[stored])
    if str(stored).startswith("upload_"):
        return (
            systems_links.uploaded_id_note(str(stored)).removesuffix(" showing the default instead.").rstrip(";") + "."
        )
    return f"That {what} is not published in IoD{data.year}."


def _condition_seed(view: systems_links.PriorityView) -> dict:
    values: dict = {"uc": [c[0] for c in view.conditions], "ucw": view.component[0] if view.component else None}
    for indicator_id, rule, number in view.conditions:
        values[f"uc.rule.{indicator_id}"] = rule
        values[f"uc.{rule}.{indicator_id}"] = float(number)
    if view.component:
        values["ucw.w"] = float(view.component[1])
    return values


def condition_controls(p: str, data: systems.EditionIndicators) -> tuple[tuple[str, str, float], ...]:
    """The priority finder's extra conditions: measures behind the indices and your data, and when each counts."""
    options = data.options(official=False)
    if not options:
        return ()
    stored = list(st.session_state.get(p + "uc") or [])
    kept = [i for i in stored if i in options]
    if kept != stored:
        for gone in (i for i in stored if i not in options):
            _prefixed_note(p, _fallback_note(gone, data, "measure"))
        st.session_state[p + "uc"] = kept
    chosen = st.sidebar.multiselect(
        "Measures or your data as conditions",
        list(options),
        format_func=options.get,
        key=p + "uc",
        help="Measures behind the indices (grouped by theme, e.g. children in income-deprived families) and "
        "uploaded indicators (Bring your own data page) that count as one more condition each.",
    )
    conditions = []
    for indicator_id in chosen:
        indicator = data.get(indicator_id)
        rule_key, place_key, value_key = (
            f"{p}uc.rule.{indicator_id}",
            f"{p}uc.{priority.RULE_PLACE}.{indicator_id}",
            f"{p}uc.{priority.RULE_VALUE}.{indicator_id}",
        )
        st.session_state.setdefault(rule_key, priority.RULE_PLACE)
        st.session_state.setdefault(place_key, 10.0)
        if value_key not in st.session_state:
            median = data.national[indicator.column(data.year)].median()
            st.session_state[value_key] = float(round(median, 4)) if median == median else 0.0
        if not 1 <= float(st.session_state[place_key]) <= 100:
            st.session_state[place_key] = 10.0
        rule = st.sidebar.radio(
            f"{indicator.label}: counts when", list(priority.RULES), format_func=priority.RULES.get, key=rule_key
        )
        worse = "higher" if indicator.polarity is Polarity.HIGH_IS_WORSE else "lower"
        if rule == priority.RULE_PLACE:
            number = st.sidebar.slider(
                f"{indicator.label}: worst … % of the place",
                1.0,
                100.0,
                step=1.0,
                key=place_key,
                help=f"Among the place's LSOAs with a value; {worse} values are worse (the indicator's polarity).",
            )
        else:
            unit = f" ({indicator.unit})" if indicator.unit else ""
            number = st.sidebar.number_input(
                f"{indicator.label}: at or {'above' if worse == 'higher' else 'below'}{unit}",
                key=value_key,
                help=f"In the indicator's own units; {worse} values are worse (the indicator's polarity).",
            )
        conditions.append((indicator_id, rule, float(number)))
    return tuple(conditions)


def component_control(p: str, data: systems.EditionIndicators) -> tuple[str, float] | None:
    """The composite index's optional extra component (a measure or your data) and its weight."""
    options = data.options(official=False)
    if not options:
        return None
    if st.session_state.get(p + "ucw") not in (None, *options):
        _prefixed_note(p, _fallback_note(st.session_state.get(p + "ucw"), data, "measure"))
        st.session_state[p + "ucw"] = None
    chosen = st.sidebar.selectbox(
        "Add a measure or your data to the index",
        [None, *options],
        key=p + "ucw",
        format_func=lambda i: "No: the seven domains only" if i is None else options[i],
    )
    if chosen is None:
        return None
    st.session_state.setdefault(p + "ucw.w", 10.0)
    weight = st.sidebar.slider("Its weight", 0.0, 100.0, step=0.5, key=p + "ucw.w", format="%.1f%%")
    return chosen, float(weight)
