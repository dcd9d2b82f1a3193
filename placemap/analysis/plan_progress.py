"""A plan outcome's progress: its readings in every edition, and a status in words that respects what the data can say.

Pure: no Streamlit, no files. Four ways of comparing, one per kind of indicator (``Basis``):

* **relative**: the indices (ranks, deciles, scores of the IMD and its domains) rank every LSOA
  in England, so England moves too. A place's readings are compared on its *position*: where
  its population-weighted average rank sits among England's LSOAs, as a percentage
  (0 = most deprived, 100 = least). Index scores are not comparable between editions, so a
  score outcome is judged on the position as well.
* **absolute**: measures whose definition stayed the same (the Census household deprivation
  dimensions) are compared on their values.
* **changed**: a measure whose definition changed between the editions shows its numbers with
  a plain caution, and no direction is claimed.
* **own**: uploaded indicators are compared on their own values over their own years.

The status (``Status``) is "moving towards the target", "no clear change", "moving away",
"target reached", or "cannot say yet" (one reading, no value, or a changed definition).
Changes smaller than ``POSITION_TOLERANCE`` percentage points of position, or
``VALUE_TOLERANCE`` of the baseline value, are "no clear change".

Example
-------
>>> from placemap.data.indicators import Polarity
>>> readings = [Reading(2019, "IoD2019", 5000.0, position=15.2), Reading(2025, "IoD2025", 6000.0, position=17.8)]
>>> judge(readings, 2019, 8000.0, Polarity.LOW_IS_WORSE, Basis.RELATIVE).status.value
'moving towards the target'
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum

from placemap.data.indicators import Polarity

POSITION_TOLERANCE = 1.0  # percentage points of England's LSOAs
VALUE_TOLERANCE = 0.02  # of the baseline value


class Basis(StrEnum):
    """How an outcome's readings are compared between editions."""

    RELATIVE = "relative position in England"
    ABSOLUTE = "value (same definition in every edition)"
    CHANGED = "value (definition changed between editions)"
    OWN = "your data's own years"


class Status(StrEnum):
    """An outcome's status in words."""

    TOWARDS = "moving towards the target"
    NO_CLEAR_CHANGE = "no clear change"
    AWAY = "moving away"
    REACHED = "target reached"
    CANNOT_SAY = "cannot say yet"


@dataclass(frozen=True)
class Reading:
    """An outcome's value in one edition or census (or one year of uploaded data).

    ``position`` is the relative position (0 = most deprived in England, 100 = least) for the
    indices; ``note`` says how the value was made or why there is none.
    """

    year: int
    edition: str
    value: float | None
    position: float | None = None
    note: str = ""

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping) -> Reading:
        return cls(
            year=int(data["year"]),
            edition=str(data["edition"]),
            value=_finite(data.get("value")),
            position=_finite(data.get("position")),
            note=str(data.get("note") or ""),
        )


