"""The place plan page's data and forms: cached geographies and tables, an outcome's progress, the editing forms. Imports streamlit.

What the data says about an outcome is worked out by ``placemap.analysis.plan_values`` and
``plan_progress``; this module loads what they need once per process and turns the result into
what the page and the plan on a page show. The version of a plan an editor started from is kept
in the session, so a save made after someone else's is refused and their change shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd
import streamlit as st

from placemap.analysis import plan_values
from placemap.analysis.plan_progress import Basis, Status, judge, latest_reading, target_warning
from placemap.community.plans import Outcome, Plan
from placemap.data.indicators import Indicator
from placemap.data.place_types import PLACE_TYPES, Place
from placemap.links.place_links import parse_place
from placemap.render.plan_page import PageOutcome, PlanPage

INDEX_YEARS = (2025, 2019, 2015)
BASELINE_CHOICES = (2019, 2015, 2025, 2011, 2021)
VERSION_KEY = "plan.version_from"  # share id -> the version an editor opened


@st.cache_resource(show_spinner="Loading the places…")
def load_geography():
    """The IoD2025 and IoD2019 place lookups and the ONS LSOA 2011→2021 lookup (read-only)."""
    from placemap.data.lookups import read_lsoa_lookup
    from placemap.data.place_types import read_place_lookup

    return read_place_lookup(2025), read_place_lookup(2019), read_lsoa_lookup()


@st.cache_resource(show_spinner="Loading the indices…")
def load_index_inputs(year: int) -> pd.DataFrame:
    """An edition's LSOA ranks, scores and populations (``read_summary_inputs``; read-only)."""
    from placemap.data.place_types import read_summary_inputs

    return read_summary_inputs(year)


@st.cache_resource(show_spinner="Loading the measures…")
def load_measures(year: int):
    """An edition's or census's measures for every LSOA (``read_measures``; read-only)."""
    from placemap.data.measures import read_measures

    return read_measures(year)


def _extra_place(place: Place):
    """An uploaded or drawn place from its provider (on IoD2025's LSOAs), or ``None``."""
    from placemap.data.place_search import resolve_extra
    from placemap.ui import place_finder  # noqa: F401  (registers the uploaded and drawn place providers)

    return resolve_extra(2025, place)


def place_label(value: str) -> str:
    """A place's name and kind in words ("Bloomfield, ward"), or the link value when it is not in the lookups."""
    place, _note = parse_place(value)
    if place is None:
        return value
    lookup21, lookup11, _ = load_geography()
    for lookup in (lookup21, lookup11):
        column = f"{place.type}_code"
        if column in lookup:
            names = lookup.loc[lookup[column] == place.code, f"{place.type}_name"]
            if len(names):
                return f"{names.iloc[0]} ({PLACE_TYPES[place.type].label})"
    if not PLACE_TYPES[place.type].from_lookup:
        extra = _extra_place(place)
        if extra is not None:
            return f"{extra.name} ({PLACE_TYPES[place.type].label})"
    return f"{PLACE_TYPES[place.type].label} {place.code}"


def place_lsoas(value: str) -> tuple[plan_values.PlaceLsoas | None, str]:
    """The LSOAs of a place on both geographies, or ``None`` and a plain reason."""
    place, note = parse_place(value)
    if place is None:
        return None, note
    codes = None
    if not PLACE_TYPES[place.type].from_lookup:
        extra = _extra_place(place)
        if extra is None or not extra.lsoas:
            return None, (
                f"This {PLACE_TYPES[place.type].label} is not available here (it may have been deleted, or belong to "
                "another browser session), so its outcomes show the values they were saved with."
            )
        codes = extra.lsoas
    lookup21, lookup11, lsoa_lookup = load_geography()
    found = plan_values.place_lsoas(place, lookup21, lookup11, lsoa_lookup, codes=codes)
    if found.empty:
        return None, f"No LSOA of England lies in {place.to_param()}: check the place's code."
    return found, ""


def indicator_options(catalogue) -> dict[str, str]:
    """Indicator id -> label for the outcome picker: index ranks first, then deciles, scores, measures, uploads."""
    from placemap.data.catalogue import INDICATORS

    official = sorted(INDICATORS, key=lambda i: ({"rank": 0, "decile": 1}.get(i.measure, 2), i.subdomain is not None))
    out = {i.id: i.label for i in official}
    out.update({i.id: i.label for i in catalogue.registered()})
    return out


