"""The loaded Course: deliverables with stable ids, dated sessions, the next class."""

from __future__ import annotations

import datetime as dt


def test_deliverables_get_stable_ids_in_due_order(course):
    ids = [d.id for d in course.deliverables]
    assert ids[:3] == ["readings-1", "readings-2", "homework-1"] and len(ids) == len(set(ids)) == 11


def test_dated_sessions_are_in_date_order_and_bound_the_term(course):
    days = [s.date for s in course.dated_sessions]
    assert days == sorted(d for d in (s.date for s in course.sessions) if d is not None)
    assert (course.first_day, course.last_day) == (days[0], days[-1])


def test_next_class_is_the_first_one_not_yet_started(course):
    before = course.next_class(dt.datetime.fromisoformat("2020-10-20T16:19-05:00"))
    after = course.next_class(dt.datetime.fromisoformat("2020-10-20T16:21-05:00"))
    assert before is not None and before.date == dt.date(2020, 10, 20)  # class starts at 16:20
    assert after is not None and after.date == dt.date(2020, 10, 22)
    assert course.next_class(dt.datetime.fromisoformat("2021-01-01T00:00-06:00")) is None
