"""/claims: list with filters, one claim, and adding a curated claim."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, MediaType, Request, Response, get, patch, post
from litestar.datastructures import ResponseHeader
from litestar.di import Provide
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Parameter
from sqlalchemy.ext.asyncio import AsyncConnection

from service.claims.params import IdCursor, Limit, claim_filters, claim_page_response
from service.claims.queries import ClaimFilters, get_claim_json
from service.claims.review import ClaimHistory, ClaimReview, claim_history, etag, review_claim
from service.claims.schemas import MAX_ID, Claim, ClaimCreate, ClaimPage
from service.claims.write import create_claim
from service.csvout import Format
from service.db.engine import GENERIC_PLANS
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
        opt=GENERIC_PLANS,
        responses=problems(400, 404, 503),
    )
    async def list_claims(
        self,
        conn: AsyncConnection,
        request: Request[Any, Any, Any],
        filters: ClaimFilters,
        limit: Limit = 100,
        cursor: IdCursor = None,
        format: Format = None,
    ) -> ClaimPage:
        return await claim_page_response(conn, request, filters, limit=limit, cursor=cursor)  # type: ignore[return-value]

    @get(
        "/{claim_id:int}",
        operation_id="getClaim",
        summary="One claim",
        description="Sends an `ETag` (the claim's review version): `If-None-Match` answers 304 when unchanged, and PATCH needs it in `If-Match`.",
        responses={304: ResponseSpec(None, description="Not modified since the ETag in If-None-Match", generate_examples=False), **problems(400, 404, 503)},
        response_headers=[ResponseHeader(name="ETag", description="The claim's current version", documentation_only=True)],
    )
    async def get_claim(self, conn: AsyncConnection, request: Request[Any, Any, Any], claim_id: ClaimId) -> Response[Claim]:
        found = await get_claim_json(conn, claim_id)
        if found is None:
            raise NotFound(f"no claim has id {claim_id}")
        body, version = found
        tag = etag(claim_id, version)
        if_none_match = request.headers.get("if-none-match")
        if if_none_match and (if_none_match.strip() == "*" or tag in [t.strip().removeprefix("W/") for t in if_none_match.split(",")]):
            return Response(None, status_code=304, headers={"ETag": tag})  # type: ignore[return-value]
        return Response(body, media_type=MediaType.JSON, headers={"ETag": tag})  # type: ignore[return-value]

    @patch(
        "/{claim_id:int}",
        operation_id="reviewClaim",
        summary="Review a claim: confirm, retract or supersede (API key)",
        description=(
            "Changes the claim's status with a reason kept in its history; nothing is deleted and "
            "its content never changes. Needs `If-Match` with the ETag from GET /claims/{claim_id}: "
            "428 without it, 412 when the claim changed since. A curated claim is retracted or superseded only "
            "by a curator's key or the key that wrote it (403 otherwise)."
        ),
        security=[{"BearerAuth": []}],
        guards=[require_api_key],
        responses=problems(400, 401, 403, 404, 412, 413, 415, 422, 428, 429, 503),
        response_headers=[ResponseHeader(name="ETag", description="The claim's new version", documentation_only=True)],
    )
    async def review_claim(
        self,
        conn: AsyncConnection,
        request: Request[Any, Any, Any],
        claim_id: ClaimId,
        data: ClaimReview,
        if_match: Annotated[str | None, Parameter(header="If-Match", description="The ETag from GET /claims/{claim_id}", max_length=200)] = None,
    ) -> Response[Claim]:
        async with conn.begin():
            version = await review_claim(conn, claim_id, data, if_match=if_match, api_key_id=request.state.api_key_id)
        found = await get_claim_json(conn, claim_id)
        assert found is not None
        return Response(found[0], media_type=MediaType.JSON, headers={"ETag": etag(claim_id, version)})  # type: ignore[return-value]

    @get(
        "/{claim_id:int}/history",
        operation_id="getClaimHistory",
        summary="A claim's review history, oldest first",
        responses=problems(400, 404, 503),
    )
    async def get_history(self, conn: AsyncConnection, claim_id: ClaimId) -> ClaimHistory:
        history = await claim_history(conn, claim_id)
        if history is None:
            raise NotFound(f"no claim has id {claim_id}")
        return history

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
            **problems(400, 401, 413, 415, 422, 429, 503),
        },
    )
    async def create_claim(
        self, conn: AsyncConnection, request: Request[Any, Any, Any], data: ClaimCreate
    ) -> Response[Claim]:
        async with conn.begin():
            claim_id, created = await create_claim(conn, data, api_key_id=request.state.api_key_id)
        found = await get_claim_json(conn, claim_id)
        assert found is not None
        return Response(  # type: ignore[return-value]
            found[0],
            media_type=MediaType.JSON,
            status_code=201 if created else 200,
            headers={"Location": f"/claims/{claim_id}"},
        )
