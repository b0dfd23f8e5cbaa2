"""What every use case gets: the engine, settings, the caller, a clock, per-request loaders."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from strawberry.dataloader import DataLoader

from graph import audit
from graph.audit import ChangedRecord
from graph.engine import Engine
from greenmine.config import Settings
from resolvers.auth import ANONYMOUS, Actor, authenticate, claims_sign_in
from resolvers.case_loaders import CaseLoaders
from resolvers.loaders import DocumentLoaders, many_each
from resolvers.mine_loaders import MineLoaders

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class Context:
    engine: Engine
    settings: Settings
    authorization: str | None = None
    clock: Clock = utc_now
    #: analysts' Cypher queries run in this request (one is allowed)
    analyst_queries: int = field(default=0, init=False)
    _actor: Actor | None = field(default=None, init=False)
    #: the caller's token being checked while the request runs (`check_caller_meanwhile`)
    _checking: asyncio.Future[Actor] | None = field(default=None, init=False)

    # The loader groups are made on first use: a request such as `route` touches one or two of
    # the forty-odd loaders, and making them all cost a visible share of its time.
    @cached_property
    def loaders(self) -> DocumentLoaders:
        return DocumentLoaders.create(self.engine)

    @cached_property
    def mines(self) -> MineLoaders:
        return MineLoaders.create(self.engine)

    @cached_property
    def cases(self) -> CaseLoaders:
        return CaseLoaders.create(self.engine)

    @cached_property
    def audit_changed(self) -> DataLoader[str, list[ChangedRecord]]:
        """What each audit entry is linked to (auditTrail's `changed`)."""
        return many_each(self.engine, audit.changed_of)

    @property
    def known_actor(self) -> Actor | None:
        """The caller, when this request has already authenticated it (no round trip)."""
        return self._actor

    @property
    def signing_in(self) -> bool:
        """The caller sent credentials not checked yet: it is signed in, or the request fails."""
        return self._actor is None and claims_sign_in(self.authorization)

    async def actor(self) -> Actor:
        """The caller, authenticated on first use (anonymous callers cost no round trip)."""
        if self._actor is None:
            if self._checking is not None:
                # shielded: a field cancelled while it waits must not cancel the others' check
                self._actor = await asyncio.shield(self._checking)
            elif not claims_sign_in(self.authorization):
                self._actor = ANONYMOUS
            else:
                self._actor = await self._authenticate()
        return self._actor

    def check_caller_meanwhile(self) -> None:
        """Start checking the caller's credentials while the request runs; `actor()` waits for
        that check instead of making its own. `stop_checking` ends it."""
        if self.signing_in and self._checking is None:
            self._checking = asyncio.ensure_future(self._authenticate())

    def stop_checking(self) -> None:
        """Cancel a check still under way (a request that failed or was cancelled first). A
        check that has ended is kept: a later `actor()` gets its answer, or its failure,
        without another lookup."""
        checking = self._checking
        if checking is None:
            return
        if not checking.done() or checking.cancelled():
            checking.cancel()
            self._checking = None
        else:
            checking.exception()  # a failure the request reports in its own way, taken as read

    async def _authenticate(self) -> Actor:
        return await authenticate(
            self.engine, self.authorization, admin_token=self.settings.admin_token, now=self.clock()
        )

    def today(self) -> dt.date:
        return self.clock().date()
