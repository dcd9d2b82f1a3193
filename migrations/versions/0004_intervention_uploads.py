"""Interventions evaluated with uploaded data: the outcome's description and how the LSOAs were chosen (issue 8).

Revision ID: 0004_intervention_uploads
Revises: 0003_uploads
Create Date: 2026-11-23

Two nullable columns on ``interventions``, so every intervention saved before keeps
loading unchanged: ``upload_outcome`` (JSON: which uploaded table and columns are the
outcome; the values stay with the upload) and ``selection_rule`` (in words, e.g. "LSOAs
with at least 50% of their population inside ..."). Batch mode lets SQLite drop them again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_intervention_uploads"
down_revision = "0003_uploads"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("interventions") as batch:
        batch.add_column(sa.Column("upload_outcome", sa.Text(), nullable=True))
        batch.add_column(sa.Column("selection_rule", sa.String(1000), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("interventions") as batch:
        batch.drop_column("selection_rule")
        batch.drop_column("upload_outcome")
