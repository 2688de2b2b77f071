"""Issue 11's reminder faults, each reproduced: undoing a move, id renames, lock bypass, DST, a wrong clock.

Every test here failed on the code before its fix; the failing assertion is quoted in the
commit that fixed it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import importlib.util
import sqlite3
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fake_channel import FileChannel
from reminder_kit import at, course, item
from test_sender import DEFAULT, HW, ONE, Bot

from bot.reminders import planner
from bot.reminders.ledger import LEASE_SECONDS, Ledger
from bot.reminders.sender import ClockCheck, Sender
from bot.reminders.text import time_left
from bot.settings.reminders import ReminderSettings

MOVED_HW2 = course(item("2020-10-21", "Homework 2", "hw2"), item("2020-10-22", "Homework 3", "hw3"))


def test_undoing_a_move_announces_the_move_back_and_stalls_nothing(tmp_path):
    bot = Bot(tmp_path, at("2020-10-13T12:00-05:00"), strict=False)
    bot.run(HW, at("2020-10-14T01:00-05:00"))  # Homework 2's 7-day reminder went out at 23:59
    bot.run(MOVED_HW2, at("2020-10-14T03:00-05:00"))  # moved to Wed Oct 21: announced
    bot.run(HW, at("2020-10-21T00:00-05:00"))  # ... and back to Tue Oct 20
    assert bot.log() == [
        ("Wed 14 00:00", "⏰ **Due in 7 days**"),
        ("Wed 14 01:00", "📅 **Homework 2** moved from Tue Oct 20 to Wed Oct 21"),
        ("Wed 14 03:00", "📅 **Homework 2** moved from Wed Oct 21 to Tue Oct 20"),
        ("Fri 16 00:00", "⏰ **Due in 7 days**"),  # Homework 3's, on the first tick after 23:59
        ("Tue 20 00:00", "⏰ **Due in 1 day**"),
        ("Tue 20 22:00", "⏰ **Due in 2 hours**"),
    ]
    assert bot.errors == []


def test_changing_the_default_due_time_and_back_keeps_every_reminder_on_time(tmp_path):
    bot = Bot(tmp_path, at("2020-10-13T12:00-05:00"), strict=False)
    bot.run(HW, at("2020-10-14T01:00-05:00"))
    bot.restart(ReminderSettings(default_due_time="17:00"))
    bot.run(HW, at("2020-10-14T02:00-05:00"))
    bot.restart(DEFAULT)
    bot.run(HW, at("2020-10-21T00:00-05:00"))
    assert bot.log() == [
        ("Wed 14 00:00", "⏰ **Due in 7 days**"),
        ("Wed 14 01:00", "📅 **Homework 2** moved from Tue Oct 20 11:59pm to Tue Oct 20 5:00pm"),
        ("Wed 14 01:00", "📅 **Homework 3** moved from Thu Oct 22 11:59pm to Thu Oct 22 5:00pm"),
        ("Wed 14 02:00", "📅 **Homework 2** moved from Tue Oct 20 5:00pm to Tue Oct 20 11:59pm"),
        ("Wed 14 02:00", "📅 **Homework 3** moved from Thu Oct 22 5:00pm to Thu Oct 22 11:59pm"),
        ("Fri 16 00:00", "⏰ **Due in 7 days**"),
        ("Tue 20 00:00", "⏰ **Due in 1 day**"),
        ("Tue 20 22:00", "⏰ **Due in 2 hours**"),
    ]
    assert bot.errors == []


def test_a_reminder_that_cannot_be_recorded_does_not_stall_the_others(tmp_path, caplog):
    bot = Bot(tmp_path, at("2020-10-19T12:00-05:00"), strict=False)
    record = bot.ledger.record

    def broken_for_hw2(target, kind, content, *args, **kwargs):
        if "Homework 2" in content:
            raise sqlite3.OperationalError("disk I/O error")
        return record(target, kind, content, *args, **kwargs)

    bot.ledger.record = broken_for_hw2
    both = course(item("2020-10-20", "Homework 2", "hw2"), item("2020-10-21", "Homework 3", "hw3"))
    bot.run(both, at("2020-10-21T01:00-05:00"))
    assert bot.log() == [("Mon 19 12:00", "⏰ **Due in 2 days**"), ("Wed 21 00:00", "⏰ **Due in 1 day**")]
    assert all("Homework 3" in text for text in bot.texts()) and bot.errors == []
    assert sum("could not record the reminder for hw2" in r.getMessage() for r in caplog.records) == 1


def test_hours_left_are_real_hours_at_the_spring_dst_change(tmp_path):
    # America/Chicago skips 02:00-03:00 on Sun 2021-03-14: 00:30 CST is 2 real hours before 03:30 CDT.
    early = course(item("2021-03-14", "Early quiz", "eq", "quiz", due_time="03:30"))
    bot = Bot(tmp_path, at("2021-03-13T23:00-06:00"), ReminderSettings(leads=["2h"]))
    bot.run(early, at("2021-03-14T04:00-05:00"), dt.timedelta(minutes=30))
    assert bot.log() == [("Sun 14 00:30", "⏰ **Due in 2 hours**")]


@pytest.mark.parametrize("due, now, expected", [
    ("2021-03-14T03:30-05:00", "2021-03-14T00:30-06:00", "in 2 hours"),  # spring: 3 on the wall
    ("2020-11-01T02:30-06:00", "2020-11-01T01:30-05:00", "in 2 hours"),  # fall: 1 on the wall
    ("2021-03-14T23:59-05:00", "2021-03-13T23:59-06:00", "in 1 day"),  # a 23-hour day is still a day
    ("2020-11-01T23:59-06:00", "2020-10-31T23:59-05:00", "in 1 day"),  # and so is a 25-hour one
    ("2021-03-15T21:59-05:00", "2021-03-13T21:59-06:00", "in 2 days"),
    ("2021-03-14T04:00-05:00", "2021-03-14T01:45-06:00", "in 75 minutes"),
])
def test_time_left_counts_real_time_and_calendar_days_across_dst(due, now, expected):
    chicago = ZoneInfo("America/Chicago")
    assert time_left(at(due).astimezone(chicago), at(now).astimezone(chicago)) == expected


def test_renaming_a_deliverables_id_is_neither_a_removal_nor_a_new_reminder(tmp_path):
    bot = Bot(tmp_path, at("2020-10-13T12:00-05:00"))
    bot.run(HW, at("2020-10-14T01:00-05:00"))  # Homework 2's 7-day reminder
    renamed = course(item("2020-10-20", "Homework 2", "homework-2"), item("2020-10-22", "Homework 3", "hw3"))
    bot.run(renamed, at("2020-10-15T00:00-05:00"))
    bot.restart()
    bot.run(HW, at("2020-10-21T00:00-05:00"))  # and renamed back, across a restart
    assert bot.log() == [
        ("Wed 14 00:00", "⏰ **Due in 7 days**"),
        ("Fri 16 00:00", "⏰ **Due in 7 days**"),  # Homework 3's
        ("Tue 20 00:00", "⏰ **Due in 1 day**"),
        ("Tue 20 22:00", "⏰ **Due in 2 hours**"),
    ]


def test_a_new_id_with_another_name_or_date_is_still_a_removal_and_a_new_deliverable(tmp_path):
    bot = Bot(tmp_path, at("2020-10-13T12:00-05:00"))
    bot.run(HW, at("2020-10-14T01:00-05:00"))
    other = course(item("2020-10-21", "Homework 2", "homework-2"), item("2020-10-22", "Homework 3", "hw3"))
    bot.run(other, at("2020-10-15T01:00-05:00"))
    removed = ("🗑️ **Homework 2** (due Tue Oct 20) was removed from the calendar; "
               "there will be no more reminders for it.")
    assert [text for _, text in bot.log()][1:] == [removed, "⏰ **Due in 7 days**"]
    assert "Wed Oct 21" in bot.texts()[-1]  # the new deliverable's own 7-day reminder, on time


def test_only_unambiguous_id_changes_count_as_renames():
    due = at("2020-10-20T23:59-05:00")
    known = {"r1": ("Readings", due), "r2": ("Readings", due), "hw2": ("Homework 2", due)}
    now = at("2020-10-14T00:00-05:00")
    two = course(item("2020-10-20", "Readings", "read-a", "reading"),
                 item("2020-10-20", "Readings", "read-b", "reading"), item("2020-10-20", "Homework 2", "homework-2"))
    assert planner.renames(known, two, DEFAULT, now) == [("hw2", "homework-2")]  # which Readings is which? neither
    assert planner.renames(known, two, DEFAULT, at("2020-10-21T00:00-05:00")) == []  # past: nothing to carry over


def test_a_sender_whose_lease_was_taken_over_sends_nothing_more(tmp_path, caplog):
    path, wall = tmp_path / "ledger.sqlite3", {"t": 1_600_000_000.0}
    first = Ledger.open(path, clock=lambda: wall["t"])
    channel = FileChannel(tmp_path / "channel.jsonl", lambda: at("2020-10-19T23:59-05:00"))
    sender = Sender(first, channel, DEFAULT)
    Path(f"{path}.lock").unlink()  # the flock is bypassed ...
    wall["t"] += LEASE_SECONDS + 1  # ... and the first process stalled past its lease: a second one takes over
    second = Ledger.open(path, clock=lambda: wall["t"])
    for _ in range(3):
        report = asyncio.run(sender.tick(HW, at("2020-10-19T23:59-05:00")))
        assert report.locked_out and report.recorded == 0
    assert channel.messages() == [] and second.open_intents() == []
    assert sum("no longer holds the reminder ledger's lease (now: pid" in r.getMessage() for r in caplog.records) == 1
    second.close()
    first.close()


def crash_between_post_and_confirm(bot: Bot, c, before_send=lambda: None) -> None:
    """Record the due intent, mark the attempt, post it, and die before the confirmation."""
    bot.sender.plan(c, bot.clock.now)
    (post,) = bot.ledger.ready(bot.clock.now)
    bot.ledger.attempt(post.nonce)
    before_send()
    asyncio.run(bot.channel.send(post.content, post.nonce))
    bot.restart()


@pytest.mark.parametrize("earlier", [False, True])
def test_a_post_sent_before_a_crash_is_found_when_the_bots_clock_is_ten_minutes_fast(tmp_path, earlier):
    bot = Bot(tmp_path, at("2020-10-13T12:00-05:00"), bot_clock_ahead=dt.timedelta(minutes=10))
    if earlier:  # a confirmed post before it, or none (the first post of a new ledger)
        bot.run(ONE, at("2020-10-19T23:00-05:00"))
    bot.clock.now = at("2020-10-19T23:59-05:00")
    crash_between_post_and_confirm(bot, ONE)
    bot.run(ONE, at("2020-10-20T00:30-05:00"), dt.timedelta(minutes=1))
    assert [text for _, text in bot.log()] == ["⏰ **Due in 7 days**"] * earlier + ["⏰ **Due in 1 day**"]


def test_a_post_whose_reply_timed_out_is_found_when_the_bots_clock_is_ten_minutes_fast(tmp_path):
    bot = Bot(tmp_path, at("2020-10-19T23:59-05:00"), bot_clock_ahead=dt.timedelta(minutes=10))
    bot.channel.failures = ["after"]  # posted, but the reply never came
    bot.run(ONE, at("2020-10-20T00:30-05:00"), dt.timedelta(minutes=1))
    assert len(bot.texts()) == 1


@pytest.mark.parametrize("ahead", [dt.timedelta(0), dt.timedelta(minutes=-30)])
def test_a_post_sent_before_a_crash_is_found_behind_pages_of_other_messages(tmp_path, ahead):
    bot = Bot(tmp_path, at("2020-10-19T23:59-05:00"), bot_clock_ahead=ahead, seed=7)
    # A busy few minutes before the post, and a busy channel between the crash and the restart.
    crash_between_post_and_confirm(bot, ONE, lambda: bot.channel.chatter(150, dt.timedelta(minutes=3)))
    bot.channel.chatter(250)
    bot.run(ONE, at("2020-10-20T00:30-05:00"), dt.timedelta(minutes=1))
    assert len(bot.texts()) == 1 and len(bot.channel.all_messages()) == 401


def test_a_clock_three_days_fast_for_one_tick_posts_nothing_early_and_misses_nothing(tmp_path, caplog):
    bot = Bot(tmp_path, at("2020-10-13T12:30-05:00"))
    half_hour = dt.timedelta(minutes=30)
    bot.run(ONE, at("2020-10-17T22:30-05:00"), half_hour)
    asyncio.run(bot.sender.tick(ONE, bot.clock.now + dt.timedelta(days=3)))  # at 22:30 the wall clock lies, once
    bot.run(ONE, at("2020-10-21T00:00-05:00"), half_hour)
    assert bot.log() == [("Wed 14 00:00", "⏰ **Due in 7 days**"), ("Tue 20 00:00", "⏰ **Due in 1 day**"),
                         ("Tue 20 22:00", "⏰ **Due in 2 hours**")]
    assert any("wall clock" in r.getMessage() and r.levelname == "WARNING" for r in caplog.records)


def test_a_wall_clock_that_jumps_for_good_is_believed_after_ten_minutes(tmp_path):
    bot = Bot(tmp_path, at("2020-10-20T19:00-05:00"), ReminderSettings(leads=["2h"]))
    bot.run(ONE, at("2020-10-20T19:50-05:00"), dt.timedelta(minutes=1))
    bot.jump = dt.timedelta(hours=2)  # say NTP stepped a slow clock: from now on it reads 2 hours later
    bot.run(ONE, at("2020-10-20T20:30-05:00"), dt.timedelta(minutes=1))
    assert bot.log() == [("Tue 20 20:00", "⏰ **Due in 2 hours**")]  # 10 minutes after the jump, not lost


class HistoryDown(FileChannel):
    async def recent(self, after):
        raise TimeoutError("history timed out")
        yield  # an async generator, like the real one


def test_a_post_that_may_be_out_when_its_deadline_passes_is_dropped_as_unsure(tmp_path, caplog):
    bot = Bot(tmp_path, at("2020-10-20T21:59-05:00"), ReminderSettings(leads=["2h"], retry_max_seconds=60))
    bot.channel = bot.sender.channel = HistoryDown(tmp_path / "channel.jsonl", lambda: bot.clock.now)
    bot.channel.failures = ["after"]  # it went out, the reply did not come back, and history cannot be read
    bot.run(ONE, at("2020-10-21T00:30-05:00"), dt.timedelta(minutes=5))
    assert len(bot.texts()) == 1  # never resent
    ((state, error),) = bot.ledger.db.execute("SELECT state, last_error FROM posts")
    assert state == "dropped" and error.startswith("deadline passed; it may have been posted")


class RefusesHomework2(FileChannel):
    """Discord keeps refusing one message (say, a 400 for its content); everything else goes through."""

    async def send(self, content, nonce):
        if "Homework 2" in content:
            raise RuntimeError("400 Bad Request (error code: 50035): Invalid Form Body")
        return await super().send(content, nonce)


def test_a_post_whose_send_keeps_failing_does_not_hold_up_the_others(tmp_path):
    two = course(item("2020-10-20", "Homework 2", "hw2"), item("2020-10-21", "Homework 3", "hw3", due_time="00:30"))
    bot = Bot(tmp_path, at("2020-10-20T21:58-05:00"), ReminderSettings(leads=["2h"]))
    bot.channel = bot.sender.channel = RefusesHomework2(tmp_path / "channel.jsonl", lambda: bot.clock.now)
    bot.run(two, at("2020-10-21T00:30-05:00"), dt.timedelta(seconds=30))
    assert bot.log() == [("Tue 20 22:30", "⏰ **Due in 2 hours**")]  # Homework 3's, on time
    assert "Homework 3" in bot.texts()[0]
    ((state, attempts, error),) = bot.ledger.db.execute("SELECT state, attempts, last_error FROM posts "
                                                        "WHERE content LIKE '%Homework 2%'")
    assert state == "dropped" and attempts >= 10 and "400 Bad Request" in error  # retried until its deadline


def test_a_now_in_the_courses_zone_does_not_fire_an_hour_early_in_the_repeated_hour():
    # Berlin repeats 02:00-03:00 on Sun 2020-10-25. The 1-hour reminder for 03:30 CET fires at
    # 02:30 CET (01:30 UTC), not at the first 02:30 (CEST, 00:30 UTC), an hour before.
    c = course(item("2020-10-25", "Early quiz", "eq", "quiz", due_time="03:30"), tz="Europe/Berlin")
    items = planner.schedule(c, ReminderSettings(leads=["1h"]))
    first_0230 = at("2020-10-25T00:30+00:00").astimezone(c.tz)
    assert (first_0230.hour, first_0230.fold, items[0].fire_at.hour, items[0].fire_at.fold) == (2, 0, 2, 1)
    assert planner.due_posts(items, set(), first_0230) == []
    assert planner.between(items, first_0230 - dt.timedelta(minutes=30), first_0230 + dt.timedelta(minutes=1)) == []
    assert len(planner.due_posts(items, set(), at("2020-10-25T01:30+00:00").astimezone(c.tz))) == 1


def test_quiet_hours_are_the_courses_hours_when_now_comes_in_utc(tmp_path):
    # The cog passes discord.utils.utcnow(): 03:00 UTC is 22:00 in Chicago, inside quiet hours 22:00-08:00.
    quiet = ReminderSettings(quiet_hours={"start": "22:00", "end": "08:00"})
    bot = Bot(tmp_path, at("2020-10-01T12:00-05:00").astimezone(dt.UTC), quiet)
    bot.run(HW, at("2020-10-01T23:00-05:00"))
    moved = course(item("2020-10-21", "Homework 2", "hw2"), item("2020-10-22", "Homework 3", "hw3"))
    bot.run(moved, at("2020-10-02T12:00-05:00"), dt.timedelta(minutes=30))  # edited at 23:00 local (04:00 UTC)
    assert [when for when, _ in bot.log()] == ["Fri 02 08:00"]  # announced when quiet hours end, local time
    c = course(item("2020-10-20", "Noon", "noon", due_time="12:00"))
    items = planner.schedule(c, quiet.model_copy(update={"leads": (dt.timedelta(days=1),)}))
    night = at("2020-10-19T23:30-05:00").astimezone(dt.UTC)  # 04:30 UTC: a catch-up then waits for 08:00
    assert planner.due_posts(items, set(), night, quiet.quiet_hours) == []


def test_the_clock_check_is_not_fooled_by_a_now_in_the_courses_zone_at_the_autumn_change():
    clock = {"mono": 0.0}
    check = ClockCheck(lambda: clock["mono"])
    start = at("2020-11-01T06:30+00:00")  # 01:30 CDT; at 07:00 UTC Chicago's wall clock goes back to 01:00
    for minute in range(60):
        clock["mono"] = minute * 60.0
        assert check.believe((start + dt.timedelta(minutes=minute)).astimezone(ZoneInfo("America/Chicago")))


def test_the_reminder_fault_bench_can_be_included_by_another_bench():
    path = Path(__file__).resolve().parents[2] / "bench" / "reminder_faults.py"
    spec = importlib.util.spec_from_file_location("reminder_faults", path)
    bench = sys.modules[spec.name] = importlib.util.module_from_spec(spec)  # dataclasses look themselves up
    spec.loader.exec_module(bench)
    assert set(bench.FAMILIES) == {"busy channel", "clock skew", "moves and undo", "id renames", "DST", "lock bypass"}
    (row,) = bench.run(["lock bypass"])
    assert (row.attempts, row.handled, row.defects) == (12, 12, []) and row.seconds < 30 and row.peak_kib > 0
    assert "attempts   12  handled   12  defects   0" in row.line()
