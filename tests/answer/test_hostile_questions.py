"""Questions found by bench/robustness.py's hostile family (issue 11) that broke the engine."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from bot.answer.understand.entities import Mention, _resolve

OCT_19 = dt.datetime.fromisoformat("2020-10-19T09:00-05:00")


def test_a_lone_surrogate_is_answered_and_the_answer_is_encodable(engine):
    """A str holding '\\ud800' reached the tokenizer: TypeError (TextEncodeInput must be ...)."""
    answer = engine.answer("\ud800 when is hw2 due", OCT_19)
    assert "Homework 2" in answer.answer
    answer.answer.encode("utf-8")
    answer.q.encode("utf-8")  # stored in the feedback database as it is


@pytest.mark.parametrize("question", ["what's due the day after 9999-12-31?", "what's due before 0001-01-01?"])
def test_a_day_at_the_end_of_the_calendar_is_not_an_overflow(engine, question):
    """'after 9999-12-31' added a day past date.max: OverflowError: date value out of range."""
    assert engine.answer(question, OCT_19).answer


def test_resolving_many_mentions_is_linear():
    """'homework ' * 10,000 took 27 s in _resolve: every mention was compared with every kept one."""
    found = [Mention(kind, ("hw",), i, i, 9 * i, 9 * i + 8, "homework") for i in range(20_000)
             for kind in ("deliverable", "kind")]
    started = time.perf_counter()
    kept = _resolve(found)
    assert time.perf_counter() - started < 2.0
    assert len(kept) == 20_000 and {m.type for m in kept} == {"deliverable"}
