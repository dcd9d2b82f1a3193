"""Priority finder: where needs overlap, a composite index with live weights, rank stability.

Everything here is plain numpy/pandas on the national LSOA table of one edition, so
it runs without Streamlit and is tested on small frames built in code and on the
real data.

The composite index combines the seven domains the way the official IMD does
(English Indices of Deprivation technical report, section 3): each domain is ranked
and turned into an exponentially distributed score between 0 and 100,
``X = -23 ln(1 - R (1 - exp(-100/23)))``, where ``R`` is the rank scaled to (0, 1]
with ``R = 1/N`` for the **least** deprived LSOA and ``R = 1`` for the most deprived,
and the index is the weighted sum of the seven ``X``. The published ranks are the
other way round (rank 1 = most deprived), so ``R = (N + 1 - rank) / N``.

Example
-------
>>> exponential_transform(np.array([1, 2, 3, 4]), 4).round(2).tolist()
[100.0, 31.01, 15.65, 6.52]
>>> normalise_weights({"income": 50, "employment": 30})[1]
'The weights add up to 80%; Placemap rescales them to 100% (each divided by 0.8).'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from placemap.analysis.classify import NO_DATA_COLOUR, Classification, classify_values, palette_colours
from placemap.data.catalogue import DOMAINS, Indicator, get_domain, get_indicator
from placemap.data.indicators import Polarity, rank_among
from placemap.data.loaders import LA_CODE

SEVEN_DOMAINS: tuple[str, ...] = tuple(d.id for d in DOMAINS if d.weight is not None)
OFFICIAL_WEIGHTS: dict[str, float] = {d.id: round(d.weight * 100, 1) for d in DOMAINS if d.weight is not None}
TOP_SHARE = 0.10  # "top decile of need": England's most deprived 10% of LSOAs
STABILITY_SEED = 20251030
STABILITY_DRAWS = 1000
STABILITY_SPREAD = 0.5  # each weight multiplied by a factor drawn uniformly from [0.5, 1.5]
STABILITY_CLASSES: tuple[tuple[str, float, float], ...] = (
    # label, lower bound (inclusive), upper bound (inclusive), as shares of weightings
    ("Never in the most deprived 10%", 0.0, 0.0),
    ("Rarely (under 25% of weightings)", 1e-12, 0.25 - 1e-12),
    ("Sometimes (25% to under 75%)", 0.25, 0.75 - 1e-12),
    ("Usually (75% to under 100%)", 0.75, 1.0 - 1e-12),
    ("Always (every weighting)", 1.0, 1.0),
)
SUM_TOLERANCE = 0.15  # percentage points
MIN_DEFINED = 10  # LSOAs with a value needed before a composite can use an added component
RULE_PLACE, RULE_VALUE = "place", "value"
RULES = {RULE_PLACE: "In the worst … % of the place's LSOAs", RULE_VALUE: "Beyond a value (in its own units)"}
_TRANSFORM_CONSTANT = 23.0


def domain_rank_columns(year: int) -> dict[str, str]:
    """Rank column of each of the seven domains in edition ``year``; raises if one is missing."""
    return {d: get_indicator(f"{d}_rank").column(year) for d in SEVEN_DOMAINS}


def years_with_domains(years: Sequence[int]) -> list[int]:
    """The editions among ``years`` that publish all seven domain ranks (2025 and 2019, not 2015)."""
    return [y for y in years if all(y in get_indicator(f"{d}_rank").columns for d in SEVEN_DOMAINS)]


def rank_to_decile(ranks: np.ndarray, n: int) -> np.ndarray:
    """National decile (1 = most deprived 10%) of each rank, by MHCLG's rule.

    Decile ``d`` holds the ranks above ``floor((d - 1) N / 10)`` up to ``floor(d N / 10)``,
    which reproduces the published deciles (IoD2025: decile 1 is ranks 1 to 3,375).

    Example
    -------
    >>> rank_to_decile(np.array([1, 3375, 3376, 33755]), 33755).tolist()
    [1, 1, 2, 10]
    """
    cut = np.floor(np.arange(1, 11) * n / 10)
    return np.searchsorted(cut, np.asarray(ranks), side="left") + 1


def top_share_count(n: int, share: float = TOP_SHARE) -> int:
    """How many of ``n`` LSOAs are the most deprived ``share`` (rounded down, at least one)."""
    return max(1, int(np.floor(n * share + 1e-9)))


# ---------------------------------------------------------------- overlap finder


@dataclass(frozen=True)
class Overlap:
    """The overlap finder's answer for a place.

    Attributes
    ----------
    table : one row per LSOA of the place: code, name, LA, how many of the chosen
        domains it is in the most deprived ``pct``% on, which ones, ``meets`` and population
    count : LSOAs of the place that meet the rule
    population : their population (known part), ``population_unknown`` LSOAs without one
    national_count, national_population : the same for all of England
    place_lsoas, place_population : every LSOA of the place and its (known) population
    """

    table: pd.DataFrame
    domains: tuple[str, ...]
    pct: float
    at_least: int
    count: int
    population: float
    population_unknown: int
    national_count: int
    national_population: float
    place_lsoas: int
    place_population: float
    extra: tuple[str, ...] = ()  # labels of conditions on other indicators, counted after ``domains``

    @property
    def n_conditions(self) -> int:
        """How many conditions the rule counts: the domains and any conditions on other indicators."""
        return len(self.domains) + len(self.extra)

    @property
    def rule(self) -> str:
        """The rule in words: "in England's most deprived 10% on at least 3 of 4 domains (Income, …)"."""
        labels, worst = [get_domain(d).label for d in self.domains], f"in England's most deprived {self.pct:g}%"
        if not self.extra:
            return f"{worst} on at least {self.at_least} of {len(labels)} domains ({', '.join(labels)})"
        names = "; ".join([f"{worst} on {d}" for d in labels] + list(self.extra))
        return f"in need on at least {self.at_least} of {self.n_conditions} conditions ({names})"

    @property
    def share_of_england(self) -> float:
        """The place's share of England's LSOAs that meet the rule (0 when none do)."""
        return self.count / self.national_count if self.national_count else 0.0

    @property
    def share_of_place(self) -> float:
        """Share of the place's own LSOAs that meet the rule."""
        return self.count / self.place_lsoas if self.place_lsoas else 0.0


