"""Presented credentials are checked for every request.

A request whose Authorization header carries a token that is not valid (unknown, forged,
expired, revoked) fails as a whole with UNAUTHENTICATED, public fields included (RFC 6750's
invalid_token): a client with an expired token is told, not quietly served as anonymous. Without
an Authorization header this costs nothing; with one, the lookup is the one every resolver shares.

A mutation's credentials are checked before any of its fields runs: nothing is changed for a
caller who is not who they claim. A query's are checked while its fields run, so that the
lookup is not one more round trip before the first read (a page of mines reads its page for a
signed-in caller meanwhile, `resolvers/mines.py`): what the fields read is never answered to a
caller whose token fails, since the request then fails as a whole all the same.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from resolvers.context import Context


class CredentialCheck(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context.context
        if not isinstance(context, Context) or not context.authorization:
            yield
            return
        if self.execution_context.operation_type is not OperationType.QUERY:
            await context.actor()  # raises Unauthenticated for credentials that are not valid
            yield
            return
        context.check_caller_meanwhile()
        try:
            yield
            await context.actor()  # the same check, for a query: raised here, it fails it all
        finally:
            context.stop_checking()
