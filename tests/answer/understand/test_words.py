"""The words that shape a question: operations, attributes, targets, relations, yes/no (no model)."""

from __future__ import annotations

import pytest
from course_kit import read


@pytest.mark.parametrize(("question", "operation"), [
    ("how many homeworks are there", "count"),
    ("how many points are the homeworks worth in total", "sum"),
    ("which assignment is worth the most", "max"),
    ("smallest deliverable?", "min"),
    ("how many days until hw3", "countdown"),
    ("is hw2 worth more than the pitch", "compare"),
    ("what's still due", "future"),
])
def test_operation_cues(question, operation):
    assert operation in read(question).features("ops")


def test_how_many_points_is_an_attribute_not_a_count():
    u = read("how many points is hw1")
    assert "points" in u.features("attrs") and "count" not in u.features("ops")


def test_how_long_until_is_a_countdown_not_a_length():
    u = read("how long until the final project")
    assert "countdown" in u.features("ops") and "length" not in u.features("attrs")


def test_words_inside_a_name_are_not_cues():
    assert read("when is the final project due").ordinals == ()  # "final" is part of the name


def test_idioms_are_not_cues():
    assert "next" not in read("which readings have a star next to them").features("ops")


@pytest.mark.parametrize(("question", "relation"), [
    ("what's due after the pitch", "after"), ("what lecture is the same day as hw1", "same_day"),
    ("what's due the week after hw1", "week_after"),
])
def test_relations(question, relation):
    assert relation in {c.feature for c in read(question).relations}


@pytest.mark.parametrize(("question", "yes_no"), [
    ("is anything due friday", True), ("hey, do we have class thursday", True), ("when is hw1 due", False),
])
def test_yes_no_questions(question, yes_no):
    assert read(question).yes_no is yes_no


def test_a_final_about_asks_for_a_topic():
    assert "topic" in read("what is homework 1 about").features("attrs")
