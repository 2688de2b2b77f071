"""Normalising a chat message: shorthand, typos, stems (dates and weeks: tests/answer/understand/)."""

from __future__ import annotations

import pytest

from bot.answer.text import Speller, content_terms, expand, stem


@pytest.mark.parametrize(("message", "expanded"), [
    ("when is hw2 due??", "when is homework 2 due??"),
    ("HW #3 ddl", "homework 3 deadline"),
    ("wats the late policy", "what is the late policy"),
    ("OH tmrw?", "office hours tomorrow?"),
    ("wen is the proposal due", "when is the proposal due"),
    ("what's a safety submission", "what is a safety submission"),
    ("where's the professor's office", "where is the professor office"),  # 's after a noun is a possessive
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


def test_what_shorthand_expands_to_counts_as_english():
    from bot.answer.text import expansion_words

    assert {"prerequisites", "homework", "tomorrow"} <= expansion_words()


def test_a_prefixed_word_is_not_corrected_to_its_root():
    speller = Speller(["grade", "grading", "submission"], english=["grade"])
    assert speller.correct("how do i request a regrade") == "how do i request a regrade"
