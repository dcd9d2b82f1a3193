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
