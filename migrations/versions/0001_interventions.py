"""Interventions and the LSOAs they cover (issue 6).

Revision ID: 0001_interventions
Revises:
Create Date: 2026-11-23

Written out in full rather than from ``placemap.storage.tables.metadata``: a revision must keep
creating the same tables even after the models move on.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_interventions"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "interventions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("share_id", sa.String(43), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("domain", sa.String(64), nullable=False),
        sa.Column("measure", sa.String(16), nullable=False),
        sa.Column("before_year", sa.Integer(), nullable=False),
        sa.Column("after_year", sa.Integer(), nullable=False),
        sa.Column("n_neighbours", sa.Integer(), nullable=False),
        sa.Column("same_region", sa.Boolean(), nullable=False),
        sa.Column("exclude_same_la", sa.Boolean(), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("n_boot", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("before_year < after_year", name="ck_interventions_editions_in_order"),
        sa.PrimaryKeyConstraint("id", name="pk_interventions"),
        sa.UniqueConstraint("share_id", name="uq_interventions_share_id"),
    )
    op.create_table(
        "intervention_areas",
        sa.Column("intervention_id", sa.Integer(), nullable=False),
        sa.Column("area_code", sa.String(9), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["intervention_id"],
            ["interventions.id"],
            name="fk_intervention_areas_intervention_id_interventions",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("intervention_id", "area_code", name="pk_intervention_areas"),
    )


def downgrade() -> None:
    op.drop_table("intervention_areas")
    op.drop_table("interventions")
