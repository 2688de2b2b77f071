"""Deadlines as Discord timestamps, picked from the course's own structures (no discord import).

Discord renders ``<t:UNIX:F>`` and ``<t:UNIX:R>`` in each reader's own time zone, so a
deadline reads right for every student wherever they are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from bot.answer import compose
from bot.format import stamp
from bot.knowledge import Course, Due


def due_stamp(course: Course, due: Due, default_time: dt.time) -> str:
    text = f"**{due.name}**: {stamp(course.due_at(due, default_time))}"
    return text if due.due_time else text + " *(time not listed; end of day assumed)*"


def named_in_answer(course: Course, answer_text: str, now: dt.datetime) -> list[Due]:
    """The deliverables the engine's deadline lines stated in this answer.

    The engine writes each deadline with ``compose.due_line``; rendering those same lines
    for every deliverable and looking for them is exact, where reading dates back out of
    prose would be guesswork.
    """
    found = []
    for due in course.deliverables:
        lines = (compose.due_line(course, due, now), compose.due_line(course, due, now, bullet=True))
        if any(line in answer_text for line in lines):
            found.append(due)
    return found


def upcoming(course: Course, now: dt.datetime, default_time: dt.time, limit: int = 5) -> list[Due]:
    """The next ``limit`` deliverables not yet due."""
    return [d for d in course.deliverables if course.due_at(d, default_time) >= now][:limit]


def stamps(course: Course, dues: Iterable[Due], default_time: dt.time) -> str:
    return "\n".join(due_stamp(course, d, default_time) for d in dues)
