"""How a document was read, when a reader should know (a web page read from its archived copy)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("run_documents") as batch:
        batch.add_column(sa.Column("note", sa.Text(), nullable=True))


def _drop_columns(table: str, columns: list[str]) -> None:
    """SQLite rebuilds a table to drop a column, which would break the views on it: they are set aside
    and recreated as the database holds them (whatever later migrations made of them)."""
    bind = op.get_bind()
    views: list[tuple[str, str]] = []
    if bind.dialect.name == "sqlite":
        query = sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'view' ORDER BY name")
        views = [(str(name), str(sql)) for name, sql in bind.execute(query)]
        for name, _ in views:
            op.execute(f"DROP VIEW {name}")
    with op.batch_alter_table(table) as batch:
        for column in columns:
            batch.drop_column(column)
    for _, sql in views:
        op.execute(sql)


def downgrade() -> None:
    _drop_columns("run_documents", ["note"])
