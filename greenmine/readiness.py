"""Whether the graph has been prepared for the service (constraints and indexes, the first seed).

A single process prepares the graph itself and remembers it. The workers of
`greenmine serve --workers N` do not prepare anything: their parent does, once, and then leaves
a mark in the run directory it shares with them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

PREPARED_MARK = "prepared"


class Readiness(Protocol):
    def prepared(self) -> bool: ...


@dataclass
class PreparedHere:
    done: bool = False

    def prepared(self) -> bool:
        return self.done


@dataclass(frozen=True)
class PreparedByParent:
    mark: Path

    def prepared(self) -> bool:
        return self.mark.exists()


def prepared_mark(run_dir: Path) -> Path:
    return run_dir / PREPARED_MARK
