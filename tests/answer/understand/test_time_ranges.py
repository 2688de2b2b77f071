"""Ranges between two times, and the relation a word before a time gives it (before, after, by, since, on)."""

from __future__ import annotations

import pytest
from time_kit import find, one, span


@pytest.mark.parametrize(("text", "expected", "label"), [
    ("between oct 10 and oct 31", ("2020-10-10", "2020-10-31"), "Oct 10 – Oct 31"),
    ("from oct 1 to oct 15", ("2020-10-01", "2020-10-15"), "Oct 1 – Oct 15"),
    ("oct 1-15", ("2020-10-01", "2020-10-15"), "Oct 1 – Oct 15"),
    ("oct 1 to 15", ("2020-10-01", "2020-10-15"), "Oct 1 – Oct 15"),
    ("between oct 10 and 31", ("2020-10-10", "2020-10-31"), "Oct 10 – Oct 31"),
    ("oct 1 through nov 3", ("2020-10-01", "2020-11-03"), "Oct 1 – Nov 3"),
    ("10/1 - 10/15", ("2020-10-01", "2020-10-15"), "Oct 1 – Oct 15"),
    ("dec 20 - jan 5", ("2020-12-20", "2021-01-05"), "Dec 20 – Jan 5"),
    ("weeks 3-5", ("2020-09-28", "2020-10-18"), "weeks 3–5"),
    ("weeks 3 to 5", ("2020-09-28", "2020-10-18"), "weeks 3–5"),
    ("between week 2 and week 4", ("2020-09-21", "2020-10-11"), "weeks 2–4"),
    ("between weeks 2 and 4", ("2020-09-21", "2020-10-11"), "weeks 2–4"),
    ("weeks 3 and 4", ("2020-09-28", "2020-10-11"), "weeks 3–4"),
    ("from monday to friday", ("2020-10-12", "2020-10-16"), "Monday – Friday"),
    ("from friday to monday", ("2020-10-16", "2020-10-19"), "Friday – Monday"),
    ("from october to november", ("2020-10-01", "2020-11-30"), "October – November"),
])
def test_a_range_covers_both_ends(text, expected, label):
    mention = one(text)
    assert (span(text), mention.days.label, mention.relation) == (expected, label, "on")


def test_a_range_of_weeks_has_week_grain():
    assert one("weeks 3-5").grain == "week"


def test_a_range_spans_all_its_words():
    assert one("what is due from oct 1 to oct 15?").text == "from oct 1 to oct 15"


def test_two_dates_joined_by_and_are_a_list_not_a_range():
    assert len(find("is anything due oct 1 and oct 3")) == 2


def test_weeks_and_a_far_number_are_not_a_range():
    assert [m.days.label for m in find("weeks 3 and 7")] == ["week 3"]


@pytest.mark.parametrize(("text", "relation", "label"), [
    ("before oct 10", "before", "before Oct 10"),
    ("prior to week 5", "before", "before week 5"),
    ("after thanksgiving", "after", "after Thanksgiving (Thu, Nov 26)"),
    ("by friday", "until", "by Friday"),
    ("no later than friday", "until", "by Friday"),
    ("until tomorrow", "until", "by tomorrow"),
    ("since monday", "since", "since Monday"),
    ("starting next week", "since", "from next week"),
    ("on oct 8", "on", "Oct 8"),
])
def test_a_word_before_a_time_gives_its_relation(text, relation, label):
    mention = one(text)
    assert (mention.text, mention.relation, mention.days.label) == (text, relation, label)


def test_from_before_a_range_is_part_of_it_but_before_is_a_relation():
    assert [(m.relation, m.days.label) for m in find("from oct 1-15, or before weeks 3-5")] == [
        ("on", "Oct 1 – Oct 15"), ("before", "before weeks 3–5")]


def test_a_relation_keeps_the_anchor_days_for_the_planner():
    assert span("what is due before oct 10") == ("2020-10-10", "2020-10-10")


def test_a_relation_is_not_taken_across_another_mention():
    found = find("before oct 1 and oct 3")
    assert [(m.text, m.relation) for m in found] == [("before oct 1", "before"), ("oct 3", "on")]


@pytest.mark.parametrize(("text", "expected"), [
    ("the tuesday before thanksgiving", ("2020-11-24", "2020-11-24")),
    ("the monday after week 5", ("2020-10-19", "2020-10-19")),
    ("the day before thanksgiving", ("2020-11-25", "2020-11-25")),
    ("the day after oct 15", ("2020-10-16", "2020-10-16")),
    ("the week after thanksgiving", ("2020-11-30", "2020-12-06")),
    ("the week before week 5", ("2020-10-05", "2020-10-11")),
])
def test_a_day_weekday_or_week_before_or_after_a_time_is_offset_from_it(text, expected):
    mention = one(text)
    assert (span(text), mention.relation, mention.text) == (expected, "on", text)
