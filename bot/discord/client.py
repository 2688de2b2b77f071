"""The bot: a commands.Bot that never pings, asks only for the intents it needs and loads the cogs."""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import discord
from discord import app_commands
from discord.ext import commands

from bot.answer.model import Answer
from bot.discord._ratelimit import RateLimiter
from bot.discord._roles import StaffRoleError, course_guild, holds_role, resolve_staff_role
from bot.knowledge import Course
from bot.serving.feedback import FeedbackStore, FeedbackUnavailable
from bot.serving.live import LiveCourse
from bot.settings import DiscordSettings, Settings

log = logging.getLogger(__name__)

EXTENSIONS = ("bot.discord.answering", "bot.discord.course_info", "bot.discord.staff", "bot.discord.reminders")
FORUM_EXTENSION = "bot.discord.forum"  # loaded when discord.forum_channel_ids is set
# One worker thread answers questions in turn: the encoder already uses every core, and more
# threads only fight over them (and the GIL), which starved the event loop in bench/discord_load.py.
ENGINE_WORKERS = 1
APOLOGY = "Sorry, something went wrong on my side while answering. Please try again in a minute."
NOT_STAFF = "This command is for course staff only."

Clock = Callable[[], dt.datetime]


class Answered(NamedTuple):
    """An answer and the course it was computed from: render the reply from this course only,
    since a reload may swap the serving course while the reply is on its way."""

    answer: Answer
    course: Course


class RateLimited(app_commands.CheckFailure):
    def __init__(self, retry_after: float):
        super().__init__(rate_limit_message(retry_after))
        self.retry_after = retry_after


class NotStaff(app_commands.CheckFailure):
    def __init__(self) -> None:
        super().__init__(NOT_STAFF)


def rate_limit_message(retry_after: float) -> str:
    return (f"You're asking quickly — please wait {max(1, round(retry_after))} s before your next question. "
            "(This keeps the bot fast for everyone.)")


