"""The reminder cog inside the real CourseBot, against simcord's offline Discord (no network).

simcord swaps only discord.py's HTTP client and gateway; the cog, its tasks.loop, the app
commands, the ledger (a real SQLite file) and the planner run unmodified.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import discord
import icalendar
import pytest
import simcord
from discord.ext import commands

from bot.discord.client import CourseBot
from bot.discord.reminders import ReminderSetupError
from bot.reminders.ledger import Ledger
from bot.serving.live import LiveCourse
from bot.settings import Settings
from bot.settings.reminders import ReminderSettings

NOW = dt.datetime.fromisoformat("2020-10-19T23:59:30-05:00")  # just after Homework 2's 1-day reminder


def make_bot(live: LiveCourse, tmp: Path, clock=lambda: NOW, **reminders) -> CourseBot:
    settings = Settings().model_copy(update={
        "reminders": ReminderSettings(database=tmp / "reminders.sqlite3", **reminders),
        "discord": Settings().discord.model_copy(update={"database": tmp / "feedback.sqlite3"})})
    return CourseBot(live, settings, clock=clock)


def scenario(live: LiveCourse, tmp: Path, body) -> None:
    async def main() -> None:
        async with simcord.run(make_bot(live, tmp)) as env:  # reminders off: the channel does not exist yet
            guild = env.create_guild()
            channel = guild.create_text_channel("reminders")
            student = guild.add_member(env.create_user("student"))
            await body(env, channel, student)

    asyncio.run(main())


def test_the_loop_posts_due_reminders_once_across_a_restart(live, tmp_path):
    async def body(env, channel, student):
        first = make_bot(live, tmp_path, enabled=True, channel=channel.id)
        await env.restart_bot(first)
        await env.settle()
        posted = [m.content for m in channel.history()]
        assert len(posted) == 1  # the first tick, right after the gateway is ready
        assert "**Homework 2**" in posted[0] and "<t:1603256340:F>" in posted[0]
        await first.unload_extension("bot.discord.reminders")  # shutting down: cog_unload stops the loop
        await env.restart_bot(make_bot(live, tmp_path, enabled=True, channel=channel.id))
        await env.advance_time(120)  # a few more ticks of the new bot on the same ledger
        assert [m.content for m in channel.history()] == posted

    scenario(live, tmp_path, body)


def test_remindme_and_calendar(live, tmp_path):
    async def body(env, channel, student):
        await env.restart_bot(make_bot(live, tmp_path, enabled=True, channel=channel.id))
        result = await student.slash(channel, "remindme", state="on")
        assert result.ephemeral and "by DM" in result.response.content
        result = await student.slash(channel, "calendar")
        (attachment,) = result.response.attachments
        assert attachment.filename.endswith(".ics")
        cal = icalendar.Calendar.from_ical(await attachment.read())
        assert len(cal.walk("VEVENT")) == 34

    scenario(live, tmp_path, body)
    ledger = Ledger.open(tmp_path / "reminders.sqlite3", lock=False)  # the simulated bot still holds it
    assert len(ledger.dm_users()) == 1


@pytest.mark.parametrize("channel", [None, 424242])
def test_a_missing_or_wrong_channel_stops_start_up(live, tmp_path, channel):
    async def body(env, _channel, _student):
        with pytest.raises((ReminderSetupError, commands.ExtensionFailed, discord.DiscordException)) as info:
            await env.restart_bot(make_bot(live, tmp_path, enabled=True, channel=channel))
        assert "reminders.channel" in str(info.value)

    scenario(live, tmp_path, body)


def test_a_second_instance_on_the_same_ledger_is_refused(live, tmp_path):
    async def body(env, channel, _student):
        await env.restart_bot(make_bot(live, tmp_path, enabled=True, channel=channel.id))
        with pytest.raises(commands.ExtensionFailed, match="only one may send reminders"):
            await env.restart_bot(make_bot(live, tmp_path, enabled=True, channel=channel.id))

    scenario(live, tmp_path, body)


@pytest.mark.parametrize("chatter", [0, 250])
def test_a_post_sent_just_before_a_crash_is_found_in_the_channel_history_not_resent(live, tmp_path, chatter):
    from bot.reminders.ledger import CHANNEL
    from bot.reminders.sender import Sender

    async def body(env, channel, student):
        settings = ReminderSettings(enabled=True, channel=channel.id, database=tmp_path / "reminders.sqlite3")
        ledger = Ledger.open(settings.database)
        Sender(ledger, None, settings).plan(live.course, NOW)  # type: ignore[arg-type]
        (post,) = ledger.ready(NOW)
        ledger.attempt(post.nonce)  # the old process began sending ...
        sent = await env.bot.get_channel(channel.id).send(post.content, nonce=post.nonce)  # ... it went out
        ledger.close()  # ... and the process died before recording it
        for n in range(chatter):  # more than a page of history by others before the restart
            await student.send(channel, f"question {n}")
        await env.restart_bot(make_bot(live, tmp_path, enabled=True, channel=channel.id))
        await env.settle()
        assert [m.id for m in channel.history() if m.author.id == sent.author.id] == [sent.id]  # not resent
        (row,) = Ledger.open(settings.database, lock=False).db.execute(
            "SELECT state, message_id FROM posts WHERE target=?", (CHANNEL,))
        assert row == ("sent", sent.id)

    scenario(live, tmp_path, body)


def test_a_post_refused_by_discord_is_retried_and_stays_unrecorded(live, tmp_path, caplog):
    async def main() -> None:
        async with simcord.run(make_bot(live, tmp_path)) as env:
            guild = env.create_guild()
            muted = guild.create_text_channel(
                "reminders", overwrites={guild.me: discord.PermissionOverwrite(send_messages=False)})
            start = env.now()
            clock = lambda: NOW + (env.now() - start)  # noqa: E731  (simcord's virtual time, from NOW)
            await env.restart_bot(make_bot(live, tmp_path, clock, enabled=True, channel=muted.id))
            await env.settle()
            await env.advance_time(60)  # the loop ticks again; the retry is due after 5 s, then 10 s
            assert muted.history() == []
            rows = list(Ledger.open(tmp_path / "reminders.sqlite3", lock=False).db.execute(
                "SELECT state, last_error FROM posts"))
            assert rows and all(state == "intent" and "Forbidden" in error for state, error in rows)

    asyncio.run(main())
    failures = [r for r in caplog.records if "failed (try" in r.getMessage()]
    assert len(failures) >= 2 and "Missing Permissions" in failures[0].getMessage()
    assert any("lacks send_messages in the reminder channel" in r.getMessage() for r in caplog.records)


def test_a_damaged_ledger_stops_the_reminders_with_one_line_and_posts_nothing(live, tmp_path):
    """Issue 11 (bench): an emptied ledger was taken for a new one, and the bot posted every reminder again."""
    ledger = Ledger.open(tmp_path / "reminders.sqlite3")
    ledger.close()
    (tmp_path / "reminders.sqlite3").write_bytes(b"")

    async def body(env, channel, _student):
        with pytest.raises(commands.ExtensionFailed) as info:
            await env.restart_bot(make_bot(live, tmp_path, enabled=True, channel=channel.id))
        [line] = str(info.value.original).splitlines()
        assert str(tmp_path / "reminders.sqlite3") in line and "is empty" in line
        assert list(channel.history()) == []  # the bot stopped before its first tick

    scenario(live, tmp_path, body)
