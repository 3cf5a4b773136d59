"""Curator keys: only they retract or supersede a curated claim they did not write.

The seeds' figures are curated by hand; any key could retract them. ``api_keys.curator`` marks
the keys of the people who curate (``factdesk keys create NAME --curator``). A curated claim is
retracted or superseded by a curator key, or by the key that wrote it.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 20:30
"""

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute("ALTER TABLE api_keys ADD COLUMN curator boolean NOT NULL DEFAULT false")


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute("ALTER TABLE api_keys DROP COLUMN IF EXISTS curator")
