"""Staff in sentences and in "Name, Role" list items: roles as written, hours to the right person, and
nobody made out of a word that is not a name."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.instructor.importer import import_page
from bot.knowledge import load_course

SCHEDULE = "\n\n## Schedule\n\n| Date | Topic |\n|---|---|\n| Mon Jan 11 | Intro |\n| Wed Jan 13 | More |\n"


def staff_of(tmp_path: Path, body: str, kind: str = "md"):
    page = body + SCHEDULE if kind == "md" else body
    result = import_page(page, near_year=2026, kind=kind, timezone="America/Chicago")
    result.write(tmp_path / "out", "page")
    course = load_course(tmp_path / "out")
    return {m.name: (m.role, m.email, [(h.day, h.start, h.end, h.place) for h in m.office_hours])
            for m in course.info.staff}


def test_sentences_that_name_nobody_make_nobody(tmp_path):
    body = ("# X 100: Y, Spring 2027\n\n## Course staff\n\nThe TAs are listed on Canvas. The instructor is happy to "
            "meet by appointment. Our TA is Sam. Questions go on [Piazza](https://piazza.com/x); the staff "
            "holds office hours Mondays 2-3pm.\n")
    assert staff_of(tmp_path, body) == {}


def test_taught_by_titled_names_and_hours_by_possessive(tmp_path):
    body = ("# X 100: Y, Spring 2027\n\n## Teaching staff\n\nThis term the course is co-taught by Prof. Ito and "
            "Dr. Mara Quinn (mquinn@x.edu). Prof. Ito holds office hours Tuesdays 1-2pm; Mara's are Fridays 9-10am, "
            "both in Room 12.\n")
    assert staff_of(tmp_path, body) == {
        "Ito": ("co-instructor", None, [("Tuesday", dt.time(13), dt.time(14), "Room 12")]),
        "Mara Quinn": ("co-instructor", "mquinn@x.edu", [("Friday", dt.time(9), dt.time(10), "Room 12")])}


def test_names_then_role_and_pronoun_hours(tmp_path):
    body = ("# X 100: Y, Spring 2027\n\n## People\n\nAda Park is the head TA for this course. She has office "
            "hours on Thursdays 4-5pm in the Help Room.\n")
    assert staff_of(tmp_path, body) == {"Ada Park": ("head TA", None, [("Thursday", dt.time(16), dt.time(17),
                                                                          "Help Room")])}


def test_role_written_after_the_name_in_a_list(tmp_path):
    body = ("<html><body><h1>X 100: Y, Spring 2027</h1><h2>Staff</h2><ul>"
            "<li><a href='https://x.edu/~ruiz'>Ana Ruiz</a>, Associate Professor of History &mdash; "
            "office hours Wed 3-4pm, Hall 2</li>"
            "<li><b>Li Wei</b>, Lab Manager; Mon 9-10am in Lab 1</li></ul>"
            "<h2>Schedule</h2><table><tr><th>Date</th><th>Topic</th></tr><tr><td>Mon Jan 11</td><td>Intro</td></tr>"
            "<tr><td>Wed Jan 13</td><td>More</td></tr></table></body></html>")
    assert staff_of(tmp_path, body, kind="html") == {
        "Ana Ruiz": ("associate professor", None, [("Wednesday", dt.time(15), dt.time(16), "Hall 2")]),
        "Li Wei": ("lab manager", None, [("Monday", dt.time(9), dt.time(10), "Lab 1")])}
