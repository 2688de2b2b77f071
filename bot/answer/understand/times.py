"""Time expressions in a question, resolved to days of the course calendar.

Pure: a function of (normalised text, now, course). Nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from bot.knowledge import Course

Relation = Literal["on", "before", "after", "until", "since"]
Grain = Literal["day", "week", "month", "term", "weekday", "moment"]


@dataclass(frozen=True)
class Days:
    """An inclusive range of calendar days, with how to say it in an answer."""

    start: dt.date
    end: dt.date
    label: str  # "tomorrow", "in November", "Oct 10 – Oct 31", "week 5", "before Thanksgiving"


@dataclass(frozen=True)
class TimeMention:
    start: int  # character span in the text
    end: int
    text: str
    grain: Grain
    relation: Relation = "on"
    days: Days | None = None  # None for a recurring weekday with no particular date ("on thursdays")
    weekdays: frozenset[int] = frozenset()  # 0 = Monday; set for "thursdays", "on a tuesday"


def find_times(text: str, now: dt.datetime, course: Course) -> list[TimeMention]:
    """Every time expression in ``text``, in order of appearance, non-overlapping."""
    raise NotImplementedError
