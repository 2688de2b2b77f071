"""Properties over odd input: never raise, spans slice the text, mentions are ordered and apart, and fast."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from time_kit import FALL, MONDAY, at, course, fall, session

from bot.answer.text import expand
from bot.answer.understand.times import find_times

WORDS = [
    "oct", "october", "15", "15th", "the", "of", "/", "-", "–", "2020", "week", "weeks", "#", "5", "five", "fifth",
    "next", "last", "this", "thursday", "thursdays", "tue", "sat", "every", "on", "a", "in", "between", "and",
    "from", "to", "through", "before", "after", "by", "since", "until", "now", "so", "far", "today", "tomorrow",
    "day", "days", "3", "12", "31", "99", "0", "feb", "30", "may", "end", "early", "late", "mid", "thanksgiving",
    "break", "holiday", "finals", "election", "vote", "we", "rest", "term", "quarter", "weekend", "month", "ago",
    "few", ",", ".", "?", ":", "%", "4:20", "5pm", "points", "homework", "cs", "396", "first", "of class",
    "the day after", "year",
]
NOWS = st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2060, 1, 1),  # noqa: DTZ001
                    timezones=st.just(dt.UTC))
EMPTYISH = course(session(None, "Notebook 1", week=1))  # no dated session at all
NAMED = fall(session("2020-11-03", "Election Day", no_class=True, aliases=("Vote Day", "the day we vote")))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=14).map(" ".join), NOWS)
def test_date_words_in_any_order_never_raise_and_spans_slice_the_text(text, now):
    for on in (FALL, EMPTYISH, NAMED):
        found = find_times(text, now, on)
        assert all(text[m.start:m.end] == m.text for m in found)
        assert all(a.end <= b.start for a, b in zip(found, found[1:], strict=False))
        assert all(m.days is None or m.days.start <= m.days.end for m in found)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_any_text_never_raises(text):
    found = find_times(expand(text), at(MONDAY), FALL)
    assert all(m.start < m.end for m in found)


def test_a_recurring_weekday_is_the_only_mention_without_days():
    found = find_times("every tuesday and oct 15 and next week", at(MONDAY), FALL)
    assert [m.grain for m in found if m.days is None] == ["weekday"]


def test_a_ten_thousand_character_input_is_fast():
    text = ("what is due between oct 10 and oct 31 or week 5 before thanksgiving 10 / 15 the 3rd " * 120)[:10_000]
    start = time.perf_counter()
    find_times(text, at(MONDAY), FALL)
    assert time.perf_counter() - start < 0.5


@pytest.mark.parametrize("text", [
    "1 - " * 2500, "week " * 2000, "tue, " * 2000, "the day after " * 700,
    *(word + " " * 5000 + "x" for word in ("oct 15", "october", "15 oct", "week", "thursday", "mid", "from oct 1")),
])
def test_a_pathological_input_is_fast(text):
    start = time.perf_counter()
    find_times(text, at(MONDAY), FALL)
    assert time.perf_counter() - start < 0.5


def test_a_typical_question_takes_well_under_a_millisecond():
    text = expand("hey, what's due next week? is hw 3 due before thanksgiving or on tue oct 20?")
    find_times(text, at(MONDAY), FALL)
    runs = 200
    start = time.perf_counter()
    for _ in range(runs):
        find_times(text, at(MONDAY), FALL)
    assert (time.perf_counter() - start) / runs < 0.001