def _indicator(catalogue, indicator_id: str) -> Indicator | None:
    try:
        return catalogue.get(indicator_id)
    except ValueError:
        return None


def outcome_data(
    outcome: Outcome, catalogue, frozen_year: int | None
) -> tuple[plan_values.OutcomeData, Indicator | None]:
    """What the data says about an outcome now (or what it said when the plan was frozen)."""
    indicator = _indicator(catalogue, outcome.indicator_id)
    if frozen_year is not None:
        basis = plan_values.basis_for(indicator)[0] if indicator else Basis.OWN
        note = f"The plan is frozen to {frozen_year}: the values it was saved with are shown."
        return plan_values.stored_data(plan_values.frozen(outcome.readings, frozen_year), basis, note), indicator
    if indicator is None:
        note = (
            "The indicator's source is no longer available (an uploaded dataset deleted?): the values saved are shown."
        )
        return plan_values.stored_data(outcome.readings, Basis.OWN, note), None
    lsoas, why = place_lsoas(outcome.place)
    basis, caution = plan_values.basis_for(indicator)
    if lsoas is None and indicator.official:
        return plan_values.stored_data(outcome.readings, basis, why), indicator
    readings = _readings(indicator, outcome, lsoas, catalogue)
    if not readings and outcome.readings:
        return plan_values.stored_data(
            outcome.readings, basis, "The data gives no values now: the values saved are shown."
        ), indicator
    rule = plan_values.INDEX_RULE if indicator.official else ""
    return plan_values.OutcomeData(
        tuple(readings), basis, caution, " ".join(x for x in (rule, plan_values.GEOGRAPHY_RULE) if x)
    ), indicator


def _readings(indicator: Indicator, outcome: Outcome, lsoas, catalogue) -> list:
    if indicator.official:
        inputs = {y: load_index_inputs(y) for y in INDEX_YEARS if y in indicator.columns}
        return plan_values.index_readings(indicator, lsoas, inputs)
    measure = plan_values.measure_of(indicator.id)
    if measure is not None:
        if lsoas is None:
            return []
        from placemap.data.measures import figure_for_place

        tables = {m.year: load_measures(m.year) for m in plan_values.measure_years(measure)}
        return plan_values.measure_readings(measure, lsoas, tables, figure_for_place)
    prefix = indicator.id.rsplit("_", 1)[0]
    siblings = [i for i in catalogue.registered() if i.id.rsplit("_", 1)[0] == prefix]
    place, _ = parse_place(outcome.place)
    years = plan_values.upload_years(indicator, siblings)
    return plan_values.upload_readings(years, place, lsoas or plan_values.PlaceLsoas((), ()), catalogue.values_source)


def refreshed(outcome: Outcome, catalogue) -> Outcome:
    """The outcome with its readings, baseline value, label and source computed from the data now."""
    data, indicator = outcome_data(outcome, catalogue, None)
    if indicator is None or data.gone:
        return outcome
    base = next((r for r in data.readings if r.year == outcome.baseline_year), None)
    return replace(
        outcome,
        readings=data.readings,
        baseline_value=None if base is None else base.value,
        indicator_label=indicator.label,
        source=indicator.source,
    )


def _text(value: float | None, indicator: Indicator | None) -> str:
    if value is None:
        return "No value"
    return indicator.format(value) if indicator else f"{value:,.4g}"