def in_place(national: pd.DataFrame, la_codes: Sequence[str]) -> np.ndarray:
    """Rows of the national table inside the place (its local authorities)."""
    return national[LA_CODE].isin(list(la_codes)).to_numpy()


def in_most_deprived(ranks: np.ndarray, n: int, pct: float) -> np.ndarray:
    """True where a national rank is in England's most deprived ``pct``% (rank <= floor(pct N / 100))."""
    return np.asarray(ranks) <= np.floor(pct * n / 100 + 1e-9)


def overlap(
    national: pd.DataFrame,
    year: int,
    la_codes: Sequence[str],
    domains: Sequence[str],
    pct: float,
    at_least: int,
    population: pd.Series | None = None,
    extra: Sequence[tuple[str, np.ndarray]] = (),
) -> Overlap:
    """LSOAs in England's most deprived ``pct``% on at least ``at_least`` of ``domains``.

    Parameters
    ----------
    national : every LSOA of the edition (``cache.load_areas``), indexed by area code
    la_codes : the place (one LA or several)
    domains : domain ids (any of the IMD, the seven domains, IDACI, IDAOPI the edition has)
    pct : the national threshold in percent (0 < pct <= 100); 10 reproduces decile 1
    at_least : how many of the domains (1 .. len(domains))
    population : population per area code (NaN where unknown); counted only where known
    extra : more conditions, (label, boolean array over ``national``'s rows): any other
        indicator (``condition_hits``), counted like a domain

    Raises
    ------
    ValueError
        When no domain is chosen, a threshold or count is out of range, or a domain is
        not published in the edition.
    """
    domains = tuple(dict.fromkeys(domains))
    extra = tuple(extra)
    if not domains and not extra:
        raise ValueError("Choose at least one domain.")
    if not 0 < pct <= 100:
        raise ValueError(f"The threshold must be between 0% and 100%, not {pct}%.")
    k = len(domains) + len(extra)
    if not 1 <= at_least <= k:
        raise ValueError(f"'At least' must be between 1 and {k} (the number of conditions chosen).")
    n = len(national)
    hits = np.zeros((n, k), dtype=bool)
    for j, domain in enumerate(domains):
        column = get_indicator(f"{domain}_rank").column(year)
        hits[:, j] = in_most_deprived(national[column].to_numpy(dtype=float), n, pct)
    for j, (_, hit) in enumerate(extra, start=len(domains)):
        hits[:, j] = np.asarray(hit, dtype=bool)
    counts = hits.sum(axis=1)
    meets = counts >= at_least
    pop = (
        population.reindex(national.index).to_numpy(dtype=float)
        if population is not None
        else np.full(n, np.nan, dtype=float)
    )
    inside = in_place(national, la_codes)
    labels = [get_domain(d).label for d in domains] + [label for label, _ in extra]
    which = ["; ".join(label for label, hit in zip(labels, row, strict=True) if hit) for row in hits[inside]]
    table = pd.DataFrame(
        {
            "area_code": national.index[inside],
            "area_name": national["area_name"].to_numpy()[inside],
            "la_name": national["la_name"].to_numpy()[inside],
            "domains_hit": counts[inside],
            "which": which,
            "meets": meets[inside],
            "population": pop[inside],
        }
    ).sort_values(["domains_hit", "area_code"], ascending=[False, True], ignore_index=True)
    chosen = meets & inside
    return Overlap(
        table=table,
        domains=domains,
        pct=float(pct),
        at_least=int(at_least),
        count=int(chosen.sum()),
        population=float(np.nansum(pop[chosen])),
        population_unknown=int(np.isnan(pop[chosen]).sum()),
        national_count=int(meets.sum()),
        national_population=float(np.nansum(pop[meets])),
        place_lsoas=int(inside.sum()),
        place_population=float(np.nansum(pop[inside])),
        extra=tuple(label for label, _ in extra),
    )


