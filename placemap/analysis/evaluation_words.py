"""An evaluation in words: the estimate without a claim of cause, its cautions, and the selection map's classes."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from placemap.analysis import change, lsoa_change
from placemap.analysis.classify import Classification
from placemap.analysis.evaluation import Evaluation
from placemap.analysis.evaluation_inputs import SMALL_TREATED
from placemap.analysis.pair_change import source_line
from placemap.data.catalogue import IOD_ATTRIBUTION
from placemap.data.indicators import Indicator, Polarity
from placemap.data.prepare import escape_markdown


def unit(measure: str) -> str:
    """The unit of a change in ``measure``: "points" (of rank position) or "deciles"."""
    return "deciles" if measure == lsoa_change.DECILE else "points"


@dataclass(frozen=True)
class Outcome:
    """An evaluation's outcome: a "before" and an "after" catalogue indicator of the same concept.

    Two editions of an IoD domain's rank position (or decile), or two columns of an uploaded
    LSOA table; every word the page shows about the outcome (unit, source, labels, cautions)
    comes from these records. ``profile_year`` is the edition whose domain profile is matched on.
    """

    before: Indicator
    after: Indicator
    profile_year: int

    def csv_lines(self) -> list[str]:
        """What the matched pairs' CSV says about the outcome (not escaped: ``export`` guards formulas)."""
        after = self.after
        what = f"{after.label}, {self.before.period} to {after.period}, change in {after.unit or 'its units'}"
        matching = "" if after.official else " Matching profile: English Indices of Deprivation, MHCLG."
        return [what, f"{source_line(after)}.{matching} {IOD_ATTRIBUTION}"]


def official_outcome(domain_id: str, before: int, after: int, measure: str) -> Outcome:
    """A domain's national rank position (or decile) in IoD``before`` and IoD``after`` as an outcome."""
    decile = measure == lsoa_change.DECILE
    what = f"{change.domain_label(domain_id)} ({'national decile' if decile else 'national rank position'})"

    def record(year: int) -> Indicator:
        return Indicator(
            id=f"{domain_id}_{measure}_{year}",
            label=what,
            domain=domain_id,
            subdomain=None,
            measure=measure,
            unit=unit(measure),
            polarity=Polarity.LOW_IS_WORSE,  # higher = further from the most deprived end
            columns={year: f"{domain_id}_{measure}"},
            rank_columns={},
            decile_columns={},
            period=f"IoD{year}",
            direction="relatively less deprived",
        )

    return Outcome(record(before), record(after), before)


def uploaded_outcome(before: Indicator, after: Indicator, profile_year: int) -> Outcome:
    """Two uploaded columns as an outcome (their labels are their periods)."""
    return Outcome(replace(before, period=before.label), replace(after, period=after.label), profile_year)


def data_note(outcome: Outcome, before: int, after: int) -> str:
    """Which LSOAs the comparison uses, in words (markdown; uploaded text escaped)."""
    if outcome.after.official:
        return edition_note(before, after)
    geography = lsoa_change.GEOGRAPHY_LABELS[str(outcome.after.geography)]
    return f"Your data is on {geography}; the evaluation runs on them. {escape_markdown(source_line(outcome.after))}."


def outcome_note(outcome: Outcome) -> str:
    """What the outcome is, when it is not the page's default (markdown, escaped); "" for an IoD domain."""
    if outcome.after.official:
        return ""
    return (
        f"Outcome: **your data**, *{escape_markdown(outcome.before.label)}* → *{escape_markdown(outcome.after.label)}*. "
        f"LSOAs are matched on IoD{outcome.profile_year}'s domain profile, the edition on the same LSOAs as your data."
    )


def chart_labels(outcome: Outcome, measure: str) -> dict[str, str]:
    """Title, y axis title, source line and x axis title of the before/after chart (not escaped: Altair text)."""
    if outcome.after.official:
        y = (
            "Mean national decile (1 = most deprived)"
            if measure == lsoa_change.DECILE
            else "Mean rank position (%; 0 = most deprived end)"
        )
        return {"title": f"{change.domain_label(outcome.after.domain)}: before and after", "y_title": y}
    u = f" ({outcome.after.unit})" if outcome.after.unit else ""
    return {
        "title": f"Your data: {outcome.after.label}: before and after",
        "y_title": f"Mean {outcome.after.label}{u}",
        "source": f"{source_line(outcome.after)}. Placemap.",
        "x_title": "Column of your data",
    }


