"""Exact-word evidence: how much of a question's meaning a unit's words cover.

Dense vectors miss exact terms ("LibriSpeech", "LeCun", "homework 2"); this scores
the idf-weighted share of the question's content words that a text contains.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

from bot.answer.text import content_terms


class Lexicon:
    def __init__(self, documents: Sequence[str]):
        self.terms = [frozenset(content_terms(d)) for d in documents]
        counts = Counter(t for terms in self.terms for t in terms)
        n = max(len(documents), 1)
        self.idf = {t: math.log(1 + n / c) for t, c in counts.items()}
        self.unknown_idf = math.log(1 + n)  # a word no unit has is as telling as the rarest

    def weight(self, term: str) -> float:
        return self.idf.get(term, self.unknown_idf)

    def knows(self, term: str) -> bool:
        return term in self.idf

    def coverage(self, query: Iterable[str], terms: frozenset[str]) -> float:
        """Share (0..1) of the query's idf weight found in ``terms``."""
        query = set(query)
        total = sum(self.weight(t) for t in query)
        if not total:
            return 0.0
        return sum(self.weight(t) for t in query if t in terms) / total

    def scores(self, query: Iterable[str]) -> list[float]:
        query = list(query)
        return [self.coverage(query, terms) for terms in self.terms]