@dataclass(frozen=True)
class Condition:
    """An indicator that is not a domain (a measure, uploaded data) as one of the overlap finder's conditions.

    ``rule`` is ``"place"`` (in the worst ``number`` % of the place's LSOAs that have a
    value) or ``"value"`` (at or beyond ``number`` in the indicator's units, "beyond"
    following its polarity).
    """

    indicator_id: str
    rule: str = RULE_PLACE
    number: float = 10.0


def describe_condition(condition: Condition, indicator: Indicator) -> str:
    """The condition in words, e.g. "Referrals at or below 12 per 1,000" or "… in the place's worst 10%"."""
    if condition.rule == RULE_VALUE:
        way = "at or above" if indicator.polarity == Polarity.HIGH_IS_WORSE else "at or below"
        unit = f" {indicator.unit}" if indicator.unit else ""
        return f"{indicator.label} {way} {condition.number:g}{unit}"
    return f"{indicator.label} in the place's worst {condition.number:g}%"


def condition_hits(values: np.ndarray, polarity: str, condition: Condition, place: np.ndarray) -> np.ndarray:
    """Where a condition holds, over the national table's rows (NaN never counts).

    ``"value"``: at or above the number (higher is worse) or at or below it (lower is worse).
    ``"place"``: among the place's LSOAs with a value, those whose rank from the worst is at
    most ``floor(number% of them)`` (at least one); tied values count together. Outside the
    place a ``"place"`` condition never holds.

    Example
    -------
    >>> v = np.array([5.0, 1.0, np.nan, 3.0, 9.0])
    >>> condition_hits(v, Polarity.HIGH_IS_WORSE, Condition("u", "value", 3), np.ones(5, bool)).tolist()
    [True, False, False, True, True]
    >>> condition_hits(v, Polarity.HIGH_IS_WORSE, Condition("u", "place", 50), np.array([1, 1, 1, 1, 0], bool)).tolist()
    [True, False, False, False, False]
    """
    values = np.asarray(values, dtype=float)
    place = np.asarray(place, dtype=bool)
    present = ~np.isnan(values)
    if condition.rule == RULE_VALUE:
        worse = values >= condition.number if polarity == Polarity.HIGH_IS_WORSE else values <= condition.number
        return present & worse
    if condition.rule != RULE_PLACE:
        raise ValueError(f"Unknown rule {condition.rule!r}")
    if not 0 < condition.number <= 100:
        raise ValueError(f"The share of the place must be between 0% and 100%, not {condition.number:g}%.")
    pool = present & place
    n = int(pool.sum())
    if n == 0:
        return np.zeros(len(values), dtype=bool)
    ranks = rank_among(np.where(pool, values, np.nan), polarity)
    k = max(1, int(np.floor(condition.number * n / 100 + 1e-9)))
    return (ranks <= k).to_numpy() & pool


