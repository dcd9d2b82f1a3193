"""Workshops (notes, priorities, votes, Place Standard scores) and the initiatives register (issue 7).

Revision ID: 0002_workshops
Revises: 0001_interventions
Create Date: 2026-11-23

Written out in full rather than from ``placemap.storage.tables.metadata`` (see 0001).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_workshops"
down_revision = "0001_interventions"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "workshops",
        sa.Column("id", sa.Integer(), autoincrement=True),
        sa.Column("share_id", sa.String(43), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("la_code", sa.String(9), nullable=False),
        sa.Column("votes_per_person", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_workshops"),
        sa.UniqueConstraint("share_id", name="uq_workshops_share_id"),
    )
    op.create_table(
        "workshop_notes",
        sa.Column("id", sa.Integer(), autoincrement=True),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("body", sa.String(500), nullable=False),
        sa.Column("first_name", sa.String(40), nullable=True),
        sa.Column("pinned_to", sa.String(8), nullable=False),
        sa.Column("area_code", sa.String(9), nullable=True),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lng", sa.Float(), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_workshop_notes"),
        _fk("workshop_notes", "workshop_id", "workshops"),
    )
    op.create_index("ix_workshop_notes_workshop_id", "workshop_notes", ["workshop_id"])
    op.create_table(
        "workshop_priorities",
        sa.Column("id", sa.Integer(), autoincrement=True),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_workshop_priorities"),
        _fk("workshop_priorities", "workshop_id", "workshops"),
    )
    op.create_index("ix_workshop_priorities_workshop_id", "workshop_priorities", ["workshop_id"])
    op.create_table(
        "workshop_votes",
        sa.Column("id", sa.Integer(), autoincrement=True),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("priority_id", sa.Integer(), nullable=False),
        sa.Column("participant", sa.String(43), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_workshop_votes"),
        _fk("workshop_votes", "workshop_id", "workshops"),
        _fk("workshop_votes", "priority_id", "workshop_priorities"),
    )
    op.create_index("ix_workshop_votes_workshop_id", "workshop_votes", ["workshop_id"])
    op.create_table(
        "workshop_scores",
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("participant", sa.String(43), nullable=False),
        sa.Column("place", sa.String(9), nullable=False),
        sa.Column("theme", sa.String(32), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("score BETWEEN 1 AND 7", name="ck_workshop_scores_score_1_to_7"),
        sa.PrimaryKeyConstraint("workshop_id", "participant", "place", "theme", name="pk_workshop_scores"),
        _fk("workshop_scores", "workshop_id", "workshops"),
    )
    op.create_table(
        "initiatives",
        sa.Column("id", sa.Integer(), autoincrement=True),
        sa.Column("share_id", sa.String(43), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("lead_org", sa.String(200), nullable=False),
        sa.Column("domains", sa.String(400), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("contact_url", sa.String(500), nullable=True),
        sa.Column("description", sa.String(1000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_initiatives"),
        sa.UniqueConstraint("share_id", name="uq_initiatives_share_id"),
    )
    op.create_table(
        "initiative_partners",
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("sector", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("initiative_id", "position", name="pk_initiative_partners"),
        _fk("initiative_partners", "initiative_id", "initiatives"),
    )
    op.create_table(
        "initiative_areas",
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("area_code", sa.String(9), nullable=False),
        sa.PrimaryKeyConstraint("initiative_id", "area_code", name="pk_initiative_areas"),
        _fk("initiative_areas", "initiative_id", "initiatives"),
    )
    op.create_index("ix_initiative_areas_area_code", "initiative_areas", ["area_code"])


def downgrade() -> None:
    op.drop_index("ix_initiative_areas_area_code", table_name="initiative_areas")
    op.drop_table("initiative_areas")
    op.drop_table("initiative_partners")
    op.drop_table("initiatives")
    op.drop_table("workshop_scores")
    op.drop_index("ix_workshop_votes_workshop_id", table_name="workshop_votes")
    op.drop_table("workshop_votes")
    op.drop_index("ix_workshop_priorities_workshop_id", table_name="workshop_priorities")
    op.drop_table("workshop_priorities")
    op.drop_index("ix_workshop_notes_workshop_id", table_name="workshop_notes")
    op.drop_table("workshop_notes")
    op.drop_table("workshops")
