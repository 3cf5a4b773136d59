"""Initial schema: documents, actors and names, metrics and synonyms, claims, review history, keys.

The invariants of DESIGN.md live here as constraints and triggers, so they hold whatever writes:
a claim's quote is verbatim at its offsets, documents' text never changes, and neither documents,
claims nor their review history are ever deleted.

Revision ID: 0001
Revises:
Create Date: 2026-11-29 08:10
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

STATUSES = "'unreviewed', 'accepted', 'retracted', 'superseded'"
QUALIFIERS = "'exact', 'approximately', 'at_least', 'more_than', 'nearly', 'at_most', 'less_than', 'vague'"
ACTOR_KINDS = "'person', 'government', 'organisation', 'media', 'country', 'other'"

UPGRADE = f"""
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

-- Names compare equal when they differ only in case, accents and punctuation:
-- 'Tokáyev' = 'tokayev', 'Kassym-Jomart' = 'kassym jomart', 'Orda.kz' = 'orda kz'.
-- unaccent() is only STABLE (its dictionary could change); naming the dictionary makes this
-- wrapper safe to declare IMMUTABLE, which generated columns and indexes need.
CREATE FUNCTION fd_norm(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN btrim(regexp_replace(lower(public.unaccent('public.unaccent'::regdictionary, t)), '[^[:alnum:]]+', ' ', 'g'));

CREATE FUNCTION fd_forbid_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are never deleted: retract or supersede instead', TG_TABLE_NAME
    USING ERRCODE = 'integrity_constraint_violation';
END $$;

CREATE TABLE api_keys (
  id bigint GENERATED ALWAYS AS IDENTITY,
  name text NOT NULL,
  key_hash bytea NOT NULL,
  key_prefix text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  CONSTRAINT pk_api_keys PRIMARY KEY (id),
  CONSTRAINT uq_api_keys_name UNIQUE (name),
  CONSTRAINT uq_api_keys_key_hash UNIQUE (key_hash),
  CONSTRAINT ck_api_keys_name CHECK (length(name) BETWEEN 1 AND 100)
);

CREATE TABLE documents (
  id bigint GENERATED ALWAYS AS IDENTITY,
  title text NOT NULL,
  outlet text NOT NULL,
  url text,
  published date NOT NULL,
  language text NOT NULL DEFAULT 'en',
  original_language text,
  text text NOT NULL,
  content_hash bytea NOT NULL,
  note text,
  api_key_id bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_documents PRIMARY KEY (id),
  CONSTRAINT uq_documents_content_hash UNIQUE (content_hash),
  CONSTRAINT fk_documents_api_key_id_api_keys FOREIGN KEY (api_key_id) REFERENCES api_keys (id),
  CONSTRAINT ck_documents_text CHECK (length(text) > 0),
  CONSTRAINT ck_documents_title CHECK (length(title) > 0),
  CONSTRAINT ck_documents_outlet CHECK (length(outlet) > 0),
  CONSTRAINT ck_documents_content_hash CHECK (content_hash = sha256(convert_to(text, 'UTF8')))
);
CREATE INDEX ix_documents_outlet ON documents (fd_norm(outlet), id);
CREATE INDEX ix_documents_published ON documents (published, id);

CREATE FUNCTION fd_documents_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.text IS DISTINCT FROM OLD.text OR NEW.content_hash IS DISTINCT FROM OLD.content_hash THEN
    RAISE EXCEPTION 'a document''s text is never edited after ingest (document %)', OLD.id
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER documents_text_immutable BEFORE UPDATE ON documents
  FOR EACH ROW EXECUTE FUNCTION fd_documents_immutable();
CREATE TRIGGER documents_no_delete BEFORE DELETE ON documents
  FOR EACH ROW EXECUTE FUNCTION fd_forbid_delete();

CREATE TABLE actors (
  id bigint GENERATED ALWAYS AS IDENTITY,
  slug text NOT NULL,
  name text NOT NULL,
  kind text NOT NULL DEFAULT 'other',
  role text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_actors PRIMARY KEY (id),
  CONSTRAINT uq_actors_slug UNIQUE (slug),
  CONSTRAINT ck_actors_slug CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 120),
  CONSTRAINT ck_actors_name CHECK (length(name) BETWEEN 1 AND 300),
  CONSTRAINT ck_actors_kind CHECK (kind IN ({ACTOR_KINDS}))
);

