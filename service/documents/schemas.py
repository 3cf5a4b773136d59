"""Document shapes on the wire."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import msgspec

from service.claims.schemas import Claim
from service.events.ref import EventRef
from service.events.schemas import Assignment


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
    events: list[EventRef] = []  # the main event first
    published_precision: Literal["day", "month", "year"] = "day"  # "month": published is the 1st of that month


class Document(DocumentMeta, kw_only=True):
    """A document with its full archived text; claims' offsets index into ``text``."""

    note: str | None = None
    text: str


class DocumentPage(msgspec.Struct, omit_defaults=True):
    items: list[DocumentMeta]
    next_cursor: str | None  # (always sent: null on the last page)
    note: str | None = None  # present when the filters cannot match anything, saying why


class IngestedDocument(msgspec.Struct, kw_only=True):
    """An archived document, the events it was assigned to (with the evidence) and the
    claims extracted from it (unreviewed), in text order."""

    document: DocumentMeta
    events: list[Assignment]  # which events it was put in, why and how sure (the main one first)
    claims: list[Claim]
    notes: list[str] = []  # on a re-post: what it said differently from the stored document
