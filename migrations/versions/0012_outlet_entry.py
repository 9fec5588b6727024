"""The rest of a registry entry on its outlets row (controller, parent, prominence and its names), so a
report re-rendered from the database shows what the run's own report showed

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_NAME_LISTS = ("aliases", "abbreviations", "cue_aliases", "domains", "hints", "short_names")


def upgrade() -> None:
    # Plain ADD COLUMN: SQLite keeps the browsing views of 0002, which a batch rebuild would break.
    # Nullable: rows stored before this revision know none of these (they load as the registry defaults).
    op.add_column("outlets", sa.Column("controller", sa.Text(), nullable=True))
    op.add_column("outlets", sa.Column("parent", sa.String(128), nullable=True))
    op.add_column("outlets", sa.Column("prominence", sa.Integer(), nullable=True))
    for name in _NAME_LISTS:
        op.add_column("outlets", sa.Column(name, sa.JSON(), nullable=True))


def downgrade() -> None:
    for name in reversed(_NAME_LISTS):
        op.drop_column("outlets", name)
    for name in ("prominence", "parent", "controller"):
        op.drop_column("outlets", name)
