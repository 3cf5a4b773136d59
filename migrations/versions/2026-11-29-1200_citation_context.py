"""Citation context stored with each claim: the 32 characters before and after its quote.

Every read of a claim returned ``prefix`` and ``suffix`` by slicing the document's text, which
PostgreSQL keeps compressed: two partial decompressions per claim were half of the database's
time for a page of 100 claims. The text and the offsets never change (invariants 1 and 2), so
the slices are taken once, by the trigger that already checks the quote against the text, and
kept in ``claims.prefix`` / ``claims.suffix``. An UPDATE of them is overwritten by the trigger.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 12:00
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# 32 = service.claims.queries.CONTEXT_CHARS, as a W3C TextQuoteSelector's prefix/suffix.
UPGRADE = """
ALTER TABLE claims ADD COLUMN prefix text, ADD COLUMN suffix text;

ALTER TABLE claims DISABLE TRIGGER claims_content_immutable;  -- the backfill changes no content
UPDATE claims c
SET prefix = substr(d.text, greatest(c.start_offset - 32, 0) + 1, c.start_offset - greatest(c.start_offset - 32, 0)),
    suffix = substr(d.text, c.end_offset + 1, 32)
FROM documents d WHERE d.id = c.document_id;
ALTER TABLE claims ENABLE TRIGGER claims_content_immutable;
ALTER TABLE claims ALTER COLUMN prefix SET NOT NULL, ALTER COLUMN suffix SET NOT NULL;

CREATE OR REPLACE FUNCTION fd_claims_quote_verbatim() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE doc_text text;
BEGIN
  SELECT d.text INTO doc_text FROM documents d WHERE d.id = NEW.document_id;
  IF doc_text IS NULL THEN
    RETURN NEW;  -- the foreign key reports the missing document
  END IF;
  IF NEW.end_offset > length(doc_text)
     OR substr(doc_text, NEW.start_offset + 1, NEW.end_offset - NEW.start_offset) IS DISTINCT FROM NEW.quote THEN
    RAISE EXCEPTION 'quote is not verbatim in document % at [%, %)', NEW.document_id, NEW.start_offset, NEW.end_offset
      USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_claims_quote_verbatim';
  END IF;
  NEW.prefix := substr(doc_text, greatest(NEW.start_offset - 32, 0) + 1, NEW.start_offset - greatest(NEW.start_offset - 32, 0));
  NEW.suffix := substr(doc_text, NEW.end_offset + 1, 32);
  RETURN NEW;
END $$;
DROP TRIGGER claims_quote_verbatim ON claims;
CREATE TRIGGER claims_quote_verbatim
  BEFORE INSERT OR UPDATE OF document_id, start_offset, end_offset, quote, prefix, suffix
  ON claims FOR EACH ROW EXECUTE FUNCTION fd_claims_quote_verbatim();
"""

DOWNGRADE = """
CREATE OR REPLACE FUNCTION fd_claims_quote_verbatim() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE doc_text text;
BEGIN
  SELECT d.text INTO doc_text FROM documents d WHERE d.id = NEW.document_id;
  IF doc_text IS NULL THEN
    RETURN NEW;  -- the foreign key reports the missing document
  END IF;
  IF NEW.end_offset > length(doc_text)
     OR substr(doc_text, NEW.start_offset + 1, NEW.end_offset - NEW.start_offset) IS DISTINCT FROM NEW.quote THEN
    RAISE EXCEPTION 'quote is not verbatim in document % at [%, %)', NEW.document_id, NEW.start_offset, NEW.end_offset
      USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_claims_quote_verbatim';
  END IF;
  RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS claims_quote_verbatim ON claims;
CREATE TRIGGER claims_quote_verbatim BEFORE INSERT OR UPDATE OF document_id, start_offset, end_offset, quote
  ON claims FOR EACH ROW EXECUTE FUNCTION fd_claims_quote_verbatim();
ALTER TABLE claims DROP COLUMN IF EXISTS prefix, DROP COLUMN IF EXISTS suffix;
"""


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute(DOWNGRADE)