def intents_for(settings: DiscordSettings) -> discord.Intents:
    """Guilds + messages + DMs. Mentions and DMs carry content without the privileged intent;
    a Q&A channel (every message answered) and forum posts (their first message is not a
    mention) need Message Content."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.dm_messages = True
    intents.message_content = settings.qa_channel_id is not None or bool(settings.forum_ids)
    return intents


class CourseTree(app_commands.CommandTree):
    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        """The one error handler: students get a short reply, the log gets the traceback."""
        if isinstance(error, app_commands.CheckFailure):
            text = str(error) if isinstance(error, RateLimited | NotStaff) else NOT_STAFF
        else:
            original = getattr(error, "original", error)
            log.error("command %s failed", getattr(interaction.command, "qualified_name", "?"),
                      exc_info=(type(original), original, original.__traceback__))
            text = APOLOGY
        await reply_privately(interaction, text)


async def reply_privately(interaction: discord.Interaction, text: str) -> None:
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none())
        else:
            await interaction.response.send_message(text, ephemeral=True,
                                                    allowed_mentions=discord.AllowedMentions.none())
    except discord.HTTPException:
        log.exception("could not send the error reply")


class CourseBot(commands.Bot):
    """Holds the serving course (``live_course``), settings and the feedback store."""

    def __init__(self, live_course: LiveCourse, settings: Settings, *, store: FeedbackStore | None = None,
                 clock: Clock | None = None, monotonic: Callable[[], float] = time.monotonic):
        config = settings.discord
        super().__init__(command_prefix=commands.when_mentioned, intents=intents_for(config),
                         allowed_mentions=discord.AllowedMentions.none(), tree_cls=CourseTree, help_command=None)
        self.live_course = live_course
        self.settings = settings
        self.db_path: Path = config.database
        self.store = store or FeedbackStore(config.database)
        self.clock: Clock = clock or discord.utils.utcnow
        self.monotonic = monotonic
        self.limiter = RateLimiter(config.rate_limit_questions, config.rate_limit_seconds)
        self.engine_pool = ThreadPoolExecutor(max_workers=ENGINE_WORKERS, thread_name_prefix="engine")
        self.staff_role_id: int | None = None  # a configured role name, resolved once the guilds are known
        self.startup_error: str | None = None  # set when start-up had to stop (``coursebot run`` prints it)

    @property
    def config(self) -> DiscordSettings:
        return self.settings.discord

    @property
    def default_due_time(self) -> dt.time:
        """One setting for the whole bot: reminders and shown deadlines agree on it."""
        return self.settings.reminders.default_due_time

    def now(self) -> dt.datetime:
        return self.clock()

    async def text_channel(self, channel_id: int) -> discord.abc.Messageable | None:
        """The channel with this id (cached, else fetched), or None if messages cannot be sent there."""
        channel = self.get_channel(channel_id) or await self.fetch_channel(channel_id)
        return channel if isinstance(channel, discord.abc.Messageable) else None

    def check_rate(self, user_id: int) -> float:
        """0 when this user may ask now, else seconds to wait."""
        return self.limiter.allow(user_id, self.monotonic())

    def is_staff(self, user: discord.abc.User) -> bool:
        """Holds the staff role (by id) in the course's server."""
        wanted = self.config.staff_role
        role_id = wanted if isinstance(wanted, int) else self.staff_role_id
        return holds_role(user, role_id, self.config.guild_id)

    async def on_ready(self) -> None:
        await self._resolve_staff_role()

    async def on_guild_join(self, guild: discord.Guild) -> None:
        await self._resolve_staff_role()  # the course's server may be joined after start-up

    async def _resolve_staff_role(self) -> None:
        wanted = self.config.staff_role
        if isinstance(wanted, int) or self.staff_role_id is not None:
            return
        try:
            self.staff_role_id = resolve_staff_role(wanted, self.guilds, self.config.guild_id)
        except StaffRoleError as exc:
            self.startup_error = str(exc)
            log.error("%s", exc)
            await self.close()
            return
        if self.staff_role_id is None and course_guild(self.guilds, self.config.guild_id, wanted) is None:
            log.info("staff role %r: looked up once the bot is in the course's server", wanted)
        elif self.staff_role_id is None:
            log.warning("no role named %r in the course's server: staff tools are refused to everyone", wanted)
        else:
            log.info("staff role %r is role id %d", wanted, self.staff_role_id)

    async def setup_hook(self) -> None:
        forum = (FORUM_EXTENSION,) if self.config.forum_ids else ()
        for name in EXTENSIONS + forum:
            if name in self.extensions:  # setup_hook runs again if the client is restarted
                continue
            await self.load_extension(name)
            log.info("loaded %s", name)
        if self.config.sync_commands:
            await self.sync_commands()
        freeze_heap()


    async def sync_commands(self) -> None:
        guild = discord.Object(self.config.guild_id) if self.config.guild_id else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        synced = await self.tree.sync(guild=guild)
        log.info("synced %d slash commands %s", len(synced), f"to guild {guild.id}" if guild else "globally")

    async def answer(self, question: str) -> Answered:
        """Ask the serving engine, off the event loop (embedding takes tens of ms)."""
        engine = self.live_course.engine  # taken once: a reload swaps it whole
        loop = asyncio.get_running_loop()
        answer = await loop.run_in_executor(self.engine_pool, engine.answer, question, self.now())
        return Answered(answer, engine.course)

    async def record(self, user_id: int, channel: str, answer: Answer) -> int | None:
        """Store the question and answer; its id, or None when the store failed (never blocks an answer)."""
        try:
            return await asyncio.to_thread(
                self.store.record_question, asked_at=self.now(), user_id=user_id, channel=channel,
                question=answer.q, answered=answer.answered, confidence=answer.confidence, answer=answer.answer,
            )
        except FeedbackUnavailable:  # the store logged it once, in one line
            return None
        except Exception:
            log.exception("could not record a question in %s; answering without vote buttons", self.store.path)
            return None

    async def close(self) -> None:
        await super().close()
        self.engine_pool.shutdown(wait=False, cancel_futures=True)

    async def on_message(self, message: discord.Message, /) -> None:
        """No prefix commands: the answering cog listens to messages itself."""

    async def on_error(self, event_method: str, /, *args, **kwargs) -> None:
        log.exception("unhandled error in %s", event_method)


def freeze_heap() -> None:
    """Exempt everything loaded so far (model, index, course) from the cyclic GC.

    The model leaves ~500k long-lived objects; a full collection over them took 300-700 ms
    on the event loop in bench/discord_load.py. Frozen, they are no longer scanned.
    """
    gc.collect()
    gc.freeze()
