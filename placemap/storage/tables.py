"""The database's tables: one SQLAlchemy table per kind of saved thing, and the change-log write.

The schema is owned by Alembic (``migrations/``); these definitions are what the queries use
and what ``migrations/env.py`` compares against. A later feature adds its tables with a new
revision (``alembic -c alembic.ini revision -m "add notes"``) and a ``Table`` on ``metadata``
here. Shared rows are reached by a random share id, never by their sequential id.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

import sqlalchemy as sa
from sqlalchemy.engine import Connection

SHARE_ID_BYTES = 12  # 16 URL-safe characters, 96 random bits
SHARE_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,43}$")

# Naming convention so that constraints have stable names across SQLite and PostgreSQL
# (Alembic needs names to alter or drop them in later revisions).
metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


# Columns that many tables share. A Column belongs to one table, so each table calls these for
# its own copy.
def _id() -> sa.Column:
    return sa.Column("id", sa.Integer, primary_key=True, autoincrement=True)


def _share_id() -> sa.Column:
    return sa.Column("share_id", sa.String(43), nullable=False, unique=True)


def _created_at() -> sa.Column:
    return sa.Column("created_at", sa.DateTime(timezone=True), nullable=False)


def _workshop_id() -> sa.Column:
    return sa.Column(
        "workshop_id", sa.Integer, sa.ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False, index=True
    )


interventions = sa.Table(
    "interventions",
    metadata,
    _id(),
    _share_id(),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("domain", sa.String(64), nullable=False),
    sa.Column("measure", sa.String(16), nullable=False),
    sa.Column("before_year", sa.Integer, nullable=False),
    sa.Column("after_year", sa.Integer, nullable=False),
    sa.Column("n_neighbours", sa.Integer, nullable=False),
    sa.Column("same_region", sa.Boolean, nullable=False),
    sa.Column("exclude_same_la", sa.Boolean, nullable=False),
    sa.Column("seed", sa.BigInteger, nullable=False),
    sa.Column("n_boot", sa.Integer, nullable=False),
    _created_at(),
    sa.CheckConstraint("before_year < after_year", name="editions_in_order"),
    # An outcome from an uploaded table (JSON) and how the LSOAs were chosen, so a saved evaluation
    # can be redone from its link (revision 0004_intervention_uploads).
    sa.Column("upload_outcome", sa.Text, nullable=True),
    sa.Column("selection_rule", sa.String(1000), nullable=True),
)
intervention_areas = sa.Table(
    "intervention_areas",
    metadata,
    sa.Column(
        "intervention_id",
        sa.Integer,
        sa.ForeignKey("interventions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("area_code", sa.String(9), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
)

# Uploaded datasets, kept so a shared link can reopen them (revision 0003_uploads); used through
# ``placemap.storage.upload_store``.
uploads = sa.Table(
    "uploads",
    metadata,
    _id(),
    _share_id(),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("source", sa.String(1000), nullable=False),
    sa.Column("geography", sa.String(16), nullable=True),
    sa.Column("n_items", sa.Integer, nullable=False),
    sa.Column("payload", sa.Text, nullable=False),
    _created_at(),
    # Who saved it (``Actor.id``), so only they or a moderator may delete it (revision 0005_audit).
    sa.Column("created_by", sa.String(320), nullable=True),
    sa.CheckConstraint("kind IN ('indicators', 'areas')", name="known_kind"),
)
# Who changed shared data, when, and what (revision 0005_audit); read through ``placemap.audit``.
audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("who", sa.String(320), nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("object_kind", sa.String(32), nullable=False),
    sa.Column("object_id", sa.String(64), nullable=False),
    sa.Column("detail", sa.String(200), nullable=False),
)
ANONYMOUS = "anonymous session"  # who, when a caller does not say


def record_change(conn: Connection, who: str, action: str, kind: str, object_id: object, detail: str = "") -> None:
    """Write one row of the change log inside the caller's transaction (so the change and its record go together)."""
    conn.execute(
        audit_log.insert().values(
            at=dt.datetime.now(dt.UTC),
            who=(who or ANONYMOUS)[:320],
            action=action[:32],
            object_kind=kind[:32],
            object_id=str(object_id)[:64],
            detail=(detail or "")[:200],
        )
    )


def new_share_id() -> str:
    """A random, URL-safe id for ``?intervention=<id>`` links (not guessable, not sequential)."""
    return secrets.token_urlsafe(SHARE_ID_BYTES)


def valid_share_id(value: str) -> bool:
    """Whether ``value`` looks like a share id (checked before any query)."""
    return bool(SHARE_ID_PATTERN.match(value or ""))


def row_by_share_id(conn: Connection, table: sa.Table, share_id: str) -> sa.RowMapping | None:
    """The row of ``table`` saved under ``share_id``, or ``None`` when there is none or it is no share id."""
    if not valid_share_id(share_id):
        return None
    return conn.execute(sa.select(table).where(table.c.share_id == share_id)).mappings().first()


