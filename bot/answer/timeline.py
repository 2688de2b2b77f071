"""What to say when the days asked about fall outside the term: before it starts, after it ends."""

from __future__ import annotations

import datetime as dt

from bot.answer import compose
from bot.answer.model import Reply
from bot.format import day_label
from bot.knowledge import Course

END_OF_DAY = dt.time(23, 59)


def before_term(course: Course, now: dt.datetime) -> Reply:
    first = course.classes[0] if course.classes else course.dated_sessions[0]
    text = f"The course hasn't started yet: the first class is {compose.session_line(first)}."
    if course.deliverables:
        text += f" The first deadline is {compose.due_line(course, course.deliverables[0], now)}"
    return Reply(text, (compose.calendar_source(course, "start of term"),), confidence=0.9, route="relative")


def after_term(course: Course, lead: str) -> Reply:
    last = course.dated_sessions[-1]
    assert last.date is not None
    text = f"{lead}: the course ended on {day_label(last.date)} ({last.topic})."
    return Reply(text, (compose.calendar_source(course, "end of term"),), confidence=0.9, route="relative")
