"""The pure planner: (course, settings, now) -> which reminders are due.

Every moment is an aware datetime in the course time zone. Whole-day lead times count on
the local calendar ("1 day before 23:59" is 23:59 the day before, across a DST change);
hour and minute parts are real elapsed time. A reminder that would land in quiet hours
moves earlier, to the start of those quiet hours, so it is never late.

Moments are *compared* in UTC: Python compares two datetimes that share a tzinfo by their
wall time and ignores ``fold``, so in the hour repeated when DST ends 02:30 CEST would
equal 02:30 CET. ``now`` may come in any zone (the cog passes UTC); quiet hours are
always read on the course's clock.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from bot.knowledge import Course, Due
from bot.settings.reminders import QuietHours, ReminderSettings

UTC = dt.UTC


@dataclass(frozen=True)
class Planned:
    """One (deliverable, lead time, due moment): the unit the ledger records."""

    due: Due
    due_at: dt.datetime
    lead: dt.timedelta
    fire_at: dt.datetime

    @property
    def key(self) -> tuple[str, int, str]:
        return ledger_key(self.due.id, self.lead, self.due_at)


@dataclass(frozen=True)
class Post:
    """One message: the deliverables due at one moment, each named once."""

    due_at: dt.datetime
    items: tuple[Planned, ...]  # one per deliverable: the lead that is being honoured
    covers: tuple[Planned, ...]  # every (deliverable, lead) this message settles

    @property
    def fire_at(self) -> dt.datetime:
        return max(item.fire_at for item in self.items)


@dataclass(frozen=True)
class Change:
    """A deliverable the channel was told about whose due moment moved or vanished."""

    id: str
    name: str
    old_due: dt.datetime
    new_due: dt.datetime | None  # None: removed from the calendar


def ledger_key(deliverable: str, lead: dt.timedelta, due_at: dt.datetime) -> tuple[str, int, str]:
    return deliverable, int(lead.total_seconds()), due_at.astimezone(UTC).isoformat()


def due_moment(course: Course, due: Due, settings: ReminderSettings) -> dt.datetime:
    return normalise(course.due_at(due, settings.default_due_time))


def utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(UTC)


def normalise(moment: dt.datetime) -> dt.datetime:
    """Round-trip through UTC so a wall time skipped by DST gets its real offset."""
    assert moment.tzinfo is not None, "naive datetime"
    return moment.astimezone(UTC).astimezone(moment.tzinfo)


def fire_time(due_at: dt.datetime, lead: dt.timedelta, quiet: QuietHours | None) -> dt.datetime:
    """Whole days back on the wall clock, the rest in real time, then out of quiet hours."""
    days = dt.timedelta(days=lead.days)
    wall = normalise(due_at - days)  # aware - timedelta is wall-clock arithmetic in Python
    moment = (wall.astimezone(UTC) - (lead - days)).astimezone(due_at.tzinfo)
    period = quiet_period(quiet, moment)
    return period[0] if period else moment


def quiet_period(quiet: QuietHours | None, moment: dt.datetime) -> tuple[dt.datetime, dt.datetime] | None:
    """The quiet period (start, end) that ``moment`` falls in, else None."""
    if quiet is None or not quiet.contains(moment.timetz().replace(tzinfo=None)):
        return None
    tz, day = moment.tzinfo, moment.date()
    start = dt.datetime.combine(day, quiet.start, tzinfo=tz)
    if start > moment:
        start -= dt.timedelta(days=1)
    end = dt.datetime.combine(start.date(), quiet.end, tzinfo=tz)
    if end <= start:
        end += dt.timedelta(days=1)
    return normalise(start), normalise(end)


def wanted(due: Due, settings: ReminderSettings) -> bool:
    return due.kind not in settings.skip_kinds and due.id not in settings.skip


def schedule(course: Course, settings: ReminderSettings) -> tuple[Planned, ...]:
    """Every reminder of the term, in firing order."""
    items = []
    for due in course.deliverables:
        if not wanted(due, settings):
            continue
        due_at = due_moment(course, due, settings)
        for lead in settings.leads:
            items.append(Planned(due, due_at, lead, fire_time(due_at, lead, settings.quiet_hours)))
    return tuple(sorted(items, key=lambda p: (utc(p.fire_at), utc(p.due_at), p.due.id)))


def between(items: Iterable[Planned], start: dt.datetime, end: dt.datetime) -> list[Planned]:
    """The reminders that fire in [start, end)."""
    return [item for item in items if utc(start) <= utc(item.fire_at) < utc(end)]


def due_posts(items: Iterable[Planned], settled: Collection[tuple[str, int, str]], now: dt.datetime,
              quiet: QuietHours | None = None) -> list[Post]:
    """What to post at ``now``: unsettled reminders that have fired and whose deadline is ahead.

    Several fired leads of one deliverable (after downtime) collapse into one mention,
    the latest; deliverables due at the same moment share one message.
    """
    now = utc(now)
    by_deliverable: dict[tuple[str, dt.datetime], list[Planned]] = {}
    for item in items:
        if utc(item.fire_at) <= now < utc(item.due_at) and item.key not in settled and not held(item, now, quiet):
            by_deliverable.setdefault((item.due.id, utc(item.due_at)), []).append(item)
    by_moment: dict[dt.datetime, list[list[Planned]]] = {}
    for (_, due_at), fired in by_deliverable.items():
        by_moment.setdefault(due_at, []).append(sorted(fired, key=lambda p: utc(p.fire_at)))
    return [
        Post(groups[0][0].due_at, tuple(group[-1] for group in groups), tuple(p for group in groups for p in group))
        for _, groups in sorted(by_moment.items())
    ]


def held(item: Planned, now: dt.datetime, quiet: QuietHours | None) -> bool:
    """A reminder caught up during quiet hours waits for their end, unless the deadline won't."""
    period = quiet_period(quiet, now.astimezone(item.due_at.tzinfo))
    if period is None:
        return False
    return utc(item.fire_at) < utc(period[0]) and utc(item.due_at) > utc(period[1])


