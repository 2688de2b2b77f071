"""Which calendar rows a /schedule or /readings request means (pure: course and now passed in)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.answer.when import explicit_dates, relative_span, week_number
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
    last_week = max((s.week or 0) for s in course.sessions)
    week = int(text) if text.isdigit() else week_number(text, last_week)
    if week is not None:
        return Selection(f"Week {week}", tuple(s for s in course.dated_sessions if s.week == week))
    dates = explicit_dates(text, course.first_day.year)
    if dates:
        return Selection(", ".join(f"{d:%b} {d.day}" for d in dates),
                         tuple(s for s in course.dated_sessions if s.date in dates))
    span = relative_span(text, today)
    if span is not None:
        rows = tuple(s for s in course.dated_sessions if s.date is not None and span.start <= s.date <= span.end)
        return Selection(span.label.capitalize(), rows)
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
