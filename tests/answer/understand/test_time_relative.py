"""Times relative to now and to the term: today, in 3 days, the next 3 days, so far, the rest of the term.

The fixed now is Monday Oct 12, 2020, 9am Chicago; the term runs Sep 17 - Dec 10.
"""

from __future__ import annotations

import datetime as dt

import pytest
from time_kit import FALL, course, day, find, one, session, span, tue_thu

from bot.answer.understand.times import find_times


@pytest.mark.parametrize(("text", "expected", "label"), [
    ("what is due today", "2020-10-12", "today"),
    ("anything tonight", "2020-10-12", "tonight"),
    ("this afternoon", "2020-10-12", "today"),
    ("what is due tmrw", "2020-10-13", "tomorrow"),
    ("tomorrow night", "2020-10-13", "tomorrow"),
    ("yesterday", "2020-10-11", "yesterday"),
    ("the day after tomorrow", "2020-10-14", "the day after tomorrow"),
    ("the day before yesterday", "2020-10-10", "the day before yesterday"),
    ("in 3 days", "2020-10-15", "in 3 days"),
    ("in two weeks", "2020-10-26", "in two weeks"),
    ("in a week", "2020-10-19", "in a week"),
    ("3 days ago", "2020-10-09", "3 days ago"),
    ("2 weeks from now", "2020-10-26", "2 weeks from now"),
])
def test_a_day_relative_to_today(text, expected, label):
    assert (day(text), one(text).days.label) == (expected, label)


def test_today_is_taken_in_the_course_time_zone():
    utc = dt.datetime(2020, 10, 13, 3, 0, tzinfo=dt.UTC)  # 10pm Monday in Chicago
    assert find_times("today", utc, FALL)[0].days.start == dt.date(2020, 10, 12)


def test_a_naive_now_is_read_as_course_time():
    naive = dt.datetime(2020, 10, 12, 23, 0)  # noqa: DTZ001 - the point of the test
    assert find_times("tomorrow", naive, FALL)[0].days.start == dt.date(2020, 10, 13)


@pytest.mark.parametrize(("text", "expected"), [
    ("the next 3 days", ("2020-10-12", "2020-10-15")),
    ("next 10 days", ("2020-10-12", "2020-10-22")),
    ("coming two weeks", ("2020-10-12", "2020-10-26")),
    ("over the next few days", ("2020-10-12", "2020-10-15")),
    ("within 3 days", ("2020-10-12", "2020-10-15")),
    ("the past 10 days", ("2020-10-02", "2020-10-12")),
    ("the past week", ("2020-10-05", "2020-10-12")),
    ("in the last week", ("2020-10-05", "2020-10-12")),
    ("the last 2 weeks", ("2020-09-28", "2020-10-12")),
])
def test_a_window_runs_from_today(text, expected):
    assert span(text) == expected


@pytest.mark.parametrize("text", ["so far", "until now", "up to now", "to date", "thus far"])
def test_so_far_is_the_term_until_today(text):
    mention = one(text)
    assert (span(text), mention.grain) == (("2020-09-17", "2020-10-12"), "term")


def test_up_to_date_is_not_so_far():
    assert find("is the calendar up to date") == []


def test_so_far_before_the_term_is_its_first_day():
    assert span("so far", now="2020-08-01 09:00") == ("2020-09-17", "2020-09-17")


@pytest.mark.parametrize(("text", "label"), [
    ("the rest of the term", "the rest of the term"), ("for the rest of the quarter", "the rest of the quarter"),
    ("the rest of the semester", "the rest of the semester"), ("from now on", "from now on"),
    ("going forward", "from now on"),
])
def test_the_rest_of_the_term_runs_from_today_to_its_last_day(text, label):
    mention = one(text)
    assert (span(text), mention.grain, mention.days.label) == (("2020-10-12", "2020-12-10"), "term", label)


@pytest.mark.parametrize(("text", "expected"), [
    ("the end of the term", "2020-12-10"), ("the end of the quarter", "2020-12-10"), ("end of semester", "2020-12-10"),
    ("the start of the term", "2020-09-17"), ("the beginning of the quarter", "2020-09-17"),
    ("the first day of class", "2020-09-17"), ("the 1st day of class", "2020-09-17"),
    ("the last day of classes", "2020-12-10"),
])
def test_term_edges_are_its_first_and_last_days(text, expected):
    assert (day(text), one(text).grain) == (expected, "term")


def test_the_first_day_of_class_skips_a_first_session_without_class():
    late = course(session("2024-03-26", "No class", no_class=True), *tue_thu("2024-03-28", "2024-06-04"))
    assert (day("the first day of class", on=late), day("the start of the term", on=late)) == ("2024-03-28",
                                                                                             "2024-03-26")


def test_this_quarter_is_the_whole_term():
    assert span("what is due this quarter") == ("2020-09-17", "2020-12-10")


@pytest.mark.parametrize("text", ["now", "right now", "currently", "at the moment"])
def test_now_is_a_moment_today(text):
    mention = one(text)
    assert (mention.grain, mention.days.start) == ("moment", dt.date(2020, 10, 12))


@pytest.mark.parametrize("text", ["i know the nowcast is monotonous", "when is the last day to drop",
                                  "how many late days do i have", "what is the late policy", "a day late"])
def test_words_near_time_words_are_not_times(text):
    assert find(text) == []
