"""A real CourseBot on the real engine, driven through simcord's offline Discord.

simcord replaces only discord.py's HTTP client and feeds gateway payloads to discord.py's
own parsers, so the CommandTree, checks, views and error handlers run unmodified.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import discord
import pytest
import simcord

from bot.discord.client import CourseBot
from bot.serving.feedback import FeedbackStore
from bot.serving.live import LiveCourse
from bot.settings import DiscordSettings, Settings

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"

NOW = dt.datetime.fromisoformat("2020-10-19T09:00-05:00")  # Monday of week 6; Homework 2 due tomorrow


class Clock:
    """Injected monotonic time for the rate limiter (seconds)."""

    def __init__(self) -> None:
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value


@dataclass
class World:
    env: simcord.Env
    bot: CourseBot
    guild: simcord.GuildHandle
    channel: simcord.ChannelHandle
    staff_channel: simcord.ChannelHandle
    qa_channel: simcord.ChannelHandle
    staff_role: simcord.RoleHandle
    student: simcord.MemberActor
    teacher: simcord.MemberActor


Scenario = Callable[[World], Awaitable[None]]


@pytest.fixture(scope="session")
def live(engine, embedder, index_root) -> LiveCourse:
    """The serving course around the session's already-loaded engine (no second model load)."""
    return LiveCourse(KNOWLEDGE, Settings(), index_root / "fall2020", embedder, engine)


@pytest.fixture
def store(tmp_path: Path) -> FeedbackStore:
    return FeedbackStore(tmp_path / "feedback.sqlite3")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def drive(live, store, clock):
    """drive(scenario, live=..., **discord_settings): run one scenario against a fresh bot."""

    def run(scenario: Scenario, *, course: LiveCourse | None = None, check_errors: bool = True,
            **overrides) -> None:
        asyncio.run(_main(scenario, course or live, store, clock, overrides, check_errors))

    return run


async def _main(scenario, live, store, clock, overrides, check_errors) -> None:
    bot = make_bot(live, store, clock, **overrides)
    async with simcord.run(bot, check_errors=check_errors) as env:
        world = build_world(env, bot)
        bot.settings = bot.settings.model_copy(update={"discord": bot.config.model_copy(update={
            "qa_channel_id": world.qa_channel.id if overrides.get("qa_channel_id") else None,
            "staff_channel_id": world.staff_channel.id, "staff_role": world.staff_role.id})})
        await scenario(world)


def make_bot(live: LiveCourse, store: FeedbackStore, clock: Clock, **overrides) -> CourseBot:
    config = DiscordSettings(**{"database": store.path, **overrides})
    settings = Settings(discord=config)
    return CourseBot(live, settings, store=store, clock=lambda: NOW, monotonic=clock)


def fresh_bot(w: World) -> CourseBot:
    """A second bot process on the same course, database and settings (for restarts)."""
    bot = CourseBot(w.bot.live_course, w.bot.settings, store=w.bot.store, clock=w.bot.clock,
                    monotonic=w.bot.monotonic)
    w.bot = bot
    return bot


def build_world(env: simcord.Env, bot: CourseBot) -> World:
    guild = env.create_guild()
    staff_role = guild.create_role("Staff")
    return World(
        env=env, bot=bot, guild=guild,
        channel=guild.create_text_channel("general"),
        staff_channel=guild.create_text_channel("staff"),
        qa_channel=guild.create_text_channel("questions"),
        staff_role=staff_role,
        student=guild.add_member(env.create_user("student")),
        teacher=guild.add_member(env.create_user("teacher"), roles=[staff_role]),
    )


def embed_text(embed: discord.Embed) -> str:
    parts = [embed.title or "", embed.description or ""]
    parts += [f"{f.name}\n{f.value}" for f in embed.fields]
    return "\n".join(parts)
