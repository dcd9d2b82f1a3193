"""An evaluation in words: the estimate without a claim of cause, its cautions, and the selection map's classes."""

from __future__ import annotations

import numpy as np

from placemap.analysis import change, lsoa_change
from placemap.analysis.classify import Classification
from placemap.analysis.evaluation import Evaluation
from placemap.analysis.evaluation_inputs import SMALL_TREATED


def unit(measure: str) -> str:
    """The unit of a change in ``measure``: "points" (of rank position) or "deciles"."""
    return "deciles" if measure == lsoa_change.DECILE else "points"


def summary_sentences(evaluation: Evaluation) -> list[str]:
    """The estimate in plain words (markdown), with no claim of cause."""
    i, e = evaluation.intervention, evaluation.estimate
    u = unit(i.measure)
    what = f"{change.domain_label(i.domain)} ({'national decile' if i.measure == lsoa_change.DECILE else 'national rank position'})"
    lines = [
        f"Between IoD{i.before} and IoD{i.after}, on {what}, the intervention's {e.n_treated:,} LSOAs changed by "
        f"**{e.treated_change:+.2f} {u}** on average and their matched comparison LSOAs by "
        f"**{e.comparison_change:+.2f} {u}**.",
        f"Difference-in-differences: **{e.did:+.2f} {u}** ({e.level:.0%} bootstrap interval "
        f"{e.ci_low:+.2f} to {e.ci_high:+.2f}; {e.n_boot:,} draws, seed {e.seed}). Positive means the "
        "intervention's LSOAs moved further away from the most deprived end of England's ranking than similar "
        "LSOAs did; negative means further towards it.",
    ]
    if e.covers_zero:
        lines.append(
            "The interval includes zero: these data are consistent with **no difference** between the two groups."
        )
    else:
        direction = "less deprived" if e.did > 0 else "more deprived"
        lines.append(
            f"The interval does not include zero: the intervention's LSOAs became relatively {direction} than "
            "their matched comparison LSOAs. This is an association, not proof that the intervention caused it."
        )
    return lines


def caveats(evaluation: Evaluation) -> list[str]:
    """Plain-language cautions for reading the estimate (markdown)."""
    i, e = evaluation.intervention, evaluation.estimate
    out = [
        "**Not proof of cause.** The comparison shows how the intervention's LSOAs moved against similar LSOAs. "
        "Anything else that changed in one group and not the other (other programmes, new housing, people moving) "
        "shows up in the difference too.",
        "**Regression to the mean.** Areas picked because they looked very deprived tend to drift back towards the "
        "middle of the ranking in the next edition whatever happens. Matching on the baseline profile (including "
        "this domain) reduces this but cannot remove it.",
        "**Ranks are relative.** An area's rank can fall because other areas improved faster, even if its own "
        "conditions got better; a change in rank position is a change relative to the rest of England.",
        "**Time lag.** Each edition is built from data collected some years before it was published, so recent "
        "work may not show yet.",
    ]
    if i.after == 2025 or i.before == 2025:
        out.append(
            "**The 2025 method change.** IoD2025 revised indicators and moved to the 2021 LSOAs, so part of any "
            "change into IoD2025 reflects the method; it applies to both groups, but not necessarily equally."
        )
    if lsoa_change.geography(i.before) != lsoa_change.geography(i.after):
        reshaped = evaluation.treated_cases.get(lsoa_change.SPLIT, 0) + evaluation.treated_cases.get(
            lsoa_change.MERGED, 0
        )
        if reshaped:
            out.append(
                f"**Boundary changes.** {reshaped} of the intervention's LSOAs were split or merged between 2011 "
                "and 2021: their baseline values are inherited from, or averaged over, their 2011 LSOAs."
            )
    if e.n_treated < SMALL_TREATED:
        out.append(
            f"**Small numbers.** Only {e.n_treated} LSOAs were compared: the interval is wide and one or two "
            "areas can move the estimate."
        )
    else:
        out.append(
            "**Small areas.** LSOAs hold about 1,500 residents and nearby ranks are close, so small moves can be noise."
        )
    if evaluation.matches.dropped:
        out.append(
            f"**Left out.** {len(evaluation.matches.dropped)} chosen LSOA(s) could not be compared between these "
            "editions and are not in the estimate."
        )
    return out


def edition_note(before: int, after: int) -> str:
    """Which LSOAs a comparison uses, in words."""
    label = lsoa_change.GEOGRAPHY_LABELS
    b, a = lsoa_change.geography(before), lsoa_change.geography(after)
    if b == a:
        return f"IoD{before} and IoD{after} both use {label[a]}."
    return f"IoD{before} uses {label[b]} and IoD{after} {label[a]}; the evaluation runs on {label[a]}."


SELECTION_PALETTE = ["#d9d9d9", "#0072B2"]  # not chosen (grey), chosen (Okabe-Ito blue)


def selection_classification(area_codes: list[str], selected: set[str]) -> Classification:
    """Two classes for the evaluation map: chosen LSOAs (1) and the rest (0)."""
    classes = np.array([1 if c in selected else 0 for c in area_codes])
    return Classification(
        classes=classes,
        colours=[SELECTION_PALETTE[c] for c in classes],
        palette=list(SELECTION_PALETTE),
        labels=["Not in the intervention", "In the intervention"],
        bins=[0.0, 1.0],
        counts=[int((classes == 0).sum()), int((classes == 1).sum())],
        n_missing=0,
        scheme="selection",
    )
