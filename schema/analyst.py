"""Analysts' read-only Cypher, as a GraphQL field."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from resolvers import analyst
from resolvers.auth import Role
from schema.access import private
from schema.document import Ctx


@strawberry.type(description="The answer to an analyst's Cypher query.")
class CypherResult:
    columns: list[str] = strawberry.field(description="Column names, in the query's order.")
    rows: list[list[JSON | None]] = strawberry.field(
        description="One list of values per row; a node is {labels, properties}, a relationship "
        "{type, properties}, a path {nodes, relationships}."
    )
    truncated: bool = strawberry.field(
        description="True when the query returned more than rowLimit rows and was cut."
    )
    row_limit: int = strawberry.field(description="The most rows one query returns.")

    @classmethod
    def from_answer(cls, answer: analyst.CypherAnswer) -> CypherResult:
        return cls(
            columns=answer.columns,
            rows=[[JSON(v) for v in row] for row in answer.rows],
            truncated=answer.truncated,
            row_limit=answer.row_limit,
        )


@strawberry.type
class AnalystQuery:
    @strawberry.field(
        description="Run a read-only Cypher query (analyst role only). A write is refused and "
        "changes nothing; the query has a time limit and a row limit.",
        directives=[private(Role.ANALYST)],
    )
    async def cypher(
        self,
        info: Ctx,
        query: Annotated[str, strawberry.argument(description="The Cypher text.")],
        params: Annotated[
            JSON | None,
            strawberry.argument(description='Parameters as a JSON object, e.g. {"code": "audit"}.'),
        ] = None,
    ) -> CypherResult:
        return CypherResult.from_answer(await analyst.run(info.context, query, params))
