"""Uploaded datasets: local indicators and boundaries saved to reuse and share (issue 8).

Revision ID: 0003_uploads
Revises: 0002_workshops
Create Date: 2026-11-24

Written out in full rather than from ``placemap.storage.upload_store``: a revision must keep
creating the same table even after the models move on. (Issue 7 adds a revision in
parallel; the two are linearised at merge.)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_uploads"
down_revision = "0002_workshops"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "uploads",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("share_id", sa.String(43), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("source", sa.String(1000), nullable=False),
        sa.Column("geography", sa.String(16), nullable=True),
        sa.Column("n_items", sa.Integer(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('indicators', 'areas')", name="ck_uploads_known_kind"),
        sa.PrimaryKeyConstraint("id", name="pk_uploads"),
        sa.UniqueConstraint("share_id", name="uq_uploads_share_id"),
    )


def downgrade() -> None:
    op.drop_table("uploads")
