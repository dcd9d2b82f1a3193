"""The themed indicator picker's logic: theme groups, labels, search by the words people use. Pure.

Every page that picks an indicator shows the catalogue's records through these functions
(the widget is ``placemap.ui.indicator_picker``): one list grouped by theme, each option
labelled "Theme · indicator", filtered by a search that matches the label, the definition,
the unit and the record's ``keywords`` ("child poverty", "life expectancy", "GP"), and the
chosen indicator described beside the list (definition, unit, year, source, direction).

Example
-------
>>> from placemap.data.catalogue import CATALOGUE
>>> found = search(CATALOGUE.for_edition(2019), "child poverty")
>>> option_label(found[0])
'Income and poverty · Children in income-deprived families (IoD2019)'
>>> option_label(search(CATALOGUE.for_edition(2025), "GP")[0])
'Housing and access · Patients per GP (IoD2025)'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from placemap.data.indicators import Indicator, Polarity, Theme

THEME_ORDER: tuple[Theme, ...] = (
    Theme.OVERALL,
    Theme.EDUCATION,
    Theme.HEALTH,
    Theme.INCOME,
    Theme.WORK,
    Theme.CRIME,
    Theme.HOUSING,
    Theme.ENVIRONMENT,
    Theme.COMMUNITY,
    Theme.LOCAL,
)
THEME_LABELS: dict[Theme, str] = {
    Theme.OVERALL: "Overall deprivation (the indices)",
    Theme.EDUCATION: "Education",
    Theme.HEALTH: "Health",
    Theme.INCOME: "Income and poverty",
    Theme.WORK: "Work",
    Theme.CRIME: "Crime",
    Theme.HOUSING: "Housing and access",
    Theme.ENVIRONMENT: "Environment",
    Theme.COMMUNITY: "Community",
    Theme.LOCAL: "Local data",
}
SEPARATOR = " · "
_WORD = re.compile(r"[a-z0-9&]+")


def option_label(indicator: Indicator) -> str:
    """``"Theme · label"``: what a picker lists, so typing a theme or a label finds it."""
    return f"{THEME_LABELS.get(indicator.theme, str(indicator.theme).capitalize())}{SEPARATOR}{indicator.label}"


def grouped(indicators: Iterable[Indicator]) -> dict[Theme, list[Indicator]]:
    """The indicators by theme, in ``THEME_ORDER``; each theme keeps the order it was given (no empty themes).

    Example
    -------
    >>> from placemap.data.catalogue import CATALOGUE
    >>> list(grouped(CATALOGUE.for_edition(2025)))[:3]
    [<Theme.OVERALL: 'overall deprivation'>, <Theme.EDUCATION: 'education'>, <Theme.HEALTH: 'health'>]
    """
    found: dict[Theme, list[Indicator]] = {t: [] for t in THEME_ORDER}
    for indicator in indicators:
        found.setdefault(indicator.theme, []).append(indicator)
    return {t: items for t, items in found.items() if items}


def ordered(indicators: Iterable[Indicator]) -> list[Indicator]:
    """The indicators in picker order: by theme, then as given."""
    return [i for items in grouped(indicators).values() for i in items]


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _haystack(indicator: Indicator) -> tuple[str, list[str]]:
    text = " ".join(
        [
            option_label(indicator),
            indicator.short_label,
            indicator.definition,
            indicator.unit,
            indicator.direction,
            " ".join(indicator.keywords),
        ]
    )
    return " ".join(_words(text)), _words(text)


def relevance(indicator: Indicator, query: str) -> int:
    """How well ``query`` matches: 3 a keyword in full, 2 the label's words in order, 1 every word, 0 none.

    A query word matches a word of the record that starts with it ("child" finds
    "children"); case and punctuation are ignored. An empty query matches everything (1).

    Example
    -------
    >>> from placemap.data.catalogue import get_indicator
    >>> relevance(get_indicator("health_score"), "life expectancy"), relevance(get_indicator("crime_score"), "GP")
    (3, 0)
    """
    wanted = _words(query)
    if not wanted:
        return 1
    phrase = " ".join(wanted)
    if any(" ".join(_words(k)) == phrase for k in indicator.keywords):
        return 3
    if f" {phrase}" in f" {' '.join(_words(indicator.label))}":
        return 2
    _, words = _haystack(indicator)
    return int(all(any(w.startswith(q) for w in words) for q in wanted))


def search(indicators: Sequence[Indicator], query: str) -> list[Indicator]:
    """The indicators ``query`` matches, best first, then in picker order (theme by theme).

    Among equally good matches a measure comes before an index (a search for "GP" wants
    patients per GP before the Barriers sub-domain). An empty or blank query returns every
    indicator in picker order.
    """
    base = ordered(indicators)
    wanted = bool(_words(query))
    scored = [(relevance(i, query), wanted and i.official, n, i) for n, i in enumerate(base)]
    return [t[-1] for t in sorted(scored, key=lambda t: (-t[0], t[1], t[2])) if t[0] > 0]


def direction_line(indicator: Indicator) -> str:
    """The legend's direction and unit: "Higher = more … (unit). Darker = worse."

    Example
    -------
    >>> from placemap.data.catalogue import get_indicator
    >>> direction_line(get_indicator("children_in_income_deprived_families_2019"))
    'Higher = more children in income-deprived families (% of children aged 0–15). Darker = worse.'
    >>> direction_line(get_indicator("connectivity_score_2025"))
    'Higher = better connected to services (score from 0 to 100). Darker = worse, so darker = lower here.'
    >>> direction_line(get_indicator("imd_decile"))
    'Higher = less deprived — national decile (1 = most deprived 10%). Darker = worse, so darker = lower here.'
    """
    # A unit that carries its own brackets follows a dash: "Higher = less deprived — national decile (1 = …)".
    unit = "" if not indicator.unit else f" — {indicator.unit}" if "(" in indicator.unit else f" ({indicator.unit})"
    if indicator.direction:
        text = f"Higher = {indicator.direction}{unit}."
    elif indicator.polarity is Polarity.LOW_IS_WORSE:
        text = f"Higher = better{unit}."
    else:
        text = f"Higher = worse{unit}."
    if indicator.polarity is Polarity.LOW_IS_WORSE:
        return f"{text} Darker = worse, so darker = lower here."
    return f"{text} Darker = worse."


def la_level_note(indicator: Indicator) -> str:
    """A sentence for indicators published per local authority and repeated on its LSOAs ("" otherwise)."""
    if not indicator.la_level:
        return ""
    return (
        f"{indicator.short_label or indicator.label} is an LA value repeated on its LSOAs: every LSOA "
        "of a local authority shows the same figure, so it says nothing about differences within an LA."
    )


def description(indicator: Indicator) -> list[str]:
    """The lines shown beside the picker: definition, unit and direction, year, source and licence, caveats."""
    lines = [
        indicator.definition or indicator.label,
        direction_line(indicator),
        f"Year: {indicator.period}" if indicator.period else "",
        f"Source: {indicator.source} · {indicator.licence}",
        la_level_note(indicator),
        indicator.caveats,
    ]
    return [line for line in lines if line]


def fallback(previous: str, offered: Sequence[Indicator], default: str = "imd_decile") -> str:
    """What a picker shows when ``previous`` is not offered (another edition's indicator, a stale link).

    The same measure in this edition (``..._2019`` → ``..._2025``), else the same kind of
    indicator of the same domain (a rank for a rank), else ``default``.

    Example
    -------
    >>> from placemap.data.catalogue import CATALOGUE
    >>> fallback("adults_low_skills_2019", CATALOGUE.for_edition(2025))
    'adults_low_skills_2025'
    >>> fallback("idaci_rank", CATALOGUE.for_edition(2025)), fallback("nonsense", CATALOGUE.for_edition(2025))
    ('income_rank', 'imd_decile')
    """
    from placemap.data.catalogue import CATALOGUE

    ids = [i.id for i in offered]
    stem, _, year = previous.rpartition("_")
    if year.isdigit():
        same = [i for i in ids if i.rpartition("_")[0] == stem]
        if same:
            return same[0]
    if previous in CATALOGUE:
        old = CATALOGUE.get(previous)
        for test in (
            lambda i: i.domain == old.domain and i.measure == old.measure and i.subdomain == old.subdomain,
            lambda i: i.domain == old.domain and i.measure == old.measure,
            lambda i: i.official and i.domain == old.domain,
        ):
            found = [i.id for i in offered if test(i)]
            if found:
                return found[0]
        if old.domain in ("idaci", "idaopi"):
            return fallback(f"income_{old.measure}", offered, default)
    return default if default in ids else ids[0]
