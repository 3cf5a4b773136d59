"""Time travel: a claim's review status as it stood at a given moment.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 10:30
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    # The latest review made before `at`; a claim reviewed only later is taken in its first state
    # (a figure published by then, archived afterwards, is still what one could have known).
    op.execute(
        """
        CREATE FUNCTION fd_status_at(claim bigint, at timestamptz) RETURNS text
        LANGUAGE sql STABLE PARALLEL SAFE
        RETURN coalesce(
          (SELECT r.status FROM claim_reviews r WHERE r.claim_id = claim AND r.created_at < at ORDER BY r.id DESC LIMIT 1),
          (SELECT r.status FROM claim_reviews r WHERE r.claim_id = claim ORDER BY r.id LIMIT 1));
        """
    )


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute("DROP FUNCTION IF EXISTS fd_status_at(bigint, timestamptz)")
