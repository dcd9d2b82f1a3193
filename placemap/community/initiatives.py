"""The initiatives and partners register: validation, filtering, the map layer's classes, "who is working here".

An initiative covers LSOAs (2021 codes, as IoD2025) and/or wards; an LSOA is covered when it
is listed or lies in a listed ward (best-fit ward, as in the ONS lookup).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from placemap.community.notes import clean_text
from placemap.data.catalogue import DOMAINS
from placemap.data.prepare import escape_markdown

SECTORS = {
    "council": "Council",
    "school": "School",
    "health": "Health",
    "police": "Police",
    "vcs": "Voluntary and community sector",
    "business": "Business",
    "residents": "Residents",
}
STATUSES = {"planned": "Planned", "active": "Active", "paused": "Paused", "finished": "Finished"}
DOMAIN_OPTIONS = {d.id: d.label for d in DOMAINS if d.parent is None and d.id not in ("idaci", "idaopi")}
NAME_MAX, ORG_MAX, DESCRIPTION_MAX, URL_MAX = 200, 200, 1000, 500
MAX_PARTNERS, MAX_AREAS = 20, 2000
_CODE = re.compile(r"^E0[15][0-9]{6}$")  # E01 LSOA or E05 ward


class InitiativeError(ValueError):
    """An initiative that cannot be saved; the message says why."""


@dataclass(frozen=True)
class Partner:
    """A partner organisation and its sector (a key of ``SECTORS``)."""

    name: str
    sector: str


@dataclass(frozen=True)
class Initiative:
    """A place-based initiative as recorded."""

    name: str
    lead_org: str
    partners: tuple[Partner, ...] = ()
    domains: tuple[str, ...] = ()
    area_codes: tuple[str, ...] = ()  # LSOA (E01) and ward (E05) codes
    status: str = "active"
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    contact_url: str | None = None
    description: str = ""
    share_id: str | None = field(default=None, compare=False)


def _clean(value: object, limit: int, what: str, required: bool = True) -> str:
    text = _one_line(value)
    if required and not text:
        raise InitiativeError(f"Give the {what}.")
    if len(text) > limit:
        raise InitiativeError(f"The {what} can be at most {limit} characters.")
    return text


def _one_line(value: object) -> str:
    # The notes' cleaner (no NUL, bidirectional overrides or other invisible characters), on one line.
    return " ".join(clean_text(value).split())


def validate_url(url: str | None) -> str | None:
    """An http(s) contact link, or ``None`` when empty; anything else raises ``InitiativeError``.

    Example
    -------
    >>> validate_url("https://example.org/contact")
    'https://example.org/contact'
    >>> validate_url("javascript:alert(1)")
    Traceback (most recent call last):
    ...
    placemap.community.initiatives.InitiativeError: The contact link must start with http:// or https:// (e.g. https://example.org).
    """
    text = (url or "").strip()
    if not text:
        return None
    if len(text) > URL_MAX:
        raise InitiativeError(f"The contact link can be at most {URL_MAX} characters.")
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c.isspace() for c in text):
        raise InitiativeError("The contact link must start with http:// or https:// (e.g. https://example.org).")
    return text


def validate_initiative(item: Initiative) -> Initiative:
    """Check every field; return a cleaned copy or raise ``InitiativeError``."""
    name = _clean(item.name, NAME_MAX, "initiative's name")
    lead = _clean(item.lead_org, ORG_MAX, "lead organisation")
    partners = []
    for p in item.partners:
        pname = _one_line(p.name)
        if not pname:
            continue
        if len(pname) > ORG_MAX:
            raise InitiativeError(f"A partner's name can be at most {ORG_MAX} characters.")
        if p.sector not in SECTORS:
            # The page shows this message as markdown: the name is typed text.
            raise InitiativeError(f"Choose a sector for {escape_markdown(pname)}: {', '.join(SECTORS.values())}.")
        partners.append(Partner(pname, p.sector))
    if len(partners) > MAX_PARTNERS:
        raise InitiativeError(f"At most {MAX_PARTNERS} partners can be listed.")
    domains = tuple(dict.fromkeys(item.domains))
    unknown = [d for d in domains if d not in DOMAIN_OPTIONS]
    if unknown:
        raise InitiativeError("Choose domains from the list.")
    codes = tuple(dict.fromkeys(str(c).strip().upper() for c in item.area_codes))
    if not codes:
        raise InitiativeError("Choose the LSOAs or wards the initiative covers.")
    if len(codes) > MAX_AREAS:
        raise InitiativeError(f"At most {MAX_AREAS} LSOAs and wards can be listed.")
    bad = [c for c in codes if not _CODE.match(c)]
    if bad:
        raise InitiativeError(f"{escape_markdown(bad[0][:20])} is not an LSOA (E01…) or ward (E05…) code.")
    if item.status not in STATUSES:
        raise InitiativeError(f"Choose a status: {', '.join(STATUSES.values())}.")
    if item.start_date and item.end_date and item.end_date < item.start_date:
        raise InitiativeError("The end date is before the start date.")
    return Initiative(
        name=name,
        lead_org=lead,
        partners=tuple(partners),
        domains=domains,
        area_codes=codes,
        status=item.status,
        start_date=item.start_date,
        end_date=item.end_date,
        contact_url=validate_url(item.contact_url),
        description=_clean(item.description, DESCRIPTION_MAX, "description", required=False),
        share_id=item.share_id,
    )


def covered_lsoas(item: Initiative, ward_of: Mapping[str, str]) -> set[str]:
    """The LSOAs an initiative covers: those listed, and those whose ward is listed.

    ``ward_of`` maps LSOA code -> ward code (for the geography shown).
    """
    codes = set(item.area_codes)
    wards = {c for c in codes if c.startswith("E05")}
    lsoas = {c for c in codes if c.startswith("E01")}
    if wards:
        lsoas |= {lsoa for lsoa, ward in ward_of.items() if ward in wards}
    return lsoas


def working_here(items: Iterable[Initiative], code: str, ward: str | None) -> list[Initiative]:
    """The initiatives covering an LSOA (listed directly or through its ward), by name."""
    found = [i for i in items if code in i.area_codes or (ward and ward in i.area_codes)]
    return sorted(found, key=lambda i: i.name.casefold())


def filter_initiatives(
    items: Iterable[Initiative],
    *,
    domain: str | None = None,
    sector: str | None = None,
    status: str | None = None,
    text: str = "",
    codes: set[str] | None = None,
) -> list[Initiative]:
    """Initiatives matching every filter given (``None`` or empty means any)."""
    needle = text.strip().casefold()
    out = []
    for i in items:
        if domain and domain not in i.domains:
            continue
        if sector and sector not in {p.sector for p in i.partners}:
            continue
        if status and i.status != status:
            continue
        if needle and needle not in f"{i.name} {i.lead_org} {' '.join(p.name for p in i.partners)}".casefold():
            continue
        if codes is not None and not (set(i.area_codes) & codes):
            continue
        out.append(i)
    return out


def initiatives_frame(items: Iterable[Initiative]) -> pd.DataFrame:
    """The register as a table (plain text; the page shows it with ``st.dataframe``)."""
    rows = [
        {
            "Initiative": i.name,
            "Lead organisation": i.lead_org,
            "Partners": "; ".join(f"{p.name} ({SECTORS[p.sector]})" for p in i.partners),
            "Domains": ", ".join(DOMAIN_OPTIONS.get(d, d) for d in i.domains),
            "Status": STATUSES.get(i.status, i.status),
            "Start": i.start_date.isoformat() if i.start_date else "",
            "End": i.end_date.isoformat() if i.end_date else "",
            "Areas": len(i.area_codes),
            "Contact": i.contact_url or "",
        }
        for i in items
    ]
    columns = ["Initiative", "Lead organisation", "Partners", "Domains", "Status", "Start", "End", "Areas", "Contact"]
    return pd.DataFrame(rows, columns=columns)


def coverage_counts(items: Iterable[Initiative], area_codes: list[str], ward_of: Mapping[str, str]) -> np.ndarray:
    """How many initiatives cover each of ``area_codes`` (in that order)."""
    index = {c: k for k, c in enumerate(area_codes)}
    counts = np.zeros(len(area_codes), dtype=int)
    for i in items:
        for code in covered_lsoas(i, ward_of):
            if code in index:
                counts[index[code]] += 1
    return counts
