"""Drawn areas: boundaries people draw on the map, with the LSOAs they hold on each geography.

Revision ID: 0006_drawn_areas
Revises: 0005_audit
Create Date: 2026-12-02

``drawn_areas`` holds one drawn boundary (its name, GeoJSON, size, who saved and last edited
it); ``drawn_area_lsoas`` the LSOAs it overlaps on the 2011 and 2021 LSOA geographies, with the
share of each inside and whether it counts as the area's (its centre lies inside). Written out in
full rather than from ``placemap.storage.tables``: a revision must keep creating the same tables
even after the models move on.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_drawn_areas"
down_revision = "0005_audit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "drawn_areas",
        sa.Column("id", sa.Integer(), autoincrement=True),
        sa.Column("share_id", sa.String(43), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("la_code", sa.String(9), nullable=True),
        sa.Column("geometry", sa.Text(), nullable=False),
        sa.Column("n_vertices", sa.Integer(), nullable=False),
        sa.Column("area_km2", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(320), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_by", sa.String(320), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_drawn_areas"),
        sa.UniqueConstraint("share_id", name="uq_drawn_areas_share_id"),
    )
    op.create_table(
        "drawn_area_lsoas",
        sa.Column("drawn_area_id", sa.Integer(), nullable=False),
        sa.Column("geography", sa.String(8), nullable=False),
        sa.Column("area_code", sa.String(9), nullable=False),
        sa.Column("share", sa.Float(), nullable=False),
        sa.Column("inside", sa.Boolean(), nullable=False),
        sa.CheckConstraint("geography IN ('lsoa11', 'lsoa21')", name="ck_drawn_area_lsoas_known_geography"),
        sa.ForeignKeyConstraint(
            ["drawn_area_id"],
            ["drawn_areas.id"],
            name="fk_drawn_area_lsoas_drawn_area_id_drawn_areas",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("drawn_area_id", "geography", "area_code", name="pk_drawn_area_lsoas"),
    )


def downgrade() -> None:
    op.drop_table("drawn_area_lsoas")
    op.drop_table("drawn_areas")
