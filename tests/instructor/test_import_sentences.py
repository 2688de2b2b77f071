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
