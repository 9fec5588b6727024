"""The page a citation stands on (PDF) and the archived copy its document gives (a wiki archive-url)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-08
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("citations") as batch:
        batch.add_column(sa.Column("page", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("archive_url", sa.Text(), nullable=True))


def _citation_verdicts_view() -> str:
    """The view as 0002 made it: SQLite rebuilds the table to drop a column, so the view goes first."""
    spec = importlib.util.spec_from_file_location(
        "_browsing_views", Path(__file__).with_name("0002_browsing_views.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.CITATION_VERDICTS)


def downgrade() -> None:
    op.execute("DROP VIEW citation_verdicts")
    with op.batch_alter_table("citations") as batch:
        batch.drop_column("archive_url")
        batch.drop_column("page")
    op.execute(_citation_verdicts_view())