-- Every name an actor goes by, the canonical one and the slug included, so that one indexed
-- lookup resolves any of them.
CREATE TABLE actor_names (
  id bigint GENERATED ALWAYS AS IDENTITY,
  actor_id bigint NOT NULL,
  name text NOT NULL,
  norm text GENERATED ALWAYS AS (fd_norm(name)) STORED,
  is_alias boolean NOT NULL DEFAULT true,
  CONSTRAINT pk_actor_names PRIMARY KEY (id),
  CONSTRAINT fk_actor_names_actor_id_actors FOREIGN KEY (actor_id) REFERENCES actors (id),
  CONSTRAINT uq_actor_names_actor_id_norm UNIQUE (actor_id, norm),
  CONSTRAINT ck_actor_names_name CHECK (length(name) BETWEEN 1 AND 300)
);
CREATE INDEX ix_actor_names_norm ON actor_names (norm);
CREATE INDEX ix_actor_names_norm_trgm ON actor_names USING gin (norm gin_trgm_ops);

CREATE TABLE metrics (
  id bigint GENERATED ALWAYS AS IDENTITY,
  slug text NOT NULL,
  label text NOT NULL,
  unit text NOT NULL DEFAULT 'people',
  description text,
  CONSTRAINT pk_metrics PRIMARY KEY (id),
  CONSTRAINT uq_metrics_slug UNIQUE (slug),
  CONSTRAINT ck_metrics_slug CHECK (slug ~ '^[a-z][a-z0-9_]*$' AND length(slug) <= 60)
);

CREATE TABLE metric_synonyms (
  id bigint GENERATED ALWAYS AS IDENTITY,
  metric_id bigint NOT NULL,
  synonym text NOT NULL,
  norm text GENERATED ALWAYS AS (fd_norm(synonym)) STORED,
  CONSTRAINT pk_metric_synonyms PRIMARY KEY (id),
  CONSTRAINT fk_metric_synonyms_metric_id_metrics FOREIGN KEY (metric_id) REFERENCES metrics (id),
  CONSTRAINT uq_metric_synonyms_norm UNIQUE (norm)
);

CREATE TABLE claims (
  id bigint GENERATED ALWAYS AS IDENTITY,
  document_id bigint NOT NULL,
  start_offset integer NOT NULL,
  end_offset integer NOT NULL,
  quote text NOT NULL,
  metric_id bigint,
  value_low numeric,
  value_high numeric,
  qualifier text,
  value_text text,
  group_name text,
  location text,
  as_of date,
  claimant_id bigint,
  confidence double precision NOT NULL,
  origin text NOT NULL,
  status text NOT NULL,
  superseded_by bigint,
  sort_date date NOT NULL,
  content_key bytea NOT NULL,
  api_key_id bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_claims PRIMARY KEY (id),
  CONSTRAINT uq_claims_content_key UNIQUE (content_key),
  CONSTRAINT fk_claims_document_id_documents FOREIGN KEY (document_id) REFERENCES documents (id),
  CONSTRAINT fk_claims_metric_id_metrics FOREIGN KEY (metric_id) REFERENCES metrics (id),
  CONSTRAINT fk_claims_claimant_id_actors FOREIGN KEY (claimant_id) REFERENCES actors (id),
  CONSTRAINT fk_claims_superseded_by_claims FOREIGN KEY (superseded_by) REFERENCES claims (id),
  CONSTRAINT fk_claims_api_key_id_api_keys FOREIGN KEY (api_key_id) REFERENCES api_keys (id),
  CONSTRAINT ck_claims_span CHECK (start_offset >= 0 AND end_offset > start_offset),
  CONSTRAINT ck_claims_quote_length CHECK (length(quote) = end_offset - start_offset),
  CONSTRAINT ck_claims_confidence CHECK (confidence >= 0 AND confidence <= 1),
  CONSTRAINT ck_claims_origin CHECK (origin = 'curated' OR origin ~ '^extracted:[^ ]+$'),
  CONSTRAINT ck_claims_status CHECK (status IN ({STATUSES})),
  CONSTRAINT ck_claims_figure_has_value CHECK ((metric_id IS NULL) = (qualifier IS NULL)),
  CONSTRAINT ck_claims_value_text CHECK ((qualifier IS NULL) = (value_text IS NULL)),
  CONSTRAINT ck_claims_qualifier CHECK (qualifier IS NULL OR qualifier IN ({QUALIFIERS})),
  CONSTRAINT ck_claims_value_bounds CHECK (
    CASE WHEN qualifier IS NULL THEN value_low IS NULL AND value_high IS NULL
         ELSE (value_low IS NOT NULL OR value_high IS NOT NULL)
              AND (value_low IS NULL OR value_high IS NULL OR value_low <= value_high) END),
  CONSTRAINT ck_claims_value_text_in_quote CHECK (value_text IS NULL OR strpos(quote, value_text) > 0),
  CONSTRAINT ck_claims_not_self_superseded CHECK (superseded_by IS NULL OR superseded_by <> id)
);
CREATE INDEX ix_claims_metric ON claims (metric_id, id);
CREATE INDEX ix_claims_claimant_sort ON claims (claimant_id, sort_date DESC, id DESC);
CREATE INDEX ix_claims_document ON claims (document_id, id);
CREATE INDEX ix_claims_location ON claims (fd_norm(location), id);
CREATE INDEX ix_claims_group ON claims (fd_norm(group_name), id);
CREATE INDEX ix_claims_as_of ON claims (as_of, id);
CREATE INDEX ix_claims_confidence ON claims (confidence, id);
CREATE INDEX ix_claims_status ON claims (status, id);
CREATE INDEX ix_claims_quote_trgm ON claims USING gin (quote gin_trgm_ops);

