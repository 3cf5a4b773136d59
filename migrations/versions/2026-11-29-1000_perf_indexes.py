"""Performance: a covering index for corroboration counts.

Every claim a list returns carries its corroboration (how many documents and claimants report
the same figure: same metric and bounds), counted by a lateral subquery over the claims with
that figure. ix_claims_figure finds them, but each one then costs a heap fetch for its status,
document and claimant; with round figures reported hundreds of times that is most of a page's
time. This index carries those columns (and the bounds themselves, which PostgreSQL needs in
the index to answer the coalesce() expressions without the heap), so the count is an
index-only scan. Measured with 1,000,000 demo-data claims: the first page of
/claims?metric=arrests went from 527 ms to 159 ms of SQL (bench/README.md).

Revision ID: 0003
Revises: 0005 (it was planned after 0002; 0004 and 0005 landed first, and a second branch off
0002 would leave Alembic with two heads)
Create Date: 2026-11-29 10:00
"""

from alembic import op

revision = "0003"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute(
        """
        CREATE INDEX ix_claims_figure_cover ON claims
          (metric_id, (coalesce(value_low, 'NaN')), (coalesce(value_high, 'NaN')))
          INCLUDE (value_low, value_high, status, document_id, claimant_id)
          WHERE metric_id IS NOT NULL
        """
    )


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute("DROP INDEX IF EXISTS ix_claims_figure_cover")
