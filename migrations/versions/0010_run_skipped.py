"""The files a run's directory walks passed over, and why, so a re-rendered report lists them too

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN: SQLite keeps the browsing views of 0002, which a batch rebuild would break.
    op.add_column("runs", sa.Column("skipped", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("runs", "skipped")
