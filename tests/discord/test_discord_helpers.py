"""The adapter's pure helpers: token lookup, rate limiting, deadline stamps, schedule selection."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import NOW

from bot.discord import _dates
from bot.discord._ratelimit import RateLimiter
from bot.discord._schedule import NotUnderstood, select_sessions
from bot.discord._token import find_token, read_env_file
from bot.format import stamp


def test_token_comes_from_the_environment_first_then_dotenv(tmp_path, monkeypatch):
    env_file = tmp_path / ".env"
    env_file.write_text('# secrets\nexport DISCORD_TOKEN="from-file" # note\nOTHER=1\n')
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    assert find_token(env_file) == "from-file"
    monkeypatch.setenv("DISCORD_TOKEN", "from-env")
    assert find_token(env_file) == "from-env"
    monkeypatch.setenv("DISCORD_TOKEN", "  ")
    assert find_token(tmp_path / "missing") is None
    assert read_env_file(env_file) == {"DISCORD_TOKEN": "from-file", "OTHER": "1"}


def test_rate_limiter_is_per_user_and_slides():
    limiter = RateLimiter(2, 60)
    assert limiter.allow(1, 0) == 0 and limiter.allow(1, 10) == 0
    assert limiter.allow(1, 20) == pytest.approx(40)
    assert limiter.allow(2, 20) == 0
    assert limiter.allow(1, 60.5) == 0  # the first one left the window


def test_deadlines_an_answer_states_come_from_its_refs_not_its_text(course, engine):
    answer = engine.answer("when is homework 2 due?", NOW)
    assert [d.id for d in _dates.stated(course, answer.refs)] == ["homework-2"]
    policy = engine.answer("what is the late policy?", NOW)
    assert _dates.stated(course, policy.refs) == []


def test_stamps_use_the_course_zone_and_say_when_the_time_is_assumed(course):
    due = next(d for d in course.deliverables if d.id == "homework-2")
    moment = dt.datetime(2020, 10, 20, 23, 59, tzinfo=course.tz)
    text = _dates.due_stamp(course, due, dt.time(23, 59))
    assert f"<t:{int(moment.timestamp())}:F> (<t:{int(moment.timestamp())}:R>)" in text
    assert "end of day assumed" in text
    with pytest.raises(ValueError):
        stamp(dt.datetime(2020, 1, 1))  # noqa: DTZ001 — naive is refused


@pytest.mark.parametrize(("when", "dates"), [
    ("week 6", ["2020-10-20", "2020-10-22"]),
    ("6", ["2020-10-20", "2020-10-22"]),
    ("2020-10-22", ["2020-10-22"]),
    ("oct 22", ["2020-10-22"]),
    ("tomorrow", ["2020-10-20"]),
    (None, ["2020-10-20", "2020-10-22"]),
])
def test_schedule_reads_weeks_dates_and_relative_days(course, when, dates):
    picked = select_sessions(course, when, NOW)
    assert [s.date.isoformat() for s in picked.sessions] == dates


def test_schedule_says_what_works_when_it_cannot_read_the_input(course):
    with pytest.raises(NotUnderstood, match="week 5"):
        select_sessions(course, "sometime soon", NOW)


def test_no_privileged_intent_unless_a_qa_channel_is_configured():
    from bot.discord.client import intents_for
    from bot.settings import DiscordSettings

    plain = intents_for(DiscordSettings())
    assert not (plain.message_content or plain.members or plain.presences)
    assert plain.guilds and plain.guild_messages and plain.dm_messages
    assert intents_for(DiscordSettings(qa_channel_id=123)).message_content
    # A post's first message is no mention of the bot: reading it needs the intent too.
    assert intents_for(DiscordSettings(forum_channel_id=5)).message_content
    assert intents_for(DiscordSettings(forum_channel_ids=[5, 6])).message_content
    assert DiscordSettings(forum_channel_id=5, forum_channel_ids=[6]).forum_ids == {5, 6}


def test_the_documented_invite_integer_is_the_sum_of_its_table_and_includes_manage_threads():
    import re
    from pathlib import Path

    import discord

    text = (Path(__file__).resolve().parents[2] / "docs" / "discord.md").read_text()
    [url_value] = {int(v) for v in re.findall(r"permissions=(\d+)", text)}
    stated = int(re.search(r"Permissions integer `(\d+)`", text)[1])
    rows = [int(v) for v in re.findall(r"^  \| [^|]+ \| [^|]+ \| (\d+) \|$", text, re.MULTILINE)]
    assert url_value == stated == sum(rows)
    assert discord.Permissions(url_value).manage_threads  # forum tags
