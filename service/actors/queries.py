"""SQL for actors: name resolution (exact, then by trigram similarity), search, detail.

All name comparison goes through ``fd_norm`` in PostgreSQL (case, accents and punctuation
folded), so Python never keeps a second copy of the normalisation rules.
"""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from service.actors.schemas import Actor, ActorMatch, SimilarActor
from service.errors import NotFound, Unprocessable
from service.memo import NameMemory

# A fuzzy match resolves a name only when it is this close and clearly ahead of the runner-up.
RESOLVE_MIN_SIMILARITY = 0.45
RESOLVE_MIN_LEAD = 0.1
SUGGEST_MIN_SIMILARITY = 0.2

_EXACT = text(
    """
    SELECT DISTINCT a.id, a.slug, a.name
    FROM actor_names n JOIN actors a ON a.id = n.actor_id
    WHERE n.norm = fd_norm(:name)
    ORDER BY a.slug
    """
)

_CLOSEST = text(
    """
    SELECT a.id, a.slug, a.name, max(similarity(n.norm, q.norm)) AS score,
           max(greatest(similarity(n.norm, q.norm), word_similarity(n.norm, q.norm))) AS rank
    FROM (SELECT fd_norm(:name) AS norm) q
    CROSS JOIN actor_names n
    JOIN actors a ON a.id = n.actor_id
    GROUP BY a.id, a.slug, a.name
    HAVING max(greatest(similarity(n.norm, q.norm), word_similarity(n.norm, q.norm))) > 0.15
    ORDER BY score DESC, rank DESC, a.slug
    LIMIT 5
    """
)


# Actors one of whose names contains the query as whole words: "ministry" names several.
_CONTAINING = text(
    """
    SELECT DISTINCT a.id, a.slug, a.name
    FROM (SELECT fd_norm(:name) AS norm) q
    JOIN actor_names n ON n.norm LIKE '%' || q.norm || '%' AND (' ' || n.norm || ' ') LIKE '% ' || q.norm || ' %'
    JOIN actors a ON a.id = n.actor_id
    WHERE q.norm <> ''
    ORDER BY a.slug
    LIMIT 6
    """
)

async def closest_actors(conn: AsyncConnection, name: str) -> list[tuple[int, str, str, float]]:
    """Up to five actors whose names look most like ``name``, with their similarity (0..1)."""
    rows = (await conn.execute(_CLOSEST, {"name": name})).all()
    return [(r.id, r.slug, r.name, float(r.score)) for r in rows]


# A name that matched exactly one actor is kept ten seconds. Fuzzy matches are never kept (a
# new actor may change them); an exact name stays unique (writes reuse it).
_resolved: NameMemory[int] = NameMemory(ttl=10.0)


async def resolve_actor(conn: AsyncConnection, name: str) -> int:
    """The actor a name refers to: slug, canonical name or alias in any case or accents, or a
    close misspelling. Unknown or ambiguous names raise a 404 that lists the closest actors."""
    if (hit := _resolved.get(conn, name)) is not None:
        return hit
    exact = (await conn.execute(_EXACT, {"name": name})).all()
    if len(exact) == 1:
        return _resolved.put(conn, name, int(exact[0].id))
    if len(exact) > 1:
        raise NotFound(
            f"the name {name!r} is ambiguous: it belongs to {len(exact)} actors; use one of their slugs",
            suggestions=[r.slug for r in exact],
        )
    containing = (await conn.execute(_CONTAINING, {"name": name})).all()
    if len(containing) == 1:
        return int(containing[0].id)
    if len(containing) > 1:
        more = " or more" if len(containing) > 5 else ""
        raise NotFound(
            f"the name {name!r} is ambiguous: it is part of the names of {min(len(containing), 5)}{more} actors; "
            "use one of their slugs or a fuller name",
            suggestions=[r.slug for r in containing[:5]],
        )
    closest = await closest_actors(conn, name)
    if _confident(closest):
        return closest[0][0]
    # a suggestion is offered only when it is close: 'Putin' is not 'China'
    close = [c for c in closest if c[3] >= SUGGEST_MIN_SIMILARITY]
    hint = f"; did you mean {close[0][2]!r} ({close[0][1]})?" if close else ""
    raise NotFound(f"no actor is called {name!r}{hint} (GET /actors?q= searches names)", suggestions=[c[1] for c in close] or None)


