"""The query language: what a question asks, as data the executor runs over the Course.

``Query{target, operation, projection, filters}``: the target is a table of the course
(deliverables, class sessions, week-level items, readings, reading topics, staff,
office-hour slots, class meetings, resources); the filters narrow its rows (named rows,
kinds, a range of days, weekdays, a relation to an anchor event, people); the operation
computes over them (list, count, sum, max/min, nth, next/previous, compare, exists,
countdown); the projection says which attributes the answer states.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from bot.answer.understand.times import Days
from bot.answer.understand.words import Attribute, Operation, Relation, Target


@dataclass(frozen=True)
class Anchor:
    """An event the question places its target against: "after the proposal", "before Thanksgiving"."""

    relation: Relation
    days: tuple[dt.date, ...]
    label: str  # "the Project proposal (Thu, Oct 29)"
    refs: tuple[str, ...] = ()  # the anchor's own rows, left out of the answer


@dataclass(frozen=True)
class Query:
    target: Target
    operation: Operation
    projection: tuple[Attribute, ...] = ()
    refs: tuple[str, ...] | None = None  # rows named (by name or kind); None = every row of the target
    kind_label: str = ""  # how the question named a kind of rows ("homeworks", "TAs"), for the answer
    days: Days | None = None
    weekdays: frozenset[int] = frozenset()
    anchor: Anchor | None = None
    nth: int | None = None
    pair: tuple[tuple[str, ...], tuple[str, ...]] | None = None  # compare: two groups of named rows
    versus: Days | None = None  # compare: a time to set the named rows against ("before or after thanksgiving")
    upcoming: bool = False  # only what is still ahead of now ("what's left", "still due")
    claim: str | None = None  # what a yes/no comparison asserts: "more", "less", "before", "after", "same"
    form: str = ""  # the canonical form it was planned from
    score: float = 0.0
    notes: tuple[str, ...] = field(default_factory=tuple)  # what the planner had to assume
