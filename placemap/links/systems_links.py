"""Links of the systems view, priority finder and hot spots, any catalogue indicator (uploads included). Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from placemap.data.catalogue import (
    DEFAULT_LA,
    DEFAULT_YEAR,
)
from placemap.links.explorer_links import AREA, LA, YEAR
from placemap.links.linkvalues import parse_decimal, parse_whole
from placemap.links.params import AREA_CODE_PATTERN, first_value, known_edition, shown, split_list

# Shareable keys of these pages (``v``, ``la`` and ``area`` as above; ``la`` may list
# several LA codes or names separated by commas).
X_IND, Y_IND, COLOUR_BY, THIRDS_OF = "x", "y", "col", "thirds"


DOMAINS_KEY, PCT, AT_LEAST, WEIGHTS, SPREAD, TOP_OF, SHOW = "doms", "pct", "n", "w", "spread", "top", "show"


DOMAIN, METHOD, ALPHA, FDR, PERMUTATIONS = "dom", "stat", "alpha", "fdr", "perm"


MAX_PAGE_LAS = 10  # the systems view, priority finder and hot spots (one limit for these pages)


PRIORITY_MAPS = {
    "overlap": "Overlap: how many of the chosen domains",
    "composite": "Composite index: national decile at the chosen weights",
    "stability": "Rank stability: how often in the most deprived 10%",
}


STABILITY_REFERENCES = {"england": "England's most deprived 10%", "place": "The place's most deprived 10%"}


@dataclass(frozen=True)
class PlaceView:
    """The edition and local authorities every one of these pages shows."""

    year: int = DEFAULT_YEAR
    las: tuple[str, ...] = (DEFAULT_LA,)

    def place_params(self) -> dict[str, str]:
        """``v`` and ``la`` (the LAs comma-separated)."""
        return {YEAR: str(self.year), LA: ",".join(self.las)}


@dataclass(frozen=True)
class SystemsView(PlaceView):
    """What the systems view shows."""

    x: str = "income_rank"
    y: str = "education_rank"
    colour: str = "ruc"
    thirds: str = "place"
    area: str | None = None

    def to_params(self) -> dict[str, str]:
        params = {**self.place_params(), X_IND: self.x, Y_IND: self.y, COLOUR_BY: self.colour, THIRDS_OF: self.thirds}
        if self.area:
            params[AREA] = self.area
        return params


@dataclass(frozen=True)
class PriorityView(PlaceView):
    """What the priority finder shows. ``weights`` are percentages in ``priority.SEVEN_DOMAINS`` order."""

    domains: tuple[str, ...] = ("income", "employment", "education", "health")
    pct: int = 10
    at_least: int = 3
    weights: tuple[float, ...] = (22.5, 22.5, 13.5, 13.5, 9.3, 9.3, 9.3)
    spread: int = 50
    top: str = "england"
    show: str = "overlap"
    # Indicators that are not domains (measures, uploads): overlap conditions (id, rule, number)
    # and one composite component (id, weight).
    conditions: tuple[tuple[str, str, float], ...] = ()
    component: tuple[str, float] | None = None

    def to_params(self) -> dict[str, str]:
        params = {
            **self.place_params(),
            DOMAINS_KEY: ",".join(self.domains),
            PCT: str(self.pct),
            AT_LEAST: str(self.at_least),
            WEIGHTS: ",".join(f"{w:g}" for w in self.weights),
            SPREAD: str(self.spread),
            TOP_OF: self.top,
            SHOW: self.show,
        }
        if self.conditions:
            params[UP_CONDITIONS] = ",".join(f"{i}~{rule}~{number:g}" for i, rule, number in self.conditions)
        if self.component:
            params[UP_COMPONENT] = f"{self.component[0]}~{self.component[1]:g}"
        return params


@dataclass(frozen=True)
class HotspotView(PlaceView):
    """What the hot-spot page shows: ``domain`` is a domain id or any other indicator's id."""

    domain: str = "imd"
    method: str = "lisa"
    alpha: float = 0.05
    fdr: bool = False
    permutations: int = 999

    def to_params(self) -> dict[str, str]:
        return {
            **self.place_params(),
            DOMAIN: self.domain,
            METHOD: self.method,
            ALPHA: f"{self.alpha:g}",
            FDR: "1" if self.fdr else "0",
            PERMUTATIONS: str(self.permutations),
        }


