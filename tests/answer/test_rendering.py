"""Rendering: the computed fact first, then only the rows that support it, with refs (no model)."""

from __future__ import annotations

import datetime as dt

from course_kit import COURSE, NOW, TABLES

from bot.answer.execute import execute
from bot.answer.query import Query
from bot.answer.rendering import render
from bot.answer.understand.times import Days


def said(query: Query) -> str:
    return render(execute(query, TABLES, NOW), COURSE, NOW).text


def test_a_count_states_the_number_first():
    text = said(Query("deliverable", "count", refs=("hw1", "hw2", "hw3"), kind_label="homeworks"))
    assert text.startswith("There are **3** homeworks") and "Final project" not in text


def test_a_total_states_the_sum_and_its_parts():
    assert said(Query("deliverable", "sum", ("points",), refs=("hw1", "hw2", "hw3"))).count("40 points") == 1


def test_a_yes_no_with_nothing_says_no_and_what_comes_next():
    thursday = Days(dt.date(2021, 2, 18), dt.date(2021, 2, 18), "on Thursday")
    text = said(Query("deliverable", "exists", days=thursday))
    assert text.startswith("No — nothing is due on Thursday") and "Homework 3" in text


def test_a_comparison_answers_yes_or_no_to_its_claim():
    text = said(Query("deliverable", "compare", ("points",), pair=(("pitch",), ("hw1",)), claim="more"))
    assert text.startswith("No — **Homework 1** (10 points) is worth more than **Project pitch** (5 points)")


def test_refs_name_the_rows_stated():
    reply = render(execute(Query("deliverable", "list", refs=("hw2",)), TABLES, NOW), COURSE, NOW)
    assert reply.refs == ("deliverable:hw2",)


def test_a_range_outside_the_term_says_the_course_ended():
    july = Days(dt.date(2021, 7, 1), dt.date(2021, 7, 31), "in July")
    assert "the course ended on" in said(Query("deliverable", "list", days=july))


def test_a_named_thing_not_due_when_asked_says_no_and_when_it_is():
    text = said(Query("deliverable", "exists", refs=("hw1", "hw3"), weekdays=frozenset({3})))  # on a Thursday?
    assert text.startswith("No — not on a Thursday but on a Tuesday:") and "Feb 2" in text and "Feb 23" in text


def test_an_anchor_is_said_with_its_relation_and_day():
    from bot.answer.query import Anchor

    week_of_hw1 = Anchor("same_week", (dt.date(2021, 2, 2),), "Homework 1 (Tue, Feb 2)", refs=("hw1",))
    text = said(Query("deliverable", "exists", refs=("hw3",), anchor=week_of_hw1))
    assert text.startswith("No — not the same week as Homework 1 (Tue, Feb 2):") and "Homework 3" in text


def test_office_hours_in_a_list_have_one_bullet_each():
    text = said(Query("slot", "list", refs=("Alan Turing",)))
    assert "• Wednesdays" in text and "• •" not in text


def test_the_week_of_now_is_said_as_its_number_first():
    this_week = Days(dt.date(2021, 2, 1), dt.date(2021, 2, 7), "this week")
    text = said(Query("session", "lookup", ("week",), days=this_week))
    assert text.startswith("This is **week 2** of the term.") and "Graph search" in text
