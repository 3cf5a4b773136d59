"""Events: the happening a story is about, first-class.

An event has a slug, a name, a kind (``event_kinds``, from seeds/event_kinds.json), the
countries and places it happened in, the day it began (``onset``) and aliases
(``event_names``, found like actor names: any case, accents or punctuation). Its date range is
derived from its documents. A document belongs to one or more events (``document_events``,
exactly one of them its main event, each with the evidence of the assignment); a claim belongs
to one (``claims.event_id``: its document's main event unless a person says otherwise). Moves
and merges are kept in ``event_history``, append-only: nothing is deleted, a merged event
keeps its row and points at the event it went into.

Existing data: the seed documents (found by content hash) go into the seed event; any other
document is assigned by the same code that assigns on ingest (service/events), oldest first;
every claim then takes its document's main event.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 19:00
"""

from __future__ import annotations

import json
from pathlib import Path

from alembic import op
from sqlalchemy import text

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

SEEDS = Path(__file__).resolve().parent.parent.parent / "seeds"

UPGRADE = """
CREATE TABLE event_kinds (
  slug text NOT NULL,
  label text NOT NULL,
  CONSTRAINT pk_event_kinds PRIMARY KEY (slug)
);

CREATE TABLE events (
  id bigint GENERATED ALWAYS AS IDENTITY,
  slug text NOT NULL,
  name text NOT NULL,
  kind text NOT NULL DEFAULT 'other',
  countries text[] NOT NULL DEFAULT '{}',   -- ISO 3166-1 alpha-2
  places text[] NOT NULL DEFAULT '{}',      -- as written in names: 'Philippines', 'Southern Leyte'
  match_places text[] NOT NULL DEFAULT '{}',  -- folded place names its documents name (assignment)
  match_names text[] NOT NULL DEFAULT '{}',   -- folded names of people and organisations (assignment)
  onset date NOT NULL,
  onset_known boolean NOT NULL DEFAULT true,  -- false: onset is only its first article's day
  merged_into bigint,
  api_key_id bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_events PRIMARY KEY (id),
  CONSTRAINT uq_events_slug UNIQUE (slug),
  CONSTRAINT fk_events_kind_event_kinds FOREIGN KEY (kind) REFERENCES event_kinds (slug),
  CONSTRAINT fk_events_merged_into_events FOREIGN KEY (merged_into) REFERENCES events (id),
  CONSTRAINT fk_events_api_key_id_api_keys FOREIGN KEY (api_key_id) REFERENCES api_keys (id),
  CONSTRAINT ck_events_slug CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 120),
  CONSTRAINT ck_events_name CHECK (length(name) BETWEEN 1 AND 300),
  CONSTRAINT ck_events_not_into_self CHECK (merged_into IS NULL OR merged_into <> id)
);
CREATE INDEX ix_events_countries ON events USING gin (countries);
CREATE INDEX ix_events_onset ON events (onset DESC, id DESC);
CREATE TRIGGER events_no_delete BEFORE DELETE ON events FOR EACH ROW EXECUTE FUNCTION fd_forbid_delete();

CREATE TABLE event_names (
  id bigint GENERATED ALWAYS AS IDENTITY,
  event_id bigint NOT NULL,
  name text NOT NULL,
  norm text GENERATED ALWAYS AS (fd_norm(name)) STORED,
  is_alias boolean NOT NULL DEFAULT true,
  CONSTRAINT pk_event_names PRIMARY KEY (id),
  CONSTRAINT fk_event_names_event_id_events FOREIGN KEY (event_id) REFERENCES events (id),
  CONSTRAINT uq_event_names_event_id_norm UNIQUE (event_id, norm),
  CONSTRAINT ck_event_names_name CHECK (length(name) BETWEEN 1 AND 300)
);
CREATE INDEX ix_event_names_norm ON event_names (norm);
CREATE INDEX ix_event_names_norm_trgm ON event_names USING gin (norm gin_trgm_ops);

CREATE TABLE document_events (
  document_id bigint NOT NULL,
  event_id bigint NOT NULL,
  is_main boolean NOT NULL DEFAULT true,
  confidence double precision NOT NULL DEFAULT 1,
  evidence json,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_document_events PRIMARY KEY (document_id, event_id),
  CONSTRAINT fk_document_events_document_id_documents FOREIGN KEY (document_id) REFERENCES documents (id),
  CONSTRAINT fk_document_events_event_id_events FOREIGN KEY (event_id) REFERENCES events (id),
  CONSTRAINT ck_document_events_confidence CHECK (confidence >= 0 AND confidence <= 1)
);
CREATE UNIQUE INDEX uq_document_events_main ON document_events (document_id) WHERE is_main;
CREATE INDEX ix_document_events_event ON document_events (event_id, document_id);

CREATE TABLE event_history (
  id bigint GENERATED ALWAYS AS IDENTITY,
  action text NOT NULL,
  document_id bigint,
  claim_id bigint,
  from_event_id bigint,
  to_event_id bigint NOT NULL,
  reason text NOT NULL,
  api_key_id bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_event_history PRIMARY KEY (id),
  CONSTRAINT fk_event_history_document_id_documents FOREIGN KEY (document_id) REFERENCES documents (id),
  CONSTRAINT fk_event_history_claim_id_claims FOREIGN KEY (claim_id) REFERENCES claims (id),
  CONSTRAINT fk_event_history_from_event_id_events FOREIGN KEY (from_event_id) REFERENCES events (id),
  CONSTRAINT fk_event_history_to_event_id_events FOREIGN KEY (to_event_id) REFERENCES events (id),
  CONSTRAINT fk_event_history_api_key_id_api_keys FOREIGN KEY (api_key_id) REFERENCES api_keys (id),
  CONSTRAINT ck_event_history_action CHECK (action IN ('assigned', 'moved_document', 'moved_claim', 'merged')),
  CONSTRAINT ck_event_history_reason CHECK (length(reason) BETWEEN 1 AND 2000)
);
CREATE INDEX ix_event_history_to ON event_history (to_event_id, id);
CREATE INDEX ix_event_history_from ON event_history (from_event_id, id);
CREATE TRIGGER event_history_append_only BEFORE UPDATE OR DELETE ON event_history
  FOR EACH ROW EXECUTE FUNCTION fd_append_only();

ALTER TABLE claims ADD COLUMN event_id bigint;
ALTER TABLE claims ADD CONSTRAINT fk_claims_event_id_events FOREIGN KEY (event_id) REFERENCES events (id) NOT VALID;

-- A claim with no event named takes its document's main event.
CREATE FUNCTION fd_claims_default_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.event_id IS NULL THEN
    SELECT de.event_id INTO NEW.event_id FROM document_events de WHERE de.document_id = NEW.document_id AND de.is_main;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER claims_default_event BEFORE INSERT ON claims
  FOR EACH ROW EXECUTE FUNCTION fd_claims_default_event();

CREATE CONSTRAINT TRIGGER events_data_version AFTER INSERT OR UPDATE ON events
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fd_bump_data_version();
CREATE CONSTRAINT TRIGGER document_events_data_version AFTER INSERT OR UPDATE ON document_events
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fd_bump_data_version();
"""

