"""Who contributes to what in a place plan: partners and initiatives against outcomes, and the gaps.

Pure: no Streamlit. Two gaps are named: an outcome nobody is working on (no lead, no initiative,
no intervention), and an area of high need that no initiative in the register covers (an LSOA of
the plan's place in England's most deprived 10% on the IMD).

Example
-------
>>> import datetime as dt
>>> from placemap.community.plans import Outcome, Plan
>>> a = Outcome("Jobs", "employment_rank", "la:E06000009", 2019, 1.0, 2.0, dt.date(2030, 1, 1), "Council")
>>> b = Outcome("Homes", "barriers_rank", "la:E06000009", 2019, 1.0, 2.0, dt.date(2030, 1, 1))
>>> plan = Plan("P", "la:E06000009", partners=("Council", "Food bank"), outcomes=(a, b))
>>> contribution_matrix(plan, [], {}).to_dict("records")
[{'Who': 'Council', 'Kind': 'partner', 'Jobs': 'leads', 'Homes': ''}, \
{'Who': 'Food bank', 'Kind': 'partner', 'Jobs': '', 'Homes': ''}]
>>> unworked_outcomes(plan)
['Homes']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from placemap.community import initiatives as ini
from placemap.community.plans import Plan

LEADS, CONTRIBUTES = "leads", "contributes"
HIGH_NEED_DECILE = 1  # England's most deprived 10% of LSOAs on the IMD


def contribution_matrix(
    plan: Plan, initiatives: Sequence[ini.Initiative], interventions: Mapping[str, str]
) -> pd.DataFrame:
    """One row per partner, initiative and intervention; one column per outcome ("leads", "contributes", or blank).

    A partner contributes to an outcome when it leads or partners an initiative linked to it.
    ``interventions`` maps a saved intervention's share id to its name.
    """
    by_id = {i.share_id: i for i in initiatives if i.share_id}
    names = [o.name for o in plan.outcomes]
    partners = list(dict.fromkeys([*plan.partners, *(o.lead_partner for o in plan.outcomes if o.lead_partner)]))
    rows = []
    for partner in partners:
        row = {"Who": partner, "Kind": "partner"}
        for o in plan.outcomes:
            linked = [by_id[i] for i in o.initiatives if i in by_id]
            works = any(partner in (i.lead_org, *(p.name for p in i.partners)) for i in linked)
            row[o.name] = LEADS if o.lead_partner == partner else (CONTRIBUTES if works else "")
        rows.append(row)
    linked_ids = list(dict.fromkeys(i for o in plan.outcomes for i in o.initiatives))
    for share_id in linked_ids:
        item = by_id.get(share_id)
        row = {"Who": item.name if item else "(an initiative no longer in the register)", "Kind": "initiative"}
        row.update({o.name: CONTRIBUTES if share_id in o.initiatives else "" for o in plan.outcomes})
        rows.append(row)
    for share_id in dict.fromkeys(i for o in plan.outcomes for i in o.interventions):
        row = {"Who": interventions.get(share_id, "(a deleted intervention)"), "Kind": "intervention"}
        row.update({o.name: CONTRIBUTES if share_id in o.interventions else "" for o in plan.outcomes})
        rows.append(row)
    return pd.DataFrame(rows, columns=["Who", "Kind", *names])


def unworked_outcomes(plan: Plan) -> list[str]:
    """The outcomes nobody is working on: no lead partner, no initiative and no intervention."""
    return [o.name for o in plan.outcomes if not (o.lead_partner or o.initiatives or o.interventions)]


def uncovered_high_need(
    lsoas: Iterable[str],
    imd_decile: pd.Series,
    names: Mapping[str, str],
    initiatives: Iterable[ini.Initiative],
    ward_of: Mapping[str, str],
) -> pd.DataFrame:
    """The place's LSOAs in England's most deprived 10% (IMD) that no initiative in the register covers.

    Parameters
    ----------
    lsoas : the place's 2021 LSOAs
    imd_decile : IoD2025 IMD decile by LSOA
    names : LSOA names by code
    initiatives : the register
    ward_of : each LSOA's ward code (an initiative may list wards)

    Returns
    -------
    pandas.DataFrame with ``LSOA`` and ``Name``, sorted by code.

    Example
    -------
    >>> item = ini.Initiative("Hub", "Council", area_codes=("E01000001",))
    >>> deciles = pd.Series({"E01000001": 1, "E01000002": 1, "E01000003": 5})
    >>> uncovered_high_need(deciles.index, deciles, {"E01000002": "Two"}, [item], {}).to_dict("records")
    [{'LSOA': 'E01000002', 'Name': 'Two'}]
    """
    codes = pd.Index(list(lsoas))
    deciles = imd_decile.reindex(codes)
    high = codes[(deciles == HIGH_NEED_DECILE).to_numpy()]
    covered: set[str] = set()
    for item in initiatives:
        covered |= ini.covered_lsoas(item, ward_of)
    gaps = sorted(set(high) - covered)
    return pd.DataFrame({"LSOA": gaps, "Name": [names.get(c, "") for c in gaps]})


def register_partners(initiatives: Iterable[ini.Initiative]) -> list[str]:
    """Every organisation named in the register (leads and partners), in name order, once each."""
    names = set()
    for item in initiatives:
        names.add(item.lead_org)
        names.update(p.name for p in item.partners)
    return sorted(n for n in names if n)
