"""Facts given in a sentence rather than under their own heading or label: where to ask questions,
exams, classes that do not meet, the textbook's title."""

from __future__ import annotations

from pathlib import Path

from bot.instructor.importer import import_page
from bot.knowledge import Course, load_course

SCHEDULE = ("\n\n## Schedule\n\n| Date | Topic |\n|---|---|\n| Mon Jan 11 | Intro |\n| Wed Jan 13 | More |\n"
            "| Mon Jan 18 | Even more |\n")


def course_of(tmp_path: Path, body: str) -> Course:
    result = import_page("# X 100: Y, Spring 2027\n\n" + body + SCHEDULE, near_year=2026, timezone="America/Chicago")
    result.write(tmp_path / "out", "page")
    return load_course(tmp_path / "out")


def test_where_to_ask_in_a_sentence(tmp_path):
    course = course_of(tmp_path, "## Help\n\nPlease use Ed Discussion for questions about the labs.\n")
    assert course.info.questions is not None and course.info.questions.name == "Ed Discussion"


def test_a_sentence_that_says_not_to_ask_there_names_no_forum(tmp_path):
    body = ("## Help\n\nDo not post questions about your grade on Piazza. Regrade questions go through "
            "Gradescope.\n")
    assert course_of(tmp_path, body).info.questions is None


def test_the_textbook_title_is_not_other_emphasis_near_it(tmp_path):
    cases = {"## Textbook\n\nWe read *first* the opening chapters of **Elements of Style**.\n": "Elements of Style",
             "## Textbook\n\nOur main text is Linear Algebra Done Right by Axler. Read *Chapter 1* first.\n":
                 "Linear Algebra Done Right",
             "## Book\n\n[Think Python](https://greenteapress.com/thinkpython2/) — read **section 2** today.\n":
                 "Think Python"}
    for number, (body, title) in enumerate(cases.items()):
        textbook = course_of(tmp_path / str(number), body).info.textbook
        assert textbook is not None and textbook.title == title


def exams(course: Course) -> list[tuple[str, str, str | None, str]]:
    return [(d.name, d.kind, str(d.opens) if d.opens else None, str(d.date)) for d in course.deliverables]


def test_two_exams_in_one_sentence_each_on_its_own_day(tmp_path):
    body = "## Exams\n\nQuiz 1 is on Friday, January 15 and Quiz 2 on Friday, February 12; both are open-book.\n"
    assert exams(course_of(tmp_path, body)) == [("Quiz 1", "quiz", None, "2027-01-15"),
                                               ("Quiz 2", "quiz", None, "2027-02-12")]


def test_a_take_home_exam_that_opens_and_closes_is_one_exam_with_a_window(tmp_path):
    body = ("## Midterm\n\nThe take-home midterm opens Monday, February 1 at 9am and closes Wednesday,\n"
            "February 3 at 5pm.\n")
    assert exams(course_of(tmp_path, body)) == [("Midterm", "exam", "2027-02-01", "2027-02-03")]


def test_a_rule_about_due_times_is_not_a_deliverable_of_the_next_sentence(tmp_path):
    body = ("## Assignments\n\nProblem sets are due at 11:59pm on the date shown. The final exam is in Room 4 on "
            "Wednesday, May 12, 2027 from 9 to 11am.\n")
    assert exams(course_of(tmp_path, body)) == [("Final exam", "exam", None, "2027-05-12")]


def test_a_class_that_does_not_meet_said_outside_the_schedule(tmp_path):
    body = ("## Recitation\n\nRecitations meet Fridays 9-10am. The Friday recitation won't meet on January 15.\n\n"
            "## Notes\n\nNo office hours on Friday, January 22. No late labs are accepted after Wednesday, "
            "January 13. There is no lecture on Monday, January 18.\n")
    result = import_page("# X 100: Y, Spring 2027\n\n" + body + SCHEDULE, near_year=2026, timezone="America/Chicago")
    result.write(tmp_path / "out", "page")
    course = load_course(tmp_path / "out")
    assert [(str(s.date), s.no_class) for s in course.dated_sessions] == [
        ("2027-01-11", False), ("2027-01-13", False), ("2027-01-15", True), ("2027-01-18", False)]
    assert any("2027-01-18; left as it is" in line for line in result.unplaced)  # the schedule has a class then
