"""Review and extraction: claim versions (for ETag / If-Match), confidence factors, an index to
count corroborating figures, and who made each review.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 08:40
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

UPGRADE = """
ALTER TABLE claims ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE claims ADD COLUMN confidence_factors jsonb;
ALTER TABLE claims ADD CONSTRAINT ck_claims_version CHECK (version >= 1);
ALTER TABLE claims ADD CONSTRAINT ck_claims_confidence_factors
  CHECK (confidence_factors IS NULL OR jsonb_typeof(confidence_factors) = 'array');
-- the same figure (metric and bounds) across documents: corroboration counts
CREATE INDEX ix_claims_figure ON claims (metric_id, (coalesce(value_low, 'NaN')), (coalesce(value_high, 'NaN')))
  WHERE metric_id IS NOT NULL;

-- confidence_factors is part of what a claim says; version and updated_at are review state.
CREATE OR REPLACE FUNCTION fd_claims_content_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.document_id, NEW.start_offset, NEW.end_offset, NEW.quote, NEW.metric_id, NEW.value_low,
      NEW.value_high, NEW.qualifier, NEW.value_text, NEW.group_name, NEW.location, NEW.as_of,
      NEW.claimant_id, NEW.confidence, NEW.origin, NEW.content_key, NEW.created_at,
      NEW.confidence_factors)
     IS DISTINCT FROM
     (OLD.document_id, OLD.start_offset, OLD.end_offset, OLD.quote, OLD.metric_id, OLD.value_low,
      OLD.value_high, OLD.qualifier, OLD.value_text, OLD.group_name, OLD.location, OLD.as_of,
      OLD.claimant_id, OLD.confidence, OLD.origin, OLD.content_key, OLD.created_at,
      OLD.confidence_factors) THEN
    RAISE EXCEPTION 'claim % cannot be edited: supersede it with a new claim', OLD.id
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
"""

DOWNGRADE = """
DROP INDEX IF EXISTS ix_claims_figure;
ALTER TABLE claims DROP CONSTRAINT IF EXISTS ck_claims_confidence_factors;
ALTER TABLE claims DROP CONSTRAINT IF EXISTS ck_claims_version;
ALTER TABLE claims DROP COLUMN IF EXISTS confidence_factors;
ALTER TABLE claims DROP COLUMN IF EXISTS version;
CREATE OR REPLACE FUNCTION fd_claims_content_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.document_id, NEW.start_offset, NEW.end_offset, NEW.quote, NEW.metric_id, NEW.value_low,
      NEW.value_high, NEW.qualifier, NEW.value_text, NEW.group_name, NEW.location, NEW.as_of,
      NEW.claimant_id, NEW.confidence, NEW.origin, NEW.content_key, NEW.created_at)
     IS DISTINCT FROM
     (OLD.document_id, OLD.start_offset, OLD.end_offset, OLD.quote, OLD.metric_id, OLD.value_low,
      OLD.value_high, OLD.qualifier, OLD.value_text, OLD.group_name, OLD.location, OLD.as_of,
      OLD.claimant_id, OLD.confidence, OLD.origin, OLD.content_key, OLD.created_at) THEN
    RAISE EXCEPTION 'claim % cannot be edited: supersede it with a new claim', OLD.id
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
"""


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute(DOWNGRADE)