def condition_columns(
    national: pd.DataFrame, year: int, la_codes: Sequence[str], conditions: Sequence[Condition], indicators
) -> list[tuple[str, np.ndarray]]:
    """Each condition in words and where it holds (``overlap``'s ``extra``); ``indicators`` resolves ids."""
    inside, out = in_place(national, la_codes), []
    for condition, indicator in ((c, indicators(c.indicator_id)) for c in conditions):
        values = national[indicator.column(year)].to_numpy(dtype=float)
        out.append(
            (describe_condition(condition, indicator), condition_hits(values, indicator.polarity, condition, inside))
        )
    return out


def partial_england(national: pd.DataFrame, year: int, conditions: Sequence[Condition], indicators) -> bool:
    """Whether England's count is not comparable: a condition is relative to the place, or its data has gaps."""
    return any(
        c.rule == RULE_PLACE or national[indicators(c.indicator_id).column(year)].isna().any() for c in conditions
    )


# ---------------------------------------------------------------- composite index


def exponential_transform(ranks: np.ndarray, n: int) -> np.ndarray:
    """The IoD exponential transformation of national ranks (1 = most deprived) to 0..100.

    ``R = (n + 1 - rank) / n`` puts the least deprived at ``1/n`` and the most deprived
    at 1; ``X = -23 ln(1 - R (1 - exp(-100/23)))`` then runs from about 0 to 100.
    """
    r = (n + 1 - np.asarray(ranks, dtype=float)) / n
    return -_TRANSFORM_CONSTANT * np.log(1 - r * (1 - np.exp(-100 / _TRANSFORM_CONSTANT)))


def normalise_weights(weights: Mapping[str, float]) -> tuple[dict[str, float], str | None]:
    """Domain weights in percent -> fractions summing to 1, and a note if they were rescaled.

    Domains left out weigh 0. Weights that add up to 100% (within ``SUM_TOLERANCE`` points:
    the official weights are rounded and add up to 99.9%) need no note; any other positive
    total is rescaled, and the note says so. Rescaling never changes the ranking.

    Raises
    ------
    ValueError
        For an unknown domain, a negative or non-finite weight, or weights that are all zero.
    """
    unknown = [d for d in weights if d not in SEVEN_DOMAINS]
    if unknown:
        raise ValueError(f"Not one of the seven domains: {', '.join(map(str, unknown))}.")
    values = {d: float(weights.get(d, 0.0)) for d in SEVEN_DOMAINS}
    bad = [get_domain(d).label for d, v in values.items() if not np.isfinite(v) or v < 0]
    if bad:
        raise ValueError(f"Weights must be zero or more; check {', '.join(bad)}.")
    total = sum(values.values())
    if total <= 0:
        raise ValueError("At least one domain needs a weight above zero.")
    note = None
    if abs(total - 100.0) > SUM_TOLERANCE:
        note = f"The weights add up to {total:g}%; Placemap rescales them to 100% (each divided by {total / 100:g})."
    return {d: v / total for d, v in values.items()}, note


