"""The yearly random spot-check sample of 二(三)2, drawn so that anyone can re-draw and verify it.

Algorithm (version `sha256-rank-v1`), given the population P (the licence numbers of the mines
that are LISTED when the draw is made), a seed text S and the share s (Rule
`yearly_spot_check_share`, 0.1 in the document):

1. n = |P|; k = ceil(s × n), computed exactly (s read as a decimal, so 10% of 30 is 3, not 4);
   k = 0 only when n = 0.
2. For every licence number L in P, key(L) = SHA-256 of the UTF-8 bytes of S + "|" + L, as
   lowercase hex.
3. Sort P by (key, L) ascending; the sample is the first k, in that order.

The draw records P, S, s, k and the sample, so re-running these three steps on the recorded
population must give the recorded sample. In a shell:
`for L in $(cat population.txt); do printf '%s %s\\n' "$(printf '%s|%s' "$SEED" "$L" |
sha256sum | cut -c1-64)" "$L"; done | sort | head -n "$K"`.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

ALGORITHM = "sha256-rank-v1"


@dataclass(frozen=True)
class Sample:
    algorithm: str
    seed: str
    share: float
    population: tuple[str, ...]
    sample: tuple[str, ...]

    @property
    def size(self) -> int:
        return len(self.sample)


def sample_size(share: float, population: int) -> int:
    """ceil(share × population), exactly: the share is read as the decimal it was written as."""
    return math.ceil(Decimal(str(share)) * population)


def rank_key(seed: str, licence_number: str) -> str:
    return hashlib.sha256(f"{seed}|{licence_number}".encode()).hexdigest()


def draw(population: Iterable[str], *, seed: str, share: float) -> Sample:
    members = tuple(sorted(set(population)))
    k = sample_size(share, len(members))
    ranked = sorted(members, key=lambda licence: (rank_key(seed, licence), licence))
    return Sample(ALGORITHM, seed, share, members, tuple(ranked[:k]))


def verify(recorded: Sample) -> bool:
    """True when re-drawing from the recorded population, seed and share gives its sample."""
    again = draw(recorded.population, seed=recorded.seed, share=recorded.share)
    return recorded.algorithm == ALGORITHM and again.sample == recorded.sample
