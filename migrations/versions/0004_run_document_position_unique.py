"""One row per document position in a run, so two processes can never both store the same document

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07

A run taken over while its first process still worked stored every document twice (#16). Rows left by
that are removed first, keeping the earliest of each (its citations and verdicts go with the others by
ON DELETE CASCADE). A unique index rather than a table constraint: SQLite can add one without
rebuilding the table, which the browsing views (0002) depend on.
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

INDEX = "uq_run_documents_run_position"


def upgrade() -> None:
    op.execute(
        "DELETE FROM run_documents WHERE id NOT IN "
        "(SELECT keep FROM (SELECT MIN(id) AS keep FROM run_documents GROUP BY run_id, position) AS kept)"
    )
    op.create_index(INDEX, "run_documents", ["run_id", "position"], unique=True)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="run_documents")
