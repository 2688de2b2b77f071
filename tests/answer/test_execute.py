"""Queries run over the course: filters, orders and operations, as pure functions (no model)."""

from __future__ import annotations

import datetime as dt

import pytest
from course_kit import NOW, TABLES

from bot.answer.execute import execute
from bot.answer.query import Anchor, Query
from bot.answer.understand.times import Days


def ids(query: Query, now: dt.datetime = NOW) -> list[str]:
    return [r.id for r in execute(query, TABLES, now).rows]


def value(query: Query, now: dt.datetime = NOW) -> object:
    return execute(query, TABLES, now).value


FEBRUARY = Days(dt.date(2021, 2, 1), dt.date(2021, 2, 28), "in February")
HOMEWORK = ("hw1", "hw2", "hw3")


def test_list_filters_by_days_and_orders_by_date():
    march = Days(dt.date(2021, 3, 1), dt.date(2021, 3, 31), "in March")
    assert ids(Query("deliverable", "list", days=march)) == ["final"]


def test_count_total_and_extremes_over_a_kind():
    assert value(Query("deliverable", "count", refs=HOMEWORK)) == 3
    assert value(Query("deliverable", "sum", ("points",), refs=HOMEWORK)) == 40
    assert ids(Query("deliverable", "max", ("points",), refs=HOMEWORK)) == ["hw2", "hw3"]  # a tie keeps both
    assert ids(Query("deliverable", "min", ("points",))) == ["rr-1", "rr-2"]


@pytest.mark.parametrize(("nth", "expected"), [(1, "hw1"), (2, "hw2"), (-1, "hw3")])
def test_nth_counts_in_date_order(nth, expected):
    assert ids(Query("deliverable", "nth", refs=HOMEWORK, nth=nth)) == [expected]


def test_next_is_from_now_and_keeps_what_is_due_together():
    assert ids(Query("deliverable", "next")) == ["hw1"]
    feb_10 = dt.datetime(2021, 2, 10, 12, tzinfo=NOW.tzinfo)
    assert ids(Query("deliverable", "next"), feb_10) == ["hw2", "pitch"]


def test_previous_is_the_last_before_now():
    feb_10 = dt.datetime(2021, 2, 10, 12, tzinfo=NOW.tzinfo)
    assert ids(Query("deliverable", "previous"), feb_10) == ["rr-1"]


def test_an_anchor_filters_relative_to_another_event():
    pitch = Anchor("same_day", (dt.date(2021, 2, 11),), "the Project pitch", refs=("pitch",))
    assert ids(Query("deliverable", "list", anchor=pitch)) == ["hw2"]  # the anchor itself is left out
    after = Anchor("after", (dt.date(2021, 2, 11),), "the Project pitch", refs=("pitch",))
    assert ids(Query("deliverable", "next", anchor=after)) == ["rr-2"]
    week_after = Anchor("week_after", (dt.date(2021, 2, 2),), "Homework 1", refs=("hw1",))
    assert ids(Query("deliverable", "list", anchor=week_after)) == ["hw2", "pitch"]


def test_exists_is_false_on_a_day_with_nothing_and_on_a_holiday():
    thursday = Days(dt.date(2021, 2, 18), dt.date(2021, 2, 18), "Thursday")
    assert value(Query("deliverable", "exists", days=thursday)) is False
    holiday = Days(dt.date(2021, 2, 9), dt.date(2021, 2, 9), "Feb 9")
    result = execute(Query("session", "exists", days=holiday), TABLES, NOW)
    assert result.value is False and [r.no_class for r in result.rows] == [True]


def test_compare_names_the_winner_or_none_for_a_tie():
    assert execute(Query("deliverable", "compare", ("points",), pair=(("hw1",), ("pitch",))), TABLES, NOW).value.id \
        == "hw1"
    assert value(Query("deliverable", "compare", ("points",), pair=(("hw2",), ("hw3",)))) is None


def test_countdown_is_days_from_today():
    assert value(Query("deliverable", "countdown", refs=("final",))) == 31


def test_office_hours_repeat_weekly_so_a_day_means_its_weekday():
    wednesday = Days(dt.date(2021, 2, 3), dt.date(2021, 2, 3), "Wednesday")
    assert [r.person for r in execute(Query("slot", "list", days=wednesday), TABLES, NOW).rows] == ["Alan Turing"]


def test_what_is_still_ahead():
    feb_12 = dt.datetime(2021, 2, 12, 9, tzinfo=NOW.tzinfo)
    assert ids(Query("deliverable", "list", refs=HOMEWORK, upcoming=True), feb_12) == ["hw3"]


def test_days_outside_the_term_say_so():
    summer = Days(dt.date(2021, 7, 1), dt.date(2021, 7, 31), "in July")
    assert execute(Query("deliverable", "list", days=summer), TABLES, NOW).outside_term == "after"
