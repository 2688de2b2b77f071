"""The loaded course: one immutable object the engine, index and reminders read."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from bot.knowledge.schema import (
    CourseInfo,
    Deliverable,
    FaqEntry,
    Policy,
    ReadingTopic,
    Resource,
    Session,
)


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "item"


@dataclass(frozen=True)
class Due:
    """A deliverable placed on the calendar: what is due, when, and what class it is."""

    id: str
    name: str
    kind: str
    date: dt.date
    week: int | None
    topic: str
    points: float | None
    due_time: dt.time | None
    note: str | None
    url: str | None
    opens: dt.date | None = None  # first day of its window, when it has one (due at ``date``)
    aliases: tuple[str, ...] = ()

    @property
    def points_text(self) -> str | None:
        if self.points is None:
            return None
        value = int(self.points) if float(self.points).is_integer() else self.points
        return f"{value} point{'s' if value != 1 else ''}"


@dataclass(frozen=True)
class Course:
    info: CourseInfo
    sessions: tuple[Session, ...]
    policies: tuple[Policy, ...]
    readings: tuple[ReadingTopic, ...]
    resources: tuple[Resource, ...]
    faq: tuple[FaqEntry, ...]
    source_hash: str
    # Where each key and list item stood in the bytes that were loaded: file name -> path -> (line, column).
    positions: Mapping[str, Mapping[tuple[Any, ...], tuple[int, int]]] = field(
        default_factory=dict, compare=False, repr=False)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.info.timezone)

    @cached_property
    def dated_sessions(self) -> tuple[Session, ...]:
        """Sessions with a date, in date order."""
        return tuple(sorted((s for s in self.sessions if s.date), key=_day))

    @cached_property
    def classes(self) -> tuple[Session, ...]:
        """Dated sessions where class actually meets."""
        return tuple(s for s in self.dated_sessions if not s.no_class)

    @cached_property
    def deliverables(self) -> tuple[Due, ...]:
        """Every dated deliverable, in due order, with a stable id."""
        return tuple(sorted(assign_ids(self.sessions), key=lambda d: (d.date, d.due_time or dt.time.max)))

    @property
    def first_day(self) -> dt.date:
        return _day(self.dated_sessions[0])

    @property
    def last_day(self) -> dt.date:
        return _day(self.dated_sessions[-1])

    def position(self, fname: str, loc: tuple[Any, ...]) -> tuple[int, int] | None:
        """(line, column) of the deepest key of ``loc`` found in ``fname`` as loaded; None if unknown."""
        where = self.positions.get(fname, {})
        return next((where[loc[:n]] for n in range(len(loc), 0, -1) if loc[:n] in where), None)

    def session_on(self, day: dt.date) -> Session | None:
        return next((s for s in self.dated_sessions if s.date == day), None)

    def next_class(self, now: dt.datetime) -> Session | None:
        """The first class that starts after ``now`` (a class starts at the earliest meeting time)."""
        start = min((m.start for m in self.info.meetings), default=dt.time(0, 0))
        later = (s for s in self.classes if s.date and dt.datetime.combine(s.date, start, tzinfo=self.tz) > now)
        return next(later, None)

    def due_at(self, due: Due, default_time: dt.time) -> dt.datetime:
        """The aware moment a deliverable is due, in the course time zone."""
        return dt.datetime.combine(due.date, due.due_time or default_time, tzinfo=self.tz)

    @property
    def where_to_ask(self) -> str:
        channel = self.info.questions
        hours = any(member.office_hours for member in self.info.staff)
        places = [channel.name] if channel else []
        if hours:
            places.append("office hours")
        return " or ".join(places) if places else "the course staff"


def _day(session: Session) -> dt.date:
    """The date of a session known to have one (every member of ``dated_sessions``)."""
    assert session.date is not None
    return session.date


def assign_ids(sessions: tuple[Session, ...]) -> list[Due]:
    """Give each dated deliverable an id: its own, else its name's slug (-2, -3 … on repeats)."""
    seen: dict[str, int] = {}
    result = []
    for session in sessions:
        if session.date is None:
            continue
        for item in session.due:
            result.append(_due(session, item, _next_id(item, seen)))
    return result


def _next_id(item: Deliverable, seen: dict[str, int]) -> str:
    if item.id:
        return item.id
    base = slugify(item.name)
    seen[base] = seen.get(base, 0) + 1
    return base if seen[base] == 1 else f"{base}-{seen[base]}"


def _due(session: Session, item: Deliverable, ident: str) -> Due:
    assert session.date is not None
    return Due(
        id=ident,
        name=item.name,
        kind=item.kind,
        date=item.window.end if item.window else session.date,
        week=session.week,
        topic=session.topic,
        points=item.points,
        due_time=item.due_time,
        note=item.note,
        url=item.url,
        opens=item.window.start if item.window else None,
        aliases=item.aliases,
    )
