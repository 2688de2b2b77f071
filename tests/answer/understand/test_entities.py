"""Entity linking: names, aliases, initials, kinds, roles and numbers the course lacks (no model)."""

from __future__ import annotations

import pytest
from course_kit import read


def named(question: str) -> dict[str, tuple[str, ...]]:
    return {m.type: m.refs for m in read(question).mentions}


@pytest.mark.parametrize(("question", "kind", "refs"), [
    ("when is hw2 due", "deliverable", ("hw2",)),
    ("homework 1 points?", "deliverable", ("hw1",)),
    ("when's the pitch due", "deliverable", ("pitch",)),  # an alias the instructor wrote
    ("is the final project worth a lot", "deliverable", ("final",)),
    ("when do we do dp", "session", ("2021-01-28",)),  # an alias
    ("what day is the network flow lecture", "session", ("2021-02-16",)),
    ("when are alan's office hours", "staff", ("Alan Turing",)),
    ("who wrote the dijkstra paper", "reading", ("0:0",)),
])
def test_a_thing_is_found_by_its_name_alias_or_part_of_it(question, kind, refs):
    assert named(question)[kind] == refs


def test_a_kind_word_names_every_deliverable_of_that_kind():
    assert named("how many homeworks are there")["kind"] == ("hw1", "hw2", "hw3")


def test_a_role_names_the_staff_who_hold_it():
    assert named("who are the TAs")["role"] == ("Alan Turing",)


def test_a_number_the_course_lacks_is_a_missing_mention_listing_what_exists():
    mention = next(m for m in read("when is homework 4 due").mentions if m.type == "missing")
    assert (mention.text, mention.refs) == ("homework 4", ("hw1", "hw2", "hw3"))


def test_numbers_must_agree():
    assert named("hw 3 deadline")["deliverable"] == ("hw3",)
    assert "deliverable" not in named("homework 7")


def test_a_number_does_not_start_a_name():
    assert named("which is first, hw2 or reading response")["deliverable"] != ("rr-1", "rr-2")[:1]


def test_cue_words_alone_name_nothing():
    assert named("what is due this week") == {}


def test_a_verb_is_not_a_noun_that_stems_the_same():
    assert "deliverable" not in named("what should i read first")
