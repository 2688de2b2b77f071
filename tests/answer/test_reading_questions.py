"""Pure pieces of reading a chat message: shorthand, typos, dates, weeks, relative days."""

from __future__ import annotations

import datetime as dt

import pytest
from bot.answer.when import class_ordinal, explicit_dates, relative_span, week_number

from bot.answer.text import Speller, content_terms, expand, stem

MONDAY = dt.date(2020, 10, 19)


@pytest.mark.parametrize(("message", "expanded"), [
    ("when is hw2 due??", "when is homework 2 due??"),
    ("HW #3 ddl", "homework 3 deadline"),
    ("wats the late policy", "what is the late policy"),
    ("OH tmrw?", "office hours tomorrow?"),
    ("what's a safety submission", "what is a safety submission"),
])
def test_chat_shorthand_is_expanded(message, expanded):
    assert expand(message) == expanded


def test_letter_grades_are_marked():
    assert "letter grade" in expand("what score do i need to get an A")
    assert "letter grade" not in expand("what is a safety submission")


def test_typos_are_fixed_only_toward_course_words():
    speller = Speller(["proposal", "transformers", "backpropagation"], english=["weather"])
    assert speller.correct("when is the propsal due") == "when is the proposal due"
    assert speller.correct("backpropag and transfomers") == "backpropagation and transformers"
    assert speller.correct("weather") == "weather"


def test_stemming_meets_plural_and_tense():
    assert stem("readings") == stem("reading") == "read"
    assert stem("starred") == "star" and stem("classes") == "class"
    assert "homework#4" in content_terms("which reading is homework 4 based on")


@pytest.mark.parametrize(("text", "day"), [
    ("what are we covering on oct 15", dt.date(2020, 10, 15)),
    ("class on october 15th?", dt.date(2020, 10, 15)),
    ("15 oct", dt.date(2020, 10, 15)),
    ("10/15", dt.date(2020, 10, 15)),
    ("2020-10-15", dt.date(2020, 10, 15)),
])
def test_written_dates(text, day):
    assert explicit_dates(text, 2020) == [day]


def test_impossible_dates_are_ignored():
    assert explicit_dates("feb 30", 2020) == []


@pytest.mark.parametrize(("text", "week"), [("week 5", 5), ("wk 5", 5), ("5th week", 5), ("the last week", 13)])
def test_week_numbers(text, week):
    assert week_number(expand(text), last_week=13) == week


@pytest.mark.parametrize(("text", "start", "end"), [
    ("today", MONDAY, MONDAY),
    ("tomorrow", dt.date(2020, 10, 20), dt.date(2020, 10, 20)),
    ("this week", MONDAY, dt.date(2020, 10, 25)),
    ("next week", dt.date(2020, 10, 26), dt.date(2020, 11, 1)),
    ("on thursday", dt.date(2020, 10, 22), dt.date(2020, 10, 22)),
])
def test_relative_spans(text, start, end):
    span = relative_span(text, MONDAY)
    assert span is not None and (span.start, span.end) == (start, end)


def test_words_that_merely_contain_weekdays_are_not_days():
    assert relative_span("what month is it", MONDAY) is None
    assert relative_span("my friend asked", MONDAY) is None


def test_class_ordinals():
    assert class_ordinal("what's the first lecture about") == 1
    assert class_ordinal("first day of class?") == 1
    assert class_ordinal("when does the course end") == -1
    assert class_ordinal("first reading") is None
