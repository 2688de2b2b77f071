"""The reminder cog: the sender's ``tasks.loop``, ``/remindme`` and ``/calendar``.

The Discord side of ``bot.reminders`` (which never imports discord): it reads the serving
course from ``bot.live_course`` on every tick, its settings from ``bot.settings.reminders``,
and the time from ``bot.now()`` (an injectable clock).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import AsyncGenerator
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot.discord.client import CourseBot
from bot.knowledge.course import slugify
from bot.reminders.ics import calendar_ics
from bot.reminders.ledger import Ledger
from bot.reminders.sender import Channel, Seen, Sender
from bot.settings.reminders import ReminderSettings

log = logging.getLogger(__name__)
NO_MENTIONS = discord.AllowedMentions.none()
NEEDED = ("view_channel", "send_messages", "read_message_history")
PostChannel = discord.TextChannel | discord.Thread | discord.VoiceChannel  # guild channels that take messages


class ReminderSetupError(RuntimeError):
    """Reminders are enabled but cannot run: raised from cog_load so the bot does not start."""


class DiscordChannel:
    """The sender's Channel protocol over a discord.py messageable."""

    def __init__(self, target: discord.abc.Messageable, me: int):
        self.target, self.me = target, me

    async def send(self, content: str, nonce: str) -> int:
        # discord.py sends enforce_nonce with every nonce: a repeat within minutes returns the original.
        message = await self.target.send(content, nonce=nonce, allowed_mentions=NO_MENTIONS)
        return message.id

    async def recent(self, after: int) -> AsyncGenerator[Seen, None]:
        # Every page back from the newest to ``after`` (not a fixed limit), newest first: the
        # ``before`` paging that discord.py uses here is the same on Discord and on simcord.
        async for message in self.target.history(limit=None, after=discord.Object(id=after), oldest_first=False):
            if message.author.id == self.me:
                nonce = None if message.nonce is None else str(message.nonce)
                yield Seen(message.id, message.content, nonce, message.created_at)


class Reminders(commands.Cog):
    def __init__(self, bot: CourseBot):
        self.bot = bot
        self.ledger: Ledger | None = None
        self.channel: DiscordChannel | None = None
        self.sender: Sender | None = None

    @property
    def settings(self) -> ReminderSettings:
        return self.bot.settings.reminders

    def now(self) -> dt.datetime:
        return self.bot.now()

    async def cog_load(self) -> None:
        settings = self.settings
        if not settings.enabled:
            log.info("reminders are off (reminders.enabled: false)")
            return
        channel = await self._reminder_channel(settings)
        self.ledger = Ledger.open(settings.database)  # raises LedgerLocked if another bot runs
        me = self.bot.user.id if self.bot.user else 0
        self.channel = DiscordChannel(channel, me)
        self.sender = Sender(self.ledger, self.channel, settings, self._open_dm)
        self.tick.change_interval(seconds=settings.poll_seconds)
        self.tick.start()
        log.info("reminders post to #%s every %ss", channel.name, settings.poll_seconds)

    async def cog_unload(self) -> None:
        self.tick.cancel()
        if self.ledger is not None:
            self.ledger.close()
            self.ledger = None

    async def _reminder_channel(self, settings: ReminderSettings) -> PostChannel:
        if settings.channel is None:
            raise ReminderSetupError("reminders are enabled but reminders.channel is not set in config.yaml: "
                                     "give the id of the channel to post in, or set reminders.enabled: false")
        try:
            channel = self.bot.get_channel(settings.channel) or await self.bot.fetch_channel(settings.channel)
        except (discord.NotFound, discord.Forbidden) as exc:
            raise ReminderSetupError(f"reminders.channel {settings.channel} is not a channel this bot can see "
                                     f"({exc.text or exc.status}); check the id and the bot's access") from exc
        if not isinstance(channel, PostChannel):
            raise ReminderSetupError(f"reminders.channel {settings.channel} is a {type(channel).__name__}, "
                                     "not a channel the bot can post messages in")
        return channel

    async def _open_dm(self, user_id: int) -> Channel:
        user = self.bot.get_user(user_id) or await self.bot.fetch_user(user_id)
        dm = user.dm_channel or await user.create_dm()
        return DiscordChannel(dm, self.bot.user.id if self.bot.user else 0)

    @tasks.loop(seconds=30)
    async def tick(self) -> None:
        assert self.sender is not None
        try:
            report = await self.sender.tick(self.bot.live_course.course, self.now())
        except Exception:  # one bad tick must not stop the loop
            log.exception("reminder tick failed")
            return
        if report.posted or report.failed or report.dropped:
            log.info("reminders: %s", report)

    @tick.before_loop
    async def _ready(self) -> None:
        await self.bot.wait_until_ready()
        self._check_permissions()

    def _check_permissions(self) -> None:
        """Say loudly if the channel lacks what posting and reconciling need (guild data is ready now)."""
        assert self.channel is not None
        channel = self.bot.get_channel(self.settings.channel or 0)  # the cached one knows its guild now
        if not isinstance(channel, PostChannel):
            return
        self.channel.target = channel
        guild = channel.guild
        if guild.me is None:
            return
        allowed = channel.permissions_for(guild.me)
        missing = [name for name in NEEDED if not getattr(allowed, name)]
        if missing:
            log.error("the bot lacks %s in the reminder channel #%s: reminders will fail and be retried",
                      ", ".join(missing), channel.name)

    @app_commands.command(name="remindme", description="Get deadline reminders by DM too (on), or stop them (off).")
    @app_commands.describe(state="on: DM me each reminder; off: stop")
    async def remindme(self, interaction: discord.Interaction, state: Literal["on", "off"]) -> None:
        if self.ledger is None or not self.settings.dm:
            text = "DM reminders are not available for this course; reminders are posted in the course channel."
        else:
            self.ledger.set_dm(interaction.user.id, state == "on", self.now())
            text = ("You'll get each deadline reminder by DM as well. `/remindme off` stops it."
                    if state == "on" else "DM reminders are off. You'll still see them in the course channel.")
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @app_commands.command(name="calendar", description="Get every deadline and class as a calendar file (.ics).")
    async def calendar(self, interaction: discord.Interaction) -> None:
        course = self.bot.live_course.course
        data = calendar_ics(course, self.settings, self.now())
        name = f"{slugify(course.info.code)}-{slugify(course.info.term)}.ics"
        await interaction.response.send_message(
            "Import this into Google Calendar, Outlook or Apple Calendar; importing a newer copy later "
            "updates the same events.", file=discord.File(io.BytesIO(data), filename=name), ephemeral=True,
            allowed_mentions=NO_MENTIONS)


async def setup(bot: CourseBot) -> None:
    await bot.add_cog(Reminders(bot))
