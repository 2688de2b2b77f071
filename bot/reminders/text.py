"""What a reminder or a date-change notice says, as one Discord message."""

from __future__ import annotations

import datetime as dt

from bot.format import DISCORD_MESSAGE_CHARS, clock, defang, fit, stamp
from bot.knowledge import Course, Due
from bot.reminders.planner import Change, Post
from bot.settings.reminders import ReminderSettings

UTC = dt.UTC


def local(moment: dt.datetime) -> str:
    """Tue Oct 20, 11:59pm CDT: the course's own clock."""
    return f"{short_day(moment.date())}, {clock(moment.time())} {moment.tzname()}"


def short_day(day: dt.date) -> str:
    return f"{day:%a} {day:%b} {day.day}"


def time_left(due_at: dt.datetime, now: dt.datetime) -> str:
    """ "in 90 minutes", "in 20 hours" in real (UTC) time; "in 1 day" on the course's calendar.

    A DST day of 23 or 25 hours is still "1 day", but hours and minutes are the real ones:
    at the spring change 00:30 CST is 2 hours, not 3, before 03:30 CDT.
    """
    real = round((due_at.astimezone(UTC) - now.astimezone(UTC)).total_seconds() / 60)
    local = now.astimezone(due_at.tzinfo)
    wall = round((due_at.replace(tzinfo=None) - local.replace(tzinfo=None)).total_seconds() / 60)
    if real < 90:
        return _plural(max(real, 1), "minute")
    wall_hours = round(wall / 60)
    if wall_hours >= 24 and wall_hours % 24 == 0:  # whole calendar days, as the day leads count them
        return _plural(wall_hours // 24, "day")
    hours = round(real / 60)
    if hours < 48:
        return _plural(hours, "hour")
    return _plural(round(wall_hours / 24), "day")


def _plural(n: int, unit: str) -> str:
    return f"in {n} {unit}{'' if n == 1 else 's'}"


def reminder_text(post: Post, course: Course, settings: ReminderSettings, now: dt.datetime) -> str:
    head = f"⏰ **Due {time_left(post.due_at, now)}**: {stamp(post.due_at)} · {local(post.due_at)}"
    lines = [head] + [_line(item.due, course, settings) for item in post.items]
    return fit(defang("\n".join(lines)), DISCORD_MESSAGE_CHARS)


def _line(due: Due, course: Course, settings: ReminderSettings) -> str:
    parts = [f"• **{due.name}**"]
    if due.points_text:
        parts.append(f"({due.points_text})")
    if due.note:
        parts.append(f"— {due.note}")
    link = related(due, course, settings)
    if link:
        parts.append(f"· {link}")
    return " ".join(parts)


def related(due: Due, course: Course, settings: ReminderSettings) -> str | None:
    """The deliverable's own link, else the policy configured for its id or kind."""
    if due.url:
        return f"<{due.url}>"
    policy_id = settings.related.get(due.id) or settings.related.get(due.kind)
    policy = next((p for p in course.policies if p.id == policy_id), None)
    if policy is None:
        return None
    url = policy.url or course.info.url
    return f"see “{policy.title}”" + (f" <{url}>" if url else "")


def change_text(change: Change) -> str:
    """ "Homework 2 moved from Tue Oct 20 to Thu Oct 22", or its removal."""
    name = defang(change.name)
    if change.new_due is None:
        return (f"🗑️ **{name}** (due {_when(change.old_due, None)}) was removed from the calendar; "
                "there will be no more reminders for it.")
    old, new = _when(change.old_due, change.new_due), _when(change.new_due, change.old_due)
    return f"📅 **{name}** moved from {old} to {new}. Now due {stamp(change.new_due)} · {local(change.new_due)}"


def _when(moment: dt.datetime, other: dt.datetime | None) -> str:
    """The day, plus the time when the other moment's time of day differs."""
    text = short_day(moment.date())
    if other is not None and other.time() != moment.time():
        text += f" {clock(moment.time())}"
    return text