def summary_sentences(evaluation: Evaluation, outcome: Outcome) -> list[str]:
    """The estimate in plain words (markdown; uploaded labels escaped), with no claim of cause."""
    e = evaluation.estimate
    u = f" {escape_markdown(outcome.after.unit)}" if outcome.after.unit else ""
    b, a = escape_markdown(outcome.before.period), escape_markdown(outcome.after.period)
    worse_high = outcome.after.polarity == Polarity.HIGH_IS_WORSE
    said = "You said higher values are" if not outcome.after.official else "Higher values are"
    on = f"on {escape_markdown(outcome.after.label)}" if outcome.after.official else "(your data)"
    lines = [
        f"From *{b}* to *{a}* {on}, the intervention's {e.n_treated:,} LSOAs changed by "
        f"**{e.treated_change:+,.3g}{u}** on average and their matched comparison LSOAs by "
        f"**{e.comparison_change:+,.3g}{u}**.",
        f"Difference-in-differences: **{e.did:+,.3g}{u}** ({e.level:.0%} bootstrap interval {e.ci_low:+,.3g} to "
        f"{e.ci_high:+,.3g}; {e.n_boot:,} draws, seed {e.seed}). {said} {'worse' if worse_high else 'better'}"
        f"{f' ({escape_markdown(outcome.after.direction)})' if outcome.after.direction else ''}, so a "
        f"{'negative' if worse_high else 'positive'} difference means the intervention's LSOAs did better than "
        "similar LSOAs.",
    ]
    if e.covers_zero:
        lines.append(
            "The interval includes zero: these data are consistent with **no difference** between the two groups."
        )
    else:
        better = (e.did < 0) == worse_high
        lines.append(
            f"The interval does not include zero: the intervention's LSOAs did {'better' if better else 'worse'} on "
            "this measure than their matched comparison LSOAs. This is an association, not proof that the "
            "intervention caused it."
        )
    return lines


def caveats(evaluation: Evaluation, outcome: Outcome) -> list[str]:
    """Plain-language cautions for reading the estimate (markdown)."""
    i, e = evaluation.intervention, evaluation.estimate
    out = [
        "**Not proof of cause.** The comparison shows how the intervention's LSOAs moved against similar LSOAs. "
        "Anything else that changed in one group and not the other (other programmes, new housing, people moving) "
        "shows up in the difference too.",
        "**Regression to the mean.** Areas picked because their values were unusual tend to drift back towards the "
        "middle at the next measurement whatever happens. Matching on the baseline profile reduces this but cannot "
        "remove it.",
    ]
    if outcome.after.official:
        out += [
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
        reshaped = evaluation.treated_cases.get(lsoa_change.SPLIT, 0) + evaluation.treated_cases.get(
            lsoa_change.MERGED, 0
        )
        if lsoa_change.geography(i.before) != lsoa_change.geography(i.after) and reshaped:
            out.append(
                f"**Boundary changes.** {reshaped} of the intervention's LSOAs were split or merged between 2011 "
                "and 2021: their baseline values are inherited from, or averaged over, their 2011 LSOAs."
            )
    else:
        out += [
            f"**Matched on deprivation, not on your measure.** Comparison LSOAs have a similar "
            f"IoD{outcome.profile_year} domain profile (the edition on the same LSOAs as your data); they may still "
            "have started from a different level of your measure: compare the two groups' 'before' values in the "
            "chart.",
            "**Your data.** The values are as uploaded and not checked by Placemap; a change in how they were "
            "collected between the two columns shows up as change.",
        ]
    if e.n_treated < SMALL_TREATED:
        out.append(
            f"**Small numbers.** Only {e.n_treated} LSOAs were compared: the interval is wide and one or two "
            "areas can move the estimate."
        )
    elif outcome.after.official:
        out.append(
            "**Small areas.** LSOAs hold about 1,500 residents and nearby ranks are close, so small moves can be noise."
        )
    if evaluation.matches.dropped:
        out.append(
            f"**Left out.** {len(evaluation.matches.dropped)} chosen LSOA(s) have no value in one of the two "
            f"{'editions' if outcome.after.official else 'columns (or are not on these LSOAs)'} and are not in the estimate."
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
