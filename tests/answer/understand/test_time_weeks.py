"""Weeks: the course's own numbered weeks, weeks relative to now, and weeks of a month.

The fixed now is Monday Oct 12, 2020: course week 5 (Oct 12 - 18).
"""

from __future__ import annotations

import pytest
from time_kit import course, find, one, session, span, tue_thu

WEEK_5 = ("2020-10-12", "2020-10-18")


@pytest.mark.parametrize("text", [
    "week 5", "wk 5", "wk5", "week #5", "week # 5", "week number 5", "week no. 5", "week five", "5th week",
    "the fifth week", "the 5th week",
])
def test_a_numbered_week_is_the_course_week(text):
    mention = one(text)
    assert (span(text), mention.grain, mention.days.label) == (WEEK_5, "week", "week 5")


def test_the_nth_week_of_the_term_is_course_week_n():
    assert span("the second week of the term") == ("2020-09-21", "2020-09-27")


@pytest.mark.parametrize("text", ["the last week of the quarter", "the last week of classes", "the final week"])
def test_the_last_week_of_the_term_is_the_last_course_week(text):
    assert span(text) == ("2020-12-07", "2020-12-13")


@pytest.mark.parametrize(("text", "expected", "label"), [
    ("the first 3 weeks", ("2020-09-14", "2020-10-04"), "weeks 1–3"),
    ("the last two weeks of the quarter", ("2020-11-30", "2020-12-13"), "weeks 12–13"),
])
def test_the_first_or_last_n_weeks_of_the_term_are_course_weeks(text, expected, label):
    assert (span(text), one(text).days.label) == (expected, label)


def test_a_week_runs_from_the_monday_of_its_first_session_to_the_sunday_of_its_last():
    odd = course(session("2020-09-21", week=3), session("2020-09-28", week=3), session("2020-10-01", week=4))
    assert span("week 3", on=odd) == ("2020-09-21", "2020-10-04")


def test_week_numbers_are_the_calendars_even_when_a_week_is_skipped():
    skipping = course(session("2020-09-01", week=1), session("2020-09-03", week=1), session("2020-09-15", week=2))
    assert span("week 2", on=skipping) == ("2020-09-14", "2020-09-20")


def test_without_week_numbers_weeks_count_from_the_first_session():
    unnumbered = course(*tue_thu("2020-09-17", "2020-12-10", numbered=False))
    assert span("week 5", on=unnumbered) == WEEK_5


def test_a_week_past_the_calendar_is_counted_on_from_its_last_numbered_week():
    assert span("week 15") == ("2020-12-21", "2020-12-27")


@pytest.mark.parametrize(("text", "expected", "label"), [
    ("this week", WEEK_5, "this week"),
    ("next week", ("2020-10-19", "2020-10-25"), "next week"),
    ("the coming week", ("2020-10-19", "2020-10-25"), "next week"),
    ("last week", ("2020-10-05", "2020-10-11"), "last week"),
    ("the week after next", ("2020-10-26", "2020-11-01"), "the week after next"),
    ("the week before last", ("2020-09-28", "2020-10-04"), "the week before last"),
    ("this weekend", ("2020-10-17", "2020-10-18"), "this weekend"),
    ("over the weekend", ("2020-10-17", "2020-10-18"), "this weekend"),
    ("next weekend", ("2020-10-24", "2020-10-25"), "next weekend"),
])
def test_weeks_relative_to_now_are_monday_to_sunday(text, expected, label):
    mention = one(text)
    assert (span(text), mention.days.label) == (expected, label)


def test_this_weekend_said_on_a_sunday_is_that_weekend():
    assert span("this weekend", now="2020-10-18 12:00") == ("2020-10-17", "2020-10-18")


@pytest.mark.parametrize(("text", "expected"), [
    ("the first week of november", ("2020-11-01", "2020-11-07")),
    ("the second week of october", ("2020-10-08", "2020-10-14")),
    ("the last week of october", ("2020-10-25", "2020-10-31")),
])
def test_a_week_of_a_month_is_its_nth_seven_days(text, expected):
    assert span(text) == expected


def test_the_week_of_a_date_is_the_monday_week_holding_it():
    mention = one("what is due the week of oct 21")
    assert (span("the week of oct 21"), mention.grain) == (("2020-10-19", "2020-10-25"), "week")


def test_week_words_with_no_time_are_not_weeks():
    assert find("how many hours a week should i study") == []
