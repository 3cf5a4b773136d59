"""Document shapes on the wire."""

from __future__ import annotations

import datetime as dt

import msgspec

from service.claims.schemas import Claim


class DocumentMeta(msgspec.Struct, kw_only=True):
    """A document's metadata (no text). ``content_hash`` is the SHA-256 of the text, hex."""

    id: int
    title: str
    outlet: str
    url: str | None = None
    published: dt.date
    language: str
    original_language: str | None = None
    content_hash: str
    length: int
    claims: int


class Document(DocumentMeta, kw_only=True):
    """A document with its full archived text; claims' offsets index into ``text``."""

    note: str | None = None
    text: str


class DocumentPage(msgspec.Struct):
    items: list[DocumentMeta]
    next_cursor: str | None = None


class IngestedDocument(msgspec.Struct, kw_only=True):
    """An archived document and the claims extracted from it (unreviewed), in text order."""

    document: DocumentMeta
    claims: list[Claim]
