"""A person moves a document or a claim to another event, or merges two events. Each is one
transaction, recorded in ``event_history`` with its reason and the key that made it."""

from __future__ import annotations

import json

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from service.errors import Unprocessable
from service.events.store import _HISTORY

_MAIN = text("SELECT event_id FROM document_events WHERE document_id = :doc AND is_main")
_DOC_EXISTS = text("SELECT 1 FROM documents WHERE id = :doc")


async def _history(conn: AsyncConnection, action: str, to_event: int, reason: str, api_key_id: int | None, *,
                   doc: int | None = None, claim: int | None = None, from_event: int | None = None) -> None:
    await conn.execute(_HISTORY, {"action": action, "doc": doc, "claim": claim, "from_event": from_event,
                                  "to_event": to_event, "reason": reason, "key": api_key_id})


async def move_document(conn: AsyncConnection, event_id: int, document_id: int, reason: str, *, main: bool,
                        api_key_id: int | None) -> bool:
    """Whether anything changed. As main event: the document's claims that were in its old
    main event follow it (claims moved one by one elsewhere stay where they were put)."""
    if (await conn.execute(_DOC_EXISTS, {"doc": document_id})).first() is None:
        raise Unprocessable("document_id", f"no document has id {document_id}")
    old = (await conn.execute(_MAIN, {"doc": document_id})).scalar()
    if main:
        if old == event_id:
            return False
        await conn.execute(text("DELETE FROM document_events WHERE document_id = :doc AND (is_main OR event_id = :event)"),
                           {"doc": document_id, "event": event_id})
        await conn.execute(text(
            "INSERT INTO document_events (document_id, event_id, is_main, confidence, evidence) "
            "VALUES (:doc, :event, true, 1, json_build_object('moved_by_person', CAST(:reason AS text)))"
        ), {"doc": document_id, "event": event_id, "reason": reason})
        await conn.execute(text(
            "UPDATE claims SET event_id = :event WHERE document_id = :doc AND (event_id = :old OR event_id IS NULL)"
        ), {"doc": document_id, "event": event_id, "old": old})
    else:
        added = (await conn.execute(text(
            "INSERT INTO document_events (document_id, event_id, is_main, confidence, evidence) "
            "VALUES (:doc, :event, false, 1, json_build_object('added_by_person', CAST(:reason AS text))) "
            "ON CONFLICT DO NOTHING RETURNING 1"
        ), {"doc": document_id, "event": event_id, "reason": reason})).first()
        if added is None:
            return False
    await _history(conn, "moved_document", event_id, reason, api_key_id, doc=document_id, from_event=old)
    return True


async def move_claim(conn: AsyncConnection, event_id: int, claim_id: int, reason: str, *, api_key_id: int | None) -> bool:
    old = (await conn.execute(text("SELECT event_id FROM claims WHERE id = :id FOR UPDATE"), {"id": claim_id})).first()
    if old is None:
        raise Unprocessable("claim_id", f"no claim has id {claim_id}")
    if old.event_id == event_id:
        return False
    await conn.execute(text("UPDATE claims SET event_id = :event WHERE id = :id"), {"event": event_id, "id": claim_id})
    await _history(conn, "moved_claim", event_id, reason, api_key_id, claim=claim_id, from_event=old.event_id)
    return True


async def merge_events(conn: AsyncConnection, target: int, source: int, reason: str, *, api_key_id: int | None) -> None:
    """``source`` goes into ``target``: its documents, claims and names; it stays, pointing
    at ``target`` (its slug and names then resolve to ``target``)."""
    if target == source:
        raise Unprocessable("event", "an event cannot be merged into itself")
    await conn.execute(text("SELECT 1 FROM events WHERE id IN (:a, :b) ORDER BY id FOR UPDATE"), {"a": target, "b": source})
    gone = (await conn.execute(text(
        "DELETE FROM document_events WHERE event_id = :source RETURNING document_id, is_main, confidence, evidence"
    ), {"source": source})).all()
    for r in gone:
        await conn.execute(text(
            "INSERT INTO document_events (document_id, event_id, is_main, confidence, evidence) "
            "VALUES (:doc, :target, :main, :confidence, CAST(:evidence AS json)) "
            "ON CONFLICT (document_id, event_id) DO UPDATE SET is_main = document_events.is_main OR EXCLUDED.is_main"
        ), {"doc": r.document_id, "target": target, "main": r.is_main, "confidence": r.confidence,
            "evidence": None if r.evidence is None else json.dumps(r.evidence)})
    await conn.execute(text("UPDATE claims SET event_id = :target WHERE event_id = :source"), {"target": target, "source": source})
    await conn.execute(text(
        "INSERT INTO event_names (event_id, name, is_alias) SELECT :target, name, true FROM event_names "
        "WHERE event_id = :source ON CONFLICT (event_id, norm) DO NOTHING"
    ), {"target": target, "source": source})
    await conn.execute(text(
        """
        UPDATE events t SET countries = ARRAY(SELECT DISTINCT unnest(t.countries || s.countries)),
               places = ARRAY(SELECT DISTINCT unnest(t.places || s.places)),
               match_places = ARRAY(SELECT DISTINCT unnest(t.match_places || s.match_places)),
               match_names = ARRAY(SELECT DISTINCT unnest(t.match_names || s.match_names)),
               onset = least(t.onset, s.onset)
        FROM events s WHERE t.id = :target AND s.id = :source
        """
    ), {"target": target, "source": source})
    await conn.execute(text("UPDATE events SET merged_into = :target WHERE id = :source"), {"target": target, "source": source})
    await _history(conn, "merged", target, reason, api_key_id, from_event=source)