def page_outcome(outcome: Outcome, data: plan_values.OutcomeData, indicator: Indicator | None) -> PageOutcome:
    """An outcome as the page and the plan on a page show it: numbers in words, status and notes."""
    polarity = indicator.polarity if indicator else "high_is_deprived"
    judgement = judge(data.readings, outcome.baseline_year, outcome.target_value, polarity, data.basis, data.caution)
    base = next((r for r in data.readings if r.year == outcome.baseline_year), None)
    latest = latest_reading(data.readings, outcome.baseline_year)
    notes = [n for n in (data.caution, data.rule) if n]
    warning = target_warning(
        base.value if base else outcome.baseline_value,
        outcome.target_value,
        polarity,
        indicator.short_label or indicator.label if indicator else "this indicator",
    )
    if warning:
        notes.insert(0, warning)
    if (base is None or base.value is None) and not data.gone:
        notes.insert(
            0,
            f"This indicator has no value in the place for {outcome.baseline_year}: {base.note if base else 'the data does not cover that edition'}.",
        )
    if outcome.draft:
        notes.insert(0, "Drafted from a workshop's priorities: check the indicator and set the target.")
    return PageOutcome(
        name=outcome.name,
        indicator=outcome.indicator_label or (indicator.label if indicator else outcome.indicator_id),
        baseline=f"{base.edition if base else outcome.baseline_year}: {_text(base.value if base else outcome.baseline_value, indicator)}",
        latest="none yet" if latest is None else f"{latest.edition}: {_text(latest.value, indicator)}",
        target=f"{_text(outcome.target_value, indicator)} by {outcome.target_date:%b %Y}",
        status=judgement.status,
        reason=judgement.reason,
        lead=outcome.lead_partner,
        source=outcome.source or (indicator.source if indicator else ""),
        readings=data.readings,
        baseline_year=outcome.baseline_year,
        target_value=outcome.target_value,
        target_year=outcome.target_date.year,
        notes=tuple(notes),
    )


def plan_page(plan: Plan, outcomes: list[PageOutcome], link: str) -> PlanPage:
    """What the plan on a page holds."""
    rules = (plan_values.INDEX_RULE, plan_values.GEOGRAPHY_RULE)
    frozen = f"frozen to {plan.frozen_year}" if plan.frozen_year else ""
    return PlanPage(plan.name, place_label(plan.place), plan.aim, plan.partners, tuple(outcomes), link, frozen, rules)


def editing_version(plan: Plan) -> int:
    """The version this session started editing from (the version first opened, until it saves)."""
    versions = st.session_state.setdefault(VERSION_KEY, {})
    return versions.setdefault(plan.share_id, plan.version)


def set_editing_version(plan: Plan) -> None:
    """Remember that this session now edits from ``plan``'s version (after its save, or a conflict)."""
    st.session_state.setdefault(VERSION_KEY, {})[plan.share_id] = plan.version


def status_badge(status: Status) -> str:
    """A short marker for a status, always beside its words (never colour alone)."""
    return {
        Status.TOWARDS: ":material/trending_up:",
        Status.REACHED: ":material/flag:",
        Status.AWAY: ":material/trending_down:",
        Status.NO_CLEAR_CHANGE: ":material/trending_flat:",
        Status.CANNOT_SAY: ":material/help:",
    }[status]


def default_target_date() -> dt.date:
    """Five years on, at the end of a financial year."""
    return dt.date(dt.date.today().year + 5, 3, 31)


def place_of(value: str) -> Place | None:
    """The parsed place, or ``None``."""
    return parse_place(value)[0]


DEFAULT_PLACE = "ward:E05015188"  # Bloomfield, Blackpool: the example of the user guide


def place_chooser() -> str:
    """Find the plan's place by name (or take the link's ``place=``); returns its ``TYPE:CODE``.

    Outside the plan's form, so the matches update as a person types.
    """
    from placemap.links.place_links import PLACE
    from placemap.ui import place_cache

    linked = st.query_params.get(PLACE)
    default = linked if linked and parse_place(linked)[0] is not None else DEFAULT_PLACE
    query = st.text_input(
        "Find the plan's place",
        key="plan.new.query",
        max_chars=80,
        placeholder="A ward, town, council, ICB or drawn area",
        help="Wards, neighbourhoods (MSOAs), councils, counties, combined authorities, ICBs, regions, and areas drawn "
        "on the Draw an area page.",
    )
    if query and len(query.strip()) >= 2:
        found = place_cache.search(2025, query)
        if len(found):
            options = [f"{t}:{c}" for t, c in zip(found["type"], found["code"], strict=True)]
            labels = dict(zip(options, found["label"], strict=True))
            return st.selectbox("Place", options, format_func=lambda o: labels.get(o, o), key="plan.new.place_pick")
        st.caption("No place matches that name; the plan keeps the place below.")
    st.caption(f"Place: {place_label(default)}")
    return default
