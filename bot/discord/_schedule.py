"""Which calendar rows a /schedule or /readings request means (pure: course and now passed in)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.answer.understand.times import find_times
from bot.knowledge import Course
from bot.knowledge.schema import ReadingTopic, Session


class NotUnderstood(ValueError):
    """The student's date or week could not be read; the message says what works."""


@dataclass(frozen=True)
class Selection:
    label: str
    sessions: tuple[Session, ...]


def select_sessions(course: Course, when: str | None, now: dt.datetime) -> Selection:
    """"week 5", "5", "2020-10-20", "oct 20", "tomorrow", "next week"; nothing = the coming week."""
    today = now.astimezone(course.tz).date()
    text = " ".join((when or "").lower().split())
    if not text:
        return _week_from(course, today)
    if text.isdigit():  # a bare number is a week
        text = f"week {text}"
    mentions = [t for t in find_times(text, now, course) if t.days is not None]
    if mentions:
        first, last = min(t.days.start for t in mentions if t.days), max(t.days.end for t in mentions if t.days)
        label = " and ".join(t.days.label for t in mentions if t.days)
        rows = tuple(s for s in course.dated_sessions if s.date is not None and first <= s.date <= last)
        return Selection(label[:1].upper() + label[1:], rows)
    raise NotUnderstood(f"I couldn't read {when!r} as a date or week. Try `week 5`, `2020-10-20`, `oct 20`, "
                        "`tomorrow` or `next week`.")


def _week_from(course: Course, today: dt.date) -> Selection:
    """The next seven days of the calendar (or its first week, before term starts)."""
    start = max(today, course.first_day)
    end = start + dt.timedelta(days=7)
    rows = tuple(s for s in course.dated_sessions if s.date is not None and start <= s.date < end)
    return Selection("The coming week", rows)


def find_topic(course: Course, name: str) -> tuple[int, ReadingTopic] | None:
    wanted = name.strip().lower()
    for number, topic in enumerate(course.readings):
        if topic.topic.lower() == wanted:
            return number, topic
    matches = [(n, t) for n, t in enumerate(course.readings) if wanted and wanted in t.topic.lower()]
    return matches[0] if matches else None