def parse_place(
    params: Mapping[str, object], la_options: Mapping[int, Mapping[str, str]], years: tuple[int, ...]
) -> tuple[int, tuple[str, ...], list[str]]:
    """The edition and local authorities of a link, for the pages that take several LAs.

    ``la`` may hold up to ``MAX_PAGE_LAS`` LA codes or exact names, comma-separated (or the
    parameter repeated). Unknown ones are dropped with a note; with none left, the
    default LA is used.

    Example
    -------
    >>> parse_place({"la": "E06000009,Nowhere"}, {2025: {"E06000009": "Blackpool"}}, (2025,))
    (2025, ('E06000009',), ['"Nowhere" is not a local authority in IoD2025; left out.'])
    """
    notes: list[str] = []
    year = years[0] if DEFAULT_YEAR not in years else DEFAULT_YEAR
    raw = first_value(params.get(YEAR))
    if raw:
        if (asked := known_edition(raw, years)) is not None:
            year = asked
        else:
            offered = " and ".join(f"IoD{y}" for y in years)
            notes.append(f'This page shows {offered}; the link asked for "{shown(raw)}", so it shows IoD{year}.')
    value = params.get(LA)
    parts = (
        [p for v in value for p in split_list(str(v))]
        if isinstance(value, (list, tuple))
        else split_list(first_value(value))
    )
    options = la_options.get(year, {})
    by_name = {name.casefold(): code for code, name in options.items()}
    las: list[str] = []
    for part in parts:
        code = part if part in options else by_name.get(part.casefold())
        if code is None:
            notes.append(f'"{shown(part)}" is not a local authority in IoD{year}; left out.')
        elif code not in las:
            las.append(code)
    if len(las) > MAX_PAGE_LAS:
        notes.append(f"A place can combine up to {MAX_PAGE_LAS} local authorities; the first {MAX_PAGE_LAS} are shown.")
        las = las[:MAX_PAGE_LAS]
    if not las:
        fallback = DEFAULT_LA if DEFAULT_LA in options else next(iter(options), DEFAULT_LA)
        if parts:
            notes.append(f"No local authority in the link was found; showing {options.get(fallback, fallback)}.")
        las = [fallback]
    return year, tuple(las), notes


def _choice(params: Mapping[str, object], key: str, options, default, what: str, notes: list[str]):
    raw = first_value(params.get(key))
    if not raw:
        return default
    if raw in options:
        return raw
    if raw.startswith("upload_"):
        notes.append(uploaded_id_note(raw))
        return default
    notes.append(f'"{shown(raw)}" is not {what}; using the default.')
    return default


def _whole(params, key, low, high, default, what, notes) -> int:
    raw = first_value(params.get(key))
    if not raw:
        return default
    value = parse_whole(raw, low, high)
    if value is not None:
        return value
    notes.append(f"{what} must be a whole number from {low} to {high}; using {default}.")
    return default


def parse_systems_view(
    params: Mapping[str, object],
    la_options: Mapping[int, Mapping[str, str]],
    years: tuple[int, ...],
    axis_options: Mapping[int, Mapping[str, str]],
    colour_options: Mapping[int, Mapping[str, str]],
) -> tuple[SystemsView, list[str]]:
    """Validate a systems-view link: place, the two axes, colour, thirds and the selected LSOA.

    ``axis_options``/``colour_options`` give, per edition, the indicator ids allowed on an
    axis and what the points can be coloured by (``systems.axis_options``/``colour_options``).
    """
    year, las, notes = parse_place(params, la_options, years)
    default = SystemsView()
    x = _choice(params, X_IND, axis_options[year], default.x, f"an indicator of IoD{year} for the x axis", notes)
    y = _choice(params, Y_IND, axis_options[year], default.y, f"an indicator of IoD{year} for the y axis", notes)
    colour = _choice(params, COLOUR_BY, colour_options[year], default.colour, "a colour option", notes)
    thirds = _choice(params, THIRDS_OF, ("place", "england"), default.thirds, "a choice of thirds", notes)
    area = None
    raw = first_value(params.get(AREA))
    if raw:
        if AREA_CODE_PATTERN.match(raw.upper()):
            area = raw.upper()
        else:
            notes.append(f'"{shown(raw)}" is not an LSOA code (they look like E01012345); no area is selected.')
    view = SystemsView(year=year, las=las, x=x, y=y, colour=colour, thirds=thirds, area=area)
    return view, notes


