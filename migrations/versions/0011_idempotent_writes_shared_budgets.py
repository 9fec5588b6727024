"""One link check per URL and one archive look-up per (URL, date) in a run; rate budgets in the database

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07

A cluster run retries a task whose worker died, and a retried task must add no second row (#20). The
unique keys make the database refuse what the code already avoids. Rows a run stored twice before (a
`--refresh` run re-checked a URL in every batch that cited it) are folded into the newest of each, and
the citations that pointed at the others are re-pointed first.

`rate_budgets` and `rate_budget_events` hold the archive budgets every worker of a cluster spends: a
sliding log of requests per budget, so requests a dead worker sent still count against the minute.

PostgreSQL 15 and later also treat an unknown wanted date (NULL) as one value in the snapshots key.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

CHECKS_KEY = "uq_url_checks_run_url"
SNAPSHOTS_KEY = "uq_snapshots_run_url_date"


def _fold(table: str, column: str, key: tuple[str, ...]) -> None:
    """Point citations at the newest row of each duplicate group, then drop the others (an unknown
    wanted date counts as one value, as the key treats it where it can)."""
    same = " AND ".join(
        f"COALESCE(newer.{part}, '') = COALESCE(old.{part}, '')"
        if part == "wanted_date"
        else f"newer.{part} = old.{part}"
        for part in key
    )
    op.execute(
        f"UPDATE citations SET {column} = (SELECT MAX(newer.id) FROM {table} newer "
        f"JOIN {table} old ON {same} "
        f"WHERE old.id = citations.{column}) "
        f"WHERE {column} IN (SELECT id FROM {table} WHERE run_id IS NOT NULL)"
    )
    op.execute(
        f"DELETE FROM {table} WHERE run_id IS NOT NULL AND id NOT IN (SELECT keep FROM "
        f"(SELECT MAX(id) AS keep FROM {table} WHERE run_id IS NOT NULL GROUP BY {', '.join(key)}) AS kept)"
    )


def upgrade() -> None:
    _fold("url_checks", "url_check_id", ("run_id", "url"))
    _fold("snapshots", "snapshot_id", ("run_id", "url", "wanted_date"))
    op.create_index(CHECKS_KEY, "url_checks", ["run_id", "url"], unique=True)
    bind = op.get_bind()
    version = bind.dialect.server_version_info or (0,)
    nulls_not_distinct = bind.dialect.name == "postgresql" and version >= (15,)
    op.create_index(
        SNAPSHOTS_KEY,
        "snapshots",
        ["run_id", "url", "wanted_date"],
        unique=True,
        postgresql_nulls_not_distinct=nulls_not_distinct,
    )
    op.create_table(
        "rate_budgets",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "rate_budget_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_rate_budget_events_name_at", "rate_budget_events", ["name", "at"])


def downgrade() -> None:
    op.drop_index("ix_rate_budget_events_name_at", table_name="rate_budget_events")
    op.drop_table("rate_budget_events")
    op.drop_table("rate_budgets")
    op.drop_index(SNAPSHOTS_KEY, table_name="snapshots")
    op.drop_index(CHECKS_KEY, table_name="url_checks")
