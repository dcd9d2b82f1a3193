"""Links of the change-over-time and evaluation pages, their uploaded-data modes included. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from placemap.data.catalogue import (
    DEFAULT_LA,
    VINTAGES,
)
from placemap.links.explorer_links import AREA, LA
from placemap.links.linkvalues import parse_whole
from placemap.links.params import (
    AREA_CODE_PATTERN,
    edition_year,
    first_value,
    known_edition,
    la_code_named,
    pick_choice,
    share_id_value,
    shown,
)

# Shareable keys of the change page (``la`` and ``area`` are shared with the map explorer).
CHANGE_BEFORE, CHANGE_AFTER, CHANGE_DOMAIN, CHANGE_MEASURE = "from", "to", "dom", "cm"


CHANGE_KEYS = (CHANGE_BEFORE, CHANGE_AFTER, CHANGE_DOMAIN, CHANGE_MEASURE, LA, AREA)


# The evaluation page: one shareable key, the saved intervention's share id.
INTERVENTION = "intervention"


@dataclass(frozen=True)
class ChangeView:
    """Everything that defines what the change page shows."""

    before: int = 2019
    after: int = 2025
    domain: str = "imd"
    measure: str = "position"
    la: str = DEFAULT_LA
    area: str | None = None

    def to_params(self) -> dict[str, str]:
        """The view as query parameters."""
        params = {
            CHANGE_BEFORE: str(self.before),
            CHANGE_AFTER: str(self.after),
            CHANGE_DOMAIN: self.domain,
            CHANGE_MEASURE: self.measure,
            LA: self.la,
        }
        if self.area:
            params[AREA] = self.area
        return params


def parse_change_view(
    params: Mapping[str, object], la_options: Mapping[int, Mapping[str, str]]
) -> tuple[ChangeView, list[str]]:
    """Validate the change page's query parameters into a ``ChangeView`` and notes for the user.

    ``la_options`` gives, per edition year, the LAs of that edition's geography; the LA is
    checked against the geography the comparison is shown on.

    Example
    -------
    >>> view, notes = parse_change_view({"from": "2025", "to": "2019"}, {2025: {}, 2019: {}})
    >>> (view.before, view.after), notes
    ((2019, 2025), ['The link asked to compare IoD2025 with IoD2019; the first edition must be the earlier one. Showing IoD2019 → IoD2025.'])
    """
    from placemap.analysis import change, lsoa_change

    notes: list[str] = []
    default = ChangeView()
    values: dict[str, object] = {}
    years = {v.year for v in VINTAGES}
    raw_before, raw_after = first_value(params.get(CHANGE_BEFORE)), first_value(params.get(CHANGE_AFTER))
    before, after = default.before, default.after
    for raw, name in ((raw_before, "first"), (raw_after, "second")):
        if raw and edition_year(raw) not in years:
            notes.append(
                f'The link asked for edition "{shown(raw)}" as the {name} edition, which Placemap does not have.'
            )
    asked_before, asked_after = known_edition(raw_before, years), known_edition(raw_after, years)
    b_ok, a_ok = asked_before is not None, asked_after is not None
    before = asked_before if b_ok else before
    after = asked_after if a_ok else after
    if before >= after:
        if b_ok and a_ok:
            notes.append(
                f"The link asked to compare IoD{before} with IoD{after}; the first edition must be the earlier one. "
                f"Showing IoD{default.before} → IoD{default.after}."
            )
        elif b_ok or a_ok:
            notes.append(
                f"IoD{before} → IoD{after} is not a comparison; showing IoD{default.before} → IoD{default.after}."
            )
        before, after = default.before, default.after
    values["before"], values["after"] = before, after

    raw = first_value(params.get(CHANGE_DOMAIN))
    if raw:
        allowed = {d.id for d in change.domains_with_ranks(before, after)}
        if raw in allowed:
            values["domain"] = raw
        else:
            notes.append(
                f'"{shown(raw)}" is not a domain with ranks in both IoD{before} and IoD{after}; showing the IMD.'
            )

    measure = pick_choice(
        first_value(params.get(CHANGE_MEASURE)),
        change.MEASURES,
        notes,
        "is not a change measure; showing the change in rank position.",
    )
    if measure:
        values["measure"] = measure

    raw = first_value(params.get(LA))
    if raw:
        options = la_options.get(lsoa_change.geography_year(before, after), {})
        if code := la_code_named(raw, options):
            values["la"] = code
        else:
            fallback = options.get(default.la, default.la)
            notes.append(f'"{shown(raw)}" is not a local authority on this comparison\'s LSOAs; showing {fallback}.')

    raw = first_value(params.get(AREA))
    if raw:
        if AREA_CODE_PATTERN.match(raw.upper()):
            values["area"] = raw.upper()
        else:
            notes.append(f'"{shown(raw)}" is not an LSOA code (they look like E01012345); showing the whole LA.')
    return replace(default, **values), notes


def parse_share_id(params: Mapping[str, object]) -> tuple[str | None, list[str]]:
    """The saved intervention a link asks for (``?intervention=<id>``), validated, with notes.

    Example
    -------
    >>> parse_share_id({"intervention": "<script>"})
    (None, ['"\\\\<script\\\\>" is not a saved intervention\\'s link id; starting a new intervention.'])
    """
    return share_id_value(params, INTERVENTION, "is not a saved intervention's link id; starting a new intervention.")


# Shareable keys of the change page's change between two indicators: an uploaded dataset's id
# (a saved upload's share id opens it from the database) and the 1-based positions of its two
# columns, or a measure behind the indices (its IoD2019 and IoD2025 editions).
UP_DATASET, UP_BEFORE, UP_AFTER, IOD_MEASURE = "ud", "ub", "ua", "im"


UPLOAD_CHANGE_KEYS = (UP_DATASET, UP_BEFORE, UP_AFTER, IOD_MEASURE, LA, AREA)


CH_SOURCE_IOD, CH_SOURCE_MEASURE, CH_SOURCE_UPLOAD = "iod", "measure", "upload"


@dataclass(frozen=True)
class UploadChangeLink:
    """What a change-page link asks of two indicators (``None`` where it asks nothing valid)."""

    dataset: str | None = None
    before: int | None = None  # 0-based column positions
    after: int | None = None
    measure: str | None = None  # a measure that kept its definition between IoD2019 and IoD2025


def parse_upload_change_link(params: Mapping[str, object], max_columns: int = 20) -> tuple[UploadChangeLink, list[str]]:
    """Validate ``ud``, ``ub`` and ``ua`` (1-based column numbers) or ``im`` (a measure) of a change-page link, with notes.

    Example
    -------
    >>> parse_upload_change_link({"ud": "a1b2c3d4", "ub": "1", "ua": "x"})
    (UploadChangeLink(dataset='a1b2c3d4', before=0, after=None, measure=None), ['"x" is not a column number of your data (1 to 20); using the last column.'])
    >>> parse_upload_change_link({"ud": "<b>"})[1]
    ['"\\\\<b\\\\>" is not an uploaded dataset\\'s id; showing the Indices of Deprivation.']
    >>> parse_upload_change_link({"im": "years_of_life_lost_early"})[0].measure
    'years_of_life_lost_early'
    """
    from placemap.analysis.measure_change_iod import comparable_measures

    dataset, notes = share_id_value(
        params, UP_DATASET, "is not an uploaded dataset's id; showing the Indices of Deprivation."
    )
    positions: list[int | None] = []
    for key, fallback in ((UP_BEFORE, "the first"), (UP_AFTER, "the last")):
        value = first_value(params.get(key))
        if not value or dataset is None:
            positions.append(None)
        elif (number := parse_whole(value, 1, max_columns)) is not None:
            positions.append(number - 1)
        else:
            notes.append(
                f'"{shown(value)}" is not a column number of your data (1 to {max_columns}); using {fallback} column.'
            )
            positions.append(None)
    measure = pick_choice(
        first_value(params.get(IOD_MEASURE)) if dataset is None else None,
        {m.id: m.label for m in comparable_measures()},
        notes,
        "is not a measure that kept its definition between IoD2019 and IoD2025; showing the Indices of Deprivation.",
    )
    return UploadChangeLink(dataset, positions[0], positions[1], measure), notes


@dataclass(frozen=True)
class UploadChangeView:
    """The change page's change between two indicators; ``problem`` says why there is nothing to compare.

    ``dataset`` and the column positions ``before`` and ``after`` name two columns of an
    uploaded table; ``measure`` a measure behind the indices (IoD2019 → IoD2025) instead.
    """

    dataset: str | None = None
    before: int = 0
    after: int = 1
    la: str = DEFAULT_LA
    area: str | None = None
    little: float | None = None
    year: int = 2025  # the edition whose LSOAs the change is shown on
    problem: str = ""
    measure: str | None = None

    def to_params(self) -> dict[str, str]:
        """The view as query parameters (column numbers 1-based)."""
        if self.measure:
            params = {IOD_MEASURE: self.measure, LA: self.la}
        else:
            params = {UP_DATASET: self.dataset, UP_BEFORE: str(self.before + 1), UP_AFTER: str(self.after + 1)}
            params[LA] = self.la
        if self.area:
            params[AREA] = self.area
        return params
