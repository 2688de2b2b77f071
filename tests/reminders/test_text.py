"""What a reminder or a date-change notice says: stamps, local times, points, related links."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from reminder_kit import at, course, item

from bot.knowledge.schema import Policy
from bot.reminders import planner
from bot.reminders.text import change_text, reminder_text, time_left
from bot.settings.reminders import ReminderSettings

DEFAULT = ReminderSettings()


def test_message_links_the_related_policy_or_the_deliverables_own_url():
    policy = Policy(id="reading-reactions", title="Reading reactions", text="One page each.",
                    url="https://example.edu/readings")
    c = course(item("2020-10-20", "Readings", "r3", "reading", 9),
               item("2020-10-20", "Lab", "lab", "homework", url="https://example.edu/lab"), policies=(policy,))
    (post,) = planner.due_posts(planner.schedule(c, DEFAULT), set(), at("2020-10-20T22:00-05:00"))
    text = reminder_text(post, c, DEFAULT, at("2020-10-20T22:00-05:00"))
    assert "see “Reading reactions” <https://example.edu/readings>" in text
    assert "<https://example.edu/lab>" in text and "Due in 2 hours" in text


def test_moved_to_another_time_of_day_names_both_times():
    change = planner.Change("hw2", "Homework 2", at("2020-10-20T23:59-05:00"), at("2020-10-20T17:00-05:00"))
    assert "moved from Tue Oct 20 11:59pm to Tue Oct 20 5:00pm" in change_text(change)


def test_time_left_counts_wall_clock_days_across_dst():
    chicago = ZoneInfo("America/Chicago")
    due, now = at("2020-11-01T23:59-06:00").astimezone(chicago), at("2020-10-31T23:59-05:00")
    assert due - now == dt.timedelta(hours=25)
    assert time_left(due, now) == "in 1 day"
    assert time_left(at("2020-10-20T23:59-05:00"), at("2020-10-20T21:59-05:00")) == "in 2 hours"
    assert time_left(at("2020-10-20T23:59-05:00"), at("2020-10-20T23:29-05:00")) == "in 30 minutes"