def parse_weights(raw: str | None, default: tuple[float, ...], notes: list[str]) -> tuple[float, ...]:
    """Seven comma-separated percentages (zero or more, not all zero), or ``default`` with a note.

    Example
    -------
    >>> parse_weights("50,50,0,0,0,0,0", (1.0,) * 7, [])
    (50.0, 50.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    """
    if not raw:
        return default
    parsed = [parse_decimal(p, 0, 100) for p in split_list(raw)]
    values = tuple(parsed) if None not in parsed else ()
    if len(values) != len(default) or sum(values) <= 0:
        notes.append(
            f"The weights in the link must be {len(default)} numbers from 0 to 100, not all zero; "
            "using the official IMD weights."
        )
        return default
    return values


def parse_priority_view(
    params: Mapping[str, object],
    la_options: Mapping[int, Mapping[str, str]],
    years: tuple[int, ...],
    domain_options: Mapping[int, Sequence[str]],
    indicator_options: Mapping[int, Sequence[str]] | None = None,
) -> tuple[PriorityView, list[str]]:
    """Validate a priority-finder link: place, overlap rule, weights, stability settings, map shown.

    ``indicator_options`` lists, per edition, the ids of the indicators that are not domains
    (the measures behind the indices, and the uploads this session has): ``uc`` conditions
    (e.g. children in income-deprived families at or above 30%) and the ``ucw`` component
    may use only those.
    """
    year, las, notes = parse_place(params, la_options, years)
    default = PriorityView()
    raw = split_list(first_value(params.get(DOMAINS_KEY)))
    domains = tuple(dict.fromkeys(d for d in raw if d in domain_options[year]))
    dropped = [d for d in raw if d not in domain_options[year]]
    if dropped:
        notes.append(
            f"Not a domain Placemap can overlap in IoD{year}: {', '.join(shown(d) for d in dropped)}; left out."
        )
    others = list((indicator_options or {}).get(year, ()))
    conditions = parse_upload_conditions(first_value(params.get(UP_CONDITIONS)), others, notes)
    component = parse_upload_component(first_value(params.get(UP_COMPONENT)), others, notes)
    if not domains and not conditions:
        domains = default.domains
    n_conditions = len(domains) + len(conditions)
    pct = _whole(params, PCT, 1, 50, default.pct, "The national threshold (percent)", notes)
    at_least = _whole(params, AT_LEAST, 1, n_conditions, min(default.at_least, n_conditions), "'At least'", notes)
    weights = parse_weights(first_value(params.get(WEIGHTS)), default.weights, notes)
    spread = _whole(params, SPREAD, 0, 90, default.spread, "The spread of the random weightings", notes)
    top = _choice(params, TOP_OF, STABILITY_REFERENCES, default.top, "a choice of top decile", notes)
    show = _choice(params, SHOW, PRIORITY_MAPS, default.show, "a map Placemap offers here", notes)
    view = PriorityView(
        year=year,
        las=las,
        domains=domains,
        pct=pct,
        at_least=at_least,
        weights=weights,
        spread=spread,
        top=top,
        show=show,
        conditions=conditions,
        component=component,
    )
    return view, notes


def parse_hotspot_view(
    params: Mapping[str, object],
    la_options: Mapping[int, Mapping[str, str]],
    years: tuple[int, ...],
    domain_options: Mapping[int, Sequence[str]],
    methods: Sequence[str],
    alphas: Sequence[float],
    permutation_choices: Sequence[int],
) -> tuple[HotspotView, list[str]]:
    """Validate a hot-spot link: place, domain, statistic, significance level, FDR, permutations."""
    year, las, notes = parse_place(params, la_options, years)
    default = HotspotView()
    domain = _choice(params, DOMAIN, domain_options[year], default.domain, f"a domain of IoD{year}", notes)
    method = _choice(params, METHOD, methods, default.method, "a hot-spot statistic", notes)
    alpha = default.alpha
    raw = first_value(params.get(ALPHA))
    if raw:
        value = parse_decimal(raw, 0, 1)
        if value in alphas:
            alpha = value
        else:
            offered = ", ".join(f"{a:g}" for a in alphas)
            notes.append(f"The significance level must be one of {offered}; using {default.alpha:g}.")
    raw = first_value(params.get(FDR))
    fdr = default.fdr
    if raw:
        if raw in ("0", "1"):
            fdr = raw == "1"
        else:
            notes.append('The FDR option must be "1" (on) or "0" (off); FDR is off.')
    permutations = default.permutations
    raw = first_value(params.get(PERMUTATIONS))
    if raw:
        if (number := parse_whole(raw, 0, max(permutation_choices, default=0))) in permutation_choices:
            permutations = number
        else:
            offered = ", ".join(str(p) for p in permutation_choices)
            notes.append(f"The number of permutations must be one of {offered}; using {default.permutations}.")
    view = HotspotView(
        year=year, las=las, domain=domain, method=method, alpha=alpha, fdr=fdr, permutations=permutations
    )
    return view, notes


