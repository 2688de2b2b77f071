"""Messages that ask several things, and context sentences that ask nothing."""

from __future__ import annotations

import pytest

from bot.answer.understand.clauses import clauses, resolve_pronoun


@pytest.mark.parametrize(("message", "parts"), [
    ("when is hw2 due and how many points is it", ["when is hw2 due", "how many points is it"]),
    ("when's hw2 due + what's the lecture that day", ["when's hw2 due", "what's the lecture that day"]),
    ("is there class this week? when does it start", ["is there class this week", "when does it start"]),
])
def test_a_message_asking_two_things_is_two_questions(message, parts):
    assert clauses(message) == parts


@pytest.mark.parametrize("message", ["what is due between oct 1 and oct 15", "is hw1 and hw2 due the same day",
                                     "readings on rnns and lstms"])
def test_and_inside_one_question_does_not_split_it(message):
    assert clauses(message) == [message]


def test_a_sentence_that_asks_nothing_is_context():
    assert clauses("Are the lectures recorded? I missed Tuesday's class.") == ["Are the lectures recorded"]


def test_a_later_clause_borrows_what_the_first_named():
    assert resolve_pronoun("how many points is it", "homework 2") == "how many points is homework 2"
    assert resolve_pronoun("what's the lecture that day", "hw2") == "what's the lecture the same day as hw2"