def transformed_domains(national: pd.DataFrame, year: int) -> np.ndarray:
    """``(n, 7)`` exponentially transformed scores of the seven domains, in ``SEVEN_DOMAINS`` order."""
    n = len(national)
    columns = domain_rank_columns(year)
    return np.column_stack(
        [exponential_transform(national[columns[d]].to_numpy(dtype=float), n) for d in SEVEN_DOMAINS]
    )


def weight_vector(weights: Mapping[str, float]) -> np.ndarray:
    """Fractions from ``normalise_weights`` as a vector in ``SEVEN_DOMAINS`` order."""
    return np.array([weights[d] for d in SEVEN_DOMAINS], dtype=float)


def ranks_of(scores: np.ndarray) -> np.ndarray:
    """National ranks, 1 = highest score (most deprived); ties share the lowest rank."""
    return rank_among(scores, Polarity.HIGH_IS_WORSE).to_numpy(dtype=int)


def composite_index(national: pd.DataFrame, year: int, weights: Mapping[str, float]) -> pd.DataFrame:
    """The composite index of every LSOA at ``weights`` (percent, rescaled if needed).

    Returns a frame indexed like ``national`` with ``score``, ``rank``, ``decile`` (national,
    1 = most deprived), the official ``imd_rank``/``imd_decile`` and ``move`` (official rank
    minus composite rank: positive = more deprived under these weights than in the IMD).
    """
    fractions, _ = normalise_weights(weights)
    scores = transformed_domains(national, year) @ weight_vector(fractions)
    imd = get_indicator("imd_rank")
    official = national[imd.column(year)].to_numpy(dtype=int)
    return _positions(scores, official, national[imd.decile_column(year)].to_numpy(dtype=int), national.index)


def _positions(scores: np.ndarray, imd_rank: np.ndarray, imd_decile: np.ndarray, index: pd.Index) -> pd.DataFrame:
    rank = ranks_of(scores)
    return pd.DataFrame(
        {
            "score": scores,
            "rank": rank,
            "decile": rank_to_decile(rank, len(scores)),
            "imd_rank": imd_rank,
            "imd_decile": imd_decile,
            "move": imd_rank - rank,
        },
        index=index,
    )


def composite_with_component(
    national: pd.DataFrame,
    year: int,
    weights: Mapping[str, float],
    component: Indicator,
    component_weight: float,
    transformed: np.ndarray | None = None,
) -> pd.DataFrame:
    """The composite index with one more component (a measure, uploaded data), **only where it has a value**.

    The component's values are ranked among England's ``n_u`` LSOAs with one, by its polarity,
    and transformed like a domain (``exponential_transform`` with ``n_u``); the seven domains keep
    their national scores (``transformed``, from ``transformed_domains``); the eight weights are
    rescaled to 100%. Ranks, deciles, the IMD rank (re-ranked) and ``move`` are **among the
    defined LSOAs**. A frame like ``composite_index``'s, NaN where the component has no value.

    Raises
    ------
    ValueError
        For a negative weight, weights that are all zero, or fewer than ``MIN_DEFINED`` values.
    """
    domain_weights = np.array([float(weights.get(d, 0.0)) for d in SEVEN_DOMAINS])
    if not np.isfinite([*domain_weights, component_weight]).all() or min(*domain_weights, component_weight) < 0:
        raise ValueError("Weights must be zero or more.")
    total = float(domain_weights.sum() + component_weight)
    if total <= 0:
        raise ValueError("At least one weight needs to be above zero.")
    values = national[component.column(year)].astype(float)
    defined = values.notna().to_numpy()
    n_u = int(defined.sum())
    if n_u < MIN_DEFINED:
        raise ValueError(
            f"{component.label} has a value for {n_u} LSOA(s) of this edition; "
            f"the composite index needs at least {MIN_DEFINED}."
        )
    if transformed is None:
        transformed = transformed_domains(national, year)
    component_ranks = rank_among(values[defined], component.polarity).to_numpy(dtype=float)
    scores = transformed[defined] @ (domain_weights / total) + (component_weight / total) * exponential_transform(
        component_ranks, n_u
    )
    imd_column = get_indicator("imd_rank").column(year)
    imd_rank = rank_among(national.loc[defined, imd_column].to_numpy(dtype=float), Polarity.LOW_IS_WORSE).to_numpy(int)
    out = _positions(scores, imd_rank, rank_to_decile(imd_rank, n_u), national.index[defined])
    return out.reindex(national.index)


