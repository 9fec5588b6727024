"""Dead means confirmed: each link check keeps its failure streak; a run records that it had no network

A link check that fails hard is `failing` until enough failed checks over enough days confirm it `dead`.
Each url_checks row keeps what that check saw (`cause`), the failures in a row it makes (`failures`),
since when (`failing_since`) and the sentence reports show (`history`), so the next run continues the
streak from the newest row. A run whose connectivity check failed says why in `runs.no_network`.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("url_checks") as batch:
        batch.add_column(sa.Column("cause", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("failures", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("failing_since", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("history", sa.Text(), nullable=True))
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("no_network", sa.Text(), nullable=True))


def _drop_columns(table: str, columns: list[str]) -> None:
    """SQLite rebuilds a table to drop a column, which would break the views on it: they are set aside
    and recreated as the database holds them (the way 0007 does it)."""
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
    _drop_columns("runs", ["no_network"])
    _drop_columns("url_checks", ["history", "failing_since", "failures", "cause"])