-- Invariant 1: document.text[start:end] == quote, checked where no writer can skip it.
CREATE FUNCTION fd_claims_quote_verbatim() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE TRIGGER claims_quote_verbatim BEFORE INSERT OR UPDATE OF document_id, start_offset, end_offset, quote
  ON claims FOR EACH ROW EXECUTE FUNCTION fd_claims_quote_verbatim();

-- Invariant 2: what a claim says never changes; only its review state does.
CREATE FUNCTION fd_claims_content_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE TRIGGER claims_content_immutable BEFORE UPDATE ON claims
  FOR EACH ROW EXECUTE FUNCTION fd_claims_content_immutable();
CREATE TRIGGER claims_no_delete BEFORE DELETE ON claims
  FOR EACH ROW EXECUTE FUNCTION fd_forbid_delete();

-- The chain a claim came through, claimant outward: Interior Ministry -> Orda.kz -> (document).
CREATE TABLE claim_via (
  claim_id bigint NOT NULL,
  position smallint NOT NULL,
  actor_id bigint NOT NULL,
  CONSTRAINT pk_claim_via PRIMARY KEY (claim_id, position),
  CONSTRAINT fk_claim_via_claim_id_claims FOREIGN KEY (claim_id) REFERENCES claims (id),
  CONSTRAINT fk_claim_via_actor_id_actors FOREIGN KEY (actor_id) REFERENCES actors (id),
  CONSTRAINT ck_claim_via_position CHECK (position >= 0)
);
CREATE INDEX ix_claim_via_actor ON claim_via (actor_id);

-- Review history: append-only; the first row of every claim is written by this trigger.
CREATE TABLE claim_reviews (
  id bigint GENERATED ALWAYS AS IDENTITY,
  claim_id bigint NOT NULL,
  status text NOT NULL,
  reason text NOT NULL,
  superseded_by bigint,
  api_key_id bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_claim_reviews PRIMARY KEY (id),
  CONSTRAINT fk_claim_reviews_claim_id_claims FOREIGN KEY (claim_id) REFERENCES claims (id),
  CONSTRAINT fk_claim_reviews_superseded_by_claims FOREIGN KEY (superseded_by) REFERENCES claims (id),
  CONSTRAINT fk_claim_reviews_api_key_id_api_keys FOREIGN KEY (api_key_id) REFERENCES api_keys (id),
  CONSTRAINT ck_claim_reviews_status CHECK (status IN ({STATUSES}))
);
CREATE INDEX ix_claim_reviews_claim ON claim_reviews (claim_id, id);

CREATE FUNCTION fd_claims_first_review() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO claim_reviews (claim_id, status, reason, api_key_id)
  VALUES (NEW.id, NEW.status, 'created (' || NEW.origin || ')', NEW.api_key_id);
  RETURN NULL;
END $$;
CREATE TRIGGER claims_first_review AFTER INSERT ON claims
  FOR EACH ROW EXECUTE FUNCTION fd_claims_first_review();

CREATE FUNCTION fd_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER claim_reviews_append_only BEFORE UPDATE OR DELETE ON claim_reviews
  FOR EACH ROW EXECUTE FUNCTION fd_append_only();
"""

DOWNGRADE = """
DROP TABLE IF EXISTS claim_reviews, claim_via, claims, metric_synonyms, metrics, actor_names, actors,
  documents, api_keys;
DROP FUNCTION IF EXISTS fd_append_only(), fd_claims_first_review(), fd_claims_content_immutable(),
  fd_claims_quote_verbatim(), fd_documents_immutable(), fd_forbid_delete(), fd_norm(text);
"""


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute(DOWNGRADE)
