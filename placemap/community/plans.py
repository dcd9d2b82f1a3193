"""A place plan: a partnership's shared aim for a place, its outcomes, baselines and targets.

A plan names a place (any ``TYPE:CODE`` that ``placemap.links.place_links.parse_place`` reads),
its partners (organisations of the initiatives register), a shared aim, and a handful of
outcomes. Each outcome is one catalogue indicator measured over a place, a baseline (edition and
the value Placemap computed), a target (value and date), a lead partner, and the initiatives and
evaluated interventions that contribute to it. Every outcome keeps the readings it was last
computed with, so a plan still shows its numbers when an uploaded source is deleted or when the
plan is frozen to an edition.

Pure: no Streamlit, no database. ``placemap.storage.plans`` saves plans; this module validates
them, turns them to and from JSON, says in words what changed between two versions, and drafts
outcomes from a workshop's agreed priorities.

Example
-------
>>> o = Outcome("Fewer children in low-income families", "idaci_rank", "ward:E05015188", 2019, 5000.0,
...             8000.0, dt.date(2030, 3, 31), "Blackpool Council")
>>> plan = validate_plan(Plan("Bloomfield together", "ward:E05015188", "Children grow up well", outcomes=(o,)))
>>> Plan.from_dict(plan.to_dict()) == plan
True
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from placemap.analysis.plan_progress import Reading
from placemap.community.notes import clean_text
from placemap.links.place_links import parse_place

NAME_MAX, AIM_MAX, PARTNER_MAX, LABEL_MAX = 200, 1500, 200, 200
MAX_OUTCOMES, MAX_PARTNERS, MAX_LINKS = 12, 40, 40
EDITION_YEARS = (2011, 2015, 2019, 2021, 2025)  # the editions and censuses a baseline can be
MIN_TARGET_YEAR, MAX_TARGET_YEAR = 2000, 2100


class PlanError(ValueError):
    """A plan that cannot be saved as it is; the message says why in plain words."""


@dataclass(frozen=True)
class Outcome:
    """One shared outcome: what is measured where, from which baseline, to which target, led by whom."""

    name: str
    indicator_id: str
    place: str
    baseline_year: int
    baseline_value: float | None
    target_value: float
    target_date: dt.date
    lead_partner: str = ""
    initiatives: tuple[str, ...] = ()  # share ids of the initiatives register
    interventions: tuple[str, ...] = ()  # share ids of saved (evaluated) interventions
    indicator_label: str = ""  # kept, so the plan still reads when the indicator's source is gone
    source: str = ""
    readings: tuple[Reading, ...] = ()  # the values last computed (or frozen)
    draft: bool = False  # drafted from a workshop's priorities, not yet checked by an editor

    def to_dict(self) -> dict:
        """A JSON-serialisable form."""
        return {
            "name": self.name,
            "indicator_id": self.indicator_id,
            "place": self.place,
            "baseline_year": self.baseline_year,
            "baseline_value": self.baseline_value,
            "target_value": self.target_value,
            "target_date": self.target_date.isoformat(),
            "lead_partner": self.lead_partner,
            "initiatives": list(self.initiatives),
            "interventions": list(self.interventions),
            "indicator_label": self.indicator_label,
            "source": self.source,
            "readings": [r.to_dict() for r in self.readings],
            "draft": self.draft,
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> Outcome:
        """Rebuild from ``to_dict`` output (``PlanError`` when it is malformed)."""
        try:
            return cls(
                name=str(data["name"]),
                indicator_id=str(data["indicator_id"]),
                place=str(data["place"]),
                baseline_year=int(data["baseline_year"]),
                baseline_value=_number_or_none(data.get("baseline_value")),
                target_value=float(data["target_value"]),
                target_date=dt.date.fromisoformat(str(data["target_date"])),
                lead_partner=str(data.get("lead_partner") or ""),
                initiatives=tuple(str(x) for x in data.get("initiatives") or ()),
                interventions=tuple(str(x) for x in data.get("interventions") or ()),
                indicator_label=str(data.get("indicator_label") or ""),
                source=str(data.get("source") or ""),
                readings=tuple(Reading.from_dict(r) for r in data.get("readings") or ()),
                draft=bool(data.get("draft", False)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise PlanError(f"A saved outcome could not be read ({exc}).") from exc

    @property
    def label(self) -> str:
        """The indicator's label, or its id when no label was kept."""
        return self.indicator_label or self.indicator_id


