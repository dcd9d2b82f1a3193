"""Before/after evaluation of an intervention: matched comparison group and difference-in-differences.

The question an evaluator can honestly ask of the Indices of Deprivation is: *did the
intervention's LSOAs move differently from similar LSOAs elsewhere?* This module answers
it in three steps, all deterministic:

1. **Analysis frame** (``analysis_frame``): every LSOA on the comparison's geography
   (see ``placemap.analysis.change``) with the outcome before and after and its baseline profile
   (rank positions of the baseline edition's domains).
2. **Matching** (``match_controls``): for each treated LSOA, the ``k`` nearest LSOAs
   outside the intervention by Euclidean distance between baseline profiles (with
   replacement; ties broken by area code), optionally within the same region and/or
   outside the treated LSOA's local authority. A treated LSOA is never its own control.
3. **Estimate** (``did_estimate``): the mean over treated LSOAs of (its change minus the
   mean change of its matches), with a percentile bootstrap interval that resamples
   treated LSOAs together with their matches (seeded ``numpy`` generator).

The intervention itself is defined in ``placemap.analysis.evaluation_inputs``; the words in
``placemap.analysis.evaluation_words`` never claim causation: the estimate is a difference between groups.

Example
-------
>>> est = did_estimate(np.array([3.0, 5.0, 4.0]), np.array([[1.0], [1.0], [1.0]]), n_boot=200, seed=1)
>>> round(est.did, 3)
3.0
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from placemap.analysis import change, lsoa_change
from placemap.analysis.evaluation_inputs import (
    CI_LEVEL,
    DEFAULT_BOOT,
    DEFAULT_SEED,
    MIN_TREATED,
    NO_UPLOADED_VALUE,
    NO_UPLOADED_VALUE_CODE,
    EvaluationError,
    Intervention,
    MatchOptions,
)
from placemap.data.loaders import AREA_NAME, LA_CODE, LA_NAME, WARD_NAME

# --------------------------------------------------------------------------- analysis frame


def profile_domains(before: int, domain_id: str) -> list[str]:
    """Domains whose baseline rank positions make up an LSOA's profile for matching.

    The seven domains when the baseline edition publishes them (2019, 2025), else the IMD
    and its published sub-domains (2015); the outcome domain is always included.
    """
    seven = [d.id for d in change.headline_domains(before) if d.id != "imd"]
    ids = seven if seven else [d.id for d in change.domains_with_ranks(before)]
    if domain_id not in ids:
        ids = [*ids, domain_id]
    return ids


def analysis_frame(
    frames: dict[int, pd.DataFrame],
    before: int,
    after: int,
    domain_id: str,
    lookup: pd.DataFrame,
    population: pd.Series,
    regions: pd.Series,
    merged_rule: str = lsoa_change.MERGED_RULE,
) -> pd.DataFrame:
    """Every LSOA of the comparison's geography with outcome, baseline profile, LA and region.

    Parameters
    ----------
    frames : each edition's LSOA table (``loaders.read_areas``) for ``before`` and ``after``
    before, after, domain_id : the editions and the outcome domain
    lookup, population, merged_rule : as for ``lsoa_change.carry_forward``
    regions : area code -> region code on the comparison's geography

    Returns
    -------
    Indexed by area code: ``change_code``, ``position_before``, ``position_after``,
    ``position_change`` (points), ``decile_before``, ``decile_after``, ``decile_change``,
    ``comparable``, one ``p_<domain>`` column per profile domain (baseline rank position),
    ``la_code``, ``la_name``, ``area_name``, ``ward_name`` and ``region_code``.
    """
    table, _rule = change.compare_editions(
        change.edition_values(frames[before], before, domain_id),
        change.edition_values(frames[after], after, domain_id),
        before,
        after,
        lookup,
        population,
        merged_rule,
    )
    target = lsoa_change.common_geography(before, after)
    ids = profile_domains(before, domain_id)
    positions = pd.DataFrame(
        {f"p_{d}": change.edition_values(frames[before], before, d)[lsoa_change.POSITION] for d in ids}
    )
    carried = lsoa_change.values_on(positions, before, target, lookup, population, merged_rule)
    out = table.join(carried.drop(columns=[lsoa_change.CHANGE_CODE]))
    places = frames[lsoa_change.geography_year(before, after)]
    out = out.join(places[[AREA_NAME, WARD_NAME, LA_CODE, LA_NAME]])
    out[lsoa_change.REGION_CODE] = regions.reindex(out.index).to_numpy()
    return out


def profile_columns(frame: pd.DataFrame) -> list[str]:
    """The baseline profile columns of an analysis frame."""
    return [c for c in frame.columns if c.startswith("p_")]


# --------------------------------------------------------------------------- matching


@dataclass(frozen=True)
class Matches:
    """Each treated LSOA and its comparison LSOAs (row ``i`` of ``controls`` belongs to ``treated[i]``)."""

    treated: tuple[str, ...]
    controls: np.ndarray  # (n_treated, k) area codes
    distances: np.ndarray  # (n_treated, k) profile distances (rank-position units)
    dropped: dict[str, str]  # treated code -> why it was left out
    n_candidates: int  # LSOAs outside the intervention with comparable values


def match_controls(
    frame: pd.DataFrame,
    treated: list[str] | tuple[str, ...],
    options: MatchOptions,
    profile: list[str] | None = None,
) -> Matches:
    """Nearest-neighbour matching on the baseline profile.

    Parameters
    ----------
    frame : an ``analysis_frame`` (or any frame with ``comparable``, profile columns,
        ``la_code`` and ``region_code``)
    treated : the intervention's area codes
    options : neighbours per treated LSOA, same-region and exclude-same-LA constraints
    profile : profile columns (default: every ``p_`` column)

    Raises
    ------
    EvaluationError
        When no treated LSOA can be compared, or a treated LSOA has fewer eligible
        candidates than ``options.n_neighbours`` (the message says which and why).
    """
    profile = profile or profile_columns(frame)
    k = options.n_neighbours
    treated_set = set(treated)
    usable = frame["comparable"].astype(bool) & frame[profile].notna().all(axis=1)
    dropped: dict[str, str] = {}
    kept = []
    for code in dict.fromkeys(treated):
        if code not in frame.index:
            dropped[code] = "not an LSOA of this comparison's geography"
        elif not usable.get(code, False):
            reason = frame.at[code, lsoa_change.CHANGE_CODE]
            dropped[code] = (
                "complex boundary change between 2011 and 2021: excluded"
                if reason == lsoa_change.COMPLEX
                else NO_UPLOADED_VALUE
                if reason == NO_UPLOADED_VALUE_CODE
                else "no comparable value in one of the editions"
            )
        else:
            kept.append(code)
    if len(kept) < MIN_TREATED:
        raise EvaluationError(
            f"Only {len(kept)} of the {len(treated_set)} chosen LSOAs can be compared (each needs a value before "
            f"and after); at least {MIN_TREATED} are needed for an interval. Add LSOAs or choose other editions "
            "(or columns)."
        )
    candidates = frame[usable & ~frame.index.isin(list(treated_set))].sort_index()
    if len(candidates) < k:
        raise EvaluationError(
            f"Too few comparison candidates: {len(candidates)} LSOAs outside the intervention have comparable "
            f"values, and {k} are needed for each treated LSOA. Choose fewer comparison LSOAs per treated LSOA."
        )
    cand_values = candidates[profile].to_numpy(dtype=float)
    cand_codes = candidates.index.to_numpy()
    cand_region = candidates[lsoa_change.REGION_CODE].to_numpy()
    cand_la = candidates[LA_CODE].to_numpy()
    treated_frame = frame.loc[kept]
    controls = np.empty((len(kept), k), dtype=object)
    distances = np.empty((len(kept), k), dtype=float)

    # Treated LSOAs sharing a region and LA share a candidate pool: match them in blocks.
    keys = list(
        zip(
            treated_frame[lsoa_change.REGION_CODE] if options.same_region else [None] * len(kept),
            treated_frame[LA_CODE] if options.exclude_same_la else [None] * len(kept),
            strict=True,
        )
    )
    rows_by_key: dict[tuple, list[int]] = {}
    for i, key in enumerate(keys):
        rows_by_key.setdefault(key, []).append(i)
    for (region, la), rows in rows_by_key.items():
        mask = np.ones(len(candidates), dtype=bool)
        if options.same_region:
            mask &= cand_region == region
        if options.exclude_same_la:
            mask &= cand_la != la
        pool = np.flatnonzero(mask)
        if len(pool) < k:
            example = kept[rows[0]]
            why = []
            if options.same_region:
                why.append("in the same region")
            if options.exclude_same_la:
                why.append("outside its local authority")
            raise EvaluationError(
                f"Too few comparison candidates: {example} has only {len(pool)} eligible LSOAs "
                f"({' and '.join(why)}), and {k} are needed. Turn off a constraint or choose fewer "
                "comparison LSOAs per treated LSOA."
            )
        pool_values = cand_values[pool]
        treated_values = treated_frame[profile].to_numpy(dtype=float)[rows]
        for start in range(0, len(rows), 256):
            block = treated_values[start : start + 256]
            d = np.sqrt(((block[:, None, :] - pool_values[None, :, :]) ** 2).sum(axis=2))
            # Stable sort over code-ordered candidates: equal distances go to the lower code.
            order = np.argsort(d, axis=1, kind="stable")[:, :k]
            for j, row in enumerate(rows[start : start + 256]):
                controls[row] = cand_codes[pool[order[j]]]
                distances[row] = d[j, order[j]]
    return Matches(
        treated=tuple(kept),
        controls=controls,
        distances=distances,
        dropped=dropped,
        n_candidates=len(candidates),
    )


def balance_table(frame: pd.DataFrame, matches: Matches, profile: list[str] | None = None) -> pd.DataFrame:
    """Baseline balance: mean rank position (%) of each profile domain for the three groups.

    Columns: Domain, Treated, Matched comparison, All other LSOAs, Standardised difference
    (treated − matched, in pooled standard deviations of treated and all other LSOAs; below 0.1
    is usually read as balanced), and the same difference before matching (treated − all other).
    """
    profile = profile or profile_columns(frame)
    treated = frame.loc[list(matches.treated), profile] * 100
    matched = frame.loc[matches.controls.ravel().tolist(), profile] * 100
    usable = frame["comparable"].astype(bool) & frame[profile].notna().all(axis=1)
    others = frame.loc[usable & ~frame.index.isin(list(matches.treated) + list(matches.dropped)), profile] * 100
    rows = []
    for column in profile:
        t, m, o = treated[column], matched[column], others[column]
        # One denominator before and after matching (the pooled SD of treated and all other
        # LSOAs), so the two standardised differences are comparable (Stuart 2010).
        sd = float(np.sqrt((t.var(ddof=1) + o.var(ddof=1)) / 2)) if len(t) > 1 and len(o) > 1 else float("nan")
        rows.append(
            {
                "Domain (baseline rank position, %)": change.domain_label(column.removeprefix("p_")),
                "Treated": round(float(t.mean()), 1),
                "Matched comparison": round(float(m.mean()), 1),
                "All other LSOAs": round(float(o.mean()), 1),
                "Standardised difference": round(_smd(t.mean(), m.mean(), sd), 3),
                "Before matching": round(_smd(t.mean(), o.mean(), sd), 3),
            }
        )
    return pd.DataFrame(rows)


def _smd(a: float, b: float, sd: float) -> float:
    if not sd or np.isnan(sd):
        return 0.0 if a == b else float("nan")
    return float((a - b) / sd)


# --------------------------------------------------------------------------- estimate


@dataclass(frozen=True)
class Estimate:
    """A difference-in-differences estimate with its bootstrap interval."""

    did: float
    ci_low: float
    ci_high: float
    treated_change: float
    comparison_change: float
    n_treated: int
    n_boot: int
    seed: int
    level: float
    draws: np.ndarray

    @property
    def covers_zero(self) -> bool:
        return self.ci_low <= 0 <= self.ci_high


def did_estimate(
    treated_change: np.ndarray,
    control_change: np.ndarray,
    *,
    n_boot: int = DEFAULT_BOOT,
    seed: int = DEFAULT_SEED,
    level: float = CI_LEVEL,
) -> Estimate:
    """Difference-in-differences of matched changes with a seeded percentile bootstrap.

    Parameters
    ----------
    treated_change : change of each treated LSOA, shape ``(n,)``
    control_change : change of each treated LSOA's matches, shape ``(n, k)``
    n_boot : bootstrap draws; each resamples the ``n`` treated LSOAs (with their matches)
    seed : seed of ``numpy.random.default_rng``: the same inputs and seed give the same interval
    level : coverage of the interval

    Returns
    -------
    Estimate : ``did`` = mean(treated change) − mean over treated of mean(matches' change)
    """
    t = np.asarray(treated_change, dtype=float)
    c = np.asarray(control_change, dtype=float)
    if c.ndim == 1:
        c = c[:, None]
    if len(t) != len(c):
        raise ValueError("Each treated LSOA needs a row of comparison changes")
    if len(t) == 0:
        raise EvaluationError("No treated LSOAs to compare.")
    paired = t - c.mean(axis=1)
    rng = np.random.default_rng(seed)
    draws = np.empty(n_boot)
    n = len(paired)
    for start in range(0, n_boot, 500):  # bounded memory for large n
        stop = min(n_boot, start + 500)
        idx = rng.integers(0, n, size=(stop - start, n))
        draws[start:stop] = paired[idx].mean(axis=1)
    alpha = (1 - level) / 2
    low, high = np.quantile(draws, [alpha, 1 - alpha])
    return Estimate(
        did=float(paired.mean()),
        ci_low=float(low),
        ci_high=float(high),
        treated_change=float(t.mean()),
        comparison_change=float(c.mean()),
        n_treated=n,
        n_boot=n_boot,
        seed=seed,
        level=level,
        draws=draws,
    )


# --------------------------------------------------------------------------- the whole evaluation


@dataclass(frozen=True)
class Evaluation:
    """Everything the evaluation page shows, computed once (and cacheable)."""

    intervention: Intervention
    matches: Matches
    estimate: Estimate
    balance: pd.DataFrame
    groups: pd.DataFrame
    pairs: pd.DataFrame
    treated_cases: dict[str, int]


def _outcome_columns(measure: str) -> tuple[str, str, str, float]:
    if measure == lsoa_change.DECILE:
        return "decile_before", "decile_after", "decile_change", 1.0
    return "position_before", "position_after", "position_change", 100.0


def evaluate(frame: pd.DataFrame, intervention: Intervention) -> Evaluation:
    """Match, estimate and summarise one intervention on an ``analysis_frame``.

    Raises
    ------
    EvaluationError
        If the intervention is invalid or cannot be matched (see ``match_controls``).
    """
    intervention.validate()
    matches = match_controls(frame, list(intervention.area_codes), intervention.options)
    before_col, after_col, change_col, scale = _outcome_columns(intervention.measure)
    editions, years = (
        [f"IoD{intervention.before}", f"IoD{intervention.after}"],
        [intervention.before, intervention.after],
    )
    if intervention.outcome is not None:  # the user's own data: see ``placemap.analysis.upload_evaluation``
        before_col, after_col, change_col, scale = "value_before", "value_after", "value_change", 1.0
        editions, years = [intervention.outcome.before_label, intervention.outcome.after_label], [0, 1]
        if editions[0] == editions[1]:
            editions = [f"Before: {editions[0]}", f"After: {editions[1]}"]
    treated_rows = frame.loc[list(matches.treated)]
    control_codes = matches.controls.ravel().tolist()
    control_rows = frame.loc[control_codes]
    k = matches.controls.shape[1]
    estimate = did_estimate(
        treated_rows[change_col].to_numpy(dtype=float),
        control_rows[change_col].to_numpy(dtype=float).reshape(-1, k),
        n_boot=intervention.n_boot,
        seed=intervention.seed,
    )
    groups = pd.DataFrame(
        {
            "Group": ["Intervention LSOAs", "Intervention LSOAs", "Matched comparison", "Matched comparison"],
            "Edition": editions * 2,
            "Year": years * 2,
            "Mean": [
                float(treated_rows[before_col].mean() * scale),
                float(treated_rows[after_col].mean() * scale),
                float(control_rows[before_col].mean() * scale),
                float(control_rows[after_col].mean() * scale),
            ],
        }
    )
    groups["Mean"] = groups["Mean"].round(2)
    pairs = pd.DataFrame(
        {
            "Treated LSOA": np.repeat(np.array(matches.treated, dtype=object), k),
            "Treated name": np.repeat(treated_rows[AREA_NAME].to_numpy(), k),
            "Comparison LSOA": control_codes,
            "Comparison name": control_rows[AREA_NAME].to_numpy(),
            "Comparison LA": control_rows[LA_NAME].to_numpy(),
            "Profile distance": np.round(matches.distances.ravel() * 100, 2),
            "Treated change": np.repeat(treated_rows[change_col].round(2).to_numpy(), k),
            "Comparison change": control_rows[change_col].round(2).to_numpy(),
        }
    )
    cases = treated_rows[lsoa_change.CHANGE_CODE].value_counts().to_dict()
    return Evaluation(
        intervention=intervention,
        matches=matches,
        estimate=estimate,
        balance=balance_table(frame, matches),
        groups=groups,
        pairs=pairs,
        treated_cases={str(k_): int(v) for k_, v in cases.items()},
    )