# ---------------------------------------------------------------- rank stability


def random_weightings(weights: np.ndarray, draws: int, spread: float, seed: int) -> np.ndarray:
    """``(draws, 7)`` weightings around ``weights``: each weight times U(1 - spread, 1 + spread), rescaled.

    A domain weighted 0 stays at 0. The generator is seeded, so the same inputs give the
    same weightings.
    """
    if not 0 <= spread < 1:
        raise ValueError("The spread must be at least 0 and below 1.")
    rng = np.random.default_rng(seed)
    factors = rng.uniform(1 - spread, 1 + spread, size=(draws, len(weights)))
    drawn = factors * np.asarray(weights, dtype=float)
    return drawn / drawn.sum(axis=1, keepdims=True)


def rank_stability(
    transformed: np.ndarray,
    weights: np.ndarray,
    subset: np.ndarray | None = None,
    *,
    reference: str = "england",
    draws: int = STABILITY_DRAWS,
    spread: float = STABILITY_SPREAD,
    seed: int = STABILITY_SEED,
    chunk: int = 100,
) -> np.ndarray:
    """Share (0..1) of random weightings in which each LSOA of ``subset`` (in order) is in the top decile of need.

    Parameters
    ----------
    transformed : ``(n, 7)`` from ``transformed_domains`` (all of England)
    weights : fractions in ``SEVEN_DOMAINS`` order (the chosen weights)
    subset : boolean mask of the LSOAs to report (default: all)
    reference : ``"england"``: the most deprived 10% of England's LSOAs under each
        weighting; ``"place"``: the most deprived 10% of the subset's own LSOAs
    draws, spread, seed : see ``random_weightings``
    chunk : weightings scored at a time (bounds memory to ``n * chunk`` floats)
    """
    if reference not in ("england", "place"):
        raise ValueError(f"Unknown reference {reference!r}")
    subset = np.ones(len(transformed), dtype=bool) if subset is None else np.asarray(subset, dtype=bool)
    pool = transformed if reference == "england" else transformed[subset]
    report = subset if reference == "england" else np.ones(len(pool), dtype=bool)
    k = top_share_count(len(pool))
    sampled = random_weightings(weights, draws, spread, seed)
    hits = np.zeros(int(report.sum()), dtype=np.int64)
    pool_t = np.ascontiguousarray(pool.T)
    for start in range(0, draws, chunk):
        scores = sampled[start : start + chunk] @ pool_t  # (chunk, n): one row per weighting
        # The k-th highest score of each weighting is its top-decile threshold.
        threshold = np.partition(scores, len(pool) - k, axis=1)[:, len(pool) - k]
        hits += (scores[:, report] >= threshold[:, None]).sum(axis=0)
    return hits / draws


def stability_class(shares: np.ndarray) -> np.ndarray:
    """Index into ``STABILITY_CLASSES`` for each share (0 = never ... 4 = always)."""
    shares = np.asarray(shares, dtype=float)
    out = np.zeros(len(shares), dtype=int)
    for i, (_, low, high) in enumerate(STABILITY_CLASSES):
        out[(shares >= low) & (shares <= high)] = i
    return out


