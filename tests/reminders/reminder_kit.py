"""Small courses built in code for reminder tests (the real Course and schema types)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from bot.knowledge import Course
from bot.knowledge.schema import CourseInfo, Deliverable, Meeting, Policy, Session

CHICAGO = "America/Chicago"


def item(day: str, name: str, ident: str | None = None, kind: str = "homework", points: float | None = 10,
         due_time: str | None = None, url: str | None = None) -> tuple[dt.date, Deliverable]:
    data = {"name": name, "kind": kind, "id": ident, "points": points, "due_time": due_time, "url": url}
    return dt.date.fromisoformat(day), Deliverable.model_validate({k: v for k, v in data.items() if v is not None})


def course(*items: tuple[dt.date, Deliverable], tz: str = CHICAGO, policies: tuple[Policy, ...] = ()) -> Course:
    by_day: dict[dt.date, list[Deliverable]] = defaultdict(list)
    for day, deliverable in items:
        by_day[day].append(deliverable)
    sessions = tuple(Session(date=day, topic=f"Class on {day}", due=tuple(dues))
                     for day, dues in sorted(by_day.items()))
    info = CourseInfo(code="CS 101", title="Testing", term="Fall 2020", institution="Test U", timezone=tz,
                      description="A course for tests.", url="https://example.edu/cs101",
                      meetings=(Meeting(days=("Tue", "Thu"), start="16:20", end="17:40", location="Room 1"),))
    return Course(info, sessions, policies, (), (), (), source_hash=repr(items))


def at(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    assert moment.tzinfo is not None
    return moment