def _finite(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


@dataclass(frozen=True)
class Judgement:
    """A status and the sentence that explains it."""

    status: Status
    reason: str


def better_sign(polarity: Polarity) -> int:
    """+1 when a higher value is better, -1 when a lower one is (the indicator's polarity).

    >>> better_sign(Polarity.HIGH_IS_WORSE), better_sign(Polarity.LOW_IS_WORSE)
    (-1, 1)
    """
    return -1 if Polarity.parse(polarity) is Polarity.HIGH_IS_WORSE else 1


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def target_warning(baseline: float | None, target: float, polarity: Polarity, label: str = "this indicator") -> str:
    """A plain warning when the target asks for the place to get worse (allowed, never refused).

    >>> target_warning(20.0, 25.0, Polarity.HIGH_IS_WORSE, "Income score")
    'The target (25) is worse than the baseline (20): higher Income score means more deprived. Check that this is meant.'
    >>> target_warning(20.0, 15.0, Polarity.HIGH_IS_WORSE)
    ''
    """
    if baseline is None or not math.isfinite(baseline) or _sign(target - baseline) != -better_sign(polarity):
        return ""
    worse = "higher" if better_sign(polarity) < 0 else "lower"
    return (
        f"The target ({target:,.6g}) is worse than the baseline ({baseline:,.6g}): {worse} {label} means more "
        "deprived. Check that this is meant."
    )


def baseline_reading(readings: Sequence[Reading], baseline_year: int) -> Reading | None:
    """The reading of the baseline edition, if the data has one."""
    return next((r for r in readings if r.year == baseline_year), None)


def latest_reading(readings: Sequence[Reading], after: int, by_position: bool = False) -> Reading | None:
    """The newest reading with a value (or a position, ``by_position``) after edition ``after``."""
    later = [r for r in readings if r.year > after and (r.position if by_position else r.value) is not None]
    return max(later, key=lambda r: r.year) if later else None


def judge(
    readings: Sequence[Reading],
    baseline_year: int,
    target: float,
    polarity: Polarity,
    basis: Basis,
    caution: str = "",
) -> Judgement:
    """The outcome's status from its baseline and latest readings, by the rule of its ``basis``.

    The direction the target asks for is the sign of ``target - baseline`` (a target equal to
    the baseline asks for the better direction). Relative outcomes compare positions (a
    higher position is less deprived: better); the others compare values.

    Parameters
    ----------
    readings : the outcome's readings, any order
    baseline_year : the baseline edition
    target : the target value (the indicator's unit)
    polarity : which way is worse
    basis : how readings compare
    caution : for ``Basis.CHANGED``, why the definition changed (said in the reason)
    """
    relative = basis is Basis.RELATIVE
    base = baseline_reading(readings, baseline_year)
    if base is None or (base.position if relative else base.value) is None:
        return Judgement(Status.CANNOT_SAY, "There is no value in the place for the baseline edition.")
    latest = latest_reading(readings, baseline_year, by_position=relative)
    if latest is None:
        return Judgement(
            Status.CANNOT_SAY,
            f"Only the baseline ({base.edition}) so far: the next edition will show the direction.",
        )
    if basis is Basis.CHANGED:
        why = f" {caution}" if caution else ""
        return Judgement(
            Status.CANNOT_SAY,
            f"The definition changed between {base.edition} and {latest.edition}, so the numbers are shown but "
            f"no direction is claimed.{why}",
        )
    wanted_value = (_sign(target - base.value) if base.value is not None else 0) or better_sign(polarity)
    if relative:
        moved = latest.position - base.position
        # Positions rise as a place becomes less deprived: the better direction is +1.
        wanted = wanted_value * better_sign(polarity)
        if abs(moved) < POSITION_TOLERANCE:
            return Judgement(
                Status.NO_CLEAR_CHANGE,
                f"The place's position in England moved {moved:+.1f} points between {base.edition} and "
                f"{latest.edition} (less than {POSITION_TOLERANCE:g}): England moved too.",
            )
        way = "less" if moved > 0 else "more"
        status = Status.TOWARDS if _sign(moved) == wanted else Status.AWAY
        return Judgement(
            status,
            f"Relative to England, the place became {way} deprived: its position moved {moved:+.1f} points "
            f"between {base.edition} and {latest.edition}.",
        )
    moved = latest.value - base.value
    tolerance = max(abs(base.value) * VALUE_TOLERANCE, 1e-9)
    if _sign(latest.value - target) != -wanted_value:
        return Judgement(
            Status.REACHED, f"{latest.edition}'s value ({latest.value:,.6g}) has reached the target ({target:,.6g})."
        )
    if abs(moved) < tolerance:
        return Judgement(
            Status.NO_CLEAR_CHANGE,
            f"The value changed by {moved:+,.3g} between {base.edition} and {latest.edition}, less than "
            f"{VALUE_TOLERANCE:.0%} of the baseline.",
        )
    status = Status.TOWARDS if _sign(moved) == wanted_value else Status.AWAY
    return Judgement(status, f"The value changed by {moved:+,.3g} between {base.edition} and {latest.edition}.")


def trajectory_table(readings: Sequence[Reading], baseline_year: int, target: float, target_year: int, fmt: str):
    """The trajectory as rows for a table (the chart's text alternative): edition, value, position, role.

    Returns a list of dicts with ``Edition``, ``Year``, ``Value``, ``Position in England``
    and ``What`` ("baseline", "reading", "target"); values formatted with ``fmt``.
    """
    rows = []
    for r in sorted(readings, key=lambda r: r.year):
        rows.append(
            {
                "Edition": r.edition,
                "Year": r.year,
                "Value": "No value" if r.value is None else fmt.format(r.value),
                "Position in England": "" if r.position is None else f"{r.position:.1f}",
                "What": "baseline" if r.year == baseline_year else "reading",
                "Note": r.note,
            }
        )
    rows.append(
        {
            "Edition": "Target",
            "Year": target_year,
            "Value": fmt.format(target),
            "Position in England": "",
            "What": "target",
            "Note": "",
        }
    )
    return rows
