"""Corroboration kept current on write.

Every figure in a list says how many documents report the same metric and bounds and how many
distinct named claimants stand behind it. Counting that per row at read time cost most of a
page's time at a million claims (a lateral count over every claim with the figure). These
tables hold the counts instead, maintained by triggers as claims are added or change review
state: ``figure_refs`` counts visible claims per (figure, document) and (figure, claimant), and
``figure_stats`` the distinct documents and claimants with at least one such claim.
``fd_rebuild_figure_stats()`` recomputes both from the claims (bulk loads call it).

Revision ID: 0006
Revises: 0003
Create Date: 2026-11-29 11:00
"""

from alembic import op

revision = "0006"
down_revision = "0003"
branch_labels = None
depends_on = None

UPGRADE = """
CREATE TABLE figure_stats (
  metric_id bigint NOT NULL,
  low_key numeric NOT NULL,   -- value_low, NaN when open
  high_key numeric NOT NULL,  -- value_high, NaN when open
  documents integer NOT NULL DEFAULT 0,
  claimants integer NOT NULL DEFAULT 0,
  unattributed integer NOT NULL DEFAULT 0,
  CONSTRAINT pk_figure_stats PRIMARY KEY (metric_id, low_key, high_key),
  CONSTRAINT ck_figure_stats_counts CHECK (documents >= 0 AND claimants >= 0 AND unattributed >= 0)
);

CREATE TABLE figure_refs (
  metric_id bigint NOT NULL,
  low_key numeric NOT NULL,
  high_key numeric NOT NULL,
  kind "char" NOT NULL,       -- 'd': ref is a document id; 'c': a claimant (actor) id
  ref bigint NOT NULL,
  claims integer NOT NULL,
  CONSTRAINT pk_figure_refs PRIMARY KEY (metric_id, low_key, high_key, kind, ref),
  CONSTRAINT ck_figure_refs_kind CHECK (kind IN ('d', 'c')),
  CONSTRAINT ck_figure_refs_claims CHECK (claims >= 0)
);

CREATE FUNCTION fd_figure_ref(m bigint, lo numeric, hi numeric, k "char", r bigint, delta integer)
RETURNS integer LANGUAGE plpgsql AS $$
-- +1 when the ref went from no visible claim to one, -1 when it went back to none, else 0
DECLARE n integer;
BEGIN
  INSERT INTO figure_refs AS f (metric_id, low_key, high_key, kind, ref, claims)
  VALUES (m, lo, hi, k, r, greatest(delta, 0))
  ON CONFLICT (metric_id, low_key, high_key, kind, ref) DO UPDATE SET claims = f.claims + delta
  RETURNING claims INTO n;
  IF delta > 0 AND n = 1 THEN RETURN 1; END IF;
  IF delta < 0 AND n = 0 THEN RETURN -1; END IF;
  RETURN 0;
END $$;

CREATE FUNCTION fd_figure_count(c claims, delta integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  lo numeric := coalesce(c.value_low, 'NaN');
  hi numeric := coalesce(c.value_high, 'NaN');
  dd integer;
  dc integer := 0;
  du integer := 0;
BEGIN
  INSERT INTO figure_stats (metric_id, low_key, high_key) VALUES (c.metric_id, lo, hi) ON CONFLICT DO NOTHING;
  dd := fd_figure_ref(c.metric_id, lo, hi, 'd', c.document_id, delta);
  IF c.claimant_id IS NULL THEN
    du := delta;
  ELSE
    dc := fd_figure_ref(c.metric_id, lo, hi, 'c', c.claimant_id, delta);
  END IF;
  UPDATE figure_stats SET documents = documents + dd, claimants = claimants + dc, unattributed = unattributed + du
  WHERE metric_id = c.metric_id AND low_key = lo AND high_key = hi;
END $$;

CREATE FUNCTION fd_claims_figure_stats() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was boolean := TG_OP = 'UPDATE' AND OLD.metric_id IS NOT NULL AND OLD.status IN ('unreviewed', 'accepted');
  now_visible boolean := NEW.metric_id IS NOT NULL AND NEW.status IN ('unreviewed', 'accepted');
BEGIN
  IF was AND NOT now_visible THEN
    PERFORM fd_figure_count(OLD, -1);
  ELSIF now_visible AND NOT was THEN
    PERFORM fd_figure_count(NEW, 1);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER claims_figure_stats AFTER INSERT OR UPDATE OF status ON claims
  FOR EACH ROW EXECUTE FUNCTION fd_claims_figure_stats();

CREATE FUNCTION fd_rebuild_figure_stats() RETURNS void LANGUAGE sql AS $$
  DELETE FROM figure_refs;
  DELETE FROM figure_stats;
  INSERT INTO figure_refs (metric_id, low_key, high_key, kind, ref, claims)
  SELECT metric_id, coalesce(value_low, 'NaN'), coalesce(value_high, 'NaN'), 'd', document_id, count(*)
  FROM claims WHERE metric_id IS NOT NULL AND status IN ('unreviewed', 'accepted')
  GROUP BY 1, 2, 3, 5
  UNION ALL
  SELECT metric_id, coalesce(value_low, 'NaN'), coalesce(value_high, 'NaN'), 'c', claimant_id, count(*)
  FROM claims WHERE metric_id IS NOT NULL AND status IN ('unreviewed', 'accepted') AND claimant_id IS NOT NULL
  GROUP BY 1, 2, 3, 5;
  INSERT INTO figure_stats (metric_id, low_key, high_key, documents, claimants, unattributed)
  SELECT metric_id, coalesce(value_low, 'NaN'), coalesce(value_high, 'NaN'),
         count(DISTINCT document_id), count(DISTINCT claimant_id), count(*) FILTER (WHERE claimant_id IS NULL)
  FROM claims WHERE metric_id IS NOT NULL AND status IN ('unreviewed', 'accepted')
  GROUP BY 1, 2, 3;
$$;

SELECT fd_rebuild_figure_stats();
"""

DOWNGRADE = """
DROP TRIGGER IF EXISTS claims_figure_stats ON claims;
DROP FUNCTION IF EXISTS fd_claims_figure_stats(), fd_figure_count(claims, integer),
  fd_figure_ref(bigint, numeric, numeric, "char", bigint, integer), fd_rebuild_figure_stats();
DROP TABLE IF EXISTS figure_refs, figure_stats;
"""


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute(DOWNGRADE)
