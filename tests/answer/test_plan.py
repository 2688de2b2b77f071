"""Planning: which form a question fills and how its slots become a Query. The embedding similarity is
given as zeros, so the explicit word features and the slots decide (no model)."""

from __future__ import annotations

import numpy as np
from course_kit import COURSE, TABLES, read

from bot.answer.forms import course_forms, phrasings
from bot.answer.plan import plan

FORMS = course_forms(COURSE)
OWNERS = [n for n, _ in phrasings(FORMS)]


def planned(question: str, favour: str | None = None):
    """The plan, with the form named ``favour`` (if any) given the highest embedding similarity."""
    sims = np.array([0.5 if favour and FORMS[o].key == favour else 0.0 for o in OWNERS])
    chosen = plan(read(question), sims, FORMS, OWNERS, TABLES)
    assert chosen is not None
    return chosen


def test_a_count_question_plans_a_count_of_the_kind():
    q = planned("how many homeworks are there").query
    assert (q.target, q.operation, q.refs) == ("deliverable", "count", ("hw1", "hw2", "hw3"))


def test_a_total_is_a_sum_of_points():
    q = planned("how many points are the homeworks worth in total").query
    assert (q.operation, q.projection[:1]) == ("sum", ("points",))


def test_opposites_come_from_the_words_not_the_embedding():
    assert planned("which homework is worth the least", favour="due.max").query.operation == "min"


def test_an_anchor_comes_from_a_relation_word_and_is_not_a_row():
    q = planned("what's due the week after hw1", favour="due.list.time").query
    assert q.anchor is not None and (q.anchor.relation, q.anchor.refs) == ("week_after", ("hw1",))


def test_right_after_a_thing_is_the_next_one_not_every_later_one():
    assert planned("what's due right after the pitch", favour="due.list.time").query.operation == "next"


def test_a_form_whose_slots_the_question_cannot_fill_is_never_chosen():
    assert planned("how many homeworks are there", favour="due.compare").form.key != "due.compare"


def test_a_yes_no_comparison_records_its_claim():
    q = planned("is hw1 worth more than the pitch", favour="due.compare").query
    assert (q.operation, q.pair, q.claim) == ("compare", (("hw1",), ("pitch",)), "more")


def test_the_form_nth_default_reads_course_start():
    q = planned("when does the course start", favour="class.start").query
    assert (q.target, q.operation, q.nth) == ("session", "nth", 1)


def test_days_between_two_things_compares_their_dates():
    q = planned("how many days between hw1 and hw2").query
    assert (q.operation, q.projection[:1], q.pair) == ("compare", ("date",), (("hw1",), ("hw2",)))


def test_a_deadline_is_compared_with_a_lecture_by_date():
    q = planned("is hw1 due before or after the network flow lecture", favour="due.compare.date").query
    assert (q.operation, q.pair) == ("compare", (("hw1",), ("2021-02-16",)))
    assert q.claim is None  # "before or after" asks which; it claims neither


def test_what_week_is_it_asks_about_the_week_of_now():
    q = planned("what week is it", favour="class.week.now").query
    assert q.days is not None and (q.days.start.isoformat(), q.days.end.isoformat()) == ("2021-02-01", "2021-02-07")


def test_a_week_question_that_names_a_thing_is_not_about_now():
    assert planned("what week is hw2 due", favour="class.week.now").form.key != "class.week.now"


def test_the_parts_of_a_named_deliverable_are_every_deliverable_of_its_kind():
    q = planned("when are all the final project deadlines due", favour="due.list.kind").query
    assert set(q.refs or ()) == {"pitch", "final"}
    assert planned("when is the final project due", favour="due.date").query.refs == ("final",)