# ---------------------------------------------------------------- map classes


def _classification(classes: np.ndarray, palette: list[str], labels: list[str], scheme: str) -> Classification:
    classes = np.asarray(classes, dtype=int)
    return Classification(
        classes=classes,
        colours=[palette[c] if c >= 0 else NO_DATA_COLOUR for c in classes],
        palette=palette,
        labels=labels,
        bins=[],
        counts=[int((classes == i).sum()) for i in range(len(palette))],
        n_missing=int((classes < 0).sum()),
        scheme=scheme,
    )


def overlap_classification(result: Overlap, codes: Sequence[str]) -> Classification:
    """Map classes of the overlap finder: how many of the chosen domains (0 .. all), for ``codes`` in order."""
    hits = result.table.set_index("area_code")["domains_hit"].reindex(list(codes))
    k = result.n_conditions
    what = "domains" if not result.extra else "conditions"
    labels = [f"{i} of {k} {what}" + (" (meets the rule)" if i >= result.at_least else "") for i in range(k + 1)]
    classes = hits.fillna(-1).to_numpy(dtype=int)
    return _classification(classes, palette_colours("viridis", k + 1), labels, "overlap")


def stability_classification(shares: np.ndarray) -> Classification:
    """Map classes of the rank-stability view (``STABILITY_CLASSES``)."""
    labels = [label for label, _, _ in STABILITY_CLASSES]
    return _classification(stability_class(shares), palette_colours("viridis", len(labels)), labels, "stability")


def composite_classification(deciles: np.ndarray, palette: str = "viridis") -> Classification:
    """Map classes of the composite index: its national deciles, drawn like the map explorer's deciles."""
    return classify_values(
        np.asarray(deciles, dtype=float),
        "national_deciles",
        10,
        polarity=Polarity.LOW_IS_WORSE,
        palette=palette,
        national_bins=[float(d) for d in range(1, 11)],
        measure_is_decile=True,
    )


def overlap_map(result: Overlap, codes: Sequence[str], label: str, total: int, version: str):
    """Classes and style payload of the overlap map, for official domains and uploaded conditions alike.

    Each tooltip says how many conditions an LSOA meets and which; strings are escaped by
    ``maps.style_payload``.
    """
    from placemap.render.maps import style_payload

    classification = overlap_classification(result, codes)
    rows = result.table.set_index("area_code").reindex(list(codes))
    k = result.n_conditions
    values = [
        f"{int(n)} of {k}" + (f": {w}" if w else "") for n, w in zip(rows["domains_hit"], rows["which"], strict=True)
    ]
    n = len(values)
    payload = style_payload(classification, values, [""] * n, [""] * n, label, total, version)
    return classification, payload


def composite_map(composite: pd.DataFrame, label: str, total: int, version: str, imd_rank: str = "official IMD rank"):
    """Classes and style payload of the composite index map (``composite_index`` rows, in map order).

    With an uploaded component the rows where it has no value have no score: they are "No data",
    and ``imd_rank`` names the rank shown beside the score (among the LSOAs with a value).
    """
    from placemap.render.maps import style_payload

    classification = composite_classification(composite["decile"].to_numpy(dtype=float))
    defined = composite["score"].notna()
    values = [
        f"{s:.2f} ({imd_rank} {int(r):,})" if ok else "No value in your data"
        for s, r, ok in zip(composite["score"], composite["imd_rank"].fillna(0), defined, strict=True)
    ]
    ranks = [f"{int(r):,}" if ok else "" for r, ok in zip(composite["rank"].fillna(0), defined, strict=True)]
    deciles = [str(int(d)) if ok else "" for d, ok in zip(composite["decile"].fillna(0), defined, strict=True)]
    payload = style_payload(classification, values, ranks, deciles, label, total, version)
    return classification, payload
