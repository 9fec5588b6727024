"""An archived copy's match belongs to the citation; the copy's page is kept to judge the next one

A snapshot row is a look-up (a URL, a date, the copy found) and may answer many citations, from this run
or, through the cache, from later ones; each citation is judged against the copy on its own. So the
match and its evidence move to the citation, and the snapshot keeps the page as read (title, headline,
main text, publication date) so a cached look-up can still be judged without asking the archive again.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# The view of 0002, with the match read from the citation where it now lives.
CITATION_VERDICTS = """
CREATE VIEW citation_verdicts AS
SELECT
    c.id AS citation_id,
    rd.run_id AS run_id,
    rd.path AS document_path,
    d.sha256 AS document_sha256,
    c.kind AS kind,
    c.role AS role,
    c.raw_text AS cited_text,
    c.line AS line,
    c.cited_date AS cited_date,
    c.url AS url,
    c.malformed AS malformed,
    o.name AS outlet,
    o.type AS outlet_type,
    o.country AS outlet_country,
    o.owner AS outlet_owner,
    o.funder AS outlet_funder,
    o.state_affiliation AS state_affiliation,
    uc.status AS link_status,
    uc.http_status AS http_status,
    uc.final_url AS final_url,
    s.archive AS archive,
    s.found AS archived,
    s.memento_url AS memento_url,
    s.memento_datetime AS memento_datetime,
    s.match AS archive_match,
    v.score AS score,
    v.label AS label,
    v.reasons AS reasons
FROM citations c
JOIN run_documents rd ON rd.id = c.run_document_id
JOIN documents d ON d.id = c.document_id
LEFT JOIN outlets o ON o.id = c.outlet_id
LEFT JOIN url_checks uc ON uc.id = c.url_check_id
LEFT JOIN snapshots s ON s.id = c.snapshot_id
LEFT JOIN verdicts v ON v.citation_id = c.id
"""
_VIEW_BEFORE = "s.match AS archive_match,"
_VIEW_AFTER = "COALESCE(c.archive_match, s.match) AS archive_match,"


def _citation_verdicts(match_column: str) -> str:
    return CITATION_VERDICTS.replace(_VIEW_BEFORE, match_column)


def upgrade() -> None:
    op.execute("DROP VIEW citation_verdicts")
    with op.batch_alter_table("snapshots") as batch:
        batch.add_column(sa.Column("page", sa.JSON(), nullable=True))
    with op.batch_alter_table("citations") as batch:
        batch.add_column(sa.Column("archive_match", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("archive_evidence", sa.JSON(), nullable=True))
    op.execute(_citation_verdicts(_VIEW_AFTER))


def downgrade() -> None:
    op.execute("DROP VIEW citation_verdicts")
    with op.batch_alter_table("citations") as batch:
        batch.drop_column("archive_evidence")
        batch.drop_column("archive_match")
    with op.batch_alter_table("snapshots") as batch:
        batch.drop_column("page")
    op.execute(_citation_verdicts(_VIEW_BEFORE))