def _confident(closest: list[tuple[int, str, str, float]]) -> bool:
    """The best fuzzy match is close enough and clearly ahead of the runner-up."""
    return bool(closest) and _clear_winner([c[3] for c in closest])


def _clear_winner(scores: list[float]) -> bool:
    """Scores best first (one per actor): the best is close enough and clearly ahead."""
    runner_up = scores[1] if len(scores) > 1 else 0.0
    return scores[0] >= RESOLVE_MIN_SIMILARITY and scores[0] - runner_up >= RESOLVE_MIN_LEAD


async def find_actor_for_write(conn: AsyncConnection, name: str, field: str, *, create: bool, role: str | None = None) -> int:
    """The actor a written name means: an exact name or alias after folding case, accents,
    white space and punctuation, and nothing looser. Any other name becomes a new actor when
    ``create`` is set, however close it is to a known one: a write never guesses ("Mario
    Gonzalez" is not "Maria Gonzalez", "Austria" is not "Australia"). Near spellings are offered
    on the new actor's page (``similar``) for a person to decide. ``role`` is a new actor's role
    (the title the extractor split off its name: "Public Defender")."""
    if not re.search(r"\w", unicodedata.normalize("NFKC", name)):
        raise Unprocessable(field, f"{name!r} names nobody: a name needs a letter or a digit")
    exact = (await conn.execute(_EXACT, {"name": name})).all()
    if len(exact) == 1:
        return int(exact[0].id)
    if len(exact) > 1:
        raise Unprocessable(field, f"{name!r} names {len(exact)} actors; use a slug", suggestions=[r.slug for r in exact])
    if not create:  # (the seed loader: a curated name that is not exact is a typo to fix)
        closest = await closest_actors(conn, name)
        raise Unprocessable(field, f"no actor is called {name!r}", suggestions=[c[1] for c in closest])
    return await create_actor(conn, name, role=role)


_SIMILAR = text(
    """
    SELECT a.slug, a.name, max(similarity(o.norm, n.norm)) AS score
    FROM actor_names n JOIN actor_names o ON o.norm % n.norm AND o.actor_id <> n.actor_id
    JOIN actors a ON a.id = o.actor_id
    WHERE n.actor_id = :id AND n.norm <> ''
    GROUP BY a.slug, a.name
    HAVING max(similarity(o.norm, n.norm)) >= 0.5
    ORDER BY score DESC, a.slug
    LIMIT 5
    """
)


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:100].strip("-")
    return slug or "actor"


async def create_actor(conn: AsyncConnection, name: str, *, kind: str = "other", role: str | None = None) -> int:
    """A new actor named ``name``; its slug gets a numeric suffix if another actor has it."""
    base = slugify(name)
    for n in range(1, 1000):
        slug = base if n == 1 else f"{base}-{n}"
        row = (
            await conn.execute(
                text(
                    """
                    INSERT INTO actors (slug, name, kind, role) VALUES (:slug, :name, :kind, :role)
                    ON CONFLICT (slug) DO NOTHING RETURNING id
                    """
                ),
                {"slug": slug, "name": name, "kind": kind, "role": role},
            )
        ).first()
        if row is not None:
            await add_names(conn, int(row.id), [(name, False), (slug, False)])
            return int(row.id)
        # The slug is taken. If a concurrent writer just created this very actor, use it.
        same = (
            await conn.execute(
                text(
                    """
                    SELECT a.id FROM actors a JOIN actor_names n ON n.actor_id = a.id
                    WHERE a.slug = :slug AND n.norm = fd_norm(:name) LIMIT 1
                    """
                ),
                {"slug": slug, "name": name},
            )
        ).first()
        if same is not None:
            return int(same.id)
    raise Unprocessable("claimant", f"too many actors share the slug {base!r}")


