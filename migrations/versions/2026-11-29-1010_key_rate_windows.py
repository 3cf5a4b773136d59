"""Per-key write rate limiting: a one-minute window counter on each API key, updated by the
same statement that authenticates the key (exact across worker processes).

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-29 10:10
"""

from alembic import op

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute(
        """
        ALTER TABLE api_keys ADD COLUMN rate_window timestamptz;
        ALTER TABLE api_keys ADD COLUMN rate_count integer NOT NULL DEFAULT 0;
        """
    )


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute(
        """
        ALTER TABLE api_keys DROP COLUMN IF EXISTS rate_count;
        ALTER TABLE api_keys DROP COLUMN IF EXISTS rate_window;
        """
    )
