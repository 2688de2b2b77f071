"""A forum post's status as the forum's own tags (pure: no discord import).

The bot creates no tags. It looks the configured names (``discord.forum_tags``) up among
the tags the forum already has, ignoring case, and works with the ones it finds. A
status change adds its tag and takes off the one it replaces; the student's own tags
stay, and Discord's limit of 5 tags per post is never exceeded.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

MAX_TAGS_PER_POST = 5


class Tag(Protocol):
    @property
    def id(self) -> int: ...

    @property
    def name(self) -> str: ...


T = TypeVar("T", bound=Tag)


class Status(enum.Enum):
    ANSWERED = "answered"  # the bot answered the post
    NEEDS_STAFF = "needs_staff"  # it declined, or a student voted 👎 on its answer
    RESOLVED = "resolved"  # the post's author (or staff) marked it resolved


# What each status takes off: an answer that needed staff no longer does, and the other way round.
REPLACES = {Status.ANSWERED: (Status.NEEDS_STAFF,), Status.NEEDS_STAFF: (Status.ANSWERED,),
            Status.RESOLVED: (Status.NEEDS_STAFF,)}


class Names(Protocol):
    answered: str | None
    needs_staff: str | None
    resolved: str | None


@dataclass(frozen=True)
class TagSet(Generic[T]):
    """The forum's tag for each status (None when the forum lacks it), and the names not found."""

    found: dict[Status, T]
    missing: tuple[str, ...]


def find_tags(available: Sequence[T], names: Names) -> TagSet[T]:
    by_name = {tag.name.strip().casefold(): tag for tag in available}
    found: dict[Status, T] = {}
    missing: list[str] = []
    for status in Status:
        wanted = getattr(names, status.value)
        if not wanted:
            continue
        tag = by_name.get(wanted.strip().casefold())
        if tag is None:
            missing.append(wanted)
        else:
            found[status] = tag
    return TagSet(found, tuple(missing))


def retag(current: Sequence[T], status: Status, tags: TagSet[T]) -> list[T] | None:
    """The post's tags after ``status``, or None when nothing would change."""
    off = {tags.found[s].id for s in REPLACES[status] if s in tags.found}
    result = [tag for tag in current if tag.id not in off]
    wanted = tags.found.get(status)
    if wanted is not None and wanted.id not in {tag.id for tag in result} and len(result) < MAX_TAGS_PER_POST:
        result.append(wanted)
    return None if [t.id for t in result] == [t.id for t in current] else result
