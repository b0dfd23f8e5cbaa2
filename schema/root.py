"""The Schema: root types merged from one module per capability, and per-request extensions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import strawberry
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    AddValidationRules,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.tools import merge_types

from greenmine.config import Limits
from schema.analyst import AnalystQuery
from schema.audit import AuditQueries
from schema.authentication import CredentialCheck
from schema.cases import CaseMutations, CaseQueries
from schema.document import DocumentQuery
from schema.errors import GreenMineSchema
from schema.inputs import build_flat_inputs_directly
from schema.liaisons import LiaisonMutation
from schema.limits import limit_extensions
from schema.listing import ListingMutations, ListingQueries
from schema.mines import MineMutations, MineQueries
from schema.routing import RoutingMutation, RoutingQuery
from schema.screening import ScreeningQueries
from schema.spot_checks import SpotCheckMutations, SpotCheckQueries
from schema.walk import WalkingExecutor

CACHE_SIZE = 256
SDL_PATH = Path(__file__).with_name("schema.graphql")

Query = merge_types(
    "Query",
    (
        DocumentQuery,
        RoutingQuery,
        MineQueries,
        ListingQueries,
        SpotCheckQueries,
        ScreeningQueries,
        AnalystQuery,
        CaseQueries,
        AuditQueries,
    ),
)
Mutation = merge_types(
    "Mutation",
    (
        LiaisonMutation,
        RoutingMutation,
        MineMutations,
        ListingMutations,
        SpotCheckMutations,
        CaseMutations,
    ),
)


def build_schema(
    *,
    introspection: bool = True,
    limits: Limits | None = None,
    observers: Sequence[Callable[[], SchemaExtension]] = (),
    executor: type[StrawberryGraphQLCoreExecutionContext] = WalkingExecutor,
) -> strawberry.Schema:
    """The schema; `observers` are the shell's per-operation extensions (metrics, logs)."""
    # factories: a fresh extension per request; the parse and validation caches are shared
    extensions: list[Callable[[], SchemaExtension]] = [
        # first: a hook that fails leaves the hooks entered before it unfinished
        CredentialCheck,
        # front ends send the same query texts again and again
        lambda: ParserCache(maxsize=CACHE_SIZE),
        lambda: ValidationCache(maxsize=CACHE_SIZE),
        # depth, aliases, tokens, page sizes, strings (see schema/limits.py)
        *limit_extensions(limits or Limits()),
    ]
    if not introspection:
        extensions.append(lambda: AddValidationRules([NoSchemaIntrospectionCustomRule]))
    extensions.extend(observers)
    built = GreenMineSchema(
        query=Query,
        mutation=Mutation,
        extensions=extensions,
        execution_context_class=executor,
    )
    build_flat_inputs_directly(built)
    return built


schema = build_schema()


def sdl() -> str:
    return schema.as_str() + "\n"
