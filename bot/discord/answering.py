"""Answering students: /ask, mentions, DMs and the Q&A channel, with 👍/👎 under each answer."""

from __future__ import annotations

import logging
import re

import discord
from discord import app_commands
from discord.ext import commands

from bot.answer.model import Answer
from bot.discord import _format
from bot.discord._posts import is_starter
from bot.discord._votes import VoteButton, vote_view
from bot.discord.client import APOLOGY, Answered, CourseBot, RateLimited, rate_limit_message
from bot.format import defang, fit

log = logging.getLogger(__name__)
NONE = discord.AllowedMentions.none()
QUESTION_CHARS = 500
EMPTY_HINT = "Ask me about this course — e.g. *when is the next deadline?* — or use `/ask`."


def rate_check(interaction: discord.Interaction[CourseBot]) -> bool:
    wait = interaction.client.check_rate(interaction.user.id)
    if wait:
        raise RateLimited(wait)
    return True


class Answering(commands.Cog):
    def __init__(self, bot: CourseBot):
        self.bot = bot

    # --- /ask --------------------------------------------------------------------------

    @app_commands.command(name="ask", description="Ask a question about the course (deadlines, policies, readings…).")
    @app_commands.describe(question="Your question, e.g. when is homework 2 due?")
    @app_commands.check(rate_check)
    async def ask(self, interaction: discord.Interaction, question: app_commands.Range[str, 1, QUESTION_CHARS]) -> None:
        await interaction.response.defer(thinking=True)  # the 3-second window closes before a slow answer
        answered = await self.bot.answer(question)
        answer = answered.answer
        question_id = await self._record(interaction.user.id, f"slash:{interaction.channel_id}", answer)
        sent = await interaction.followup.send(embed=self._embed(answered), view=vote_view(question_id),
                                               allowed_mentions=NONE, wait=True)
        if not answer.answered:
            where = interaction.guild_id or "@me"
            await self.notify_staff(question, f"https://discord.com/channels/{where}/{interaction.channel_id}/{sent.id}")

    # --- mentions, DMs, the Q&A channel --------------------------------------------------

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or self.bot.user is None:
            return
        where = self._where(message)
        if where is None:
            return
        try:
            await self._answer_message(message, where)
        except Exception:
            log.exception("answering a %s message failed", where)
            await message.reply(APOLOGY, mention_author=False, allowed_mentions=NONE)

    def _where(self, message: discord.Message) -> str | None:
        """Which kind of question this is, or None when the bot should stay quiet."""
        if message.guild is None:
            return "dm"
        if is_starter(message, self.bot.config.forum_ids):
            return None  # a new forum post: the forum cog answers its title and message together
        if self.bot.user in message.mentions:
            return "mention"
        if self.bot.config.qa_channel_id and message.channel.id == self.bot.config.qa_channel_id:
            return "qa"
        return None

    def _question_text(self, message: discord.Message) -> str:
        assert self.bot.user is not None
        text = re.sub(rf"<@!?{self.bot.user.id}>", " ", message.content)
        return fit(" ".join(text.split()), QUESTION_CHARS)

    async def _answer_message(self, message: discord.Message, where: str) -> None:
        question = self._question_text(message)
        if not question:
            await message.reply(EMPTY_HINT, mention_author=False, allowed_mentions=NONE)
            return
        wait = self.bot.check_rate(message.author.id)
        if wait:
            await message.reply(rate_limit_message(wait), mention_author=False, allowed_mentions=NONE)
            return
        answered = await self.bot.answer(question)
        answer = answered.answer
        channel = "dm" if where == "dm" else f"{where}:{message.channel.id}"
        question_id = await self._record(message.author.id, channel, answer)
        embed, view = self._embed(answered), vote_view(question_id)
        if self.bot.config.reply_in_thread and isinstance(message.channel, discord.TextChannel):
            thread = await message.create_thread(name=_format.thread_name(question))
            await thread.send(embed=embed, view=view, allowed_mentions=NONE)
        else:
            await message.reply(embed=embed, view=view, mention_author=False, allowed_mentions=NONE)
        if not answer.answered and where != "dm":
            await self.notify_staff(question, message.jump_url)

    # --- shared ------------------------------------------------------------------------

    def _embed(self, answered: Answered) -> discord.Embed:
        """Rendered from the course that answered (not whatever is serving by now)."""
        return _format.answer_embed(answered.course, answered.answer, self.bot.now(), self.bot.default_due_time)

    async def _record(self, user_id: int, channel: str, answer: Answer) -> int | None:
        return await self.bot.record(user_id, channel, answer)

    async def notify_staff(self, question: str, jump_url: str) -> None:
        """Tell staff about a declined question, with a link to it (if configured)."""
        config = self.bot.config
        if not (config.notify_staff_on_decline and config.staff_channel_id):
            return
        text = f"I couldn't answer this question:\n> {defang(fit(question, 1500))}\n{jump_url}"
        try:
            channel = await self.bot.text_channel(config.staff_channel_id)
            if channel is None:
                log.error("discord.staff_channel_id %s is not a channel messages can be sent in",
                          config.staff_channel_id)
                return
            await channel.send(_format.message_text(text), allowed_mentions=NONE)
        except discord.HTTPException:
            log.exception("could not notify the staff channel %s", config.staff_channel_id)


async def setup(bot: CourseBot) -> None:
    bot.add_dynamic_items(VoteButton)
    await bot.add_cog(Answering(bot))
