"""Answers computed from the calendar and ``now``: a day, a span, a week, the next class.

Pure functions of (course, dates, now). Before the term starts or after it ends they say
so instead of answering "nothing".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from bot.answer import compose
from bot.answer.model import Reply
from bot.format import day_label
from bot.knowledge import Course

END_OF_DAY = dt.time(23, 59)


def span(course: Course, start: dt.date, end: dt.date, label: str, now: dt.datetime,
         want_classes: bool, asked_due: bool) -> Reply:
    """What is due (or, for class questions, what is taught) between two days."""
    if end < course.first_day:
        return before_term(course, now)
    if start > course.last_day:
        return after_term(course, f"Nothing is on the calendar {label}")
    days = day_label(start, year=False) if start == end else f"{day_label(start, False)} – {day_label(end)}"
    due = [d for d in course.deliverables if start <= d.date <= end]
    if due and not want_classes:
        return replace(compose.deadlines(course, due, now, header=f"Due {label} ({days}):"), confidence=0.95)
    classes = [s for s in course.dated_sessions if s.date and start <= s.date <= end]
    if classes and (want_classes or not due):
        prefix = "" if due or not asked_due else f"Nothing is due {label}. "
        reply = compose.sessions(course, classes, header=f"{prefix}Classes {label} ({days}):")
        return replace(reply, confidence=0.9)
    later = [d for d in course.deliverables if d.date > end]
    tail = f" The next deadline is {compose.due_line(course, later[0], now)}" if later else ""
    what = "due" if asked_due or not want_classes else "scheduled"
    return Reply(f"Nothing is {what} {label} ({days}).{tail}", (compose.calendar_source(course, label),),
                 confidence=0.9, route="relative")


def days(course: Course, dates: list[dt.date], now: dt.datetime) -> Reply:
    """The classes on written dates, or that there is none (and the next one)."""
    found = [s for d in dates if (s := course.session_on(d))]
    if found:
        return replace(compose.sessions(course, found), confidence=0.95)
    day = dates[0]
    if day < course.first_day:
        return before_term(course, now)
    if day > course.last_day:
        return after_term(course, f"Nothing is on the calendar for {day_label(day)}")
    later = [s for s in course.dated_sessions if s.date and s.date > day][:1]
    tail = f" The next class after that is {compose.session_line(later[0])}." if later else ""
    return Reply(f"There's no class on {day_label(day)}.{tail}", (compose.calendar_source(course, "schedule"),),
                 confidence=0.9, route="schedule")


def week(course: Course, number: int) -> Reply:
    """Every class of week ``number`` with what is due, plus the week's undated items."""
    items = [s for s in course.dated_sessions if s.week == number]
    if not items:
        return compose.decline(course, f"The calendar has no week {number}.")
    reply = compose.sessions(course, items, header=f"Week {number}:")
    extra = [s for s in course.sessions if s.date is None and s.week == number]
    if extra:
        also = "\n".join(f"• Also this week: {s.topic}" + (f" <{s.url}>" if s.url else "") for s in extra)
        reply = replace(reply, text=f"{reply.text}\n{also}")
    return replace(reply, confidence=0.95)


def nth_class(course: Course, nth: int) -> Reply | None:
    """The 1st, 2nd … or (-1) last class that meets."""
    classes = course.classes
    if not classes or nth > len(classes):
        return None
    chosen = classes[nth - 1] if nth > 0 else classes[-1]
    return replace(compose.sessions(course, [chosen]), confidence=0.95)


def next_class(course: Course, now: dt.datetime) -> Reply:
    if now.date() < course.first_day:
        return before_term(course, now)
    upcoming = course.next_class(now)
    if upcoming is None:
        return after_term(course, "There are no more classes")
    return replace(compose.sessions(course, [upcoming], header="Next class:"), confidence=0.95)


def next_deadlines(course: Course, now: dt.datetime) -> Reply:
    upcoming = [d for d in course.deliverables if course.due_at(d, END_OF_DAY) >= now]
    if not upcoming:
        return after_term(course, "Nothing more is due")
    first = [d for d in upcoming if d.date == upcoming[0].date]
    return replace(compose.deadlines(course, first, now, header="Next deadline:"), confidence=0.9)


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
