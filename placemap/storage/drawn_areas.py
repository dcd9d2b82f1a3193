"""Drawn areas in the app's database: save, edit, open by share id, and the LSOAs each holds.

A drawn area is saved with its name, its checked GeoJSON (``placemap.uploads.drawn_shape``) and
the LSOAs it overlaps on each LSOA geography (``"lsoa11"`` for IoD2015 and IoD2019, ``"lsoa21"``
for IoD2025; ``placemap.analysis.drawn_area``), so opening it later needs no geometry at all:
``drawn_area_lsoas(db, share_id, geography)`` is what any page resolving ``place=drawn:<id>``
calls. Saving needs the ``save_drawn_area`` role action and editing ``edit_boundary`` (both
editor; ``placemap.community.roles``); every change is in the change log. Every function raises
``StoreError`` with a plain message when the database cannot do what was asked.

Example
-------
>>> clean_name("  Bispham\\x00 <b>north</b>\\n")
'Bispham <b>north</b>'
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import sqlalchemy as sa

from placemap.community import roles
from placemap.community.notes import clean_text
from placemap.storage.store import Store, StoreError
from placemap.storage.tables import (
    as_utc,
    drawn_areas,
    new_share_id,
    record_change,
    row_by_share_id,
    valid_share_id,
)
from placemap.storage.tables import (
    drawn_area_lsoas as lsoa_rows,
)

GEOGRAPHIES = ("lsoa11", "lsoa21")
MAX_NAME = 120  # the column size of ``tables.drawn_areas.name``
MAX_GEOMETRY_CHARS = 1_000_000
OBJECT_KIND = "drawn area"


@dataclass(frozen=True)
class DrawnLsoa:
    """One LSOA a drawn area overlaps: its share inside, and whether it counts as the area's."""

    geography: str
    area_code: str
    share: float
    inside: bool


@dataclass(frozen=True)
class DrawnArea:
    """One saved drawn area (``lsoas`` empty in listings)."""

    share_id: str
    name: str
    geometry: dict
    la_code: str | None
    n_vertices: int
    area_km2: float
    created_at: dt.datetime
    created_by: str | None
    updated_at: dt.datetime | None
    updated_by: str | None
    lsoas: tuple[DrawnLsoa, ...] = ()

    def members(self, geography: str) -> list[str]:
        """The LSOA codes that make the area on ``geography`` (sorted)."""
        return sorted(x.area_code for x in self.lsoas if x.geography == geography and x.inside)


def clean_name(text: object) -> str:
    """A drawn area's name as typed, made safe to keep: control characters gone, one line.

    The name is escaped wherever it is shown; this only keeps out what escaping cannot (NUL,
    bidirectional overrides, new lines in a title).

    Raises
    ------
    StoreError
        If the name is blank or longer than ``MAX_NAME`` characters.
    """
    name = " ".join(clean_text(text).split())
    if not name:
        raise StoreError("Give the area a name before saving it (for example, the neighbourhood's name).")
    if len(name) > MAX_NAME:
        raise StoreError(f"The name is {len(name):,} characters long; keep it to {MAX_NAME} or fewer.")
    return name


def _geometry_text(geometry: Mapping) -> str:
    if not isinstance(geometry, Mapping) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise StoreError("Only a polygon can be saved as a drawn area.")
    text = json.dumps(geometry, separators=(",", ":"), allow_nan=False)
    if len(text) > MAX_GEOMETRY_CHARS:
        raise StoreError("The outline is too detailed to save. Draw a simpler one.")
    return text


def _lsoa_values(area_id: int, lsoas: Mapping[str, Iterable[tuple[str, float, bool]]]) -> list[dict]:
    values = []
    for geography, rows in lsoas.items():
        if geography not in GEOGRAPHIES:
            raise StoreError(f"Unknown LSOA geography {geography!r}")
        for code, share, inside in rows:
            values.append(
                {
                    "drawn_area_id": area_id,
                    "geography": geography,
                    "area_code": str(code)[:9],
                    "share": float(share),
                    "inside": bool(inside),
                }
            )
    if not any(v["inside"] for v in values):
        raise StoreError("The area holds no LSOA, so it cannot be saved. Draw it over land in England.")
    return values


def save_drawn_area(
    db: Store,
    actor: roles.Actor,
    name: str,
    geometry: Mapping,
    lsoas: Mapping[str, Iterable[tuple[str, float, bool]]],
    *,
    la_code: str | None = None,
    n_vertices: int = 0,
    area_km2: float = 0.0,
    before_write: Callable[[], None] | None = None,
) -> str:
    """Save a drawn area and return its new share id (for ``?place=drawn:<id>`` links).

    Parameters
    ----------
    actor : who saves it (needs the ``save_drawn_area`` action: editors and moderators)
    name : the name typed (``clean_name`` cleans it)
    geometry : the checked drawing as a GeoJSON Polygon or MultiPolygon (WGS84)
    lsoas : geography (``"lsoa11"``, ``"lsoa21"``) -> (LSOA code, share inside, counts) rows
    before_write : runs once everything is checked, just before writing (the per-client limit);
        it may raise ``StoreError`` to refuse

    Raises
    ------
    roles.PermissionDenied
        If ``actor``'s role may not save drawn areas.
    StoreError
        If the name or shape is not acceptable, ``before_write`` refuses, or the database fails.
    """
    roles.require(actor, "save_drawn_area")
    name = clean_name(name)
    text = _geometry_text(geometry)
    _lsoa_values(0, lsoas)  # checked before the limit is used up
    if before_write is not None:
        before_write()
    share_id = new_share_id()
    with db.transaction("save the drawn area", write=True) as conn:
        area_id = conn.execute(
            drawn_areas.insert().values(
                share_id=share_id,
                name=name,
                la_code=(la_code or None) and str(la_code)[:9],
                geometry=text,
                n_vertices=int(n_vertices),
                area_km2=float(area_km2),
                created_at=dt.datetime.now(dt.UTC),
                created_by=actor.id,
            )
        ).inserted_primary_key[0]
        conn.execute(lsoa_rows.insert(), _lsoa_values(area_id, lsoas))
        record_change(conn, actor.label, "save", OBJECT_KIND, share_id, name)
    return share_id


