"""/actors: search by name, one actor by any of its names, and everything it claims."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.di import Provide
from litestar.params import Parameter
from sqlalchemy.ext.asyncio import AsyncConnection

from service.actors.queries import actor_detail, resolve_actor, search_actors
from service.actors.schemas import Actor, ActorPage
from service.claims.params import DatedCursor, Limit, claim_filters, claim_page_response
from service.claims.queries import ClaimFilters
from service.claims.schemas import ClaimPage
from service.csvout import Format, csv_response, next_page_url, wants_csv
from service.db.engine import GENERIC_PLANS
from service.errors import problems
from service.params import text_param

ACTOR_CSV_HEADER = ("slug", "name", "kind", "role", "matched", "score")

ActorName = Annotated[
    str,
    text_param("Slug, canonical name or any alias, in any case, with or without accents; close misspellings resolve by similarity"),
]


class ActorController(Controller):
    path = "/actors"
    tags = ["actors"]

    @get(
        "/",
        operation_id="listActors",
        summary="Search actors by name or alias",
        description=(
            "With `q`: the best matches by name or alias (substring or similarity), best first, "
            "one page only. Without: every actor by slug, paged with `cursor`. "
            "`Accept: text/csv` returns the same rows as CSV."
        ),
        responses=problems(400, 503),
    )
    async def list_actors(
        self,
        conn: AsyncConnection,
        request: Request[Any, Any, Any],
        q: Annotated[str | None, text_param("Part of a name or alias")] = None,
        limit: Annotated[int, Parameter(ge=1, le=500, description="Page size (1..500)")] = 20,
        cursor: Annotated[
            str | None,
            Parameter(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=120, description="`next_cursor` of the previous page"),
        ] = None,
        format: Format = None,
    ) -> ActorPage:
        items, next_cursor = await search_actors(conn, q, limit, cursor)
        if wants_csv(request):
            rows = ([a.slug, a.name, a.kind, a.role, a.matched, a.score] for a in items)
            return csv_response(ACTOR_CSV_HEADER, rows, next_page_url(request, next_cursor))  # type: ignore[return-value]
        return ActorPage(items=items, next_cursor=next_cursor)

    @get(
        "/{name:str}",
        operation_id="getActor",
        summary="One actor by slug, name or alias",
        description="Unknown or ambiguous names are a 404 whose `suggestions` list the closest actors' slugs.",
        responses=problems(400, 404, 503),
    )
    async def get_actor(self, conn: AsyncConnection, name: ActorName) -> Actor:
        return await actor_detail(conn, await resolve_actor(conn, name))

    @get(
        "/{name:str}/statements",
        operation_id="listActorStatements",
        summary="Everything this actor claims, newest first",
        description="Figures and statements whose claimant is this actor, newest first (by as_of, else publication date), each with its citation.",
        dependencies={"filters": Provide(claim_filters)},
        opt=GENERIC_PLANS,
        responses=problems(400, 404, 503),
    )
    async def list_statements(
        self,
        conn: AsyncConnection,
        request: Request[Any, Any, Any],
        name: ActorName,
        filters: ClaimFilters,
        limit: Limit = 100,
        cursor: DatedCursor = None,
        format: Format = None,
    ) -> ClaimPage:
        claimant_id = await resolve_actor(conn, name)
        # ?actor= narrows as every filter does: another actor than the path's leaves nothing
        filters.contradictory = filters.claimant_id is not None and filters.claimant_id != claimant_id
        filters.claimant_id = claimant_id
        return await claim_page_response(conn, request, filters, limit=limit, cursor=cursor, order="newest")  # type: ignore[return-value]
