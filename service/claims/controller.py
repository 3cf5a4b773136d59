"""/claims: list with filters, one claim, and adding a curated claim."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.di import Provide
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Parameter
from sqlalchemy.ext.asyncio import AsyncConnection

from service.claims.params import IdCursor, Limit, claim_filters, claim_page_response
from service.claims.queries import ClaimFilters, get_claim
from service.claims.schemas import MAX_ID, Claim, ClaimCreate, ClaimPage
from service.claims.write import create_claim
from service.errors import NotFound, problems
from service.keys import require_api_key

ClaimId = Annotated[int, Parameter(ge=1, le=MAX_ID, description="Claim id")]


class ClaimController(Controller):
    path = "/claims"
    tags = ["claims"]

    @get(
        "/",
        operation_id="listClaims",
        summary="Every claim matching the filters, with citations",
        description=(
            "Figures and statements, oldest id first, `limit` per page; follow `next_cursor`. "
            "Retracted and superseded claims are hidden unless `status` asks for them. "
            "`Accept: text/csv` returns the same rows as CSV."
        ),
        dependencies={"filters": Provide(claim_filters)},
        responses=problems(400, 404, 503),
    )
    async def list_claims(
        self,
        conn: AsyncConnection,
        request: Request[Any, Any, Any],
        filters: ClaimFilters,
        limit: Limit = 100,
        cursor: IdCursor = None,
    ) -> ClaimPage:
        return await claim_page_response(conn, request, filters, limit=limit, cursor=cursor)  # type: ignore[return-value]

    @get(
        "/{claim_id:int}",
        operation_id="getClaim",
        summary="One claim",
        responses=problems(400, 404, 503),
    )
    async def get_claim(self, conn: AsyncConnection, claim_id: ClaimId) -> Claim:
        claim = await get_claim(conn, claim_id)
        if claim is None:
            raise NotFound(f"no claim has id {claim_id}")
        return claim

    @post(
        "/",
        operation_id="createClaim",
        summary="Add a curated claim (API key)",
        description=(
            "The quote must be verbatim in the document; the server finds its offsets (`start` picks "
            "one occurrence). 201 with the new claim and a Location header; posting the same content "
            "again answers 200 with the existing claim."
        ),
        security=[{"BearerAuth": []}],
        guards=[require_api_key],
        status_code=201,
        responses={
            200: ResponseSpec(Claim, description="A claim with the same content existed: it is returned, nothing is added", generate_examples=False),
            **problems(400, 401, 413, 422, 503),
        },
    )
    async def create_claim(
        self, conn: AsyncConnection, request: Request[Any, Any, Any], data: ClaimCreate
    ) -> Response[Claim]:
        async with conn.begin():
            claim_id, created = await create_claim(conn, data, api_key_id=request.state.api_key_id)
        claim = await get_claim(conn, claim_id)
        assert claim is not None
        return Response(
            claim,
            status_code=201 if created else 200,
            headers={"Location": f"/claims/{claim_id}"},
        )
