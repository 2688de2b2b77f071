"""The course as tables of rows: one generic row type every operation can work on.

Each target's entries become ``Row``s with the attributes questions ask about (a day,
points, a kind, a place, a person, a link), so filters, orderings, counts and totals are
written once for every table instead of once per kind of question.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from bot.answer.understand.words import Target
from bot.knowledge import Course, Due
from bot.knowledge.schema import (
    WEEKDAYS,
    CourseInfo,
    Meeting,
    OfficeHour,
    Reading,
    ReadingTopic,
    Resource,
    Session,
    StaffMember,
)

END_OF_DAY = dt.time(23, 59)
Entry = (Due | Session | tuple[ReadingTopic, Reading] | ReadingTopic | StaffMember | tuple[StaffMember, OfficeHour]
         | Meeting | Resource | CourseInfo | None)


@dataclass(frozen=True)
class Row:
    target: Target
    id: str
    name: str
    day: dt.date | None = None
    opens: dt.date | None = None
    week: int | None = None
    kind: str | None = None
    points: float | None = None
    time: dt.time | None = None  # due time, or a slot's/meeting's start
    end: dt.time | None = None
    place: str | None = None
    link: str | None = None
    person: str | None = None
    weekdays: tuple[int, ...] = ()
    no_class: bool = False
    note: str | None = None
    entry: Entry = None  # the knowledge entry itself, for rendering

    def moment(self, course: Course) -> dt.datetime | None:
        """When this row happens (a deliverable's due moment, a class's start), in course time."""
        if self.day is None:
            return None
        return dt.datetime.combine(self.day, self.time or END_OF_DAY, tzinfo=course.tz)


class Tables:
    """Every target's rows for one course, built on first use (a course never changes)."""

    def __init__(self, course: Course):
        self.course = course
        self._rows: dict[Target, tuple[Row, ...]] = {}

    def __getitem__(self, target: Target) -> tuple[Row, ...]:
        if target not in self._rows:
            self._rows[target] = tuple(_BUILDERS[target](self.course))
        return self._rows[target]

    @cached_property
    def weeks(self) -> dict[int, tuple[dt.date, dt.date]]:
        """Each numbered week's first and last class day (for week-level items without a date)."""
        spans: dict[int, tuple[dt.date, dt.date]] = {}
        for s in self.course.dated_sessions:
            if s.week is not None and s.date:
                first, last = spans.get(s.week, (s.date, s.date))
                spans[s.week] = (min(first, s.date), max(last, s.date))
        return spans


def _deliverables(course: Course) -> list[Row]:
    return [Row("deliverable", d.id, d.name, d.date, d.opens, d.week, d.kind, d.points, d.due_time, link=d.url,
                note=d.note, entry=d) for d in course.deliverables]


def _sessions(course: Course) -> list[Row]:
    start = class_start(course)
    return [Row("session", s.date.isoformat(), s.topic, s.date, week=s.week, time=start, link=s.url,
                no_class=s.no_class, note=s.note, entry=s) for s in course.dated_sessions if s.date]


def _items(course: Course) -> list[Row]:
    undated = [s for s in course.sessions if s.date is None]
    return [Row("item", str(n), s.topic, week=s.week, link=s.url, note=s.note, entry=s) for n, s in enumerate(undated)]


def _readings(course: Course) -> list[Row]:
    return [Row("reading", f"{t}:{r}", item.title, kind=topic.topic, link=item.url,
                person=", ".join(item.authors) or None, note=item.note, entry=(topic, item))
            for t, topic in enumerate(course.readings) for r, item in enumerate(topic.items)]


def _topics(course: Course) -> list[Row]:
    return [Row("topic", str(t), topic.topic, note=topic.note, entry=topic) for t, topic in enumerate(course.readings)]


def _staff(course: Course) -> list[Row]:
    return [Row("staff", m.name, m.name, kind=m.role, link=m.url, person=m.name, note=m.email, entry=m)
            for m in course.info.staff]


def _slots(course: Course) -> list[Row]:
    rows = []
    for m in course.info.staff:
        for n, h in enumerate(m.office_hours):
            rows.append(Row("slot", f"{m.name}:{n}", m.name, kind=m.role, time=h.start, end=h.end, place=h.place,
                            link=h.url, person=m.name, weekdays=(WEEKDAYS.index(h.day),), note=h.note, entry=(m, h)))
    return rows


def _meetings(course: Course) -> list[Row]:
    return [Row("meeting", str(n), "class", time=m.start, end=m.end, place=m.location, link=m.url,
                weekdays=tuple(WEEKDAYS.index(d) for d in m.days), note=m.note, entry=m)
            for n, m in enumerate(course.info.meetings)]


def _resources(course: Course) -> list[Row]:
    return [Row("resource", str(n), r.name, kind=r.kind, link=r.url, note=r.description, entry=r)
            for n, r in enumerate(course.resources)]


def _course(course: Course) -> list[Row]:
    return [Row("course", "course", course.info.title, link=course.info.url, entry=course.info)]


_BUILDERS = {
    "deliverable": _deliverables, "session": _sessions, "item": _items, "reading": _readings, "topic": _topics,
    "staff": _staff, "slot": _slots, "meeting": _meetings, "resource": _resources, "course": _course,
}


def class_start(course: Course) -> dt.time | None:
    return min((m.start for m in course.info.meetings), default=None)
