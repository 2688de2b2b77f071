"""Deliverables open for several days (``window``): reminders count back from the end, one more
when the window opens, and the calendar export shows the days as one all-day event."""

from __future__ import annotations

import datetime as dt

import icalendar

from bot.knowledge import Course
from bot.knowledge.schema import CourseInfo, Deliverable, Meeting, Session
from bot.reminders import planner
from bot.reminders.ics import calendar_ics
from bot.settings.reminders import ReminderSettings

CHICAGO = dt.timezone(dt.timedelta(hours=-5))


def windowed(start: str = "2025-10-28", end: str = "2025-10-30") -> Course:
    exam = Deliverable.model_validate({"name": "Take-home midterm", "kind": "exam", "id": "midterm", "points": 100,
                                       "window": {"start": start, "end": end}})
    homework = Deliverable.model_validate({"name": "HW 1", "kind": "homework", "id": "hw1"})
    sessions = (Session(date=dt.date(2025, 10, 21), topic="Regression", due=(homework,)),
                Session(date=dt.date(2025, 10, 28), topic="Midterm review", due=(exam,)))
    info = CourseInfo(code="STAT 1", title="Stats", term="Fall 2025", institution="Test U", timezone="America/Chicago",
                      description="A course.", meetings=(Meeting(days=("Tue",), start="9:30", end="10:50",
                                                                 location="Room 1"),))
    return Course(info, sessions, (), (), (), (), source_hash="windowed")


def test_a_window_deliverable_is_due_at_its_end_and_reminded_from_there():
    items = [p for p in planner.schedule(windowed(), ReminderSettings()) if p.due.id == "midterm"]
    assert {p.due_at.isoformat() for p in items} == {"2025-10-30T23:59:00-05:00"}
    assert [p.fire_at.isoformat() for p in items] == [
        "2025-10-23T23:59:00-05:00", "2025-10-28T09:00:00-05:00", "2025-10-29T23:59:00-05:00",
        "2025-10-30T21:59:00-05:00"]  # 7d, the morning it opens, 1d, 2h
    assert [p.due.id for p in planner.schedule(windowed(), ReminderSettings()) if p.due.id == "hw1"] == ["hw1"] * 3


def test_no_opening_reminder_next_to_a_configured_one():
    settings = ReminderSettings(leads=["2d 12h", "2h"])  # fires Oct 28 11:59, 3 hours after the window opens
    fired = [p.fire_at for p in planner.schedule(windowed(), settings) if p.due.id == "midterm"]
    assert len(fired) == 2


def test_the_calendar_shows_the_window_as_one_all_day_event_and_keeps_the_deadline():
    cal = icalendar.Calendar.from_ical(calendar_ics(windowed(), ReminderSettings(),
                                                    dt.datetime(2025, 10, 1, tzinfo=dt.UTC)))
    events = {str(e["UID"]).split("@")[0]: e for e in cal.walk("VEVENT")}
    window = events["window-midterm"]
    assert window.decoded("DTSTART") == dt.date(2025, 10, 28) and window.decoded("DTEND") == dt.date(2025, 10, 31)
    assert "due Thu Oct 30 at 23:59 CDT" in str(window["DESCRIPTION"])
    assert events["due-midterm"].decoded("DTSTART").isoformat() == "2025-10-30T23:59:00-05:00"
    assert "window-hw1" not in events
