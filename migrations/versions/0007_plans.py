"""Place plans: a partnership's shared outcomes for a place, and the history of their changes.

Revision ID: 0007_plans
Revises: 0006_drawn_areas
Create Date: 2026-12-08

``plans`` holds one JSON document per plan (its outcomes, baselines, targets and the readings they
were last computed with) and a ``version`` that each save names, so two editors saving at once
cannot overwrite each other. ``plan_changes`` keeps every version: who, when, what changed, and
the document, so a board can see how its targets moved.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_plans"
down_revision = "0006_drawn_areas"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer(), autoincrement=True),
        sa.Column("share_id", sa.String(43), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("place", sa.String(80), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("frozen_year", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(320), nullable=True),
        sa.Column("updated_by", sa.String(320), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_plans"),
        sa.UniqueConstraint("share_id", name="uq_plans_share_id"),
    )
    op.create_table(
        "plan_changes",
        sa.Column("id", sa.Integer(), autoincrement=True),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("who", sa.String(320), nullable=False),
        sa.Column("what", sa.String(2000), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name="fk_plan_changes_plan_id_plans", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_plan_changes"),
    )
    op.create_index("ix_plan_changes_plan_id", "plan_changes", ["plan_id"])


def downgrade() -> None:
    op.drop_index("ix_plan_changes_plan_id", table_name="plan_changes")
    op.drop_table("plan_changes")
    op.drop_table("plans")
