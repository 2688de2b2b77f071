"""The pure planner: which reminders fire when, grouped, held, caught up, with injected ``now``."""

from __future__ import annotations

import datetime as dt

from reminder_kit import at, course, item

from bot.reminders import planner
from bot.reminders.text import change_text, reminder_text
from bot.settings.reminders import ReminderSettings

DEFAULT = ReminderSettings()


def fires(c, settings=DEFAULT) -> list[tuple[str, dt.timedelta, str]]:
    return [(p.due.id, p.lead, p.fire_at.isoformat()) for p in planner.schedule(c, settings)]


def test_default_leads_and_default_due_time():
    c = course(item("2020-10-20", "Homework 2", "hw2"))
    assert fires(c) == [
        ("hw2", dt.timedelta(days=7), "2020-10-13T23:59:00-05:00"),
        ("hw2", dt.timedelta(days=1), "2020-10-19T23:59:00-05:00"),
        ("hw2", dt.timedelta(hours=2), "2020-10-20T21:59:00-05:00"),
    ]


def test_configured_default_due_time_and_own_due_time():
    c = course(item("2020-10-20", "Homework 2", "hw2"), item("2020-10-21", "Quiz", "q", "quiz", due_time="9am"))
    settings = ReminderSettings(default_due_time="17:00", leads=["2h"])
    assert fires(c, settings) == [("hw2", dt.timedelta(hours=2), "2020-10-20T15:00:00-05:00"),
                                  ("q", dt.timedelta(hours=2), "2020-10-21T07:00:00-05:00")]


def test_one_day_before_2359_fires_at_2359_local_across_the_dst_change():
    # America/Chicago leaves daylight time at 02:00 on 2020-11-01.
    c = course(item("2020-11-01", "A", "a"), item("2020-11-02", "B", "b"), item("2020-11-05", "C", "c"))
    one_day = {p.due.id: p.fire_at for p in planner.schedule(c, ReminderSettings(leads=["1d"]))}
    assert one_day["a"].isoformat() == "2020-10-31T23:59:00-05:00"  # CDT, the day before CST begins
    assert one_day["b"].isoformat() == "2020-11-01T23:59:00-06:00"  # 25 real hours before
    seven = planner.schedule(c, ReminderSettings(leads=["7d"]))
    assert seven[-1].fire_at.isoformat() == "2020-10-29T23:59:00-05:00"
    assert all(p.fire_at.time() == dt.time(23, 59) for p in seven)


def test_hour_leads_are_real_elapsed_time_across_dst():
    c = course(item("2020-11-01", "Early", "early", due_time="03:00"))
    (two_hours,) = planner.schedule(c, ReminderSettings(leads=["2h"]))
    assert two_hours.due_at - two_hours.fire_at == dt.timedelta(hours=2)
    assert two_hours.fire_at.astimezone(dt.UTC).isoformat() == "2020-11-01T07:00:00+00:00"


def test_deliverables_due_at_the_same_moment_share_one_message():
    c = course(item("2020-10-20", "Homework 2", "hw2"), item("2020-10-20", "Readings", "r3", "reading", 9))
    posts = planner.due_posts(planner.schedule(c, DEFAULT), set(), at("2020-10-19T23:59-05:00"))
    assert len(posts) == 1 and [i.due.id for i in posts[0].items] == ["hw2", "r3"]
    text = reminder_text(posts[0], c, DEFAULT, at("2020-10-19T23:59-05:00"))
    assert text.count("Homework 2") == 1 and text.count("Readings") == 1
    assert "<t:1603256340:F>" in text and "<t:1603256340:R>" in text
    assert "Tue Oct 20, 11:59pm CDT" in text and "10 points" in text and "9 points" in text
    assert "Due in 1 day" in text


def test_quiet_hours_move_a_reminder_earlier_never_later():
    c = course(item("2020-10-20", "Morning quiz", "mq", "quiz", due_time="09:00"))
    settings = ReminderSettings(quiet_hours={"start": "22:00", "end": "08:00"})
    assert [f for _, _, f in fires(c, settings)] == [
        "2020-10-13T09:00:00-05:00", "2020-10-19T09:00:00-05:00", "2020-10-19T22:00:00-05:00"]


