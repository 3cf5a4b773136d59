"""A document's publication date may be known only to the month or the year.

``published`` keeps the first day of the period and ``published_precision`` says which
('day', 'month' or 'year'), as Wikidata stores dates.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 19:30
"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute(
        "ALTER TABLE documents ADD COLUMN published_precision text NOT NULL DEFAULT 'day' "
        "CONSTRAINT ck_documents_published_precision CHECK (published_precision IN ('day', 'month', 'year'))"
    )


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute("ALTER TABLE documents DROP COLUMN IF EXISTS published_precision")
