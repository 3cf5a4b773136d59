"""Cached metric summaries, invalidated by a data version bumped at commit.

/metrics and /metrics/{slug} aggregate every visible figure of a metric: hundreds of
milliseconds at a million claims. Their JSON is cached in ``summary_cache`` with the
``data_version`` it was computed at; any committed change to claims, metrics or names bumps
the version (a deferred constraint trigger, so the single counter row is locked only while a
writer commits), which makes every cached summary stale at once.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 11:30
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

UPGRADE = """
CREATE TABLE data_version (
  id integer NOT NULL DEFAULT 1,
  version bigint NOT NULL DEFAULT 1,
  CONSTRAINT pk_data_version PRIMARY KEY (id),
  CONSTRAINT ck_data_version_one_row CHECK (id = 1)
);
INSERT INTO data_version (id, version) VALUES (1, 1);

CREATE TABLE summary_cache (
  key text NOT NULL,
  version bigint NOT NULL,
  body bytea NOT NULL,
  computed_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_summary_cache PRIMARY KEY (key)
);

CREATE FUNCTION fd_bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE data_version SET version = version + 1 WHERE id = 1;
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER claims_data_version AFTER INSERT OR UPDATE OF status ON claims
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fd_bump_data_version();
CREATE CONSTRAINT TRIGGER metrics_data_version AFTER INSERT OR UPDATE ON metrics
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fd_bump_data_version();
CREATE CONSTRAINT TRIGGER metric_synonyms_data_version AFTER INSERT OR UPDATE ON metric_synonyms
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fd_bump_data_version();
CREATE CONSTRAINT TRIGGER actors_data_version AFTER INSERT OR UPDATE ON actors
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fd_bump_data_version();
"""

DOWNGRADE = """
DROP TRIGGER IF EXISTS claims_data_version ON claims;
DROP TRIGGER IF EXISTS metrics_data_version ON metrics;
DROP TRIGGER IF EXISTS metric_synonyms_data_version ON metric_synonyms;
DROP TRIGGER IF EXISTS actors_data_version ON actors;
DROP FUNCTION IF EXISTS fd_bump_data_version();
DROP TABLE IF EXISTS summary_cache, data_version;
"""


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute(DOWNGRADE)
