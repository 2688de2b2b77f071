"""From declined and 👎 questions to ready-to-paste FAQ entries.

The feedback store (bot/serving/feedback.py) already folds identical wordings together; here
different wordings of the same question are grouped by embedding similarity, and
each group becomes one ``faq.yaml`` skeleton: the most asked wording is the question,
the others its paraphrases, and the answer is left for the instructor. The caller reads
the store and passes its rows in, so this module depends on nothing above the core.
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from bot.index.embedder import Embedder
from bot.instructor import emit
from bot.instructor.words import free_id
from bot.knowledge.course import slugify

SIMILARITY = 0.6  # cosine above which two questions are the same question (all-MiniLM-L6-v2)
TODO = "TODO"  # `coursebot check` warns while any FAQ answer is still TODO


class Asked(Protocol):
    """One wording with its counts, as the feedback store reports it (``Unanswered``)."""

    @property
    def question(self) -> str: ...
    @property
    def asked(self) -> int: ...
    @property
    def declined(self) -> int: ...
    @property
    def downvotes(self) -> int: ...


@dataclass(frozen=True)
class Group:
    questions: tuple[Asked, ...]  # most asked first

    @property
    def asked(self) -> int:
        return sum(q.asked for q in self.questions)


def group_questions(items: Sequence[Asked], embedder: Embedder, threshold: float = SIMILARITY) -> list[Group]:
    """Single-link grouping: a question joins the first group holding a wording this similar."""
    if not items:
        return []
    vectors = embedder.encode([item.question for item in items])
    groups: list[list[int]] = []
    for i in range(len(items)):
        home = next((g for g in groups if float(np.max(vectors[g] @ vectors[i])) >= threshold), None)
        if home is None:
            groups.append([i])
        else:
            home.append(i)
    result = [Group(tuple(sorted((items[i] for i in g), key=lambda q: -q.asked))) for g in groups]
    return sorted(result, key=lambda g: -g.asked)


def faq_skeletons(groups: Sequence[Group], existing_ids: Set[str] = frozenset()) -> str:
    """YAML list items to paste under ``faq:`` (two-space indent, like the shipped faq.yaml)."""
    taken = set(existing_ids)
    lines: list[str] = []
    for group in groups:
        first, rest = group.questions[0], group.questions[1:]
        ident = free_id(slugify(first.question)[:48].strip("-") or "question", taken)
        declined = sum(q.declined for q in group.questions)
        down = sum(q.downvotes for q in group.questions)
        lines.append(f"  # asked {group.asked} time(s): declined {declined}, voted down {down}")
        entry = {"id": ident, "question": first.question, "paraphrases": [q.question for q in rest], "answer": TODO}
        body = emit.mapping(entry, 2)
        lines.append("  - " + body[0].lstrip())
        lines += body[1:]
        lines.append("")
    return "\n".join(lines)
