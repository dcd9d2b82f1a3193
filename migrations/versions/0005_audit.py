"""Who changed shared data: a change log, and who saved each upload.

Revision ID: 0005_audit
Revises: 0004_intervention_uploads
Create Date: 2026-12-01

``audit_log`` holds one row per change to shared data (who: the signed-in address or
"passcode holder" or "anonymous session"; when; what was done to which object). Moderators
read it on the About page. ``uploads.created_by`` is nullable: datasets saved before this
revision have no recorded owner, so only a moderator can delete them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_audit"
down_revision = "0004_intervention_uploads"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("who", sa.String(320), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("object_kind", sa.String(32), nullable=False),
        sa.Column("object_id", sa.String(64), nullable=False),
        sa.Column("detail", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    with op.batch_alter_table("uploads") as batch:
        batch.add_column(sa.Column("created_by", sa.String(320), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("uploads") as batch:
        batch.drop_column("created_by")
    op.drop_index("ix_audit_log_at", table_name="audit_log")
    op.drop_table("audit_log")
