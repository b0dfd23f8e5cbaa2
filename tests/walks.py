"""A walking executor that counts, for tests, the walks it began and those it stopped."""

from __future__ import annotations

from typing import Any

from schema.walk import WalkingExecutor


class CountingWalks(WalkingExecutor):
    """Counts the walks, and those that stopped and left the operation to graphql-core."""

    walks = 0
    stops = 0

    @classmethod
    def reset(cls) -> None:
        cls.walks = cls.stops = 0

    @classmethod
    def counted(cls) -> tuple[int, int]:
        return cls.walks, cls.stops

    def _walk_root(self) -> dict[str, Any]:
        type(self).walks += 1
        return super()._walk_root()

    def _answer_fully(self, serially: bool | None) -> Any:
        type(self).stops += 1
        return super()._answer_fully(serially)
