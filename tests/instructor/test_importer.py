"""coursebot import: the two seed pages give the curated calendar, deliverables and readings."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.instructor.importer import import_page
from bot.knowledge import load_course

ROOT = Path(__file__).resolve().parents[2]
KNOWLEDGE = ROOT / "knowledge"
SPRING2024 = ROOT / "tests" / "fixtures" / "spring2024"
SEED = ROOT.parent / "shared" / "seed"


def imported(tmp_path: Path, page: str):
    result = import_page((SEED / page).read_text("utf-8"), near_year=2026)
    result.write(tmp_path / "out", page)
    return result, load_course(tmp_path / "out")


def calendar(course):
    return [(s.date, s.week, s.topic, s.no_class) for s in course.sessions]


def deliverables(course):
    return [(d.name, d.date, d.points) for d in course.deliverables]


def readings(course):
    return [(r.title, r.url, r.starred, r.start_here) for topic in course.readings for r in topic.items]


def test_fall2020_page_gives_the_curated_calendar_deliverables_and_readings(tmp_path):
    _, course = imported(tmp_path, "course-page-fall2020.md")
    curated = load_course(KNOWLEDGE)
    assert calendar(course) == calendar(curated)
    assert deliverables(course) == deliverables(curated)
    assert [d.id for d in course.deliverables] == [d.id for d in curated.deliverables]
    assert readings(course) == readings(curated)


def test_fall2020_course_facts(tmp_path):
    _, course = imported(tmp_path, "course-page-fall2020.md")
    info = course.info
    assert (info.code, info.title, info.term, info.institution) == (
        "CS 396/496", "Deep Learning", "Fall 2020", "Northwestern University")
    assert info.timezone == "America/Chicago" and info.grading_total == 100
    assert info.meetings[0].days == ("Tuesday", "Thursday")
    assert str(info.meetings[0].start) == "16:20:00"
    assert info.questions and info.questions.name == "CampusWire"
    assert [(m.name, m.office_hours[0].day) for m in info.staff] == [("Bryan Pardo", "Monday")]


def test_spring2024_page_gives_the_fixture_calendar_and_deliverables(tmp_path):
    _, course = imported(tmp_path, "course-page-spring2024.md")
    fixture = load_course(SPRING2024)
    assert calendar(course) == calendar(fixture)
    assert deliverables(course) == deliverables(fixture)
    assert [s.url for s in course.sessions] == [s.url for s in fixture.sessions]


def test_spring2024_staff_and_office_hours_match_the_fixture(tmp_path):
    _, course = imported(tmp_path, "course-page-spring2024.md")
    fixture = load_course(SPRING2024)

    def hours(c):
        return {(m.name, m.role, h.day, h.start, h.end, h.place, h.url) for m in c.info.staff for h in m.office_hours}

    assert hours(course) == hours(fixture)


def test_starred_and_start_here_readings(tmp_path):
    _, course = imported(tmp_path, "course-page-spring2024.md")
    fixture = load_course(SPRING2024)
    flags = {(r.url, r.starred, r.start_here) for t in course.readings for r in t.items if r.starred or r.start_here}
    expected = {(r.url, r.starred, r.start_here) for t in fixture.readings for r in t.items
                if r.starred or r.start_here}
    assert flags == expected


@pytest.mark.parametrize("page", ["course-page-fall2020.md", "course-page-spring2024.md"])
def test_guesses_are_marked_for_review(tmp_path, page):
    result, _ = imported(tmp_path, page)
    text = "\n".join(p.read_text() for p in (tmp_path / "out").glob("*.yaml"))
    assert result.guesses > 0
    assert text.count("# REVIEW:") == result.guesses
