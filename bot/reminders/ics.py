"""The course calendar as an iCalendar (RFC 5545) file: every deliverable and class.

Times carry the course's TZID with a generated VTIMEZONE, so calendars show them right
across DST. UIDs are derived from the course and the item (deliverable id, class date),
so importing the file again updates the events instead of duplicating them. A deliverable
with a window (a take-home exam open Oct 28-30) also gets an all-day event spanning the
window's days; its deadline event stays at the window's end.
"""

from __future__ import annotations

import datetime as dt

import icalendar

from bot.knowledge import Course, Due
from bot.knowledge.course import slugify
from bot.knowledge.schema import Meeting, Session
from bot.reminders.planner import due_moment
from bot.settings.reminders import ReminderSettings

PRODID = "-//coursebot//course calendar//EN"


def calendar_ics(course: Course, settings: ReminderSettings, now: dt.datetime) -> bytes:
    """The whole course as .ics bytes; ``now`` is the DTSTAMP."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{course.info.code} {course.info.title} ({course.info.term})")
    cal.add("x-wr-timezone", course.info.timezone)
    for due in course.deliverables:
        cal.add_component(_deliverable(course, due, settings, now))
        if due.opens is not None:
            cal.add_component(_window(course, due, settings, now))
    for session in course.classes:
        meeting = meeting_on(course, session)
        if meeting is not None:
            cal.add_component(_class(course, session, meeting, now))
    # A VTIMEZONE spanning the term (a year either side), not the default 1970-2038.
    first, last = course.first_day, course.last_day
    cal.add_missing_timezones(dt.date(first.year - 1, 1, 1), dt.date(last.year + 2, 1, 1))
    return cal.to_ical()


def uid(course: Course, item: str) -> str:
    return f"{item}@{slugify(course.info.code)}.{slugify(course.info.term)}.coursebot"


def _deliverable(course: Course, due: Due, settings: ReminderSettings, now: dt.datetime) -> icalendar.Event:
    at = due_moment(course, due, settings)
    event = _event(course, f"due-{due.id}", f"{course.info.code}: {due.name} due", now)
    event.add("dtstart", at)
    event.add("dtend", at)
    return _described(event, due, f"{course.info.code}: {due.name} ({due.kind})")


def _window(course: Course, due: Due, settings: ReminderSettings, now: dt.datetime) -> icalendar.Event:
    """All-day, from the first day of the window to its last (DTEND is the day after, RFC 5545 3.6.1)."""
    assert due.opens is not None
    at = due_moment(course, due, settings)
    event = _event(course, f"window-{due.id}", f"{course.info.code}: {due.name} (open)", now)
    event.add("dtstart", due.opens)
    event.add("dtend", due.date + dt.timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    return _described(event, due, f"{course.info.code}: {due.name} ({due.kind}) can be done from "
                      f"{due.opens:%a %b} {due.opens.day} to {due.date:%a %b} {due.date.day}; "
                      f"due {at:%a %b} {at.day} at {at:%H:%M} {at.tzname()}.")


def _described(event: icalendar.Event, due: Due, lead: str) -> icalendar.Event:
    """A deliverable's event gets its description (lead, points, note), kind and link."""
    event.add("description", "\n".join(part for part in (lead, due.points_text, due.note) if part))
    event.add("categories", [due.kind])
    if due.url:
        event.add("url", due.url)
    return event


def _class(course: Course, session: Session, meeting: Meeting, now: dt.datetime) -> icalendar.Event:
    assert session.date is not None
    event = _event(course, f"class-{session.date.isoformat()}", f"{course.info.code}: {session.topic}", now)
    event.add("dtstart", dt.datetime.combine(session.date, meeting.start, tzinfo=course.tz))
    event.add("dtend", dt.datetime.combine(session.date, meeting.end, tzinfo=course.tz))
    event.add("location", meeting.location)
    if session.note:
        event.add("description", session.note)
    if session.url or meeting.url:
        event.add("url", session.url or meeting.url)
    return event


def _event(course: Course, item: str, summary: str, now: dt.datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid(course, item))
    event.add("summary", summary)
    event.add("dtstamp", now.astimezone(dt.UTC))
    return event


def meeting_on(course: Course, session: Session) -> Meeting | None:
    """The meeting pattern for a class date: the one listing its weekday, else the only one."""
    assert session.date is not None
    weekday = f"{session.date:%A}"
    meetings = course.info.meetings
    match = next((m for m in meetings if weekday in m.days), None)
    return match or (meetings[0] if len(meetings) == 1 else None)