def notice_held(change: Change, now: dt.datetime, quiet: QuietHours | None) -> bool:
    """A date-change notice waits out quiet hours, unless a deadline falls before they end."""
    period = quiet_period(quiet, now.astimezone(change.old_due.tzinfo))
    moments = [utc(change.old_due)] + ([utc(change.new_due)] if change.new_due else [])
    return period is not None and min(moments) > utc(period[1])


def simulate(items: tuple[Planned, ...], start: dt.datetime, end: dt.datetime,
             quiet: QuietHours | None = None) -> list[tuple[dt.datetime, Post]]:
    """Every message a bot running without pause from ``start`` to ``end`` would post, in order."""
    settled = {item.key for item in items if utc(item.fire_at) < utc(start)}
    posts = []
    for moment in sorted({utc(item.fire_at): item.fire_at for item in between(items, start, end)}.values(), key=utc):
        for post in due_posts(items, settled, moment, quiet):
            settled.update(p.key for p in post.covers)
            posts.append((moment, post))
    return posts


def changes(known: Mapping[str, tuple[str, dt.datetime]], course: Course, settings: ReminderSettings,
            now: dt.datetime) -> list[Change]:
    """Deliverables announced at one moment that the course now puts elsewhere, or nowhere."""
    now = utc(now)
    current = {due.id: due for due in course.deliverables}
    result = []
    for ident, (name, announced) in sorted(known.items()):
        old_due = announced.astimezone(course.tz)
        due = current.get(ident)
        if due is None:
            if old_due > now:
                result.append(Change(ident, name, old_due, None))
            continue
        new_due = due_moment(course, due, settings)
        if utc(new_due) != utc(old_due) and new_due > now:
            result.append(Change(ident, due.name, old_due, new_due))
    return result


def renames(known: Mapping[str, tuple[str, dt.datetime]], course: Course, settings: ReminderSettings,
            now: dt.datetime) -> list[tuple[str, str]]:
    """(old id, new id) for announced deliverables whose id changed but whose name and due moment did not.

    Only unambiguous pairs: one known deliverable missing from the course and one new
    deliverable with that same name and moment. Anything else stays a removal and an addition.
    """
    now = utc(now)
    current = {due.id: due for due in course.deliverables}
    missing = {(name, due.astimezone(UTC)): ident for ident, (name, due) in known.items()
               if ident not in current and due > now}
    newcomers = [((due.name, due_moment(course, due, settings).astimezone(UTC)), due.id)
                 for due in course.deliverables if due.id not in known]
    gone = Counter((name, due.astimezone(UTC)) for ident, (name, due) in known.items() if ident not in current)
    arrived = Counter(key for key, _ in newcomers)
    return sorted((missing[key], ident) for key, ident in newcomers
                  if key in missing and gone[key] == 1 and arrived[key] == 1)
