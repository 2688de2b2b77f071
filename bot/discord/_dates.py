"""Deadlines as Discord timestamps, picked from the course's own structures (no discord import).

Discord renders ``<t:UNIX:F>`` and ``<t:UNIX:R>`` in each reader's own time zone, so a
deadline reads right for every student wherever they are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from bot.format import stamp
from bot.knowledge import Course, Due


def due_stamp(course: Course, due: Due, default_time: dt.time) -> str:
    text = f"**{due.name}**: {stamp(course.due_at(due, default_time))}"
    return text if due.due_time else text + " *(time not listed; end of day assumed)*"


def stated(course: Course, refs: Iterable[str]) -> list[Due]:
    """The deliverables an answer states, from the ids the engine says it stated ("deliverable:hw-2")."""
    wanted = [r.split(":", 1)[1] for r in refs if r.startswith("deliverable:")]
    by_id = {d.id: d for d in course.deliverables}
    return [by_id[i] for i in dict.fromkeys(wanted) if i in by_id]


def upcoming(course: Course, now: dt.datetime, default_time: dt.time, limit: int = 5) -> list[Due]:
    """The next ``limit`` deliverables not yet due."""
    return [d for d in course.deliverables if course.due_at(d, default_time) >= now][:limit]


def stamps(course: Course, dues: Iterable[Due], default_time: dt.time) -> str:
    return "\n".join(due_stamp(course, d, default_time) for d in dues)
