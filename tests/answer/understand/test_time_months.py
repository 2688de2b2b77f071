"""Months: a whole month, its early / middle / late part, and this / next / last month."""

from __future__ import annotations

import pytest
from time_kit import find, one, span


@pytest.mark.parametrize(("text", "expected"), [
    ("what is due in november", ("2020-11-01", "2020-11-30")),
    ("during october", ("2020-10-01", "2020-10-31")),
    ("november", ("2020-11-01", "2020-11-30")),
    ("anything due in nov?", ("2020-11-01", "2020-11-30")),
    ("in may", ("2020-05-01", "2020-05-31")),
    ("november 2019", ("2019-11-01", "2019-11-30")),
    ("this month", ("2020-10-01", "2020-10-31")),
    ("next month", ("2020-11-01", "2020-11-30")),
    ("last month", ("2020-09-01", "2020-09-30")),
])
def test_a_month_is_all_its_days(text, expected):
    assert span(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("end of october", ("2020-10-22", "2020-10-31")),
    ("by the end of october", ("2020-10-22", "2020-10-31")),
    ("late october", ("2020-10-22", "2020-10-31")),
    ("late november", ("2020-11-21", "2020-11-30")),
    ("early november", ("2020-11-01", "2020-11-10")),
    ("the beginning of november", ("2020-11-01", "2020-11-10")),
    ("mid-october", ("2020-10-11", "2020-10-20")),
])
def test_part_of_a_month_is_about_ten_days(text, expected):
    assert span(text) == expected


def test_a_month_has_month_grain_and_says_in():
    mention = one("in november")
    assert (mention.grain, mention.days.label) == ("month", "in November")


@pytest.mark.parametrize(("text", "label"), [("late october", "late October"), ("early november", "early November"),
                                             ("the end of october", "the end of October")])
def test_part_of_a_month_is_labelled_as_said(text, label):
    assert one(text).days.label == label


@pytest.mark.parametrize("text", ["may i ask a question", "you may submit twice", "oct", "what is dec"])
def test_a_short_or_ambiguous_month_name_alone_is_not_a_month(text):
    assert find(text) == []


def test_a_month_abbreviation_after_a_time_word_is_the_month():
    assert span("is it due by dec?") == ("2020-12-01", "2020-12-31")
