"""One article is one document, however its white space was sent.

``text_key`` is the SHA-256 of the text with its white space made plain: Unicode normalised
(NFC), CRLF and CR as LF, non-breaking and other Unicode spaces as spaces, every run of white
space as one space, the ends trimmed. Ingest answers a text whose key is already stored with
that document (200), so a trailing space, CRLF or a non-breaking space no longer makes one report
several, each counted as independent corroboration. The stored text is still exactly as sent.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 20:00
"""

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

UPGRADE = r"""
CREATE FUNCTION fd_text_key(t text) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN sha256(convert_to(btrim(regexp_replace(
  translate(normalize(t, NFC), chr(13) || chr(160) || chr(5760) || chr(8192) || chr(8193) || chr(8194) || chr(8195)
            || chr(8196) || chr(8197) || chr(8198) || chr(8199) || chr(8200) || chr(8201) || chr(8202)
            || chr(8232) || chr(8233) || chr(8239) || chr(8287) || chr(12288) || chr(65279),
            repeat(' ', 19)),  -- each to a space; the last (U+FEFF, zero-width) to nothing
  '[[:space:]]+', ' ', 'g')), 'UTF8'));

ALTER TABLE documents ADD COLUMN text_key bytea GENERATED ALWAYS AS (fd_text_key(text)) STORED;
CREATE INDEX ix_documents_text_key ON documents (text_key);
"""

DOWNGRADE = """
ALTER TABLE documents DROP COLUMN IF EXISTS text_key;
DROP FUNCTION IF EXISTS fd_text_key(text);
"""


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute(DOWNGRADE)