@dataclass(frozen=True)
class Plan:
    """A place plan as written by a partnership."""

    name: str
    place: str
    aim: str = ""
    partners: tuple[str, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    frozen_year: int | None = None  # frozen to an edition: the readings kept are shown, no newer data
    share_id: str | None = field(default=None, compare=False)
    version: int = field(default=0, compare=False)

    def to_dict(self) -> dict:
        """A JSON-serialisable form (without the share id and version, which the database holds)."""
        return {
            "name": self.name,
            "place": self.place,
            "aim": self.aim,
            "partners": list(self.partners),
            "outcomes": [o.to_dict() for o in self.outcomes],
            "frozen_year": self.frozen_year,
        }

    @classmethod
    def from_dict(cls, data: Mapping, share_id: str | None = None, version: int = 0) -> Plan:
        """Rebuild from ``to_dict`` output (``PlanError`` when it is malformed)."""
        try:
            frozen = data.get("frozen_year")
            return cls(
                name=str(data["name"]),
                place=str(data["place"]),
                aim=str(data.get("aim") or ""),
                partners=tuple(str(p) for p in data.get("partners") or ()),
                outcomes=tuple(Outcome.from_dict(o) for o in data.get("outcomes") or ()),
                frozen_year=None if frozen is None else int(frozen),
                share_id=share_id,
                version=version,
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise PlanError(f"The saved plan could not be read ({exc}).") from exc


def _number_or_none(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _line(value: object, limit: int, what: str, required: bool = True) -> str:
    text = " ".join(clean_text(value).split())
    if required and not text:
        raise PlanError(f"Give the {what}.")
    if len(text) > limit:
        raise PlanError(f"The {what} can be at most {limit} characters.")
    return text


def _place(value: object, what: str) -> str:
    place, note = parse_place(value)
    if place is None:
        raise PlanError(f"The {what} is not a place Placemap knows: {note.split(';')[0]}.")
    return place.to_param()


def _ids(values: Iterable[object], what: str) -> tuple[str, ...]:
    from placemap.storage.tables import valid_share_id  # the one rule for share ids

    out = tuple(dict.fromkeys(str(v) for v in values))
    if len(out) > MAX_LINKS:
        raise PlanError(f"An outcome can list at most {MAX_LINKS} {what}.")
    if not all(valid_share_id(v) for v in out):
        raise PlanError(f"One of the {what} is not a saved record's id.")
    return out


def validate_outcome(outcome: Outcome) -> Outcome:
    """The outcome with its text cleaned; ``PlanError`` saying what to fix.

    A target on the "wrong" side of the baseline is allowed here (a plan may aim to hold a
    line or accept a fall): ``placemap.analysis.plan_progress.target_warning`` warns about it.
    """
    name = _line(outcome.name, LABEL_MAX, "outcome's name")
    if not outcome.indicator_id or len(outcome.indicator_id) > 120:
        raise PlanError(f'Choose an indicator for "{name}".')
    if outcome.baseline_year not in EDITION_YEARS:
        years = ", ".join(map(str, EDITION_YEARS))
        raise PlanError(f'The baseline of "{name}" must be an edition or census year ({years}).')
    if not math.isfinite(outcome.target_value):
        raise PlanError(f'Give "{name}" a target value (a number).')
    if not MIN_TARGET_YEAR <= outcome.target_date.year <= MAX_TARGET_YEAR:
        raise PlanError(f'The target date of "{name}" should be between {MIN_TARGET_YEAR} and {MAX_TARGET_YEAR}.')
    return replace(
        outcome,
        name=name,
        place=_place(outcome.place, f'place of "{name}"'),
        lead_partner=_line(outcome.lead_partner, PARTNER_MAX, "lead partner", required=False),
        initiatives=_ids(outcome.initiatives, "initiatives"),
        interventions=_ids(outcome.interventions, "interventions"),
        indicator_label=_line(outcome.indicator_label, 300, "indicator's label", required=False),
        source=_line(outcome.source, 500, "source", required=False),
    )


def validate_plan(plan: Plan) -> Plan:
    """The plan with its text cleaned and every outcome checked; ``PlanError`` saying what to fix."""
    name = _line(plan.name, NAME_MAX, "plan's name")
    aim = clean_text(plan.aim)
    if len(aim) > AIM_MAX:
        raise PlanError(f"The shared aim can be at most {AIM_MAX} characters.")
    partners = tuple(dict.fromkeys(_line(p, PARTNER_MAX, "partner's name") for p in plan.partners))
    if len(partners) > MAX_PARTNERS:
        raise PlanError(f"A plan can name at most {MAX_PARTNERS} partners.")
    if len(plan.outcomes) > MAX_OUTCOMES:
        raise PlanError(f"A plan can hold at most {MAX_OUTCOMES} outcomes: a few shared outcomes, not a list of all.")
    outcomes = tuple(validate_outcome(o) for o in plan.outcomes)
    names = [o.name.casefold() for o in outcomes]
    if len(set(names)) != len(names):
        raise PlanError("Two outcomes have the same name: give each its own.")
    if plan.frozen_year is not None and plan.frozen_year not in EDITION_YEARS:
        raise PlanError("A plan can be frozen to an edition or census year only.")
    return replace(
        plan, name=name, place=_place(plan.place, "plan's place"), aim=aim, partners=partners, outcomes=outcomes
    )


def _number(value: float | None) -> str:
    return "none" if value is None else f"{value:,.6g}"


def describe_changes(before: Plan | None, after: Plan) -> str:
    """What changed between two versions of a plan, in words, for its history.

    Example
    -------
    >>> o = Outcome("Jobs", "employment_rank", "la:E06000009", 2019, 100.0, 200.0, dt.date(2030, 1, 1))
    >>> a = Plan("P", "la:E06000009", outcomes=(o,))
    >>> describe_changes(a, replace(a, outcomes=(replace(o, target_value=250.0),)))
    'Target of "Jobs": 200 by 2030-01-01 → 250 by 2030-01-01.'
    >>> describe_changes(None, a)
    'Plan written with 1 outcome(s).'
    """
    if before is None:
        return f"Plan written with {len(after.outcomes)} outcome(s)."
    parts = []
    if before.name != after.name:
        parts.append(f'Renamed "{before.name}" → "{after.name}".')
    if before.place != after.place:
        parts.append(f"Place {before.place} → {after.place}.")
    if before.aim != after.aim:
        parts.append("Shared aim rewritten.")
    added = [p for p in after.partners if p not in before.partners]
    gone = [p for p in before.partners if p not in after.partners]
    if added:
        parts.append("Partners added: " + ", ".join(added) + ".")
    if gone:
        parts.append("Partners removed: " + ", ".join(gone) + ".")
    old = {o.name: o for o in before.outcomes}
    new = {o.name: o for o in after.outcomes}
    for name in new.keys() - old.keys():
        parts.append(f'Outcome added: "{name}".')
    for name in old.keys() - new.keys():
        parts.append(f'Outcome removed: "{name}".')
    for name in [n for n in new if n in old]:
        o, n = old[name], new[name]
        if (o.target_value, o.target_date) != (n.target_value, n.target_date):
            parts.append(
                f'Target of "{name}": {_number(o.target_value)} by {o.target_date} → '
                f"{_number(n.target_value)} by {n.target_date}."
            )
        if (o.baseline_year, o.indicator_id, o.place) != (n.baseline_year, n.indicator_id, n.place):
            parts.append(f'Baseline or measure of "{name}" changed ({o.baseline_year} → {n.baseline_year}).')
        if o.lead_partner != n.lead_partner:
            parts.append(f'Lead of "{name}": {o.lead_partner or "none"} → {n.lead_partner or "none"}.')
        if set(o.initiatives) != set(n.initiatives) or set(o.interventions) != set(n.interventions):
            parts.append(f'Contributions to "{name}" changed.')
    if before.frozen_year != after.frozen_year:
        parts.append(f"Frozen to {after.frozen_year}." if after.frozen_year else "Unfrozen: newer data is shown again.")
    return " ".join(parts) or "Saved with no change."


# Words in a workshop priority -> the catalogue indicator a draft outcome starts from (ranks:
# relative positions the indices can honestly compare between editions).
_PRIORITY_WORDS = (
    (("child", "young", "family", "families"), "idaci_rank"),
    (("older", "pension", "elderly"), "idaopi_rank"),
    (("job", "work", "employ", "unemploy"), "employment_rank"),
    (("income", "poverty", "money", "cost of living", "debt"), "income_rank"),
    (("health", "wellbeing", "well-being", "mental", "disab"), "health_rank"),
    (("school", "skill", "education", "learning", "training"), "education_rank"),
    (("crime", "safe", "safety", "antisocial", "anti-social"), "crime_rank"),
    (("housing", "homes", "home", "homeless", "services", "transport"), "barriers_rank"),
    (("environment", "air", "green", "park", "street", "damp"), "environment_rank"),
)
DEFAULT_DRAFT_INDICATOR = "imd_rank"
MAX_DRAFTS = 5


def draft_indicator(priority: str) -> str:
    """The catalogue indicator a draft outcome for this priority starts from (an editor checks it).

    >>> draft_indicator("Safer streets at night"), draft_indicator("Something else")
    ('crime_rank', 'imd_rank')
    """
    text = priority.casefold()
    for words, indicator in _PRIORITY_WORDS:
        if any(w in text for w in words):
            return indicator
    return DEFAULT_DRAFT_INDICATOR


def draft_outcomes(
    priorities: Iterable[tuple[int, str]],
    votes: Mapping[int, int],
    place: str,
    baseline_year: int,
    target_date: dt.date,
    existing: Iterable[str] = (),
) -> list[Outcome]:
    """Draft outcomes from a workshop's agreed priorities: those with votes, most votes first.

    Each draft starts from an indicator guessed from the priority's words, with no baseline
    value (Placemap computes it) and the baseline as a placeholder target, marked ``draft``
    so the page asks an editor to check the indicator and set the target. Priorities already
    in the plan (by name) are skipped; at most ``MAX_DRAFTS``.

    Example
    -------
    >>> drafts = draft_outcomes([(1, "Safer streets"), (2, "More jobs"), (3, "Nobody voted")], {1: 3, 2: 7},
    ...                         "ward:E05015188", 2025, dt.date(2030, 3, 31))
    >>> [(d.name, d.indicator_id, d.draft) for d in drafts]
    [('More jobs', 'employment_rank', True), ('Safer streets', 'crime_rank', True)]
    """
    taken = {name.casefold() for name in existing}
    voted = [(pid, label) for pid, label in priorities if votes.get(pid, 0) > 0 and label.casefold() not in taken]
    voted.sort(key=lambda item: -votes.get(item[0], 0))
    return [
        Outcome(
            name=_line(label, LABEL_MAX, "priority"),
            indicator_id=draft_indicator(label),
            place=place,
            baseline_year=baseline_year,
            baseline_value=None,
            target_value=0.0,
            target_date=target_date,
            draft=True,
        )
        for _pid, label in voted[:MAX_DRAFTS]
    ]
