"""Layouts written while building the importer (not the blind pages): each checks a rule that
serves many pages, on a page written for it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.instructor.importer import import_file
from bot.knowledge import load_course

PAGES = Path(__file__).parent / "pages"


def imported(tmp_path: Path, name: str):
    result = import_file(PAGES / name, near_year=2026, timezone="America/Chicago")
    result.write(tmp_path / "out", name)
    return result, load_course(tmp_path / "out")


def staff(course) -> dict[str, tuple[str, str | None, list[tuple[str, dt.time, str | None]]]]:
    return {m.name: (m.role, m.email, [(h.day, h.start, h.place) for h in m.office_hours]) for m in course.info.staff}


def test_a_ta_table_graders_and_exams_listed_apart(tmp_path):
    result, course = imported(tmp_path, "exams-and-ta-table.md")
    people = staff(course)
    assert people["Alan Turing"] == ("instructor", "alan@example.edu", [("Monday", dt.time(10), "Smith 301"),
                                                                         ("Wednesday", dt.time(10), "Smith 301")])
    assert people["Grace Hopper"] == ("teaching assistant", "grace@example.edu", [("Tuesday", dt.time(13),
                                                                                   "Smith 210")])
    assert people["Ada Lovelace"][2] == [] and people["Kurt Gödel"][0] == "grader"
    assert {(u.field, u.person) for u in course.info.undetermined} == {("office_hours", "Ada Lovelace"),
                                                                       ("exam", None)}
    meetings = [(m.days, m.start, m.location, m.note) for m in course.info.meetings]
    assert meetings == [(("Monday", "Wednesday", "Friday"), dt.time(9), "Smith Hall 120", None),
                        (("Thursday",), dt.time(14, 30), "Smith 05", "Recitation")]
    assert course.info.timezone == "America/New_York"
    exams = [(d.name, d.date, d.points) for d in course.deliverables if d.kind == "exam"]
    assert exams == [("Midterm 1", dt.date(2025, 2, 14), 20), ("Midterm 2", dt.date(2025, 3, 28), 20)]
    assert course.session_on(dt.date(2025, 1, 20)).topic == "MLK Day — no class"


def test_html_meeting_table_definition_list_and_name_role_lines(tmp_path):
    _, course = imported(tmp_path, "meeting-table.html")
    people = staff(course)
    assert people == {"Jane Goodall": ("professor", "jgoodall@example.edu", [("Friday", dt.time(11), "SC 301")]),
                      "Charles Darwin": ("lab TA", None, [("Monday", dt.time(16), "SC B10")]),
                      "Rosalind Franklin": ("TA", None, [("Tuesday", dt.time(10), "SC B10")])}
    assert [(m.days, m.start, m.end, m.location) for m in course.info.meetings] == [
        (("Tuesday", "Thursday"), dt.time(13), dt.time(14, 15), "Science Center 101"),
        (("Wednesday",), dt.time(15), dt.time(17, 50), "Science Center B12")]
    final = next(d for d in course.deliverables if d.name == "Final Exam")
    assert (final.kind, final.date, final.due_time) == ("exam", dt.date(2024, 12, 12), dt.time(8))
    assert course.session_on(dt.date(2024, 11, 28)).no_class
    assert course.info.timezone == "America/Chicago"  # the page states none: --timezone


def test_weekday_lines_under_week_headings_and_office_hours_with_whom(tmp_path):
    result, course = imported(tmp_path, "weekday-lists.md")
    assert [(str(s.date), s.topic) for s in course.dated_sessions][:3] == [
        ("2026-01-06", "Introduction and supply/demand"), ("2026-01-08", "Consumer choice. Problem Set 1 posted."),
        ("2026-01-13", "Utility maximization")]
    assert [(d.name, str(d.date)) for d in course.deliverables] == [
        ("Problem Set 1", "2026-01-15"), ("Quiz 1", "2026-01-22"), ("Final exam", "2026-03-17")]
    assert course.session_on(dt.date(2026, 1, 20)).no_class
    assert staff(course) == {"Maria Lopez": ("instructor", "mlopez@riverside.example",
                                             [("Monday", dt.time(14), "Econ 412")])}
    assert [u.field for u in course.info.undetermined] == ["staff"]
    assert any("names no TA" in line for line in result.unplaced)


def test_a_two_column_table_of_labels_and_an_exam_in_a_sentence(tmp_path):
    _, course = imported(tmp_path, "key-value-table.md")
    people = staff(course)
    assert people["Nadia Kim"] == ("instructor", "nkim@example.edu", [("Monday", dt.time(14), "Physics 220"),
                                                                       ("Wednesday", dt.time(14), "Physics 220")])
    assert people["Mary Jones"] == ("TA", "mj@example.edu", [("Friday", dt.time(9), "online")])
    assert [(m.days, m.start, m.location) for m in course.info.meetings] == [
        (("Tuesday", "Thursday"), dt.time(11), "Physics 101")]
    assert [u.field for u in course.info.undetermined] == ["textbook"]
    assert [(d.name, str(d.date), d.kind) for d in course.deliverables] == [
        ("HW 1", "2026-01-16", "homework"), ("HW 2", "2026-01-21", "homework"), ("Exam 1", "2026-01-26", "exam"),
        ("Final exam", "2026-05-07", "exam")]


def test_staff_to_be_announced_is_kept_and_an_hours_table_by_day(tmp_path):
    _, course = imported(tmp_path, "tba-staff.md")
    assert [(u.field, u.what) for u in course.info.undetermined] == [
        ("staff", "The course's instructor"), ("staff", "The course's teaching assistant")]
    assert staff(course) == {"Lee Chang": ("staff", None, [("Monday", dt.time(13), "Library 3"),
                                                           ("Thursday", dt.time(10), "Zoom")])}
    assert [(d.name, str(d.date)) for d in course.deliverables] == [
        ("Response paper 1", "2025-09-09"), ("Final paper", "2025-12-12")]


def test_labels_on_one_line_and_labels_above_their_values(tmp_path):
    _, course = imported(tmp_path, "labels-apart.html")
    assert staff(course) == {"Omar Haddad": ("instructor", "ohaddad@lakeview.edu",
                                             [("Tuesday", dt.time(15, 30), "Sci 210"),
                                              ("Friday", dt.time(10), "Sci 210")])}
    assert [(m.days, m.start, m.end, m.location, m.note) for m in course.info.meetings] == [
        (("Monday", "Wednesday", "Friday"), dt.time(9, 5), dt.time(9, 55), "Science Hall 100", None)]
    assert (course.info.term, course.info.institution) == ("Spring 2026", "Lakeview College")


def test_a_day_column_beside_the_date_column_and_spreadsheet_dates(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# X 1: Y, Fall 2025\n\n## Schedule\n\n| Week | Day | Date | Topic | Due |\n|---|---|---|---|---|\n"
                    "| 1 | Mon | 8-Sep | Intro | |\n| 1 | Wed | 10-Sep | More | HW 1 |\n")
    result = import_file(page, near_year=2026, timezone="America/Chicago")
    result.write(tmp_path / "out", "page.md")
    course = load_course(tmp_path / "out")
    assert [(str(s.date), s.topic) for s in course.sessions] == [("2025-09-08", "Intro"), ("2025-09-10", "More")]
    assert [(d.name, str(d.date)) for d in course.deliverables] == [("HW 1", "2025-09-10")]
