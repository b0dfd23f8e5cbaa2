"""Officers' free text into tokens the routing vocabulary can be matched against.

Chinese is segmented by rjieba (the Python binding of jieba-rs: the jieba algorithm and
dictionary, compiled; microseconds per sentence, no stderr chatter, no deprecation warnings),
with every vocabulary term added to its dictionary so domain terms stay whole (尾矿库, 回采率,
水土保持, 安全生产许可证). English words are stemmed with the Snowball stemmer, so "tailings",
"leaking" and "polluted" meet "tailing", "leak" and "pollution".

Text is normalised first: NFKC folds full-width letters, digits and punctuation (ＸＸ金矿２０２４，)
into their ordinary forms, case is folded, and spaces between Chinese characters are dropped
(Chinese is written without them; "水土 流失" is a typing slip). The dictionary is loaded once
per process; adding the same word twice is a no-op.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from types import ModuleType

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_CHAR = re.compile(f"[{_HAN}]")
_SPACES = re.compile(r"\s+")
_SPACE_BETWEEN_HAN = re.compile(f"(?<=[{_HAN}]) (?=[{_HAN}])")
_LATIN_WORD = re.compile(r"[a-z][a-z0-9&'\-]*")
_NUMBER = re.compile(r"[0-9][0-9.,%]*")
#: inside English words (people's, geo-environment): skipped, never a break between terms
_JOINERS = frozenset("'-’")


def normalize(text: str) -> str:
    """NFKC, case-folded, single spaces, none between Chinese characters, trimmed."""
    folded = unicodedata.normalize("NFKC", text).lower()
    folded = _SPACES.sub(" ", folded)
    return _SPACE_BETWEEN_HAN.sub("", folded).strip()


def has_han(text: str) -> bool:
    return _HAN_CHAR.search(text) is not None


class TokenKind(StrEnum):
    HAN = "han"
    LATIN = "latin"
    NUMBER = "number"
    #: punctuation: a term never spans it
    BREAK = "break"


@dataclass(frozen=True)
class Token:
    surface: str
    #: what vocabulary keys are compared with: the Chinese word as is, an English word stemmed
    key: str
    kind: TokenKind
    start: int
    end: int


@lru_cache(maxsize=1)
def _stemmer() -> object:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    stemmed: str = _stemmer().stemWord(word)  # type: ignore[attr-defined]
    return stemmed


def _kind(surface: str) -> TokenKind | None:
    if has_han(surface):
        return TokenKind.HAN
    if _LATIN_WORD.fullmatch(surface):
        return TokenKind.LATIN
    if _NUMBER.fullmatch(surface):
        return TokenKind.NUMBER
    if surface.isspace() or surface in _JOINERS:
        return None
    return TokenKind.BREAK


def join_keys(tokens: Iterable[Token]) -> str:
    """The key of a run of tokens: Chinese words run together, English words space-separated."""
    parts: list[str] = []
    previous: TokenKind | None = None
    for token in tokens:
        if parts and previous is not TokenKind.HAN and token.kind is not TokenKind.HAN:
            parts.append(" ")
        parts.append(token.key)
        previous = token.kind
    return "".join(parts)


class Segmenter:
    """jieba with the routing vocabulary as its custom dictionary; one per process."""

    def __init__(self) -> None:
        self._words: set[str] = set()

    @staticmethod
    @lru_cache(maxsize=1)
    def _jieba() -> ModuleType:
        # importing rjieba builds its default dictionary (~0.2 s): once, on first use
        import rjieba

        return rjieba

    def add_words(self, words: Iterable[str]) -> int:
        """Add Chinese words to the dictionary (frequency chosen so each stays whole)."""
        jieba = self._jieba()
        added = 0
        for word in words:
            if word not in self._words and has_han(word) and len(word) > 1:
                jieba.add_word(word, None, None)
                self._words.add(word)
                added += 1
        return added

    def tokens(self, normalized: str) -> list[Token]:
        """Tokens of already normalised text; whitespace dropped, punctuation kept as breaks."""
        tokens: list[Token] = []
        for surface, start, end in self._jieba().tokenize(normalized, "default", True):
            kind = _kind(surface)
            if kind is None:
                continue
            key = stem(surface) if kind is TokenKind.LATIN else surface
            tokens.append(Token(surface, key, kind, start, end))
        return tokens

    def key(self, term: str) -> str:
        """The key a vocabulary term is matched by (its tokens' keys, joined)."""
        return join_keys(t for t in self.tokens(normalize(term)) if t.kind is not TokenKind.BREAK)


SEGMENTER = Segmenter()