async def add_names(conn: AsyncConnection, actor_id: int, names: list[tuple[str, bool]]) -> None:
    if not names:
        return
    await conn.execute(
        text(
            """
            INSERT INTO actor_names (actor_id, name, is_alias) VALUES (:actor_id, :name, :is_alias)
            ON CONFLICT (actor_id, norm) DO NOTHING
            """
        ),
        [{"actor_id": actor_id, "name": n, "is_alias": alias} for n, alias in names],
    )


_DETAIL = text(
    """
    SELECT a.slug, a.name, a.kind, a.role,
           ARRAY(SELECT n.name FROM actor_names n
                 WHERE n.actor_id = a.id AND n.is_alias ORDER BY n.name) AS aliases,
           (SELECT count(*) FROM claims c WHERE c.claimant_id = a.id AND c.status IN ('unreviewed', 'accepted')) AS claims,
           (SELECT count(*) FROM claims c WHERE c.claimant_id = a.id AND c.status IN ('unreviewed', 'accepted')
                                            AND c.metric_id IS NOT NULL) AS figures
    FROM actors a WHERE a.id = :id
    """
)


async def actor_detail(conn: AsyncConnection, actor_id: int) -> Actor:
    r = (await conn.execute(_DETAIL, {"id": actor_id})).one()
    return Actor(
        slug=r.slug,
        name=r.name,
        kind=r.kind,
        role=r.role,
        aliases=list(r.aliases),
        claims=r.claims,
        figures=r.figures,
        statements=r.claims - r.figures,
        similar=[
            SimilarActor(slug=x.slug, name=x.name, score=round(float(x.score), 3))
            for x in (await conn.execute(_SIMILAR, {"id": actor_id})).all()
        ],
    )


_SEARCH = text(
    """
    WITH q AS (SELECT fd_norm(:q) AS norm),
    hits AS (
      SELECT n.actor_id, n.name,
             CASE WHEN n.norm = q.norm THEN 1.0
                  WHEN n.norm LIKE q.norm || '%' THEN 0.9
                  ELSE greatest(similarity(n.norm, q.norm), word_similarity(q.norm, n.norm)) * 0.85 END AS score
      FROM q JOIN actor_names n
        ON n.norm LIKE '%' || q.norm || '%' OR n.norm % q.norm OR q.norm <% n.norm
      WHERE q.norm <> ''
    ),
    best AS (
      SELECT DISTINCT ON (actor_id) actor_id, name, score FROM hits ORDER BY actor_id, score DESC, name
    )
    SELECT a.slug, a.name, a.kind, a.role, best.name AS matched, best.score
    FROM best JOIN actors a ON a.id = best.actor_id
    ORDER BY best.score DESC, a.slug
    LIMIT :limit
    """
)

_LIST = text(
    """
    SELECT a.slug, a.name, a.kind, a.role, a.name AS matched, 1.0 AS score
    FROM actors a
    WHERE (CAST(:after AS text) IS NULL OR a.slug > :after)
    ORDER BY a.slug
    LIMIT :limit
    """
)


async def search_actors(conn: AsyncConnection, q: str | None, limit: int, after: str | None) -> tuple[list[ActorMatch], str | None]:
    if q is not None:
        rows = (await conn.execute(_SEARCH, {"q": q, "limit": limit})).all()
        next_cursor = None
    else:
        rows = (await conn.execute(_LIST, {"after": after, "limit": limit + 1})).all()
        next_cursor = rows[limit - 1].slug if len(rows) > limit else None
        rows = rows[:limit]
    items = [
        ActorMatch(slug=r.slug, name=r.name, kind=r.kind, role=r.role, matched=r.matched, score=round(float(r.score), 3))
        for r in rows
    ]
    return items, next_cursor
