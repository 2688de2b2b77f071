"""Guards: what is declined before anything is looked up (no model)."""

from __future__ import annotations

import pytest
from course_kit import COURSE

from bot.answer.guards import guard


@pytest.mark.parametrize("question", ["what did i get on homework 1", "what grade did i get on hw2",
                                      "how did i do on the pitch", "did i pass", "what's my grade"])
def test_a_students_own_record_is_declined(question):
    reply = guard(COURSE, frozenset(), question)
    assert reply is not None and not reply.answered and "can't see your grades" in reply.text


@pytest.mark.parametrize("question", ["what do i get for the pitch", "what did we cover last class",
                                      "what grade do i get if i score 88"])
def test_questions_about_the_rules_are_not_personal_records(question):
    assert guard(COURSE, frozenset(), question) is None