INDEXES = """
-- Moving a claim to another event, like a review, makes every cached summary stale
-- (created after the backfill, which bumps the version once).
CREATE CONSTRAINT TRIGGER claims_event_data_version AFTER UPDATE OF event_id ON claims
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fd_bump_data_version();
UPDATE data_version SET version = version + 1 WHERE id = 1;
CREATE INDEX ix_claims_event_metric_visible ON claims (event_id, metric_id, id) INCLUDE (sort_date)
  WHERE status IN ('unreviewed', 'accepted');
CREATE INDEX ix_claims_event ON claims (event_id, id);
ALTER TABLE claims VALIDATE CONSTRAINT fk_claims_event_id_events;
"""

DOWNGRADE = """
DROP TRIGGER IF EXISTS claims_event_data_version ON claims;
DROP TRIGGER IF EXISTS claims_default_event ON claims;
DROP FUNCTION IF EXISTS fd_claims_default_event();
ALTER TABLE claims DROP COLUMN IF EXISTS event_id;
DROP TABLE IF EXISTS event_history, document_events, event_names, events, event_kinds;
"""


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute(UPGRADE)
    conn = op.get_bind()
    kinds = json.loads((SEEDS / "event_kinds.json").read_text(encoding="utf-8"))
    for k in kinds:
        conn.execute(text("INSERT INTO event_kinds (slug, label) VALUES (:s, :l) ON CONFLICT DO NOTHING"), {"s": k["slug"], "l": k["label"]})
    if conn.execute(text("SELECT EXISTS (SELECT 1 FROM documents)")).scalar():
        from service.events.backfill import assign_existing_sync

        assign_existing_sync(conn)
        # every claim takes its document's main event, in one pass
        conn.execute(text("ALTER TABLE claims DISABLE TRIGGER claims_content_immutable"))
        conn.execute(text(
            "UPDATE claims c SET event_id = de.event_id FROM document_events de "
            "WHERE de.document_id = c.document_id AND de.is_main AND c.event_id IS NULL"
        ))
        conn.execute(text("ALTER TABLE claims ENABLE TRIGGER claims_content_immutable"))
    op.execute(INDEXES)


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute(DOWNGRADE)
