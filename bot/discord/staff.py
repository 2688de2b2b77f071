"""Staff tools, gated by the configured staff role: /reload, /unanswered, /stats."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord import _format
from bot.discord.client import CourseBot, NotStaff, freeze_heap
from bot.format import defang, fit
from bot.serving.feedback import Stats, Unanswered
from bot.serving.live import ReloadResult

log = logging.getLogger(__name__)

NONE = discord.AllowedMentions.none()
UNANSWERED_SHOWN = 20


def staff_check(interaction: discord.Interaction[CourseBot]) -> bool:
    """The staff role by id, in the course's server (bot/discord/_roles.py says why not by name)."""
    if not interaction.client.is_staff(interaction.user):
        raise NotStaff()
    return True


def unanswered_text(items: list[Unanswered], days: int) -> str:
    if not items:
        return f"No declined or 👎 questions in the last {days} day(s)."
    lines = [f"Declined or 👎 in the last {days} day(s), most frequent first:"]
    for item in items[:UNANSWERED_SHOWN]:
        marks = [f"{item.declined} declined"] if item.declined else []
        marks += [f"{item.downvotes} 👎"] if item.downvotes else []
        lines.append(f"• ({item.asked}×, {', '.join(marks)}) {defang(fit(item.question, 200))}")
    if len(items) > UNANSWERED_SHOWN:
        lines.append(f"…and {len(items) - UNANSWERED_SHOWN} more.")
    return "\n".join(lines)


def stats_text(stats: Stats, days: int) -> str:
    return (f"Last {days} day(s): **{stats.asked}** question(s), **{stats.answered_share:.0%}** answered, "
            f"{stats.up} 👍 / {stats.down} 👎.")


class Staff(commands.Cog):
    def __init__(self, bot: CourseBot):
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.live_course.subscribe(self.on_reload)

    async def cog_unload(self) -> None:
        self.bot.live_course.unsubscribe(self.on_reload)

    def on_reload(self, result: ReloadResult) -> None:
        """Any reload (file watcher, /reload) that failed is reported to the staff channel.

        Called on the thread that reloaded; the post is handed to the bot's event loop."""
        if result.ok or not self.bot.config.staff_channel_id:
            return
        asyncio.run_coroutine_threadsafe(self.post_to_staff(result.summary()), self.bot.loop)

    async def post_to_staff(self, text: str) -> None:
        channel_id = self.bot.config.staff_channel_id
        if channel_id is None:
            return
        try:
            channel = await self.bot.text_channel(channel_id)
            if channel is None:
                log.error("discord.staff_channel_id %s is not a channel messages can be sent in", channel_id)
                return
            await channel.send(_format.message_text(defang(text)), allowed_mentions=NONE)
        except discord.DiscordException:
            log.exception("could not report a failed reload to the staff channel %s", channel_id)

    @app_commands.command(name="reload",
                          description="Staff: re-read knowledge/ and re-index; a bad edit keeps the old course.")
    @app_commands.guild_only()
    @app_commands.check(staff_check)
    async def reload(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        result = await asyncio.to_thread(self.bot.live_course.reload)
        if result.changed:
            freeze_heap()  # the new engine is long-lived too
        await interaction.followup.send(_format.message_text(result.summary()), ephemeral=True, allowed_mentions=NONE)

    @app_commands.command(name="unanswered",
                          description="Staff: questions the bot declined or that got 👎, most frequent first.")
    @app_commands.describe(days="How many days back to look (default 7)")
    @app_commands.guild_only()
    @app_commands.check(staff_check)
    async def unanswered(self, interaction: discord.Interaction,
                         days: app_commands.Range[int, 1, 365] = 7) -> None:
        since = self.bot.now() - dt.timedelta(days=days)
        items = await asyncio.to_thread(self.bot.store.declined_or_downvoted, since)
        await interaction.response.send_message(_format.message_text(unanswered_text(items, days)),
                                                ephemeral=True, allowed_mentions=NONE)

    @app_commands.command(name="stats", description="Staff: questions asked, share answered and 👍/👎 in a period.")
    @app_commands.describe(days="How many days back to count (default 7)")
    @app_commands.guild_only()
    @app_commands.check(staff_check)
    async def stats(self, interaction: discord.Interaction, days: app_commands.Range[int, 1, 365] = 7) -> None:
        now = self.bot.now()
        result = await asyncio.to_thread(self.bot.store.stats, now - dt.timedelta(days=days),
                                         now + dt.timedelta(seconds=1))
        await interaction.response.send_message(stats_text(result, days), ephemeral=True, allowed_mentions=NONE)


async def setup(bot: CourseBot) -> None:
    await bot.add_cog(Staff(bot))
