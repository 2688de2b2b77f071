"""What a question asks for, read from its words: cues, guards, deliverables named.

These are general facts about how students ask (a "due" word makes it a deadline
question; "write my homework for me" is a request to cheat), never rules for one
known question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.answer.lexical import Lexicon
from bot.answer.text import content_terms
from bot.knowledge import Course, Due

DUE_CUES = re.compile(
    r"\b(due|deadlines?|turn(ed|ing)? in|hand(ed|ing)? in|points?|worth|graded out of|how long|days left|"
    r"how many days|time left|have to be (in|submitted|done|turned in)|"
    r"when (is|are|do|does)\b.*\b(homework|reading|project|assignment|paper|proposal|plan|quiz|exam)s?)\b"
)
SCHEDULE_CUES = re.compile(
    r"\b(lectures?|class(es)?|cover(s|ed|ing)?|learn(ing)?|teach(ing)?|taught|talk(ing)? about|"
    r"discuss\w*|topics?|session|go over|going over|schedule|calendar|meet(ing)?|get to|"
    r"(do|will) we (do|start|study|see|begin))\b"
)
READING_CUES = re.compile(r"\b(read|readings?|papers?|articles?|chapters?|authors?|wrote|written by|blog)\b")
RESOURCE_CUES = re.compile(
    r"\b(datasets?|data sets?|packages?|librar(y|ies)|frameworks?|gpus?|compute|computing|cloud|books?|"
    r"slides?|notebooks?|tools?|software|install)\b"
)
WHEN_CUES = re.compile(r"\b(when|what (day|date|week)|which (day|date|week|lecture|class)|what time)\b")
GENERIC_DEADLINES = re.compile(r"\b(deadlines|what is due|anything due|what do we have due|upcoming|coming up)\b")
NEXT_DEADLINE = re.compile(r"\b(next|upcoming|closest|nearest) (deadline|due date|assignment|thing due)\b"
                           r"|\bdue next\b|\bwhat is next\b")

@dataclass(frozen=True)
class Cues:
    due: bool
    schedule: bool
    reading: bool
    resource: bool
    when: bool
    generic_deadlines: bool
    next_deadline: bool

    @classmethod
    def read(cls, text: str) -> Cues:
        return cls(
            due=bool(DUE_CUES.search(text)),
            schedule=bool(SCHEDULE_CUES.search(text)),
            reading=bool(READING_CUES.search(text)),
            resource=bool(RESOURCE_CUES.search(text)),
            when=bool(WHEN_CUES.search(text)),
            generic_deadlines=bool(GENERIC_DEADLINES.search(text)),
            next_deadline=bool(NEXT_DEADLINE.search(text)),
        )


# Words that say "a deadline question" but name no deliverable.
_CUE_TERMS = frozenset(content_terms(
    "due deadline deadlines turn turned hand handed submit submitted submission points point worth when week "
    "date day days time many much next graded until till left long how have quarter semester term miss missed "
    "late still ok okay first second third fourth fifth last"
)) - frozenset(content_terms("final"))


MIN_QUERY_COVERAGE = 0.7
_GENERIC_TERMS = frozenset(content_terms("list all every the assignment assignments thing things each"))


def match_deliverables(course: Course, text: str, lexicon: Lexicon) -> tuple[list[Due], float]:
    """The deliverables the text names, and how well (0..1). Numbers must agree."""
    query = [t for t in content_terms(text) if t not in _CUE_TERMS]
    numbers = set(re.findall(r"\b\d{1,2}\b", text))
    if not query:
        return [], 0.0
    kinds = {d.kind for d in course.deliverables}
    named_kinds = kinds & set(query) | ({"reading"} if "read" in query and "reading" in kinds else set())
    if len(named_kinds) == 1 and not numbers and all(t in _GENERIC_TERMS or t in named_kinds or t == "read" for t in query):
        return [d for d in course.deliverables if d.kind in named_kinds], 1.0  # "when are readings due"
    scored = []
    for due in course.deliverables:
        name = frozenset(content_terms(due.name))
        name_numbers = {t for t in name if t.isdigit()}
        if name_numbers and numbers and not (name_numbers & numbers):
            continue
        if name_numbers and not numbers:
            name = name - name_numbers
        wider = name | frozenset(content_terms(f"{due.topic} {due.note or ''}")) | {due.kind}
        name_cov = lexicon.coverage(name, frozenset(query))
        query_cov = lexicon.coverage(query, wider)
        score = 0.5 * name_cov + 0.5 * query_cov
        if (name_cov == 0 and due.kind not in query) or query_cov < MIN_QUERY_COVERAGE:
            continue  # words the deliverable doesn't explain: the question is about something else
        scored.append((score, due))
    if not scored:
        return [], 0.0
    best = max(score for score, _ in scored)
    chosen = [due for score, due in scored if score >= best - 0.2 and score >= 0.45]
    return chosen, best
