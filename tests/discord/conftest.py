"""A real CourseBot on the real engine, driven through simcord's offline Discord.

simcord replaces only discord.py's HTTP client and feeds gateway payloads to discord.py's
own parsers, so the CommandTree, checks, views and error handlers run unmodified. The
fixtures are here; the world they build (and the fakes tests import) are in tests/helpers.py.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import simcord
from helpers import KNOWLEDGE, Clock, Scenario, build_world, make_bot

from bot.serving.feedback import FeedbackStore
from bot.serving.live import LiveCourse
from bot.settings import Settings


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
