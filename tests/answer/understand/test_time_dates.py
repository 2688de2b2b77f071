"""Explicit dates: every common way to write one, the year it takes, and numbers that are not dates."""

from __future__ import annotations

import pytest
from time_kit import course, day, find, one, session, tue_thu


@pytest.mark.parametrize("text", [
    "what is due oct 15", "october 15th", "October 15, 2020", "oct. 15", "15 october", "15th oct",
    "the 15th of oct", "10/15", "10/15/2020", "10/15/20", "10-15", "2020-10-15", "thu oct 15",
    "Thursday, October 15", "15/10",
])
def test_a_written_date_is_that_day(text):
    assert day(text) == "2020-10-15"


def test_a_date_is_labelled_by_month_and_day():
    assert one("is anything due oct 15?").days.label == "Oct 15"


def test_the_weekday_written_before_a_date_belongs_to_it():
    mention = one("what happens on tue oct 20")
    assert (mention.text, mention.days.start.isoformat()) == ("on tue oct 20", "2020-10-20")


@pytest.mark.parametrize(("text", "expected"), [("thursday the 12th", "2020-11-12"),
                                                ("tuesday the 13th", "2020-10-13")])
def test_a_weekday_and_day_of_month_is_the_matching_date_in_the_term(text, expected):
    assert day(text) == expected


def test_a_weekday_and_day_of_month_picks_the_match_nearest_today():
    year = course(*tue_thu("2020-01-07", "2020-12-10"))  # Thursday the 12th: Mar 12 and Nov 12
    assert day("thursday the 12th", now="2020-04-01 09:00", on=year) == "2020-03-12"


def test_the_nth_alone_is_the_coming_one():
    assert day("is it due the 20th?") == "2020-10-20"
    assert day("is it due the 5th?") == "2020-11-05"


def test_a_date_without_a_year_takes_the_course_year():
    assert day("march 3") == "2020-03-03"


@pytest.mark.parametrize(("text", "expected"), [
    ("jan 15", "2025-01-15"), ("dec 10", "2024-12-10"), ("march 1", "2025-03-01"), ("nov 1", "2024-11-01"),
])
def test_a_term_across_new_year_gives_the_year_inside_or_nearest_the_term(text, expected):
    winter = course(*tue_thu("2024-12-03", "2025-02-20"), term="Winter 2024-25")
    assert day(text, now="2025-01-06 09:00", on=winter) == expected


def test_a_written_year_is_kept_and_said():
    mention = one("oct 15 2019")
    assert (mention.days.start.isoformat(), mention.days.label) == ("2019-10-15", "Oct 15, 2019")


@pytest.mark.parametrize("text", ["feb 30", "2/30", "13/45", "2020-02-30", "april 31st", "0/0"])
def test_an_impossible_date_is_ignored(text):
    assert find(text) == []


@pytest.mark.parametrize("text", [
    "is hw 2 graded", "homework 2-3", "class at 4:20", "due at 5pm", "worth 10 points", "cs 396",
    "cs 396/496", "50% of the grade", "10-15 points", "chapters 10-12", "page 10/15", "i got 10/15 on the quiz",
    "1-2 hours", "homework 10 may be late", "this may be wrong", "may i submit late?",
    "the 2nd homework", "10:15", "10.15", "section 2 is at 1-2", "teams of 2-3?", "1/2 of the grade",
])
def test_numbers_that_are_not_dates(text):
    assert find(text) == []


def test_two_dates_are_two_mentions_in_order():
    found = find("oct 1 and oct 3")
    assert [m.text for m in found] == ["oct 1", "oct 3"]


def test_a_session_with_no_date_does_not_disturb_dates():
    mixed = course(session(None, "Notebook 1", week=1), *tue_thu("2020-09-17", "2020-12-10"))
    assert day("oct 15", on=mixed) == "2020-10-15"


def test_a_bare_numeric_date_far_from_the_term_is_not_a_date_but_a_written_year_is():
    assert (find("3-4"), day("3/4/2021")) == ([], "2021-03-04")
