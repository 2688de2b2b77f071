"""Entity linking: names, aliases, initials, kinds, roles and numbers the course lacks (no model)."""

from __future__ import annotations

import course_kit as kit
import pytest
from course_kit import read


def named(question: str) -> dict[str, tuple[str, ...]]:
    return {m.type: m.refs for m in read(question).mentions}


def named_on(question: str, on) -> dict[str, tuple[str, ...]]:
    return {m.type: m.refs for m in read(question, on=on).mentions}


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


def test_this_class_after_a_preposition_is_the_course_not_a_lecture():
    u = read("what is the very first thing due in this class")
    assert [m.text for m in u.mentions if m.type == "course"] == ["this class"]
    assert "session" not in u.features("targets")


def test_a_numbered_label_names_a_deliverable_with_a_longer_title():
    on = kit.course(kit.lecture("2021-02-02", "Graph search", 2,
                                kit.due("HW3 — Network flow in practice", "homework", 10, id="hw3-flow")))
    assert named_on("when is hw3 due", on)["deliverable"] == ("hw3-flow",)
    assert "missing" not in named_on("when is hw3 due", on)


def test_two_names_joined_by_and_are_two_mentions():
    assert [m.refs for m in read("how many days between hw1 and hw2").mentions if m.type == "deliverable"] == [
        ("hw1",), ("hw2",)]
