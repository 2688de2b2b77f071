"""A small course built in code for the answer engine's unit tests (real Course and schema types, no YAML,
no model): a Tue/Thu term of six weeks with homework, readings, a project, staff with office hours."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bot.answer.rows import Tables
from bot.answer.text import Speller, expand
from bot.answer.understand.entities import build_gazetteer
from bot.answer.understand.question import Understood, understand
from bot.knowledge import Course
from bot.knowledge.schema import (
    CourseInfo,
    Deliverable,
    Policy,
    Reading,
    ReadingTopic,
    Resource,
    Session,
)

ZONE = ZoneInfo("America/Chicago")
NOW = dt.datetime(2021, 2, 1, 9, 0, tzinfo=ZONE)  # Monday of week 2


def due(name: str, kind: str, points: float | None = None, **extra: object) -> Deliverable:
    return Deliverable.model_validate({"name": name, "kind": kind, "points": points, **extra})


def lecture(day: str, topic: str, week: int, *dues: Deliverable, **extra: object) -> Session:
    return Session.model_validate({"date": day, "topic": topic, "week": week, "due": dues, **extra})


SESSIONS = (
    lecture("2021-01-26", "Welcome and logistics", 1),
    lecture("2021-01-28", "Dynamic programming on trees", 1, aliases=("DP",)),
    lecture("2021-02-02", "Graph search", 2, due("Homework 1", "homework", 10, id="hw1")),
    lecture("2021-02-04", "Shortest paths", 2, due("Reading response", "reading", 3, id="rr-1")),
    lecture("2021-02-09", "Spring holiday", 3, no_class=True, note="No class: university holiday",
            aliases=("the holiday",)),
    lecture("2021-02-11", "Minimum spanning trees", 3, due("Homework 2", "homework", 15, id="hw2"),
            due("Project pitch", "project", 5, id="pitch", aliases=("pitch",))),
    lecture("2021-02-16", "Network flow", 4, due("Reading response", "reading", 3, id="rr-2")),
    lecture("2021-02-18", "Linear programming", 4),
    lecture("2021-02-23", "NP-completeness", 5, due("Homework 3", "homework", 15, id="hw3")),
    lecture("2021-03-04", "Review", 6, due("Final project", "project", 40, id="final")),
)

INFO = CourseInfo.model_validate({
    "code": "CS 330", "title": "Algorithms", "term": "Winter 2021", "institution": "Test University",
    "timezone": "America/Chicago", "description": "Design and analysis of algorithms.",
    "meetings": [{"days": ["Tue", "Thu"], "start": "10:00", "end": "11:20", "location": "Tech L251"}],
    "staff": [
        {"name": "Ada Lovelace", "role": "Instructor", "email": "ada@example.edu",
         "office_hours": [{"day": "Monday", "start": "14:00", "end": "15:00", "place": "Mudd 3501"}]},
        {"name": "Alan Turing", "role": "TA",
         "office_hours": [{"day": "Wednesday", "start": "16:00", "end": "17:00", "place": "Mudd 3532"},
                          {"day": "Friday", "start": "12:00", "end": "13:00"}]},
    ],
    "questions": {"name": "Ed", "url": "https://edstem.org"},
})

POLICIES = (
    Policy(id="late-work", title="Late work", text="Late homework loses 10% per day. After three days it is not "
           "graded. Extensions are given only for documented emergencies.", aliases=("late policy",)),
    Policy(id="collaboration", title="Collaboration", text="You may discuss homework with classmates but must "
           "write your own solutions.", aliases=("working together",)),
)
READINGS = (ReadingTopic(topic="Graphs", items=(Reading(title="Graph Algorithms in Practice", authors=("E. Dijkstra",),
                                                         url="https://example.edu/graphs.pdf"),)),)
RESOURCES = (Resource(name="Visualgo", kind="tool", url="https://visualgo.net", description="Animated algorithms."),)


def course(*sessions: Session, info: CourseInfo = INFO) -> Course:
    return Course(info, sessions or SESSIONS, POLICIES, READINGS, RESOURCES, (), source_hash="kit")


COURSE = course()
TABLES = Tables(COURSE)
_GAZETTEER = build_gazetteer(COURSE)
_SPELLER = Speller(["algorithms", "homework", "spanning", "programming", "reading", "response", "project"])


def read(question: str, now: dt.datetime = NOW, on: Course = COURSE) -> Understood:
    """A question as the engine understands it on the kit course (no model involved)."""
    gazetteer = _GAZETTEER if on is COURSE else build_gazetteer(on)
    return understand(question, now, on, gazetteer, _SPELLER)


def expanded(question: str) -> str:
    return expand(question)
