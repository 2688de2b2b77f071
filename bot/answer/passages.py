"""Text answers: hybrid retrieval over the course's entries, leading with the sentence that answers.

Every knowledge entry (a policy, an FAQ, a reading, a resource, a course fact…) is
scored by ``(1 - LEXICAL_WEIGHT) x cosine(question, its best unit) + LEXICAL_WEIGHT x the
idf-weighted share of the question's words it contains``, nudged toward the kinds of
entry the question's target words point to. Policies and FAQ answers are indexed by
sentence too, so the answer starts with the sentence that answers, then its context.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from bot.answer import compose
from bot.answer.lexical import Lexicon
from bot.answer.model import Reply, Source
from bot.answer.text import tokens
from bot.answer.understand.question import Understood
from bot.index import Index, Unit
from bot.index.units import split_sentences
from bot.knowledge import Course

LEXICAL_WEIGHT = 0.35
KIND_BOOST = 0.06
NAME_BONUS = 0.1  # the question spells out an entry's whole name
RELATED_MARGIN = 0.05  # other policies within this of the best complete the answer
MAX_RELATED = 3
NAMED_MARGIN = 0.15  # a policy the question names is shown when this close to the best
TEXT_KINDS = frozenset({"policy", "faq", "reading", "topic", "start", "starred", "resource", "resources", "fact",
                        "session", "deliverable", "item"})
# Which unit kinds a target word points to.
TARGET_KINDS = {
    "reading": ("reading", "topic", "start", "starred"),
    "resource": ("resource", "resources"),
    "session": ("session",),
    "deliverable": ("deliverable",),
    "staff": ("fact",),
    "slot": ("fact",),
    "meeting": ("fact",),
}


@dataclass(frozen=True)
class Passage:
    unit: Unit
    score: float
    reply: Reply
    margin: float  # over the best entry of another kind of answer


class Passages:
    """The text side of the engine for one course and its index."""

    def __init__(self, course: Course, index: Index):
        self.course = course
        self.index = index
        self.units = index.units
        entries: dict[tuple[str, str], list[int]] = {}
        for pos, unit in enumerate(self.units):
            if unit.kind in TEXT_KINDS:
                entries.setdefault((unit.kind, unit.ref), []).append(pos)
        self.entries = list(entries.values())
        self.lexicon = Lexicon([" ".join(self.units[p].text for p in group) for group in self.entries])

    def rank(self, u: Understood, dense: dict[int, float]) -> list[tuple[Unit, float]]:
        """Entries by hybrid score, best first, each with its best-matching unit."""
        lexical = self.lexicon.scores(u.terms)
        boosts = _boosts(u)
        padded = f" {' '.join(tokens(u.text))} "
        ranked = []
        for group, words in zip(self.entries, lexical, strict=True):
            pos = max(group, key=lambda p: dense.get(p, -1.0))
            unit = self.units[pos]
            score = (1 - LEXICAL_WEIGHT) * dense.get(pos, 0.0) + LEXICAL_WEIGHT * words + boosts.get(unit.kind, 0.0)
            if unit.kind in ("resource", "reading") and _names(unit.title, padded):
                score += NAME_BONUS
            ranked.append((unit, score))
        return sorted(ranked, key=lambda pair: pair[1], reverse=True)

    def search(self, vector: np.ndarray) -> dict[int, float]:
        """Cosine of the question to every unit, by unit position."""
        return dict(self.index.search(vector))

    def best(self, u: Understood, dense: dict[int, float],
             compose_unit: Callable[[Unit, list[tuple[Unit, float]]], Reply]) -> Passage | None:
        ranked = self.rank(u, dense)
        if not ranked:
            return None
        unit, score = ranked[0]
        other = next((s for v, s in ranked[1:] if (v.kind, v.ref) != (unit.kind, unit.ref)), 0.0)
        return Passage(unit, score, compose_unit(unit, ranked), score - other)

    def policy_answer(self, ranked: list[tuple[Unit, float]], dense: dict[int, float],
                      named: frozenset[str] = frozenset()) -> Reply:
        """The best policy/FAQ entry led by its answering sentence, plus close runners-up and the other
        policies the question named ("extra credit" names both extra-credit rules)."""
        top = ranked[0][1]
        chosen = [u for u, score in ranked if u.kind in ("policy", "faq") and
                  (score >= top - RELATED_MARGIN or (u.ref in named and score >= top - NAMED_MARGIN))]
        policies = {p.id: p for p in self.course.policies}
        faqs = {f.id: f for f in self.course.faq}
        parts, sources = [], []
        for unit in chosen[:MAX_RELATED]:
            if unit.kind == "policy":
                p = policies[unit.ref]
                parts.append(f"**{p.title}**: {self._lead(p.text, unit, dense)}")
                sources.append(Source("policy", p.id, p.title, p.url))
            else:
                f = faqs[unit.ref]
                parts.append(self._lead(f.answer, unit, dense))
                sources.append(Source("faq", f.id, f.question, f.url))
        return Reply("\n\n".join(parts), tuple(sources), route=chosen[0].kind)

    def _lead(self, text: str, unit: Unit, dense: dict[int, float]) -> str:
        """The text with its best-matching sentence first (when it is not already first)."""
        sentences = split_sentences(text)
        if len(sentences) < 3:
            return text
        keys = {f"{unit.kind}:{unit.ref}:s{n}": n for n in range(len(sentences))}
        scored = [(dense.get(pos, -1.0), keys[u.key]) for pos, u in enumerate(self.units) if u.key in keys]
        if not scored:
            return text
        _, best = max(scored)
        if best == 0:
            return text
        rest = [s for n, s in enumerate(sentences) if n != best]
        return f"{sentences[best]} {' '.join(rest)}"


def _boosts(u: Understood) -> dict[str, float]:
    boosts: dict[str, float] = {}
    targets = u.features("targets")
    for target, kinds in TARGET_KINDS.items():
        if target in targets:
            for kind in kinds:
                boosts[kind] = boosts.get(kind, 0.0) + KIND_BOOST
    if "deliverable" not in targets:
        boosts["deliverable"] = boosts.get("deliverable", 0.0) - KIND_BOOST
    if not targets & {"session", "deliverable"} and not u.times:
        boosts["session"] = boosts.get("session", 0.0) - KIND_BOOST
    return boosts


def _names(title: str, padded_question: str) -> bool:
    words = tokens(title)
    return bool(words) and f" {' '.join(words)} " in padded_question


def decline(course: Course, reason: str = "") -> Reply:
    return compose.decline(course, reason)
