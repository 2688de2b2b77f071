"""Forum tags by status (pure): found by name, never created, the student's own tags kept."""

from __future__ import annotations

from dataclasses import dataclass

from bot.discord._tags import Status, find_tags, retag
from bot.settings.discord import ForumTags


@dataclass(frozen=True)
class Tag:
    id: int
    name: str


ANSWERED, STAFF, RESOLVED, HW, EXAM = Tag(1, "Answered by Bot"), Tag(2, "needs staff"), Tag(3, "resolved"), \
    Tag(4, "hw2"), Tag(5, "exam")
FORUM = [ANSWERED, STAFF, RESOLVED, HW, EXAM]


def test_tags_are_found_by_name_ignoring_case_and_missing_ones_are_named():
    tags = find_tags(FORUM, ForumTags())
    assert tags.found == {Status.ANSWERED: ANSWERED, Status.NEEDS_STAFF: STAFF, Status.RESOLVED: RESOLVED}
    partial = find_tags([HW, STAFF], ForumTags(resolved=None))
    assert partial.found == {Status.NEEDS_STAFF: STAFF} and partial.missing == ("answered by bot",)


def test_each_status_adds_its_tag_and_takes_off_the_one_it_replaces():
    tags = find_tags(FORUM, ForumTags())
    assert retag([HW], Status.ANSWERED, tags) == [HW, ANSWERED]
    assert retag([HW, ANSWERED], Status.NEEDS_STAFF, tags) == [HW, STAFF]  # a 👎 retags
    assert retag([HW, STAFF], Status.RESOLVED, tags) == [HW, RESOLVED]
    assert retag([HW, ANSWERED], Status.ANSWERED, tags) is None  # nothing to change


def test_a_missing_tag_changes_nothing_and_five_tags_are_the_most():
    assert retag([HW], Status.ANSWERED, find_tags([HW], ForumTags())) is None
    many = [Tag(10 + n, f"t{n}") for n in range(5)]
    assert retag(many, Status.ANSWERED, find_tags(FORUM, ForumTags())) is None  # the student's tags stay
