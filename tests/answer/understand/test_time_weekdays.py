"""Weekdays: the coming one, next / last, and recurring weekdays with no particular date.

The fixed now is Monday Oct 12, 2020 unless a test says otherwise.
"""

from __future__ import annotations

import pytest
from time_kit import day, find, one

MON, TUE, WED, THU, FRI, SAT = (f"2020-10-{d} 09:00" for d in (12, 13, 14, 15, 16, 17))


@pytest.mark.parametrize(("text", "now", "expected"), [
    ("on thursday", MON, "2020-10-15"),
    ("thursday", THU, "2020-10-15"),
    ("this thursday", MON, "2020-10-15"),
    ("this thursday", FRI, "2020-10-22"),
    ("monday", MON, "2020-10-12"),
    ("thurs", MON, "2020-10-15"),
    ("tues", WED, "2020-10-20"),
])
def test_a_weekday_is_the_coming_one_today_included(text, now, expected):
    assert day(text, now=now) == expected


@pytest.mark.parametrize(("now", "expected"), [(MON, "2020-10-13"), (TUE, "2020-10-20"), (WED, "2020-10-20")])
def test_next_weekday_is_the_first_one_after_today(now, expected):
    assert day("next tuesday", now=now) == expected


@pytest.mark.parametrize(("now", "expected"), [(MON, "2020-10-09"), (FRI, "2020-10-09"), (SAT, "2020-10-16")])
def test_last_weekday_is_the_one_before_today(now, expected):
    assert day("last friday", now=now) == expected


@pytest.mark.parametrize(("text", "label"), [("thursday", "Thursday"), ("next tuesday", "next Tuesday"),
                                             ("last friday", "last Friday")])
def test_a_weekday_is_labelled_by_name(text, label):
    assert one(text).days.label == label


@pytest.mark.parametrize(("text", "weekday"), [
    ("thursdays", 3), ("on thursdays", 3), ("on a thursday", 3), ("every tuesday", 1), ("each wednesday", 2),
    ("every single friday", 4),
])
def test_a_recurring_weekday_has_no_date(text, weekday):
    mention = one(text)
    assert (mention.grain, mention.days, mention.weekdays) == ("weekday", None, frozenset({weekday}))


def test_a_list_of_recurring_weekdays_is_one_mention():
    mention = one("is there class on tuesdays and thursdays")
    assert (mention.text, mention.weekdays) == ("on tuesdays and thursdays", frozenset({1, 3}))


@pytest.mark.parametrize("text", ["i sat the quiz", "the sun was out", "we wed", "mon ami"])
def test_a_weekday_abbreviation_that_is_a_word_needs_a_time_word_before_it(text):
    assert find(text) == []


def test_a_weekday_abbreviation_after_a_time_word_is_the_day():
    assert day("due by sat?") == "2020-10-17"
