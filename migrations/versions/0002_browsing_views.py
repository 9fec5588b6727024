"""SQL views for browsing a database with standard tools (datasette, sqlite3, psql)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

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

DOCUMENT_VERDICTS = """
CREATE VIEW document_verdicts AS
SELECT
    rd.id AS run_document_id,
    rd.run_id AS run_id,
    rd.path AS document_path,
    d.sha256 AS document_sha256,
    d.title AS title,
    rd.error AS error,
    v.score AS score,
    v.label AS label,
    v.reasons AS reasons
FROM run_documents rd
LEFT JOIN documents d ON d.id = rd.document_id
LEFT JOIN verdicts v ON v.run_document_id = rd.id
"""


def upgrade() -> None:
    op.execute(CITATION_VERDICTS)
    op.execute(DOCUMENT_VERDICTS)


def downgrade() -> None:
    op.execute("DROP VIEW document_verdicts")
    op.execute("DROP VIEW citation_verdicts")
