"""Small courses built in code for the time extractor's tests (the real Course and schema types)."""

from __future__ import annotations

import datetime as dt

from bot.answer.text import expand
from bot.answer.understand.times import TimeMention, find_times
from bot.knowledge import Course
from bot.knowledge.schema import CourseInfo, Session

CHICAGO = "America/Chicago"
MONDAY = "2020-10-12 09:00"  # week 5 of the fall course


def session(day: str | None, topic: str = "Lecture", week: int | None = None, no_class: bool = False,
            note: str | None = None, aliases: tuple[str, ...] = ()) -> Session:
    date = dt.date.fromisoformat(day) if day else None
    return Session(date=date, topic=topic, week=week, no_class=no_class, note=note, aliases=aliases)


def course(*sessions: Session, tz: str = CHICAGO, term: str = "Fall 2020") -> Course:
    info = CourseInfo(code="CS 101", title="Testing", term=term, institution="Test University", timezone=tz,
                      description="A course for tests.")
    return Course(info, tuple(sessions), (), (), (), (), source_hash=repr(sessions))


def tue_thu(first: str, last: str, numbered: bool = True, off: dict[str, Session] | None = None) -> list[Session]:
    """A Tuesday/Thursday class from ``first`` to ``last``; ``off`` replaces days, by ISO date."""
    off = off or {}
    start, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    monday = start - dt.timedelta(days=start.weekday())
    out = []
    for day in (d for d in days if d.weekday() in (1, 3)):
        week = (day - monday).days // 7 + 1 if numbered else None
        made = off.get(day.isoformat()) or session(day.isoformat(), f"Lecture {len(out) + 1}")
        out.append(made.model_copy(update={"week": week}))
    return out


def fall(*extra: Session) -> Course:
    """Fall 2020, Thu Sep 17 – Thu Dec 10, weeks 1-13 (week 5 is Oct 12-18), like the real course."""
    off = {
        "2020-11-26": session("2020-11-26", "THANKSKIVING", no_class=True, note="Thanksgiving holiday, no class"),
        "2020-12-08": session("2020-12-08", "no class, finals week", no_class=True),
    }
    return course(*tue_thu("2020-09-17", "2020-12-10", off=off), *extra)


FALL = fall()


def at(text: str, tz: str = CHICAGO) -> dt.datetime:
    from zoneinfo import ZoneInfo

    return dt.datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(tz))


def find(text: str, now: str = MONDAY, on: Course = FALL) -> list[TimeMention]:
    """The mentions in a student's message (expanded as the engine does); spans checked."""
    expanded = expand(text)
    found = find_times(expanded, at(now), on)
    assert all(expanded[m.start:m.end] == m.text for m in found)
    return found


def one(text: str, now: str = MONDAY, on: Course = FALL) -> TimeMention:
    found = find(text, now, on)
    assert len(found) == 1, found
    return found[0]


def span(text: str, now: str = MONDAY, on: Course = FALL) -> tuple[str, str]:
    """The single mention's days as ISO strings, for compact tables."""
    days = one(text, now, on).days
    assert days is not None
    return days.start.isoformat(), days.end.isoformat()


def day(text: str, now: str = MONDAY, on: Course = FALL) -> str:
    start, end = span(text, now, on)
    assert start == end, (start, end)
    return start
