"""Declining on evidence: missing things, words the course never uses, absent attributes (no model)."""

from __future__ import annotations

from course_kit import COURSE, read

from bot.answer import evidence
from bot.answer.model import Reply

COURSE_WORDS = frozenset(["homework", "reading", "project", "graph", "search", "algorithms", "late", "collaboration"])
ENGLISH = frozenset(["attendance", "mandatory", "parking", "weather", "roommate", "together", "lecture"])


def test_a_numbered_thing_the_course_lacks_is_declined_with_what_exists():
    reply = evidence.missing_named(read("when is homework 4 due"), COURSE)
    assert reply is not None and not reply.answered and "Homework 1 (Tue, Feb 2)" in reply.text


def test_asked_as_yes_no_the_answer_is_no():
    reply = evidence.missing_named(read("is there a homework 4?"), COURSE)
    assert reply is not None and reply.answered and reply.text.startswith("No — there is no homework 4")


def test_a_kind_the_course_has_none_of_is_declined():
    reply = evidence.missing_class(read("what room is the midterm in"), COURSE)
    assert reply is not None and not reply.answered and "no exams" in reply.text


def test_words_the_course_never_uses_are_found_and_filler_is_not():
    words = evidence.unexplained(read("yo is attendance mandatory lol"))
    assert evidence.unknown(words, COURSE_WORDS, ENGLISH) == ["attendance", "mandatory"]
    assert evidence.unknown(evidence.unexplained(read("can my roommate and i do hw1")), COURSE_WORDS, ENGLISH) == []


def test_an_asked_value_must_be_in_the_evidence():
    assert evidence.lacks_value("price", Reply("The textbook is the Deep Learning book."))
    assert not evidence.lacks_value("price", Reply("The book costs $45 used."))
    assert evidence.lacks_value("room", Reply("The lab has 22 machines."))


def test_the_last_content_word_of_a_yes_no_question_is_its_predicate():
    assert evidence.is_predicate(read("are the lectures recorded"), "recorded")
    assert not evidence.is_predicate(read("when are lectures recorded"), "recorded")


def test_the_course_pages_own_count_is_found():
    assert evidence.stated_count(COURSE, ("lectures",)) is None


def test_grammar_words_and_light_verbs_are_not_evidence_of_a_missing_topic():
    words = evidence.unexplained(read("am i supposed to do both homeworks alone or can we pick partners"))
    assert evidence.unknown(words, COURSE_WORDS, ENGLISH | {"supposed", "both", "alone", "pick"}) == []


def test_the_letter_grade_words_the_reader_adds_are_not_unknown():
    words = evidence.unexplained(read("is a 90 an A"))
    assert evidence.unknown(words, COURSE_WORDS, ENGLISH | {"letter"}) == []


def test_a_count_of_something_the_entry_gives_no_number_of_is_unstated():
    text = Reply("Final projects are group work; all members share a grade.", ())
    assert evidence.unstated(read("how many people can be in a project group"), COURSE, text) == "how many people"
    stated = Reply("Projects are done in groups of 2-3 people.", ())
    assert evidence.unstated(read("how many people can be in a project group"), COURSE, stated) == ""


def test_how_many_days_is_a_span_of_the_calendar_not_a_count_of_a_missing_thing():
    assert evidence.count_object(read("how many days until the pitch")) is None


def test_what_a_named_deliverable_is_about_needs_a_text_that_names_it():
    general = Reply("Homework is solo work and must be original.", ())
    assert evidence.unstated(read("what is homework 1 actually about"), COURSE, general) == "what homework 1 is about"
    specific = Reply("Homework 1 is about graph search on grids.", ())
    assert evidence.unstated(read("what is homework 1 actually about"), COURSE, specific) == ""


def test_a_page_count_of_a_named_deliverable_needs_a_text_that_names_it():
    rule = Reply("Each reading response is a single-page reaction.", ())
    assert evidence.unstated(read("how many pages does the final project need to be"), COURSE, rule) == \
        "how long final project should be"


def test_a_long_word_the_vocabulary_lacks_is_a_word_unless_it_is_a_typo_or_a_compound():
    vocabulary = frozenset({"tomorrow", "time", "zone", "grade", "wait", "because"})
    assert evidence.is_word("regrades", vocabulary)
    assert not evidence.is_word("tommorow", vocabulary)  # one letter from "tomorrow"
    assert not evidence.is_word("timezone", vocabulary)  # the course may write "time zone"


def test_a_calendar_line_does_not_say_what_a_deliverable_is_about():
    line = Reply("Homework 2 is due Thu, Feb 11 — 15 points.", ())
    assert evidence.unstated(read("what is on homework 2"), COURSE, line, "deliverable") == "what homework 2 is about"