UP_CONDITIONS, UP_COMPONENT = "uc", "ucw"


UP_RULES = ("place", "value")


# The links each of these pages reads (a link with none of them opens the session's last view).
SYSTEMS_KEYS = (YEAR, LA, X_IND, Y_IND, COLOUR_BY, THIRDS_OF, AREA)


PRIORITY_KEYS = (YEAR, LA, DOMAINS_KEY, PCT, AT_LEAST, WEIGHTS, SPREAD, TOP_OF, SHOW, UP_CONDITIONS, UP_COMPONENT)


HOTSPOT_KEYS = (YEAR, LA, DOMAIN, METHOD, ALPHA, FDR, PERMUTATIONS)


def uploaded_id_note(raw: str) -> str:
    """The note for an uploaded indicator id a link names but this session does not have.

    Example
    -------
    >>> "this browser session does not have" in uploaded_id_note("upload_ab12_0")
    True
    """
    return (
        f'The link names uploaded data ("{shown(raw)}") that this browser session does not have: uploads stay in '
        "the session that made them. Open the dataset's saved link (?upload=…) or upload it again on the "
        "Bring your own data page; showing the default instead."
    )


def _unknown_indicator_note(indicator_id: str) -> str:
    if indicator_id.startswith("upload_"):
        return uploaded_id_note(indicator_id)
    return f'"{shown(indicator_id)}" is not a measure Placemap offers on this edition; left out.'


def parse_upload_conditions(
    raw: str | None, allowed: Sequence[str], notes: list[str]
) -> tuple[tuple[str, str, float], ...]:
    """Overlap conditions on other indicators ``id~rule~number`` (comma-separated), validated, with notes.

    ``rule`` is ``place`` (worst ``number`` % of the place, 1 to 100) or ``value`` (a
    threshold in the indicator's units, any finite number).

    Example
    -------
    >>> parse_upload_conditions("upload_a_0~place~20,upload_a_1~value~3.5", ["upload_a_0", "upload_a_1"], [])
    (('upload_a_0', 'place', 20.0), ('upload_a_1', 'value', 3.5))
    """
    out: dict[str, tuple[str, str, float]] = {}
    for part in split_list(raw):
        pieces = part.split("~")
        if len(pieces) != 3 or pieces[1] not in UP_RULES:
            notes.append(
                f'"{shown(part)}" is not a condition on a measure or your data (id~place~20 or id~value~3.5); left out.'
            )
            continue
        indicator_id, rule, number_text = pieces
        if indicator_id not in allowed:
            notes.append(_unknown_indicator_note(indicator_id))
            continue
        number = parse_decimal(number_text) if rule == "value" else parse_decimal(number_text, 0, 100)
        if number is None or (rule == "place" and number == 0):
            notes.append(f'The number in "{shown(part)}" is not usable; that condition was left out.')
            continue
        out.setdefault(indicator_id, (indicator_id, rule, number))
    return tuple(out.values())


def parse_upload_component(raw: str | None, allowed: Sequence[str], notes: list[str]) -> tuple[str, float] | None:
    """The composite index's extra component ``id~weight`` (0 to 100), validated, with notes.

    Example
    -------
    >>> parse_upload_component("upload_a_0~15", ["upload_a_0"], [])
    ('upload_a_0', 15.0)
    """
    if not raw:
        return None
    pieces = raw.split("~")
    if len(pieces) != 2:
        notes.append(f'"{shown(raw)}" is not a component (id~weight); the index uses the seven domains.')
        return None
    indicator_id, weight_text = pieces
    if indicator_id not in allowed:
        notes.append(_unknown_indicator_note(indicator_id))
        return None
    weight = parse_decimal(weight_text, 0, 100)
    if weight is None:
        notes.append("The component's weight must be a number from 0 to 100; the index uses the seven domains.")
        return None
    return indicator_id, weight