def as_utc(value: dt.datetime) -> dt.datetime:
    """``value`` in UTC: SQLite returns naive datetimes, and everything is stored in UTC."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


# --- Workshops, notes, votes, scores and initiatives ----------------------------------------
# Queries and rules live in ``placemap.storage.community``. Created by ``0002_workshops``.

workshops = sa.Table(
    "workshops",
    metadata,
    _id(),
    _share_id(),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("la_code", sa.String(9), nullable=False),
    sa.Column("votes_per_person", sa.Integer, nullable=False),
    _created_at(),
)
workshop_notes = sa.Table(
    "workshop_notes",
    metadata,
    _id(),
    _workshop_id(),
    sa.Column("category", sa.String(16), nullable=False),
    sa.Column("body", sa.String(500), nullable=False),
    sa.Column("first_name", sa.String(40), nullable=True),
    sa.Column("pinned_to", sa.String(8), nullable=False),
    sa.Column("area_code", sa.String(9), nullable=True),
    sa.Column("lat", sa.Float, nullable=False),
    sa.Column("lng", sa.Float, nullable=False),
    sa.Column("hidden", sa.Boolean, nullable=False),
    _created_at(),
)
workshop_priorities = sa.Table(
    "workshop_priorities",
    metadata,
    _id(),
    _workshop_id(),
    sa.Column("label", sa.String(120), nullable=False),
    _created_at(),
)
workshop_votes = sa.Table(
    "workshop_votes",
    metadata,
    _id(),
    _workshop_id(),
    sa.Column("priority_id", sa.Integer, sa.ForeignKey("workshop_priorities.id", ondelete="CASCADE"), nullable=False),
    sa.Column("participant", sa.String(43), nullable=False),
    _created_at(),
)
workshop_scores = sa.Table(
    "workshop_scores",
    metadata,
    sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("participant", sa.String(43), primary_key=True),
    sa.Column("place", sa.String(9), primary_key=True),
    sa.Column("theme", sa.String(32), primary_key=True),
    sa.Column("score", sa.Integer, nullable=False),
    _created_at(),
    sa.CheckConstraint("score BETWEEN 1 AND 7", name="score_1_to_7"),
)
initiatives = sa.Table(
    "initiatives",
    metadata,
    _id(),
    _share_id(),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("lead_org", sa.String(200), nullable=False),
    sa.Column("domains", sa.String(400), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("start_date", sa.Date, nullable=True),
    sa.Column("end_date", sa.Date, nullable=True),
    sa.Column("contact_url", sa.String(500), nullable=True),
    sa.Column("description", sa.String(1000), nullable=False),
    _created_at(),
)
initiative_partners = sa.Table(
    "initiative_partners",
    metadata,
    sa.Column("initiative_id", sa.Integer, sa.ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("sector", sa.String(32), nullable=False),
)
initiative_areas = sa.Table(
    "initiative_areas",
    metadata,
    sa.Column("initiative_id", sa.Integer, sa.ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("area_code", sa.String(9), primary_key=True, index=True),
)

# --- Drawn areas ----------------------------------------------------------------------------
# Areas people draw on the map, kept with the LSOAs they hold on each LSOA geography so that a
# link (``?place=drawn:<share id>``) reopens them without redoing the overlay. Queries live in
# ``placemap.storage.drawn_areas``. Created by ``0006_drawn_areas``.

drawn_areas = sa.Table(
    "drawn_areas",
    metadata,
    _id(),
    _share_id(),
    sa.Column("name", sa.String(120), nullable=False),
    sa.Column("la_code", sa.String(9), nullable=True),
    sa.Column("geometry", sa.Text, nullable=False),
    sa.Column("n_vertices", sa.Integer, nullable=False),
    sa.Column("area_km2", sa.Float, nullable=False),
    _created_at(),
    sa.Column("created_by", sa.String(320), nullable=True),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("updated_by", sa.String(320), nullable=True),
)
drawn_area_lsoas = sa.Table(
    "drawn_area_lsoas",
    metadata,
    sa.Column("drawn_area_id", sa.Integer, sa.ForeignKey("drawn_areas.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("geography", sa.String(8), primary_key=True),
    sa.Column("area_code", sa.String(9), primary_key=True),
    sa.Column("share", sa.Float, nullable=False),
    sa.Column("inside", sa.Boolean, nullable=False),
    sa.CheckConstraint("geography IN ('lsoa11', 'lsoa21')", name="known_geography"),
)


# --- Place plans ----------------------------------------------------------------------------
# Queries and rules live in ``placemap.storage.plans``. Created by ``0007_plans``. A plan is one
# JSON document (its outcomes inside) with a version that every save must name (no lost update).

plans = sa.Table(
    "plans",
    metadata,
    _id(),
    _share_id(),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("place", sa.String(80), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("frozen_year", sa.Integer, nullable=True),
    _created_at(),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_by", sa.String(320), nullable=True),
    sa.Column("updated_by", sa.String(320), nullable=False),
)
plan_changes = sa.Table(
    "plan_changes",
    metadata,
    _id(),
    sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("who", sa.String(320), nullable=False),
    sa.Column("what", sa.String(2000), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
)
