"""coursebot import: the two seed pages give the curated calendar, deliverables and readings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from helpers import KNOWLEDGE, SEED, SPRING2024

from bot.instructor.importer import import_page
from bot.knowledge import load_course


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


def test_an_unseen_layout_imports_without_special_cases(tmp_path):
    """Setext headings, a "Label: value" class line, MWF, a winter term across New Year, other column names."""
    text = (Path(__file__).parent / "pages" / "winter-course.md").read_text("utf-8")
    result = import_page(text, near_year=2026)
    result.write(tmp_path / "out", "winter-course.md")
    course = load_course(tmp_path / "out")
    info = course.info
    assert (info.code, info.term, info.institution, info.timezone) == (
        "STAT 215A", "Winter 2023", "Lakeside College of Engineering", "America/Los_Angeles")
    assert info.meetings[0].days == ("Monday", "Wednesday", "Friday") and info.meetings[0].location == "Harris Hall 107"
    hours = {(m.name, m.role, h.day, h.start.hour, h.place) for m in info.staff for h in m.office_hours}
    assert hours == {("Dana Reyes", "instructor", "Wednesday", 14, "Harris 301"),
                     ("Sam Okafor", "teaching assistant", "Thursday", 11, "Zoom"),
                     ("Lee Park", "teaching assistant", "Friday", 13, "Library room 2")}
    assert [str(s.date) for s in course.sessions][:4] == ["2022-12-05", "2022-12-07", "2022-12-09", "2023-01-09"]
    assert [s.topic for s in course.sessions if s.no_class] == ["MLK prep -- no lecture", "Martin Luther King Jr. Day"]
    dues = [(d.name, d.kind, d.points, d.due_time) for d in course.deliverables]
    assert ("Midterm exam", "exam", 25, None) in dues
    assert ("Lab 2", "homework", 10, None) in dues and ("Project proposal", "project", 5, None) in dues
    assert ("Final project report", "project", 30, dt.time(23, 59)) in dues
    items = {r.title: r for t in course.readings for r in t.items}
    assert items["Computer Vision: Algorithms and Applications"].start_here
    assert items["A Paper on Edges"].starred and items["Marr, Vision (1982)"].url is None
    assert any("reading without a link" in line for line in result.unplaced)
    assert any("weekdays fit 2022" in line for line in result.unplaced)


def test_another_layout_label_lines_office_hour_table_and_undated_rows(tmp_path):
    """ "Time:"/"Location:" lines, a bold name with an email, an office-hours table, numeric dates, TBD."""
    text = (Path(__file__).parent / "pages" / "fall-course.md").read_text("utf-8")
    result = import_page(text, near_year=2026)
    result.write(tmp_path / "out", "fall-course.md")
    course = load_course(tmp_path / "out")
    info = course.info
    assert (info.code, info.title, info.term, info.timezone) == (
        "CSE 142", "Introduction to Programming", "Autumn 2025", "America/New_York")
    meeting = info.meetings[0]
    assert (meeting.days, meeting.start) == (("Monday", "Wednesday"), dt.time(13))
    assert meeting.location == "Room 100, Allen Center"
    assert info.textbook and info.textbook.title == "Think Python"
    people = {(m.name, m.role, m.email): [(h.day, h.start, h.place) for h in m.office_hours] for m in info.staff}
    assert people == {("Jane Smith", "instructor", "jsmith@example.edu"): [("Tuesday", dt.time(14), "Room 12")],
                      ("Bob Lee", "teaching assistant", "bob@example.edu"): [("Friday", dt.time(10), "Lab B")],
                      ("Ana Ruiz", "teaching assistant", None): []}
    assert [(s.week, s.topic) for s in course.sessions if s.date is None] == [(3, "Guest lecture")]
    assert [(d.name, d.kind, d.points) for d in course.deliverables] == [
        ("HW 0", "homework", None), ("Quiz 1", "quiz", 5), ("HW 1", "homework", 20), ("Midterm", "exam", None)]
    assert course.session_on(dt.date(2025, 10, 13)).no_class
    assert [p.title for p in course.policies] == ["Late Policy", "Academic Integrity"]
    assert any("'TBD' not understood" in line for line in result.unplaced)


def test_rows_sharing_a_date_merge_and_unusable_links_are_reported(tmp_path):
    page = """# Course X 101: Things, Spring 2024

## Schedule

| Date | Topic | Due |
|------|-------|-----|
| Tue Apr 2 | [Lecture](slides/lecture 1.pdf) | Homework 1 |
| Tue Apr 2 | Lab | Lab 1 |
| Thu Apr 4 | More | |
"""
    result = import_page(page, near_year=2026)
    result.write(tmp_path / "out", "page.md")
    course = load_course(tmp_path / "out")
    first = course.sessions[0]
    assert (first.topic, [d.name for d in first.due], first.url) == ("Lecture; Lab", ["Homework 1", "Lab 1"], None)
    assert any("several rows on 2024-04-02" in line for line in result.unplaced)
    assert any("'slides/lecture 1.pdf' is not a full URL" in line for line in result.unplaced)


def test_a_schedule_written_as_lists_under_week_headings(tmp_path):
    text = (Path(__file__).parent / "pages" / "list-schedule.md").read_text("utf-8")
    result = import_page(text, near_year=2026)
    result.write(tmp_path / "out", "list-schedule.md")
    course = load_course(tmp_path / "out")
    assert (course.info.code, course.info.title, course.info.term) == ("Data Science 200", "Foundations", "Fall 2024")
    assert [(str(s.date), s.week, s.topic, s.no_class) for s in course.sessions] == [
        ("2024-09-09", 1, "Introduction", False), ("2024-09-11", 1, "Tables and pandas", False),
        ("2024-09-16", 2, "Visualization", False), ("2024-09-18", 2, "No class (holiday)", True)]
    assert [(d.name, d.kind, d.points) for d in course.deliverables] == [
        ("Lab 1", "homework", None), ("Homework 1", "homework", 10)]
    text_out = (tmp_path / "out" / "course.yaml").read_text()
    assert "# REVIEW: course code read from the title" in text_out and "# REVIEW: no time zone found" in text_out


@pytest.mark.parametrize("page, curated", [("course-page-fall2020.md", KNOWLEDGE),
                                           ("course-page-spring2024.md", SPRING2024)])
def test_resources_keep_every_link_with_its_kind(tmp_path, page, curated):
    _, course = imported(tmp_path, page)
    def links(c):  # the curated files name a few links differently and make slide links absolute
        return [(r.kind, (r.url or "").rsplit("/", 1)[-1]) for r in c.resources]

    assert links(course) == links(load_course(curated))
