"""The names of the actors a claim came through, kept on the claim (``claims.via_names``).

Every read of a claim listed its ``via`` chain with a subquery per row: an index scan of
``claim_via`` and a lookup of each actor's name. For the 500-row CSV page at a million claims
that was 0.67 of the 2.16 ms PostgreSQL spent on it (pgbench, COPY to /dev/null, with and
without the subquery), though three claims in four came through no one. The chain is part of
what a claim says: it is fixed when the claim is written (it is in the claim's content key) and
actors are never renamed, so the names are taken once, in the INSERT that writes the claim
(service/claims/write.py) and in the demo loader's COPY, and the content trigger keeps them.
``claim_via`` stays the chain by actor id, for joins and for the foreign keys.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 19:00
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _immutable(columns: str) -> str:
    """fd_claims_content_immutable over these columns (what a claim says; review state may change)."""
    new = ", ".join(f"NEW.{c.strip()}" for c in columns.split(","))
    old = ", ".join(f"OLD.{c.strip()}" for c in columns.split(","))
    return f"""
CREATE OR REPLACE FUNCTION fd_claims_content_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF ({new}) IS DISTINCT FROM ({old}) THEN
    RAISE EXCEPTION 'claim % cannot be edited: supersede it with a new claim', OLD.id
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
"""


CONTENT = (
    "document_id, start_offset, end_offset, quote, metric_id, value_low, value_high, qualifier, value_text, "
    "group_name, location, as_of, claimant_id, confidence, origin, content_key, created_at, confidence_factors"
)

UPGRADE = f"""
ALTER TABLE claims ADD COLUMN via_names text[] NOT NULL DEFAULT '{{}}';

ALTER TABLE claims DISABLE TRIGGER claims_content_immutable;  -- the backfill changes no content
UPDATE claims c SET via_names = v.names
FROM (SELECT v.claim_id, array_agg(a.name ORDER BY v.position) AS names
      FROM claim_via v JOIN actors a ON a.id = v.actor_id GROUP BY v.claim_id) v
WHERE v.claim_id = c.id;
ALTER TABLE claims ENABLE TRIGGER claims_content_immutable;
{_immutable(CONTENT + ", via_names")}
"""

DOWNGRADE = f"""
{_immutable(CONTENT)}
ALTER TABLE claims DROP COLUMN IF EXISTS via_names;
"""


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute(DOWNGRADE)