def update_drawn_area(
    db: Store,
    actor: roles.Actor,
    share_id: str,
    *,
    name: str | None = None,
    geometry: Mapping | None = None,
    lsoas: Mapping[str, Iterable[tuple[str, float, bool]]] | None = None,
    n_vertices: int | None = None,
    area_km2: float | None = None,
    before_write: Callable[[], None] | None = None,
) -> bool:
    """Rename a saved drawn area, or replace its outline (with its LSOAs); ``True`` if it was there.

    The link stays the same. Needs the ``edit_boundary`` action (editors and moderators).

    Raises
    ------
    roles.PermissionDenied
        If ``actor``'s role may not edit boundaries.
    StoreError
        If the new name or shape is not acceptable, ``before_write`` refuses, or the database fails.
    """
    roles.require(actor, "edit_boundary")
    if not valid_share_id(share_id):
        return False
    if (geometry is None) != (lsoas is None):
        raise StoreError("A new outline needs its LSOAs, and LSOAs need their outline.")
    changes: dict = {"updated_at": dt.datetime.now(dt.UTC), "updated_by": actor.id}
    if name is not None:
        changes["name"] = clean_name(name)
    if geometry is not None:
        changes["geometry"] = _geometry_text(geometry)
        _lsoa_values(0, lsoas)
        changes["n_vertices"] = int(n_vertices or 0)
        changes["area_km2"] = float(area_km2 or 0.0)
    if before_write is not None:
        before_write()
    with db.transaction("save the changes to the drawn area", write=True) as conn:
        area_id = conn.execute(sa.select(drawn_areas.c.id).where(drawn_areas.c.share_id == share_id)).scalar()
        if area_id is None:
            return False
        conn.execute(drawn_areas.update().where(drawn_areas.c.id == area_id).values(**changes))
        if lsoas is not None:
            conn.execute(lsoa_rows.delete().where(lsoa_rows.c.drawn_area_id == area_id))
            conn.execute(lsoa_rows.insert(), _lsoa_values(area_id, lsoas))
        what = " and ".join(
            w for w, given in (("renamed", name is not None), ("redrawn", geometry is not None)) if given
        )
        record_change(conn, actor.label, "edit", OBJECT_KIND, share_id, f"{what or 'saved'}: {changes.get('name', '')}")
    return True


def _area(row: sa.RowMapping, lsoas: tuple[DrawnLsoa, ...] = ()) -> DrawnArea:
    try:
        geometry = json.loads(row["geometry"])
    except ValueError as exc:
        raise StoreError("The saved area is damaged and cannot be opened.") from exc
    return DrawnArea(
        row["share_id"],
        row["name"],
        geometry,
        row["la_code"],
        int(row["n_vertices"]),
        float(row["area_km2"]),
        as_utc(row["created_at"]),
        row["created_by"],
        as_utc(row["updated_at"]) if row["updated_at"] is not None else None,
        row["updated_by"],
        lsoas,
    )


def get_drawn_area(db: Store, share_id: str) -> DrawnArea | None:
    """The drawn area saved under ``share_id`` with its LSOAs on every geography, or ``None``."""
    with db.transaction("open the drawn area") as conn:
        row = row_by_share_id(conn, drawn_areas, share_id)
        if row is None:
            return None
        query = (
            sa.select(lsoa_rows)
            .where(lsoa_rows.c.drawn_area_id == row["id"])
            .order_by(lsoa_rows.c.geography, lsoa_rows.c.area_code)
        )
        found = conn.execute(query).mappings().all()
    lsoas = tuple(DrawnLsoa(r["geography"], r["area_code"], float(r["share"]), bool(r["inside"])) for r in found)
    return _area(row, lsoas)


def drawn_area_lsoas(db: Store, share_id: str, geography: str = "lsoa21") -> list[str] | None:
    """The LSOA codes that make the drawn area ``share_id`` on ``geography`` (``None`` if no such area).

    This is the resolver of a ``place=drawn:<share id>`` link: ``"lsoa11"`` for IoD2015 and
    IoD2019, ``"lsoa21"`` for IoD2025.
    """
    if geography not in GEOGRAPHIES:
        raise ValueError(f"Unknown LSOA geography {geography!r}")
    if not valid_share_id(share_id):
        return None
    with db.transaction("open the drawn area") as conn:
        area_id = conn.execute(sa.select(drawn_areas.c.id).where(drawn_areas.c.share_id == share_id)).scalar()
        if area_id is None:
            return None
        query = (
            sa.select(lsoa_rows.c.area_code)
            .where(lsoa_rows.c.drawn_area_id == area_id, lsoa_rows.c.geography == geography, lsoa_rows.c.inside)
            .order_by(lsoa_rows.c.area_code)
        )
        return list(conn.execute(query).scalars())


def list_drawn_areas(db: Store, limit: int = 200) -> list[DrawnArea]:
    """Saved drawn areas, newest first (without their LSOAs): for a place search or a picker."""
    query = sa.select(drawn_areas).order_by(drawn_areas.c.created_at.desc(), drawn_areas.c.id.desc()).limit(limit)
    with db.transaction("list the drawn areas") as conn:
        rows = conn.execute(query).mappings().all()
    return [_area(r) for r in rows]
