"""Answerable units: one or more for every knowledge entry, with unique keys and known kinds."""

from __future__ import annotations

from typing import get_args

from bot.index.units import UnitKind, build_units


def test_every_entry_has_a_unit_pointing_back_to_it(course):
    units = build_units(course)
    refs = {(u.kind, u.ref) for u in units}
    assert {("policy", p.id) for p in course.policies} <= refs
    assert {("faq", f.id) for f in course.faq} <= refs
    assert {("deliverable", d.id) for d in course.deliverables} <= refs
    assert {("session", s.date.isoformat()) for s in course.dated_sessions if s.date} <= refs


def test_keys_are_unique_and_kinds_are_the_declared_ones(course):
    units = build_units(course)
    assert len({u.key for u in units}) == len(units)
    assert {u.kind for u in units} <= set(get_args(UnitKind))


def test_a_deliverable_unit_reads_its_due_day_like_an_answer_does(course):
    units = {u.key: u for u in build_units(course)}
    assert "due Tue, Oct 20, 2020" in units["deliverable:homework-2"].text