def test_catch_up_during_quiet_hours_waits_unless_the_deadline_would_not():
    c = course(item("2020-10-20", "Noon", "noon", due_time="12:00"), item("2020-10-20", "Dawn", "dawn",
                                                                          due_time="07:00"))
    settings = ReminderSettings(quiet_hours={"start": "22:00", "end": "08:00"}, leads=["1d"])
    items = planner.schedule(c, settings)
    at_night = planner.due_posts(items, set(), at("2020-10-19T23:30-05:00"), settings.quiet_hours)
    assert [p.items[0].due.id for p in at_night] == ["dawn"]  # due before the quiet hours end
    morning = planner.due_posts(items, set(), at("2020-10-20T08:00-05:00"), settings.quiet_hours)
    assert [p.items[0].due.id for p in morning] == ["noon"]


def test_opt_out_per_kind_and_per_deliverable():
    c = course(item("2020-10-20", "Readings", "r", "reading"), item("2020-10-20", "HW", "hw"),
               item("2020-10-22", "Project meeting", "meet", "project"))
    settings = ReminderSettings(skip_kinds=["reading"], skip=["meet"])
    assert {d for d, _, _ in fires(c, settings)} == {"hw"}


def test_downtime_catch_up_is_one_message_per_deliverable_with_the_true_time_left():
    c = course(item("2020-10-20", "Homework 2", "hw2"))
    now = at("2020-10-20T03:59-05:00")  # down since before the 7-day reminder
    (post,) = planner.due_posts(planner.schedule(c, DEFAULT), set(), now)
    assert [p.lead for p in post.covers] == [dt.timedelta(days=7), dt.timedelta(days=1)]
    assert len(post.items) == 1
    assert "Due in 20 hours" in reminder_text(post, c, DEFAULT, now)


def test_nothing_is_posted_for_a_deadline_already_past():
    c = course(item("2020-10-20", "Homework 2", "hw2"))
    assert planner.due_posts(planner.schedule(c, DEFAULT), set(), at("2020-10-21T00:00-05:00")) == []


def test_settled_reminders_are_not_due_again():
    c = course(item("2020-10-20", "Homework 2", "hw2"))
    items = planner.schedule(c, DEFAULT)
    settled = {items[0].key}
    (post,) = planner.due_posts(items, settled, at("2020-10-20T00:00-05:00"))
    assert [p.lead for p in post.covers] == [dt.timedelta(days=1)]


def test_changes_report_moved_and_removed_deliverables():
    old = at("2020-10-20T23:59-05:00")
    known = {"hw2": ("Homework 2", old), "hw3": ("Homework 3", at("2020-10-27T23:59-05:00")),
             "hw1": ("Homework 1", at("2020-10-06T23:59-05:00"))}
    moved = course(item("2020-10-22", "Homework 2", "hw2"))
    found = planner.changes(known, moved, DEFAULT, at("2020-10-15T09:00-05:00"))
    assert [(c.id, c.new_due and c.new_due.date().isoformat()) for c in found] == [
        ("hw2", "2020-10-22"), ("hw3", None)]  # hw1 is gone too, but its date had passed
    assert change_text(found[0]).startswith("📅 **Homework 2** moved from Tue Oct 20 to Thu Oct 22.")
    assert "Homework 3" in change_text(found[1]) and "removed" in change_text(found[1])
    assert planner.changes({"hw2": ("Homework 2", old)}, course(item("2020-10-20", "Homework 2", "hw2")),
                           DEFAULT, at("2020-10-15T09:00-05:00")) == []


def test_simulate_posts_every_message_of_a_window_in_order():
    c = course(item("2020-10-20", "HW2", "hw2"), item("2020-10-22", "HW3", "hw3"))
    run = planner.simulate(planner.schedule(c, DEFAULT), at("2020-10-19T00:00-05:00"),
                           at("2020-10-23T00:00-05:00"))
    assert [(m.isoformat(), p.items[0].due.id, p.items[0].lead.days) for m, p in run] == [
        ("2020-10-19T23:59:00-05:00", "hw2", 1), ("2020-10-20T21:59:00-05:00", "hw2", 0),
        ("2020-10-21T23:59:00-05:00", "hw3", 1), ("2020-10-22T21:59:00-05:00", "hw3", 0)]
