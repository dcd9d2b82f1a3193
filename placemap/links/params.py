"""Reading one query parameter: the first value, echoing it safely, codes, editions, choices and numbers.

Pure (no Streamlit). Every number goes through ``placemap.links.linkvalues``."""

from __future__ import annotations

import re

from placemap.data.prepare import escape_markdown
from placemap.links.linkvalues import parse_whole

AREA_CODE_PATTERN = re.compile(r"^E0[0-9]{7}$")


def first_value(value: object) -> str | None:
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    if value is None:
        return None
    return str(value).strip()


def edition_year(raw: str | None) -> int | None:
    # An edition year as a link writes it ("2025"); ``None`` for anything else.
    return parse_whole(raw, 1000, 9999)


def shown(value: str, limit: int = 40) -> str:
    # Echo untrusted input back briefly, escaped: notes are shown as markdown.
    return escape_markdown(value if len(value) <= limit else value[:limit] + "…")


LSOA_CODE_PATTERN = re.compile(r"^E01[0-9]{6}$")


LA_CODE_PATTERN = re.compile(r"^E0[6-9][0-9]{6}$")


def split_list(raw: str | None) -> list[str]:
    return [part.strip() for part in (raw or "").split(",") if part.strip()]


def known_edition(raw: str | None, years) -> int | None:
    """The edition year ``raw`` names if it is one of ``years``; ``None`` when absent or unknown.

    Example
    -------
    >>> known_edition("2019", (2019, 2025)), known_edition("1999", (2019, 2025)), known_edition(None, (2019,))
    (2019, None, None)
    """
    year = edition_year(raw)
    return year if year in years else None


def missing_edition_note(raw: str, fallback: int) -> str:
    """The note for a link asking for an edition Placemap does not have."""
    return f'The link asked for edition "{shown(raw)}", which Placemap does not have; showing IoD{fallback}.'


def share_id_value(params, key: str, complaint: str) -> tuple[str | None, list[str]]:
    """The saved item's share id a link gives under ``key``, validated; else ``None`` and the note
    ``"<raw>" <complaint>`` for a value that is not one.

    Example
    -------
    >>> share_id_value({"plan": "abcdefgh12345678"}, "plan", "is odd."), share_id_value({}, "plan", "is odd.")
    (('abcdefgh12345678', []), (None, []))
    >>> share_id_value({"plan": "<b>"}, "plan", "is not a plan.")
    (None, ['"\\\\<b\\\\>" is not a plan.'])
    """
    from placemap.storage.tables import valid_share_id

    raw = first_value(params.get(key))
    if not raw:
        return None, []
    if valid_share_id(raw):
        return raw, []
    return None, [f'"{shown(raw)}" {complaint}']


def pick_choice(raw: str | None, choices, notes: list[str], complaint: str) -> str | None:
    """``raw`` if it is one of ``choices``; else ``None``, and (for a value) the note ``"<raw>" <complaint>``.

    Example
    -------
    >>> notes = []
    >>> pick_choice("la", ("lsoa", "la"), notes, "is not a geography."), pick_choice("x", ("la",), notes, "is odd.")
    ('la', None)
    >>> notes
    ['"x" is odd.']
    """
    if not raw:
        return None
    if raw in choices:
        return raw
    notes.append(f'"{shown(raw)}" {complaint}')
    return None


def la_code_named(raw: str, options: dict[str, str]) -> str | None:
    """The LA code ``raw`` is, or names (any case), among ``options`` (code -> name); ``None`` if neither.

    Example
    -------
    >>> la_code_named("blackpool", {"E06000009": "Blackpool"}), la_code_named("E06000009", {"E06000009": "B"})
    ('E06000009', 'E06000009')
    """
    if raw in options:
        return raw
    return {name.casefold(): code for code, name in options.items()}.get(raw.casefold())
