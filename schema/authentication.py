"""Presented credentials are checked before any field runs.

A request whose Authorization header carries a token that is not valid (unknown, forged,
expired, revoked) fails as a whole with UNAUTHENTICATED, public fields included (RFC 6750's
invalid_token): a client with an expired token is told, not quietly served as anonymous. Without
an Authorization header this costs nothing; with one, the lookup is the one every resolver shares.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from strawberry.extensions import SchemaExtension

from resolvers.context import Context


class CredentialCheck(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context.context
        if isinstance(context, Context) and context.authorization:
            await context.actor()  # raises Unauthenticated for credentials that are not valid
        yield
