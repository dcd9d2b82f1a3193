"""IoD2019 → IoD2025 change in the measures whose definition did not change, on 2021 LSOAs. Pure.

IoD2019's measures are on 2011 LSOAs and IoD2025's on 2021 LSOAs. Values are carried with
the ONS best-fit lookup, as the change page carries ranks (``placemap.analysis.lsoa_change``):

* **U** unchanged: the LSOA is compared with itself;
* **S** split: each 2021 part is compared with its 2011 parent's value;
* **M** merged and **X** complex: left out and counted, because a merged area's IoD2019 value
  would need an average of its parents' published values, which Placemap does not make.

Only measures whose definition and unit are the same in both editions are offered
(``comparable_measures``); the others are listed with the reason (``changed_measures``).
The change itself is a ``pair_change.PairChange`` of the two editions' catalogue records
(``measure_change``), classified, tabled and mapped like any other change between two indicators.

Example
-------
>>> import pandas as pd
>>> lookup = pd.DataFrame({"lsoa11_code": ["A", "B", "C", "D", "D"], "lsoa21_code": ["A", "M", "M", "D1", "D2"],
...                        "change_code": ["U", "M", "M", "S", "S"]})
>>> frame = carried_change(pd.Series({"A": 10.0, "B": 1.0, "C": 2.0, "D": 5.0}),
...                        pd.Series({"A": 8.0, "M": 3.0, "D1": 6.0, "D2": 5.0}), lookup)
>>> frame[["before", "after", "change"]].to_dict("index")["D1"]
{'before': 5.0, 'after': 6.0, 'change': 1.0}
>>> frame.loc["M", "how"]
'left out: merged from several 2011 LSOAs'
"""

from __future__ import annotations

import pandas as pd

from placemap.analysis.pair_change import PairChange, pair_frame
from placemap.data.measure_records import Measure, get_measure, measures_for

LSOA11, LSOA21, CHANGE_CODE = "lsoa11_code", "lsoa21_code", "change_code"
BEFORE, AFTER = 2019, 2025
RULE = (
    "IoD2019's values (2011 LSOAs) are carried to IoD2025's 2021 LSOAs with the ONS best-fit lookup: an "
    "unchanged LSOA is compared with itself and each part of a split LSOA with its 2011 parent; merged and "
    "redrawn LSOAs are left out (their IoD2019 value would need an average of published values)."
)
_HOW = {
    "U": "unchanged LSOA",
    "S": "split: compared with its 2011 parent",
    "M": "left out: merged from several 2011 LSOAs",
    "X": "left out: redrawn (complex change)",
}


def comparable_measures() -> list[Measure]:
    """IoD2019 records whose measure kept its definition and unit in IoD2025 (in display order)."""
    ids = {m.id for m in measures_for(AFTER)}
    return [m for m in measures_for(BEFORE) if m.comparable and m.id in ids]


def changed_measures() -> list[tuple[str, str]]:
    """(label, why it cannot be compared) for every other IoD measure, each once."""
    kept = {m.id for m in comparable_measures()}
    seen: dict[str, tuple[str, str]] = {}
    for m in (*measures_for(BEFORE), *measures_for(AFTER)):
        if m.id not in kept and m.id not in seen:
            reason = m.comparable_reason or (
                "Not in IoD2019: new in IoD2025." if m.year == AFTER else "Not in IoD2025."
            )
            seen[m.id] = (f"{m.label} ({m.edition})", reason)
    return list(seen.values())


def carried_change(before: pd.Series, after: pd.Series, lookup: pd.DataFrame) -> pd.DataFrame:
    """Per 2021 LSOA: ``before`` (IoD2019, carried), ``after`` (IoD2025), ``change``, ``case``, ``how``.

    Parameters
    ----------
    before : IoD2019 values by 2011 LSOA code (unit shown)
    after : IoD2025 values by 2021 LSOA code (same unit)
    lookup : the ONS best-fit lookup (``lsoa11_code``, ``lsoa21_code``, ``change_code``)
    """
    rows = lookup.drop_duplicates(LSOA21, keep="first").set_index(LSOA21)
    cases = rows[CHANGE_CODE].reindex(after.index)
    carried = rows[LSOA11].map(before).reindex(after.index)
    carried = carried.where(cases.isin(["U", "S"]))
    frame = pd.DataFrame({"before": carried.astype(float), "after": after.astype(float)})
    frame["change"] = frame["after"] - frame["before"]
    frame["case"] = cases
    frame["how"] = cases.map(_HOW).fillna("not in the lookup")
    return frame


def measure_pair(measure_id: str) -> tuple[Measure, Measure]:
    """The IoD2019 and IoD2025 records of one comparable measure; ``ValueError`` for any other."""
    if measure_id not in {m.id for m in comparable_measures()}:
        raise ValueError(f"{measure_id!r} changed its definition between IoD2019 and IoD2025")
    return get_measure(measure_id, BEFORE), get_measure(measure_id, AFTER)


def measure_change(measure_id: str, before: pd.Series, after: pd.Series, lookup: pd.DataFrame) -> PairChange:
    """One comparable measure's IoD2019 and IoD2025 catalogue records and its change on ``after``'s 2021 LSOAs.

    ``before`` and ``after`` are the two editions' values (unit shown), by 2011 and 2021 LSOA
    code; each LSOA says how it was compared (``how``) and the rule is the change's note.
    """
    from placemap.data.measure_catalogue import measure_indicator

    frame = carried_change(before, after, lookup)
    b, a = (measure_indicator(m) for m in measure_pair(measure_id))
    return pair_frame(b, a, frame["before"], frame["after"], how=frame["how"], note=RULE)
