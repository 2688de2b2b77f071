"""The sender against a fake channel (the network boundary) and a real SQLite ledger."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from fake_channel import FileChannel
from reminder_kit import at, course, item

from bot.reminders import planner
from bot.reminders.ledger import CHANNEL, Ledger
from bot.reminders.sender import Sender
from bot.settings.reminders import ReminderSettings

DEFAULT = ReminderSettings()
HOUR = dt.timedelta(hours=1)


@dataclass
class Clock:
    now: dt.datetime


class Bot:
    """One bot process: a ledger, a channel, a sender; ``restart()`` is a new process on the same files."""

    def __init__(self, tmp: Path, start: dt.datetime, settings: ReminderSettings = DEFAULT, strict: bool = True,
                 **channel):
        self.tmp, self.settings, self.clock = tmp, settings, Clock(start)
        self.strict = strict  # False: a failed tick is logged and the loop goes on, as in the cog
        self.errors: list[Exception] = []
        self.jump = dt.timedelta(0)  # how far the wall clock handed to the sender is off the true one
        self.channel = FileChannel(tmp / "channel.jsonl", lambda: self.clock.now, **channel)
        self.dms: dict[int, FileChannel] = {}
        self.ledger = Ledger.open(tmp / "ledger.sqlite3")
        self.sender = Sender(self.ledger, self.channel, settings, self.open_dm, self.monotonic)

    def monotonic(self) -> float:
        """The true time in seconds: the simulated clock, not the wall clock ``jump`` may skew."""
        return self.clock.now.timestamp()

    async def open_dm(self, user: int) -> FileChannel:
        return self.dms.setdefault(user, FileChannel(self.tmp / f"dm-{user}.jsonl", lambda: self.clock.now))

    def restart(self, settings: ReminderSettings | None = None) -> None:
        self.settings = settings or self.settings
        self.ledger.close()
        self.ledger = Ledger.open(self.tmp / "ledger.sqlite3")
        self.sender = Sender(self.ledger, self.channel, self.settings, self.open_dm, self.monotonic)

    def run(self, c, until: dt.datetime, step: dt.timedelta = HOUR) -> None:
        while self.clock.now < until:
            try:
                asyncio.run(self.sender.tick(c, self.clock.now + self.jump))
            except Exception as exc:
                if self.strict:
                    raise
                self.errors.append(exc)
            self.clock.now += step

    def texts(self) -> list[str]:
        return [m["content"] for m in self.channel.messages()]

    def log(self) -> list[tuple[str, str]]:
        """(course-local posting time, first sentence) of every message, for readable assertions."""
        return [(dt.datetime.fromisoformat(m["created_at"]).astimezone(ZoneInfo("America/Chicago")).strftime(
            "%a %d %H:%M"), m["content"].split(": <t:")[0].split(". Now due")[0]) for m in self.channel.messages()]


HW = course(item("2020-10-20", "Homework 2", "hw2"), item("2020-10-22", "Homework 3", "hw3"))
ONE = course(item("2020-10-20", "Homework 2", "hw2"))


def test_a_running_bot_posts_exactly_what_the_planner_simulates(tmp_path):
    start, end = at("2020-10-10T00:00-05:00"), at("2020-10-24T00:00-05:00")
    bot = Bot(tmp_path, start)
    moments = {p.fire_at for p in planner.schedule(HW, DEFAULT)} | {start + k * HOUR for k in range(14 * 24)}
    for moment in sorted(m for m in moments if start <= m < end):
        bot.clock.now = moment
        asyncio.run(bot.sender.tick(HW, moment))
    expected = planner.simulate(planner.schedule(HW, DEFAULT), start, end)
    assert len(bot.texts()) == len(expected) == 6
    messages = bot.channel.messages()
    assert [dt.datetime.fromisoformat(m["created_at"]) for m in messages] == [when for when, _ in expected]
    assert len({m["nonce"] for m in messages}) == 6
    assert all(len(m["nonce"]) <= 25 for m in messages)


def test_crash_after_posting_before_recording_does_not_post_twice(tmp_path):
    bot = Bot(tmp_path, at("2020-10-19T23:59-05:00"))
    bot.sender.plan(ONE, bot.clock.now)
    (post,) = bot.ledger.ready(bot.clock.now)
    bot.ledger.attempt(post.nonce)
    message_id = asyncio.run(bot.channel.send(post.content, post.nonce))  # posted; the process dies here
    bot.restart()
    bot.clock.now += dt.timedelta(minutes=1)
    bot.run(ONE, bot.clock.now + dt.timedelta(minutes=1), dt.timedelta(minutes=1))
    assert len(bot.texts()) == 1
    (row,) = bot.ledger.db.execute("SELECT state, message_id FROM posts")
    assert row == ("sent", message_id)


def test_crash_after_recording_before_posting_posts_once(tmp_path):
    bot = Bot(tmp_path, at("2020-10-19T23:59-05:00"))
    bot.sender.plan(ONE, bot.clock.now)
    bot.ledger.attempt(bot.ledger.ready(bot.clock.now)[0].nonce)  # the send began, then the crash
    bot.restart()
    bot.run(ONE, bot.clock.now + dt.timedelta(minutes=2), dt.timedelta(minutes=1))
    assert len(bot.texts()) == 1 and "Homework 2" in bot.texts()[0]


def test_an_intent_left_for_hours_is_replanned_with_the_true_time_left(tmp_path):
    bot = Bot(tmp_path, at("2020-10-19T23:59-05:00"))
    bot.sender.plan(ONE, bot.clock.now)
    bot.ledger.attempt(bot.ledger.ready(bot.clock.now)[0].nonce)
    bot.restart()
    bot.clock.now = at("2020-10-20T19:59-05:00")  # back up 20 hours later
    bot.run(ONE, bot.clock.now + dt.timedelta(minutes=2), dt.timedelta(minutes=1))
    (text,) = bot.texts()
    assert "Due in 4 hours" in text


def test_failed_posts_retry_with_backoff_and_stay_unrecorded_until_they_succeed(tmp_path, caplog):
    bot = Bot(tmp_path, at("2020-10-19T23:59-05:00"), ReminderSettings(retry_base_seconds=60))
    bot.channel.failures = ["before", "before", "after"]
    caplog.set_level(logging.WARNING, logger="bot.reminders.sender")
    times = []
    for _ in range(20):
        report = asyncio.run(bot.sender.tick(ONE, bot.clock.now))
        if report.posted or report.confirmed:
            times.append(bot.clock.now)
        bot.clock.now += dt.timedelta(seconds=30)
        states = [row[0] for row in bot.ledger.db.execute("SELECT state FROM posts")]
        assert states in (["intent"], ["sent"])
    assert len(bot.texts()) == 1  # the "after" failure had posted: found, not resent
    assert sum("failed" in r.getMessage() for r in caplog.records) == 3
    # tries at 23:59:00, then +60 s, +120 s, +240 s (backoff); the third try had gone through,
    # so at 00:06 the channel lookup confirms it instead of posting again
    assert times == [at("2020-10-20T00:06:00-05:00")]


def test_a_post_failing_until_its_deadline_is_dropped_loudly(tmp_path, caplog):
    bot = Bot(tmp_path, at("2020-10-20T21:59-05:00"), ReminderSettings(leads=["2h"], retry_max_seconds=60))
    bot.channel.failures = ["before"] * 1000
    bot.run(HW, at("2020-10-21T00:30-05:00"), dt.timedelta(minutes=1))
    assert bot.texts() == []
    assert any(r.levelno == logging.ERROR and "deadline passed" in r.getMessage() for r in caplog.records)
    assert bot.ledger.settled()  # never planned again for the past deadline


def test_downtime_catch_up_then_normal_reminders(tmp_path):
    bot = Bot(tmp_path, at("2020-10-20T03:59-05:00"))  # first start 20 h before hw2
    bot.run(HW, at("2020-10-23T00:00-05:00"))
    texts = bot.texts()
    assert "Due in 20 hours" in texts[0] and "Homework 2" in texts[0]
    hw2 = [t for t in texts if "Homework 2" in t]
    assert len(hw2) == 2 and "Due in 2 hours" in hw2[1]
    assert [t for t in texts if "Homework 3" in t][0].startswith("⏰ **Due in 3")  # 7-day one missed


def test_nothing_for_deadlines_that_passed_while_down(tmp_path):
    bot = Bot(tmp_path, at("2020-10-23T00:00-05:00"))
    bot.run(HW, at("2020-10-24T00:00-05:00"))
    assert bot.texts() == []


def test_a_moved_deliverable_gets_one_notice_and_reminders_only_for_its_new_date(tmp_path):
    bot = Bot(tmp_path, at("2020-10-13T00:00-05:00"))
    bot.run(HW, at("2020-10-15T00:00-05:00"))  # hw2's 7-day reminder went out
    moved = course(item("2020-10-22", "Homework 2", "hw2"), item("2020-10-22", "Homework 3", "hw3"))
    bot.run(moved, at("2020-10-24T00:00-05:00"))
    texts = bot.texts()
    notices = [t for t in texts if "moved" in t]
    assert len(notices) == 1 and "**Homework 2** moved from Tue Oct 20 to Thu Oct 22" in notices[0]
    after = texts[texts.index(notices[0]) + 1:]
    assert not any("Oct 20" in t for t in after)
    # now due together: one message each for 7 days, 1 day, 2 hours before Thu Oct 22
    assert len(after) == 3 and all("Homework 2" in t and "Homework 3" in t for t in after)
    assert ["Due in 7 days" in after[0], "Due in 1 day" in after[1], "Due in 2 hours" in after[2]] == [True] * 3
    assert all("Thu Oct 22, 11:59pm CDT" in t for t in after)


def test_a_removed_deliverable_gets_one_notice_and_no_more_reminders(tmp_path):
    bot = Bot(tmp_path, at("2020-10-13T00:00-05:00"))
    bot.run(HW, at("2020-10-15T00:00-05:00"))
    removed = course(item("2020-10-22", "Homework 3", "hw3"))
    bot.run(removed, at("2020-10-24T00:00-05:00"))
    texts = bot.texts()
    assert sum("removed" in t for t in texts) == 1
    assert sum("Homework 2" in t for t in texts) == 2  # the 7-day reminder and the notice


def test_a_moved_deliverable_is_announced_once_across_a_restart(tmp_path):
    bot = Bot(tmp_path, at("2020-10-13T00:00-05:00"))
    bot.run(HW, at("2020-10-15T00:00-05:00"))
    moved = course(item("2020-10-27", "Homework 2", "hw2"), item("2020-10-22", "Homework 3", "hw3"))
    bot.run(moved, at("2020-10-15T02:00-05:00"))
    bot.restart()
    bot.run(moved, at("2020-10-16T00:00-05:00"))
    assert sum("moved" in t for t in bot.texts()) == 1


def test_students_who_opted_in_get_a_dm_copy(tmp_path):
    bot = Bot(tmp_path, at("2020-10-19T23:59-05:00"))
    bot.ledger.set_dm(11, True, bot.clock.now)
    bot.run(ONE, at("2020-10-20T00:01-05:00"), dt.timedelta(minutes=1))
    assert [m["content"] for m in bot.dms[11].messages()] == bot.texts()
    bot.ledger.set_dm(11, False, bot.clock.now)
    bot.run(ONE, at("2020-10-20T23:00-05:00"))
    assert len(bot.texts()) == 2 and len(bot.dms[11].messages()) == 1


def test_each_ledger_row_matches_one_channel_message(tmp_path):
    bot = Bot(tmp_path, at("2020-10-10T00:00-05:00"), nonce_window=dt.timedelta(minutes=5))
    bot.run(HW, at("2020-10-24T00:00-05:00"))
    sent = dict(bot.ledger.db.execute("SELECT nonce, message_id FROM posts WHERE target=?", (CHANNEL,)))
    assert sent == {m["nonce"]: m["id"] for m in bot.channel.messages()}


def test_a_date_moved_before_any_reminder_is_still_announced(tmp_path):
    bot = Bot(tmp_path, at("2020-10-01T00:00-05:00"))
    bot.run(HW, at("2020-10-02T00:00-05:00"))
    assert bot.texts() == []  # nothing due yet, but the dates were seen
    moved = course(item("2020-10-21", "Homework 2", "hw2"), item("2020-10-22", "Homework 3", "hw3"))
    bot.run(moved, at("2020-10-03T00:00-05:00"))
    assert [t.split(".")[0] for t in bot.texts()] == ["📅 **Homework 2** moved from Tue Oct 20 to Wed Oct 21"]


def test_the_day_before_reminder_fires_at_2359_local_across_the_dst_change(tmp_path):
    dst = course(item("2020-11-01", "Homework 5", "hw5"), item("2020-11-02", "Homework 6", "hw6"))
    bot = Bot(tmp_path, at("2020-10-31T23:30-05:00"), ReminderSettings(leads=["1d"]))
    bot.run(dst, at("2020-11-01T00:30-05:00"), dt.timedelta(minutes=1))
    bot.clock.now = at("2020-11-01T23:30-06:00")
    bot.run(dst, at("2020-11-02T00:30-06:00"), dt.timedelta(minutes=1))
    posted = [dt.datetime.fromisoformat(m["created_at"]).astimezone(ZoneInfo("America/Chicago"))
              for m in bot.channel.messages()]
    assert [p.isoformat() for p in posted] == ["2020-10-31T23:59:00-05:00", "2020-11-01T23:59:00-06:00"]


def test_a_date_change_found_at_night_is_announced_when_quiet_hours_end(tmp_path):
    quiet = ReminderSettings(quiet_hours={"start": "22:00", "end": "08:00"})
    bot = Bot(tmp_path, at("2020-10-01T12:00-05:00"), quiet)
    bot.run(HW, at("2020-10-01T23:00-05:00"))
    moved = course(item("2020-10-21", "Homework 2", "hw2"), item("2020-10-22", "Homework 3", "hw3"))
    bot.run(moved, at("2020-10-02T12:00-05:00"), dt.timedelta(minutes=30))
    (notice,) = bot.channel.messages()
    assert dt.datetime.fromisoformat(notice["created_at"]) == at("2020-10-02T08:00:00-05:00")
    assert "moved" in notice["content"]


def test_a_student_with_closed_dms_is_given_up_on_without_holding_up_the_channel(tmp_path):
    bot = Bot(tmp_path, at("2020-10-19T23:59-05:00"), ReminderSettings(retry_max_seconds=60))
    bot.ledger.set_dm(11, True, bot.clock.now)
    asyncio.run(bot.open_dm(11)).failures = ["before"] * 100  # 403: cannot send messages to this user
    bot.run(ONE, at("2020-10-20T23:00-05:00"), dt.timedelta(minutes=1))
    assert len(bot.texts()) == 2 and bot.dms[11].messages() == []
    states = [row for row in bot.ledger.db.execute("SELECT state, attempts FROM posts WHERE target='user:11'")]
    assert states == [("dropped", 5), ("dropped", 5)]


class BlindChannel(FileChannel):
    """A channel whose history cannot be read (no Read Message History)."""

    async def recent(self, after):
        raise PermissionError("403 Forbidden (50001): Missing Access")
        yield  # an async generator, like the real one


def test_an_unverifiable_post_is_not_resent_and_is_dropped_at_its_deadline(tmp_path, caplog):
    bot = Bot(tmp_path, at("2020-10-20T21:59-05:00"), ReminderSettings(leads=["2h"], retry_max_seconds=60))
    bot.channel = BlindChannel(tmp_path / "channel.jsonl", lambda: bot.clock.now)
    bot.sender.channel = bot.channel
    bot.sender.plan(ONE, bot.clock.now)
    bot.ledger.attempt(bot.ledger.ready(bot.clock.now)[0].nonce)  # a crash mid-send, then this restart
    bot.run(ONE, at("2020-10-21T00:30-05:00"), dt.timedelta(minutes=5))
    assert bot.texts() == []  # never risked twice
    assert [r[0] for r in bot.ledger.db.execute("SELECT state FROM posts")] == ["dropped"]
    assert any(r.levelno == logging.ERROR for r in caplog.records)
