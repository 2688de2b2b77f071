"""Nothing on the Fall 2020 course page is missing from knowledge/.

The page is parsed here independently (its calendar table rows, its links) and each
fact is looked up in the loaded Course.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from helpers import SEED

PAGE = (SEED / "course-page-fall2020.md").read_text(encoding="utf-8")
ASSIGNMENT = (SEED / "reading-assignment-fall2020.md").read_text(encoding="utf-8")
ROW = re.compile(r"^\|\s*(\d+)\s*\|\s*(\w{3} \w{3} \d{1,2})\s*\|([^|]*)\|([^|]*)\|([^|]*)\|", re.MULTILINE)


def section(title: str, until: str) -> str:
    return PAGE.split(title, 1)[1].split(until, 1)[0]


def page_date(day: str) -> dt.date:
    """ "Tue Oct 20" -> 2020-10-20 (a calendar day; no time, so no zone)."""
    return dt.datetime.strptime(f"{day[4:]} 2020", "%b %d %Y").date()  # noqa: DTZ007


def calendar_rows() -> list[tuple[int, dt.date, str, str, str]]:
    rows = []
    for week, day, topic, deliverable, points in ROW.findall(PAGE):
        date = page_date(day)
        rows.append((int(week), date, topic.strip(), deliverable.strip(), points.strip()))
    return rows


def test_every_calendar_row_is_a_session_with_its_week_and_topic(course):
    rows = calendar_rows()
    assert len(rows) == 25
    for week, date, topic, _, _ in rows:
        session = course.session_on(date)
        assert session is not None, date
        assert (session.week, session.topic) == (week, topic)


def test_every_deliverable_has_its_date_and_points(course):
    expected = [(date, d, int(p)) for _, date, _, d, p in calendar_rows() if d]
    actual = [(d.date, d.name, d.points) for d in course.deliverables]
    assert actual == expected


def test_weekdays_on_the_page_match_the_dates(course):
    for day in re.findall(r"\|\s*(\w{3} \w{3} \d{1,2})\s*\|", PAGE):
        date = page_date(day)
        assert date.strftime("%a") == day[:3]


def test_no_class_days_are_marked(course):
    assert {s.date for s in course.dated_sessions if s.no_class} == {dt.date(2020, 11, 26), dt.date(2020, 12, 8)}


def test_every_reading_title_and_link_is_present(course):
    readings = section("## Course Reading", "\n\n\n\n")
    listed = re.findall(r"^1\. \[(?:\* )?([^\]]+?)\s*\]\(([^)]+)\)", readings, re.MULTILINE)
    have = {(r.title, r.url) for t in course.readings for r in t.items}
    titles = {re.sub(r"\*\*", "", title).strip() for title, _ in listed}
    assert len(listed) == 51
    assert titles == {title for title, _ in have}
    assert {url for _, url in listed} <= {url for _, url in have}


def test_stars_and_start_here_are_data(course):
    items = {r.title: r for t in course.readings for r in t.items}
    starred = {t.strip() for t in re.findall(r"^1\. \[\* ([^\]]+)\]", PAGE, re.MULTILINE)}
    assert {title for title, r in items.items() if r.starred} == starred
    assert items["Chapter 4 of Machine Learning"].start_here
    assert "2 readings" in (items["Chapter 4 of Machine Learning"].credit or "").lower()


def test_every_resource_link_is_present(course):
    links = section("## Links", "## Course Reading")
    urls = set(re.findall(r"\]\((https?://[^)]+)\)", links))
    have = {r.url for r in course.resources} | {link.url for t in course.readings for r in t.items for link in r.links}
    assert urls - have == set()
    relative = set(re.findall(r"\]\((deeplearning/[^)]+)\)", links))
    assert all(any((r.url or "").endswith(path) for r in course.resources) for path in relative)


@pytest.mark.parametrize("sentence", [
    "Please use CampusWire for class-related questions",
    "93 to 100 = A, 90-92 = A-",
    "Homework and reading assignments are solo assignments and must be original work",
    "all members of a group will share a grade",
    "upload a safety submission an hour early with what you have",
    "I will grade the most recent item submitted before the deadline",
    "Late submissions will not be graded",
    "Students can earn up to 10 points",
    "There are 20 lectures this term",
    "Each on-call day will be worth up to 3 points",
    "Those in the top 25% earn 4 points",
    "No additional extra credit beyond the 10% for class participation will be provided",
])
def test_every_policy_sentence_is_kept(course, sentence):
    texts = " ".join(" ".join(p.text.split()) for p in course.policies)
    assert sentence in texts


@pytest.mark.parametrize("fragment", [
    "Each reaction/review will be worth 3 points",
    "11 point Times New Roman",
    "you get a 0 for the review",
    "Major critiques",
])
def test_reading_assignment_instructions_are_kept(course, fragment):
    assert fragment in ASSIGNMENT
    texts = " ".join(" ".join(p.text.split()) for p in course.policies)
    assert fragment.lower() in texts.lower()


def test_logistics(course):
    info = course.info
    [meeting] = info.meetings
    assert (meeting.days, meeting.start, meeting.end) == (("Tuesday", "Thursday"), dt.time(16, 20), dt.time(17, 40))
    assert "zoom" in meeting.location.lower()
    [instructor] = info.staff
    [slot] = instructor.office_hours
    assert (instructor.name, slot.day, slot.start, slot.end) == ("Bryan Pardo", "Monday", dt.time(16), dt.time(18))
    assert info.questions is not None and info.questions.name == "CampusWire"
    assert info.textbook is not None and info.textbook.url == "http://www.deeplearningbook.org/"
