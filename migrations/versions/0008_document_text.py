"""Each document's text, so a stored run can be re-rendered as the annotated document

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07

The HTML report shows the document with every citation highlighted (#17); `citecheck report` re-renders
a stored run, so the text has to be in the database. `text` is the normalised text the citations were
found in, and `offset_map` the sparse map from it to the decoded text that the citations' stored offsets
count in (models.Document.offset_map). Rows stored before this revision keep NULL: their reports say the
text was not kept.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch rebuild on SQLite), which leaves the browsing views of 0002 in place.
    op.add_column("documents", sa.Column("text", sa.Text(), nullable=True))
    op.add_column("documents", sa.Column("offset_map", sa.JSON(), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+) for the same reason: a batch rebuild would break the views.
    op.drop_column("documents", "offset_map")
    op.drop_column("documents", "text")
